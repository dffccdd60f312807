import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, duckdbResultSet, exactDecimal, firnResultSet, type ResultSet } from '../../bench/compare-results.js';
import { DUCKDB_EXACT_MACROS, snowflakeAvg2 } from '../../bench/engines/duckdb-exact-macros.js';

const fixed = (scale: number) => ({ type: 'fixed', scale });

describe('firnResultSet', () => {
  it('spells dates, timestamps (to the nanosecond), numbers and floats canonically', () => {
    const r = firnResultSet(
      [{ type: 'date' }, fixed(2), { type: 'text' }, { type: 'timestamp_ntz' }, { type: 'real' }, { type: 'real' }, { type: 'boolean' }],
      [[String(Date.UTC(1995, 2, 1) / 86_400_000), '12.50', 'R', '794016000.123456789', '25.5', 'NaN', 'true']],
    );
    expect(r.types).toEqual([{ kind: 'date' }, { kind: 'number', scale: 2 }, { kind: 'text' }, { kind: 'timestamp' }, { kind: 'float' }, { kind: 'float' }, { kind: 'boolean' }]);
    expect(r.rows).toEqual([['1995-03-01', '12.50', 'R', '1995-03-01 00:00:00.123456789', '25.5', 'NaN', 'true']]);
  });

  it('spells timestamps before 1970 too', () => {
    expect(firnResultSet([{ type: 'timestamp_ntz' }], [['-1.500000000']]).rows).toEqual([['1969-12-31 23:59:58.500000000']]);
  });

  it('reads the rowType of TIMESTAMP_NTZ(p) (scale p, 9 fraction digits in the text) as one timestamp type, exact to the nanosecond', () => {
    const r = firnResultSet(
      [
        { type: 'timestamp_ntz', scale: 0 },
        { type: 'timestamp_ntz', scale: 3 },
        { type: 'timestamp_ntz', scale: 9 },
      ],
      [['-62135596800.000000000', '1717245296.789000000', '253402300799.999999999']],
    );
    expect(r.types).toEqual([{ kind: 'timestamp' }, { kind: 'timestamp' }, { kind: 'timestamp' }]);
    expect(r.rows).toEqual([['0001-01-01 00:00:00.000000000', '2024-06-01 12:34:56.789000000', '9999-12-31 23:59:59.999999999']]);
  });
});

describe('exactDecimal', () => {
  it('adds or removes only zeros', () => {
    expect(exactDecimal('25.5', 2)).toBe('25.50');
    expect(exactDecimal('25.500', 2)).toBe('25.50');
    expect(exactDecimal('-0.00', 2)).toBe('0.00');
    expect(exactDecimal('7', 0)).toBe('7');
  });

  it('leaves a value with digits past the scale as it is, so it cannot match', () => {
    expect(exactDecimal('0.3333333333', 0)).toBe('0.3333333333');
    expect(exactDecimal('25.522005853257337', 8)).toBe('25.522005853257337');
  });
});

describe('compareResults', () => {
  const num = (scale: number, ...values: (string | null)[]): ResultSet => ({ types: [{ kind: 'number', scale }], rows: values.map((v) => [v]) });

  it('needs equal values at equal scales', () => {
    expect(compareResults(num(2, '56586554400.73'), num(2, '56586554400.73'), { ordered: true }).same).toBe(true);
    expect(compareResults(num(2, '56586554400.73'), num(2, '56586554400.74'), { ordered: true }).detail).toBe('row 1 column 1: firn "56586554400.73", duckdb "56586554400.74"');
    expect(compareResults(num(0, '60175'), num(0, '60174'), { ordered: true }).same).toBe(false);
  });

  it('never rounds a finer answer to a coarser one: types and scales are compared first', () => {
    // The old comparison took Firn's 0 for DuckDB's 0.3333333333.
    const firn = num(0, '0');
    const duckdb: ResultSet = { types: [{ kind: 'float' }], rows: [['0.3333333333']] };
    expect(compareResults(firn, duckdb, { ordered: true }).detail).toBe('column 1: firn answered NUMBER(scale 0), duckdb FLOAT');
    expect(compareResults(num(8, '25.52200585'), num(9, '25.522005853'), { ordered: true }).detail).toBe('column 1: firn answered NUMBER(scale 8), duckdb NUMBER(scale 9)');
  });

  it('compares floats exactly', () => {
    const float = (v: string): ResultSet => ({ types: [{ kind: 'float' }], rows: [[v]] });
    expect(compareResults(float('0.30000000000000004'), float('0.30000000000000004'), { ordered: true }).same).toBe(true);
    expect(compareResults(float('0.30000000000000004'), float('0.3'), { ordered: true }).same).toBe(false);
  });

  it('compares text exactly and NULL only with NULL, sorting unordered answers', () => {
    const text = (...values: (string | null)[]): ResultSet => ({ types: [{ kind: 'text' }], rows: values.map((v) => [v]) });
    expect(compareResults(text('A', null), text(null, 'A'), { ordered: false }).same).toBe(true);
    expect(compareResults(text('A', null), text(null, 'A'), { ordered: true }).same).toBe(false);
    expect(compareResults(text('A'), text('a'), { ordered: true }).same).toBe(false);
    expect(compareResults(num(0, null), num(0, '0'), { ordered: true }).same).toBe(false);
  });

  it('reports row-count and column-count differences', () => {
    expect(compareResults(num(0, '1', '2'), num(0, '1'), { ordered: true }).detail).toBe('firn returned 2 rows, duckdb 1');
    const two: ResultSet = { types: [{ kind: 'number', scale: 0 }, { kind: 'text' }], rows: [['1', 'x']] };
    expect(compareResults(num(0, '1'), two, { ordered: true }).detail).toBe('firn answered 1 columns, duckdb 2');
  });
});

describe('duckdbResultSet and the exact-NUMBER macros', () => {
  let duck: DuckDBConnection;
  beforeAll(async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    for (const macro of DUCKDB_EXACT_MACROS) await duck.run(macro);
  });
  afterAll(() => duck?.closeSync());

  it('reads DuckDB types and values into the canonical form', async () => {
    const r = duckdbResultSet(
      await duck.runAndReadAll("SELECT 12.5::DECIMAL(10,2), 7::BIGINT, 2.5::DOUBLE, 'x', DATE '1995-03-01', TIMESTAMP '1995-03-01 00:00:00.123456', true, NULL::INTEGER"),
    );
    expect(r.types).toEqual([
      { kind: 'number', scale: 2 },
      { kind: 'number', scale: 0 },
      { kind: 'float' },
      { kind: 'text' },
      { kind: 'date' },
      { kind: 'timestamp' },
      { kind: 'boolean' },
      { kind: 'number', scale: 0 },
    ]);
    expect(r.rows).toEqual([['12.50', '7', '2.5', 'x', '1995-03-01', '1995-03-01 00:00:00.123456000', 'true', null]]);
  });

  it('divides exactly, rounding half away from zero like Snowflake', async () => {
    const r = duckdbResultSet(
      await duck.runAndReadAll('SELECT sf_div8(n, d) FROM (VALUES (1, 3), (2, 3), (-2, 3), (5, 1000000000), (-5, 1000000000), (2, -3), (1, 0)) t(n, d)'),
    );
    expect(r.types).toEqual([{ kind: 'number', scale: 8 }]);
    expect(r.rows).toEqual([['0.33333333'], ['0.66666667'], ['-0.66666667'], ['0.00000001'], ['-0.00000001'], ['-0.66666667'], [null]]);
  });

  it("computes Snowflake's AVG of a NUMBER(p,2) column", async () => {
    const r = duckdbResultSet(await duck.runAndReadAll(`SELECT ${snowflakeAvg2('x')} FROM (VALUES (1.00::DECIMAL(10,2)), (2.00), (2.01)) t(x)`));
    expect(r).toEqual({ types: [{ kind: 'number', scale: 8 }], rows: [['1.67000000']] });
  });
});
