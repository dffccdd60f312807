/**
 * Batches as CSV text for COPY INTO @stage: each value as Snowflake prints it when cast to
 * VARCHAR (cast-vector.ts: numbers as decimals, DATE 'YYYY-MM-DD', TIMESTAMP_NTZ 'YYYY-MM-DD
 * HH24:MI:SS.FF', BOOLEAN true/false, BINARY as hex), fields joined by the delimiter, records by '\n'.
 *
 * Contract:
 * - NULL is written as `nullText` (the first NULL_IF value: '\N' by default) and an empty
 *   string as an empty field (or `""` when an enclosure is set), so a COPY INTO with the same
 *   file format reads back the same values.
 * - With FIELD_OPTIONALLY_ENCLOSED_BY, every VARCHAR value is enclosed and the enclosure
 *   character doubled inside it. Without one, a value holding the delimiter, a line break or
 *   text equal to `nullText` would not read back as itself: that is a DataError naming the
 *   column and quoting at most 100 characters of the value (clipValue), which says to set
 *   FIELD_OPTIONALLY_ENCLOSED_BY.
 * - headerLine(names) is the names as one record (enclosed like VARCHAR values).
 */
import { DataError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, StrVector, Vector } from '../../storage/types/vector.js';
import { castVector } from '../execute/cast/cast-vector.js';
import type { UnloadFormat } from '../fragment/stage-plan.js';

type CsvFormat = Extract<UnloadFormat, { type: 'CSV' }>;

export class CsvEncoder {
  constructor(
    private readonly columns: readonly Column[],
    private readonly format: CsvFormat,
  ) {}

  headerLine(): string {
    return `${this.columns.map((c) => this.field(c.name, true, c.name)).join(this.format.fieldDelimiter)}\n`;
  }

  /** The batch's rows as CSV records, each ending in '\n'. */
  encode(batch: Batch): string {
    const texts = batch.columns.map((v, i) => asText(v, this.columns[i]));
    const parts: string[] = [];
    const d = this.format.fieldDelimiter;
    for (let r = 0; r < batch.length; r++) {
      let line = '';
      for (let c = 0; c < texts.length; c++) {
        const t = texts[c];
        if (c > 0) line += d;
        line += t.nulls !== null && t.nulls[r] === 1 ? this.format.nullText : this.field(t.dict[t.codes[r]], this.columns[c].type.kind === 'VARCHAR', this.columns[c].name);
      }
      parts.push(line);
    }
    return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
  }

  private field(value: string, isString: boolean, column: string): string {
    const q = this.format.fieldOptionallyEnclosedBy;
    if (q !== null && isString) return `${q}${value.split(q).join(q + q)}${q}`;
    const d = this.format.fieldDelimiter;
    if (value.includes(d) || value.includes('\n') || value.includes('\r') || (value !== '' && value === this.format.nullText) || (q !== null && value.startsWith(q))) {
      throw new DataError(
        'INVALID_PROPERTY',
        `Cannot unload the value '${clipValue(value)}' of column ${clipValue(column)} as CSV without FIELD_OPTIONALLY_ENCLOSED_BY: it holds the field delimiter, a line break or the NULL text; unload with FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"').`,
      );
    }
    return value;
  }
}

/** A column's values as text (a dictionary vector). */
function asText(v: Vector, column: Column): StrVector {
  if (v.kind === 'str' && column.type.kind !== 'BINARY') return v;
  return castVector(v, column.type, Types.varchar, false) as StrVector;
}
