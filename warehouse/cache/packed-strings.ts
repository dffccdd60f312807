/**
 * A string dictionary packed into one string and its entries' end offsets: how the column
 * cache's memory level keeps a large dictionary (column-cache.ts, PACKED_DICT_MIN says why).
 *
 * Contract: `PackedStrings.pack(dict)` packs; `entry(i)` is dict[i] again (one substring,
 * about 25 ns); `unpack()` is the whole dict again, one substring per entry. A packed
 * dictionary is immutable, so many readers share one.
 */
export class PackedStrings {
  private constructor(
    private readonly text: string,
    private readonly ends: Int32Array,
  ) {}

  static pack(dict: readonly string[]): PackedStrings {
    const ends = new Int32Array(dict.length);
    let at = 0;
    for (let i = 0; i < dict.length; i++) {
      at += dict[i].length;
      ends[i] = at;
    }
    return new PackedStrings(dict.join(''), ends);
  }

  /** Number of entries. */
  get size(): number {
    return this.ends.length;
  }

  entry(i: number): string {
    return this.text.substring(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }

  unpack(): string[] {
    const { text, ends } = this;
    const dict = new Array<string>(ends.length);
    let from = 0;
    for (let i = 0; i < ends.length; i++) {
      const to = ends[i];
      dict[i] = text.substring(from, to);
      from = to;
    }
    return dict;
  }
}
