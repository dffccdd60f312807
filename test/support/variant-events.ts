/**
 * A deterministic generator of NDJSON "events" for the VARIANT-vs-DuckDB-JSON differential
 * test: one JSON object per line, written by hand (not JSON.stringify) so the text carries
 * what a loader must get right: keys in a shuffled order per line, nested objects, arrays of
 * objects, missing keys and JSON nulls at several depths, strings with escapes (\" \\ \n \t
 * \u00e9, a surrogate pair \ud83d\ude00) and raw non-ASCII, integers past 2^53 (exact in both
 * engines), decimals with two digits (12.50, -0.05) and doubles with an exponent (1.25e2).
 *
 * Contract: variantEventLines(count, seed) returns `count` lines, ids 1..count in order; the
 * same arguments give the same lines. Every line has "id", "user" (an object with "id" and
 * "name") and "delta"; the rest may be missing or JSON null as the field comments say.
 * `items` and `tags` are arrays, JSON null or missing, never another kind; `mixed` is any kind.
 */
import { prng } from './prng.js';

const TIERS = ['gold', 'silver', 'bronze', 'basic'];
/** City names as they appear in the JSON text: raw UTF-8, and one escaped (Zürich). */
const CITIES = ['"Oslo"', '"Tromsø"', '"Z\\u00fcrich"', '"São Paulo"', '"東京"', '"Kraków"'];
/** User names as JSON text: plain, with escapes, raw and escaped non-ASCII, an astral character. */
const NAMES = ['"ann"', '"Bo \\"the\\" Boss"', '"back\\\\slash"', '"tab\\there"', '"line\\nbreak"', '"café"', '"caf\\u00e9"', '"smile \\ud83d\\ude00"', '"raw 😀 ✓"', '"sl\\/ash"', '"Grüße"'];
const SKUS = ['A-1', 'B-2', 'C-3', 'D-4', 'É-5'];
const TAGS = ['new', 'promo', 'mobile', 'web', 'gift'];
/** Doubles written with an exponent (short literals, each read as its nearest double). */
const DOUBLES = ['1.25e2', '-3.5E-1', '6.02e+23', '4e0', '1.5e-7', '-2.5e10', '9.75E3'];

const cents = (c: number) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

function eventLine(id: number, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  const parts: string[] = [`"id":${id}`, `"delta":${int(2001) - 1000}`];

  // user: always an object; tier 5% JSON null, 5% missing; addr 10% missing (else city and a zip with a leading zero).
  const user: string[] = [`"id":${1 + int(5000)}`, `"name":${pick(NAMES)}`];
  const t = rnd();
  if (t < 0.05) user.push('"tier":null');
  else if (t >= 0.1) user.push(`"tier":"${pick(TIERS)}"`);
  if (rnd() >= 0.1) user.push(`"addr":{"zip":"0${1000 + int(9000)}","city":${pick(CITIES)}}`);
  shuffle(user, rnd);
  parts.push(`"user":{${user.join(',')}}`);

  // amount: a decimal with two digits (some negative), 4% JSON null, 4% missing.
  const a = rnd();
  if (a < 0.04) parts.push('"amount":null');
  else if (a >= 0.08) parts.push(`"amount":${cents(int(2_000_000) - 100_000)}`);

  // big: 8% present, an integer past 2^53 (either sign) that a double could not hold.
  if (rnd() < 0.08) parts.push(`"big":${rnd() < 0.5 ? '-' : ''}${9007199254740993n + BigInt(int(1_000_000)) * 1_000_003n}`);

  // ok: a boolean, 5% JSON null, 5% missing.
  const o = rnd();
  if (o < 0.05) parts.push('"ok":null');
  else if (o >= 0.1) parts.push(`"ok":${rnd() < 0.7}`);

  // score: 50% a double with an exponent.
  if (rnd() < 0.5) parts.push(`"score":${pick(DOUBLES)}`);

  // items: 8% missing, 4% JSON null, else 0..4 objects (a few without qty, a few with a null price).
  const i = rnd();
  if (i < 0.04) parts.push('"items":null');
  else if (i >= 0.12) {
    const items: string[] = [];
    for (let k = int(5); k > 0; k--) {
      const item = [`"sku":"${pick(SKUS)}"`];
      if (rnd() >= 0.05) item.push(`"qty":${1 + int(9)}`);
      item.push(`"price":${rnd() < 0.03 ? 'null' : cents(50 + int(10_000))}`);
      shuffle(item, rnd);
      items.push(`{${item.join(',')}}`);
    }
    parts.push(`"items":[${items.join(',')}]`);
  }

  // tags: 50% 1..3 strings (repeats allowed), 3% empty, 2% JSON null, else missing.
  const g = rnd();
  if (g < 0.5) parts.push(`"tags":[${Array.from({ length: 1 + int(3) }, () => `"${pick(TAGS)}"`).join(',')}]`);
  else if (g < 0.53) parts.push('"tags":[]');
  else if (g < 0.55) parts.push('"tags":null');

  // codes: 40% an array of small integers.
  if (rnd() < 0.4) parts.push(`"codes":[${Array.from({ length: 1 + int(4) }, () => int(10)).join(',')}]`);

  // größe: 20% a key that is not ASCII.
  if (rnd() < 0.2) parts.push(`"größe":${int(50)}`);

  // mixed: every JSON kind, or missing.
  const m = int(11);
  const mixed = [`${int(1000)}`, `-${1 + int(1000)}`, cents(int(100_000)), pick(DOUBLES), pick(NAMES), 'true', 'false', 'null', `[${int(10)},"x"]`, `{"k":${int(10)},"a":null}`];
  if (m < mixed.length) parts.push(`"mixed":${mixed[m]}`);

  shuffle(parts, rnd);
  return `{${parts.join(',')}}`;
}

function shuffle<T>(xs: T[], rnd: () => number): void {
  for (let k = xs.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [xs[k], xs[j]] = [xs[j], xs[k]];
  }
}

export function variantEventLines(count: number, seed: number): string[] {
  const rnd = prng(seed);
  const lines: string[] = [];
  for (let id = 1; id <= count; id++) lines.push(eventLine(id, rnd));
  return lines;
}
