/**
 * INFORMATION_SCHEMA.COLUMNS: a row for each column of each live table of the database that
 * the role sees (as INFORMATION_SCHEMA.TABLES), in table order, with Snowflake's columns: the
 * type's facets from column-facets.ts (DATA_TYPE TEXT for VARCHAR, lengths, precision, scale;
 * DATETIME_PRECISION the fraction digits of a TIMESTAMP_NTZ), COLUMN_DEFAULT the DEFAULT as a SQL
 * literal (or `DB.S.SEQ.NEXTVAL`), IS_NULLABLE 'YES' | 'NO'. An identity column (AUTOINCREMENT)
 * has IS_IDENTITY 'YES' and its IDENTITY_START, IDENTITY_INCREMENT, IDENTITY_ORDERED ('YES' | 'NO')
 * and IDENTITY_CYCLE 'NO'; other columns 'NO' and nulls. The columns Snowflake marks "not
 * applicable" are null; Firn has no collations or column comments.
 * The columns of the database's INFORMATION_SCHEMA views are listed first, as Snowflake lists them.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import { columnDefaultText, columnFacets, sequenceDefaultText } from './column-facets.js';
import type { ColumnInfo } from '../../catalog/catalog.js';
import type { SystemCell, SystemView } from './system-view-contract.js';

/** The reserved schema's name, as system-view.ts resolves it (not imported: system-view.ts imports this file). */
const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

const text = Types.varchar;
const number = Types.number(38, 0);

/** The "not applicable" columns between DATETIME_PRECISION and IS_IDENTITY, all null. */
const NOT_APPLICABLE: Column[] = [
  ['INTERVAL_TYPE', text],
  ['INTERVAL_PRECISION', number],
  ['CHARACTER_SET_CATALOG', text],
  ['CHARACTER_SET_SCHEMA', text],
  ['CHARACTER_SET_NAME', text],
  ['COLLATION_CATALOG', text],
  ['COLLATION_SCHEMA', text],
  ['COLLATION_NAME', text],
  ['DOMAIN_CATALOG', text],
  ['DOMAIN_SCHEMA', text],
  ['DOMAIN_NAME', text],
  ['UDT_CATALOG', text],
  ['UDT_SCHEMA', text],
  ['UDT_NAME', text],
  ['SCOPE_CATALOG', text],
  ['SCOPE_SCHEMA', text],
  ['SCOPE_NAME', text],
  ['MAXIMUM_CARDINALITY', number],
  ['DTD_IDENTIFIER', text],
  ['IS_SELF_REFERENCING', text],
].map(([name, type]) => ({ name: name as string, type: type as Column['type'], nullable: true }));

/** The identity columns after IS_IDENTITY, null for a column that is no identity. */
const IDENTITY: Column[] = [
  ['IDENTITY_GENERATION', text],
  ['IDENTITY_START', text],
  ['IDENTITY_INCREMENT', text],
  ['IDENTITY_MAXIMUM', text],
  ['IDENTITY_MINIMUM', text],
  ['IDENTITY_CYCLE', text],
  ['IDENTITY_ORDERED', text],
].map(([name, type]) => ({ name: name as string, type: type as Column['type'], nullable: true }));

const COLUMNS: Column[] = [
  { name: 'TABLE_CATALOG', type: text, nullable: false },
  { name: 'TABLE_SCHEMA', type: text, nullable: false },
  { name: 'TABLE_NAME', type: text, nullable: false },
  { name: 'COLUMN_NAME', type: text, nullable: false },
  { name: 'ORDINAL_POSITION', type: number, nullable: false },
  { name: 'COLUMN_DEFAULT', type: text, nullable: true },
  { name: 'IS_NULLABLE', type: text, nullable: false },
  { name: 'DATA_TYPE', type: text, nullable: false },
  { name: 'CHARACTER_MAXIMUM_LENGTH', type: number, nullable: true },
  { name: 'CHARACTER_OCTET_LENGTH', type: number, nullable: true },
  { name: 'NUMERIC_PRECISION', type: number, nullable: true },
  { name: 'NUMERIC_PRECISION_RADIX', type: number, nullable: true },
  { name: 'NUMERIC_SCALE', type: number, nullable: true },
  { name: 'DATETIME_PRECISION', type: number, nullable: true },
  ...NOT_APPLICABLE,
  { name: 'IS_IDENTITY', type: text, nullable: false },
  ...IDENTITY,
  { name: 'COMMENT', type: text, nullable: true },
];

const big = (n: number | null): bigint | null => (n === null ? null : BigInt(n));

export const columnsView: SystemView = {
  name: 'COLUMNS',
  columns: COLUMNS,
  rows: (catalog, database, _retention, sees, views) => {
    const rows: SystemCell[][] = [];
    const add = (schema: string, table: string, columns: readonly Pick<ColumnInfo, 'name' | 'type' | 'nullable' | 'default' | 'sequence'>[]) =>
      columns.forEach((c, i) => {
        const f = columnFacets(c.type);
        const identity = c.sequence?.identity ? catalog.sequences.getSequenceById(c.sequence.id) : null;
        rows.push([
          database,
          schema,
          table,
          c.name,
          BigInt(i + 1),
          sequenceDefaultText(c, catalog.sequences) ?? columnDefaultText(c),
          c.nullable ? 'YES' : 'NO',
          f.dataType,
          big(f.characterMaximumLength),
          big(f.characterOctetLength),
          big(f.numericPrecision),
          big(f.numericPrecisionRadix),
          big(f.numericScale),
          big(f.datetimePrecision),
          ...NOT_APPLICABLE.map(() => null),
          identity ? 'YES' : 'NO',
          ...(identity ? [null, String(identity.start), String(identity.increment), null, null, 'NO', identity.ordered ? 'YES' : 'NO'] : IDENTITY.map(() => null)),
          null,
        ]);
      });
    for (const v of views) add(INFORMATION_SCHEMA, v.name, v.columns.map((c) => ({ ...c, default: null })));
    for (const schema of catalog.listSchemas(database)) {
      for (const t of catalog.listTables(database, schema.name)) {
        const listed = sees.listed(t.name);
        if (listed && sees.table(t)) add(schema.name, listed.name, t.columns);
      }
      for (const v of catalog.views.listViews(schema.id)) {
        const listed = sees.listed(v.name);
        if (listed && sees.view(v, schema)) add(schema.name, listed.name, v.columns.map((c) => ({ ...c, nullable: true, default: null })));
      }
    }
    return rows;
  },
};
