/**
 * The node server the HTTP API answers on: node:http, or node:https when the bind policy chose
 * TLS (bind-policy.ts, tls-credentials.ts), with deliberate bounds on what a client may hold
 * open, and the security headers (security-headers.ts) on every answer.
 *
 * Contract:
 * - every request's response gets the API's security headers before the handler runs (a route
 *   serving other content replaces the profile's with its own), with HSTS only over TLS;
 * - a request head over `maxHeaderSize` bytes answers 431, a head not complete within
 *   `headersTimeout` or a request (head and body) not complete within `requestTimeout` answers
 *   408, any other unparsable request 400: each as Snowflake-shaped JSON {code, sqlState,
 *   message} with code BAD_REQUEST, the same security headers, and the connection closed.
 *   Once a request was received, how long its statement runs is not bounded here (the
 *   statement's `timeout` is).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpNodeServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsNodeServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { ErrorCodes } from '../../storage/errors/firn-error.js';
import { API_SECURITY_PROFILE, applySecurityHeaders, securityHeaders } from './security-headers.js';
import type { TlsCredentials } from './tls-credentials.js';

export type ServerLimits = {
  /** Most bytes of a request's line and headers together; past it 431. */
  maxHeaderSize: number;
  /** Milliseconds a client has to send a request's complete head (slow-header clients); past it 408. */
  headersTimeout: number;
  /** Milliseconds a client has to send a complete request, body included; past it 408. */
  requestTimeout: number;
  /** How often node checks the two timeouts above: they fire at most this much late. */
  connectionsCheckingInterval: number;
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  keepAliveTimeout: number;
};

/**
 * 16 KiB of head is node's own default, set here on purpose: far above any real request
 * (a bearer token, a few cookies) and small enough that a connection cannot hold much.
 * 20 s for the head stops clients that trickle headers byte by byte (slowloris) much sooner
 * than node's 60 s; 5 minutes for the whole request lets a 16 MiB body through a ~60 KB/s
 * link. The timeouts are checked every 5 s (node's default: 30 s).
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 20_000,
  requestTimeout: 300_000,
  connectionsCheckingInterval: 5_000,
  keepAliveTimeout: 5_000,
};

export type ListenerOptions = { tls: TlsCredentials | null; limits?: Partial<ServerLimits> };

export type Listener = HttpNodeServer | HttpsNodeServer;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function createListener(handler: Handler, opts: ListenerOptions): Listener {
  const limits = { ...DEFAULT_SERVER_LIMITS, ...opts.limits };
  const tls = opts.tls !== null;
  const withHeaders: Handler = (req, res) => {
    applySecurityHeaders(res, API_SECURITY_PROFILE, { tls });
    handler(req, res);
  };
  const server: Listener = opts.tls === null ? createHttpServer(limits, withHeaders) : createHttpsServer({ ...limits, cert: opts.tls.cert, key: opts.tls.key }, withHeaders);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, tls, limits));
  return server;
}

/** The raw answer to a request node could not parse or that broke a limit; the connection then closes. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, tls: boolean, limits: ServerLimits): void {
  // An answer already begun on this connection (node's own handler checks the same field).
  const answering = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || answering?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `request headers exceed the limit of ${limits.maxHeaderSize} bytes`]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request was not received in time']
        : [400, 'Bad Request', 'malformed HTTP request'];
  const body = JSON.stringify({ code: ErrorCodes.BAD_REQUEST.code, sqlState: ErrorCodes.BAD_REQUEST.sqlState, message });
  const head = securityHeaders(API_SECURITY_PROFILE, { tls })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${head}\r\n${body}`,
  );
}
