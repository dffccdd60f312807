/**
 * Whether a listening host is loopback: an address only this machine reaches. The bind
 * policy (bind-policy.ts) lets such a host serve plain HTTP without a word, and the HTTP
 * server refuses requests for foreign host names on it (DNS rebinding, http-server.ts).
 *
 * Contract: true for 127.0.0.0/8 in dotted form, ::1 (bracketed or not) and `localhost`, in
 * any case; false for everything else, including 0.0.0.0, :: and the empty host (all
 * interfaces), and names that merely resolve to loopback today.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}
