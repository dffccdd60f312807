/**
 * The context a session starts in when neither the request nor the user's defaults name one:
 * database FIRN, its PUBLIC schema and warehouse COMPUTE_WH, which Firn creates on first start.
 * SHOW WAREHOUSES marks that warehouse is_default for a user without a DEFAULT_WAREHOUSE.
 */
import type { SessionContext } from './statement-result.js';

export const DEFAULT_CONTEXT: SessionContext = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };
