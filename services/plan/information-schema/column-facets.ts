/**
 * How a table column describes itself to metadata readers: the facets of its type that
 * INFORMATION_SCHEMA.COLUMNS lists (Snowflake's DATA_TYPE name, lengths, precision, scale),
 * the JSON `data_type` SHOW COLUMNS prints, and its DEFAULT as a SQL literal (also DESCRIBE
 * TABLE's `default`). One module so the three answers never disagree about a type.
 *
 * Contract: `columnFacets(type)` gives Snowflake's standard type name (VARCHAR is TEXT,
 * FLOAT is FLOAT, NUMBER(p,s) is NUMBER) and null for each facet that does not apply to the
 * type; `showColumnsDataType` the JSON Snowflake's SHOW COLUMNS gives (FIXED, TEXT, REAL, DATE,
 * TIMESTAMP_NTZ, TIME, BOOLEAN); `columnDefaultText` null for a column without a DEFAULT.
 * A column whose DEFAULT is a sequence's: `sequenceDefaultText` is `DB.S.SEQ.NEXTVAL` (null once
 * the sequence is dropped), `identityText` Snowflake's `IDENTITY START s INCREMENT i ORDER | NOORDER`;
 * `describedDefault` is what DESCRIBE TABLE shows, either of them or the constant.
 */
import { MAX_BINARY_LENGTH, MAX_VARCHAR_LENGTH, timestampPrecision, type DataType } from '../../../storage/types/data-type.js';
import { formatDate, formatDecimal, formatTime, formatTimestampNanos } from '../../../storage/types/value-text.js';
import type { ColumnInfo } from '../../catalog/catalog.js';
import type { SequenceStore } from '../../catalog/sequence-store.js';
import { hexOfBytes } from '../../../storage/types/binary-text.js';

/** Bytes per character Snowflake counts for a string column's CHARACTER_OCTET_LENGTH (UTF-8's largest), capped at the largest VARCHAR. */
const OCTETS_PER_CHAR = 4;

export type ColumnFacets = {
  dataType: string;
  characterMaximumLength: number | null;
  characterOctetLength: number | null;
  numericPrecision: number | null;
  numericPrecisionRadix: number | null;
  numericScale: number | null;
  datetimePrecision: number | null;
};

export function columnFacets(type: DataType): ColumnFacets {
  const none: ColumnFacets = {
    dataType: type.kind,
    characterMaximumLength: null,
    characterOctetLength: null,
    numericPrecision: null,
    numericPrecisionRadix: null,
    numericScale: null,
    datetimePrecision: null,
  };
  switch (type.kind) {
    case 'VARCHAR': {
      const length = type.length ?? MAX_VARCHAR_LENGTH;
      return { ...none, dataType: 'TEXT', characterMaximumLength: length, characterOctetLength: Math.min(length * OCTETS_PER_CHAR, MAX_VARCHAR_LENGTH) };
    }
    case 'BINARY': {
      const length = type.length ?? MAX_BINARY_LENGTH;
      return { ...none, characterMaximumLength: length, characterOctetLength: length };
    }
    case 'NUMBER':
      return { ...none, numericPrecision: type.precision, numericPrecisionRadix: 10, numericScale: type.scale };
    case 'TIMESTAMP_NTZ':
    case 'TIME':
      return { ...none, datetimePrecision: timestampPrecision(type) };
    default:
      return none;
  }
}

/** SHOW COLUMNS's `data_type`: Snowflake's JSON description of the column's type. */
export function showColumnsDataType(type: DataType, nullable: boolean): string {
  switch (type.kind) {
    case 'NUMBER':
      return JSON.stringify({ type: 'FIXED', precision: type.precision, scale: type.scale, nullable });
    case 'FLOAT':
      return JSON.stringify({ type: 'REAL', nullable });
    case 'VARCHAR': {
      const length = type.length ?? MAX_VARCHAR_LENGTH;
      return JSON.stringify({ type: 'TEXT', length, byteLength: Math.min(length * OCTETS_PER_CHAR, MAX_VARCHAR_LENGTH), nullable, fixed: false });
    }
    case 'TIMESTAMP_NTZ':
    case 'TIME':
      return JSON.stringify({ type: type.kind, precision: 0, scale: timestampPrecision(type), nullable });
    case 'BINARY': {
      const length = type.length ?? MAX_BINARY_LENGTH;
      return JSON.stringify({ type: 'BINARY', length, byteLength: length, nullable, fixed: false });
    }
    default:
      return JSON.stringify({ type: type.kind, nullable });
  }
}

/** The column's DEFAULT (ALTER TABLE ... ADD COLUMN ... DEFAULT) as a SQL literal, null without one. */
export function columnDefaultText(c: Pick<ColumnInfo, 'type' | 'default'>): string | null {
  const d = c.default;
  if (d === null) return null;
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  switch (c.type.kind) {
    case 'NUMBER':
      return formatDecimal(BigInt(d as string | number), c.type.scale);
    case 'BOOLEAN':
      return d ? 'TRUE' : 'FALSE';
    case 'DATE':
      return quote(formatDate(d as number));
    case 'TIMESTAMP_NTZ':
      return quote(formatTimestampNanos(BigInt(d as string | number)));
    case 'TIME':
      return quote(formatTime(d as number));
    case 'VARCHAR':
      return quote(String(d));
    case 'BINARY':
      return `X'${hexOfBytes(String(d))}'`;
    default:
      return String(d);
  }
}

/** An identity column's generator as Snowflake spells it (DESCRIBE TABLE's default, SHOW COLUMNS' autoincrement), else null. */
export function identityText(c: Pick<ColumnInfo, 'sequence'>, sequences: SequenceStore): string | null {
  if (!c.sequence?.identity) return null;
  const seq = sequences.getSequenceById(c.sequence.id);
  return seq ? `IDENTITY START ${seq.start} INCREMENT ${seq.increment} ${seq.ordered ? 'ORDER' : 'NOORDER'}` : null;
}

/** DEFAULT seq.NEXTVAL as `DB.S.SEQ.NEXTVAL`; null for another column or when the sequence is gone. */
export function sequenceDefaultText(c: Pick<ColumnInfo, 'sequence'>, sequences: SequenceStore): string | null {
  if (!c.sequence || c.sequence.identity) return null;
  const name = sequences.qualifiedName(c.sequence.id);
  return name === null ? null : `${name}.NEXTVAL`;
}

/** What DESCRIBE TABLE shows as the column's default: its identity generator, its sequence's NEXTVAL, or its constant. */
export function describedDefault(c: Pick<ColumnInfo, 'type' | 'default' | 'sequence'>, sequences: SequenceStore): string | null {
  return identityText(c, sequences) ?? sequenceDefaultText(c, sequences) ?? columnDefaultText(c);
}
