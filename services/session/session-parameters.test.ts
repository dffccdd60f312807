import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { parseSql } from '../sql/parse-sql.js';
import { DEFAULT_SESSION_PARAMETERS, driverResultParameters, exprSettingsOf, requestParameters, runAlterSession, runShowParameters } from './session-parameters.js';

function alter(sql: string) {
  const [st] = parseSql(sql);
  if (st.kind !== 'alter_session') throw new Error(`not ALTER SESSION: ${st.kind}`);
  return st;
}

describe('session parameters', () => {
  it("start from Snowflake's defaults, then the request's parameters", () => {
    expect([DEFAULT_SESSION_PARAMETERS.useCachedResult, DEFAULT_SESSION_PARAMETERS.timezone, DEFAULT_SESSION_PARAMETERS.statementTimeoutInSeconds]).toEqual([true, 'America/Los_Angeles', 172800]);
    expect([DEFAULT_SESSION_PARAMETERS.timestampTypeMapping, DEFAULT_SESSION_PARAMETERS.weekStart, DEFAULT_SESSION_PARAMETERS.binaryOutputFormat, DEFAULT_SESSION_PARAMETERS.queryTag]).toEqual(['TIMESTAMP_NTZ', 0, 'HEX', '']);
    expect(requestParameters(undefined)).toEqual(DEFAULT_SESSION_PARAMETERS);
    expect(requestParameters({})).toEqual(DEFAULT_SESSION_PARAMETERS);
    expect(requestParameters({ useCachedResult: false })).toEqual({ ...DEFAULT_SESSION_PARAMETERS, useCachedResult: false });
    // A default session stamps no settings on its plans.
    expect(exprSettingsOf(requestParameters({}))).toBeUndefined();
  });

  it('ALTER SESSION SET and UNSET USE_CACHED_RESULT change the request\'s parameters and answer Snowflake\'s status', () => {
    const params = requestParameters({});
    const answer = runAlterSession(alter('ALTER SESSION SET USE_CACHED_RESULT = FALSE'), params);
    expect(params).toEqual({ ...DEFAULT_SESSION_PARAMETERS, useCachedResult: false });
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
    expect([(err as CompilationError).code, (err as CompilationError).message]).toEqual(['001423', "SQL compilation error: invalid value [Mars/Olympus] for parameter 'TIMEZONE'"]);
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
    expect(fails('ALTER SESSION SET LOCK_TIMEOUT = 5')).toBeInstanceOf(NotSupportedError);
    expect(fails('ALTER SESSION SET JSON_INDENT = 4')).toBeInstanceOf(NotSupportedError);
    for (const [sql, value] of [
      ['ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 604801', '604801'],
      ['ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = 1.5', '1.5'],
      ["ALTER SESSION SET BINARY_OUTPUT_FORMAT = 'UTF-8'", 'UTF-8'],
      ['ALTER SESSION SET WEEK_START = 8', '8'],
      ['ALTER SESSION SET WEEK_OF_YEAR_POLICY = 2', '2'],
      ["ALTER SESSION SET DATE_OUTPUT_FORMAT = 'AUTO'", 'AUTO'],
      ["ALTER SESSION SET DATE_OUTPUT_FORMAT = 'YYYY-QQ'", 'YYYY-QQ'],
      ['ALTER SESSION SET TIMESTAMP_TYPE_MAPPING = TIMESTAMP', 'TIMESTAMP'],
      ["ALTER SESSION SET AUTOCOMMIT = 'maybe'", 'maybe'],
    ] as const) {
      const e = fails(sql) as CompilationError;
      expect([e.code, e.sqlState, e.message], sql).toEqual(['001423', '22023', `SQL compilation error: invalid value [${value}] for parameter '${sql.split(' ')[3]}'`]);
    }
    expect(params).toEqual(DEFAULT_SESSION_PARAMETERS);
  });

  it('reads every parameter as Snowflake does: values checked, names of formats upper-cased, strings kept as written', () => {
    const params = requestParameters({});
    runAlterSession(
      alter(
        "ALTER SESSION SET QUERY_TAG = 'Nightly Load', STATEMENT_TIMEOUT_IN_SECONDS = 60, BINARY_OUTPUT_FORMAT = base64, BINARY_INPUT_FORMAT = 'utf8' " +
          "DATE_OUTPUT_FORMAT = 'DD/MM/YYYY', WEEK_START = 3, WEEK_OF_YEAR_POLICY = 1, TIMESTAMP_TYPE_MAPPING = 'timestamp_ltz', ROWS_PER_RESULTSET = 10, " +
          "AUTOCOMMIT = false, ABORT_DETACHED_QUERY = TRUE, TIMESTAMP_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI TZH:TZM', TIME_INPUT_FORMAT = 'HH12:MI AM'",
      ),
      params,
    );
    expect(params).toEqual({
      ...DEFAULT_SESSION_PARAMETERS,
      queryTag: 'Nightly Load',
      statementTimeoutInSeconds: 60,
      binaryOutputFormat: 'BASE64',
      binaryInputFormat: 'UTF-8',
      dateOutputFormat: 'DD/MM/YYYY',
      weekStart: 3,
      weekOfYearPolicy: 1,
      timestampTypeMapping: 'TIMESTAMP_LTZ',
      rowsPerResultset: 10,
      autocommit: false,
      abortDetachedQuery: true,
      timestampOutputFormat: 'YYYY-MM-DD HH24:MI TZH:TZM',
      timeInputFormat: 'HH12:MI AM',
    });
    // What casts and functions read: only what differs from the defaults; LTZ and TZ fall back to TIMESTAMP_OUTPUT_FORMAT.
    expect(exprSettingsOf(params)).toEqual({
      binaryInput: 'UTF-8',
      binaryOutput: 'BASE64',
      dateOutput: 'DD/MM/YYYY',
      timestampLtzOutput: 'YYYY-MM-DD HH24:MI TZH:TZM',
      timestampTzOutput: 'YYYY-MM-DD HH24:MI TZH:TZM',
      timeInput: 'HH12:MI AM',
      weekStart: 3,
      weekOfYearPolicy: 1,
    });
    expect(driverResultParameters(params)).toContainEqual({ name: 'DATE_OUTPUT_FORMAT', value: 'DD/MM/YYYY' });
    expect(driverResultParameters(params)).toContainEqual({ name: 'BINARY_OUTPUT_FORMAT', value: 'BASE64' });
    const shown = runShowParameters({ kind: 'show_parameters', like: '%tag%' }, params);
    expect(shown.columns.map((c) => c.name)).toEqual(['key', 'value', 'default', 'level', 'description', 'type']);
    expect(shown.columns.map((c) => scalarAt(shown.batch.columns[shown.columns.indexOf(c)], 0, c.type))).toEqual([
      'QUERY_TAG', 'Nightly Load', '', 'SESSION', expect.stringContaining('tag'), 'STRING',
    ]);
    runAlterSession(alter('ALTER SESSION UNSET QUERY_TAG, WEEK_START, autocommit'), params);
    expect([params.queryTag, params.weekStart, params.autocommit]).toEqual(['', 0, true]);
  });
});

describe('ALTER SESSION parsing', () => {
  it('reads SET pairs separated by commas or spaces, and UNSET names separated by commas', () => {
    expect(alter("ALTER SESSION SET USE_CACHED_RESULT = FALSE QUERY_TAG = 'a b', TIMEZONE = 'UTC'")).toEqual({
      kind: 'alter_session',
      set: [
        { name: 'USE_CACHED_RESULT', value: 'FALSE' },
        { name: 'QUERY_TAG', value: 'a b' },
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
