/**
 * Writes a JSON answer whole, with its length: what every route of the HTTP API answers
 * besides result bodies (stored-statement-answer.ts streams those). Does nothing once the
 * response's head was sent or its connection is gone.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(headOnly ? undefined : text);
}
