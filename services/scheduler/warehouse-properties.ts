/**
 * A warehouse's properties as Snowflake names them (CREATE | ALTER WAREHOUSE ... SET | UNSET):
 * their defaults, and the validation of a value given in SQL. The parser only names a property
 * and hands over its literal (services/sql/front/warehouse-ddl.ts); this module decides whether
 * the value is valid, so CREATE and ALTER share one set of rules and errors.
 *
 * Contract: `applyWarehouseSettings(base, settings)` answers `base` with each setting applied in
 * order, or throws CompilationError TYPE_MISMATCH (001044 / 22023) "invalid value 'v' for
 * property 'P'", or INVALID_PROPERTY (001423) for a property ALTER cannot set. MIN_CLUSTER_COUNT
 * greater than MAX_CLUSTER_COUNT (after every setting) is TYPE_MISMATCH too. AUTO_SUSPEND 0 or
 * NULL is stored as null (never). `unsetWarehouseProperties` puts the defaults back.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { normalizeWarehouseSize, type WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { WarehouseSetting, WarehouseValue } from '../sql/ast.js';

export const SCALING_POLICIES = ['STANDARD', 'ECONOMY'] as const;
export type ScalingPolicy = (typeof SCALING_POLICIES)[number];

export type WarehouseProperties = {
  size: WarehouseSize;
  /** Idle seconds before the warehouse suspends itself; null: never. */
  autoSuspend: number | null;
  autoResume: boolean;
  minClusterCount: number;
  maxClusterCount: number;
  scalingPolicy: ScalingPolicy;
  /** Statements one cluster runs at once; the rest queue. */
  maxConcurrencyLevel: number;
  /** Seconds a statement may wait in the queue; 0: no limit. */
  statementQueuedTimeoutInSeconds: number;
  /** Seconds a statement may run; 0: no limit. The request's timeout applies too (the smaller wins). */
  statementTimeoutInSeconds: number;
  comment: string | null;
};

export const DEFAULT_WAREHOUSE_PROPERTIES: WarehouseProperties = {
  size: 'XSMALL',
  autoSuspend: 600,
  autoResume: true,
  minClusterCount: 1,
  maxClusterCount: 1,
  scalingPolicy: 'STANDARD',
  maxConcurrencyLevel: 8,
  statementQueuedTimeoutInSeconds: 0,
  statementTimeoutInSeconds: 172_800,
  comment: null,
};

/** Snowflake's upper bounds: 10 clusters, 7 days for the statement timeouts. */
const MAX_CLUSTERS = 10;
const MAX_TIMEOUT_SECONDS = 604_800;

/** The properties Firn implements, by their SQL names (WAIT_FOR_COMPLETION and INITIALLY_SUSPENDED are options, not stored). */
export const WAREHOUSE_PROPERTY_NAMES = [
  'WAREHOUSE_SIZE',
  'AUTO_SUSPEND',
  'AUTO_RESUME',
  'MIN_CLUSTER_COUNT',
  'MAX_CLUSTER_COUNT',
  'SCALING_POLICY',
  'MAX_CONCURRENCY_LEVEL',
  'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS',
  'STATEMENT_TIMEOUT_IN_SECONDS',
  'COMMENT',
] as const;

function invalid(name: string, v: WarehouseValue): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `invalid value '${clipValue(v.text)}' for property '${name}'`);
}

function integer(name: string, v: WarehouseValue, min: number, max: number): number {
  const n = v.kind === 'number' || v.kind === 'string' ? Number(v.text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(name, v);
  return n;
}

function bool(name: string, v: WarehouseValue): boolean {
  const t = v.text.toUpperCase();
  if (v.kind !== 'null' && (t === 'TRUE' || t === 'FALSE')) return t === 'TRUE';
  throw invalid(name, v);
}

/** `props` with one property set from its SQL literal. */
function apply(props: WarehouseProperties, name: string, v: WarehouseValue): WarehouseProperties {
  switch (name) {
    case 'WAREHOUSE_SIZE': {
      const size = v.kind === 'null' ? null : normalizeWarehouseSize(v.text);
      if (!size) throw invalid(name, v);
      return { ...props, size };
    }
    case 'AUTO_SUSPEND': {
      if (v.kind === 'null') return { ...props, autoSuspend: null };
      const s = integer(name, v, 0, Number.MAX_SAFE_INTEGER);
      return { ...props, autoSuspend: s === 0 ? null : s };
    }
    case 'AUTO_RESUME':
      return { ...props, autoResume: bool(name, v) };
    case 'MIN_CLUSTER_COUNT':
      return { ...props, minClusterCount: integer(name, v, 1, MAX_CLUSTERS) };
    case 'MAX_CLUSTER_COUNT':
      return { ...props, maxClusterCount: integer(name, v, 1, MAX_CLUSTERS) };
    case 'SCALING_POLICY': {
      const p = v.text.toUpperCase();
      if (v.kind === 'null' || !(SCALING_POLICIES as readonly string[]).includes(p)) throw invalid(name, v);
      return { ...props, scalingPolicy: p as ScalingPolicy };
    }
    case 'MAX_CONCURRENCY_LEVEL':
      return { ...props, maxConcurrencyLevel: integer(name, v, 1, 10_000) };
    case 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS':
      return { ...props, statementQueuedTimeoutInSeconds: integer(name, v, 0, MAX_TIMEOUT_SECONDS) };
    case 'STATEMENT_TIMEOUT_IN_SECONDS':
      return { ...props, statementTimeoutInSeconds: integer(name, v, 0, MAX_TIMEOUT_SECONDS) };
    case 'COMMENT':
      if (v.kind === 'null') return { ...props, comment: null };
      if (v.kind !== 'string') throw invalid(name, v);
      return { ...props, comment: v.text };
    default:
      throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${clipValue(name)}' for 'WAREHOUSE'`);
  }
}

function checkClusters(p: WarehouseProperties): WarehouseProperties {
  if (p.minClusterCount > p.maxClusterCount) {
    throw new CompilationError(
      'TYPE_MISMATCH',
      `invalid value '${p.minClusterCount}' for property 'MIN_CLUSTER_COUNT': it must not be greater than MAX_CLUSTER_COUNT (${p.maxClusterCount})`,
    );
  }
  return p;
}

export function applyWarehouseSettings(base: WarehouseProperties, settings: readonly WarehouseSetting[]): WarehouseProperties {
  return checkClusters(settings.reduce((p, s) => apply(p, s.name, s.value), base));
}

export function unsetWarehouseProperties(base: WarehouseProperties, names: readonly string[]): WarehouseProperties {
  const d = DEFAULT_WAREHOUSE_PROPERTIES;
  const fields: Record<string, keyof WarehouseProperties> = {
    WAREHOUSE_SIZE: 'size',
    AUTO_SUSPEND: 'autoSuspend',
    AUTO_RESUME: 'autoResume',
    MIN_CLUSTER_COUNT: 'minClusterCount',
    MAX_CLUSTER_COUNT: 'maxClusterCount',
    SCALING_POLICY: 'scalingPolicy',
    MAX_CONCURRENCY_LEVEL: 'maxConcurrencyLevel',
    STATEMENT_QUEUED_TIMEOUT_IN_SECONDS: 'statementQueuedTimeoutInSeconds',
    STATEMENT_TIMEOUT_IN_SECONDS: 'statementTimeoutInSeconds',
    COMMENT: 'comment',
  };
  const out = { ...base };
  for (const name of names) {
    const f = fields[name];
    if (!f) throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: invalid property '${clipValue(name)}' for 'WAREHOUSE'`);
    (out as Record<string, unknown>)[f] = d[f];
  }
  return checkClusters(out);
}

/** The stored form (catalog): every property but the size, which has its own column. */
export function propertiesToJson(p: WarehouseProperties): string {
  const { size: _size, ...rest } = p;
  return JSON.stringify(rest);
}

export function propertiesFromJson(size: string, json: string | null): WarehouseProperties {
  const stored = json ? (JSON.parse(json) as Partial<WarehouseProperties>) : {};
  return { ...DEFAULT_WAREHOUSE_PROPERTIES, ...stored, size: normalizeWarehouseSize(size) ?? 'XSMALL' };
}
