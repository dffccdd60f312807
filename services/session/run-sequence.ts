/**
 * Sequence statements: CREATE [OR REPLACE] SEQUENCE, ALTER SEQUENCE, DROP SEQUENCE, SHOW SEQUENCES
 * and DESCRIBE SEQUENCE. Each answers like Snowflake: a one-row `status` for DDL, Snowflake's
 * columns for SHOW and DESCRIBE (created_on, name, schema_name, database_name, next_value, interval,
 * owner, owner_role_type, comment, ordered Y | N).
 *
 * Contract:
 * - A sequence's values are 64-bit; START and INCREMENT default to 1, ORDER | NOORDER to NOORDER
 *   (Snowflake's NOORDER_SEQUENCE_AS_DEFAULT). Every sequence hands out its values through the
 *   catalog (sequence-store.ts), whichever statement takes them.
 * - CREATE records the sequence and its owner (the statement's role) in one catalog transaction;
 *   OR REPLACE starts the sequence afresh and drops the old one's grants; IF NOT EXISTS leaves an
 *   existing one alone. ALTER ... SET INCREMENT takes effect from the next value; SET ORDER of a
 *   NOORDER sequence is SEQUENCE_ORDER_CHANGE (390243), as Snowflake refuses it; RENAME TO may
 *   move it into another schema (CREATE SEQUENCE there). DROP deletes it (no UNDROP), with its
 *   grants; a column DEFAULT naming it then fails its INSERTs.
 * - Access (services/access/sequence-access.ts): CREATE needs CREATE SEQUENCE on the schema;
 *   ALTER, DROP and OR REPLACE need ownership; SHOW and DESCRIBE show only what the role sees.
 * - SHOW SEQUENCES without IN lists the current database's (the account's without one), IN
 *   SCHEMA / DATABASE / ACCOUNT as written; by database, schema and name.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { Types } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { canUseDatabase, canUseSchema, requireSchema, type AccessContext } from '../access/access-check.js';
import { containerNotFound } from '../access/access-errors.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { ownCreated } from '../access/record-ownership.js';
import { canSeeSequence, findSequence, requireCreateSequence, requireSequence, sequenceNotFound } from '../access/sequence-access.js';
import type { SchemaInfo } from '../catalog/catalog.js';
import type { SequenceRecord } from '../catalog/sequence-store.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import { status, type Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import { likeFilter } from './like-filter.js';
import type { SessionContext } from './statement-result.js';

export type SequenceStatement =
  | Extract<Statement, { kind: 'create_sequence' | 'alter_sequence' | 'drop_sequence' | 'describe_sequence' }>
  | (Extract<Statement, { kind: 'show' }> & { objectType: 'SEQUENCES' });

export function isSequenceStatement(st: Statement): st is SequenceStatement {
  switch (st.kind) {
    case 'create_sequence':
    case 'alter_sequence':
    case 'drop_sequence':
    case 'describe_sequence':
      return true;
    case 'show':
      return st.objectType === 'SEQUENCES';
    default:
      return false;
  }
}

const DONE = 'Statement executed successfully.';

export function runSequence(env: EngineEnv, st: SequenceStatement, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  switch (st.kind) {
    case 'create_sequence':
      return createSequence(env, st, ctx);
    case 'alter_sequence':
      return alterSequence(env, st, ctx);
    case 'drop_sequence': {
      const found = findSequence(ctx, st.name);
      if (!found.record || !found.schema || !canSeeSequence(ctx, found.record, found.schema)) {
        if (st.ifExists) return status(`Drop statement executed successfully (${clipValue(found.name)} already dropped).`);
        throw sequenceNotFound(found.qualified);
      }
      const { record, schema } = found;
      requireSequence(ctx, record, { schema, qualified: found.qualified }, OWNERSHIP);
      const grants = env.catalog.grants;
      grants.atomically(() => {
        env.catalog.sequences.dropSequence(schema.id, found.name);
        grants.revokeAllOn({ kind: 'SEQUENCE', objectId: record.id });
      });
      return status(`${found.name} successfully dropped.`);
    }
    case 'describe_sequence': {
      const found = findSequence(ctx, st.name);
      if (!found.record || !found.schema || !canSeeSequence(ctx, found.record, found.schema)) throw sequenceNotFound(found.qualified);
      return sequenceRows(env, [{ seq: found.record, database: found.database, schema: found.schemaName }]);
    }
    case 'show':
      return showSequences(env, st, ctx);
  }
}

function createSequence(env: EngineEnv, st: Extract<Statement, { kind: 'create_sequence' }>, ctx: AccessContext): Answer {
  const found = findSequence(ctx, st.name);
  if (!found.schema || !canUseSchema(ctx, found.schema)) throw containerNotFound('SCHEMA', `${found.database}.${found.schemaName}`);
  const schema = found.schema;
  // Replacing one needs its ownership (one the role cannot see reads as missing there).
  const old = found.record;
  requireCreateSequence(ctx, { database: found.database, schema: found.schemaName }, old && st.orReplace ? { seq: old, at: { schema, qualified: found.qualified } } : null);
  if (found.record && st.ifNotExists) return status(`${found.name} already exists, statement succeeded.`);
  const grants = env.catalog.grants;
  grants.atomically(() => {
    const made = env.catalog.sequences.createSequence(
      {
        schemaId: schema.id,
        name: found.name,
        start: BigInt(st.start),
        increment: BigInt(st.increment),
        ordered: st.ordered === true,
        comment: st.comment,
        owner: ctx.session.role ?? 'ACCOUNTADMIN',
      },
      { orReplace: st.orReplace },
    );
    if (made.replaced) grants.revokeAllOn({ kind: 'SEQUENCE', objectId: made.replaced.id });
    ownCreated(ctx, 'SEQUENCE', made.created.id);
  });
  return status(`Sequence ${found.name} successfully created.`);
}

function alterSequence(env: EngineEnv, st: Extract<Statement, { kind: 'alter_sequence' }>, ctx: AccessContext): Answer {
  const found = findSequence(ctx, st.name);
  if (!found.record || !found.schema || !canSeeSequence(ctx, found.record, found.schema)) {
    if (st.ifExists) return status(DONE);
    throw sequenceNotFound(found.qualified);
  }
  const seq = found.record;
  requireSequence(ctx, seq, { schema: found.schema, qualified: found.qualified }, OWNERSHIP);
  const a = st.action;
  switch (a.kind) {
    case 'rename': {
      // An unqualified new name stays in the sequence's schema; a qualified one moves it.
      const to = a.to.parts.length === 1 ? { database: found.database, schemaName: found.schemaName, name: a.to.parts[0] } : findSequence(ctx, a.to);
      const target = env.catalog.getSchema(to.database, to.schemaName);
      if (!target || !canUseSchema(ctx, target)) throw containerNotFound('SCHEMA', `${to.database}.${to.schemaName}`);
      if (target.id !== found.schema.id) requireSchema(ctx, to.database, to.schemaName, 'CREATE SEQUENCE');
      env.catalog.sequences.alterSequence(seq.id, { schemaId: target.id, name: to.name });
      break;
    }
    case 'set':
      if (a.ordered === true && !seq.ordered) {
        throw new CompilationError('SEQUENCE_ORDER_CHANGE', `SQL compilation error: sequence '${clipValue(found.name)}' is NOORDER and cannot be changed to ORDER.`);
      }
      env.catalog.sequences.alterSequence(seq.id, {
        ...(a.increment !== undefined ? { increment: BigInt(a.increment) } : {}),
        ...(a.ordered !== undefined ? { ordered: a.ordered } : {}),
        ...(a.comment !== undefined ? { comment: a.comment } : {}),
      });
      break;
    case 'unset_comment':
      env.catalog.sequences.alterSequence(seq.id, { comment: null });
      break;
  }
  return status(DONE);
}

type Listed = { seq: SequenceRecord; database: string; schema: string };

function showSequences(env: EngineEnv, st: Extract<Statement, { kind: 'show' }>, ctx: AccessContext): Answer {
  const cat = env.catalog;
  const session = ctx.session;
  let places: { database: string; schemas: SchemaInfo[] }[];
  const usable = (database: string) => cat.listSchemas(database).filter((s) => canUseSchema(ctx, s));
  if (st.scope === 'ACCOUNT' || (st.scope === undefined && st.in === null && session.database === null)) {
    places = cat.listDatabases().filter((d) => canUseDatabase(ctx, d)).map((d) => ({ database: d.name, schemas: usable(d.name) }));
  } else if (st.scope === 'DATABASE' || (st.scope === undefined && st.in === null)) {
    const database = st.in?.parts[0] ?? session.database;
    if (!database) throw new CompilationError('OBJECT_NOT_FOUND', "This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
    const db = cat.getDatabase(database);
    if (!db || !canUseDatabase(ctx, db)) throw containerNotFound('DATABASE', database);
    places = [{ database, schemas: usable(database) }];
  } else {
    const parts = st.in!.parts;
    const database = parts.length === 2 ? parts[0] : session.database;
    const schemaName = parts[parts.length - 1];
    if (!database) throw new CompilationError('OBJECT_NOT_FOUND', "This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
    const s = cat.getSchema(database, schemaName);
    if (!s || !canUseSchema(ctx, s)) throw containerNotFound('SCHEMA', `${database}.${schemaName}`);
    places = [{ database, schemas: [s] }];
  }
  const like = likeFilter(st.like);
  const rows: Listed[] = [];
  for (const { database, schemas } of places) {
    for (const s of [...schemas].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      for (const seq of cat.sequences.listSequences(s.id)) {
        if (like(seq.name!) && canSeeSequence(ctx, seq, s)) rows.push({ seq, database, schema: s.name });
      }
    }
  }
  return sequenceRows(env, rows);
}

const OUTPUT: [string, 'v' | 'n' | 't'][] = [
  ['created_on', 't'], ['name', 'v'], ['schema_name', 'v'], ['database_name', 'v'], ['next_value', 'n'], ['interval', 'n'],
  ['owner', 'v'], ['owner_role_type', 'v'], ['comment', 'v'], ['ordered', 'v'],
];
const COLUMNS: Column[] = OUTPUT.map(([name, k]) => ({ name, type: k === 'v' ? Types.varchar : k === 'n' ? Types.number(38, 0) : Types.timestampNtz, nullable: true }));

/** SHOW SEQUENCES' and DESCRIBE SEQUENCE's rows. */
function sequenceRows(env: EngineEnv, listed: Listed[]): Answer {
  const rows = listed.map(({ seq, database, schema }): Scalar[] => [
    BigInt(seq.createdAt.getTime()) * 1_000_000n,
    seq.name,
    schema,
    database,
    seq.next,
    seq.increment,
    env.catalog.grants.ownerOf('SEQUENCE', seq.id) ?? seq.owner,
    'ROLE',
    seq.comment ?? '',
    seq.ordered ? 'Y' : 'N',
  ]);
  return { columns: COLUMNS, batch: rowsToBatch(COLUMNS, rows) };
}
