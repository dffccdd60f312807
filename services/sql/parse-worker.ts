/**
 * The parse worker's thread: parses SQL text (parse-sql.ts) off the server's event loop.
 * node-sql-parser takes 10-50 ms for a TPC-H-sized statement; on the event loop that time
 * is a stall of every other request (`/healthz`, the next statement's result).
 *
 * Contract: each message `{ id, sql }` is answered on the same port with `{ id, statements }`
 * (the Firn AST, plain data that structured cloning copies exactly) or `{ id, error }`
 * (PlainError: the same error parseSql would throw, rebuilt by the caller with fromPlain).
 */
import { parentPort } from 'node:worker_threads';
import { asFirnError } from '../../storage/errors/firn-error.js';
import { parseSql } from './parse-sql.js';

parentPort!.on('message', (m: { id: number; sql: string }) => {
  try {
    parentPort!.postMessage({ id: m.id, statements: parseSql(m.sql) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: asFirnError(err).toPlain() });
  }
});
