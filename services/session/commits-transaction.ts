/**
 * Which statements commit the session's open transaction before they run: DDL (CREATE, ALTER,
 * DROP, UNDROP, CLONE, CTAS, GRANT / REVOKE, users, roles, warehouses, stages, views, sequences), as in Snowflake,
 * where each DDL statement is a transaction of its own and the session is back in autocommit
 * afterwards. Queries, DML (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY INTO), SHOW /
 * DESCRIBE / LIST, USE, ALTER SESSION, SET / UNSET of session variables and the transaction
 * statements themselves run inside it.
 *
 * Contract: a table of every statement kind, so a new kind must be classified to compile.
 */
import type { Statement } from '../sql/ast.js';

const COMMITS: Record<Statement['kind'], boolean> = {
  query: false,
  explain: false,
  insert: false,
  update: false,
  delete: false,
  merge: false,
  truncate: false,
  copy_into: false,
  unload: false,
  use: false,
  use_role: false,
  alter_session: false,
  set_variables: false,
  unset_variables: false,
  show_variables: false,
  show_parameters: false,
  show: false,
  show_columns: false,
  show_versions: false,
  show_users: false,
  show_user_tokens: false,
  show_roles: false,
  show_grants: false,
  show_future_grants: false,
  show_transactions: false,
  describe_table: false,
  describe_stage: false,
  describe_view: false,
  describe_sequence: false,
  describe_warehouse: false,
  list_stage: false,
  remove_stage: false,
  begin: false,
  commit: false,
  rollback: false,
  create_database: true,
  drop_database: true,
  create_schema: true,
  drop_schema: true,
  create_table: true,
  drop_table: true,
  create_view: true,
  drop_view: true,
  create_sequence: true,
  alter_sequence: true,
  drop_sequence: true,
  create_clone: true,
  undrop: true,
  alter_table: true,
  alter_container: true,
  create_stage: true,
  drop_stage: true,
  create_file_format: true,
  drop_file_format: true,
  create_warehouse: true,
  alter_warehouse: true,
  drop_warehouse: true,
  create_user: true,
  alter_user: true,
  drop_user: true,
  create_role: true,
  drop_role: true,
  grant_role: true,
  grant_privileges: true,
};

export function commitsTransaction(st: Statement): boolean {
  return COMMITS[st.kind];
}
