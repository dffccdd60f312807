import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { parseSql } from '../sql/parse-sql.js';
import { DEFAULT_SESSION_PARAMETERS, requestParameters, runAlterSession } from './session-parameters.js';

function alter(sql: string) {
  const [st] = parseSql(sql);
  if (st.kind !== 'alter_session') throw new Error(`not ALTER SESSION: ${st.kind}`);
  return st;
}

describe('session parameters', () => {
  it('start from USE_CACHED_RESULT = TRUE, then the request\'s parameters', () => {
    expect(DEFAULT_SESSION_PARAMETERS).toEqual({ useCachedResult: true, timezone: 'America/Los_Angeles' });
    expect(requestParameters(undefined)).toEqual({ useCachedResult: true, timezone: 'America/Los_Angeles' });
    expect(requestParameters({})).toEqual({ useCachedResult: true, timezone: 'America/Los_Angeles' });
    expect(requestParameters({ useCachedResult: false })).toEqual({ useCachedResult: false, timezone: 'America/Los_Angeles' });
  });

  it('ALTER SESSION SET and UNSET USE_CACHED_RESULT change the request\'s parameters and answer Snowflake\'s status', () => {
    const params = requestParameters({});
    const answer = runAlterSession(alter('ALTER SESSION SET USE_CACHED_RESULT = FALSE'), params);
    expect(params).toEqual({ useCachedResult: false, timezone: 'America/Los_Angeles' });
    expect(answer.columns).toEqual([{ name: 'status', type: expect.objectContaining({ kind: 'VARCHAR' }), nullable: false }]);
    expect(scalarAt(answer.batch.columns[0], 0, answer.columns[0].type)).toBe('Statement executed successfully.');
    runAlterSession(alter("alter session set use_cached_result = 'true'"), params);
    expect(params.useCachedResult).toBe(true);
    runAlterSession(alter('ALTER SESSION SET USE_CACHED_RESULT = false'), params);
    runAlterSession(alter('ALTER SESSION UNSET USE_CACHED_RESULT'), params);
    expect(params.useCachedResult).toBe(true);
  });

  it('ALTER SESSION SET TIMEZONE keeps the canonical zone name; an unknown zone is 001423; UNSET restores America/Los_Angeles', () => {
    const params = requestParameters({});
    expect(params.timezone).toBe('America/Los_Angeles');
    runAlterSession(alter("ALTER SESSION SET TIMEZONE = 'europe/berlin'"), params);
    expect(params.timezone).toBe('Europe/Berlin');
    let err: unknown = null;
    try {
      runAlterSession(alter("ALTER SESSION SET TIMEZONE = 'Mars/Olympus'"), params);
    } catch (e) {
      err = e;
    }
    expect([(err as CompilationError).code, (err as CompilationError).message]).toEqual(['001423', "SQL compilation error: invalid value [MARS/OLYMPUS] for parameter 'TIMEZONE'"]);
    expect(params.timezone).toBe('Europe/Berlin');
    runAlterSession(alter('ALTER SESSION UNSET TIMEZONE'), params);
    expect(params.timezone).toBe('America/Los_Angeles');
  });

  it('refuses unknown names and non-BOOLEAN values (001423), and Snowflake parameters Firn lacks (NOT_SUPPORTED), changing nothing', () => {
    const params = requestParameters({});
    const fails = (sql: string) => {
      try {
        runAlterSession(alter(sql), params);
      } catch (err) {
        return err;
      }
      throw new Error(`${sql} did not fail`);
    };
    const unknown = fails('ALTER SESSION SET USE_CACHED_RESULT = FALSE, NO_SUCH_PARAM = 1');
    expect(unknown).toBeInstanceOf(CompilationError);
    expect([(unknown as CompilationError).code, (unknown as CompilationError).message]).toEqual(['001423', "SQL compilation error: invalid parameter 'NO_SUCH_PARAM'"]);
    const value = fails('ALTER SESSION SET USE_CACHED_RESULT = 7');
    expect([(value as CompilationError).code, (value as CompilationError).message]).toEqual(['001423', "SQL compilation error: invalid value [7] for parameter 'USE_CACHED_RESULT'"]);
    expect(fails("ALTER SESSION SET QUERY_TAG = 'x'")).toBeInstanceOf(NotSupportedError);
    expect(params.useCachedResult).toBe(true);
  });
});

describe('ALTER SESSION parsing', () => {
  it('reads SET pairs separated by commas or spaces, and UNSET names separated by commas', () => {
    expect(alter("ALTER SESSION SET USE_CACHED_RESULT = FALSE QUERY_TAG = 'a b', TIMEZONE = 'UTC'")).toEqual({
      kind: 'alter_session',
      set: [
        { name: 'USE_CACHED_RESULT', value: 'FALSE' },
        { name: 'QUERY_TAG', value: 'A B' },
        { name: 'TIMEZONE', value: 'UTC' },
      ],
      unset: [],
    });
    expect(alter('alter session unset use_cached_result, timezone')).toEqual({ kind: 'alter_session', set: [], unset: ['USE_CACHED_RESULT', 'TIMEZONE'] });
  });

  it('is a syntax error without a value or with a stray token', () => {
    for (const sql of ['ALTER SESSION SET USE_CACHED_RESULT', 'ALTER SESSION SET USE_CACHED_RESULT =', 'ALTER SESSION UNSET USE_CACHED_RESULT = TRUE', 'ALTER SESSION', 'ALTER SESSION RESET X']) {
      expect(() => parseSql(sql), sql).toThrow(/unexpected|syntax/i);
    }
  });
});
