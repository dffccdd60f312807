/**
 * Session parameters: the settings ALTER SESSION SET / UNSET changes and SHOW PARAMETERS lists.
 * A session of the SQL API v2 is one request: its body's `parameters` set the starting values,
 * and in a multi-statement request an ALTER SESSION applies to the statements after it. A login
 * session (the snowflake-sdk driver) keeps one SessionParameters object for all its requests
 * (driver-sessions.ts), so a setting lasts until the session ends.
 *
 * Contract: PARAMETERS lists every parameter Firn has, with Snowflake's name, type, default and
 * validation; a value is checked and normalized when it is set (a BOOLEAN from TRUE / FALSE in
 * any case, quoted or not; a NUMBER within its range; formats compiled, output formats never
 * AUTO; names of formats and mappings upper-cased), and the whole statement is checked before
 * anything changes. An unknown name is 001423 "invalid parameter 'X'", a bad value 001423
 * "invalid value [v] for parameter 'X'"; AUTOCOMMIT = FALSE opens a transaction at the next DML
 * (firn-engine.ts). What each parameter does:
 *   TIMEZONE, USE_CACHED_RESULT     the session's zone (stamp-zone.ts), the result cache
 *   QUERY_TAG                       recorded with each statement (QUERY_HISTORY's QUERY_TAG)
 *   STATEMENT_TIMEOUT_IN_SECONDS    the statements' time limit, with the request's and the
 *                                   warehouse's (the smallest non-zero one wins)
 *   *_OUTPUT_FORMAT, *_INPUT_FORMAT, BINARY_*_FORMAT, WEEK_START, WEEK_OF_YEAR_POLICY
 *                                   casts and functions, through exprSettingsOf (expr-settings.ts),
 *                                   and the formats the driver renders results with
 *   TIMESTAMP_TYPE_MAPPING          what TIMESTAMP and TO_TIMESTAMP mean (timestamp-mapping.ts)
 *   ROWS_PER_RESULTSET              at most that many rows in a query's result (0: no limit)
 *   AUTOCOMMIT, ABORT_DETACHED_QUERY, JSON_INDENT are kept and shown; JSON_INDENT 2 is how Firn
 *   prints VARIANT values (other values are NotSupportedError), ABORT_DETACHED_QUERY is Firn's
 *   behaviour either way (a statement whose client went away is canceled).
 * Snowflake's other session parameters are NotSupportedError.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, type TimestampKind } from '../../storage/types/data-type.js';
import { binaryFormatOf, type BinaryFormat } from '../../storage/types/binary-text.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { canonicalZone, DEFAULT_TIMEZONE } from '../../storage/types/time-zone.js';
import type { ExprSettings } from '../../warehouse/fragment/expr-settings.js';
import { compileDateTimeFormat } from '../../warehouse/execute/functions/datetime-format.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import { status, type Answer } from './answer.js';
import { likeFilter } from './like-filter.js';

export type SessionParameters = {
  abortDetachedQuery: boolean;
  autocommit: boolean;
  binaryInputFormat: BinaryFormat;
  binaryOutputFormat: 'HEX' | 'BASE64';
  dateInputFormat: string;
  dateOutputFormat: string;
  jsonIndent: number;
  queryTag: string;
  rowsPerResultset: number;
  statementTimeoutInSeconds: number;
  timeInputFormat: string;
  timeOutputFormat: string;
  timestampInputFormat: string;
  timestampLtzOutputFormat: string;
  timestampNtzOutputFormat: string;
  timestampOutputFormat: string;
  timestampTypeMapping: TimestampKind;
  timestampTzOutputFormat: string;
  timezone: string;
  useCachedResult: boolean;
  weekOfYearPolicy: number;
  weekStart: number;
};

export const DEFAULT_SESSION_PARAMETERS: Readonly<SessionParameters> = {
  abortDetachedQuery: false,
  autocommit: true,
  binaryInputFormat: 'HEX',
  binaryOutputFormat: 'HEX',
  dateInputFormat: 'AUTO',
  dateOutputFormat: 'YYYY-MM-DD',
  jsonIndent: 2,
  queryTag: '',
  rowsPerResultset: 0,
  statementTimeoutInSeconds: 172_800,
  timeInputFormat: 'AUTO',
  timeOutputFormat: 'HH24:MI:SS',
  timestampInputFormat: 'AUTO',
  timestampLtzOutputFormat: '',
  timestampNtzOutputFormat: 'YYYY-MM-DD HH24:MI:SS.FF3',
  timestampOutputFormat: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  timestampTypeMapping: 'TIMESTAMP_NTZ',
  timestampTzOutputFormat: '',
  timezone: DEFAULT_TIMEZONE,
  useCachedResult: true,
  weekOfYearPolicy: 0,
  weekStart: 0,
};

/** The largest STATEMENT_TIMEOUT_IN_SECONDS (7 days), as in Snowflake. */
export const MAX_STATEMENT_TIMEOUT_SECONDS = 604_800;
const MAX_QUERY_TAG_LENGTH = 2000;

type Key = keyof SessionParameters;
type ParameterType = 'BOOLEAN' | 'NUMBER' | 'STRING';

/** One parameter: Snowflake's name and type, what it is, and how a value written for it is read. */
export type ParameterSpec = {
  name: string;
  key: Key;
  type: ParameterType;
  description: string;
  /** The value as written (a string's content, a word or a number's text) -> the stored value, or null when not valid. */
  read: (value: string) => SessionParameters[Key] | null;
};

function booleanRead(value: string): boolean | null {
  const v = value.trim().toUpperCase();
  return v === 'TRUE' ? true : v === 'FALSE' ? false : null;
}

function integerRead(min: number, max: number): (value: string) => number | null {
  return (value) => {
    if (!/^\s*\d+\s*$/.test(value)) return null;
    const n = Number(value);
    return n >= min && n <= max ? n : null;
  };
}

function formatRead(output: boolean): (value: string) => string | null {
  return (value) => {
    if (value.trim().toUpperCase() === 'AUTO') return output ? null : 'AUTO';
    if (value === '') return output ? '' : null;
    try {
      compileDateTimeFormat(value);
      return value;
    } catch {
      return null;
    }
  };
}

export const PARAMETERS: readonly ParameterSpec[] = [
  { name: 'ABORT_DETACHED_QUERY', key: 'abortDetachedQuery', type: 'BOOLEAN', description: 'Cancel a statement once its client has gone away.', read: booleanRead },
  { name: 'AUTOCOMMIT', key: 'autocommit', type: 'BOOLEAN', description: 'Whether each DML statement commits on its own; with FALSE a DML statement opens a transaction that COMMIT or ROLLBACK ends.', read: booleanRead },
  {
    name: 'BINARY_INPUT_FORMAT',
    key: 'binaryInputFormat',
    type: 'STRING',
    description: 'How text converts to BINARY: HEX, BASE64 or UTF-8.',
    read: (v) => binaryFormatOf(v),
  },
  {
    name: 'BINARY_OUTPUT_FORMAT',
    key: 'binaryOutputFormat',
    type: 'STRING',
    description: 'How BINARY values convert to text: HEX or BASE64.',
    read: (v) => {
      const f = binaryFormatOf(v);
      return f === 'HEX' || f === 'BASE64' ? f : null;
    },
  },
  { name: 'DATE_INPUT_FORMAT', key: 'dateInputFormat', type: 'STRING', description: 'The format text is read in as a DATE (AUTO: the usual forms).', read: formatRead(false) },
  { name: 'DATE_OUTPUT_FORMAT', key: 'dateOutputFormat', type: 'STRING', description: 'The format of a DATE converted to text.', read: formatRead(true) },
  { name: 'JSON_INDENT', key: 'jsonIndent', type: 'NUMBER', description: 'The indentation of VARIANT, OBJECT and ARRAY values in results (0: compact).', read: integerRead(0, 16) },
  {
    name: 'QUERY_TAG',
    key: 'queryTag',
    type: 'STRING',
    description: 'A tag recorded with every statement the session runs (QUERY_HISTORY.QUERY_TAG).',
    read: (v) => (v.length <= MAX_QUERY_TAG_LENGTH ? v : null),
  },
  { name: 'ROWS_PER_RESULTSET', key: 'rowsPerResultset', type: 'NUMBER', description: 'The most rows a query answers with (0: no limit).', read: integerRead(0, Number.MAX_SAFE_INTEGER) },
  {
    name: 'STATEMENT_TIMEOUT_IN_SECONDS',
    key: 'statementTimeoutInSeconds',
    type: 'NUMBER',
    description: 'Seconds after which a running statement is canceled (0: the largest, 604800).',
    read: integerRead(0, MAX_STATEMENT_TIMEOUT_SECONDS),
  },
  { name: 'TIMESTAMP_INPUT_FORMAT', key: 'timestampInputFormat', type: 'STRING', description: 'The format text is read in as a timestamp (AUTO: the usual forms).', read: formatRead(false) },
  {
    name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT',
    key: 'timestampLtzOutputFormat',
    type: 'STRING',
    description: 'The format of a TIMESTAMP_LTZ converted to text (empty: TIMESTAMP_OUTPUT_FORMAT).',
    read: formatRead(true),
  },
  {
    name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT',
    key: 'timestampNtzOutputFormat',
    type: 'STRING',
    description: 'The format of a TIMESTAMP_NTZ converted to text (empty: TIMESTAMP_OUTPUT_FORMAT).',
    read: formatRead(true),
  },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', key: 'timestampOutputFormat', type: 'STRING', description: 'The format of a timestamp converted to text, unless its type has one of its own.', read: formatRead(true) },
  {
    name: 'TIMESTAMP_TYPE_MAPPING',
    key: 'timestampTypeMapping',
    type: 'STRING',
    description: 'The type TIMESTAMP stands for: TIMESTAMP_NTZ, TIMESTAMP_LTZ or TIMESTAMP_TZ.',
    read: (v) => {
      const u = v.trim().toUpperCase();
      return u === 'TIMESTAMP_NTZ' || u === 'TIMESTAMP_LTZ' || u === 'TIMESTAMP_TZ' ? u : null;
    },
  },
  {
    name: 'TIMESTAMP_TZ_OUTPUT_FORMAT',
    key: 'timestampTzOutputFormat',
    type: 'STRING',
    description: 'The format of a TIMESTAMP_TZ converted to text (empty: TIMESTAMP_OUTPUT_FORMAT).',
    read: formatRead(true),
  },
  { name: 'TIME_INPUT_FORMAT', key: 'timeInputFormat', type: 'STRING', description: 'The format text is read in as a TIME (AUTO: the usual forms).', read: formatRead(false) },
  { name: 'TIME_OUTPUT_FORMAT', key: 'timeOutputFormat', type: 'STRING', description: 'The format of a TIME converted to text.', read: formatRead(true) },
  { name: 'TIMEZONE', key: 'timezone', type: 'STRING', description: 'The time zone of TIMESTAMP_LTZ values and of conversions between timestamp types.', read: (v) => canonicalZone(v) },
  {
    name: 'USE_CACHED_RESULT',
    key: 'useCachedResult',
    type: 'BOOLEAN',
    description: 'Whether a repeated query may be answered from the result cache.',
    read: booleanRead,
  },
  {
    name: 'WEEK_OF_YEAR_POLICY',
    key: 'weekOfYearPolicy',
    type: 'NUMBER',
    description: 'Which year a week belongs to: 0, the one holding 4 of its days; 1, January 1st always starts week 1.',
    read: integerRead(0, 1),
  },
  { name: 'WEEK_START', key: 'weekStart', type: 'NUMBER', description: 'The first day of the week: 0 ISO (Monday), 1 (Monday) to 7 (Sunday).', read: integerRead(0, 7) },
];

const BY_NAME = new Map(PARAMETERS.map((p) => [p.name, p]));

/** Snowflake session parameters Firn does not implement (a few common ones; others are unknown). */
const UNIMPLEMENTED = new Set([
  'LOCK_TIMEOUT', 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS', 'MULTI_STATEMENT_COUNT', 'QUOTED_IDENTIFIERS_IGNORE_CASE',
  'TRANSACTION_ABORT_ON_ERROR', 'TRANSACTION_DEFAULT_ISOLATION_LEVEL', 'TWO_DIGIT_CENTURY_START', 'ERROR_ON_NONDETERMINISTIC_MERGE',
  'ERROR_ON_NONDETERMINISTIC_UPDATE', 'CLIENT_TIMESTAMP_TYPE_MAPPING', 'GEOGRAPHY_OUTPUT_FORMAT', 'GEOMETRY_OUTPUT_FORMAT',
  'SEARCH_PATH', 'SIMULATED_DATA_SHARING_CONSUMER', 'STRICT_JSON_OUTPUT', 'UNSUPPORTED_DDL_ACTION', 'LOG_LEVEL', 'TRACE_LEVEL',
]);

/** The parameters a request starts with: the defaults, then its body's `parameters`. */
export function requestParameters(given: Partial<SessionParameters> | undefined): SessionParameters {
  return { ...DEFAULT_SESSION_PARAMETERS, ...given };
}

function invalidParameter(name: string): CompilationError {
  return new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid parameter '${name}'`);
}

function invalidValue(name: string, value: string): CompilationError {
  return new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid value [${value}] for parameter '${name}'`);
}

/** The spec of a parameter name (any case); unknown names and unimplemented ones throw. */
export function parameterSpec(name: string): ParameterSpec {
  const upper = name.toUpperCase();
  const spec = BY_NAME.get(upper);
  if (spec) return spec;
  if (UNIMPLEMENTED.has(upper)) throw new NotSupportedError(`Session parameter ${upper}`);
  throw invalidParameter(upper);
}

/** A value written for `spec`, checked and normalized; invalid values throw 001423. */
export function readParameterValue(spec: ParameterSpec, value: string): SessionParameters[Key] {
  const v = spec.read(value);
  if (v === null) throw invalidValue(spec.name, value);
  if (spec.key === 'jsonIndent' && v !== DEFAULT_SESSION_PARAMETERS.jsonIndent) throw new NotSupportedError(`JSON_INDENT = ${v} (Firn prints VARIANT values with an indentation of 2)`);
  return v;
}

/** Applies ALTER SESSION SET | UNSET to `params`; the whole statement is checked before anything changes. */
export function runAlterSession(st: Extract<Statement, { kind: 'alter_session' }>, params: SessionParameters): Answer {
  const next: Record<string, unknown> = { ...params };
  for (const { name, value } of st.set) {
    const spec = parameterSpec(name);
    next[spec.key] = readParameterValue(spec, value);
  }
  for (const name of st.unset) {
    const spec = parameterSpec(name);
    next[spec.key] = DEFAULT_SESSION_PARAMETERS[spec.key];
  }
  Object.assign(params, next);
  return status('Statement executed successfully.');
}

/** A BOOLEAN parameter's value: TRUE or FALSE (also quoted, any case). */
export function booleanValue(name: string, value: string): boolean {
  const v = booleanRead(value);
  if (v === null) throw invalidValue(name, value);
  return v;
}

/** A TIMEZONE value: a zone Intl knows, in its canonical spelling. */
export function zoneValue(name: string, value: string): string {
  const zone = canonicalZone(value);
  if (zone === null) throw invalidValue(name, value);
  return zone;
}

function valueText(v: SessionParameters[Key]): string {
  return typeof v === 'boolean' ? String(v) : String(v);
}

const SHOW_COLUMNS: Column[] = [
  { name: 'key', type: Types.varchar, nullable: false },
  { name: 'value', type: Types.varchar, nullable: true },
  { name: 'default', type: Types.varchar, nullable: true },
  { name: 'level', type: Types.varchar, nullable: true },
  { name: 'description', type: Types.varchar, nullable: true },
  { name: 'type', type: Types.varchar, nullable: true },
];

/**
 * SHOW PARAMETERS [LIKE '<pattern>'] [IN SESSION]: every parameter by name, its value in the
 * session, its default, and level SESSION where the session's value differs from the default
 * ('' where it does not), as Snowflake lists them.
 */
export function runShowParameters(st: Extract<Statement, { kind: 'show_parameters' }>, params: SessionParameters): Answer {
  const like = likeFilter(st.like);
  const rows = PARAMETERS.filter((p) => like(p.name)).map((p): Scalar[] => {
    const value = valueText(params[p.key]);
    const def = valueText(DEFAULT_SESSION_PARAMETERS[p.key]);
    return [p.name, value, def, value === def ? '' : 'SESSION', p.description, p.type];
  });
  return { columns: SHOW_COLUMNS, batch: rowsToBatch(SHOW_COLUMNS, rows) };
}

/**
 * The settings casts and functions read (expr-settings.ts): only those that differ from
 * Snowflake's defaults, so a default session's plans are unchanged. The LTZ / TZ / NTZ output
 * formats are resolved here: a type's own format, else TIMESTAMP_OUTPUT_FORMAT.
 */
export function exprSettingsOf(p: SessionParameters): ExprSettings | undefined {
  const d = DEFAULT_SESSION_PARAMETERS;
  const s: ExprSettings = {};
  if (p.binaryInputFormat !== d.binaryInputFormat) s.binaryInput = p.binaryInputFormat;
  if (p.binaryOutputFormat !== d.binaryOutputFormat) s.binaryOutput = p.binaryOutputFormat;
  if (p.dateOutputFormat !== d.dateOutputFormat) s.dateOutput = p.dateOutputFormat;
  if (p.timeOutputFormat !== d.timeOutputFormat) s.timeOutput = p.timeOutputFormat;
  const ntz = p.timestampNtzOutputFormat || p.timestampOutputFormat;
  if (ntz !== d.timestampNtzOutputFormat) s.timestampNtzOutput = ntz;
  const ltz = p.timestampLtzOutputFormat || p.timestampOutputFormat;
  if (ltz !== d.timestampOutputFormat) s.timestampLtzOutput = ltz;
  const tz = p.timestampTzOutputFormat || p.timestampOutputFormat;
  if (tz !== d.timestampOutputFormat) s.timestampTzOutput = tz;
  if (p.dateInputFormat !== 'AUTO') s.dateInput = p.dateInputFormat;
  if (p.timeInputFormat !== 'AUTO') s.timeInput = p.timeInputFormat;
  if (p.timestampInputFormat !== 'AUTO') s.timestampInput = p.timestampInputFormat;
  if (p.weekStart !== d.weekStart) s.weekStart = p.weekStart;
  if (p.weekOfYearPolicy !== d.weekOfYearPolicy) s.weekOfYearPolicy = p.weekOfYearPolicy;
  return Object.keys(s).length > 0 ? s : undefined;
}

/**
 * The formats the snowflake-sdk driver renders a result's values with (its answer's
 * `parameters`): the session's where it set them; where it did not, TIME and TIMESTAMP_NTZ with
 * all 9 fraction digits (Snowflake's defaults show none and 3), so the values the driver hands
 * out are exactly the ones Firn holds.
 */
export function driverResultParameters(p: SessionParameters): { name: string; value: string }[] {
  const d = DEFAULT_SESSION_PARAMETERS;
  const out = [
    { name: 'TIMEZONE', value: 'UTC' },
    { name: 'DATE_OUTPUT_FORMAT', value: p.dateOutputFormat },
    { name: 'TIME_OUTPUT_FORMAT', value: p.timeOutputFormat === d.timeOutputFormat ? 'HH24:MI:SS.FF9' : p.timeOutputFormat },
    { name: 'TIMESTAMP_OUTPUT_FORMAT', value: p.timestampOutputFormat },
    { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: p.timestampNtzOutputFormat === d.timestampNtzOutputFormat ? 'YYYY-MM-DD HH24:MI:SS.FF9' : p.timestampNtzOutputFormat },
    { name: 'BINARY_OUTPUT_FORMAT', value: p.binaryOutputFormat },
  ];
  if (p.timestampLtzOutputFormat !== '') out.push({ name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: p.timestampLtzOutputFormat });
  if (p.timestampTzOutputFormat !== '') out.push({ name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: p.timestampTzOutputFormat });
  return out;
}
