/**
 * The errors of access control, worded as Snowflake words them, so every check raises the same
 * text: 003001 for an object the role can see but may not do this to, 003013 for a role the user
 * may not activate, and "does not exist or not authorized" (002003) for an object the role cannot
 * see, which reads exactly as for an object that does not exist; 003511 / 003512 for stage grants
 * out of Snowflake's order (READ before or with WRITE).
 */
import { CompilationError, FirnError, InsufficientPrivilegesError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { kindWord, type SecurableKind } from './privilege-names.js';

/** 003001: "SQL access control error: Insufficient privileges to operate on table 'T'". */
export function insufficientPrivileges(kind: SecurableKind | 'ROLE' | 'USER', name: string): InsufficientPrivilegesError {
  return new InsufficientPrivilegesError(`SQL access control error: Insufficient privileges to operate on ${kindWord(kind)} '${clipValue(name)}'`);
}

/** 003013: USE ROLE (or a session's role) the user does not hold. */
export function roleNotGranted(role: string): FirnError {
  return new FirnError(
    'ROLE_NOT_ASSIGNED',
    `SQL access control error: Requested role '${clipValue(role)}' is not assigned to the executing user.  Specify another role to activate.`,
  );
}

/** 002003 for a role: missing, or (Snowflake says the same) not visible. */
export function roleNotFound(role: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Role '${clipValue(role)}' does not exist or not authorized.`);
}

/** 002003 for a database, schema or warehouse the role cannot see: the catalog's own wording for a missing one. */
export function containerNotFound(kind: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE', name: string): CompilationError {
  const word = kind === 'DATABASE' ? 'Database' : kind === 'SCHEMA' ? 'Schema' : 'Warehouse';
  return new CompilationError('OBJECT_NOT_FOUND', `${word} '${clipValue(name)}' does not exist or not authorized.`);
}

/** 002003 for a table the role cannot see, as the binder words a missing one. */
export function tableNotFound(qualifiedName: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Object '${clipValue(qualifiedName)}' does not exist or not authorized.`);
}

/** 002003 for a stage or file format the role cannot see, worded as for a missing one. */
export function stageObjectNotFound(kind: 'STAGE' | 'FILE_FORMAT', qualifiedName: string): CompilationError {
  const word = kind === 'STAGE' ? 'Stage' : 'File format';
  return new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: ${word} '${clipValue(qualifiedName)}' does not exist or not authorized.`);
}

/**
 * 003511 / 003512: WRITE on a stage granted to a role without READ, or READ revoked from a role
 * that keeps WRITE (Snowflake grants READ before or with WRITE, and revokes it after or with it).
 */
export function privilegeOrderViolation(granting: boolean): FirnError {
  return granting
    ? new CompilationError('PRIVILEGE_ORDER_GRANT', 'SQL compilation error: Privilege order violation for the grants on stage. READ should be granted before/simultaneously with WRITE.')
    : new CompilationError('PRIVILEGE_ORDER_REVOKE', 'SQL compilation error: Privilege order violation for the grants on stage. WRITE should be revoked before/simultaneously with READ.');
}
