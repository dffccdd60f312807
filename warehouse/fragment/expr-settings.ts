/**
 * The session parameters an expression's value depends on, beyond TIMEZONE (which has its own
 * `zone` field): the binary and date/time input and output formats and the week policy.
 *
 * Why in the plan: kernels run in warehouse workers and in services' constant folding, and
 * neither knows the session. The binder stamps these on the cast and call nodes that read them
 * (services/plan/stamp-zone.ts), as it stamps the zone, so a fragment means the same on any
 * worker and a view expanded in another session reads that session's settings.
 *
 * Contract: plain data (structured-clone safe). Every field is optional and absent means
 * Snowflake's default; the stamper writes only the fields that differ from it, so a default
 * session's plans are unchanged. Formats are Snowflake format strings (datetime-format.ts),
 * never 'AUTO' (AUTO is the default, i.e. absent).
 *   binaryInput       BINARY_INPUT_FORMAT: VARCHAR -> BINARY casts and TO_BINARY(x)   (HEX)
 *   binaryOutput      BINARY_OUTPUT_FORMAT: BINARY -> VARCHAR casts and TO_VARCHAR(b)  (HEX)
 *   dateOutput, timeOutput, timestampNtzOutput, timestampLtzOutput, timestampTzOutput:
 *                     the text of DATE / TIME / TIMESTAMP_* -> VARCHAR casts; the NTZ/LTZ/TZ
 *                     ones already resolved against TIMESTAMP_OUTPUT_FORMAT by the stamper
 *   dateInput, timestampInput, timeInput: VARCHAR -> DATE / TIMESTAMP_* / TIME casts
 *   weekStart         WEEK_START 1 (Monday) .. 7 (Sunday); 0, the default, is ISO Monday
 *   weekOfYearPolicy  WEEK_OF_YEAR_POLICY 1: the week holding January 1st is week 1 (0: ISO)
 */
import type { BinaryFormat } from '../../storage/types/binary-text.js';

export type ExprSettings = {
  binaryInput?: BinaryFormat;
  binaryOutput?: 'HEX' | 'BASE64';
  dateOutput?: string;
  timeOutput?: string;
  timestampNtzOutput?: string;
  timestampLtzOutput?: string;
  timestampTzOutput?: string;
  dateInput?: string;
  timestampInput?: string;
  timeInput?: string;
  weekStart?: number;
  weekOfYearPolicy?: number;
};
