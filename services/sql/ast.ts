/**
 * Firn's own SQL AST: what the parser (parse-sql.ts) produces and the binder consumes.
 * The vendor AST of node-sql-parser never leaks past services/sql.
 *
 * Contract: discriminated unions on `kind`. Identifiers are already resolved: unquoted
 * names upper-cased, quoted names verbatim (Snowflake rules), so later stages compare
 * names exactly. Object names are 1-3 parts (`[db.][schema.]name`). Literal numbers keep
 * their source text so exact decimals are never routed through a binary float.
 */
import type { DataType } from '../../storage/types/data-type.js';

/**
 * `variable`: the name came as IDENTIFIER($name) (a table in FROM), to be read from the session
 * variable when the statement runs: the engine replaces it with the parts of the variable's text
 * (services/session/session-variables.ts) before anything reads `parts`, empty until then.
 */
export type ObjectName = { parts: string[]; variable?: VariableRef };

/** A `$name` in the statement text: the variable's name and where it was written (for errors). */
export type VariableRef = { name: string; line: number; column: number };

/**
 * A session variable's value as the engine puts it in place of `$name` before binding: its type
 * and its scalar as JSON-safe data (storage/types/scalar.ts scalarToExact), so a statement that
 * holds it is still plain data and its JSON (the result cache's key) holds the value.
 */
export type VariableValue = { type: DataType; value: null | boolean | string };

export type TypeName = { name: string; params: number[] };

export type Expr =
  | { kind: 'column'; table: string | null; name: string }
  | { kind: 'star'; table: string | null }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'typed_literal'; type: TypeName; value: string }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'unary'; op: '-' | '+' | 'NOT'; expr: Expr }
  /** `withinGroup`: the ORDER BY of `fn(...) WITHIN GROUP (ORDER BY ...)` (LISTAGG, ARRAY_AGG). */
  | { kind: 'function'; name: string; args: Expr[]; distinct: boolean; star: boolean; withinGroup?: OrderItem[] }
  | { kind: 'case'; operand: Expr | null; whens: { when: Expr; then: Expr }[]; else: Expr | null }
  | { kind: 'cast'; expr: Expr; type: TypeName; try: boolean }
  | { kind: 'in_list'; expr: Expr; list: Expr[]; negated: boolean }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'like'; expr: Expr; pattern: Expr; caseInsensitive: boolean; negated: boolean; escape: Expr | null }
  /** `x [I]LIKE {ANY | ALL} (p1, p2, ...) [ESCAPE e]` (Snowflake; SOME is ANY): any / every pattern matches. */
  | { kind: 'like_quantified'; expr: Expr; quantifier: 'ANY' | 'ALL'; patterns: Expr[]; caseInsensitive: boolean; escape: Expr | null }
  | { kind: 'is_null'; expr: Expr; negated: boolean }
  | { kind: 'interval'; value: string; unit: string }
  /** `$name`: a session variable, replaced by `variable_value` before binding (services/session/session-variables.ts). */
  | ({ kind: 'variable' } & VariableRef)
  | ({ kind: 'variable_value'; name: string } & VariableValue)
  /** `[[db.]schema.]seq.NEXTVAL`: the sequence's next value, a new one for each row and each reference (Snowflake). */
  | { kind: 'nextval'; sequence: ObjectName }
  | { kind: 'subquery'; query: Query }
  | { kind: 'exists'; query: Query; negated: boolean }
  | { kind: 'in_subquery'; expr: Expr; query: Query; negated: boolean }
  /** `expr <op> ANY|ALL (query)`; SOME is ANY. */
  | { kind: 'quantified'; op: ComparisonOp; quantifier: 'ANY' | 'ALL'; expr: Expr; query: Query }
  /** `fn(args) [FROM {FIRST | LAST}] [IGNORE NULLS] OVER (PARTITION BY ... ORDER BY ... frame)`; `fromLast`: FROM LAST (NTH_VALUE). */
  | {
      kind: 'window';
      fn: Extract<Expr, { kind: 'function' }>;
      ignoreNulls: boolean;
      fromLast?: boolean;
      partitionBy: Expr[];
      orderBy: OrderItem[];
      frame: WindowFrameSpec | null;
    };

/** A frame bound's offset keeps its source text (a number literal), like number literals do. */
export type FrameBoundSpec =
  | { kind: 'unbounded_preceding' }
  | { kind: 'preceding'; offset: string }
  | { kind: 'current_row' }
  | { kind: 'following'; offset: string }
  | { kind: 'unbounded_following' };

/** `ROWS|RANGE BETWEEN start AND end`; a single bound means `BETWEEN bound AND CURRENT ROW`. */
export type WindowFrameSpec = { units: 'ROWS' | 'RANGE'; start: FrameBoundSpec; end: FrameBoundSpec };

/**
 * GROUP BY items: plain expressions, or ROLLUP / CUBE / GROUPING SETS (each set a list of
 * expressions; `()` is the empty set).
 */
export type GroupingSets = { kind: 'rollup' | 'cube'; exprs: Expr[] } | { kind: 'grouping_sets'; sets: Expr[][] };

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR'
  /** Null-safe comparisons: NULL is distinct from every value and not distinct from NULL. */
  | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export type ComparisonOp = Extract<BinaryOp, '=' | '<>' | '<' | '<=' | '>' | '>='>;

/**
 * `[t.]* [EXCLUDE (a, ...)] [RENAME (a AS b, ...)]` (Snowflake): the star's columns without
 * the excluded ones, renamed ones under their new name. Both lists are empty for a plain star.
 */
export type StarItem = { kind: 'star'; table: string | null; exclude: string[]; rename: { from: string; to: string }[] };

export type SelectItem = { kind: 'expr'; expr: Expr; alias: string | null } | StarItem;

/**
 * `{AT | BEFORE} (TIMESTAMP => expr | OFFSET => expr | STATEMENT => expr)` after a table name
 * (Snowflake time travel). `expr` is unbound: a timestamp (an uncast one is read as UTC), an
 * offset in seconds from the statement's start (negative: the past), or a query id string.
 * AT includes the changes made at that point; BEFORE is the point just before them.
 */
export type TimeTravel = { mode: 'AT' | 'BEFORE'; point: 'TIMESTAMP' | 'OFFSET' | 'STATEMENT'; expr: Expr };

export type TableRef =
  /** `at` is present only when the reference has an AT | BEFORE clause. */
  | { kind: 'table'; name: ObjectName; alias: string | null; at?: TimeTravel }
  /** `TABLE(name(arg, ...)) [AS] alias`: a table function; each argument is positional or `NAME => expr`. */
  | { kind: 'function'; name: ObjectName; args: TableFunctionArg[]; alias: string | null }
  /** `(query) [AS] alias [(c1, c2, ...)]`: `columns` renames the query's columns (all of them). */
  | { kind: 'derived'; query: Query; alias: string | null; columns?: string[] | null }
  /**
   * `source PIVOT ( agg(expr) [[AS] a] FOR col IN (v [[AS] alias], ...) [DEFAULT ON NULL (d)] ) [[AS] alias [(c1, ...)]]`
   * (Snowflake): one row per group of the source's other columns, one column per value.
   */
  | {
      kind: 'pivot';
      source: TableRef;
      aggregate: Expr;
      aggregateAlias: string | null;
      valueColumn: string;
      values: { expr: Expr; alias: string | null }[];
      defaultOnNull: Expr | null;
      alias: string | null;
      columns: string[] | null;
    }
  /** `source UNPIVOT [{INCLUDE | EXCLUDE} NULLS] ( value FOR name IN (c1, ...) ) [[AS] alias [(c1, ...)]]` (Snowflake). */
  | {
      kind: 'unpivot';
      source: TableRef;
      includeNulls: boolean;
      valueColumn: string;
      nameColumn: string;
      inColumns: string[];
      alias: string | null;
      columns: string[] | null;
    }
  | {
      kind: 'join';
      joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';
      left: TableRef;
      right: TableRef;
      on: Expr | null;
      using: string[] | null;
      natural: boolean;
    };

/** An argument of a table function: `name` is the upper-cased keyword before `=>`, null when positional. */
export type TableFunctionArg = { name: string | null; expr: Expr };

export type OrderItem = { expr: Expr; desc: boolean; nullsFirst: boolean | null };

export type Select = {
  kind: 'select';
  distinct: boolean;
  items: SelectItem[];
  from: TableRef | null;
  where: Expr | null;
  groupBy: Expr[];
  /** ROLLUP/CUBE/GROUPING SETS when the GROUP BY uses them (groupBy then holds plain items only). */
  groupingSets: GroupingSets | null;
  /** GROUP BY ALL: group by every select-list item that is not an aggregate (groupBy is then empty). */
  groupByAll?: true;
  having: Expr | null;
  qualify: Expr | null;
};

export type SetOperation = {
  kind: 'set_operation';
  op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  all: boolean;
  left: QueryBody;
  right: QueryBody;
};

export type QueryBody = Select | SetOperation | { kind: 'values'; rows: Expr[][] };

/**
 * `recursive`: the WITH clause was written WITH RECURSIVE. Only recorded: a CTE whose query
 * refers to itself is recursive with or without the keyword (Snowflake), see bind-recursive-cte.ts.
 */
export type Query = {
  with: { name: string; columns: string[] | null; query: Query }[];
  recursive?: true;
  body: QueryBody;
  orderBy: OrderItem[];
  limit: Expr | null;
  offset: Expr | null;
};

/**
 * A column of CREATE TABLE (and ALTER TABLE ... ADD COLUMN). `default`: its DEFAULT expression as
 * written (CREATE TABLE only; ADD COLUMN carries it on the action); `identity`: AUTOINCREMENT |
 * IDENTITY. Both absent: neither was written.
 */
export type ColumnDef = { name: string; type: TypeName; nullable: boolean; default?: Expr; identity?: IdentitySpec };

/**
 * `AUTOINCREMENT | IDENTITY [(start, step) | START n INCREMENT m] [ORDER | NOORDER]`: start and
 * step as integer text (64-bit, checked when the statement runs); `ordered` null when neither
 * ORDER nor NOORDER was written.
 */
export type IdentitySpec = { start: string; increment: string; ordered: boolean | null };

/** ALTER SEQUENCE actions: RENAME TO, SET of INCREMENT / ORDER | NOORDER / COMMENT (each optional), UNSET COMMENT. */
export type AlterSequenceAction =
  | { kind: 'rename'; to: ObjectName }
  | { kind: 'set'; increment?: string; ordered?: boolean; comment?: string }
  | { kind: 'unset_comment' };

/**
 * `[qualifier.]column = expr` in UPDATE SET and MERGE's UPDATE SET. `qualifier` is what was
 * written before the column (the target's name or alias, for the binder to check), else null.
 */
export type Assignment = { column: string; qualifier: string | null; expr: Expr };

/**
 * One WHEN clause of MERGE; `and` is its `AND <predicate>`, else null. `columns` of an INSERT is
 * its column list (null: all target columns in order), `values` its VALUES row.
 */
export type MergeClause =
  | { kind: 'matched_update'; and: Expr | null; set: Assignment[] }
  | { kind: 'matched_delete'; and: Expr | null }
  | { kind: 'not_matched_insert'; and: Expr | null; columns: string[] | null; values: Expr[] };

/**
 * An ALTER TABLE action. `add_column.default` is the DEFAULT expression as written (null: none;
 * the binder requires a constant). `set_retention.days` null is UNSET (inherit again).
 * `cluster_by` keys are plain column names, as in CREATE TABLE.
 */
export type AlterTableAction =
  | { kind: 'add_column'; column: ColumnDef; default: Expr | null }
  | { kind: 'drop_column'; name: string }
  | { kind: 'rename_column'; from: string; to: string }
  | { kind: 'rename'; to: ObjectName }
  | { kind: 'swap'; with: ObjectName }
  | { kind: 'cluster_by'; keys: string[] }
  | SetRetention;

/** `SET DATA_RETENTION_TIME_IN_DAYS = n` (days) or `UNSET DATA_RETENTION_TIME_IN_DAYS` (null). */
export type SetRetention = { kind: 'set_retention'; days: number | null };

/**
 * File format options over Snowflake's defaults (FILE_FORMAT = (...), CREATE FILE FORMAT).
 * `compression`: AUTO reads gzip (detected by its magic bytes) and plain files alike and
 * unloads CSV gzipped and Parquet with Snappy; GZIP / SNAPPY / NONE say so explicitly.
 */
export type CopyFileFormat = {
  type: 'CSV' | 'PARQUET' | 'JSON';
  skipHeader: number;
  fieldDelimiter: string;
  fieldOptionallyEnclosedBy: string | null;
  nullIf: string[];
  emptyFieldAsNull: boolean;
  compression: FileCompression;
  /** JSON: a top-level array's elements are the documents (STRIP_OUTER_ARRAY); absent: FALSE. */
  stripOuterArray?: boolean;
  /** JSON: an object may repeat a key, the last value wins (ALLOW_DUPLICATE); absent: FALSE. */
  allowDuplicate?: boolean;
  /** CSV: how BINARY columns' fields are written (BINARY_FORMAT); absent: the session's BINARY_INPUT_FORMAT. */
  binaryFormat?: 'HEX' | 'BASE64' | 'UTF-8';
};

export type FileCompression = 'AUTO' | 'GZIP' | 'SNAPPY' | 'NONE';

export type MatchByColumnName = 'CASE_SENSITIVE' | 'CASE_INSENSITIVE' | 'NONE';

/** FILE_FORMAT = ( ... ) as written: inline options, or FORMAT_NAME = 'f' (a named file format). */
export type FileFormatSpec = { kind: 'inline'; format: CopyFileFormat } | { kind: 'named'; name: ObjectName };

/**
 * A stage location (services/stage/parse-stage-location.ts): a named stage `@s`, the user's
 * stage `@~` or a table's stage `@%t`, and a checked path inside it ('' for all of it; a
 * trailing '/' names a folder).
 */
export type StageLocation =
  | { kind: 'named'; name: ObjectName; path: string }
  | { kind: 'user'; path: string }
  | { kind: 'table'; table: ObjectName; path: string };

/** What COPY INTO <table> reads: a raw URL (policy-checked: services/stage/raw-location-policy.ts) or a stage. */
export type CopySource = { kind: 'url'; url: string } | { kind: 'stage'; location: StageLocation };

/** An external stage's CREDENTIALS = (AWS_KEY_ID = '...' AWS_SECRET_KEY = '...' [AWS_TOKEN = '...']). */
export type StageCredentials = { awsKeyId: string; awsSecretKey: string; awsToken: string | null };

/** Where SHOW COLUMNS looks: CURRENT is no IN clause; a null name is the session's current database or schema. */
export type ShowColumnsScope =
  | { kind: 'CURRENT' }
  | { kind: 'ACCOUNT' }
  | { kind: 'DATABASE'; name: ObjectName | null }
  | { kind: 'SCHEMA'; name: ObjectName | null }
  | { kind: 'TABLE'; name: ObjectName };

export type Statement =
  | { kind: 'query'; query: Query }
  /** EXPLAIN prints the physical plan; EXPLAIN LOGICAL (`logical`) the optimized logical plan. */
  | { kind: 'explain'; statement: Statement; logical?: boolean }
  | { kind: 'create_database'; name: string; ifNotExists: boolean; orReplace: boolean }
  | { kind: 'drop_database'; name: string; ifExists: boolean }
  | { kind: 'create_schema'; name: ObjectName; ifNotExists: boolean; orReplace: boolean }
  | { kind: 'drop_schema'; name: ObjectName; ifExists: boolean }
  | {
      kind: 'create_table';
      name: ObjectName;
      columns: ColumnDef[];
      ifNotExists: boolean;
      orReplace: boolean;
      clusterBy: string[];
      asQuery: Query | null;
      /** CREATE TRANSIENT TABLE. */
      transient?: true;
      /** CREATE TEMPORARY TABLE: the session's alone (services/session/temporary-objects.ts). */
      temporary?: true;
    }
  | { kind: 'drop_table'; name: ObjectName; ifExists: boolean }
  /**
   * CREATE [OR REPLACE] [SECURE] VIEW [IF NOT EXISTS] v [(c [COMMENT '...'], ...)] [COPY GRANTS]
   * [COMMENT = '...'] AS query. `text` is the whole statement and `queryText` the query after AS,
   * as written (what SHOW VIEWS and INFORMATION_SCHEMA.VIEWS show, and what binding re-parses).
   */
  | {
      kind: 'create_view';
      name: ObjectName;
      columns: string[] | null;
      secure: boolean;
      ifNotExists: boolean;
      orReplace: boolean;
      copyGrants: boolean;
      comment: string | null;
      query: Query;
      text: string;
      queryText: string;
      /** CREATE TEMPORARY VIEW: the session's alone (services/session/temporary-objects.ts). */
      temporary?: true;
    }
  | { kind: 'drop_view'; name: ObjectName; ifExists: boolean }
  /**
   * CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [WITH] [START [WITH] [=] n] [INCREMENT [BY] [=] m]
   * [ORDER | NOORDER] [COMMENT = '...']: `start` and `increment` as integer text (default '1');
   * `ordered` null when neither ORDER nor NOORDER was written.
   */
  | { kind: 'create_sequence'; name: ObjectName; orReplace: boolean; ifNotExists: boolean; start: string; increment: string; ordered: boolean | null; comment: string | null }
  /** ALTER SEQUENCE [IF EXISTS] s <action>. */
  | { kind: 'alter_sequence'; name: ObjectName; ifExists: boolean; action: AlterSequenceAction }
  | { kind: 'drop_sequence'; name: ObjectName; ifExists: boolean }
  | { kind: 'describe_sequence'; name: ObjectName }
  | { kind: 'describe_view'; name: ObjectName }
  | { kind: 'use'; objectType: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | null; name: ObjectName }
  /**
   * `history`: SHOW TABLES HISTORY (also lists dropped tables still in retention); false for every other SHOW.
   * `scope` (SHOW SEQUENCES only): IN ACCOUNT, or IN DATABASE [d] (`in` then names the database, null: the current one).
   */
  | { kind: 'show'; objectType: 'DATABASES' | 'SCHEMAS' | 'TABLES' | 'VIEWS' | 'WAREHOUSES' | 'STAGES' | 'FILE FORMATS' | 'SEQUENCES'; in: ObjectName | null; like: string | null; history: boolean; scope?: 'ACCOUNT' | 'DATABASE' }
  /** SHOW COLUMNS [LIKE '...'] [IN ...] (front/show-columns.ts). */
  | { kind: 'show_columns'; like: string | null; scope: ShowColumnsScope }
  /** SHOW VERSIONS IN TABLE t (a Firn extension): the table's version log. */
  | { kind: 'show_versions'; table: ObjectName }
  | { kind: 'describe_table'; name: ObjectName }
  /** `overwrite`: INSERT OVERWRITE, which replaces every row of the table in the same version. */
  | { kind: 'insert'; table: ObjectName; columns: string[] | null; source: Query; overwrite: boolean }
  /** UPDATE t [[AS] alias] SET ... [FROM refs] [WHERE expr]; FROM items separated by commas are CROSS joins. */
  | { kind: 'update'; table: ObjectName; alias: string | null; set: Assignment[]; from: TableRef | null; where: Expr | null }
  /** DELETE FROM t [[AS] alias] [USING refs] [WHERE expr]; USING items separated by commas are CROSS joins. */
  | { kind: 'delete'; table: ObjectName; alias: string | null; using: TableRef | null; where: Expr | null }
  /** MERGE INTO t [[AS] alias] USING source ON expr WHEN ...: `clauses` (at least one) in source order. */
  | { kind: 'merge'; table: ObjectName; alias: string | null; source: TableRef; on: Expr; clauses: MergeClause[] }
  /** TRUNCATE [TABLE] [IF EXISTS] t. */
  | { kind: 'truncate'; table: ObjectName; ifExists: boolean }
  /**
   * CREATE [OR REPLACE] {TABLE | SCHEMA | DATABASE} [IF NOT EXISTS] name CLONE source [AT | BEFORE (...)]
   * [EXPIRES_AFTER = seconds]. `at` null: the source as of now. `expiresAfterSeconds` (tables
   * only, a Firn extension): the clone's lifetime, null for none.
   */
  | {
      kind: 'create_clone';
      objectType: 'TABLE' | 'SCHEMA' | 'DATABASE';
      name: ObjectName;
      source: ObjectName;
      at: TimeTravel | null;
      orReplace: boolean;
      ifNotExists: boolean;
      expiresAfterSeconds: number | null;
      /** CREATE TRANSIENT TABLE ... CLONE. */
      transient?: true;
    }
  /** UNDROP {TABLE | SCHEMA | DATABASE} name: restores the most recently dropped object of that name. */
  | { kind: 'undrop'; objectType: 'TABLE' | 'SCHEMA' | 'DATABASE'; name: ObjectName }
  /** ALTER TABLE [IF EXISTS] t <action>. */
  | { kind: 'alter_table'; name: ObjectName; ifExists: boolean; action: AlterTableAction }
  /** ALTER {DATABASE | SCHEMA} [IF EXISTS] name {SET | UNSET} DATA_RETENTION_TIME_IN_DAYS. */
  | { kind: 'alter_container'; objectType: 'DATABASE' | 'SCHEMA'; name: ObjectName; ifExists: boolean; action: SetRetention }
  | {
      kind: 'copy_into';
      table: ObjectName;
      source: CopySource;
      /** null: the stage's file format, else CSV with Snowflake's defaults. */
      fileFormat: FileFormatSpec | null;
      onError: 'ABORT_STATEMENT' | 'CONTINUE';
      /** FORCE = TRUE: load files even if the table's load history says they are loaded. */
      force: boolean;
      /** FILES = ('a.csv', ...): paths relative to the location; null: every file there. */
      files: string[] | null;
      /** PATTERN = '<regex>': files whose path (relative to the stage) matches it entirely. */
      pattern: string | null;
      /** MATCH_BY_COLUMN_NAME: JSON documents' top-level keys load into the columns of that name. */
      matchByColumnName: MatchByColumnName;
    }
  /**
   * COPY INTO @stage[/path] FROM (query) | table: unloads rows as files into the stage.
   * `header`: CSV column names as the first line; `overwrite`: replace files of the same name
   * prefix; `single`: one file; `maxFileSize`: bytes per file (null: 16 MiB, as in Snowflake).
   */
  | {
      kind: 'unload';
      location: StageLocation;
      source: Query;
      fileFormat: FileFormatSpec | null;
      header: boolean;
      overwrite: boolean;
      single: boolean;
      maxFileSize: number | null;
    }
  /** CREATE [OR REPLACE] STAGE [IF NOT EXISTS] s [URL = '...'] [CREDENTIALS = (...)] [FILE_FORMAT = (...)] [COMMENT = '...']. */
  | {
      kind: 'create_stage';
      name: ObjectName;
      orReplace: boolean;
      ifNotExists: boolean;
      url: string | null;
      credentials: StageCredentials | null;
      fileFormat: FileFormatSpec | null;
      comment: string | null;
    }
  | { kind: 'drop_stage'; name: ObjectName; ifExists: boolean }
  | { kind: 'describe_stage'; name: ObjectName }
  /** CREATE [OR REPLACE] FILE FORMAT [IF NOT EXISTS] f TYPE = CSV | PARQUET [options] [COMMENT = '...']. */
  | { kind: 'create_file_format'; name: ObjectName; orReplace: boolean; ifNotExists: boolean; format: CopyFileFormat; comment: string | null }
  | { kind: 'drop_file_format'; name: ObjectName; ifExists: boolean }
  /** LIST @location [PATTERN = '<regex>'] and REMOVE @location [PATTERN = '<regex>']. */
  | { kind: 'list_stage'; location: StageLocation; pattern: string | null }
  | { kind: 'remove_stage'; location: StageLocation; pattern: string | null }
  | {
      kind: 'create_warehouse';
      name: string;
      ifNotExists: boolean;
      orReplace: boolean;
      /** Properties as written, in order (validated in services/scheduler/warehouse-properties.ts). */
      settings: WarehouseSetting[];
      initiallySuspended: boolean;
    }
  | { kind: 'alter_warehouse'; name: string | null; ifExists: boolean; action: AlterWarehouseAction }
  | { kind: 'describe_warehouse'; name: string }
  | { kind: 'drop_warehouse'; name: string; ifExists: boolean }
  /** ALTER SESSION SET p = v [, ...] | UNSET p [, ...]: values as optionValue reads them (upper-cased). */
  | { kind: 'alter_session'; set: { name: string; value: string }[]; unset: string[] }
  /**
   * SET name = expr | SET (n1, n2, ...) = (e1, e2, ...) | SET (n1, ...) = (query): the values
   * are `values` (one expression per name) or the one row of `query` (one column per name).
   */
  | { kind: 'set_variables'; names: string[]; values: Expr[] | null; query: Query | null }
  | { kind: 'unset_variables'; names: string[] }
  | { kind: 'show_variables'; like: string | null }
  /** SHOW PARAMETERS [LIKE '...'] [IN SESSION]: the session's parameters (session-parameters.ts). */
  | { kind: 'show_parameters'; like: string | null }
  /** CREATE [OR REPLACE] USER [IF NOT EXISTS] name [prop = value ...]. */
  | { kind: 'create_user'; name: string; ifNotExists: boolean; orReplace: boolean; properties: UserProperties }
  /** ALTER USER [IF EXISTS] [name] <action>; a null name is the session's user. */
  | { kind: 'alter_user'; name: string | null; ifExists: boolean; action: AlterUserAction }
  | { kind: 'drop_user'; name: string; ifExists: boolean }
  /** SHOW USERS [LIKE 'pattern']. */
  | { kind: 'show_users'; like: string | null }
  /** SHOW USER {PROGRAMMATIC ACCESS TOKENS | PATS} [FOR USER name]; a null user is the session's. */
  | { kind: 'show_user_tokens'; user: string | null }
  /** CREATE [OR REPLACE] ROLE [IF NOT EXISTS] name [COMMENT = '...']. */
  | { kind: 'create_role'; name: string; ifNotExists: boolean; orReplace: boolean; comment: string | null }
  | { kind: 'drop_role'; name: string; ifExists: boolean }
  /** GRANT ROLE r TO {ROLE | USER} g, or (`revoke`) REVOKE ROLE r FROM {ROLE | USER} g. */
  | { kind: 'grant_role'; revoke: boolean; role: string; grantee: { kind: 'ROLE' | 'USER'; name: string } }
  /**
   * GRANT {privilege, ... | ALL [PRIVILEGES] | OWNERSHIP} ON <object> TO [ROLE] r [WITH GRANT OPTION]
   * [{COPY | REVOKE} CURRENT GRANTS], or (`revoke`) REVOKE [GRANT OPTION FOR] ... FROM [ROLE] r.
   * `privileges` is null for ALL; `grantOption` is WITH GRANT OPTION, or for REVOKE, GRANT OPTION
   * FOR; `currentGrants` only with OWNERSHIP.
   */
  | {
      kind: 'grant_privileges';
      revoke: boolean;
      privileges: string[] | null;
      on: GrantTarget;
      role: string;
      grantOption: boolean;
      currentGrants: 'COPY' | 'REVOKE' | null;
    }
  /** USE ROLE r. */
  | { kind: 'use_role'; name: string }
  | { kind: 'show_roles'; like: string | null }
  /** SHOW GRANTS [TO ROLE r | TO USER u | OF ROLE r | ON <object>]; bare SHOW GRANTS is the current user's. */
  | { kind: 'show_grants'; of: ShowGrantsOf }
  /** SHOW FUTURE GRANTS IN SCHEMA s. */
  | { kind: 'show_future_grants'; schema: ObjectName }
  /** SHOW TRANSACTIONS [IN ACCOUNT]. */
  | { kind: 'show_transactions'; inAccount: boolean }
  /** BEGIN [WORK | TRANSACTION] [NAME n] and START TRANSACTION [NAME n]. */
  | { kind: 'begin'; name: string | null }
  /** COMMIT [WORK] and ROLLBACK [WORK]. */
  | { kind: 'commit' }
  | { kind: 'rollback' };

/**
 * User properties as written in CREATE USER and ALTER USER SET (UNSET gives null, and false
 * for DISABLED). Names are resolved identifiers; `defaultNamespace` is `[database]` or
 * `[database, schema]`. An absent key is left as it is.
 */
export type UserProperties = {
  password?: string | null;
  defaultRole?: string | null;
  defaultWarehouse?: string | null;
  defaultNamespace?: string[] | null;
  disabled?: boolean;
  comment?: string | null;
};

/**
 * ALTER USER actions: SET / UNSET properties, ADD {PROGRAMMATIC ACCESS TOKEN | PAT} and
 * REMOVE {PROGRAMMATIC ACCESS TOKEN | PAT}. `daysToExpiry` null: the default lifetime.
 */
export type AlterUserAction =
  | { kind: 'set'; properties: UserProperties }
  | { kind: 'add_token'; token: string; ifNotExists: boolean; roleRestriction: string | null; daysToExpiry: number | null; comment: string | null }
  | { kind: 'remove_token'; token: string };

/**
 * What GRANT and REVOKE of privileges name: the account, one object, every table of a schema
 * now (ALL TABLES IN SCHEMA), or every table created in it from now on (FUTURE TABLES IN SCHEMA).
 */
export type GrantTarget =
  | { kind: 'ACCOUNT' }
  | { kind: 'DATABASE' | 'SCHEMA' | 'TABLE' | 'VIEW' | 'WAREHOUSE' | 'STAGE' | 'FILE_FORMAT' | 'SEQUENCE'; name: ObjectName }
  | { kind: 'ROLE'; name: string }
  | { kind: 'ALL_TABLES'; schema: ObjectName }
  | { kind: 'FUTURE_TABLES'; schema: ObjectName };

export type ShowGrantsOf =
  | { kind: 'CURRENT_USER' }
  | { kind: 'TO_ROLE'; role: string }
  | { kind: 'TO_USER'; user: string }
  | { kind: 'OF_ROLE'; role: string }
  | { kind: 'ON'; target: Exclude<GrantTarget, { kind: 'ALL_TABLES' | 'FUTURE_TABLES' }> };

/** A warehouse property's literal: a number, a 'string', a bare word (TRUE, XSMALL) or NULL. */
export type WarehouseValue = { kind: 'number' | 'string' | 'word' | 'null'; text: string };
export type WarehouseSetting = { name: string; value: WarehouseValue };

/** ALTER WAREHOUSE [IF EXISTS] [name] <action>; a null name is the session's warehouse. */
export type AlterWarehouseAction =
  | { kind: 'set'; settings: WarehouseSetting[]; waitForCompletion: boolean }
  | { kind: 'unset'; names: string[] }
  | { kind: 'suspend' }
  | { kind: 'resume'; ifSuspended: boolean }
  | { kind: 'abort_all_queries' }
  | { kind: 'rename'; to: string };
