/**
 * SequenceStore (sequence-store.ts) over the catalog's SQLite connection: the tables `sequences`
 * and `column_sequences` of catalog migration 15. Values are read and written as BigInt
 * (better-sqlite3's safe integers), so no 64-bit value is ever rounded through a double.
 *
 * Besides the interface, SqliteCatalog uses the `*Column*`, `cloneNamed` and `purgeTable` helpers
 * inside its own transactions (CREATE TABLE and ADD COLUMN attach a column's sequence, clones copy
 * them, GC purges a table's); they open no transaction of their own.
 */
import type { Database, Statement } from 'better-sqlite3';
import { CompilationError, DataError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { NewSequence, SequenceBlock, SequenceChange, SequenceRecord, SequenceRequest, SequenceStore } from './sequence-store.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

type SequenceRow = {
  id: bigint;
  schema_id: bigint;
  name: string | null;
  start_value: bigint;
  increment: bigint;
  next_value: bigint;
  ordered: bigint;
  comment: string | null;
  owner: string | null;
  created_at: bigint;
  altered_at: bigint;
};

/** What an identity column's own sequence starts as. */
export type IdentitySequence = { start: bigint; increment: bigint; ordered: boolean };

type StatementName =
  | 'insert'
  | 'get'
  | 'byId'
  | 'list'
  | 'delete'
  | 'setNext'
  | 'update'
  | 'attach'
  | 'columnsOf'
  | 'copyRow'
  | 'namedOfSchema'
  | 'identityOfTable'
  | 'detachTable'
  | 'qualified';

export class SqliteSequenceStore implements SequenceStore {
  private readonly s: Record<StatementName, Statement>;

  constructor(private readonly db: Database) {
    const columns = 'schema_id, name, start_value, increment, next_value, ordered, comment, owner, created_at, altered_at';
    const big = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.s = {
      insert: db.prepare(`INSERT INTO sequences (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: big('SELECT * FROM sequences WHERE schema_id = ? AND name = ?'),
      byId: big('SELECT * FROM sequences WHERE id = ?'),
      list: big('SELECT * FROM sequences WHERE schema_id = ? AND name IS NOT NULL ORDER BY name'),
      delete: db.prepare('DELETE FROM sequences WHERE id = ?'),
      setNext: db.prepare('UPDATE sequences SET next_value = ? WHERE id = ?'),
      update: db.prepare('UPDATE sequences SET schema_id = ?, name = ?, increment = ?, ordered = ?, comment = ?, altered_at = ? WHERE id = ?'),
      attach: db.prepare('INSERT INTO column_sequences (table_id, column_id, sequence_id, identity) VALUES (?, ?, ?, ?)'),
      columnsOf: db.prepare('SELECT column_id, sequence_id, identity FROM column_sequences WHERE table_id = ?'),
      copyRow: db.prepare(
        `INSERT INTO sequences (${columns}) SELECT ?, name, start_value, increment, next_value, ordered, comment, ?, ?, ? FROM sequences WHERE id = ?`,
      ),
      namedOfSchema: db.prepare('SELECT id FROM sequences WHERE schema_id = ? AND name IS NOT NULL ORDER BY id'),
      identityOfTable: db.prepare('SELECT sequence_id FROM column_sequences WHERE table_id = ? AND identity = 1'),
      detachTable: db.prepare('DELETE FROM column_sequences WHERE table_id = ?'),
      qualified: db.prepare(
        `SELECT d.name || '.' || s.name || '.' || q.name AS qualified FROM sequences q
         JOIN schemas s ON s.id = q.schema_id JOIN databases d ON d.id = s.database_id WHERE q.id = ? AND q.name IS NOT NULL`,
      ),
    };
  }

  createSequence(seq: NewSequence, opts: { orReplace: boolean }): { created: SequenceRecord; replaced: SequenceRecord | null } {
    return this.db.transaction(() => {
      const replaced = this.getSequence(seq.schemaId, seq.name);
      if (replaced && !opts.orReplace) throw exists(seq.name);
      if (replaced) this.s.delete.run(replaced.id);
      const now = Date.now();
      const id = Number(
        this.s.insert.run(seq.schemaId, seq.name, seq.start, seq.increment, seq.start, seq.ordered ? 1 : 0, seq.comment, seq.owner, now, now).lastInsertRowid,
      );
      return { created: this.getSequenceById(id)!, replaced };
    }).immediate();
  }

  getSequence(schemaId: number, name: string): SequenceRecord | null {
    const row = this.s.get.get(schemaId, name) as SequenceRow | undefined;
    return row ? sequenceOf(row) : null;
  }

  getSequenceById(id: number): SequenceRecord | null {
    const row = this.s.byId.get(id) as SequenceRow | undefined;
    return row ? sequenceOf(row) : null;
  }

  qualifiedName(id: number): string | null {
    return (this.s.qualified.get(id) as { qualified: string } | undefined)?.qualified ?? null;
  }

  listSequences(schemaId: number): SequenceRecord[] {
    return (this.s.list.all(schemaId) as SequenceRow[]).map(sequenceOf);
  }

  dropSequence(schemaId: number, name: string): SequenceRecord | null {
    const found = this.getSequence(schemaId, name);
    if (found) this.s.delete.run(found.id);
    return found;
  }

  alterSequence(id: number, change: SequenceChange): SequenceRecord {
    return this.db.transaction(() => {
      const cur = this.getSequenceById(id);
      if (!cur) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Sequence '#${id}' does not exist or not authorized.`);
      const schemaId = change.schemaId ?? cur.schemaId;
      const name = change.name ?? cur.name;
      if ((schemaId !== cur.schemaId || name !== cur.name) && name !== null) {
        const taken = this.getSequence(schemaId, name);
        if (taken && taken.id !== id) throw exists(name);
      }
      const comment = change.comment === undefined ? cur.comment : change.comment;
      this.s.update.run(schemaId, name, change.increment ?? cur.increment, (change.ordered ?? cur.ordered) ? 1 : 0, comment, Date.now(), id);
      return this.getSequenceById(id)!;
    }).immediate();
  }

  reserve(requests: readonly SequenceRequest[]): SequenceBlock[] {
    if (requests.length === 0) return [];
    return this.db.transaction(() => {
      const next = new Map<number, bigint>();
      const blocks = requests.map((r): SequenceBlock => {
        const row = this.s.byId.get(r.sequence) as SequenceRow | undefined;
        if (!row) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Sequence '#${r.sequence}' was dropped while the statement ran.`);
        const first = next.get(r.sequence) ?? row.next_value;
        const after = first + BigInt(r.count) * row.increment;
        if (after > MAX_INT64 || after < MIN_INT64) {
          const what = row.name === null ? 'an identity column' : `sequence '${clipValue(row.name)}'`;
          throw new DataError('SEQUENCE_OVERFLOW', `The next value of ${what} is outside the 64-bit range (-2^63 to 2^63 - 1): it has no more values.`);
        }
        next.set(r.sequence, after);
        return { first, increment: row.increment };
      });
      for (const [id, value] of next) this.s.setNext.run(value, id);
      return blocks;
    }).immediate();
  }

  // ---- inside SqliteCatalog's transactions ----

  /** A new identity sequence in the schema (no name, no owner); answers its id. */
  createIdentity(schemaId: number, spec: IdentitySequence): number {
    const now = Date.now();
    return Number(this.s.insert.run(schemaId, null, spec.start, spec.increment, spec.start, spec.ordered ? 1 : 0, null, null, now, now).lastInsertRowid);
  }

  /** Column `columnId` of the table takes its DEFAULT from sequence `sequenceId`. */
  attachColumn(tableId: number, columnId: number, sequenceId: number, identity: boolean): void {
    this.s.attach.run(tableId, columnId, sequenceId, identity ? 1 : 0);
  }

  /**
   * A clone's column sequences: an identity column gets a copy of its source's sequence (same next
   * value, in `schemaId`); a column naming a sequence names `renamed.get(id)` (the sequence's clone
   * in a schema or database clone), else the same sequence.
   */
  cloneColumns(fromTable: number, toTable: number, schemaId: number, renamed: ReadonlyMap<number, number>): void {
    const now = Date.now();
    for (const r of this.s.columnsOf.all(fromTable) as { column_id: number; sequence_id: number; identity: number }[]) {
      const id = r.identity === 1 ? Number(this.s.copyRow.run(schemaId, null, now, now, r.sequence_id).lastInsertRowid) : (renamed.get(r.sequence_id) ?? r.sequence_id);
      this.s.attach.run(toTable, r.column_id, id, r.identity);
    }
  }

  /** Copies the named sequences of one schema into another (values and all, owned by `owner`); answers old id -> new id. */
  cloneNamed(fromSchema: number, toSchema: number, owner: string | null): Map<number, number> {
    const now = Date.now();
    const out = new Map<number, number>();
    for (const { id } of this.s.namedOfSchema.all(fromSchema) as { id: number }[]) {
      out.set(id, Number(this.s.copyRow.run(toSchema, owner, now, now, id).lastInsertRowid));
    }
    return out;
  }

  /** GC purging a table: its identity sequences and its column rows go with it; answers the rows deleted. */
  purgeTable(tableId: number): number {
    let n = 0;
    for (const { sequence_id } of this.s.identityOfTable.all(tableId) as { sequence_id: number }[]) n += this.s.delete.run(sequence_id).changes;
    return n + this.s.detachTable.run(tableId).changes;
  }
}

function exists(name: string): CompilationError {
  return new CompilationError('OBJECT_EXISTS', `SQL compilation error: Object '${clipValue(name)}' already exists.`);
}

function sequenceOf(r: SequenceRow): SequenceRecord {
  return {
    id: Number(r.id),
    schemaId: Number(r.schema_id),
    name: r.name,
    start: r.start_value,
    increment: r.increment,
    next: r.next_value,
    ordered: r.ordered === 1n,
    comment: r.comment,
    owner: r.owner,
    createdAt: new Date(Number(r.created_at)),
    alteredAt: new Date(Number(r.altered_at)),
  };
}
