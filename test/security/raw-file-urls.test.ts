/**
 * Threat: reading the server's files through a raw file:// URL in COPY INTO (or a file://
 * stage): /etc/passwd, a glob such as file:///etc/*, Firn's own catalog.sqlite under
 * FIRN_HOME (even when a load root contains FIRN_HOME), a symbolic link under FIRN_LOAD_ROOTS
 * that points outside, and '..' that normalizes out of a root. Each is refused with
 * LOCATION_NOT_ALLOWED (390105 / 42501) naming FIRN_LOAD_ROOTS, loads nothing and quotes no
 * file contents; a file really under a root still loads (the control).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('raw file:// locations outside FIRN_LOAD_ROOTS', () => {
  let root: string;
  let outside: string;
  let server: FirnProcess;
  const sql = (statement: string) => postStatement(server.url, statement);
  const failure = (statement: string) => sql(statement).then(() => null, (e: unknown) => e as StatementFailure);
  const SECRET = 'TOP-SECRET-CONTENT';

  beforeAll(async () => {
    // The load root holds FIRN_HOME itself, a data folder with one real file and links out.
    root = mkdtempSync(path.join(os.tmpdir(), 'firn-roots-'));
    outside = mkdtempSync(path.join(os.tmpdir(), 'firn-outside-'));
    writeFileSync(path.join(outside, 'secret.csv'), `1,${SECRET}\n`);
    mkdirSync(path.join(root, 'data'));
    writeFileSync(path.join(root, 'data', 'ok.csv'), '7,fine\n');
    symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'data', 'link.csv'));
    symlinkSync(outside, path.join(root, 'data', 'linkdir'));
    server = await startFirnProcess({ home: path.join(root, 'home'), env: { FIRN_LOAD_ROOTS: `${path.join(root, 'data')},${path.join(root, 'home')}` } });
    await sql('CREATE TABLE t (id INT, name VARCHAR)');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const refused = async (statement: string, why: RegExp) => {
    const err = await failure(statement);
    expect(err, statement).toBeInstanceOf(StatementFailure);
    expect([err!.status, err!.code, err!.sqlState], statement).toEqual([422, '390105', '42501']);
    expect(err!.message).toMatch(/FIRN_LOAD_ROOTS/);
    expect(err!.message).toMatch(why);
    expect(err!.message).not.toContain(SECRET);
    expect(err!.message).not.toMatch(/root:x:0:0/);
  };

  it('COPY of /etc/passwd is refused', async () => {
    await refused("COPY INTO t FROM 'file:///etc/passwd'", /outside FIRN_LOAD_ROOTS/);
    await refused("COPY INTO t FROM '/etc/passwd'", /outside FIRN_LOAD_ROOTS/);
  });

  it('a glob over a system directory (file:///etc/*) is refused', async () => {
    await refused("COPY INTO t FROM 'file:///etc/*'", /outside FIRN_LOAD_ROOTS/);
  });

  it("Firn's own catalog.sqlite is refused even though a load root contains FIRN_HOME", async () => {
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'home', 'catalog.sqlite')}'`, /Firn's own files/);
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'home')}/*'`, /Firn's own files/);
  });

  it('a symbolic link under a load root that points outside is refused, alone or matched by a glob', async () => {
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'data', 'link.csv')}'`, /symbolic link/);
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'data', 'linkdir', 'secret.csv')}'`, /symbolic link/);
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'data')}/*.csv'`, /symbolic link/);
  });

  it("'..' and percent-encoded '..' that lead out of a root are refused", async () => {
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'data')}/../../${path.basename(outside)}/secret.csv'`, /outside FIRN_LOAD_ROOTS/);
    await refused(`COPY INTO t FROM 'file://${path.join(root, 'data')}/%2e%2e/%2e%2e/${path.basename(outside)}/secret.csv'`, /outside FIRN_LOAD_ROOTS/);
  });

  it('CREATE STAGE with a file:// URL outside the roots is refused; inside them, its links out are refused at use', async () => {
    await refused("CREATE STAGE sys URL = 'file:///etc/'", /outside FIRN_LOAD_ROOTS/);
    await sql(`CREATE STAGE local URL = 'file://${path.join(root, 'data')}/'`);
    await refused('COPY INTO t FROM @local/link.csv', /symbolic link/);
    await refused('LIST @local', /symbolic link/);
  });

  it('nothing was loaded by any refused statement, and a file under a root still loads', async () => {
    expect((await sql('SELECT COUNT(*) FROM t')).data).toEqual([['0']]);
    await sql(`COPY INTO t FROM 'file://${path.join(root, 'data', 'ok.csv')}'`);
    expect((await sql('SELECT id, name FROM t')).data).toEqual([['7', 'fine']]);
  });
});
