/**
 * Regular expressions by Snowflake's rules: REGEXP_LIKE (alias RLIKE; the operators
 * `x [NOT] RLIKE p` and `x [NOT] REGEXP p` bind to it), REGEXP_SUBSTR, REGEXP_SUBSTR_ALL
 * (alias REGEXP_EXTRACT_ALL), REGEXP_REPLACE, REGEXP_COUNT and REGEXP_INSTR.
 *
 * Why: dbt models clean and parse text with these, and Snowflake's contract differs from the
 * engines Firn is compared with: REGEXP_LIKE matches the whole subject (the pattern is anchored
 * at both ends), positions count characters from 1, REGEXP_REPLACE's occurrence 0 means every
 * match and its backreferences are \1 .. \9, and behaviour is chosen by a parameters string.
 *
 * Contract:
 *  - Patterns are POSIX extended regular expressions with Perl's \d \D \s \S \w \W \b \B, as
 *    Snowflake documents; they are translated once into a JavaScript RegExp (flag 'u', so `.`
 *    and positions count code points): POSIX bracket classes ([[:alpha:]] ...) become ranges, a
 *    `]` first in a bracket expression is a literal, and `.` does not match a newline unless the
 *    's' parameter is given. The compiled RegExp is cached per (pattern, parameters), so a
 *    constant pattern compiles once per worker. Matching is JavaScript's (leftmost, first
 *    alternative that matches), not POSIX's leftmost-longest, and JavaScript extensions
 *    (lazy quantifiers, lookaround) are accepted where Snowflake refuses or ignores them.
 *  - Parameters: c case-sensitive (default), i case-insensitive (of c and i the last wins),
 *    m multi-line (^ and $ at line breaks), s (`.` matches a newline), e extract a group (the
 *    first unless group_num says which; without groups in the pattern, the whole match). Any
 *    other letter raises INVALID_ARGUMENT_VALUE.
 *  - A pattern that does not compile raises INVALID_REGEX (100048 / 2201B) naming it; position
 *    below 1, an occurrence below 1 (0 for REGEXP_REPLACE, where it means every match), an
 *    option other than 0 or 1, or a group number the pattern does not have raise
 *    INVALID_ARGUMENT_VALUE (390206 / 22023). A position past the end finds nothing.
 *  - A search from position p starts at character p of the whole subject: `^` (without 'm')
 *    still means the subject's start, so it never matches after position 1.
 *  - Results: REGEXP_LIKE a BOOLEAN; REGEXP_SUBSTR the match or group, NULL when there is none
 *    (or the group did not take part); REGEXP_SUBSTR_ALL an ARRAY of the strings REGEXP_SUBSTR
 *    would give for that occurrence and every later one ([] when there is none); REGEXP_COUNT and REGEXP_INSTR NUMBER(38,0), 0 when
 *    nothing matches; REGEXP_REPLACE the subject with the matches replaced (unchanged when none).
 *    Any NULL argument gives NULL. An empty match advances the search by one character.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import { MAX_VARCHAR_LENGTH, Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { SURROGATE, charLength, checkResultLength, resolveShape, stringKernel } from './string.js';
import { INTEGER, type FunctionDef } from './type-rules.js';

// ---------------------------------------------------------------------------------------
// Translating a Snowflake pattern

/** POSIX character classes as the contents of a JavaScript bracket expression (ASCII, as Snowflake's are). */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  word: '\\w',
};

/** Characters a JavaScript pattern (flag 'u') may escape outside a bracket expression. */
const SYNTAX_CHARS = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
/** ... and inside one. */
const CLASS_SYNTAX_CHARS = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/', '-']);

function invalidRegex(pattern: string, reason: string): DataError {
  return new DataError('INVALID_REGEX', `Invalid regular expression: '${clipValue(pattern)}', ${reason}`);
}

/** An escape `\c` (c a code point) in JavaScript's spelling; `inClass`: inside a bracket expression. */
function escapeSequence(c: string, inClass: boolean): string {
  if (/[0-9A-Za-z]/.test(c)) return `\\${c}`;
  return (inClass ? CLASS_SYNTAX_CHARS : SYNTAX_CHARS).has(c) ? `\\${c}` : c;
}

/**
 * A POSIX bracket expression starting at chars[i] === '[': its JavaScript spelling and the
 * index after its closing ']'.
 */
function bracket(chars: readonly string[], i: number, pattern: string): { text: string; next: number } {
  let k = i + 1;
  let out = '[';
  if (chars[k] === '^') {
    out += '^';
    k++;
  }
  // A ']' right after '[' or '[^' is a literal member.
  if (chars[k] === ']') {
    out += '\\]';
    k++;
  }
  while (k < chars.length && chars[k] !== ']') {
    const c = chars[k];
    if (c === '[' && chars[k + 1] === ':') {
      const end = chars.indexOf(':', k + 2);
      const name = end > 0 && chars[end + 1] === ']' ? chars.slice(k + 2, end).join('') : null;
      const members = name === null ? undefined : POSIX_CLASSES[name];
      if (members === undefined) throw invalidRegex(pattern, `invalid character class '${name ?? '[:'}'`);
      out += members;
      k = end + 2;
      continue;
    }
    if (c === '\\') {
      if (k + 1 >= chars.length) break;
      out += escapeSequence(chars[k + 1], true);
      k += 2;
      continue;
    }
    out += c === '[' || c === '/' ? `\\${c}` : c;
    k++;
  }
  if (k >= chars.length) throw invalidRegex(pattern, 'missing ]');
  return { text: `${out}]`, next: k + 1 };
}

/** The JavaScript source of a Snowflake pattern; `dotAll`: the 's' parameter. */
export function translatePattern(pattern: string, dotAll: boolean): string {
  const chars = Array.from(pattern);
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (c === '\\') {
      if (i + 1 >= chars.length) throw invalidRegex(pattern, 'trailing backslash');
      out += escapeSequence(chars[i + 1], false);
      i += 2;
    } else if (c === '[') {
      const b = bracket(chars, i, pattern);
      out += b.text;
      i = b.next;
    } else if (c === '.' && !dotAll) {
      out += '[^\\n]';
      i++;
    } else {
      out += c === '/' ? '\\/' : c;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Parameters and the compiled-pattern cache

export type RegexOptions = { flags: string; extract: boolean };

/** The regex_parameters string: JavaScript flags and whether 'e' (extract) was given. */
export function parseParameters(fn: string, parameters: string): RegexOptions {
  let ignoreCase = false;
  let multiline = false;
  let dotAll = false;
  let extract = false;
  for (const p of parameters) {
    switch (p) {
      case 'c':
        ignoreCase = false;
        break;
      case 'i':
        ignoreCase = true;
        break;
      case 'm':
        multiline = true;
        break;
      case 's':
        dotAll = true;
        break;
      case 'e':
        extract = true;
        break;
      default:
        throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid regular expression parameter '${clipValue(p)}' in '${clipValue(parameters)}' for function ${fn.toUpperCase()}: expected c, i, m, s or e`);
    }
  }
  return { flags: `u${ignoreCase ? 'i' : ''}${multiline ? 'm' : ''}${dotAll ? 's' : ''}`, extract };
}

export type Compiled = { re: RegExp; groups: number };

/** Compiled patterns by flags, anchoring and source; cleared when full (patterns that vary per row). */
const CACHE = new Map<string, Compiled>();
const CACHE_LIMIT = 512;

/** How a pattern is used: REGEXP_LIKE's whole-subject test, a search, or a search that reports group spans. */
export const RegexMode = { ANCHORED: 'A', SEARCH: 'g', INDICES: 'd' } as const;
export type RegexMode = (typeof RegexMode)[keyof typeof RegexMode];

/**
 * The RegExp of a pattern: anchored at both ends of the subject for REGEXP_LIKE (with 'm' too,
 * where ^ and $ would also match at line breaks), else global (searches set lastIndex), with
 * group spans (flag 'd') for REGEXP_INSTR of a group.
 */
export function compile(pattern: string, flags: string, mode: RegexMode): Compiled {
  const key = `${flags}${mode}\u0000${pattern}`;
  let c = CACHE.get(key);
  if (c) return c;
  const source = translatePattern(pattern, flags.includes('s'));
  const anchored = mode === RegexMode.ANCHORED;
  const body = anchored ? (flags.includes('m') ? `(?<![\\s\\S])(?:${source})(?![\\s\\S])` : `^(?:${source})$`) : source;
  let re: RegExp;
  try {
    re = new RegExp(body, anchored ? flags : mode === RegexMode.INDICES ? `${flags}gd` : `${flags}g`);
  } catch (err) {
    throw invalidRegex(pattern, (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '').toLowerCase());
  }
  // Groups: an alternative that matches the empty string makes exec report every group.
  const groups = new RegExp(`${source}|`, flags).exec('')!.length - 1;
  c = { re, groups };
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, c);
  return c;
}

// ---------------------------------------------------------------------------------------
// Positions (characters, 1-based) and arguments

/** The UTF-16 index of character `position` (1-based) of s, or -1 past the end (one past the last character is the end). */
function unitIndex(s: string, position: number): number {
  const k = position - 1;
  if (!SURROGATE.test(s)) return k <= s.length ? k : -1;
  let unit = 0;
  for (let c = 0; c < k; c++) {
    if (unit >= s.length) return -1;
    const code = s.charCodeAt(unit);
    unit += code >= 0xd800 && code <= 0xdbff && unit + 1 < s.length ? 2 : 1;
  }
  return unit;
}

/** The 1-based character position of UTF-16 index `unit` of s. */
function charPosition(s: string, unit: number): number {
  return (SURROGATE.test(s) ? charLength(s.slice(0, unit)) : unit) + 1;
}

/** Steps past an empty match at `unit` by one character. */
function advance(s: string, unit: number): number {
  const code = s.charCodeAt(unit);
  return code >= 0xd800 && code <= 0xdbff && unit + 1 < s.length ? unit + 2 : unit + 1;
}

function intArg(fn: string, name: string, v: Scalar | undefined, fallback: number, min: number): number {
  const k = v === undefined ? fallback : Number(v);
  if (k < min) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid value ${k} for the ${name} argument of ${fn.toUpperCase()}: it must be at least ${min}`);
  return k;
}

/** The group a search reports: group_num if given, 1 with 'e' when the pattern has groups, else 0 (the whole match). */
function groupOf(fn: string, c: Compiled, extract: boolean, groupNum: Scalar | undefined): number {
  if (groupNum === undefined) return extract && c.groups > 0 ? 1 : 0;
  const g = Number(groupNum);
  if (g < 0 || g > c.groups) {
    throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid group number ${g} for ${fn.toUpperCase()}: the pattern has ${c.groups} group${c.groups === 1 ? '' : 's'}`);
  }
  return g;
}

/** The occurrence-th match (1-based) at or after UTF-16 index `from`, or null. */
function nthMatch(re: RegExp, s: string, from: number, occurrence: number): RegExpExecArray | null {
  re.lastIndex = from;
  let seen = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) return null;
    if (++seen === occurrence) return m;
    if (m[0] === '') re.lastIndex = advance(s, m.index);
  }
}

// ---------------------------------------------------------------------------------------
// The functions, as functions of the subject given the other arguments

const str = (v: Scalar | undefined, fallback: string): string => (v === undefined ? fallback : String(v));

function regexpLike([pattern, parameters]: readonly Scalar[]): (s: string) => boolean {
  const { flags } = parseParameters('regexp_like', str(parameters, 'c'));
  const { re } = compile(String(pattern), flags, RegexMode.ANCHORED);
  return (s) => re.test(s);
}

function regexpSubstr([pattern, position, occurrence, parameters, groupNum]: readonly Scalar[]): (s: string) => string | null {
  const opts = parseParameters('regexp_substr', str(parameters, 'c'));
  const c = compile(String(pattern), opts.flags, RegexMode.SEARCH);
  const pos = intArg('regexp_substr', 'position', position, 1, 1);
  const occ = intArg('regexp_substr', 'occurrence', occurrence, 1, 1);
  const group = groupOf('regexp_substr', c, opts.extract || groupNum !== undefined, groupNum);
  return (s) => {
    const from = unitIndex(s, pos);
    if (from < 0) return null;
    const m = nthMatch(c.re, s, from, occ);
    return m === null ? null : (m[group] ?? null);
  };
}

/** REGEXP_SUBSTR_ALL: every match (or group) from the occurrence-th on, as an ARRAY's text; a group that did not take part in a match is left out. */
function regexpSubstrAll([pattern, position, occurrence, parameters, groupNum]: readonly Scalar[]): (s: string) => string {
  const opts = parseParameters('regexp_substr_all', str(parameters, 'c'));
  const c = compile(String(pattern), opts.flags, RegexMode.SEARCH);
  const pos = intArg('regexp_substr_all', 'position', position, 1, 1);
  const occ = intArg('regexp_substr_all', 'occurrence', occurrence, 1, 1);
  const group = groupOf('regexp_substr_all', c, opts.extract || groupNum !== undefined, groupNum);
  return (s) => {
    const from = unitIndex(s, pos);
    if (from < 0) return '[]';
    const re = c.re;
    re.lastIndex = from;
    const found: string[] = [];
    let seen = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      if (++seen >= occ && m[group] !== undefined) found.push(JSON.stringify(m[group]));
      if (m[0] === '') re.lastIndex = advance(s, m.index);
    }
    return `[${found.join(',')}]`;
  };
}

function regexpCount([pattern, position, parameters]: readonly Scalar[]): (s: string) => number {
  const { flags } = parseParameters('regexp_count', str(parameters, 'c'));
  const { re } = compile(String(pattern), flags, RegexMode.SEARCH);
  const pos = intArg('regexp_count', 'position', position, 1, 1);
  return (s) => {
    const from = unitIndex(s, pos);
    if (from < 0) return 0;
    re.lastIndex = from;
    let count = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      count++;
      if (m[0] === '') re.lastIndex = advance(s, m.index);
    }
    return count;
  };
}

function regexpInstr([pattern, position, occurrence, option, parameters, groupNum]: readonly Scalar[]): (s: string) => number {
  const opts = parseParameters('regexp_instr', str(parameters, 'c'));
  const c = compile(String(pattern), opts.flags, RegexMode.SEARCH);
  const pos = intArg('regexp_instr', 'position', position, 1, 1);
  const occ = intArg('regexp_instr', 'occurrence', occurrence, 1, 1);
  const end = intArg('regexp_instr', 'option', option, 0, 0);
  if (end > 1) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid value ${end} for the option argument of REGEXP_INSTR: it must be 0 or 1`);
  const group = groupOf('regexp_instr', c, opts.extract || groupNum !== undefined, groupNum);
  const hasIndices = group > 0;
  const re = hasIndices ? compile(String(pattern), opts.flags, RegexMode.INDICES).re : c.re;
  return (s) => {
    const from = unitIndex(s, pos);
    if (from < 0) return 0;
    const m = nthMatch(re, s, from, occ);
    if (m === null) return 0;
    if (!hasIndices) return charPosition(s, end ? m.index + m[0].length : m.index);
    const span = m.indices![group];
    if (span === undefined) return 0;
    return charPosition(s, end ? span[1] : span[0]);
  };
}

/**
 * A replacement string: \1 .. \9 insert a group (empty when it did not take part or the
 * pattern has fewer groups), \0 the whole match, a backslash before any other character that
 * character (so \\ is one backslash); everything else, $ included, is literal.
 */
type Piece = string | number;

function parseReplacement(replacement: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    if (ch !== '\\' || i + 1 >= replacement.length) {
      text += ch;
      continue;
    }
    const next = replacement[++i];
    if (next >= '0' && next <= '9') {
      if (text) pieces.push(text);
      text = '';
      pieces.push(next.charCodeAt(0) - 48);
    } else {
      text += next;
    }
  }
  if (text) pieces.push(text);
  return pieces;
}

function regexpReplace([pattern, replacement, position, occurrence, parameters]: readonly Scalar[]): (s: string) => string {
  const { flags } = parseParameters('regexp_replace', str(parameters, 'c'));
  const { re } = compile(String(pattern), flags, RegexMode.SEARCH);
  const pieces = parseReplacement(str(replacement, ''));
  const pos = intArg('regexp_replace', 'position', position, 1, 1);
  const occ = intArg('regexp_replace', 'occurrence', occurrence, 0, 0);
  const expand = (m: RegExpExecArray): string => {
    let out = '';
    for (const p of pieces) out += typeof p === 'string' ? p : (m[p] ?? '');
    return out;
  };
  return (s) => {
    const from = unitIndex(s, pos);
    if (from < 0) return s;
    re.lastIndex = from;
    const parts: string[] = [];
    let units = 0;
    let last = 0;
    let seen = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      seen++;
      if (occ === 0 || seen === occ) {
        const head = s.slice(last, m.index);
        const replaced = expand(m);
        parts.push(head, replaced);
        units += head.length + replaced.length;
        if (units > MAX_VARCHAR_LENGTH) checkResultLength('REGEXP_REPLACE', charLength(parts.join('')) + charLength(s.slice(m.index + m[0].length)));
        last = m.index + m[0].length;
        if (occ !== 0) break;
      }
      if (m[0] === '') re.lastIndex = advance(s, m.index);
    }
    if (parts.length === 0) return s;
    parts.push(s.slice(last));
    return parts.join('');
  };
}

export const regexpFunctions: FunctionDef[] = [
  { name: 'regexp_like', aliases: ['rlike'], resolve: resolveShape('regexp_like', 'sss', 2, Types.boolean), kernel: stringKernel('bool', regexpLike), strict: true },
  { name: 'regexp_substr', resolve: resolveShape('regexp_substr', 'ssiisi', 2, Types.varchar), kernel: stringKernel('str', regexpSubstr), strict: true },
  {
    name: 'regexp_substr_all',
    aliases: ['regexp_extract_all'],
    resolve: resolveShape('regexp_substr_all', 'ssiisi', 2, Types.array),
    kernel: stringKernel('str', regexpSubstrAll),
    strict: true,
  },
  { name: 'regexp_replace', resolve: resolveShape('regexp_replace', 'sssiis', 2, Types.varchar), kernel: stringKernel('str', regexpReplace), strict: true },
  { name: 'regexp_count', resolve: resolveShape('regexp_count', 'ssis', 2, INTEGER), kernel: stringKernel('f64', regexpCount), strict: true },
  { name: 'regexp_instr', resolve: resolveShape('regexp_instr', 'ssiiisi', 2, INTEGER), kernel: stringKernel('f64', regexpInstr), strict: true },
];
