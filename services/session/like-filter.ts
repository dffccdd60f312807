/**
 * SHOW ... LIKE '<pattern>': Snowflake's filter on object names, case-insensitive, with the SQL
 * wildcards % (any run of characters) and _ (one character). One function for every SHOW.
 */

/** A predicate on names: everything when `pattern` is null. */
export function likeFilter(pattern: string | null): (name: string) => boolean {
  if (pattern === null) return () => true;
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  const re = new RegExp(`^${source}$`, 'is');
  return (name) => re.test(name);
}
