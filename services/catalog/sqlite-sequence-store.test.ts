import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirnError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { NewSequence } from './sequence-store.js';
import { SqliteCatalog } from './sqlite-catalog.js';

describe('SqliteSequenceStore (catalog migration 15)', () => {
  let dir: string;
  let catalog: SqliteCatalog;
  let schemaId: number;
  const seq = (name: string, more: Partial<NewSequence> = {}): NewSequence => ({ schemaId, name, start: 1n, increment: 1n, ordered: false, comment: null, owner: 'SYSADMIN', ...more });
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return (err as FirnError).code;
    }
    throw new Error('did not throw');
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-sequence-store-'));
    catalog = new SqliteCatalog(dir);
    catalog.createDatabase('D', { schema: 'PUBLIC' });
    schemaId = catalog.getSchema('D', 'PUBLIC')!.id;
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out consecutive blocks, never the same value twice, and keeps its next value across a reopen', () => {
    const s = catalog.sequences.createSequence(seq('S', { start: 10n, increment: 5n }), { orReplace: false }).created;
    expect(catalog.sequences.reserve([{ sequence: s.id, count: 3 }])).toEqual([{ first: 10n, increment: 5n }]);
    // Two requests of one sequence in one call get consecutive blocks.
    expect(catalog.sequences.reserve([{ sequence: s.id, count: 2 }, { sequence: s.id, count: 1 }])).toEqual([
      { first: 25n, increment: 5n },
      { first: 35n, increment: 5n },
    ]);
    catalog.close();
    catalog = new SqliteCatalog(dir);
    expect(catalog.sequences.getSequence(schemaId, 'S')).toMatchObject({ start: 10n, next: 40n, increment: 5n });
    expect(catalog.sequences.reserve([{ sequence: s.id, count: 1 }])).toEqual([{ first: 40n, increment: 5n }]);
  });

  it('keeps 64-bit values exact and refuses a block past the range, reserving nothing of the call', () => {
    const a = catalog.sequences.createSequence(seq('A'), { orReplace: false }).created;
    const big = catalog.sequences.createSequence(seq('BIG', { start: 2n ** 63n - 3n }), { orReplace: false }).created;
    const down = catalog.sequences.createSequence(seq('DOWN', { start: -(2n ** 63n) + 1n, increment: -1n }), { orReplace: false }).created;
    expect(catalog.sequences.reserve([{ sequence: big.id, count: 2 }])).toEqual([{ first: 2n ** 63n - 3n, increment: 1n }]);
    expect(codeOf(() => catalog.sequences.reserve([{ sequence: a.id, count: 5 }, { sequence: big.id, count: 1 }]))).toBe('390240');
    expect(catalog.sequences.getSequenceById(a.id)!.next).toBe(1n);
    expect(catalog.sequences.getSequenceById(big.id)!.next).toBe(2n ** 63n - 1n);
    expect(codeOf(() => catalog.sequences.reserve([{ sequence: down.id, count: 2 }]))).toBe('390240');
    expect(catalog.sequences.reserve([{ sequence: down.id, count: 1 }])).toEqual([{ first: -(2n ** 63n) + 1n, increment: -1n }]);
  });

  it('names are unique per schema; OR REPLACE starts afresh; DROP forgets; reserving a dropped one is 002003', () => {
    const first = catalog.sequences.createSequence(seq('S', { comment: 'c', ordered: true }), { orReplace: false }).created;
    expect(first).toMatchObject({ schemaId, name: 'S', comment: 'c', ordered: true, owner: 'SYSADMIN', next: 1n });
    expect(codeOf(() => catalog.sequences.createSequence(seq('S'), { orReplace: false }))).toBe('002002');
    catalog.sequences.reserve([{ sequence: first.id, count: 7 }]);
    const again = catalog.sequences.createSequence(seq('S', { start: 3n }), { orReplace: true });
    expect(again.replaced?.id).toBe(first.id);
    expect(again.created.next).toBe(3n);
    expect(again.created.id).not.toBe(first.id);
    expect(codeOf(() => catalog.sequences.reserve([{ sequence: first.id, count: 1 }]))).toBe('002003');
    expect(catalog.sequences.listSequences(schemaId).map((s) => s.name)).toEqual(['S']);
    expect(catalog.sequences.qualifiedName(again.created.id)).toBe('D.PUBLIC.S');
    expect(catalog.sequences.dropSequence(schemaId, 'S')?.id).toBe(again.created.id);
    expect(catalog.sequences.getSequence(schemaId, 'S')).toBeNull();
    expect(catalog.sequences.dropSequence(schemaId, 'S')).toBeNull();
  });

  it('ALTER sets the increment, ORDER, comment and name, refusing a taken name', () => {
    const s = catalog.sequences.createSequence(seq('S'), { orReplace: false }).created;
    catalog.sequences.createSequence(seq('T'), { orReplace: false });
    catalog.sequences.reserve([{ sequence: s.id, count: 2 }]);
    expect(catalog.sequences.alterSequence(s.id, { increment: -10n, comment: 'x', ordered: true })).toMatchObject({ increment: -10n, comment: 'x', ordered: true, next: 3n, name: 'S' });
    expect(catalog.sequences.reserve([{ sequence: s.id, count: 2 }])).toEqual([{ first: 3n, increment: -10n }]);
    expect(codeOf(() => catalog.sequences.alterSequence(s.id, { name: 'T' }))).toBe('002002');
    catalog.createSchema('D', 'OTHER');
    const other = catalog.getSchema('D', 'OTHER')!.id;
    expect(catalog.sequences.alterSequence(s.id, { schemaId: other, name: 'T', comment: null })).toMatchObject({ schemaId: other, name: 'T', comment: null });
    expect(catalog.sequences.qualifiedName(s.id)).toBe('D.OTHER.T');
  });

  it('gives identity columns sequences of their own; a table clone copies them, a schema clone copies named ones too', () => {
    const named = catalog.sequences.createSequence(seq('N', { start: 100n }), { orReplace: false }).created;
    const t = catalog.createTable('D', 'PUBLIC', 'T', [
      { name: 'ID', type: Types.number(38, 0), nullable: true, sequence: { kind: 'identity', start: 5n, increment: 2n, ordered: true } },
      { name: 'REF', type: Types.number(38, 0), nullable: true, sequence: { kind: 'named', id: named.id } },
      { name: 'V', type: Types.varchar, nullable: true },
    ], { queryId: 'q1' });
    const [id, ref, v] = t.columns;
    expect(id.sequence?.identity).toBe(true);
    expect(ref.sequence).toEqual({ id: named.id, identity: false });
    expect(v.sequence).toBeUndefined();
    expect(catalog.getTable('D', 'PUBLIC', 'T')!.columns.map((c) => c.sequence ?? null)).toEqual([id.sequence, ref.sequence, null]);
    const identity = catalog.sequences.getSequenceById(id.sequence!.id)!;
    expect(identity).toMatchObject({ name: null, start: 5n, increment: 2n, ordered: true, owner: null });
    // Identity sequences are listed by no SHOW.
    expect(catalog.sequences.listSequences(schemaId).map((s) => s.name)).toEqual(['N']);
    catalog.sequences.reserve([{ sequence: identity.id, count: 3 }]);

    const clone = catalog.cloneTable({ tableId: t.id, version: t.currentVersion }, { database: 'D', schema: 'PUBLIC', name: 'C' }, { queryId: 'q2' });
    const cloned = clone.columns[0].sequence!;
    expect(cloned.id).not.toBe(identity.id);
    expect(catalog.sequences.getSequenceById(cloned.id)).toMatchObject({ next: 11n, start: 5n, increment: 2n });
    expect(clone.columns[1].sequence).toEqual({ id: named.id, identity: false });

    const schema = catalog.cloneSchema({ database: 'D', schema: 'PUBLIC' }, { database: 'D', name: 'COPY' }, { queryId: 'q3', owner: 'R' });
    const copies = catalog.sequences.listSequences(schema.id);
    expect(copies.map((s) => [s.name, s.next, s.owner])).toEqual([['N', 100n, 'R']]);
    const copied = catalog.getTable('D', 'COPY', 'T')!;
    expect(copied.columns[1].sequence).toEqual({ id: copies[0].id, identity: false });
    expect(catalog.sequences.getSequenceById(copied.columns[0].sequence!.id)).toMatchObject({ next: 11n, schemaId: schema.id });
  });

  it('ADD COLUMN with a sequence default needs a table without rows', () => {
    const t = catalog.createTable('D', 'PUBLIC', 'T', [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: 'q1' });
    const added = catalog.alterTable(t.id, { kind: 'add_column', column: { name: 'ID', type: Types.number(38, 0), nullable: false, sequence: { kind: 'identity', start: 1n, increment: 1n, ordered: false } } }, 'q2');
    expect(added.columns[1].sequence?.identity).toBe(true);
    catalog.commitTable(t.id, {
      baseVersion: added.currentVersion,
      queryId: 'q3',
      operation: 'INSERT',
      added: [{ objectKey: 'k1', rowCount: 1, byteSize: 10, zoneMap: { rowCount: 1, byteSize: 10, columns: {} } }],
      removedIds: [],
    });
    const named = catalog.sequences.createSequence(seq('N'), { orReplace: false }).created;
    expect(codeOf(() => catalog.alterTable(t.id, { kind: 'add_column', column: { name: 'REF', type: Types.number(38, 0), nullable: true, sequence: { kind: 'named', id: named.id } } }, 'q4'))).toBe('390244');
  });
});
