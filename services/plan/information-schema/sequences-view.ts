/**
 * INFORMATION_SCHEMA.SEQUENCES: a row for each named sequence of the database that the role sees
 * (USAGE on its database and schema and any privilege on it), by schema and name, with
 * Snowflake's columns: the data type is NUMBER(38,0) (precision 38, radix 10, scale 0); START_VALUE,
 * NEXT_VALUE and INCREMENT as text, as Snowflake gives them; MINIMUM_VALUE, MAXIMUM_VALUE and
 * CYCLE_OPTION are "not applicable" in Snowflake (null, null, 'NO'); ORDERED 'YES' | 'NO'. CREATED
 * is its creation, LAST_ALTERED its last ALTER (or creation); times are TIMESTAMP_NTZ in UTC.
 * Identity columns' own sequences are not listed.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemCell, SystemView } from './system-view-contract.js';

const text = Types.varchar;
const number = Types.number(38, 0);
const ts = Types.timestampNtz;

const COLUMNS: Column[] = [
  ['SEQUENCE_CATALOG', text, false],
  ['SEQUENCE_SCHEMA', text, false],
  ['SEQUENCE_NAME', text, false],
  ['SEQUENCE_OWNER', text, true],
  ['DATA_TYPE', text, false],
  ['NUMERIC_PRECISION', number, false],
  ['NUMERIC_PRECISION_RADIX', number, false],
  ['NUMERIC_SCALE', number, false],
  ['START_VALUE', text, false],
  ['MINIMUM_VALUE', text, true],
  ['MAXIMUM_VALUE', text, true],
  ['NEXT_VALUE', text, false],
  ['INCREMENT', text, false],
  ['CYCLE_OPTION', text, false],
  ['CREATED', ts, false],
  ['LAST_ALTERED', ts, false],
  ['ORDERED', text, false],
  ['COMMENT', text, true],
].map(([name, type, nullable]) => ({ name: name as string, type: type as Column['type'], nullable: nullable as boolean }));

export const sequencesView: SystemView = {
  name: 'SEQUENCES',
  columns: COLUMNS,
  rows: (catalog, database, _retention, sees) => {
    const rows: SystemCell[][] = [];
    for (const schema of catalog.listSchemas(database)) {
      for (const q of catalog.sequences.listSequences(schema.id)) {
        if (!sees.sequence(q, schema)) continue;
        const owner = catalog.grants.ownerOf('SEQUENCE', q.id) ?? q.owner;
        rows.push([
          database, schema.name, q.name, owner, 'NUMBER', 38n, 10n, 0n, String(q.start), null, null, String(q.next), String(q.increment), 'NO',
          q.createdAt, q.alteredAt, q.ordered ? 'YES' : 'NO', q.comment,
        ]);
      }
    }
    return rows;
  },
};
