/**
 * Threat: a role other than ACCOUNTADMIN reading or writing the server's files or buckets
 * through raw locations: COPY INTO t FROM 'file://…' or 's3://…' (even under
 * FIRN_LOAD_ROOTS), CREATE STAGE with a file:// URL or an s3:// URL without its own
 * CREDENTIALS (which would use the server's), and unloading into or removing from a file://
 * stage an administrator made. Each is refused with 003001 / 42501 naming the ACCOUNTADMIN
 * policy; the same role still loads through an internal stage. The role is driven in-process
 * through FirnEngine.execute's identity, as the HTTP layer passes the authenticated one.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_IDENTITY, type Identity } from '../../services/access/identity.js';
import { loadConfig } from '../../services/config.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { FirnError } from '../../storage/errors/firn-error.js';

describe('raw locations from a role that is not ACCOUNTADMIN', () => {
  let dir: string;
  let engine: FirnEngine;
  const ALICE: Identity = { user: 'ALICE', role: 'SYSADMIN' };
  const run = (sql: string, identity: Identity = ALICE) => engine.execute({ sql, context: DEFAULT_CONTEXT, identity, queryId: randomUUID() });
  const refusal = (sql: string) => run(sql).then(() => null, (e: unknown) => e as FirnError);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-raw-role-'));
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'ok.csv'), '7,fine\n');
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_LOAD_ROOTS: path.join(dir, 'data'), FIRN_COMPACT_INTERVAL_SECONDS: '0', FIRN_GC_INTERVAL_SECONDS: '0' }));
    await run('CREATE TABLE t (id INT, name VARCHAR)', SYSTEM_IDENTITY);
    // ALICE works as SYSADMIN, which may load t, but does not inherit ACCOUNTADMIN.
    await run('CREATE USER alice', SYSTEM_IDENTITY);
    await run('GRANT ROLE SYSADMIN TO USER alice', SYSTEM_IDENTITY);
    await run('GRANT OWNERSHIP ON TABLE t TO ROLE SYSADMIN', SYSTEM_IDENTITY);
    await run(`CREATE STAGE admins_dir URL = 'file://${path.join(dir, 'data')}/'`, SYSTEM_IDENTITY);
    // SYSADMIN may use the stage (so it sees it): what refuses it is the raw location policy.
    await run('GRANT USAGE ON STAGE admins_dir TO ROLE SYSADMIN', SYSTEM_IDENTITY);
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, () => string]>([
    ["COPY INTO t FROM 'file://<a file under FIRN_LOAD_ROOTS>'", () => `COPY INTO t FROM 'file://${path.join(dir, 'data', 'ok.csv')}'`],
    ["COPY INTO t FROM 's3://…'", () => "COPY INTO t FROM 's3://some-bucket/data/x.csv'"],
    ["CREATE STAGE … URL = 'file://…'", () => `CREATE STAGE mine URL = 'file://${path.join(dir, 'data')}/'`],
    ["CREATE STAGE … URL = 's3://…' without CREDENTIALS", () => "CREATE STAGE mine URL = 's3://some-bucket/data/'"],
    ['COPY INTO @<a file:// stage> (unloading onto the server)', () => 'COPY INTO @admins_dir/out/ FROM t'],
    ['REMOVE @<a file:// stage> (deleting server files)', () => 'REMOVE @admins_dir/ok.csv'],
  ])('%s is refused with 003001 naming the ACCOUNTADMIN policy', async (_label, statement) => {
    const err = await refusal(statement());
    expect(err).toBeInstanceOf(FirnError);
    expect([err!.code, err!.sqlState]).toEqual(['003001', '42501']);
    expect(err!.message).toMatch(/Insufficient privileges to operate on location .*only for the role ACCOUNTADMIN \(the current role is SYSADMIN\)/);
  });

  it('the same location works for ACCOUNTADMIN, and the role loads through an internal stage', async () => {
    await run(`COPY INTO t FROM 'file://${path.join(dir, 'data', 'ok.csv')}'`, SYSTEM_IDENTITY);
    await run('CREATE STAGE inbox');
    const target = await engine.stageFiles.uploadTarget({ ...DEFAULT_CONTEXT, user: ALICE.user, role: ALICE.role }, '@inbox/more.csv');
    writeFileSync(target.path, '8,staged\n');
    await run('COPY INTO t FROM @inbox');
    await run("CREATE STAGE ext URL = 's3://some-bucket/data/' CREDENTIALS = (AWS_KEY_ID = 'k' AWS_SECRET_KEY = 's')");
    const result = await run('SELECT id FROM t ORDER BY id');
    let ids: number[] = [];
    for await (const b of result.stream!) ids = [...ids, ...Array.from((b.columns[0] as { values: Float64Array }).values)];
    expect(ids).toEqual([7, 8]);
  });
});
