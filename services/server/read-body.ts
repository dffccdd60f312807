/**
 * Reads a request's body into one Buffer, refusing it past `limit` bytes: at once when its
 * Content-Length says so, else as soon as the bytes read pass it (the rest is not kept).
 *
 * Contract: rejects with HttpRequestError 413 past the limit, 400 when the request errors
 * while its body is read; every route that reads a body (statements, login, notebooks) uses
 * this one, so they share the limit and its answer.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRequestError } from './http-request-error.js';

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpRequestError(413, `request body exceeds the limit of ${limit} bytes`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limit) {
        done = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(new HttpRequestError(400, `could not read the request body: ${err.message}`));
    });
  });
}
