/**
 * Group commit: small writes to one target that arrive while an earlier write to it is in
 * flight wait and then run together, as one group (one write, one catalog commit), so 64
 * concurrent single-row INSERTs make a handful of table versions and objects instead of 64.
 * A write that finds nothing in flight for its key runs at once: a lone client waits for no
 * window. Each member's promise settles only when its group's run has (so a client is
 * acknowledged only after the commit that holds its rows).
 *
 * Contract: `run(group)` answers one result per member, in order, or throws (then every member
 * of that group rejects with that error; the caller decides whether members retry alone).
 * Groups of one key run one at a time; `fits(group, next)` says whether `next` may join `group`.
 */
type Pending<M, R> = { member: M; resolve: (r: R) => void; reject: (err: unknown) => void };

export class GroupCommit<M, R> {
  private readonly queues = new Map<string, Pending<M, R>[]>();

  constructor(
    private readonly run: (group: M[]) => Promise<R[]>,
    private readonly fits: (group: readonly M[], next: M) => boolean,
  ) {}

  submit(key: string, member: M): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ member, resolve, reject });
        return;
      }
      this.queues.set(key, [{ member, resolve, reject }]);
      void this.drain(key);
    });
  }

  /** Runs the key's waiting members group by group until none waits. */
  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const group: Pending<M, R>[] = [queue.shift()!];
      while (queue.length > 0 && this.fits(group.map((p) => p.member), queue[0].member)) group.push(queue.shift()!);
      try {
        const results = await this.run(group.map((p) => p.member));
        group.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    this.queues.delete(key);
  }
}
