import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { parseTransferStatement } from './stage-transfer.js';

describe('parseTransferStatement', () => {
  it('answers null for statements that are not PUT or GET', () => {
    expect(parseTransferStatement('SELECT 1')).toBeNull();
    expect(parseTransferStatement('  list @s')).toBeNull();
  });

  it('reads PUT with Snowflake defaults and options, quoted or not', () => {
    expect(parseTransferStatement('put file:///tmp/data/*.csv @s/in/')).toEqual({ kind: 'put', source: '/tmp/data/*.csv', location: '@s/in/', autoCompress: true, overwrite: false, parallel: 4 });
    expect(parseTransferStatement("PUT 'file:///tmp/my data.csv' '@\"My Stage\"' AUTO_COMPRESS = FALSE OVERWRITE=true PARALLEL = 2")).toEqual({
      kind: 'put', source: '/tmp/my data.csv', location: '@"My Stage"', autoCompress: false, overwrite: true, parallel: 2,
    });
    expect(parseTransferStatement('PUT file://rel/a.csv @s')).toMatchObject({ source: path.resolve('rel/a.csv') });
  });

  it('reads GET with its local directory and PATTERN', () => {
    expect(parseTransferStatement("GET @s/out/ file:///tmp/got PATTERN = '.*[.]gz'")).toEqual({ kind: 'get', location: '@s/out/', targetDir: '/tmp/got', pattern: '.*[.]gz', parallel: 4 });
  });

  it.each(['PUT /tmp/a.csv @s', 'PUT file:///tmp/a.csv s', 'PUT file:///tmp/a.csv @s OVERWRITE', 'PUT file:///a @s PARALLEL = 0', 'PUT file:///a @s COLOR = RED', 'GET @s', "PUT 'file:///a @s"])('refuses %j', (sql) => {
    expect(() => parseTransferStatement(sql)).toThrow(SqlSyntaxError);
  });
});
