/**
 * A statement's Arrow result (services/result/encode-arrow-stream.ts) as the page's columns:
 * each column's values read once from the record batches into one array, with its Snowflake
 * type label (from the field's 'firn.type') and the functions the table, chart and CSV use.
 *
 * Contract:
 * - kinds by Arrow type: Int64 -> 'int' (bigint), Decimal -> 'decimal' (bigint, the scaled
 *   integer, with `scale`), Float64 -> 'float', Utf8 -> 'text', Bool -> 'bool', Date32 ->
 *   'date' (days since 1970-01-01), Timestamp -> 'timestamp' (bigint in 1/`unitsPerSecond` s),
 *   Time64 -> 'time' (bigint nanoseconds since midnight, shown HH:MM:SS[.fraction of TIME(p)]),
 *   Null -> 'null'. SQL NULL is null in every kind.
 * - `displayValue`: NUMBER exactly (decimals with their scale's digits), DATE as YYYY-MM-DD,
 *   TIMESTAMP_NTZ as YYYY-MM-DD HH:MM:SS[.fraction] with the digits of its scale (no time
 *   zone: the wall-clock value), NULL as "" (the table shows it as a NULL marker).
 * - `numericValue` (charts): numbers, dates and timestamps as epoch milliseconds, else null.
 * - `compareRows` orders NULLs last, numbers by value (exact for int/decimal), text by code units.
 */
import { type Table, type Field, type Data } from 'apache-arrow';

export type ValueKind = 'int' | 'decimal' | 'float' | 'text' | 'bool' | 'date' | 'timestamp' | 'time' | 'null';
export type Value = number | bigint | string | boolean | null;

export type ResultColumn = {
  name: string;
  /** The SQL type as DESCRIBE shows it: NUMBER(12,2), VARCHAR, DATE, TIMESTAMP_NTZ(3)... */
  typeLabel: string;
  kind: ValueKind;
  values: Value[];
  scale: number;
  unitsPerSecond: number;
};

type FirnType = { kind: string; precision?: number; scale?: number; length?: number };

const MS_PER_DAY = 86_400_000;

export function resultColumns(table: Table): ResultColumn[] {
  return table.schema.fields.map((field, i) => readColumn(field, table.getChildAt(i)!.data as Data[]));
}

function typeLabelOf(field: Field, kind: ValueKind, scale: number, unitsPerSecond: number): string {
  const meta = field.metadata.get('firn.type');
  if (meta) {
    const t = JSON.parse(meta) as FirnType;
    if (t.kind === 'NUMBER') return `NUMBER(${t.precision},${t.scale})`;
    if (t.kind === 'TIMESTAMP_NTZ' || t.kind === 'TIME') return `${t.kind}(${t.precision ?? 9})`;
    return t.kind;
  }
  switch (kind) {
    case 'int':
      return 'NUMBER(18,0)';
    case 'decimal':
      return `NUMBER(38,${scale})`;
    case 'float':
      return 'FLOAT';
    case 'text':
      return 'VARCHAR';
    case 'bool':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return `TIMESTAMP_NTZ(${Math.round(Math.log10(unitsPerSecond))})`;
    case 'time':
      return 'TIME(9)';
    default:
      return 'NULL';
  }
}

function kindOf(field: Field): { kind: ValueKind; scale: number; unitsPerSecond: number } {
  const t = field.type as { typeId: number; scale?: number; unit?: number };
  const name = String(field.type);
  if (name === 'Int64') return { kind: 'int', scale: 0, unitsPerSecond: 1 };
  if (name.startsWith('Decimal')) return { kind: 'decimal', scale: t.scale ?? 0, unitsPerSecond: 1 };
  if (name.startsWith('Float')) return { kind: 'float', scale: 0, unitsPerSecond: 1 };
  if (name === 'Utf8') return { kind: 'text', scale: 0, unitsPerSecond: 1 };
  if (name === 'Bool') return { kind: 'bool', scale: 0, unitsPerSecond: 1 };
  if (name.startsWith('Date32')) return { kind: 'date', scale: 0, unitsPerSecond: 1 };
  if (name.startsWith('Timestamp')) return { kind: 'timestamp', scale: 0, unitsPerSecond: 10 ** (3 * (t.unit ?? 0)) };
  if (name === 'Time64<NANOSECOND>') return { kind: 'time', scale: 0, unitsPerSecond: 1_000_000_000 };
  return { kind: 'null', scale: 0, unitsPerSecond: 1 };
}

function readColumn(field: Field, chunks: Data[]): ResultColumn {
  const { kind, scale, unitsPerSecond } = kindOf(field);
  const values: Value[] = [];
  for (const data of chunks) {
    const n = data.length;
    const off = data.offset;
    const valid = (j: number) => data.nullCount === 0 || data.getValid(j);
    switch (kind) {
      case 'int':
      case 'timestamp':
      case 'time': {
        const v = data.values as BigInt64Array;
        for (let j = 0; j < n; j++) values.push(valid(j) ? v[off + j]! : null);
        break;
      }
      case 'decimal': {
        const w = data.values as Uint32Array;
        for (let j = 0; j < n; j++) {
          if (!valid(j)) {
            values.push(null);
            continue;
          }
          const o = (off + j) * 4;
          values.push(BigInt.asIntN(128, (BigInt(w[o + 3]!) << 96n) | (BigInt(w[o + 2]!) << 64n) | (BigInt(w[o + 1]!) << 32n) | BigInt(w[o]!)));
        }
        break;
      }
      case 'float':
      case 'date': {
        const v = data.values as Float64Array | Int32Array;
        for (let j = 0; j < n; j++) values.push(valid(j) ? v[off + j]! : null);
        break;
      }
      case 'text':
      case 'bool': {
        for (let j = 0; j < n; j++) values.push(valid(j) ? (readScalar(data, j) as Value) : null);
        break;
      }
      default:
        for (let j = 0; j < n; j++) values.push(null);
    }
  }
  return { name: field.name, typeLabel: typeLabelOf(field, kind, scale, unitsPerSecond), kind, values, scale, unitsPerSecond };
}

/** A Utf8 or Bool value of one data chunk. */
function readScalar(data: Data, j: number): string | boolean {
  const i = data.offset + j;
  if (String(data.type) === 'Bool') return ((data.values as Uint8Array)[i >> 3]! & (1 << (i & 7))) !== 0;
  const offsets = data.valueOffsets as Int32Array;
  return TEXT.decode((data.values as Uint8Array).subarray(offsets[j + data.offset]!, offsets[j + data.offset + 1]!));
}

const TEXT = new TextDecoder();

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian, years 0001..9999 as four digits). */
export function formatDate(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** A timestamp in 1/unitsPerSecond s as YYYY-MM-DD HH:MM:SS[.fraction of `digits`]. */
export function formatTimestamp(value: bigint, unitsPerSecond: number, digits: number): string {
  const units = BigInt(unitsPerSecond);
  let secs = value / units;
  let frac = value % units;
  if (frac < 0n) {
    frac += units;
    secs -= 1n;
  }
  const s = Number(secs);
  const days = Math.floor(s / 86_400);
  const inDay = s - days * 86_400;
  const time = `${pad(Math.floor(inDay / 3600), 2)}:${pad(Math.floor((inDay % 3600) / 60), 2)}:${pad(inDay % 60, 2)}`;
  const width = Math.round(Math.log10(unitsPerSecond));
  const fraction = digits > 0 ? `.${pad(frac, width).padEnd(digits, '0').slice(0, digits)}` : '';
  return `${formatDate(days)} ${time}${fraction}`;
}

/** Nanoseconds since midnight as HH:MM:SS[.fraction of `digits`]. */
export function formatTime(nanos: bigint, digits: number): string {
  const s = Number(nanos / 1_000_000_000n);
  const time = `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor((s % 3600) / 60), 2)}:${pad(s % 60, 2)}`;
  return digits > 0 ? `${time}.${pad(nanos % 1_000_000_000n, 9).slice(0, digits)}` : time;
}

/** A scaled integer as a decimal with exactly `scale` fraction digits. */
export function formatDecimal(scaled: bigint, scale: number): string {
  if (scale === 0) return String(scaled);
  const negative = scaled < 0n;
  const digits = String(negative ? -scaled : scaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function timestampDigits(col: ResultColumn): number {
  const m = /\((\d)\)/.exec(col.typeLabel);
  return m ? Number(m[1]) : Math.round(Math.log10(col.unitsPerSecond));
}

export function displayValue(col: ResultColumn, row: number): string {
  const v = col.values[row];
  if (v === null || v === undefined) return '';
  switch (col.kind) {
    case 'decimal':
      return formatDecimal(v as bigint, col.scale);
    case 'date':
      return formatDate(v as number);
    case 'timestamp':
      return formatTimestamp(v as bigint, col.unitsPerSecond, timestampDigits(col));
    case 'time':
      return formatTime(v as bigint, timestampDigits(col));
    case 'float': {
      const f = v as number;
      return Number.isNaN(f) ? 'NaN' : f === Infinity ? 'inf' : f === -Infinity ? '-inf' : String(f);
    }
    default:
      return String(v);
  }
}

export function numericValue(col: ResultColumn, row: number): number | null {
  const v = col.values[row];
  if (v === null || v === undefined) return null;
  switch (col.kind) {
    case 'int':
      return Number(v);
    case 'decimal':
      return Number(v as bigint) / 10 ** col.scale;
    case 'float':
      return v as number;
    case 'date':
      return (v as number) * MS_PER_DAY;
    case 'timestamp':
      // Epoch milliseconds: seconds scaled up, finer units divided down (exact in bigint first).
      return col.unitsPerSecond < 1000 ? Number(v as bigint) * 1000 : Number((v as bigint) / BigInt(col.unitsPerSecond / 1000));
    case 'time':
      // Milliseconds since midnight.
      return Number((v as bigint) / 1_000_000n);
    default:
      return null;
  }
}

export function isNumericKind(kind: ValueKind): boolean {
  return kind === 'int' || kind === 'decimal' || kind === 'float';
}

/** Compares rows a and b of a column: NULLs last, then by value. */
export function compareRows(col: ResultColumn, a: number, b: number): number {
  const x = col.values[a];
  const y = col.values[b];
  if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
  if (y === null || y === undefined) return -1;
  if (col.kind === 'bool') return Number(x) - Number(y);
  return x < y ? -1 : x > y ? 1 : 0;
}
