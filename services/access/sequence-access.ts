/**
 * Finding sequences by name and the privilege checks on them, as Snowflake has them; the sequence
 * statements (services/session/run-sequence.ts), the binder (seq.NEXTVAL: services/plan/
 * bind-sequences.ts), column defaults and GRANT ask these.
 *
 * Snowflake's rules, as Firn enforces them:
 * - A sequence is visible with USAGE on its database and schema and any privilege on it (ownership
 *   included); one the role cannot see reads exactly as a missing one (002003 "Sequence '…' does
 *   not exist or not authorized.").
 * - Using its values (seq.NEXTVAL in a statement, naming it in a DEFAULT) needs USAGE on it;
 *   without, on a sequence the role sees: 003001 "Insufficient privileges to operate on sequence 'S'".
 * - Creating one needs CREATE SEQUENCE on the schema; OR REPLACE of an existing one, ALTER and
 *   DROP need its OWNERSHIP.
 *
 * Contract: names resolve against the session's database and schema (`[db.][schema.]name`);
 * every check takes the statement's context; a session without a role is the system's own and is
 * not checked (access-check.ts `privilegesOf`).
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { SchemaInfo } from '../catalog/catalog.js';
import type { SequenceRecord } from '../catalog/sequence-store.js';
import type { ObjectName } from '../sql/ast.js';
import { canUseSchema, privilegesOf, requireSchema, type AccessContext } from './access-check.js';
import { insufficientPrivileges } from './access-errors.js';
import { OWNERSHIP } from './privilege-names.js';

/** A sequence name resolved: the record (null when missing), its live schema (null when missing), and its qualified name for messages. */
export type FoundSequence = { record: SequenceRecord | null; schema: SchemaInfo | null; database: string; schemaName: string; name: string; qualified: string };

/** `[db.][schema.]name` against the session's database and schema, without any privilege check. */
export function findSequence(ctx: AccessContext, name: ObjectName): FoundSequence {
  const parts = name.parts;
  const seq = parts[parts.length - 1];
  const schemaName = parts.length >= 2 ? parts[parts.length - 2] : ctx.session.schema;
  const database = parts.length >= 3 ? parts[0] : ctx.session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', "Cannot perform operation. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
  if (!schemaName) throw new CompilationError('OBJECT_NOT_FOUND', "Cannot perform operation. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.");
  const schema = ctx.catalog.getSchema(database, schemaName);
  const record = schema === null ? null : ctx.catalog.sequences.getSequence(schema.id, seq);
  return { record, schema, database, schemaName, name: seq, qualified: `${database}.${schemaName}.${seq}` };
}

/** 002003 for a sequence that is missing or that the role cannot see. */
export function sequenceNotFound(qualified: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Sequence '${clipValue(qualified)}' does not exist or not authorized.`);
}

/** Whether the role sees the sequence: USAGE on its database and schema and any privilege on it. */
export function canSeeSequence(ctx: AccessContext, seq: Pick<SequenceRecord, 'id'>, schema: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (canUseSchema(ctx, schema) && p.holdsAny('SEQUENCE', seq.id));
}

/** USAGE (its values) or OWNERSHIP (ALTER, DROP, replacing) of a sequence: 002003 when hidden, 003001 without it. */
export function requireSequence(ctx: AccessContext, seq: SequenceRecord, at: { schema: SchemaInfo; qualified: string }, need: 'USAGE' | typeof OWNERSHIP): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  if (!canSeeSequence(ctx, seq, at.schema)) throw sequenceNotFound(at.qualified);
  const held = need === OWNERSHIP ? p.owns('SEQUENCE', seq.id) : p.has('SEQUENCE', seq.id, need);
  if (!held) throw insufficientPrivileges('SEQUENCE', seq.name ?? at.qualified);
}

/** The live sequence `name` names, which the role must see and hold `need` on. */
export function lookupSequence(ctx: AccessContext, name: ObjectName, need: 'USAGE' | typeof OWNERSHIP): SequenceRecord & { schemaInfo: SchemaInfo; qualified: string } {
  const found = findSequence(ctx, name);
  if (!found.record || !found.schema) throw sequenceNotFound(found.qualified);
  requireSequence(ctx, found.record, { schema: found.schema, qualified: found.qualified }, need);
  return { ...found.record, schemaInfo: found.schema, qualified: found.qualified };
}

/** CREATE SEQUENCE in `database.schema`: CREATE SEQUENCE on the schema; OR REPLACE of an existing one also needs its ownership. */
export function requireCreateSequence(ctx: AccessContext, n: { database: string; schema: string }, old: { seq: SequenceRecord; at: { schema: SchemaInfo; qualified: string } } | null): void {
  if (privilegesOf(ctx) === null) return;
  requireSchema(ctx, n.database, n.schema, 'CREATE SEQUENCE');
  if (old) requireSequence(ctx, old.seq, old.at, OWNERSHIP);
}
