/**
 * TPC-H dbgen's random number streams, reproduced bit for bit so the bench data is dbgen's
 * data: Park & Miller's "minimum standard" generator (seed' = seed * 16807 mod 2^31-1), one
 * independent stream per column, each advanced to a fixed per-row boundary after every row
 * (dbgen's row_stop) so a column's values never depend on how many draws another column made.
 *
 * Contract: unif(stream, lo, hi) is dbgen's UnifInt: lo + floor(seed / (2^31-1) * (hi-lo+1))
 * in IEEE doubles, the same operations as the C code, so the same integers come out. Every
 * draw counts towards the stream's usage; rowStop(streams) skips each listed stream forward
 * to its boundary and resets its usage. All state is one Float64Array and one Int32Array.
 * Seeds and boundaries are dbgen 2.x/3.x's `Seed[]` table (rnd.h) for the streams lineitem
 * uses.
 */

const MODULUS = 2147483647;
const MULTIPLIER = 16807;

/** Stream ids (indices into the seed table) and their dbgen seeds and per-row boundaries. */
export const DbgenStream = {
  O_ODATE: 0,
  O_LCNT: 1,
  L_QTY: 2,
  L_DCNT: 3,
  L_TAX: 4,
  L_SHIP: 5,
  L_SMODE: 6,
  L_PKEY: 7,
  L_SKEY: 8,
  L_SDTE: 9,
  L_CDTE: 10,
  L_RDTE: 11,
  L_RFLG: 12,
  L_CMNT: 13,
  TEXT: 14,
} as const;
export type DbgenStream = (typeof DbgenStream)[keyof typeof DbgenStream];

/** Max lines per order (O_LCNT_MAX): the per-order boundary of every lineitem stream. */
export const LINES_PER_ORDER_MAX = 7;

// Indexed by DbgenStream. From dbgen's Seed[] (stream numbers there: 13, 43, 14..25, 5).
const SEEDS = [
  1066728069, 1434868289, 209208115, 554590007, 721958466, 1371272478, 675466456, 1808217256, 2095021727, 1769349045,
  904914315, 373135028, 717419739, 1095462486, 933588178,
];
const L = LINES_PER_ORDER_MAX;
const BOUNDARIES = [1, 1, L, L, L, L, L, L, L, L, L, L, L, 2 * L, 1];

export class DbgenRandom {
  private readonly seed = Float64Array.from(SEEDS);
  private readonly usage = new Int32Array(SEEDS.length);

  /** dbgen's RANDOM(tgt, lo, hi, stream): a uniform integer in [lo, hi]. */
  unif(stream: DbgenStream, lo: number, hi: number): number {
    const s = (this.seed[stream] * MULTIPLIER) % MODULUS;
    this.seed[stream] = s;
    this.usage[stream]++;
    return lo + Math.floor((s / MODULUS) * (hi - lo + 1));
  }

  /** dbgen's row_stop: advance each stream to its per-row boundary, then start a new row. */
  rowStop(streams: readonly DbgenStream[]): void {
    for (const st of streams) {
      let s = this.seed[st];
      for (let k = this.usage[st]; k < BOUNDARIES[st]; k++) s = (s * MULTIPLIER) % MODULUS;
      this.seed[st] = s;
      this.usage[st] = 0;
    }
  }
}
