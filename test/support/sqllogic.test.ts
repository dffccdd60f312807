import { describe, expect, it } from 'vitest';
import type { StatementBody } from './post-statement.js';
import { typeLetters } from './sqllogic.js';

const body = (rowType: { type: string; precision?: number | null; scale?: number | null }[]) =>
  ({ resultSetMetaData: { rowType } }) as unknown as StatementBody;

describe('typeLetters', () => {
  it('gives I only to NUMBERs of scale 0, R to other numbers, T to the rest', () => {
    expect(
      typeLetters(
        body([
          { type: 'fixed', precision: 38, scale: 0 },
          { type: 'fixed', precision: 10, scale: 2 },
          { type: 'real' },
          { type: 'text' },
          { type: 'date' },
          { type: 'timestamp_ntz' },
          { type: 'boolean' },
        ]),
      ),
    ).toBe('IRRTTTT');
  });
});
