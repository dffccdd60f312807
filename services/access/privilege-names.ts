/**
 * The vocabulary of access control, as Snowflake names it: the kinds of securable objects, the
 * privileges each kind takes, and the system-defined roles. Every other access module (the
 * grant store, the hierarchy, the checks, the GRANT parser) reads its names from here, so a
 * privilege is spelled once.
 *
 * Contract: names are upper case, as the parser resolves unquoted words. OWNERSHIP is not in
 * OBJECT_PRIVILEGES: it is held by exactly one role per object (grant-store.ts keeps it apart)
 * and implies every privilege of the object. `ALL [PRIVILEGES]` on a kind means every privilege
 * OBJECT_PRIVILEGES lists for it.
 */

/** What privileges are granted on. ACCOUNT is the one account (its object id is 0). */
export type SecurableKind = 'ACCOUNT' | 'DATABASE' | 'SCHEMA' | 'TABLE' | 'VIEW' | 'WAREHOUSE' | 'STAGE' | 'FILE_FORMAT' | 'SEQUENCE';
/** The securables that have an owner (the account has none). */
export type OwnableKind = Exclude<SecurableKind, 'ACCOUNT'>;

/** The privileges each kind takes besides OWNERSHIP (the subset of Snowflake's that Firn enforces). */
export const OBJECT_PRIVILEGES: Readonly<Record<SecurableKind, readonly string[]>> = {
  ACCOUNT: ['CREATE DATABASE', 'CREATE WAREHOUSE', 'CREATE ROLE', 'CREATE USER', 'MANAGE GRANTS'],
  DATABASE: ['USAGE', 'CREATE SCHEMA'],
  SCHEMA: ['USAGE', 'CREATE TABLE', 'CREATE VIEW', 'CREATE STAGE', 'CREATE FILE FORMAT', 'CREATE SEQUENCE'],
  TABLE: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'],
  VIEW: ['SELECT'],
  WAREHOUSE: ['USAGE', 'OPERATE', 'MODIFY'],
  // Which of these a stage takes depends on its type: STAGE_PRIVILEGES.
  STAGE: ['USAGE', 'READ', 'WRITE'],
  FILE_FORMAT: ['USAGE'],
  SEQUENCE: ['USAGE'],
};

/**
 * The privileges of a stage by its type, as Snowflake has them: an internal stage takes READ
 * (LIST, GET, COPY INTO <table> from it) and WRITE (PUT, REMOVE, COPY INTO @stage), WRITE only
 * with READ granted before or with it; an external stage takes USAGE, which covers both. ALL
 * [PRIVILEGES] on a stage is the list of its type.
 */
export const STAGE_PRIVILEGES = {
  internal: ['READ', 'WRITE'],
  external: ['USAGE'],
} as const satisfies Record<string, readonly string[]>;

export const OWNERSHIP = 'OWNERSHIP';

/** The id of the account in grants of account privileges. */
export const ACCOUNT_ID = 0;
/** The account's name where Snowflake shows one (SHOW GRANTS, error messages). */
export const ACCOUNT_NAME = 'FIRN';

/** The system-defined roles: they exist from the first start, cannot be dropped, and their hierarchy cannot be changed. */
export const SystemRoles = {
  ACCOUNTADMIN: 'ACCOUNTADMIN',
  SECURITYADMIN: 'SECURITYADMIN',
  USERADMIN: 'USERADMIN',
  SYSADMIN: 'SYSADMIN',
  PUBLIC: 'PUBLIC',
} as const;

/**
 * The hierarchy among the system roles, as (granted role, role it is granted to): ACCOUNTADMIN
 * inherits SECURITYADMIN and SYSADMIN, SECURITYADMIN inherits USERADMIN. PUBLIC is inherited by
 * every role without a grant. The catalog migration seeds these rows.
 */
export const SYSTEM_HIERARCHY: readonly (readonly [role: string, grantee: string])[] = [
  [SystemRoles.SECURITYADMIN, SystemRoles.ACCOUNTADMIN],
  [SystemRoles.SYSADMIN, SystemRoles.ACCOUNTADMIN],
  [SystemRoles.USERADMIN, SystemRoles.SECURITYADMIN],
];

/** How Snowflake writes a kind in messages: 'table', 'file format' (SHOW GRANTS' granted_on is the kind itself: 'FILE_FORMAT'). */
export function kindWord(kind: SecurableKind | 'ROLE' | 'USER'): string {
  return kind.toLowerCase().replace('_', ' ');
}
