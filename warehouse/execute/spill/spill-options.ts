/**
 * The options every spilling operator (ExternalSort, SpillingAggregate, GraceHashJoin) takes:
 * how many bytes of state it may hold before it spills, the task's spill area (disk budget),
 * and the statement's cancel flag, checked once per batch.
 */
import type { CancelFlag } from '../../cancel/cancel-flag.js';
import type { SpillSpace } from './spill-space.js';

export type SpillOptions = { memoryBytes: number; spill: SpillSpace; cancel: CancelFlag | null };
