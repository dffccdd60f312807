/**
 * The security headers every answer of the HTTP server carries, set in one place: the
 * listener (listener.ts) calls applySecurityHeaders once per response before routing, so API
 * answers, errors (401/403/404/413/415/429/500), /healthz and OPTIONS all get them; the raw
 * answers to malformed requests (listener.ts) carry the same headers.
 *
 * - X-Content-Type-Options: nosniff: a browser never runs an answer as script or style
 *   whatever its bytes look like (MIME sniffing).
 * - X-Frame-Options: DENY and CSP frame-ancestors 'none': no page may frame Firn
 *   (clickjacking); the first for old browsers, the second for current ones.
 * - Content-Security-Policy: the profile's; the API's (`API_SECURITY_PROFILE`) allows nothing
 *   at all, since a JSON answer loads nothing.
 * - Referrer-Policy: no-referrer: a URL with a statement handle never leaks onward.
 * - Cache-Control: the profile's; the API's is no-store, so no browser or proxy keeps results.
 * - Cross-Origin-Resource-Policy: same-origin: another site cannot embed an answer
 *   (no-cors loads; CORS requests of FIRN_ALLOWED_ORIGINS are unaffected).
 * - Strict-Transport-Security: only when the server itself serves TLS (listener.ts); a
 *   plain-HTTP answer must not carry it.
 *
 * The hook for other kinds of content: a route that serves something else (the page's static
 * files) defines its own SecurityProfile (its CSP, its caching) and calls applySecurityHeaders
 * with it, which replaces the profile's headers; the fixed ones stay the same.
 */
import type { ServerResponse } from 'node:http';

/** What differs between kinds of content: the page needs scripts and caching, the API neither. */
export type SecurityProfile = { readonly contentSecurityPolicy: string; readonly cacheControl: string };

export const API_SECURITY_PROFILE: SecurityProfile = {
  contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  cacheControl: 'no-store',
};

/** HSTS when serving TLS: one year; browsers then refuse plain HTTP to this host. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export type SecurityHeaderOptions = { readonly tls: boolean };

/** The headers, as [name, value] pairs, for one answer. */
export function securityHeaders(profile: SecurityProfile, opts: SecurityHeaderOptions): Array<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Content-Security-Policy', profile.contentSecurityPolicy],
    ['Referrer-Policy', 'no-referrer'],
    ['Cache-Control', profile.cacheControl],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
  ];
  if (opts.tls) headers.push(['Strict-Transport-Security', STRICT_TRANSPORT_SECURITY]);
  return headers;
}

/** Sets the headers on a response that has not sent its head yet. */
export function applySecurityHeaders(res: ServerResponse, profile: SecurityProfile, opts: SecurityHeaderOptions): void {
  for (const [name, value] of securityHeaders(profile, opts)) res.setHeader(name, value);
}
