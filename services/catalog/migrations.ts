/**
 * The SQLite catalog's schema as an ordered list of versioned migrations, so a catalog file
 * written by an older Firn is upgraded in place and one written by a newer Firn is refused
 * instead of misread.
 *
 * Contract: `catalogMigrations` is append-only; versions are 1, 2, 3, ... with no gaps and a
 * released migration is never edited. `migrateCatalog` applies, in one IMMEDIATE transaction,
 * every migration newer than the highest row of `schema_version`, records each one there,
 * and returns the resulting schema version. It is idempotent: opening an up-to-date file
 * changes nothing.
 *
 * Design notes (the queries of later features must not need a rewrite of this schema):
 * - Nothing is deleted by DROP: databases, schemas and tables carry `dropped_at`, and the
 *   unique name indexes are partial (`WHERE dropped_at IS NULL`), so a dropped table and a
 *   recreated one of the same name coexist (UNDROP, time travel on a dropped table).
 * - A partition row is live at version v iff added_version <= v < coalesce(removed_version,
 *   infinity); both bounds reference the table's version log. Object keys are not unique:
 *   several tables (zero-copy clones) may reference the same immutable object, and GC
 *   sweeps by object key (`partitions_object_key`, `pending_objects_key`).
 * - Times are epoch milliseconds (INTEGER); `table_versions_time` serves AT(TIMESTAMP => t).
 * - AUTOINCREMENT: ids are never reused after a purge, so caches and worker assignment keyed
 *   by an id can never confuse two objects.
 * - Columns are versioned like partitions (table_columns, live at v iff added_version <= v <
 *   coalesce(removed_version, infinity)). A column keeps its `column_id` and `physical_name`
 *   (the Parquet field and zone-map key) for life, so RENAME rewrites no data; a table's
 *   physical names are unique across its whole history. A row with added_version =
 *   removed_version is live at no version: a clone keeps the ids and physical names of the
 *   source's earlier columns that way, since the partitions it shares may still hold them.
 * - version_statements maps every statement id that committed a table version to it (a
 *   group commit records several ids for one version; a statement that committed twice to
 *   one table, as CTAS does with versions 0 and 1, keeps its last one), for
 *   AT | BEFORE (STATEMENT => id).
 * - Access (services/access/grant-store.ts): privileges and ownership name their object by
 *   (object_kind, object_id), never by name, so RENAME keeps them, UNDROP finds them again and
 *   CREATE OR REPLACE (a new id) starts without them. Role grants name users by name (the users
 *   table is another migration's); PUBLIC is granted to every user and role implicitly, so it
 *   has no rows in role_grants.
 */
import type { Database } from 'better-sqlite3';
import { InternalError, NotSupportedError } from '../../storage/errors/firn-error.js';

export type Migration = { version: number; description: string; sql: string };

export const catalogMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'databases, schemas, tables, columns, version log, partitions, pending objects, warehouses',
    sql: `
      CREATE TABLE databases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        dropped_at INTEGER
      );
      CREATE UNIQUE INDEX databases_live_name ON databases(name) WHERE dropped_at IS NULL;

      CREATE TABLE schemas (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        database_id INTEGER NOT NULL REFERENCES databases(id),
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        dropped_at INTEGER
      );
      CREATE UNIQUE INDEX schemas_live_name ON schemas(database_id, name) WHERE dropped_at IS NULL;
      CREATE INDEX schemas_database ON schemas(database_id);

      CREATE TABLE tables (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schema_id INTEGER NOT NULL REFERENCES schemas(id),
        name TEXT NOT NULL,
        cluster_by TEXT NOT NULL DEFAULT '[]',
        current_version INTEGER NOT NULL DEFAULT 0 CHECK (current_version >= 0),
        created_at INTEGER NOT NULL,
        dropped_at INTEGER
      );
      CREATE UNIQUE INDEX tables_live_name ON tables(schema_id, name) WHERE dropped_at IS NULL;
      CREATE INDEX tables_schema ON tables(schema_id);

      CREATE TABLE columns (
        table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        nullable INTEGER NOT NULL CHECK (nullable IN (0, 1)),
        PRIMARY KEY (table_id, ordinal),
        UNIQUE (table_id, name)
      ) WITHOUT ROWID;

      CREATE TABLE table_versions (
        table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 0),
        committed_at INTEGER NOT NULL,
        query_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        PRIMARY KEY (table_id, version)
      ) WITHOUT ROWID;
      CREATE INDEX table_versions_time ON table_versions(table_id, committed_at);

      CREATE TABLE partitions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id INTEGER NOT NULL REFERENCES tables(id),
        object_key TEXT NOT NULL CHECK (object_key <> ''),
        row_count INTEGER NOT NULL CHECK (row_count >= 0),
        byte_size INTEGER NOT NULL CHECK (byte_size >= 0),
        zone_map TEXT NOT NULL,
        added_version INTEGER NOT NULL,
        removed_version INTEGER CHECK (removed_version IS NULL OR removed_version > added_version),
        FOREIGN KEY (table_id, added_version) REFERENCES table_versions(table_id, version),
        FOREIGN KEY (table_id, removed_version) REFERENCES table_versions(table_id, version)
      );
      CREATE INDEX partitions_live ON partitions(table_id, added_version, removed_version);
      CREATE INDEX partitions_object_key ON partitions(object_key);

      CREATE TABLE pending_objects (
        object_key TEXT NOT NULL,
        query_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (query_id, object_key)
      ) WITHOUT ROWID;
      CREATE INDEX pending_objects_key ON pending_objects(object_key);
      CREATE INDEX pending_objects_age ON pending_objects(created_at);

      CREATE TABLE warehouses (
        name TEXT PRIMARY KEY,
        size TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('STARTED', 'SUSPENDED')),
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'warehouses get an id (AUTOINCREMENT): their cache directories are named by id, never by the user-chosen name',
    sql: `
      CREATE TABLE warehouses_by_id (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        size TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('STARTED', 'SUSPENDED')),
        created_at INTEGER NOT NULL
      );
      INSERT INTO warehouses_by_id (name, size, state, created_at)
        SELECT name, size, state, created_at FROM warehouses ORDER BY created_at, name;
      DROP TABLE warehouses;
      ALTER TABLE warehouses_by_id RENAME TO warehouses;
    `,
  },
  {
    version: 3,
    description: 'load history: the source files each COPY INTO committed into a table',
    sql: `
      CREATE TABLE load_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id INTEGER NOT NULL,
        table_version INTEGER NOT NULL,
        query_id TEXT NOT NULL,
        loaded_at INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        file_size INTEGER NOT NULL CHECK (file_size >= 0),
        file_etag TEXT,
        file_modified_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('LOADED', 'PARTIALLY_LOADED', 'LOAD_FAILED')),
        rows_parsed INTEGER NOT NULL CHECK (rows_parsed >= 0),
        rows_loaded INTEGER NOT NULL CHECK (rows_loaded >= 0),
        error_count INTEGER NOT NULL CHECK (error_count >= 0),
        error_limit INTEGER NOT NULL CHECK (error_limit >= 0),
        first_error_message TEXT,
        first_error_line_number INTEGER,
        first_error_character_position INTEGER,
        first_error_col_name TEXT,
        FOREIGN KEY (table_id, table_version) REFERENCES table_versions(table_id, version)
      );
      CREATE INDEX load_history_file ON load_history(table_id, file_name);
      CREATE INDEX load_history_time ON load_history(loaded_at);
    `,
  },
  {
    version: 4,
    description:
      'versioned tables: versioned columns with stable ids and physical names, statement ids per version, retention, clones',
    sql: `
      ALTER TABLE databases ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
      ALTER TABLE schemas ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
      ALTER TABLE tables ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
      ALTER TABLE tables ADD COLUMN expires_at INTEGER;
      ALTER TABLE tables ADD COLUMN history_floor INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tables ADD COLUMN cloned_from TEXT;

      CREATE TABLE table_columns (
        table_id INTEGER NOT NULL REFERENCES tables(id),
        column_id INTEGER NOT NULL CHECK (column_id >= 1),
        ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        nullable INTEGER NOT NULL CHECK (nullable IN (0, 1)),
        physical_name TEXT NOT NULL,
        default_value TEXT,
        added_version INTEGER NOT NULL CHECK (added_version >= 0),
        removed_version INTEGER CHECK (removed_version IS NULL OR removed_version >= added_version),
        PRIMARY KEY (table_id, column_id, added_version)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX table_columns_live_name ON table_columns(table_id, name) WHERE removed_version IS NULL;
      INSERT INTO table_columns
        (table_id, column_id, ordinal, name, type, nullable, physical_name, default_value, added_version, removed_version)
        SELECT table_id, ordinal, ordinal, name, type, nullable, name, NULL, 0, NULL FROM columns;
      DROP TABLE columns;

      CREATE TABLE version_statements (
        table_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        query_id TEXT NOT NULL,
        PRIMARY KEY (query_id, table_id),
        FOREIGN KEY (table_id, version) REFERENCES table_versions(table_id, version)
      ) WITHOUT ROWID;
      INSERT INTO version_statements (table_id, version, query_id)
        SELECT table_id, max(version), query_id FROM table_versions GROUP BY table_id, query_id;

      CREATE INDEX tables_dropped ON tables(dropped_at) WHERE dropped_at IS NOT NULL;
      CREATE INDEX partitions_removed ON partitions(table_id, removed_version) WHERE removed_version IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: 'metering (cluster segments: one per cluster start or resize) and query history',
    sql: `
      CREATE TABLE cluster_segments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        warehouse_id INTEGER NOT NULL,
        warehouse_name TEXT NOT NULL,
        cluster INTEGER NOT NULL CHECK (cluster >= 1),
        size TEXT NOT NULL,
        run_started_at INTEGER NOT NULL,
        started_at INTEGER NOT NULL CHECK (started_at >= run_started_at),
        ended_at INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at),
        last_seen_at INTEGER NOT NULL
      );
      CREATE INDEX cluster_segments_open ON cluster_segments(warehouse_id, cluster) WHERE ended_at IS NULL;
      CREATE INDEX cluster_segments_start ON cluster_segments(started_at);

      CREATE TABLE query_history (
        query_id TEXT PRIMARY KEY,
        query_text TEXT NOT NULL,
        database_name TEXT,
        schema_name TEXT,
        warehouse_id INTEGER,
        warehouse_name TEXT,
        warehouse_size TEXT,
        cluster_number INTEGER,
        execution_status TEXT NOT NULL CHECK (execution_status IN ('SUCCESS', 'FAIL')),
        error_code TEXT,
        error_message TEXT,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        total_elapsed_time INTEGER NOT NULL,
        queued_overload_time INTEGER NOT NULL,
        bytes_scanned INTEGER NOT NULL,
        partitions_scanned INTEGER NOT NULL,
        partitions_total INTEGER NOT NULL,
        percentage_scanned_from_cache REAL NOT NULL,
        bytes_spilled INTEGER NOT NULL,
        rows_produced INTEGER NOT NULL
      );
      CREATE INDEX query_history_start ON query_history(start_time);
      CREATE INDEX query_history_end ON query_history(end_time);
      CREATE INDEX query_history_cluster ON query_history(warehouse_id, cluster_number, end_time);
    `,
  },
  {
    version: 6,
    description: 'warehouse properties (AUTO_SUSPEND, AUTO_RESUME, cluster counts, SCALING_POLICY, concurrency, timeouts, COMMENT) as JSON, and when each warehouse last changed',
    sql: `
      ALTER TABLE warehouses ADD COLUMN properties TEXT;
      ALTER TABLE warehouses ADD COLUMN updated_at INTEGER;
      UPDATE warehouses SET updated_at = created_at;
    `,
  },
  {
    version: 7,
    description: 'partition object identity: the ETag the object store answered when the partition was written',
    // NULL for partitions committed before: they are validated by size alone.
    sql: `ALTER TABLE partitions ADD COLUMN etag TEXT;`,
  },
  {
    version: 8,
    description: 'users (scrypt password hashes), their programmatic access tokens (SHA-256 of the secret), and the user and role of each statement in query history',
    // A user's tokens go with it (ON DELETE CASCADE): DROP USER revokes them in the same
    // transaction. Secrets are never stored, only their hash (unique: the lookup key).
    // Statements recorded before have no user or role (NULL).
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT,
        default_role TEXT,
        default_warehouse TEXT,
        default_namespace TEXT,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        comment TEXT,
        owner TEXT,
        created_at INTEGER NOT NULL,
        last_login_at INTEGER
      );

      CREATE TABLE access_tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        role_restriction TEXT,
        comment TEXT,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
        UNIQUE (user_id, name)
      );

      ALTER TABLE query_history ADD COLUMN user_name TEXT;
      ALTER TABLE query_history ADD COLUMN role_name TEXT;
    `,
  },
  {
    version: 9,
    description:
      'roles, role grants, privilege grants by object id, future grants, object ownership; the system roles and their hierarchy; existing objects owned by SYSADMIN',
    // Times are epoch ms; the seed rows take the moment of the upgrade. object_kind has no CHECK:
    // the kinds are services/access/privilege-names.ts's, and a new securable (a stage, a view)
    // needs no rebuild of these tables.
    sql: `
      CREATE TABLE roles (
        name TEXT PRIMARY KEY,
        comment TEXT,
        owner TEXT REFERENCES roles(name) ON DELETE SET NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE role_grants (
        role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
        grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('USER', 'ROLE')),
        grantee TEXT NOT NULL,
        granted_by TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (role, grantee_kind, grantee)
      ) WITHOUT ROWID;
      CREATE INDEX role_grants_grantee ON role_grants(grantee_kind, grantee);

      CREATE TABLE privilege_grants (
        object_kind TEXT NOT NULL,
        object_id INTEGER NOT NULL,
        privilege TEXT NOT NULL CHECK (privilege <> 'OWNERSHIP'),
        role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
        grant_option INTEGER NOT NULL CHECK (grant_option IN (0, 1)),
        granted_by TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (object_kind, object_id, privilege, role)
      ) WITHOUT ROWID;
      CREATE INDEX privilege_grants_role ON privilege_grants(role);

      CREATE TABLE future_grants (
        schema_id INTEGER NOT NULL,
        object_kind TEXT NOT NULL,
        privilege TEXT NOT NULL,
        role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE,
        grant_option INTEGER NOT NULL CHECK (grant_option IN (0, 1)),
        granted_by TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (schema_id, object_kind, privilege, role)
      ) WITHOUT ROWID;

      CREATE TABLE object_owners (
        object_kind TEXT NOT NULL,
        object_id INTEGER NOT NULL,
        owner TEXT NOT NULL REFERENCES roles(name),
        granted_by TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (object_kind, object_id)
      ) WITHOUT ROWID;
      CREATE INDEX object_owners_owner ON object_owners(owner);

      CREATE TEMP TABLE upgrade_clock AS SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now;
      INSERT INTO roles (name, comment, owner, created_at)
        SELECT name, comment, NULL, (SELECT now FROM upgrade_clock) FROM (
          SELECT 'ACCOUNTADMIN' AS name, 'Account administrator can manage all aspects of the account.' AS comment
          UNION ALL SELECT 'SECURITYADMIN', 'Security administrator can manage security aspects of the account.'
          UNION ALL SELECT 'USERADMIN', 'User administrator can create and manage users and roles'
          UNION ALL SELECT 'SYSADMIN', 'System administrator can create and manage databases and warehouses.'
          UNION ALL SELECT 'PUBLIC', 'Public role is automatically available to every user in the account.');
      INSERT INTO role_grants (role, grantee_kind, grantee, granted_by, created_at)
        SELECT role, kind, grantee, NULL, (SELECT now FROM upgrade_clock) FROM (
          SELECT 'SECURITYADMIN' AS role, 'ROLE' AS kind, 'ACCOUNTADMIN' AS grantee
          UNION ALL SELECT 'SYSADMIN', 'ROLE', 'ACCOUNTADMIN'
          UNION ALL SELECT 'USERADMIN', 'ROLE', 'SECURITYADMIN'
          UNION ALL SELECT 'ACCOUNTADMIN', 'USER', 'ADMIN');
      INSERT INTO privilege_grants (object_kind, object_id, privilege, role, grant_option, granted_by, created_at)
        SELECT 'ACCOUNT', 0, privilege, role, 0, NULL, (SELECT now FROM upgrade_clock) FROM (
          SELECT 'MANAGE GRANTS' AS privilege, 'SECURITYADMIN' AS role
          UNION ALL SELECT 'CREATE ROLE', 'USERADMIN'
          UNION ALL SELECT 'CREATE USER', 'USERADMIN'
          UNION ALL SELECT 'CREATE DATABASE', 'SYSADMIN'
          UNION ALL SELECT 'CREATE WAREHOUSE', 'SYSADMIN');
      INSERT INTO object_owners (object_kind, object_id, owner, granted_by, created_at)
        SELECT 'DATABASE', id, 'SYSADMIN', NULL, (SELECT now FROM upgrade_clock) FROM databases
        UNION ALL SELECT 'SCHEMA', id, 'SYSADMIN', NULL, (SELECT now FROM upgrade_clock) FROM schemas
        UNION ALL SELECT 'TABLE', id, 'SYSADMIN', NULL, (SELECT now FROM upgrade_clock) FROM tables
        UNION ALL SELECT 'WAREHOUSE', id, 'SYSADMIN', NULL, (SELECT now FROM upgrade_clock) FROM warehouses;
      DROP TABLE upgrade_clock;
    `,
  },
  {
    version: 10,
    description: 'stages (internal, or external with a URL and credentials) and named file formats, in a schema',
    // Credentials are stored to reach the stage's files and never shown back (SHOW, DESCRIBE).
    // Names are unique per schema; both live and die with their row (DROP deletes it).
    sql: `
      CREATE TABLE stages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schema_id INTEGER NOT NULL REFERENCES schemas(id),
        name TEXT NOT NULL,
        url TEXT,
        credentials TEXT,
        file_format TEXT,
        comment TEXT,
        owner TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX stages_name ON stages(schema_id, name);

      CREATE TABLE file_formats (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schema_id INTEGER NOT NULL REFERENCES schemas(id),
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        comment TEXT,
        owner TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX file_formats_name ON file_formats(schema_id, name);
    `,
  },
  {
    version: 11,
    description: "notebooks of the notebook page, per user: a name unique per owner and the cells as JSON",
    // The owner is a user name; a dropped user's notebooks stay (as Snowflake keeps a dropped user's worksheets until cleanup).
    sql: `
      CREATE TABLE notebooks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        cells TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX notebooks_owner_name ON notebooks(owner, name);
    `,
  },
  {
    version: 12,
    description: 'views, in a schema: their text, their query, and the columns it produced when created',
    // Views share their schema's namespace with tables (view-store.ts); they have no versions:
    // DROP deletes the row. columns is JSON [{ name, type }]; column_names the CREATE's list or NULL.
    sql: `
      CREATE TABLE views (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schema_id INTEGER NOT NULL REFERENCES schemas(id),
        name TEXT NOT NULL,
        text TEXT NOT NULL,
        query TEXT NOT NULL,
        columns TEXT NOT NULL,
        column_names TEXT,
        secure INTEGER NOT NULL CHECK (secure IN (0, 1)),
        comment TEXT,
        owner TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX views_name ON views(schema_id, name);
    `,
  },
  {
    version: 13,
    description: 'transient tables: a flag on the table (retention capped at 1 day)',
    sql: `
      ALTER TABLE tables ADD COLUMN transient INTEGER NOT NULL DEFAULT 0 CHECK (transient IN (0, 1));
    `,
  },
  {
    version: 14,
    description: 'query history: the session each statement ran in (QUERY_HISTORY_BY_SESSION)',
    sql: `
      ALTER TABLE query_history ADD COLUMN session_id INTEGER;
      CREATE INDEX query_history_session ON query_history(session_id, end_time);
    `,
  },
  {
    version: 15,
    description: 'sequences (named, in a schema, or an identity column\'s own) and the columns whose DEFAULT takes their next values',
    // Values are 64-bit integers (SQLite INTEGER, read as BigInt); next_value is the first value no
    // statement was given yet, moved past every reserved block in the reserving transaction
    // (sequence-store.ts). An identity column's sequence has no name. column_sequences has no
    // foreign keys: a named sequence may be dropped while a default still names it (the INSERT
    // then fails), and GC purges a table's rows with the table's.
    sql: `
      CREATE TABLE sequences (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schema_id INTEGER NOT NULL REFERENCES schemas(id),
        name TEXT,
        start_value INTEGER NOT NULL,
        increment INTEGER NOT NULL CHECK (increment <> 0),
        next_value INTEGER NOT NULL,
        ordered INTEGER NOT NULL CHECK (ordered IN (0, 1)),
        comment TEXT,
        owner TEXT,
        created_at INTEGER NOT NULL,
        altered_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX sequences_name ON sequences(schema_id, name) WHERE name IS NOT NULL;

      CREATE TABLE column_sequences (
        table_id INTEGER NOT NULL,
        column_id INTEGER NOT NULL,
        sequence_id INTEGER NOT NULL,
        identity INTEGER NOT NULL CHECK (identity IN (0, 1)),
        PRIMARY KEY (table_id, column_id)
      ) WITHOUT ROWID;
      CREATE INDEX column_sequences_sequence ON column_sequences(sequence_id);
    `,
  },
  {
    version: 16,
    description: "query history: each statement's QUERY_TAG (the session parameter; NULL when it had none)",
    sql: `
      ALTER TABLE query_history ADD COLUMN query_tag TEXT;
    `,
  },
];

/** The schema version this build of Firn reads and writes. */
export const CATALOG_SCHEMA_VERSION = catalogMigrations[catalogMigrations.length - 1].version;

/** Brings `db` up to CATALOG_SCHEMA_VERSION; returns the version it ends at. */
export function migrateCatalog(db: Database, migrations: readonly Migration[] = catalogMigrations): number {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const upgrade = db.transaction((): number => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > latest) {
      throw new NotSupportedError(`A catalog at schema version ${current} (this Firn reads up to ${latest})`);
    }
    const record = db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)');
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i];
      if (m.version !== i + 1) {
        throw new InternalError(`catalog migrations out of order: entry ${i} has version ${m.version}`);
      }
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, Date.now());
    }
    return Math.max(current, latest);
  });
  return upgrade.immediate();
}
