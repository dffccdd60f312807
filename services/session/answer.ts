/**
 * The answer of a statement that is not a streamed query: its columns and all its rows in one
 * batch (and, for USE, the session's context after it). `status` is the one-row, one-column
 * answer Snowflake gives DDL ("Table T successfully created.").
 */
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { SessionContext } from './statement-result.js';

export type Answer = { columns: Column[]; batch: Batch; context?: SessionContext };

const STATUS: Column[] = [{ name: 'status', type: Types.varchar, nullable: false }];

export function status(message: string): Answer {
  return { columns: STATUS, batch: rowsToBatch(STATUS, [[message]]) };
}
