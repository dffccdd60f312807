/**
 * Firn's own SQL AST: what the parser (parse-sql.ts) produces and the binder consumes.
 * The vendor AST of node-sql-parser never leaks past services/sql.
 *
 * Contract: discriminated unions on `kind`. Identifiers are already resolved: unquoted
 * names upper-cased, quoted names verbatim (Snowflake rules), so later stages compare
 * names exactly. Object names are 1-3 parts (`[db.][schema.]name`). Literal numbers keep
 * their source text so exact decimals are never routed through a binary float.
 */

export type ObjectName = { parts: string[] };

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
  | { kind: 'function'; name: string; args: Expr[]; distinct: boolean; star: boolean }
  | { kind: 'case'; operand: Expr | null; whens: { when: Expr; then: Expr }[]; else: Expr | null }
  | { kind: 'cast'; expr: Expr; type: TypeName; try: boolean }
  | { kind: 'in_list'; expr: Expr; list: Expr[]; negated: boolean }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'like'; expr: Expr; pattern: Expr; caseInsensitive: boolean; negated: boolean; escape: Expr | null }
  | { kind: 'is_null'; expr: Expr; negated: boolean }
  | { kind: 'interval'; value: string; unit: string }
  | { kind: 'subquery'; query: Query }
  | { kind: 'exists'; query: Query; negated: boolean }
  | { kind: 'in_subquery'; expr: Expr; query: Query; negated: boolean }
  /** `expr <op> ANY|ALL (query)`; SOME is ANY. */
  | { kind: 'quantified'; op: ComparisonOp; quantifier: 'ANY' | 'ALL'; expr: Expr; query: Query }
  /** `fn(args) [IGNORE NULLS] OVER (PARTITION BY ... ORDER BY ... frame)`. */
  | {
      kind: 'window';
      fn: Extract<Expr, { kind: 'function' }>;
      ignoreNulls: boolean;
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

export type TableRef =
  | { kind: 'table'; name: ObjectName; alias: string | null }
  /** `(query) [AS] alias [(c1, c2, ...)]`: `columns` renames the query's columns (all of them). */
  | { kind: 'derived'; query: Query; alias: string | null; columns?: string[] | null }
  | {
      kind: 'join';
      joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';
      left: TableRef;
      right: TableRef;
      on: Expr | null;
      using: string[] | null;
      natural: boolean;
    };

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

export type Query = {
  with: { name: string; columns: string[] | null; query: Query }[];
  body: QueryBody;
  orderBy: OrderItem[];
  limit: Expr | null;
  offset: Expr | null;
};

export type ColumnDef = { name: string; type: TypeName; nullable: boolean };

export type CopyFileFormat = {
  type: 'CSV' | 'PARQUET';
  skipHeader: number;
  fieldDelimiter: string;
  fieldOptionallyEnclosedBy: string | null;
  nullIf: string[];
  emptyFieldAsNull: boolean;
};

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
    }
  | { kind: 'drop_table'; name: ObjectName; ifExists: boolean }
  | { kind: 'use'; objectType: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | null; name: ObjectName }
  | { kind: 'show'; objectType: 'DATABASES' | 'SCHEMAS' | 'TABLES' | 'WAREHOUSES'; in: ObjectName | null; like: string | null }
  | { kind: 'describe_table'; name: ObjectName }
  | { kind: 'insert'; table: ObjectName; columns: string[] | null; source: Query }
  | {
      kind: 'copy_into';
      table: ObjectName;
      source: string;
      fileFormat: CopyFileFormat;
      onError: 'ABORT_STATEMENT' | 'CONTINUE';
      /** FORCE = TRUE: load files even if the table's load history says they are loaded. */
      force: boolean;
    }
  | {
      kind: 'create_warehouse';
      name: string;
      ifNotExists: boolean;
      orReplace: boolean;
      size: string | null;
    }
  | { kind: 'drop_warehouse'; name: string; ifExists: boolean };
