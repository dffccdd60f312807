import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { dictVec, read } from '../expr-test-kit.js';
import { castStringsToVector } from './cast-strings.js';

describe('castStringsToVector (loaders)', () => {
  it('builds typed columns from text, NULLs kept', () => {
    const n = castStringsToVector(['1.5', null, '-2', ' 3 '], Types.number(10, 2), 'throw');
    expect(n.vector.kind).toBe('f64');
    expect(read(n.vector, Types.number(10, 2))).toEqual(['1.50', null, '-2.00', '3.00']);
    expect(n.errors).toEqual([]);
    expect(read(castStringsToVector(['2024-02-29', '03/01/2024'], Types.date, 'throw').vector, Types.date)).toEqual(['2024-02-29', '2024-03-01']);
    expect(read(castStringsToVector(['2024-02-29 10:00:00.25'], Types.timestampNtz, 'throw').vector, Types.timestampNtz)).toEqual(['2024-02-29 10:00:00.250']);
    expect(read(castStringsToVector(['t', 'no', null], Types.boolean, 'throw').vector, Types.boolean)).toEqual([true, false, null]);
    expect(read(castStringsToVector(['1e-3', 'inf'], Types.float, 'throw').vector, Types.float)).toEqual([0.001, Infinity]);
    expect(read(castStringsToVector(['a', null], Types.varchar, 'throw').vector, Types.varchar)).toEqual(['a', null]);
  });

  it('goes wide (dec) for NUMBERs beyond 2^53', () => {
    const r = castStringsToVector(['12345678901234567890', '1'], Types.number(38, 0), 'throw');
    expect(r.vector.kind).toBe('dec');
    expect(read(r.vector, Types.number(38, 0))).toEqual(['12345678901234567890', '1']);
  });

  it("throws the first error with Snowflake's message, or reports rows and NULLs them", () => {
    expect(() => castStringsToVector(['1', 'abc'], Types.number(5, 0), 'throw')).toThrow("Numeric value 'abc' is not recognized");
    const r = castStringsToVector(['1', 'abc', '2024', '99999'], Types.number(4, 0), 'null');
    expect(read(r.vector, Types.number(4, 0))).toEqual(['1', null, '2024', null]);
    expect(r.errors).toEqual([
      { row: 1, message: "Numeric value 'abc' is not recognized" },
      { row: 3, message: "Numeric value '99999' is out of range" },
    ]);
    const d = castStringsToVector(['2024-01-01', '2024-02-30', 'x'], Types.date, 'null');
    expect(d.errors.map((e) => e.row)).toEqual([1, 2]);
    expect(d.errors[0].message).toBe("Date '2024-02-30' is not recognized");
  });

  it('rejects over-long strings for VARCHAR(n) with STRING_TOO_LONG', () => {
    expect(() => castStringsToVector(['ok', 'too long'], { kind: 'VARCHAR', length: 3 }, 'throw')).toThrow(
      expect.objectContaining({ codeName: 'STRING_TOO_LONG', message: "String 'too long' is too long and would be truncated" }),
    );
    const r = castStringsToVector(['ok', 'too long'], { kind: 'VARCHAR', length: 3 }, 'null');
    expect(read(r.vector, Types.varchar)).toEqual(['ok', null]);
    expect(r.errors).toEqual([{ row: 1, message: "String 'too long' is too long and would be truncated" }]);
  });

  it("takes a 'str' vector, parsing each entry once and ignoring unused bad entries", () => {
    const v = dictVec(['10', '20', '10', null], ['garbage']);
    const r = castStringsToVector(v, Types.number(3, 0), 'throw');
    expect(read(r.vector, Types.number(3, 0))).toEqual(['10', '20', '10', null]);
  });
});
