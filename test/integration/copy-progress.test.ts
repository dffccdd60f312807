/**
 * What a poll of a running COPY INTO shows (issue 12: the CLI shows COPY's files done and rows
 * processed): the statement's live counters (run-progress.ts) count the files to load, each
 * file once every load task of it finished, and the rows they loaded; they end at the load's
 * totals. Real engine, real files on disk (Parquet split into several pieces per file too).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunProgress, withRunProgress } from '../../services/coordinate/run-progress.js';
import { EngineAs } from '../support/engine-as.js';

describe('COPY INTO progress', () => {
  let e: EngineAs;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-copy-progress-'));
    e = await EngineAs.open({ FIRN_LOAD_ROOTS: dir });
    for (let f = 0; f < 3; f++) writeFileSync(path.join(dir, `part-${f}.csv`), Array.from({ length: 1000 * (f + 1) }, (_, i) => `${i},${f}`).join('\n') + '\n');
    await e.run('CREATE TABLE loaded (x INTEGER, f INTEGER)');
  }, 60_000);

  afterAll(async () => {
    await e?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the files to load, the files loaded and their rows', async () => {
    const progress = newRunProgress();
    await withRunProgress(progress, () => e.run(`COPY INTO loaded FROM 'file://${dir}/part-*.csv'`));
    expect(progress).toMatchObject({ filesTotal: 3, filesDone: 3, rowsLoaded: 6000 });
    // A second COPY skips the loaded files: nothing more to count.
    const again = newRunProgress();
    await withRunProgress(again, () => e.run(`COPY INTO loaded FROM 'file://${dir}/part-*.csv'`));
    expect(again).toMatchObject({ filesTotal: 0, filesDone: 0, rowsLoaded: 0 });
  });
});
