/**
 * The one error hierarchy of Firn: every error a user can see has a stable `code` (6 digits,
 * Snowflake's number where Snowflake has one, 39xxxx where the error is Firn's own) and an
 * SQLSTATE. Errors cross the worker-thread boundary as plain data (toPlain) and are rebuilt
 * into the same class on the other side (fromPlain), so the HTTP layer can always answer
 * with `{code, sqlState, message}`.
 */
export const ErrorCodes = {
  SYNTAX: { code: '001003', sqlState: '42000' },
  INVALID_IDENTIFIER: { code: '000904', sqlState: '42000' },
  OBJECT_NOT_FOUND: { code: '002003', sqlState: '02000' },
  OBJECT_EXISTS: { code: '002002', sqlState: '42710' },
  TYPE_MISMATCH: { code: '001044', sqlState: '22023' },
  /** A property name the object type does not have, e.g. CREATE WAREHOUSE w WAREHOUS_SIZE = LARGE. */
  INVALID_PROPERTY: { code: '001423', sqlState: '22023' },
  UNKNOWN_FUNCTION: { code: '002140', sqlState: '42601' },
  NOT_GROUP_BY: { code: '000979', sqlState: '42601' },
  AGGREGATE_MISUSE: { code: '390202', sqlState: '42803' },
  /** LIKE ... ESCAPE with an escape that is not exactly one character (SQLSTATE 22019, invalid escape character). */
  INVALID_ESCAPE: { code: '390203', sqlState: '22019' },
  /** A view's query no longer produces the columns the view declared when it was created (a base table changed since). */
  VIEW_DEFINITION_INVALID: { code: '390204', sqlState: '42000' },
  /** `$name` of a session variable the session has not SET: Snowflake's "Session variable '$NAME' does not exist". */
  VARIABLE_NOT_FOUND: { code: '002211', sqlState: '02000' },
  /** SET (a, b, ...) = (...) with another number of values than of variables; Firn's own code. */
  VARIABLE_COUNT_MISMATCH: { code: '390205', sqlState: '42601' },
  /**
   * A function argument whose value is outside what the function accepts (REGEXP_SUBSTR position 0,
   * SHA2 of 100 bits, CHR of a negative code, NEXT_DAY of 'xx'). Firn's own code; SQLSTATE 22023,
   * invalid parameter value.
   */
  INVALID_ARGUMENT_VALUE: { code: '390206', sqlState: '22023' },
  /** A regular expression that does not compile: SQLSTATE 2201B (invalid regular expression), code 100048 as Snowflake's "Invalid regular expression" errors show. */
  INVALID_REGEX: { code: '100048', sqlState: '2201B' },
  /** BASE64_DECODE_STRING / HEX_DECODE_STRING of text that is not valid in its encoding, or does not decode to UTF-8. Firn's own code. */
  INVALID_ENCODING: { code: '390207', sqlState: '22000' },
  /** Text that is not a value of its binary format: Snowflake's `100115 (22000): The following string is not a legal hex-encoded value: 'HELP'`. */
  INVALID_BINARY_VALUE: { code: '100115', sqlState: '22000' },
  /** TO_VARCHAR(binary, 'UTF-8') of bytes that are not UTF-8 (Firn's own code). */
  INVALID_UTF8_BINARY: { code: '390250', sqlState: '22000' },
  /** CONVERT_TIMEZONE of a zone name Intl does not know (SQLSTATE 22023, invalid parameter value). Firn's own code. */
  UNKNOWN_TIME_ZONE: { code: '390230', sqlState: '22023' },
  /** A sequence whose next value would leave the 64-bit range (-2^63 .. 2^63 - 1): the statement fails, as in Snowflake. Firn's own code. */
  SEQUENCE_OVERFLOW: { code: '390240', sqlState: '22003' },
  /** A sequence or identity START / INCREMENT outside the 64-bit range, or an INCREMENT of 0. Firn's own code. */
  INVALID_SEQUENCE_PROPERTY: { code: '390241', sqlState: '22023' },
  /** seq.NEXTVAL where Firn does not take its values (WHERE, GROUP BY, ORDER BY, a join condition ...). Firn's own code. */
  NEXTVAL_NOT_ALLOWED: { code: '390242', sqlState: '42000' },
  /** ALTER SEQUENCE ... SET ORDER of a NOORDER sequence, which Snowflake refuses. Firn's own code. */
  SEQUENCE_ORDER_CHANGE: { code: '390243', sqlState: '42000' },
  /** ALTER TABLE ... ADD COLUMN with AUTOINCREMENT or DEFAULT seq.NEXTVAL to a table that holds rows. Firn's own code. */
  NON_CONSTANT_DEFAULT: { code: '390244', sqlState: '0A000' },
  /** AUTOINCREMENT / IDENTITY, or DEFAULT seq.NEXTVAL, on a column that is not a number; or a DEFAULT that is neither a constant nor a sequence. Firn's own code. */
  INVALID_COLUMN_DEFAULT: { code: '390245', sqlState: '42000' },
  /**
   * An aggregate argument Snowflake requires to be a constant that is not one: the percentile of
   * PERCENTILE_CONT / PERCENTILE_DISC / APPROX_PERCENTILE, the count of MIN_BY / MAX_BY, NTH_VALUE's
   * n. Firn's own code; SQLSTATE 42601 (syntax error or access rule violation).
   */
  CONSTANT_ARGUMENT_REQUIRED: { code: '390270', sqlState: '42601' },
  /**
   * A recursive common table expression still returned rows after its recursive clause ran its
   * most iterations (Snowflake's "Recursion exceeded max iteration count (100)"). Firn's own
   * code; SQLSTATE 54000, program limit exceeded.
   */
  RECURSION_LIMIT_EXCEEDED: { code: '390208', sqlState: '54000' },
  /**
   * COPY of a JSON file into a table that is not one VARIANT, OBJECT or ARRAY column, without
   * MATCH_BY_COLUMN_NAME. Snowflake words it as a compilation error; Firn's own code.
   */
  JSON_LOAD_COLUMNS: { code: '390220', sqlState: '42000' },
  DIVISION_BY_ZERO: { code: '100051', sqlState: '22012' },
  NUMERIC_NOT_RECOGNIZED: { code: '100038', sqlState: '22018' },
  DATE_NOT_RECOGNIZED: { code: '100040', sqlState: '22007' },
  TIMESTAMP_NOT_RECOGNIZED: { code: '100035', sqlState: '22007' },
  TIME_NOT_RECOGNIZED: { code: '100108', sqlState: '22007' },
  BOOLEAN_NOT_RECOGNIZED: { code: '100037', sqlState: '22018' },
  NUMERIC_OUT_OF_RANGE: { code: '100046', sqlState: '22003' },
  /** A DATE or TIMESTAMP_NTZ outside 0001-01-01 .. 9999-12-31 (SQLSTATE 22008, datetime field overflow); Firn's own code. */
  DATETIME_OUT_OF_RANGE: { code: '390601', sqlState: '22008' },
  STRING_TOO_LONG: { code: '100078', sqlState: '22001' },
  /** PARSE_JSON of text that is not JSON: `100069 (22P02): Error parsing JSON: unknown keyword "x", pos 2`. */
  INVALID_JSON: { code: '100069', sqlState: '22P02' },
  /** A VARIANT value that cannot become the target type: `Failed to cast variant value "abc" to FIXED`. */
  INVALID_VARIANT_CAST: { code: '100071', sqlState: '22000' },
  NULL_NOT_ALLOWED: { code: '100072', sqlState: '22000' },
  /** OBJECT_INSERT of a key the object already has, without updateFlag TRUE: `Duplicate field key 'k'`. Firn's own code. */
  OBJECT_KEY_EXISTS: { code: '390280', sqlState: '22023' },
  /**
   * An ARRAY function whose result would pass the largest value a VARIANT holds (16 MB of text:
   * ARRAY_GENERATE_RANGE over a huge range, ARRAY_INSERT far past the end). Firn's own code;
   * SQLSTATE 54000, program limit exceeded.
   */
  ARRAY_TOO_LARGE: { code: '390281', sqlState: '54000' },
  SUBQUERY_MULTIPLE_ROWS: { code: '090150', sqlState: '21000' },
  /** A MERGE whose source rows match one target row more than once with an UPDATE among them (ERROR_ON_NONDETERMINISTIC_MERGE). */
  NONDETERMINISTIC_MERGE: { code: '100090', sqlState: '42P18' },
  FILE_COLUMN_COUNT: { code: '100080', sqlState: '22000' },
  FILE_NOT_FOUND: { code: '390101', sqlState: '58030' },
  FILE_CORRUPT: { code: '390102', sqlState: '22000' },
  STORAGE_IO: { code: '390103', sqlState: '58030' },
  /**
   * A partition object whose size or ETag is no longer what the catalog recorded when it was
   * committed: replaced or truncated behind Firn's back. Firn's own code (Snowflake has none);
   * SQLSTATE XX001, data corrupted.
   */
  OBJECT_CHANGED: { code: '390104', sqlState: 'XX001' },
  /**
   * A file location the load policy refuses even to ACCOUNTADMIN: a file:// path outside
   * FIRN_LOAD_ROOTS, one that resolves (through a symlink) out of them, or one inside FIRN_HOME.
   * Firn's own code: Snowflake has no server paths; SQLSTATE 42501 (insufficient privilege),
   * because the refusal is access control on a resource, not a malformed statement.
   */
  LOCATION_NOT_ALLOWED: { code: '390105', sqlState: '42501' },
  /** A stage path (`@s/a/b`) with a '..', '.' or empty segment, a backslash, NUL or an encoded form of them. */
  INVALID_STAGE_PATH: { code: '390106', sqlState: '22023' },
  /**
   * A statement's result the statement store no longer holds (past its age, count or byte
   * budgets: services/statements/statement-store.ts). Firn's own code; SQLSTATE 02000, no data.
   */
  RESULT_NOT_AVAILABLE: { code: '390107', sqlState: '02000' },
  NOT_SUPPORTED: { code: '390201', sqlState: '0A000' },
  /**
   * A lateral table function (FLATTEN, SPLIT_TO_TABLE) on the nullable side of an outer join or
   * with an ON clause: Snowflake's 000002 "Unsupported feature 'lateral table function called
   * with OUTER JOIN syntax or a join predicate (ON clause)'" (its 2023_04 behavior change; the
   * outer form is FLATTEN(..., OUTER => TRUE), the predicate a WHERE). Same text, Firn's code.
   */
  LATERAL_FUNCTION_JOIN: { code: '390260', sqlState: '0A000' },
  /** A request whose statement count is not its MULTI_STATEMENT_COUNT (Snowflake's 000008 "Actual statement count ..."). */
  STATEMENT_COUNT_MISMATCH: { code: '000008', sqlState: '0A000' },
  RESOURCE_EXHAUSTED: { code: '390301', sqlState: '53200' },
  /** Nesting past the parser's limit, or a stack overflow anywhere while compiling. */
  STATEMENT_TOO_COMPLEX: { code: '390305', sqlState: '54001' },
  STATEMENT_TIMEOUT: { code: '000630', sqlState: '57014' },
  /** Snowflake's "SQL execution canceled": the client went away (or canceled) before the answer. */
  CANCELED: { code: '000604', sqlState: '57014' },
  BAD_REQUEST: { code: '390401', sqlState: '08P01' },
  /** POST /api/v2/statements without `content-type: application/json` (HTTP 415). */
  UNSUPPORTED_MEDIA_TYPE: { code: '390402', sqlState: '08P01' },
  /** A request whose `Origin` is neither the server's own nor in FIRN_ALLOWED_ORIGINS (HTTP 403). */
  ORIGIN_NOT_ALLOWED: { code: '390403', sqlState: '42501' },
  /**
   * A user already runs FIRN_MAX_STATEMENTS_PER_USER statements over the API (HTTP 429 with
   * Retry-After). Snowflake answers its SQL API's 429 without a documented error number, so
   * the code is Firn's own; SQLSTATE 53400, configuration limit exceeded.
   */
  TOO_MANY_STATEMENTS: { code: '390429', sqlState: '53400' },
  CONCURRENT_MODIFICATION: { code: '390501', sqlState: '40001' },
  /** AT | BEFORE names a point before the table existed, or older than its retention (Snowflake's 000707). */
  TIME_TRAVEL_NOT_AVAILABLE: { code: '000707', sqlState: '02000' },
  /** AT | BEFORE (STATEMENT => id) with a query id Firn does not know (Snowflake's 000709). */
  STATEMENT_NOT_FOUND: { code: '000709', sqlState: '02000' },
  /** SYSTEM$CLUSTERING_INFORMATION on a table without CLUSTER BY and without a column list (Snowflake's 000005). */
  INVALID_CLUSTER_KEYS: { code: '000005', sqlState: 'XX000' },
  /** FIRN_HOME is already open in another Firn process (SQLSTATE 55006, object in use). */
  HOME_IN_USE: { code: '390502', sqlState: '55006' },
  /**
   * Snowflake's 000606 (57P03): no warehouse in the session, or the session's warehouse is
   * suspended and AUTO_RESUME is FALSE.
   */
  NO_ACTIVE_WAREHOUSE: { code: '000606', sqlState: '57P03' },
  /** SUSPEND of a suspended warehouse, RESUME of a started one ("Invalid state. Warehouse 'W' cannot be ..."). */
  WAREHOUSE_INVALID_STATE: { code: '390503', sqlState: '55000' },
  /** A statement waited in its warehouse's queue past STATEMENT_QUEUED_TIMEOUT_IN_SECONDS (canceled, as a timeout is). */
  STATEMENT_QUEUED_TIMEOUT: { code: '000630', sqlState: '57014' },
  /**
   * Snowflake's 003001 "Insufficient privileges to operate on ..." (SQLSTATE 42501): the
   * session's role may not do what the statement asks (InsufficientPrivilegesError).
   */
  INSUFFICIENT_PRIVILEGES: { code: '003001', sqlState: '42501' },
  /**
   * A request to the API without valid credentials (HTTP 401): no or a malformed Authorization
   * header, or a programmatic access token that is unknown, expired, removed, or whose user is
   * dropped or disabled. Snowflake's SQL API code for a rejected bearer token (390303).
   */
  INVALID_ACCESS_TOKEN: { code: '390303', sqlState: '08001' },
  /** A login session token that is unknown, expired, or whose user is gone (Snowflake's 390112: log in again). */
  SESSION_EXPIRED: { code: '390112', sqlState: '08001' },
  /** Password login with a wrong user name or password, or a disabled user (Snowflake's 390100). */
  INCORRECT_CREDENTIALS: { code: '390100', sqlState: '08001' },
  /** A master token past the session's absolute lifetime: renewal fails and the client logs in again. */
  MASTER_TOKEN_EXPIRED: { code: '390114', sqlState: '08001' },
  /** Too many failed logins: the user is locked for a while (Snowflake's 390102). */
  USER_LOCKED: { code: '390102', sqlState: '08001' },
  /** Too many failed logins from one client address (HTTP 429; Snowflake's SQL API 390505 "Too many requests."). */
  TOO_MANY_REQUESTS: { code: '390505', sqlState: '08001' },
  /** A role asked for at login or in a request that the user may not use (Snowflake's 390189). */
  ROLE_NOT_GRANTED: { code: '390189', sqlState: '08001' },
  /** USE ROLE (or a session's role) that is not granted to the user, directly or through the role hierarchy (Snowflake's 003013). */
  ROLE_NOT_ASSIGNED: { code: '003013', sqlState: '42501' },
  /** GRANT WRITE on a stage to a role that does not hold READ on it (nor gets it in the same statement): Snowflake's 003511. */
  PRIVILEGE_ORDER_GRANT: { code: '003511', sqlState: '23001' },
  /** REVOKE READ on a stage from a role that keeps WRITE on it: Snowflake's 003512. */
  PRIVILEGE_ORDER_REVOKE: { code: '003512', sqlState: '23001' },
  /** GRANT ROLE a TO ROLE b where b is already granted to a, directly or not: role hierarchies have no cycles. Firn's own code. */
  ROLE_GRANT_CYCLE: { code: '390504', sqlState: '0LP01' },
  /** A placeholder (`?`, `:n`) without a binding (services/session/statement-bindings.ts). */
  BIND_VARIABLE_NOT_SET: { code: '002049', sqlState: '42601' },
  /** A binding of a type Firn cannot bind (or array bindings outside INSERT … VALUES). */
  BIND_UNSUPPORTED_TYPE: { code: '002040', sqlState: '42601' },
  /** Array bindings of different lengths (Snowflake's "Batch size of … not the same as previous size …"). */
  BIND_BATCH_SIZE: { code: '002099', sqlState: '42601' },
  /** A request whose number of statements is not its MULTI_STATEMENT_COUNT (Snowflake's 000008). */
  INTERNAL: { code: '000603', sqlState: 'XX000' },
} as const;
export type ErrorCodeName = keyof typeof ErrorCodes;

export type PlainError = { name: string; codeName: ErrorCodeName; message: string; position?: SqlPosition };
export type SqlPosition = { line: number; column: number };

/**
 * The longest message a FirnError keeps: a safety net behind clipValue (clip-value.ts) for a
 * message that quotes a long user value unclipped; longer ones are cut and end with "…".
 */
export const MAX_MESSAGE_CHARS = 2000;

function boundMessage(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
}

export class FirnError extends Error {
  readonly codeName: ErrorCodeName;
  constructor(codeName: ErrorCodeName, message: string) {
    super(boundMessage(message));
    this.codeName = codeName;
    this.name = new.target.name;
  }
  get code(): string {
    return ErrorCodes[this.codeName].code;
  }
  get sqlState(): string {
    return ErrorCodes[this.codeName].sqlState;
  }
  toPlain(): PlainError {
    return { name: this.name, codeName: this.codeName, message: this.message };
  }
}

/** The statement text is not valid SQL; `position` says where. */
export class SqlSyntaxError extends FirnError {
  readonly position?: SqlPosition;
  constructor(message: string, position?: SqlPosition) {
    super('SYNTAX', position ? `SQL compilation error: syntax error line ${position.line} at position ${position.column}: ${message}` : `SQL compilation error: ${message}`);
    this.position = position;
  }
  override toPlain(): PlainError {
    return { ...super.toPlain(), position: this.position };
  }
}

/** Names, types and other errors found while compiling a statement. */
export class CompilationError extends FirnError {}
/** Bad values met while executing: casts, division by zero, out-of-range numbers. */
export class DataError extends FirnError {}
/** Files given to COPY INTO that are missing, malformed or corrupt. */
export class LoadError extends FirnError {}
/** The object store or local disk failed. */
export class StorageError extends FirnError {}
/** Valid SQL that Firn does not support yet; the message names the construct. */
export class NotSupportedError extends FirnError {
  constructor(construct: string) {
    super('NOT_SUPPORTED', `${construct} is not supported`);
  }
}
/** A query needed more memory than its warehouse allows, passed its timeout, or was canceled. */
export class ResourceError extends FirnError {}
/** Another statement committed to the same table first; the statement changed nothing. */
export class ConcurrencyError extends FirnError {}
/** Access refused: a privilege the role lacks, or a location the load policy does not allow. */
export class AccessError extends FirnError {}
/** A request to the HTTP API that is malformed. */
export class RequestError extends FirnError {}
/**
 * The session's role lacks the privilege a statement needs on an object it can see (003001 /
 * 42501). The message is Snowflake's whole text ("SQL access control error: Insufficient
 * privileges to operate on table 'T'"): services/access/access-errors.ts builds it.
 */
export class InsufficientPrivilegesError extends FirnError {
  constructor(message: string) {
    super('INSUFFICIENT_PRIVILEGES', message);
  }
}
/**
 * Credentials that are missing, wrong, expired or locked out (the 390xxx login and token
 * codes). `retryAfterSeconds`: when a throttled client may try again (HTTP Retry-After).
 */
export class AuthenticationError extends FirnError {
  readonly retryAfterSeconds: number | null;
  constructor(codeName: ErrorCodeName, message: string, retryAfterSeconds: number | null = null) {
    super(codeName, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
/** Where one statement of a multi-statement request stands once the request is over. */
export type RanStatement = {
  /** 1-based position in the request. */
  index: number;
  /** The statement's query id (its statementHandle). */
  handle: string;
  /**
   * committed: its writes are visible (autocommit, or its transaction committed); rolled_back:
   * its transaction was rolled back (explicitly, by a refused COMMIT, or at the request's end);
   * pending: it is part of the session's transaction, still open.
   */
  state: 'committed' | 'rolled_back' | 'pending';
};

/**
 * Statement `failed.index` of a multi-statement request failed: `cause` is its error, whose code,
 * SQLSTATE and message this error carries unchanged (what Snowflake answers); `ran` are the
 * statements before it, `notRun` the 1-based positions of those after it, which did not run.
 * `summary` says all of that in one sentence, for answers that show more than the message.
 */
export class MultiStatementError extends FirnError {
  readonly summary: string;
  constructor(
    override readonly cause: FirnError,
    readonly failed: { index: number; handle: string },
    readonly ran: RanStatement[],
    readonly notRun: number[],
    readonly total: number,
  ) {
    super(cause.codeName, cause.message);
    const ranText = ran.length === 0 ? 'none ran before it' : `ran: ${ran.map((r) => `${r.index} (${r.handle}, ${r.state.replace('_', ' ')})`).join(', ')}`;
    const notRunText = notRun.length === 0 ? '' : `; not run: ${notRun.join(', ')}`;
    this.summary = `Statement ${failed.index} of ${total} (${failed.handle}) failed; statements ${ranText}${notRunText}.`;
  }
}

/** A bug: something that should not happen. */
export class InternalError extends FirnError {
  constructor(message: string) {
    super('INTERNAL', message);
  }
}

const classes: Record<string, new (codeName: ErrorCodeName, message: string) => FirnError> = {
  FirnError,
  CompilationError,
  DataError,
  LoadError,
  StorageError,
  ResourceError,
  RequestError,
  ConcurrencyError,
  AuthenticationError,
  AccessError,
};

/** Rebuilds an error sent across a thread boundary as plain data into its class. */
export function fromPlain(p: PlainError): FirnError {
  let e: FirnError;
  if (p.name === 'SqlSyntaxError') {
    e = new SqlSyntaxError('', p.position);
  } else if (p.name === 'NotSupportedError') {
    e = new NotSupportedError('');
  } else if (p.name === 'InsufficientPrivilegesError') {
    e = new InsufficientPrivilegesError('');
  } else if (p.name === 'InternalError') {
    e = new InternalError('');
  } else {
    const Cls = classes[p.name] ?? FirnError;
    e = new Cls(p.codeName, p.message);
  }
  e.message = boundMessage(p.message);
  (e as { codeName: ErrorCodeName }).codeName = p.codeName;
  return e;
}

/** Whether `err` is V8's stack overflow ("Maximum call stack size exceeded"). */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack size/i.test(err.message);
}

/** 54001: the statement nests deeper than Firn can compile (see MAX_NESTING_DEPTH in front-parser.ts). */
export function statementTooComplex(detail: string): FirnError {
  return new CompilationError('STATEMENT_TOO_COMPLEX', `SQL compilation error: statement too complex: ${detail}`);
}

/**
 * Any thrown value as a FirnError: FirnErrors pass through, a stack overflow (a statement too
 * deep for some recursive stage: the last resort behind the parser's nesting limit) is
 * STATEMENT_TOO_COMPLEX, anything else is INTERNAL.
 */
export function asFirnError(err: unknown): FirnError {
  if (err instanceof FirnError) return err;
  if (isStackOverflow(err)) return statementTooComplex('it nests too deeply to compile');
  if (err && typeof err === 'object' && 'codeName' in err && 'name' in err && 'message' in err) {
    return fromPlain(err as PlainError);
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new InternalError(`internal error: ${msg}`);
}
