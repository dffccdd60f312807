/**
 * Runs every test/sql/*.slt file against a real Firn server over HTTP, each file in its own
 * database; `restart` records restart the server on the same data directory.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from './support/firn-process.js';
import { runSlt } from './support/sqllogic.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');
const files = readdirSync(dir).filter((f) => f.endsWith('.slt')).sort();

describe('sqllogictest files', () => {
  let home: string;
  let server: FirnProcess;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-slt-'));
    server = await startFirnProcess({ home, env: { FIRN_PARTITION_ROWS: '4' } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const checked = await runSlt(file, text, {
        url: () => server.url,
        restart: async () => {
          await server.stop();
          server = await startFirnProcess({ home, env: { FIRN_PARTITION_ROWS: '4' } });
        },
      }, `SLT_${file.replace(/\W/g, '_').toUpperCase()}`);
      expect(checked).toBeGreaterThan(0);
    });
  }
});
