/**
 * The records of one chunk that a loader rejects, each with the first reason found.
 *
 * Contract: reset(rows) before a chunk; reject(row, field, pos, error) marks record `row` of
 * the chunk bad; only the first reason per record is kept, so callers check a record's
 * fields left to right (record-level faults first) to report what Snowflake reports.
 * `field` is the 0-based field index in the file and `pos` the byte offset where the fault
 * is; `bad` is a 0/1 mask loaders use to drop the records.
 */
import type { FirnError } from '../../storage/errors/firn-error.js';

export type RowReject = { field: number; pos: number; error: FirnError };

export class RowRejects {
  readonly bad: Uint8Array;
  private readonly reasons: (RowReject | undefined)[];
  count = 0;
  private rows = 0;

  constructor(capacity: number) {
    this.bad = new Uint8Array(capacity);
    this.reasons = new Array<RowReject | undefined>(capacity);
  }

  reset(rows: number): void {
    if (this.count > 0) {
      this.bad.fill(0, 0, this.rows);
      this.reasons.fill(undefined, 0, this.rows);
    }
    this.count = 0;
    this.rows = rows;
  }

  reject(row: number, field: number, pos: number, error: FirnError): void {
    if (this.bad[row] === 1) return;
    this.bad[row] = 1;
    this.reasons[row] = { field, pos, error };
    this.count++;
  }

  /** The first rejected record of the chunk and its reason, or null. */
  first(): { row: number; reason: RowReject } | null {
    if (this.count === 0) return null;
    const row = this.bad.indexOf(1);
    const reason = this.reasons[row];
    return reason ? { row, reason } : null;
  }
}
