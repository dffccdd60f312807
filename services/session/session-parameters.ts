/**
 * Session parameters: the settings ALTER SESSION changes. A session of the SQL API v2 is one
 * request: its `parameters` set the starting values, and in a multi-statement request an
 * ALTER SESSION applies to the statements after it; nothing carries over to the next request.
 *
 * Contract: Firn has two parameters: USE_CACHED_RESULT (BOOLEAN, default TRUE: a repeated query
 * may be answered from the result cache, result-cache.ts) and TIMEZONE (an IANA zone name or a
 * fixed offset, default America/Los_Angeles as in Snowflake: the zone TIMESTAMP_LTZ values are
 * shown in and NTZ <-> LTZ/TZ conversions use; kept canonical, 'utc' -> 'UTC'). `requestParameters` reads the
 * request body's `parameters` object (keys case-insensitive; values true/false or their
 * strings); `runAlterSession` applies SET / UNSET to the request's SessionParameters and
 * answers Snowflake's status. Snowflake's other session parameters are NotSupportedError;
 * an unknown name or a value that is not a BOOLEAN is INVALID_PROPERTY (001423 / 22023).
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import type { Statement } from '../sql/ast.js';
import { canonicalZone, DEFAULT_TIMEZONE } from '../../storage/types/time-zone.js';
import { status, type Answer } from './answer.js';

export type SessionParameters = { useCachedResult: boolean; timezone: string };

export const DEFAULT_SESSION_PARAMETERS: Readonly<SessionParameters> = { useCachedResult: true, timezone: DEFAULT_TIMEZONE };

/** Snowflake session parameters Firn does not implement (a few common ones; others are unknown). */
const UNIMPLEMENTED = new Set([
  'QUERY_TAG', 'AUTOCOMMIT', 'LOCK_TIMEOUT', 'STATEMENT_TIMEOUT_IN_SECONDS', 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS',
  'DATE_OUTPUT_FORMAT', 'TIME_OUTPUT_FORMAT', 'TIMESTAMP_OUTPUT_FORMAT', 'TIMESTAMP_NTZ_OUTPUT_FORMAT', 'TIMESTAMP_LTZ_OUTPUT_FORMAT',
  'TIMESTAMP_TZ_OUTPUT_FORMAT', 'TIMESTAMP_TYPE_MAPPING', 'BINARY_OUTPUT_FORMAT', 'ROWS_PER_RESULTSET', 'MULTI_STATEMENT_COUNT',
  'QUOTED_IDENTIFIERS_IGNORE_CASE', 'WEEK_START', 'WEEK_OF_YEAR_POLICY', 'ABORT_DETACHED_QUERY', 'TRANSACTION_ABORT_ON_ERROR',
]);

/** The parameters a request starts with: the defaults, then its body's `parameters`. */
export function requestParameters(given: Partial<SessionParameters> | undefined): SessionParameters {
  return { ...DEFAULT_SESSION_PARAMETERS, ...given };
}

/** Applies ALTER SESSION SET | UNSET to `params`; the whole statement is checked before anything changes. */
export function runAlterSession(st: Extract<Statement, { kind: 'alter_session' }>, params: SessionParameters): Answer {
  const next = { ...params };
  for (const { name, value } of st.set) {
    checkName(name);
    if (name === 'TIMEZONE') next.timezone = zoneValue(name, value);
    else next.useCachedResult = booleanValue(name, value);
  }
  for (const name of st.unset) {
    checkName(name);
    if (name === 'TIMEZONE') next.timezone = DEFAULT_SESSION_PARAMETERS.timezone;
    else next.useCachedResult = DEFAULT_SESSION_PARAMETERS.useCachedResult;
  }
  Object.assign(params, next);
  return status('Statement executed successfully.');
}

function checkName(name: string): void {
  if (name === 'USE_CACHED_RESULT' || name === 'TIMEZONE') return;
  if (UNIMPLEMENTED.has(name)) throw new NotSupportedError(`Session parameter ${name}`);
  throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid parameter '${name}'`);
}

/** A BOOLEAN parameter's value: TRUE or FALSE (also quoted, any case). */
export function booleanValue(name: string, value: string): boolean {
  const v = value.toUpperCase();
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid value [${value}] for parameter '${name}'`);
}

/** A TIMEZONE value: a zone Intl knows, in its canonical spelling. */
export function zoneValue(name: string, value: string): string {
  const zone = canonicalZone(value);
  if (zone === null) throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid value [${value}] for parameter '${name}'`);
  return zone;
}
