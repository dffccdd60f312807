import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { batchOf, call, col, evalRead, vec } from '../expr-test-kit.js';

const S = Types.varchar;

describe('conversion functions', () => {
  const text = vec(S, ['2024-02-29', 'not a date', null]);

  it('TO_DATE / DATE raise on bad text, TRY_TO_DATE yields NULL', () => {
    expect(() => evalRead(call('to_date', col(0, S)), batchOf(text))).toThrow("Date 'not a date' is not recognized");
    expect(evalRead(call('try_to_date', col(0, S)), batchOf(text))).toEqual(['2024-02-29', null, null]);
    expect(evalRead(call('date', col(0, Types.timestampNtz)), batchOf(vec(Types.timestampNtz, ['2024-02-29 23:00:00', null])))).toEqual(['2024-02-29', null]);
  });

  it('TO_TIMESTAMP from text and epoch seconds', () => {
    expect(evalRead(call('to_timestamp', col(0, S)), batchOf(vec(S, ['2024-02-29 01:02:03', null])))).toEqual(['2024-02-29 01:02:03.000', null]);
    expect(evalRead(call('to_timestamp_ntz', col(0, Types.number(10, 0))), batchOf(vec(Types.number(10, 0), ['86400'])))).toEqual(['1970-01-02 00:00:00.000']);
    expect(evalRead(call('try_to_timestamp', col(0, S)), batchOf(vec(S, ['x'])))).toEqual([null]);
  });

  it('TO_VARCHAR / TO_NUMBER / TO_DOUBLE / TO_BOOLEAN', () => {
    expect(evalRead(call('to_varchar', col(0, Types.number(5, 2))), batchOf(vec(Types.number(5, 2), ['1.50', null])))).toEqual(['1.50', null]);
    expect(evalRead(call('to_char', col(0, Types.date)), batchOf(vec(Types.date, ['2024-01-02'])))).toEqual(['2024-01-02']);
    expect(evalRead(call('to_number', col(0, S)), batchOf(vec(S, ['12.5', ' 3 ', null])))).toEqual(['13', '3', null]);
    expect(() => evalRead(call('to_decimal', col(0, S)), batchOf(vec(S, ['x'])))).toThrow("Numeric value 'x' is not recognized");
    expect(evalRead(call('try_to_number', col(0, S)), batchOf(vec(S, ['x', '4'])))).toEqual([null, '4']);
    expect(evalRead(call('to_double', col(0, S)), batchOf(vec(S, ['1e2', null])))).toEqual([100, null]);
    expect(evalRead(call('to_boolean', col(0, S)), batchOf(vec(S, ['yes', 'OFF', null])))).toEqual([true, false, null]);
    expect(evalRead(call('try_to_boolean', col(0, S)), batchOf(vec(S, ['perhaps'])))).toEqual([null]);
    expect(evalRead(call('exp', col(0, Types.float)), batchOf(vec(Types.float, [0, null])))).toEqual([1, null]);
  });
});
