import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirnAuthenticator } from '../access/firn-authenticator.js';
import { hashPassword } from '../access/password-hash.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { answerLoginRequest } from './login-request.js';

let catalog: SqliteCatalog;
let auth: FirnAuthenticator;
beforeEach(async () => {
  catalog = new SqliteCatalog(':memory:');
  catalog.users.createUser({
    name: 'ERIN', passwordHash: await hashPassword('erin-pass'), defaultRole: 'SYSADMIN', defaultWarehouse: 'WH1', defaultNamespace: 'SALES',
    disabled: false, comment: null, owner: null, createdAt: 0,
  });
  catalog.grants.grantRole('SYSADMIN', 'USER', 'ERIN', 'USERADMIN');
  auth = new FirnAuthenticator({ users: catalog.users, grants: catalog.grants });
});
afterEach(() => catalog.close());

const body = (data: Record<string, unknown>) => Buffer.from(JSON.stringify({ data }));
const MAX = 1 << 20;

describe('POST /session/v1/login-request', () => {
  it("answers a session in the driver's shape, plain or gzip, with the role and context of the query string or the user's defaults", async () => {
    const r = await answerLoginRequest(auth, body({ LOGIN_NAME: 'erin', PASSWORD: 'erin-pass', AUTHENTICATOR: 'SNOWFLAKE' }), new URLSearchParams(), '127.0.0.1', MAX);
    expect(r.status).toBe(200);
    const ok = r.body as { success: boolean; code: null; message: null; data: Record<string, unknown> };
    expect([ok.success, ok.code, ok.message]).toEqual([true, null, null]);
    expect(ok.data).toMatchObject({
      validityInSeconds: 14_400, masterValidityInSeconds: 86_400, displayUserName: 'ERIN', firstLogin: false, healthCheckInterval: 45,
      parameters: [
        { name: 'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY', value: 3600 },
        { name: 'CLIENT_STAGE_ARRAY_BINDING_THRESHOLD', value: 2 ** 31 - 1 },
      ],
      sessionInfo: { databaseName: 'SALES', schemaName: null, warehouseName: 'WH1', roleName: 'SYSADMIN' },
    });
    expect(typeof ok.data.token).toBe('string');
    expect(typeof ok.data.masterToken).toBe('string');
    expect(auth.authenticate({ authorization: `Snowflake Token="${ok.data.token as string}"`, tokenType: undefined }).user).toBe('ERIN');
    const zipped = await answerLoginRequest(
      auth, gzipSync(body({ LOGIN_NAME: 'ERIN', PASSWORD: 'erin-pass' })), new URLSearchParams('roleName=public&databaseName="Db"&schemaName=s&warehouse=w2'), '127.0.0.1', MAX,
    );
    expect((zipped.body as { data: { sessionInfo: unknown } }).data.sessionInfo).toEqual({ databaseName: 'Db', schemaName: 'S', warehouseName: 'W2', roleName: 'PUBLIC' });
  });

  it("answers failures with HTTP 200, success false and Snowflake's code, as the drivers expect", async () => {
    const wrong = await answerLoginRequest(auth, body({ LOGIN_NAME: 'ERIN', PASSWORD: 'nope' }), new URLSearchParams(), '127.0.0.1', MAX);
    expect(wrong).toEqual({
      status: 200,
      headers: {},
      body: { data: { nextAction: 'RETRY_LOGIN', authnMethod: 'USERNAME_PASSWORD', sqlState: '08001' }, code: '390100', message: 'Incorrect username or password was specified.', success: false },
    });
    const role = await answerLoginRequest(auth, body({ LOGIN_NAME: 'ERIN', PASSWORD: 'erin-pass' }), new URLSearchParams('roleName=ACCOUNTADMIN'), '127.0.0.1', MAX);
    expect([role.status, (role.body as { code: string }).code]).toEqual([200, '390189']);
    const oauth = await answerLoginRequest(auth, body({ LOGIN_NAME: 'ERIN', TOKEN: 'x', AUTHENTICATOR: 'OAUTH' }), new URLSearchParams(), '127.0.0.1', MAX);
    expect([oauth.status, (oauth.body as { code: string; message: string }).code, (oauth.body as { message: string }).message]).toEqual([200, '390201', 'AUTHENTICATOR OAUTH is not supported']);
  });

  it('answers a malformed body with 400 BAD_REQUEST, and an inflated gzip past the limit too', async () => {
    for (const raw of [Buffer.from('{"data": '), Buffer.from('[]'), Buffer.from('{"data": [1]}'), Buffer.from([0x1f, 0x8b, 0, 1]), gzipSync(Buffer.alloc(2 * MAX, 32))]) {
      const r = await answerLoginRequest(auth, raw, new URLSearchParams(), '127.0.0.1', MAX);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ success: false, code: '390401' });
    }
  });
});
