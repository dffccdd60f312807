/**
 * Firn columns <-> Arrow fields: the Firn DataType of a column travels in the field metadata
 * under 'firn.type' (JSON), so NUMBER(p,s), VARCHAR(n) and the like survive Arrow IPC and
 * Parquet (whose writer keeps the Arrow schema, field metadata included).
 *
 * Contract: columnToField keeps name and nullability; firnTypeOfField returns the stored type,
 * or null when the field carries none (a file written elsewhere); a malformed stored type is a
 * LoadError FILE_CORRUPT naming `what`.
 */
import { Field, type DataType as ArrowType } from 'apache-arrow';
import { LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';

export const FIRN_TYPE_KEY = 'firn.type';

export function columnToField(column: Column, arrowType: ArrowType, extra?: Record<string, string>): Field {
  const metadata = new Map<string, string>([[FIRN_TYPE_KEY, JSON.stringify(column.type)]]);
  if (extra) for (const [k, v] of Object.entries(extra)) metadata.set(k, v);
  return new Field(column.name, arrowType, column.nullable, metadata);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Parses and checks a DataType written by Firn (JSON). */
export function parseDataType(text: string, what: string): DataType {
  let t: unknown;
  try {
    t = JSON.parse(text);
  } catch {
    throw new LoadError('FILE_CORRUPT', `malformed Firn type metadata in ${what}`);
  }
  const o = t as Record<string, unknown> | null;
  const kind = o && typeof o === 'object' ? o.kind : undefined;
  switch (kind) {
    case 'BOOLEAN':
    case 'FLOAT':
    case 'DATE':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'NULL':
      return { kind };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
    case 'TIME':
      if (o!.precision === undefined) return { kind };
      if (isInt(o!.precision, 0, 9)) return { kind, precision: o!.precision as number };
      break;
    case 'NUMBER':
      if (isInt(o!.precision, 1, 38) && isInt(o!.scale, 0, o!.precision as number)) {
        return { kind, precision: o!.precision as number, scale: o!.scale as number };
      }
      break;
    case 'VARCHAR':
    case 'BINARY':
      if (o!.length === undefined) return { kind };
      if (isInt(o!.length, 1, Number.MAX_SAFE_INTEGER)) return { kind, length: o!.length as number };
      break;
  }
  throw new LoadError('FILE_CORRUPT', `malformed Firn type metadata in ${what}: ${text.slice(0, 100)}`);
}

export function firnTypeOfField(field: Field, what: string): DataType | null {
  const text = field.metadata.get(FIRN_TYPE_KEY);
  return text === undefined ? null : parseDataType(text, `${what}, column ${field.name}`);
}
