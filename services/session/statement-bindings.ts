/**
 * Bind variables of both wire protocols: the SQL API v2 `bindings` field and the
 * snowflake-sdk query-request's `bindings` have one shape, `{"1": {"type": "FIXED", "value":
 * "1"}, …}` (keys: 1-based positions; values: strings, null, or arrays of them for multi-row
 * binds). `bindStatement` replaces the statement's placeholders with SQL literals of the bound
 * types before the statement is parsed, so the engine sees plain SQL.
 *
 * Contract:
 * - Placeholders: `?` (the next position, counted left to right) and `:n` (position n), found
 *   outside string literals ('…', $$…$$), quoted identifiers and comments; `::` casts are not
 *   placeholders. A placeholder without a binding fails with 002049 (42601) as in Snowflake;
 *   bindings no placeholder uses are ignored.
 * - Types (Snowflake's names, any case) and the literal each value becomes:
 *   FIXED: a decimal number, kept exact (`12345678901234567890.5`); REAL: `'<v>'::FLOAT`
 *   (also NaN, inf, -inf); TEXT: a quoted string; BOOLEAN: TRUE / FALSE (true, false, 1, 0);
 *   DATE: `'<v>'::DATE`, where an integer value is milliseconds since the epoch (as
 *   Snowflake's connectors send dates) and any other text is read as a DATE literal;
 *   TIMESTAMP_NTZ (and TIMESTAMP): `'<v>'::TIMESTAMP_NTZ`, an integer being nanoseconds since
 *   the epoch; TIME: `'<v>'::TIME`, an integer being nanoseconds since midnight. A null value
 *   is NULL for every type.
 *   Another type fails with 002040 (42601), a value its type cannot hold with that type's
 *   "not recognized" error (100038, 100037).
 * - Array values bind many rows: every binding must then be an array of the same length (else
 *   002099, Snowflake's "Batch size … not the same as previous size …"), the statement must
 *   be an INSERT whose placeholders all follow its VALUES keyword, and the text after VALUES
 *   is repeated once per row: `INSERT INTO t VALUES (?, ?)` with two arrays of 3 values inserts
 *   3 rows in one statement. Nothing is sent for an empty array: 0 rows is 002099 too.
 * - A malformed `bindings` (not an object, a key that is not a positive integer, an entry
 *   without a string `type`, a value that is not a string, number, boolean, null or array of
 *   them) is BAD_REQUEST.
 */
import { CompilationError, DataError, RequestError } from '../../storage/errors/firn-error.js';

type Scalar = string | null;
type Binding = { type: string; value: Scalar | Scalar[] };

/** What the placeholder scan finds: where each placeholder is, and which position it binds. */
type Placeholder = { start: number; end: number; position: number; text: string };

/** The SQL text with `bindings` bound (see the module comment); `sql` itself when there are none. */
export function bindStatement(sql: string, bindings: unknown): string {
  const parsed = parseBindings(bindings);
  if (parsed === null) return sql;
  const placeholders = findPlaceholders(sql);
  for (const p of placeholders) {
    if (!parsed.has(p.position)) throw new CompilationError('BIND_VARIABLE_NOT_SET', `SQL compilation error: Bind variable ${p.text} not set.`);
  }
  const rows = batchSize(parsed);
  if (rows === null) return substitute(sql, 0, sql.length, placeholders, (position) => literal(parsed.get(position)!, null));
  const valuesEnd = insertValuesEnd(sql);
  if (valuesEnd === null || placeholders.some((p) => p.start < valuesEnd)) {
    throw new CompilationError('BIND_UNSUPPORTED_TYPE', 'SQL compilation error: array bind variables are supported in INSERT … VALUES only, after VALUES.');
  }
  const end = trimmedEnd(sql);
  const rowTexts = new Array<string>(rows);
  for (let r = 0; r < rows; r++) rowTexts[r] = substitute(sql, valuesEnd, end, placeholders, (position) => literal(parsed.get(position)!, r)).trim();
  return `${sql.slice(0, valuesEnd)} ${rowTexts.join(', ')}`;
}

/** The bindings by position, or null when there are none. */
function parseBindings(raw: unknown): Map<number, Binding> | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('"bindings" must be an object of {"<position>": {"type": …, "value": …}}');
  const out = new Map<number, Binding>();
  for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[1-9]\d{0,5}$/.test(key)) throw badRequest(`binding key '${clip(key)}' is not a position (1, 2, …)`);
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest(`binding ${key} must be an object {"type": …, "value": …}`);
    const { type, value } = entry as Record<string, unknown>;
    if (typeof type !== 'string') throw badRequest(`binding ${key} needs a string "type"`);
    out.set(Number(key), { type: type.toUpperCase(), value: Array.isArray(value) ? value.map((v) => scalar(v, key)) : scalar(value, key) });
  }
  return out.size === 0 ? null : out;
}

function scalar(v: unknown, key: string): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badRequest(`binding ${key} has a value that is not a string, number, boolean or null`);
}

/** The number of rows of array bindings, or null when every value is a scalar. */
function batchSize(bindings: Map<number, Binding>): number | null {
  let size: number | null = null;
  let first = true;
  for (const [position, b] of [...bindings].sort((x, y) => x[0] - y[0])) {
    const n = Array.isArray(b.value) ? b.value.length : null;
    if (first) {
      size = n;
      first = false;
    } else if (n !== size) {
      throw new CompilationError('BIND_BATCH_SIZE', `SQL compilation error: Batch size of ${n ?? 1} for bind variable ${position} not the same as previous size of ${size ?? 1}.`);
    }
  }
  if (size === 0) throw new CompilationError('BIND_BATCH_SIZE', 'SQL compilation error: Batch size of 0 for bind variable 1: array bindings need at least one row.');
  return size;
}

/** `sql[from, to)` with each placeholder in it replaced by `text(position)`. */
function substitute(sql: string, from: number, to: number, placeholders: Placeholder[], text: (position: number) => string): string {
  let out = '';
  let at = from;
  for (const p of placeholders) {
    if (p.start < from || p.end > to) continue;
    out += sql.slice(at, p.start) + text(p.position);
    at = p.end;
  }
  return out + sql.slice(at, to);
}

/** The SQL literal of a binding's value (row `row` of an array binding, or its scalar). */
function literal(b: Binding, row: number | null): string {
  const v = row === null ? (b.value as Scalar) : (b.value as Scalar[])[row]!;
  const type = b.type;
  if (!BIND_TYPES.has(type)) throw new CompilationError('BIND_UNSUPPORTED_TYPE', `SQL compilation error: Unsupported data type '${clip(type)}' for a bind variable.`);
  if (v === null) return 'NULL';
  switch (type) {
    case 'FIXED': {
      if (!NUMBER.test(v)) throw new DataError('NUMERIC_NOT_RECOGNIZED', `Numeric value '${clip(v)}' is not recognized`);
      const text = v.startsWith('+') ? v.slice(1) : v;
      // Parenthesized when negative: `a - ?` must not become the comment `a --1`.
      return text.startsWith('-') ? `(${text})` : text;
    }
    case 'REAL':
      if (!NUMBER.test(v) && !/^[+-]?(inf|infinity|nan)$/i.test(v)) throw new DataError('NUMERIC_NOT_RECOGNIZED', `Numeric value '${clip(v)}' is not recognized`);
      return `${quote(v)}::FLOAT`;
    case 'TEXT':
      return quote(v);
    case 'BOOLEAN': {
      const t = v.trim().toUpperCase();
      if (t === 'TRUE' || t === '1') return 'TRUE';
      if (t === 'FALSE' || t === '0') return 'FALSE';
      throw new DataError('BOOLEAN_NOT_RECOGNIZED', `Boolean value '${clip(v)}' is not recognized`);
    }
    case 'DATE':
      return `${quote(INTEGER.test(v) ? dateText(BigInt(v)) : v)}::DATE`;
    case 'TIMESTAMP':
    case 'TIMESTAMP_NTZ':
      return `${quote(INTEGER.test(v) ? timestampText(BigInt(v)) : v)}::TIMESTAMP_NTZ`;
    default:
      return `${quote(INTEGER.test(v) ? timeText(BigInt(v)) : v)}::TIME`;
  }
}

const BIND_TYPES = new Set(['FIXED', 'REAL', 'TEXT', 'BOOLEAN', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_NTZ']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^-?\d{1,24}$/;
const NANOS_PER_DAY = 86_400_000_000_000n;

/** A string literal: quotes doubled and backslashes escaped (Snowflake's literals read backslash escapes). */
function quote(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** 'YYYY-MM-DD' of epoch milliseconds (the time of day dropped, as a DATE cast does). */
function dateText(ms: bigint): string {
  return civil(floorDiv(ms, 86_400_000n));
}

/** 'YYYY-MM-DD HH:MI:SS.FFFFFFFFF' of epoch nanoseconds. */
function timestampText(ns: bigint): string {
  const day = floorDiv(ns, NANOS_PER_DAY);
  return `${civil(day)} ${timeText(ns - day * NANOS_PER_DAY)}`;
}

/** 'HH:MI:SS.FFFFFFFFF' of nanoseconds since midnight (taken modulo one day). */
function timeText(ns: bigint): string {
  const n = ((ns % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY;
  const secs = n / 1_000_000_000n;
  const frac = String(n % 1_000_000_000n).padStart(9, '0');
  const two = (x: bigint) => String(x).padStart(2, '0');
  return `${two(secs / 3600n)}:${two((secs / 60n) % 60n)}:${two(secs % 60n)}.${frac}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The proleptic Gregorian date of a day number (days since 1970-01-01): Howard Hinnant's civil_from_days. */
function civil(days: bigint): string {
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The placeholders of `sql`, in order: `?` and `:n` outside string literals, $$ strings,
 * quoted identifiers and comments.
 */
function findPlaceholders(sql: string): Placeholder[] {
  const out: Placeholder[] = [];
  let next = 1;
  forEachCode(sql, (i) => {
    const ch = sql[i];
    if (ch === '?') {
      out.push({ start: i, end: i + 1, position: next++, text: '?' });
      return i + 1;
    }
    if (ch === ':' && sql[i + 1] === ':') return i + 2;
    if (ch === ':' && isDigit(sql.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < sql.length && isDigit(sql.charCodeAt(j))) j++;
      out.push({ start: i, end: j, position: Number(sql.slice(i + 1, j)), text: sql.slice(i, j) });
      return j;
    }
    return i + 1;
  });
  return out;
}

/**
 * Where the text after an INSERT statement's top-level VALUES keyword starts (the statement
 * starting with INSERT), or null when it is no INSERT … VALUES.
 */
function insertValuesEnd(sql: string): number | null {
  let firstWord: string | null = null;
  let depth = 0;
  let found: number | null = null;
  forEachCode(sql, (i) => {
    const ch = sql[i]!;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (!isWordStart(sql.charCodeAt(i)) || (i > 0 && isWordPart(sql.charCodeAt(i - 1)))) return i + 1;
    let j = i;
    while (j < sql.length && isWordPart(sql.charCodeAt(j))) j++;
    const word = sql.slice(i, j).toUpperCase();
    if (firstWord === null) firstWord = word;
    if (word === 'VALUES' && depth === 0 && found === null) found = j;
    return j;
  });
  return firstWord === 'INSERT' ? found : null;
}

/** The end of `sql` without trailing blanks and semicolons. */
function trimmedEnd(sql: string): number {
  let end = sql.length;
  while (end > 0 && (/\s/.test(sql[end - 1]!) || sql[end - 1] === ';')) end--;
  return end;
}

/**
 * Calls `visit(i)` at each index of SQL code (outside literals, quoted identifiers and
 * comments); `visit` answers the index to continue from.
 */
function forEachCode(sql: string, visit: (i: number) => number): void {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const ch = sql[i];
    if (ch === "'") i = skipQuoted(sql, i, "'", true);
    else if (ch === '"') i = skipQuoted(sql, i, '"', false);
    else if (ch === '$' && sql[i + 1] === '$') {
      const close = sql.indexOf('$$', i + 2);
      i = close < 0 ? n : close + 2;
    } else if ((ch === '-' && sql[i + 1] === '-') || (ch === '/' && sql[i + 1] === '/')) {
      const close = sql.indexOf('\n', i);
      i = close < 0 ? n : close + 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else i = visit(i);
  }
}

/** The index after the literal opened at `start` by `q` ('' or "" inside it stand for one quote). */
function skipQuoted(sql: string, start: number, q: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === q) {
      if (sql[i + 1] === q) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 36;
}

function badRequest(message: string): RequestError {
  return new RequestError('BAD_REQUEST', `invalid bindings: ${message}`);
}

function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
