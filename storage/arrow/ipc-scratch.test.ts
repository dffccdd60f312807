import { makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Field, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tableToIpcScratch } from './ipc-scratch.js';

function table(n: number, tag: string): Table {
  const ids = vectorFromArray(Int32Array.from({ length: n }, (_, i) => i));
  const names = vectorFromArray(Array.from({ length: n }, (_, i) => `${tag}-${i}`), new Utf8());
  const fields = [new Field('id', new Int32(), false), new Field('name', new Utf8(), false)];
  const data = makeData({ type: new Struct(fields), length: n, nullCount: 0, children: [ids.data[0], names.data[0]] });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

describe('tableToIpcScratch', () => {
  it('writes the same bytes as tableToIPC, also when the buffer must grow, and reuses it', () => {
    for (const [n, tag] of [[10, 'a'], [300_000, 'bigger'], [5, 'c']] as const) {
      const t = table(n, tag);
      const bytes = tableToIpcScratch(t);
      expect(Buffer.from(bytes).equals(Buffer.from(tableToIPC(t, 'stream')))).toBe(true);
      const back = tableFromIPC(bytes);
      expect(back.numRows).toBe(n);
      expect(back.getChild('name')!.get(n - 1)).toBe(`${tag}-${n - 1}`);
    }
    // One buffer behind every call: the next call overwrites the previous view.
    const first = tableToIpcScratch(table(3, 'x'));
    const second = tableToIpcScratch(table(3, 'y'));
    expect(first.buffer).toBe(second.buffer);
  });
});
