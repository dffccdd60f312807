/**
 * Warehouse T-shirt sizes: nodes per cluster (worker threads, before services caps them by
 * FIRN_MAX_WORKERS_PER_CLUSTER) and credits per hour, as in Snowflake (each size doubles the
 * one before). Accepted spellings include 'X-SMALL', 'XSMALL', '2X-LARGE' and '6XLARGE'.
 */
export const WAREHOUSE_SIZES = {
  XSMALL: 1,
  SMALL: 2,
  MEDIUM: 4,
  LARGE: 8,
  XLARGE: 16,
  XXLARGE: 32,
  XXXLARGE: 64,
  X4LARGE: 128,
  X5LARGE: 256,
  X6LARGE: 512,
} as const;
export type WarehouseSize = keyof typeof WAREHOUSE_SIZES;

/** Canonical size name for a user's spelling, or null. */
export function normalizeWarehouseSize(s: string): WarehouseSize | null {
  const k = s.toUpperCase().replace(/[-_\s]/g, '').replace(/^2XLARGE$/, 'XXLARGE').replace(/^3XLARGE$/, 'XXXLARGE').replace(/^([4-6])XLARGE$/, 'X$1LARGE');
  return k in WAREHOUSE_SIZES ? (k as WarehouseSize) : null;
}
