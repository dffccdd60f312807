/**
 * Raw HTTP to a test server. `rawRequest`: one request with exactly the method, path and headers
 * given (fetch normalizes paths (// and ..) and adds headers of its own, which tests of the
 * server's own handling of those must not have done for them). `rawExchange`: bytes written as
 * they are on one connection (malformed or oversized requests, withheld bodies), answering the
 * text that came back before the server closed it.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export type RawResponse = { status: number; headers: IncomingHttpHeaders; body: string };

export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `head`, then each of `pieces` once the previous was flushed; resolves with what came back before the connection closed. */
export function rawExchange(port: number, head: string, pieces: readonly Buffer[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(head);
    const next = (i: number) => {
      if (i < pieces.length && !socket.destroyed) socket.write(pieces[i]!, () => next(i + 1));
    };
    next(0);
  });
}
