import { describe, expect, it } from 'vitest';
import { API_SECURITY_PROFILE, securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it("gives the API's headers: no sniffing, no framing, a CSP that allows nothing, no referrer, no caching, same-origin resources", () => {
    expect(Object.fromEntries(securityHeaders(API_SECURITY_PROFILE, { tls: false }))).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });

  it('adds Strict-Transport-Security only when serving TLS', () => {
    const tls = Object.fromEntries(securityHeaders(API_SECURITY_PROFILE, { tls: true }));
    expect(tls['Strict-Transport-Security']).toBe('max-age=31536000');
    expect(Object.keys(tls)).toHaveLength(7);
  });

  it("takes the CSP and caching from the profile, the page's hook, and keeps the fixed headers", () => {
    const page = { contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'", cacheControl: 'no-cache' };
    const headers = Object.fromEntries(securityHeaders(page, { tls: false }));
    expect([headers['Content-Security-Policy'], headers['Cache-Control'], headers['X-Frame-Options'], headers['X-Content-Type-Options']]).toEqual([
      "default-src 'self'; frame-ancestors 'none'",
      'no-cache',
      'DENY',
      'nosniff',
    ]);
  });
});
