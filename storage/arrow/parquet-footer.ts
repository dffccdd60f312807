/**
 * Parquet footers read and rewritten in JS (Thrift compact protocol), so Firn can hand
 * parquet-wasm a smaller Parquet file holding only the row groups and columns it needs.
 *
 * Why: parquet-wasm 0.7.1's synchronous readParquet ignores its `columns` option, and its async
 * reader, which honours it, hangs (a wasm panic escapes the promise) on some corrupt pages where
 * the synchronous reader returns a clean error. Slicing the file ourselves gives column
 * projection, row-group selection and clean errors, and copies only the needed column chunks
 * into wasm memory.
 *
 * Contract:
 *  - readParquetFooter(bytes, what) parses the footer; malformed or truncated files -> LoadError
 *    FILE_CORRUPT naming `what`. `leafNames` is null when the schema is nested.
 *  - parquetTailLength(tail8) and parquetRowCount(tail, what) read a file's row count from its
 *    end alone (the footer and the 8 bytes after it), so a planner can size a file without
 *    fetching it: parquetTailLength says how many bytes from the end hold the footer.
 *  - sliceParquet(footer, { rowGroups, columns, arrowSchema }) returns a valid Parquet file with
 *    the chosen row groups (default all) and leaf columns (default all; flat schemas only),
 *    their column chunks copied and the offsets in the footer moved to match. Page indexes,
 *    bloom filters and sorting columns are dropped. When columns are projected the
 *    'ARROW:schema' entry is replaced by `arrowSchema` (dropped when null).
 */
import { LoadError, NotSupportedError } from '../errors/firn-error.js';

const T = { STOP: 0, TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

/** A field of a Thrift struct: id, compact type and the span of its value bytes. */
type TField = { id: number; type: number; start: number; end: number };

class ThriftError extends Error {}

class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly limit: number,
  ) {}
  byte(): number {
    if (this.pos >= this.limit) throw new ThriftError('footer ends early');
    return this.buf[this.pos++];
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return v;
      mul *= 128;
    }
    throw new ThriftError('varint too long');
  }
  zigzag(): number {
    const u = this.varint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  skip(type: number): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
      case T.BYTE:
        if (type === T.BYTE) this.byte();
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint();
        return;
      case T.DOUBLE:
        this.advance(8);
        return;
      case T.BINARY:
        this.advance(this.varint());
        return;
      case T.LIST:
      case T.SET: {
        const { size, elemType } = this.listHeader();
        for (let i = 0; i < size; i++) this.skipElement(elemType);
        return;
      }
      case T.MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skipElement(kv >> 4);
          this.skipElement(kv & 0x0f);
        }
        return;
      }
      case T.STRUCT:
        this.struct();
        return;
      default:
        throw new ThriftError(`unknown Thrift type ${type}`);
    }
  }
  /** In collections booleans take one byte. */
  skipElement(type: number): void {
    if (type === T.TRUE || type === T.FALSE) this.byte();
    else this.skip(type);
  }
  advance(n: number): void {
    if (this.pos + n > this.limit) throw new ThriftError('footer ends early');
    this.pos += n;
  }
  listHeader(): { size: number; elemType: number } {
    const b = this.byte();
    const size = b >> 4 === 15 ? this.varint() : b >> 4;
    return { size, elemType: b & 0x0f };
  }
  struct(): TField[] {
    const fields: TField[] = [];
    let last = 0;
    for (;;) {
      const b = this.byte();
      const type = b & 0x0f;
      if (type === T.STOP) return fields;
      const delta = b >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      const start = this.pos;
      this.skip(type);
      fields.push({ id, type, start, end: this.pos });
    }
  }
  /** Element spans of a list whose value starts at pos. */
  list(): { elemType: number; items: { start: number; end: number }[] } {
    const { size, elemType } = this.listHeader();
    const items: { start: number; end: number }[] = [];
    for (let i = 0; i < size; i++) {
      const start = this.pos;
      this.skipElement(elemType);
      items.push({ start, end: this.pos });
    }
    return { elemType, items };
  }
}

class Writer {
  private buf = new Uint8Array(1024);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  varint(v: number): void {
    while (v >= 128) {
      this.byte((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  binary(s: Uint8Array): void {
    this.varint(s.length);
    this.bytes(s);
  }
  listHeader(size: number, elemType: number): void {
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Writes a struct field by field, handling the compact protocol's id deltas. */
class StructWriter {
  private last = 0;
  constructor(private readonly w: Writer) {}
  header(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.w.byte((delta << 4) | type);
    else {
      this.w.byte(type);
      this.w.zigzag(id);
    }
    this.last = id;
  }
  raw(src: Uint8Array, f: TField): void {
    this.header(f.id, f.type);
    this.w.bytes(src.subarray(f.start, f.end));
  }
  i64(id: number, v: number): void {
    this.header(id, T.I64);
    this.w.zigzag(v);
  }
  i32(id: number, v: number): void {
    this.header(id, T.I32);
    this.w.zigzag(v);
  }
  end(): void {
    this.w.byte(T.STOP);
  }
}

export type ParquetColumnChunk = { start: number; length: number };
export type ParquetRowGroup = { numRows: number; chunks: ParquetColumnChunk[] };
export type ParquetFooter = {
  bytes: Uint8Array;
  numRows: number;
  rowGroups: ParquetRowGroup[];
  /** Names of the leaf columns, in order; null when the schema is nested. */
  leafNames: string[] | null;
  keyValue: Map<string, string>;
  /** Internal: the FileMetaData fields and their byte spans. */
  fields: TField[];
};

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

function fieldOf(fields: TField[], id: number): TField | undefined {
  return fields.find((f) => f.id === id);
}

function intField(buf: Uint8Array, fields: TField[], id: number, limit: number): number | undefined {
  const f = fieldOf(fields, id);
  return f === undefined ? undefined : new Reader(buf, f.start, limit).zigzag();
}

function stringField(buf: Uint8Array, fields: TField[], id: number): string | undefined {
  const f = fieldOf(fields, id);
  if (f === undefined) return undefined;
  const r = new Reader(buf, f.start, f.end);
  const n = r.varint();
  return utf8.decode(buf.subarray(r.pos, r.pos + n));
}

function parseChunk(buf: Uint8Array, span: { start: number; end: number }): ParquetColumnChunk {
  const cc = new Reader(buf, span.start, span.end).struct();
  const md = fieldOf(cc, 3);
  if (md === undefined) throw new NotSupportedError('Parquet files with column chunks in other files or encrypted columns');
  const meta = new Reader(buf, md.start, md.end).struct();
  const dict = intField(buf, meta, 11, md.end);
  const data = intField(buf, meta, 9, md.end);
  const length = intField(buf, meta, 7, md.end);
  if (data === undefined || length === undefined) throw new ThriftError('column chunk without data page offset or size');
  // Same rule as the Rust parquet reader: the chunk starts at its dictionary page when it has one.
  return { start: dict ?? data, length };
}

export function readParquetFooter(bytes: Uint8Array, what: string): ParquetFooter {
  const n = bytes.length;
  const magic = (at: number) => bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
  if (n < 12 || !magic(0) || !magic(n - 4)) throw new LoadError('FILE_CORRUPT', `file ${what} is not a Parquet file (missing PAR1 magic)`);
  const metaLength = bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24);
  const metaStart = n - 8 - metaLength;
  if (metaLength <= 0 || metaStart < 4) throw new LoadError('FILE_CORRUPT', `file ${what} has a corrupt Parquet footer length`);
  try {
    const fields = new Reader(bytes, metaStart, n - 8).struct();
    const numRows = intField(bytes, fields, 3, n - 8) ?? 0;
    const schemaField = fieldOf(fields, 2);
    if (schemaField === undefined) throw new ThriftError('no schema');
    const elements = new Reader(bytes, schemaField.start, schemaField.end).list().items.map((it) => new Reader(bytes, it.start, it.end).struct());
    const leafCount = elements.length - 1;
    const flat = leafCount >= 0 && intField(bytes, elements[0], 5, n) === leafCount && elements.slice(1).every((e) => (intField(bytes, e, 5, n) ?? 0) === 0);
    const leafNames = flat ? elements.slice(1).map((e) => stringField(bytes, e, 4) ?? '') : null;
    const rgField = fieldOf(fields, 4);
    const rowGroups: ParquetRowGroup[] = [];
    if (rgField !== undefined) {
      for (const it of new Reader(bytes, rgField.start, rgField.end).list().items) {
        const rg = new Reader(bytes, it.start, it.end).struct();
        const colsField = fieldOf(rg, 1);
        const chunks = colsField === undefined ? [] : new Reader(bytes, colsField.start, colsField.end).list().items.map((c) => parseChunk(bytes, c));
        for (const c of chunks) {
          if (c.start < 4 || c.length < 0 || c.start + c.length > metaStart) throw new ThriftError('column chunk outside the file');
        }
        rowGroups.push({ numRows: intField(bytes, rg, 3, it.end) ?? 0, chunks });
      }
    }
    const keyValue = new Map<string, string>();
    const kvField = fieldOf(fields, 5);
    if (kvField !== undefined) {
      for (const it of new Reader(bytes, kvField.start, kvField.end).list().items) {
        const kv = new Reader(bytes, it.start, it.end).struct();
        const key = stringField(bytes, kv, 1);
        if (key !== undefined) keyValue.set(key, stringField(bytes, kv, 2) ?? '');
      }
    }
    return { bytes, numRows, rowGroups, leafNames, keyValue, fields };
  } catch (err) {
    if (err instanceof ThriftError || err instanceof RangeError) {
      throw new LoadError('FILE_CORRUPT', `file ${what} has a corrupt Parquet footer: ${err.message}`);
    }
    throw err;
  }
}

/** How many bytes at the end of a Parquet file hold its footer (with the 8 bytes after it), from those last 8 bytes; null when they are not a Parquet trailer. */
export function parquetTailLength(last8: Uint8Array): number | null {
  const n = last8.length;
  if (n < 8 || last8[n - 4] !== 0x50 || last8[n - 3] !== 0x41 || last8[n - 2] !== 0x52 || last8[n - 1] !== 0x31) return null;
  const metaLength = (last8[n - 8] | (last8[n - 7] << 8) | (last8[n - 6] << 16) | (last8[n - 5] << 24)) >>> 0;
  return metaLength > 0 ? metaLength + 8 : null;
}

/** The row count in a Parquet footer, given at least the file's last parquetTailLength bytes; a corrupt footer -> LoadError FILE_CORRUPT. */
export function parquetRowCount(tail: Uint8Array, what: string): number {
  const length = parquetTailLength(tail);
  if (length === null || length > tail.length) throw new LoadError('FILE_CORRUPT', `file ${what} has a corrupt Parquet footer length`);
  const n = tail.length;
  try {
    return intField(tail, new Reader(tail, n - length, n - 8).struct(), 3, n - 8) ?? 0;
  } catch (err) {
    if (err instanceof ThriftError || err instanceof RangeError) throw new LoadError('FILE_CORRUPT', `file ${what} has a corrupt Parquet footer: ${err.message}`);
    throw err;
  }
}

function rewriteColumnMeta(src: Uint8Array, span: { start: number; end: number }, shift: number, w: Writer): void {
  const sw = new StructWriter(w);
  for (const f of new Reader(src, span.start, span.end).struct()) {
    if (f.id === 9 || f.id === 10 || f.id === 11) sw.i64(f.id, new Reader(src, f.start, f.end).zigzag() + shift);
    else if (f.id === 14 || f.id === 15) continue; // bloom filter: not copied
    else sw.raw(src, f);
  }
  sw.end();
}

function rewriteColumnChunk(src: Uint8Array, span: { start: number; end: number }, shift: number, w: Writer): void {
  const sw = new StructWriter(w);
  for (const f of new Reader(src, span.start, span.end).struct()) {
    if (f.id === 2) {
      const old = new Reader(src, f.start, f.end).zigzag();
      sw.i64(2, old === 0 ? 0 : old + shift);
    } else if (f.id === 3) {
      sw.header(3, T.STRUCT);
      rewriteColumnMeta(src, f, shift, w);
    } else if (f.id >= 4 && f.id <= 7) {
      continue; // page index: not copied
    } else {
      sw.raw(src, f);
    }
  }
  sw.end();
}

/**
 * Puts the footer's key-value entries in a fixed order, in place: `first` keys in that order,
 * then the others as they were. Same bytes, permuted, so nothing else in the file moves.
 */
export function orderKeyValueMetadata(bytes: Uint8Array, first: string[]): void {
  const footer = readParquetFooter(bytes, 'a new partition');
  const kvField = fieldOf(footer.fields, 5);
  if (kvField === undefined) return;
  const items = new Reader(bytes, kvField.start, kvField.end).list().items;
  if (items.length < 2) return;
  const keyOf = (it: { start: number; end: number }) => stringField(bytes, new Reader(bytes, it.start, it.end).struct(), 1) ?? '';
  const rank = (it: { start: number; end: number }) => {
    const r = first.indexOf(keyOf(it));
    return r < 0 ? first.length : r;
  };
  const ordered = items.map((it, i) => ({ it, i, r: rank(it) })).sort((a, b) => a.r - b.r || a.i - b.i);
  const from = items[0].start;
  const region = bytes.slice(from, items[items.length - 1].end);
  let at = from;
  for (const { it } of ordered) {
    bytes.set(region.subarray(it.start - from, it.end - from), at);
    at += it.end - it.start;
  }
}

export type SliceOptions = {
  /** Row groups to keep, in order; default all. */
  rowGroups?: number[];
  /** Leaf columns to keep (kept in file order); default all. Flat schemas only. */
  columns?: number[];
  /** Base64 ARROW:schema for the kept columns (projection only); null drops the entry. */
  arrowSchema?: string | null;
};

export function sliceParquet(footer: ParquetFooter, opts: SliceOptions): Uint8Array {
  const src = footer.bytes;
  const groups = opts.rowGroups ?? footer.rowGroups.map((_, i) => i);
  const leafCount = footer.rowGroups[0]?.chunks.length ?? footer.leafNames?.length ?? 0;
  const projected = opts.columns !== undefined;
  if (projected && footer.leafNames === null) throw new NotSupportedError('column projection of a nested Parquet schema');
  const keep = new Set(opts.columns ?? Array.from({ length: leafCount }, (_, i) => i));
  const cols = [...keep].sort((a, b) => a - b);
  if (cols.some((c) => c < 0 || c >= leafCount)) throw new ThriftError('column index out of range');

  // Data: 'PAR1' then the kept chunks, recording each chunk's shift.
  const out = new Writer();
  out.bytes(src.subarray(0, 4));
  const shifts = new Map<string, number>();
  for (const g of groups) {
    for (const c of cols) {
      const chunk = footer.rowGroups[g].chunks[c];
      shifts.set(`${g}/${c}`, out.length - chunk.start);
      out.bytes(src.subarray(chunk.start, chunk.start + chunk.length));
    }
  }

  const metaStart = out.length;
  const sw = new StructWriter(out);
  for (const f of footer.fields) {
    switch (f.id) {
      case 2: {
        if (!projected) {
          sw.raw(src, f);
          break;
        }
        const items = new Reader(src, f.start, f.end).list().items;
        sw.header(2, T.LIST);
        out.listHeader(cols.length + 1, T.STRUCT);
        const root = new StructWriter(out);
        for (const rf of new Reader(src, items[0].start, items[0].end).struct()) {
          if (rf.id === 5) root.i32(5, cols.length);
          else root.raw(src, rf);
        }
        root.end();
        for (const c of cols) out.bytes(src.subarray(items[c + 1].start, items[c + 1].end));
        break;
      }
      case 3:
        sw.i64(3, groups.reduce((s, g) => s + footer.rowGroups[g].numRows, 0));
        break;
      case 4: {
        const items = new Reader(src, f.start, f.end).list().items;
        sw.header(4, T.LIST);
        out.listHeader(groups.length, T.STRUCT);
        for (const g of groups) {
          const rgw = new StructWriter(out);
          for (const rf of new Reader(src, items[g].start, items[g].end).struct()) {
            if (rf.id === 1) {
              const chunks = new Reader(src, rf.start, rf.end).list().items;
              rgw.header(1, T.LIST);
              out.listHeader(cols.length, T.STRUCT);
              for (const c of cols) rewriteColumnChunk(src, chunks[c], shifts.get(`${g}/${c}`)!, out);
            } else if (rf.id === 2 || rf.id === 3) {
              rgw.raw(src, rf);
            }
          }
          rgw.end();
        }
        break;
      }
      case 5: {
        const items = new Reader(src, f.start, f.end).list().items;
        const kept: Uint8Array[] = [];
        for (const it of items) {
          const kv = new Reader(src, it.start, it.end).struct();
          if (projected && stringField(src, kv, 1) === 'ARROW:schema') continue;
          kept.push(src.subarray(it.start, it.end));
        }
        if (projected && opts.arrowSchema) {
          const kw = new Writer();
          const ks = new StructWriter(kw);
          ks.header(1, T.BINARY);
          kw.binary(utf8enc.encode('ARROW:schema'));
          ks.header(2, T.BINARY);
          kw.binary(utf8enc.encode(opts.arrowSchema));
          ks.end();
          kept.push(kw.result());
        }
        sw.header(5, T.LIST);
        out.listHeader(kept.length, T.STRUCT);
        for (const k of kept) out.bytes(k);
        break;
      }
      case 7: {
        if (!projected) {
          sw.raw(src, f);
          break;
        }
        const { elemType, items } = new Reader(src, f.start, f.end).list();
        sw.header(7, T.LIST);
        out.listHeader(cols.length, elemType);
        for (let i = 0; i < items.length; i++) if (keep.has(i)) out.bytes(src.subarray(items[i].start, items[i].end));
        break;
      }
      default:
        sw.raw(src, f);
    }
  }
  sw.end();
  const metaLength = out.length - metaStart;
  out.bytes(new Uint8Array([metaLength & 0xff, (metaLength >> 8) & 0xff, (metaLength >> 16) & 0xff, (metaLength >>> 24) & 0xff]));
  out.bytes(src.subarray(0, 4));
  return out.result();
}
