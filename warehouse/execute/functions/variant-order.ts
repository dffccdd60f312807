/**
 * The order of VARIANT values, for ARRAY_SORT, ARRAY_MIN and ARRAY_MAX (array-functions.ts).
 *
 * Why: Snowflake sorts an ARRAY's elements as ORDER BY would sort them flattened, and compares
 * values of one kind by value (numbers numerically, strings by character); its documentation
 * shows that a JSON null sorts after every other value (ARRAY_SORT ascending puts `null`
 * last, ARRAY_MAX of [20, 0, null, 10] is `null`) but does not publish the order of two
 * different kinds. Firn's choice for that, fixed here: numbers < strings < booleans < arrays <
 * objects < JSON null.
 *
 * Contract: `compareVariant(a, b)` takes two canonical texts (storage/types/variant-json.ts)
 * and returns a negative number, 0 or a positive number. Numbers of any kind compare by value:
 * two NUMBERs exactly, from their decimal text; with a DOUBLE among them as doubles, NaN above
 * every other number. Strings compare by code point (what UTF-8 byte order gives); false <
 * true; arrays element by element, a shorter prefix first; objects member by member in key
 * order (key first, then value). A SQL NULL array element (`undefined`) inside a nested array
 * sorts after everything; top-level SQL NULLs are the caller's (ARRAY_SORT's nulls_first).
 */
import { arrayElements, objectEntries, stringValue } from '../../../storage/types/variant-json.js';

/** Rank of each kind across kinds, by the first character of the canonical text. */
function kindRank(t: string): number {
  const c = t.charCodeAt(0);
  if (c === 45 || (c >= 48 && c <= 57) || c === 78 || c === 73) return 0; // - 0-9 NaN Infinity
  switch (c) {
    case 34: // "
      return 1;
    case 116: // t
    case 102: // f
      return 2;
    case 91: // [
      return 3;
    case 123: // {
      return 4;
    case 110: // null
      return 5;
    default: // undefined
      return 6;
  }
}

/** Whether a number's canonical text is a DOUBLE (an exponent, NaN or an infinity). */
function isDouble(t: string): boolean {
  return t.includes('e') || t === 'NaN' || t.endsWith('Infinity');
}

/** Two non-negative decimal texts (digits, an optional fraction) compared by value. */
function compareMagnitude(a: string, b: string): number {
  const ad = a.indexOf('.');
  const bd = b.indexOf('.');
  const ai = ad < 0 ? a : a.slice(0, ad);
  const bi = bd < 0 ? b : b.slice(0, bd);
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const af = ad < 0 ? '' : a.slice(ad + 1);
  const bf = bd < 0 ? '' : b.slice(bd + 1);
  const len = Math.max(af.length, bf.length);
  const ap = af.padEnd(len, '0');
  const bp = bf.padEnd(len, '0');
  return ap === bp ? 0 : ap < bp ? -1 : 1;
}

function compareNumbers(a: string, b: string): number {
  if (isDouble(a) || isDouble(b)) {
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  const m = compareMagnitude(an ? a.slice(1) : a, bn ? b.slice(1) : b);
  return an ? -m : m;
}

/** Two strings by code point: UTF-16 order, except that a surrogate pair sorts above U+E000..U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export function compareVariant(a: string, b: string): number {
  if (a === b) return 0;
  const ra = kindRank(a);
  const rb = kindRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return compareNumbers(a, b);
    case 1:
      return compareCodePoints(stringValue(a), stringValue(b));
    case 2:
      return a === 'false' ? -1 : 1;
    case 3: {
      const x = arrayElements(a);
      const y = arrayElements(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareVariant(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 4: {
      const x = objectEntries(a);
      const y = objectEntries(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const k = compareCodePoints(x[i][0], y[i][0]);
        if (k !== 0) return k;
        const c = compareVariant(x[i][1], y[i][1]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default:
      return 0;
  }
}
