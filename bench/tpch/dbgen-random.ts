/**
 * TPC-H dbgen's random number streams, reproduced bit for bit so the bench data is dbgen's
 * data: Park & Miller's "minimum standard" generator (seed' = seed * 16807 mod 2^31-1), one
 * independent stream per column, each advanced to a fixed per-row boundary after every row
 * (dbgen's row_stop) so a column's values never depend on how many draws another column made.
 *
 * Contract: unif(stream, lo, hi) is dbgen's UnifInt: lo + trunc(seed / (2^31-1) * (hi-lo+1))
 * in IEEE doubles, the same operations as the C code, so the same integers come out.
 * unifMaxLong(stream) is UnifInt(0, MAX_LONG), whose range overflows to -2^31 in dbgen's
 * 32-bit arithmetic, so it yields values in (-2^31, 0] exactly as dbgen does (a_rnd uses it).
 * Every draw counts towards the stream's usage; rowStop(streams) skips each listed stream
 * forward to its boundary and resets its usage. All state is one Float64Array and one
 * Int32Array. Stream numbers, seeds and boundaries are dbgen's `Seed[]` table (rnd.c), so
 * DbgenStream.X is dbgen's X_SD.
 */

const MODULUS = 2147483647;
const MULTIPLIER = 16807;

/** Max lines per order (O_LCNT_MAX): the per-order boundary of every lineitem stream. */
export const LINES_PER_ORDER_MAX = 7;
/** Suppliers per part (SUPP_PER_PART): the per-part boundary of the partsupp streams. */
export const SUPPLIERS_PER_PART = 4;

/** dbgen's stream numbers (X_SD in dss.h). */
export const DbgenStream = {
  P_MFG: 0,
  P_BRND: 1,
  P_TYPE: 2,
  P_SIZE: 3,
  P_CNTR: 4,
  TEXT: 5,
  P_CMNT: 6,
  PS_QTY: 7,
  PS_SCST: 8,
  PS_CMNT: 9,
  O_SUPP: 10,
  O_CLRK: 11,
  O_CMNT: 12,
  O_ODATE: 13,
  L_QTY: 14,
  L_DCNT: 15,
  L_TAX: 16,
  L_SHIP: 17,
  L_SMODE: 18,
  L_PKEY: 19,
  L_SKEY: 20,
  L_SDTE: 21,
  L_CDTE: 22,
  L_RDTE: 23,
  L_RFLG: 24,
  L_CMNT: 25,
  C_ADDR: 26,
  C_NTRG: 27,
  C_PHNE: 28,
  C_ABAL: 29,
  C_MSEG: 30,
  C_CMNT: 31,
  S_ADDR: 32,
  S_NTRG: 33,
  S_PHNE: 34,
  S_ABAL: 35,
  S_CMNT: 36,
  P_NAME: 37,
  O_PRIO: 38,
  HVAR: 39,
  O_CKEY: 40,
  N_CMNT: 41,
  R_CMNT: 42,
  O_LCNT: 43,
  BBB_OFFSET: 44,
  BBB_TYPE: 45,
  BBB_CMNT: 46,
  BBB_JNK: 47,
} as const;
export type DbgenStream = (typeof DbgenStream)[keyof typeof DbgenStream];

const L = LINES_PER_ORDER_MAX;
const S = SUPPLIERS_PER_PART;
// [seed, boundary] indexed by DbgenStream, from dbgen's Seed[] table.
const STREAMS: readonly (readonly [number, number])[] = [
  [1, 1], [46831694, 1], [1841581359, 1], [1193163244, 1], [727633698, 1], [933588178, 1], [804159733, 2],
  [1671059989, S], [1051288424, S], [1961692154, 2 * S],
  [1227283347, 1], [1171034773, 1], [276090261, 2], [1066728069, 1],
  [209208115, L], [554590007, L], [721958466, L], [1371272478, L], [675466456, L], [1808217256, L], [2095021727, L],
  [1769349045, L], [904914315, L], [373135028, L], [717419739, L], [1095462486, 2 * L],
  [881155353, 9], [1489529863, 1], [1521138112, 3], [298370230, 1], [1140279430, 1], [1335826707, 2],
  [706178559, 9], [110356601, 1], [884434366, 3], [962338209, 1], [1341315363, 2],
  [709314158, 92], [591449447, 1], [431918286, 1], [851767375, 1], [606179079, 2], [1500869201, 2], [1434868289, 1],
  [263032577, 1], [753643799, 1], [202794285, 1], [715851524, 1],
];

export class DbgenRandom {
  private readonly seed = Float64Array.from(STREAMS, ([seed]) => seed);
  private readonly usage = new Int32Array(STREAMS.length);

  /** dbgen's RANDOM(tgt, lo, hi, stream): a uniform integer in [lo, hi]. */
  unif(stream: DbgenStream, lo: number, hi: number): number {
    const s = (this.seed[stream] * MULTIPLIER) % MODULUS;
    this.seed[stream] = s;
    this.usage[stream]++;
    return lo + Math.trunc((s / MODULUS) * (hi - lo + 1));
  }

  /** dbgen's RANDOM(tgt, 0, MAX_LONG, stream): its range wraps to -2^31, so the value is in (-2^31, 0]. */
  unifMaxLong(stream: DbgenStream): number {
    const s = (this.seed[stream] * MULTIPLIER) % MODULUS;
    this.seed[stream] = s;
    this.usage[stream]++;
    return Math.trunc((s / MODULUS) * -2147483648);
  }

  /** dbgen's row_stop: advance each stream to its per-row boundary, then start a new row. */
  rowStop(streams: readonly DbgenStream[]): void {
    for (const st of streams) {
      let s = this.seed[st];
      for (let k = this.usage[st]; k < STREAMS[st][1]; k++) s = (s * MULTIPLIER) % MODULUS;
      this.seed[st] = s;
      this.usage[st] = 0;
    }
  }
}
