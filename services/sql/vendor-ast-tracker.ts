/**
 * Proves that the converter consumed every part of node-sql-parser's AST.
 *
 * Why: node-sql-parser parses more than Firn implements (`* EXCLUDE (...)`, COLLATE, FILTER,
 * JSON operators, ...) and hangs it on the node it belongs to. A converter that reads only the
 * keys it knows silently drops the rest: `SELECT * EXCLUDE (c)` answered every column. Valid
 * SQL Firn does not run must fail with 0A000, never run as something else.
 *
 * Contract: `track(root)` returns a Proxy view of the vendor AST that records every property
 * read, at any depth (children come back as proxies too). `skip(node, keys)` declares parts
 * that are scaffolding of the text we gave the vendor (`SELECT 1 FROM t WHERE ...`), not
 * user input. After conversion, `assertConsumed(root)` walks the raw AST: a property nobody
 * read whose value is not a default (null, undefined, false, '', empty array, or an object of
 * only defaults) is a construct that was dropped, and throws NotSupportedError (0A000)
 * naming it; properties that were read are walked into. Only `loc` (source positions) and
 * `parentheses` (grouping, already encoded in the tree's shape) carry no meaning and are
 * never required to be read.
 */
import { NotSupportedError } from '../../storage/errors/firn-error.js';

/** Keys that never carry semantics: positions, and grouping the tree shape already encodes. */
const MEANINGLESS_KEYS = new Set(['loc', 'parentheses']);

type Node = Record<string, unknown>;

export class VendorAstTracker {
  private readonly reads = new WeakMap<object, Set<string>>();
  private readonly proxies = new WeakMap<object, object>();
  private readonly skipped = new WeakMap<object, Set<string>>();

  /** A view of `node` that records reads; the same node always gets the same proxy. */
  track<T>(node: T): T {
    if (node === null || typeof node !== 'object') return node;
    const target = node as unknown as object;
    const known = this.proxies.get(target);
    if (known) return known as T;
    const reads = new Set<string>();
    this.reads.set(target, reads);
    const proxy = new Proxy(target, {
      get: (t, key, receiver) => {
        if (typeof key === 'string') reads.add(key);
        const value = Reflect.get(t, key, receiver);
        return value !== null && typeof value === 'object' ? this.track(value) : value;
      },
    });
    this.proxies.set(target, proxy);
    return proxy as T;
  }

  /** Declares `keys` of `node` (raw or tracked) as our own scaffolding: never checked. */
  skip(node: object, ...keys: string[]): void {
    const set = this.skipped.get(node) ?? new Set<string>();
    for (const k of keys) set.add(k);
    this.skipped.set(node, set);
  }

  /** Throws NotSupportedError for the first part of `root` (the raw vendor AST) nobody read. */
  assertConsumed(root: object): void {
    const stack: { node: unknown; owner: Node | null }[] = [{ node: root, owner: null }];
    while (stack.length > 0) {
      const { node, owner } = stack.pop() as { node: unknown; owner: Node | null };
      if (node === null || typeof node !== 'object') continue;
      const reads = this.reads.get(node) ?? new Set<string>();
      const skipped = this.skipped.get(this.proxies.get(node) ?? node) ?? this.skipped.get(node);
      const isArray = Array.isArray(node);
      for (const [key, value] of Object.entries(node)) {
        if (MEANINGLESS_KEYS.has(key) || skipped?.has(key)) continue;
        if (reads.has(key)) {
          stack.push({ node: value, owner: isArray ? owner : (node as Node) });
        } else if (!isDefault(value)) {
          throw new NotSupportedError(describe(isArray ? owner : (node as Node), isArray ? null : key, value));
        }
      }
    }
  }
}

/** Whether a value says nothing: null, undefined, false, '', [] or an object of only such values. */
function isDefault(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    return Object.entries(value as Node).every(([k, v]) => MEANINGLESS_KEYS.has(k) || isDefault(v));
  }
  return false;
}

/** Names what was dropped: `EXCLUDE in column references`, `FILTER in aggregate calls`, ... */
function describe(owner: Node | null, key: string | null, value: unknown): string {
  const type = typeof owner?.type === 'string' ? owner.type : null;
  const what =
    type === 'aggr_func' ? 'aggregate calls'
    : type === 'function' ? 'function calls'
    : type === 'column_ref' ? 'column references'
    : type === 'select' ? 'this position'
    : type !== null ? `${type.replace(/_/g, ' ')} expressions`
    : owner !== null && 'dataType' in owner ? 'cast types'
    : 'this expression';
  const name = key ?? (value !== null && typeof value === 'object' && typeof (value as Node).type === 'string' ? String((value as Node).type) : 'part');
  return `${constructName(name, value).toUpperCase()} in ${what}`;
}

/** The construct a key stands for; a `suffix` names its own keyword when the vendor kept it. */
function constructName(key: string, value: unknown): string {
  const v = value as { name?: { name?: { value?: unknown }[] } } | null;
  const word = key === 'suffix' ? v?.name?.name?.[0]?.value : undefined;
  return typeof word === 'string' ? word : key.replace(/_/g, ' ');
}
