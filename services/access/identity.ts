/**
 * Who runs a statement: the authenticated user and the role the statement starts with.
 *
 * Contract: the HTTP layer builds an Identity only from verified credentials and passes it
 * with every StatementRequest; the engine copies it into the statement's SessionContext
 * (`user`, `role`), where USE ROLE may change the role for the rest of the request. Nothing
 * else constructs an Identity except in-process callers that act as the system itself
 * (tests, maintenance), which use SYSTEM_IDENTITY.
 */
export type Identity = { readonly user: string; readonly role: string };

/** The bootstrap administrator: user ADMIN with its default role ACCOUNTADMIN. */
export const SYSTEM_IDENTITY: Identity = { user: 'ADMIN', role: 'ACCOUNTADMIN' };
