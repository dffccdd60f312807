/**
 * The text form of VARIANT, OBJECT and ARRAY values (see data-type.ts): canonical JSON, and
 * everything that reads or writes it without building JavaScript objects.
 *
 * Canonical text: no whitespace; object keys sorted (UTF-16 code-unit order, as Snowflake
 * sorts an OBJECT's keys) and unique; strings escaped exactly as JSON.stringify escapes them;
 * integers and decimals as their exact decimal text (`1.50` stays `1.50`, a NUMBER(38,0)
 * keeps all 38 digits); doubles (a FLOAT, or JSON text with an exponent or more than 38
 * digits) as Snowflake prints them, `d.ddddddddddddddde+XX` (16 significant digits), with
 * `NaN`, `Infinity`, `-Infinity`; an array element that is SQL NULL (ARRAY_CONSTRUCT(NULL))
 * as `undefined`, as Snowflake shows it. Equal values therefore have equal text, which is
 * what = / GROUP BY / DISTINCT compare.
 *
 * Contract: canonicalJson(text) parses user JSON (PARSE_JSON) and returns canonical text, or
 * null for an empty / blank input, or throws JsonSyntaxError with a 0-based position. Every
 * other function takes canonical text (never user text) and may assume it is well formed.
 */

/**
 * A JSON text PARSE_JSON rejects; `pos` is the 0-based offset where reading stopped. The
 * message is Snowflake's wording after "Error parsing JSON: ", with its 1-based position
 * (`unknown keyword "cdefg", pos 6`; `incomplete object value, pos 7` for `{"a":1`).
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(`${reason}, pos ${pos + 1}`);
  }
}

/** Largest digit count a JSON number may have and still be a NUMBER (else it is a DOUBLE). */
const MAX_DECIMAL_DIGITS = 38;

/** A double as Snowflake prints it inside a VARIANT: 3 -> `3.000000000000000e+00`. */
export function formatVariantDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const s = x.toExponential(15);
  const e = s.indexOf('e');
  const exp = s.slice(e + 2);
  return `${s.slice(0, e)}e${s[e + 1]}${exp.length < 2 ? `0${exp}` : exp}`;
}

/** Member count above which an unsorted object finds duplicate keys through a Map, not a scan, and sorts with Array.sort. */
const LINEAR_DUPLICATE_SCAN = 16;

/**
 * A recursive-descent reader that returns each value's canonical text. Hot path of PARSE_JSON
 * and COPY of JSON, so it works on char codes and, where the source span of an object or array
 * is already canonical (no whitespace, keys sorted and unique, plain strings, canonical
 * numbers), returns a slice of the input instead of building the text again. `dirty` says
 * whether the canonical text built so far, in the innermost open object or array, differs
 * from its source span.
 */
class Reader {
  pos = 0;
  dirty = false;
  /** Whether the last string read had no escape and no surrogate: its source span is its canonical text. */
  lastPlain = false;
  constructor(
    readonly text: string,
    readonly allowDuplicates: boolean,
  ) {}

  fail(reason: string): never {
    throw new JsonSyntaxError(reason, this.pos);
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13) p++;
      else break;
    }
    if (p !== this.pos) {
      this.dirty = true;
      this.pos = p;
    }
  }

  value(depth: number): string {
    if (depth > 1000) this.fail('document is too deep');
    this.ws();
    const t = this.text;
    if (this.pos >= t.length) this.fail('unexpected end of input');
    const c = t.charCodeAt(this.pos);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34) return this.stringText();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    let e = this.pos;
    while (e < t.length && isWordChar(t.charCodeAt(e))) e++;
    const word = t.slice(this.pos, e);
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos = e;
      return word;
    }
    if (word.length === 0) this.fail(`unexpected character '${t[this.pos]}'`);
    this.pos = e;
    this.fail(`unknown keyword "${word}"`);
  }

  object(depth: number): string {
    const t = this.text;
    const start = this.pos;
    const outerDirty = this.dirty;
    this.dirty = false;
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 125) {
      this.pos++;
      this.dirty = outerDirty || this.pos - start !== 2;
      return '{}';
    }
    const keys: string[] = [];
    // Where each key's source text starts (its quoted text is sliced from there only if the object is rebuilt), -1 when it is not plain.
    const keyAt: number[] = [];
    const values: string[] = [];
    let sorted = true;
    let index: Map<string, number> | null = null;
    for (;;) {
      this.ws();
      if (t.charCodeAt(this.pos) !== 34) this.fail('expected a string key');
      const keyStart = this.pos;
      const key = this.string();
      const plainKey = this.lastPlain;
      if (!plainKey) this.quotedAt(keyStart, key);
      this.ws();
      if (t.charCodeAt(this.pos) !== 58) this.fail("expected ':'");
      this.pos++;
      const at = this.pos;
      const v = this.value(depth + 1);
      const n = keys.length;
      let same = -1;
      // While the keys so far are ascending, a greater key is new; past that, every key is looked up.
      if (n > 0 && !(sorted && key > keys[n - 1])) {
        sorted = false;
        if (index === null && n > LINEAR_DUPLICATE_SCAN) index = new Map(keys.map((k, i) => [k, i]));
        if (index !== null) same = index.get(key) ?? -1;
        else same = keys.indexOf(key);
      }
      if (same >= 0) {
        if (!this.allowDuplicates) {
          this.pos = at;
          this.fail(`duplicate object attribute "${key}"`);
        }
        values[same] = v;
      } else {
        keys.push(key);
        keyAt.push(plainKey ? keyStart : -1);
        values.push(v);
        index?.set(key, n);
      }
      this.ws();
      const c = t.charCodeAt(this.pos);
      this.pos++;
      if (c === 44) continue;
      if (c === 125) break;
      this.pos--;
      this.fail('incomplete object value');
    }
    const clean = sorted && !this.dirty;
    this.dirty = outerDirty || !clean;
    if (clean) return t.slice(start, this.pos);
    let order: number[] | null = null;
    if (!sorted) {
      // Insertion sort of member indexes by key (keys are unique): most objects are small, and
      // there it beats order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1)), used above that.
      order = new Array<number>(keys.length);
      if (keys.length > LINEAR_DUPLICATE_SCAN) {
        for (let i = 0; i < keys.length; i++) order[i] = i;
        order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
      } else {
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          let j = i - 1;
          while (j >= 0 && keys[order[j]] > k) {
            order[j + 1] = order[j];
            j--;
          }
          order[j + 1] = i;
        }
      }
    }
    let s = '{';
    for (let k = 0; k < keys.length; k++) {
      const i = order === null ? k : order[k];
      const at = keyAt[i];
      const quoted = at >= 0 ? t.slice(at, at + keys[i].length + 2) : JSON.stringify(keys[i]);
      s += k > 0 ? `,${quoted}:${values[i]}` : `${quoted}:${values[i]}`;
    }
    return `${s}}`;
  }

  array(depth: number): string {
    const t = this.text;
    const start = this.pos;
    const outerDirty = this.dirty;
    this.dirty = false;
    this.pos++;
    this.ws();
    if (t.charCodeAt(this.pos) === 93) {
      this.pos++;
      this.dirty = outerDirty || this.pos - start !== 2;
      return '[]';
    }
    const items: string[] = [];
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const c = t.charCodeAt(this.pos);
      this.pos++;
      if (c === 44) continue;
      if (c === 93) break;
      this.pos--;
      this.fail('incomplete array value');
    }
    const clean = !this.dirty;
    this.dirty = outerDirty || !clean;
    return clean ? t.slice(start, this.pos) : `[${items.join(',')}]`;
  }

  /** A string value's canonical text: the source span itself when it is plain. */
  stringText(): string {
    const start = this.pos;
    this.pos = this.scanString(start);
    if (this.lastPlain) return this.text.slice(start, this.pos);
    return this.quotedAt(start, this.unescape(start));
  }

  /** The canonical quoted text of the escaped string `s` read from the span starting at `start` (marks the text dirty when they differ). */
  quotedAt(start: number, s: string): string {
    const q = JSON.stringify(s);
    if (q !== this.text.slice(start, this.pos)) this.dirty = true;
    return q;
  }

  /** Reads a string at pos (a quote); returns its value. */
  string(): string {
    const start = this.pos;
    this.pos = this.scanString(start);
    return this.lastPlain ? this.text.slice(start + 1, this.pos - 1) : this.unescape(start);
  }

  /** The value of the escaped string whose source runs from `start` to pos. */
  unescape(start: number): string {
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      this.pos = start;
      this.fail('invalid escape in string');
    }
  }

  /**
   * Index just past the string starting at `start` (a quote); sets lastPlain. Fails on an
   * unterminated string or a raw control character.
   */
  scanString(start: number): number {
    const t = this.text;
    let p = start + 1;
    let plain = true;
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(p);
      if (c === 34) break;
      if (c === 92) {
        plain = false;
        p += 2;
        continue;
      }
      if (c < 32) {
        this.pos = p;
        this.fail('control character in string');
      }
      if (c >= 0xd800 && c <= 0xdfff) plain = false;
      p++;
    }
    this.lastPlain = plain;
    return p + 1;
  }

  /**
   * Reads `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` (a '.' or exponent without digits after it
   * is not part of the number) and returns its canonical text: the text itself for a NUMBER,
   * Snowflake's double format when it has an exponent or more than 38 digits.
   */
  number(): string {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 45) p++;
    const c0 = t.charCodeAt(p);
    if (c0 === 48) p++;
    else if (c0 >= 49 && c0 <= 57) {
      p++;
      while (isDigit(t.charCodeAt(p))) p++;
    } else this.fail('invalid number');
    let digits = p - start - (t.charCodeAt(start) === 45 ? 1 : 0);
    if (t.charCodeAt(p) === 46 && isDigit(t.charCodeAt(p + 1))) {
      const f = p + 1;
      p += 2;
      while (isDigit(t.charCodeAt(p))) p++;
      digits += p - f;
    }
    let exponent = false;
    const e = t.charCodeAt(p);
    if (e === 101 || e === 69) {
      let q = p + 1;
      const sign = t.charCodeAt(q);
      if (sign === 43 || sign === 45) q++;
      if (isDigit(t.charCodeAt(q))) {
        q++;
        while (isDigit(t.charCodeAt(q))) q++;
        p = q;
        exponent = true;
      }
    }
    this.pos = p;
    const text = t.slice(start, p);
    if (exponent || digits > MAX_DECIMAL_DIGITS) {
      const d = formatVariantDouble(Number(text));
      if (d !== text) this.dirty = true;
      return d;
    }
    if (text === '-0') {
      this.dirty = true;
      return '0';
    }
    return text;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** [A-Za-z0-9_] */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}


/**
 * PARSE_JSON: user JSON -> canonical text; null for '' or whitespace only (Snowflake returns
 * NULL there). Duplicate keys throw unless `allowDuplicates` (then the last value wins).
 */
export function canonicalJson(text: string, allowDuplicates = false): string | null {
  const r = new Reader(text, allowDuplicates);
  r.ws();
  if (r.pos === text.length) return null;
  const v = r.value(0);
  r.ws();
  if (r.pos !== text.length) r.fail('garbage after valid input');
  return v;
}

/**
 * One JSON value of user text that starts at `pos` (whitespace before it skipped): its
 * canonical text and the index just past it, for readers of many documents in one text
 * (COPY of a JSON file). Throws JsonSyntaxError, `pos` counted from the start of `text`.
 */
export function readJsonValue(text: string, pos: number, allowDuplicates = false): { value: string; end: number } {
  const r = new Reader(text, allowDuplicates);
  r.pos = pos;
  const value = r.value(0);
  return { value, end: r.pos };
}

/** An OBJECT's canonical text from (key, canonical value) pairs: keys sorted, unique. */
export function objectText(members: [string, string][]): string {
  members.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let s = '{';
  for (let k = 0; k < members.length; k++) {
    if (k > 0) s += ',';
    s += `${JSON.stringify(members[k][0])}:${members[k][1]}`;
  }
  return `${s}}`;
}

/** Index just past the canonical value starting at `i`. */
export function skipValue(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    let p = i;
    while (p < t.length) {
      const d = t.charCodeAt(p);
      if (d === 34) {
        p = skipString(t, p);
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return p;
  }
  let p = i + 1;
  while (p < t.length) {
    const d = t.charCodeAt(p);
    if (d === 44 || d === 125 || d === 93) break;
    p++;
  }
  return p;
}

/** Index just past the canonical string starting at `i` (a quote). */
export function skipString(t: string, i: number): number {
  let p = i + 1;
  for (;;) {
    const c = t.charCodeAt(p);
    if (c === 34) return p + 1;
    p += c === 92 ? 2 : 1;
  }
}

/** Snowflake's TYPEOF names of the kinds a value can have. */
export type VariantKind = 'OBJECT' | 'ARRAY' | 'VARCHAR' | 'BOOLEAN' | 'NULL_VALUE' | 'INTEGER' | 'DECIMAL' | 'DOUBLE';

/** TYPEOF of a canonical value. */
export function variantKind(t: string): VariantKind {
  switch (t[0]) {
    case '{':
      return 'OBJECT';
    case '[':
      return 'ARRAY';
    case '"':
      return 'VARCHAR';
    case 't':
    case 'f':
      return 'BOOLEAN';
    case 'n':
      return 'NULL_VALUE';
    default:
      if (/[eNI]/.test(t)) return 'DOUBLE';
      return t.includes('.') ? 'DECIMAL' : 'INTEGER';
  }
}

/** The elements of a canonical array (canonical texts; `undefined` for a SQL NULL element). */
export function arrayElements(t: string): string[] {
  const out: string[] = [];
  if (t.length <= 2) return out;
  let p = 1;
  while (p < t.length - 1) {
    const e = skipValue(t, p);
    out.push(t.slice(p, e));
    p = e + 1;
  }
  return out;
}

/** ARRAY_SIZE of a canonical array: its element count, found without slicing them. */
export function arrayLength(t: string): number {
  if (t.length <= 2) return 0;
  let count = 0;
  let p = 1;
  while (p < t.length - 1) {
    p = skipValue(t, p) + 1;
    count++;
  }
  return count;
}

/** The members of a canonical object: [key, canonical value] in key order. */
export function objectEntries(t: string): [string, string][] {
  const out: [string, string][] = [];
  if (t.length <= 2) return out;
  let p = 1;
  while (p < t.length - 1) {
    const ke = skipString(t, p);
    const raw = t.slice(p, ke);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    const ve = skipValue(t, ke + 1);
    out.push([key, t.slice(ke + 1, ve)]);
    p = ve + 1;
  }
  return out;
}

/** The last key getField looked up, and its quoted text (a query asks for the same key row after row). */
let lastKey = '';
let lastQuoted = '""';

/** GET(object, key): the member's canonical value, or null when absent or `t` is no object. */
export function getField(t: string, key: string): string | null {
  if (t.charCodeAt(0) !== 123 || t.length <= 2) return null;
  if (key !== lastKey) {
    lastKey = key;
    lastQuoted = JSON.stringify(key);
  }
  const want = lastQuoted;
  let p = 1;
  while (p < t.length - 1) {
    const ke = skipString(t, p);
    const ve = skipValue(t, ke + 1);
    if (ke - p === want.length && t.startsWith(want, p)) return t.slice(ke + 1, ve);
    p = ve + 1;
  }
  return null;
}

/** GET(array, index): the element's canonical value, or null when out of range, undefined or `t` is no array. */
export function getIndex(t: string, index: number): string | null {
  if (t[0] !== '[' || t.length <= 2 || index < 0 || !Number.isInteger(index)) return null;
  let p = 1;
  let k = 0;
  while (p < t.length - 1) {
    const e = skipValue(t, p);
    if (k === index) {
      const v = t.slice(p, e);
      return v === 'undefined' ? null : v;
    }
    k++;
    p = e + 1;
  }
  return null;
}

/** A step of a path: an object key or an array index. */
export type PathStep = string | number;

/**
 * Parses a GET_PATH path, Snowflake's syntax: `a.b[0]`, `"Quoted Key".c`, `a['b']`, `[1].x`.
 * Unquoted keys are case-sensitive (taken as written). Returns null for a malformed path.
 */
export function parsePath(path: string): PathStep[] | null {
  const steps: PathStep[] = [];
  let p = 0;
  const n = path.length;
  let first = true;
  while (p < n) {
    const c = path[p];
    if (c === '[') {
      const close = path.indexOf(']', p);
      if (close < 0) return null;
      const inner = path.slice(p + 1, close).trim();
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (inner.length >= 2 && (inner[0] === "'" || inner[0] === '"') && inner[inner.length - 1] === inner[0]) steps.push(inner.slice(1, -1));
      else return null;
      p = close + 1;
      first = false;
      continue;
    }
    if (!first) {
      if (c !== '.') return null;
      p++;
    }
    if (path[p] === '"') {
      const close = path.indexOf('"', p + 1);
      if (close < 0) return null;
      steps.push(path.slice(p + 1, close));
      p = close + 1;
    } else {
      let e = p;
      while (e < n && path[e] !== '.' && path[e] !== '[') e++;
      if (e === p) return null;
      steps.push(path.slice(p, e));
      p = e;
    }
    first = false;
  }
  return steps;
}

/** Follows `steps` from canonical value `t`; null when a step finds nothing. */
export function getPath(t: string, steps: readonly PathStep[]): string | null {
  let cur: string | null = t;
  for (let k = 0; k < steps.length && cur !== null; k++) {
    const s = steps[k];
    cur = typeof s === 'number' ? getIndex(cur, s) : getField(cur, s);
  }
  return cur;
}

/** A JSON string literal (canonical) -> its string. */
export function stringValue(t: string): string {
  return t.includes('\\') ? (JSON.parse(t) as string) : t.slice(1, -1);
}

/**
 * Snowflake's display of a value: objects and arrays over several lines, two spaces per
 * level, `"key": value`, one array element per line; `[]` and `{}` when empty; scalars as
 * their canonical text (strings keep their quotes).
 */
export function prettyJson(t: string): string {
  const c = t[0];
  if (c !== '{' && c !== '[') return t;
  const out: string[] = [];
  pretty(t, '', out);
  return out.join('');
}

function pretty(t: string, indent: string, out: string[]): void {
  const c = t[0];
  if (c === '[') {
    const items = arrayElements(t);
    if (items.length === 0) {
      out.push('[]');
      return;
    }
    const inner = `${indent}  `;
    out.push('[\n');
    items.forEach((v, k) => {
      out.push(inner);
      pretty(v, inner, out);
      out.push(k < items.length - 1 ? ',\n' : '\n');
    });
    out.push(`${indent}]`);
  } else if (c === '{') {
    const members = objectEntries(t);
    if (members.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent}  `;
    out.push('{\n');
    members.forEach(([k, v], n) => {
      out.push(`${inner}${JSON.stringify(k)}: `);
      pretty(v, inner, out);
      out.push(n < members.length - 1 ? ',\n' : '\n');
    });
    out.push(`${indent}}`);
  } else {
    out.push(t);
  }
}
