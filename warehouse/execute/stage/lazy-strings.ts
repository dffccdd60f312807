/**
 * The string columns of one scanned unit whose dictionaries the column cache left packed
 * (column-cache.ts, deferStrings): the scan filters the unit first, then gives each output
 * batch only the dictionary entries its rows use.
 *
 * Why: unpacking a cached dictionary makes one string per entry on every read. A join's
 * runtime filter that keeps 57 of customer's 150,000 rows still unpacked all 150,000 names
 * (about 4 ms), and the worker's next young-generation collection, which fresh typed arrays
 * force every 32 MiB, copied the live ones: 8-19 ms of Q18's stage 0 on each worker.
 *
 * Contract: `new LazyStrings(strings)` with the packed dictionary per batch position (null:
 * an ordinary column). `resolve(batch, owned)` answers the batch with every such column's
 * DEFERRED_DICT replaced: by a dictionary of only the entries its rows use, in order of first
 * use, with the codes renumbered, when the batch has fewer than 1/COMPACT_RATIO as many rows
 * as the dictionary has entries; else by the whole dictionary, unpacked once per unit.
 * `owned`: the codes are the caller's own (a filter's gathered copy) and are renumbered in
 * place; otherwise they are the cache's and a renumbered copy is made. `release()` gives the
 * scratch arrays back to the pool once the unit is done.
 */
import type { Batch, StrVector, Vector } from '../../../storage/types/vector.js';
import type { PackedStrings } from '../../cache/packed-strings.js';
import { borrowI32, recycleArray } from '../batch/array-pool.js';

/** A batch gets a dictionary of its own when the whole one has this many times its rows or more. */
const COMPACT_RATIO = 4;

export class LazyStrings {
  private readonly whole: (string[] | null)[];
  /** Per position: stamp[c] === generation when code c has a new code in this batch, map[c]. */
  private readonly stamps: (Int32Array | null)[];
  private readonly maps: (Int32Array | null)[];
  private generation = 0;

  constructor(private readonly strings: readonly (PackedStrings | null)[]) {
    this.whole = strings.map(() => null);
    this.stamps = strings.map(() => null);
    this.maps = strings.map(() => null);
  }

  resolve(batch: Batch, owned: boolean): Batch {
    this.generation++;
    const columns = batch.columns.map((v, i) => {
      const packed = i < this.strings.length ? this.strings[i] : null;
      return packed === null ? v : this.resolveColumn(i, v as StrVector, packed, owned);
    });
    return { length: batch.length, columns };
  }

  release(): void {
    for (const a of this.stamps) if (a) recycleArray(a);
    for (const a of this.maps) if (a) recycleArray(a);
    this.stamps.fill(null);
    this.maps.fill(null);
  }

  private resolveColumn(i: number, v: StrVector, packed: PackedStrings, owned: boolean): Vector {
    const n = v.length;
    if (n * COMPACT_RATIO >= packed.size) {
      const dict = (this.whole[i] ??= packed.unpack());
      return { kind: 'str', length: n, codes: v.codes, dict, nulls: v.nulls };
    }
    const stamp = (this.stamps[i] ??= borrowI32(packed.size));
    const map = (this.maps[i] ??= borrowI32(packed.size, false));
    const src = v.codes;
    const codes = owned ? src : new Int32Array(n);
    const dict: string[] = [];
    const generation = this.generation;
    for (let r = 0; r < n; r++) {
      const c = src[r];
      if (stamp[c] !== generation) {
        stamp[c] = generation;
        map[c] = dict.length;
        dict.push(packed.entry(c));
      }
      codes[r] = map[c];
    }
    return { kind: 'str', length: n, codes, dict, nulls: v.nulls };
  }
}
