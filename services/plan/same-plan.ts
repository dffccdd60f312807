/**
 * Structural equality of plans and bound expressions, which is how an optimizer rule tells
 * whether it changed the plan (EXPLAIN lists the rules that did).
 *
 * Why: the rules used to compare JSON.stringify of the plan before and after, which
 * serialises the whole tree twice per rule, scans and their zone maps included: several
 * milliseconds of the services thread per query. A rewrite keeps the subtrees it does not
 * touch (`{ ...plan, input }`), so comparing by identity first makes the usual answer cheap.
 *
 * Contract: plain data only (objects, arrays, strings, numbers, bigints, booleans, null,
 * undefined). Equal as JSON.stringify has it: a key whose value is undefined counts as absent,
 * NaN equals NaN; key order does not matter.
 */
export function samePlan(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlan(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!samePlan(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
