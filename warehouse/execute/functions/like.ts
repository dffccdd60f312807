/**
 * LIKE / ILIKE pattern matching: '%' matches any run of characters (newlines included), '_'
 * exactly one, and the ESCAPE character makes the next character literal. As documented at
 * https://docs.snowflake.com/en/sql-reference/functions/like there is no default escape
 * character, and the whole string must match. Any other character, regex metacharacters
 * included, stands for itself.
 *
 * Contract: a pattern is compiled once into a matcher: plain equality, startsWith/endsWith/
 * includes or an in-order substring scan for '%'-only patterns, and otherwise one RegExp
 * per '%'-separated segment (dotAll + unicode, so '_' is one code point; 'i' for ILIKE),
 * placed leftmost in order. A segment has no quantifier, so matching costs at most
 * O(value x pattern): no pattern makes it backtrack without bound (one RegExp with '.*' per
 * '%' would, and constant folding runs LIKE on the main thread). With a constant
 * pattern, a 'str' vector is matched once per dictionary entry and the codes are mapped.
 */
import { allocU8 } from '../batch/array-pool.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import type { BoolVector, StrVector, Vector } from '../../../storage/types/vector.js';
import { compactStrings, expectKind, isConst, unionNulls, type Val } from './vector-kit.js';
import { clipValue } from '../../../storage/errors/clip-value.js';

export type LikeMatcher = (s: string) => boolean;

type Token = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

function tokenize(pattern: string, escape: string | null): Token[] {
  const tokens: Token[] = [];
  let text = '';
  const flush = (): void => {
    if (text) tokens.push({ kind: 'text', text });
    text = '';
  };
  let escaped = false;
  for (const ch of pattern) {
    if (escaped) {
      text += ch;
      escaped = false;
    } else if (escape !== null && ch === escape) {
      escaped = true;
    } else if (ch === '%') {
      flush();
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'any') tokens.push({ kind: 'any' });
    } else if (ch === '_') {
      flush();
      tokens.push({ kind: 'one' });
    } else {
      text += ch;
    }
  }
  if (escaped) text += escape;
  flush();
  return tokens;
}

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

export function compileLike(pattern: string, escape: string | null, caseInsensitive: boolean): LikeMatcher {
  if (escape !== null && [...escape].length !== 1) {
    throw new DataError('INVALID_ESCAPE', `the ESCAPE of LIKE must be a single character, got '${clipValue(escape)}'`);
  }
  const tokens = tokenize(pattern, escape);
  if (!caseInsensitive && tokens.every((t) => t.kind !== 'one')) return percentOnlyMatcher(tokens);
  return segmentMatcher(tokens, caseInsensitive ? 'isu' : 'su');
}

/**
 * Text and '_' between the '%'s as one RegExp source each: the first segment must match at
 * the start, the last at the end, and each middle one at its leftmost place after the one
 * before (leftmost is optimal: every segment matches a fixed number of code points).
 */
function segmentMatcher(tokens: Token[], flags: string): LikeMatcher {
  const segments = [''];
  for (const t of tokens) {
    if (t.kind === 'any') segments.push('');
    else segments[segments.length - 1] += t.kind === 'one' ? '.' : t.text.replace(REGEX_SYNTAX, '\\$&');
  }
  if (segments.length === 1) {
    const whole = new RegExp(`^(?:${segments[0]})$`, flags);
    return (s) => whole.test(s);
  }
  const first = new RegExp(segments[0], `${flags}y`);
  const middle = segments.slice(1, -1).filter((m) => m !== '').map((m) => new RegExp(m, `${flags}g`));
  const last = new RegExp(`(?:${segments[segments.length - 1]})$`, `${flags}g`);
  return (s) => {
    first.lastIndex = 0;
    if (!first.test(s)) return false;
    let pos = first.lastIndex;
    for (const re of middle) {
      re.lastIndex = pos;
      if (!re.test(s)) return false;
      pos = re.lastIndex;
    }
    last.lastIndex = pos;
    return last.test(s);
  };
}

/** Patterns made of text and '%' only: no regex needed. */
function percentOnlyMatcher(tokens: Token[]): LikeMatcher {
  const parts: string[] = [];
  let current = '';
  for (const t of tokens) {
    if (t.kind === 'text') {
      current += t.text;
    } else {
      parts.push(current);
      current = '';
    }
  }
  parts.push(current);
  // parts = L0 % L1 % ... % Lk
  if (parts.length === 1) {
    const exact = parts[0];
    return (s) => s === exact;
  }
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (parts.length === 2) {
    if (last === '') return first === '' ? () => true : (s) => s.startsWith(first);
    if (first === '') return (s) => s.endsWith(last);
  }
  if (parts.length === 3 && first === '' && last === '') {
    const middle = parts[1];
    return (s) => s.includes(middle);
  }
  const middle = parts.slice(1, -1);
  const fixed = first.length + last.length;
  return (s) => {
    if (s.length < fixed || !s.startsWith(first) || !s.endsWith(last)) return false;
    // Leftmost placement of each middle part is optimal for '%'-only patterns.
    let pos = first.length;
    const end = s.length - last.length;
    for (const part of middle) {
      const at = s.indexOf(part, pos);
      if (at < 0 || at + part.length > end) return false;
      pos = at + part.length;
    }
    return true;
  };
}

function stringAt(v: Val, i: number): string {
  if (isConst(v)) return String(v.value);
  const s = v as StrVector;
  return s.dict[s.codes[i]];
}

/** x LIKE pattern [ESCAPE escape] (ILIKE when caseInsensitive), before any NOT. */
export function likeValues(x: Val, pattern: Val, escape: Val | null, caseInsensitive: boolean, n: number): BoolVector {
  const nulls = unionNulls(escape ? [x, pattern, escape] : [x, pattern], n);
  const out = allocU8(n);
  const constEscape = escape === null || isConst(escape);
  if (isConst(pattern) && constEscape && !isConst(x)) {
    const esc = escape && isConst(escape) ? escape.value : null;
    const match = compileLike(String(pattern.value ?? ''), esc === null ? null : String(esc), caseInsensitive);
    const v = compactStrings(expectKind(x as Vector, 'str', 'LIKE'));
    const perEntry = new Uint8Array(v.dict.length);
    for (let e = 0; e < v.dict.length; e++) perEntry[e] = match(v.dict[e]) ? 1 : 0;
    const codes = v.codes;
    for (let i = 0; i < n; i++) out[i] = perEntry[codes[i]];
    return { kind: 'bool', length: n, values: out, nulls };
  }
  // Patterns vary per row: compile each distinct (pattern, escape) once.
  const cache = new Map<string, LikeMatcher>();
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const p = stringAt(pattern, i);
    const e = escape ? stringAt(escape, i) : null;
    const key = e === null ? `\u0000${p}` : `${e}\u0000${p}`;
    let match = cache.get(key);
    if (!match) {
      match = compileLike(p, e, caseInsensitive);
      cache.set(key, match);
    }
    out[i] = match(stringAt(x, i)) ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls };
}
