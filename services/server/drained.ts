/**
 * Waits until a response's socket has drained (after a write answered false) or the response
 * closed: streamed answers (Arrow, the driver's chunks) write piece by piece at the client's
 * pace, so a slow client never makes the server hold more than one piece.
 */
import type { ServerResponse } from 'node:http';

export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
