/**
 * The tables running user statements will remove partitions from at their commit (UPDATE,
 * DELETE, MERGE, INSERT OVERWRITE), from the moment each reads its snapshot until it has
 * committed or failed. The background compactor asks right before its own commit, in the same
 * synchronous step as that commit, and yields while a user's write holds the table (it deletes
 * its rewrite and tries again later): so a compaction never makes a user's statement conflict
 * and run again, let alone fail with 40001.
 *
 * Contract: `enter` must be called in the same synchronous step as the snapshot read it
 * covers (no await in between), and its release once, when the statement is done; a second
 * release does nothing.
 */
export class TableWriters {
  private readonly counts = new Map<number, number>();

  /** Registers one writer of `tableId`; returns its release. */
  enter(tableId: number): () => void {
    this.counts.set(tableId, (this.counts.get(tableId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.counts.get(tableId) ?? 1) - 1;
      if (n > 0) this.counts.set(tableId, n);
      else this.counts.delete(tableId);
    };
  }

  /** Whether a user statement that will remove partitions of `tableId` is running. */
  busy(tableId: number): boolean {
    return this.counts.has(tableId);
  }
}
