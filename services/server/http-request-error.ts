/**
 * A malformed HTTP request (it carries the status it answers with), and the HTTP status of any
 * FirnError a request ends in, so every route of the server maps failures the same way.
 */
import { AuthenticationError, RequestError, type FirnError } from '../../storage/errors/firn-error.js';

export class HttpRequestError extends RequestError {
  readonly status: number;
  constructor(status: number, message: string, codeName: 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE' | 'ORIGIN_NOT_ALLOWED' = 'BAD_REQUEST') {
    super(codeName, message);
    this.status = status;
  }
}

/**
 * HTTP status for a failed request: malformed 400/413/404, no valid credentials 401, a role
 * the user may not use 403, a statement canceled past its (or its warehouse's) timeout 408 (as
 * Snowflake's SQL API answers it), throttled or too many statements running 429, bug 500,
 * else (a failed statement) 422.
 */
export function httpStatusOf(e: FirnError): number {
  if (e instanceof HttpRequestError) return e.status;
  if (e.codeName === 'STATEMENT_TIMEOUT' || e.codeName === 'STATEMENT_QUEUED_TIMEOUT') return 408;
  if (e instanceof AuthenticationError) return e.codeName === 'ROLE_NOT_GRANTED' ? 403 : e.codeName === 'TOO_MANY_REQUESTS' ? 429 : 401;
  if (e.codeName === 'BAD_REQUEST') return 400;
  if (e.codeName === 'TOO_MANY_STATEMENTS') return 429;
  if (e.codeName === 'INTERNAL') return 500;
  return 422;
}
