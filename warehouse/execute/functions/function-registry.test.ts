import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import { getFunction, resolveFunction } from './function-registry.js';

const S = Types.varchar;
const I = Types.number(38, 0);
const N = Types.number(10, 2);
const D = Types.date;

describe('function registry', () => {
  it('resolves every documented name (any case) to a canonical kernel name', () => {
    const calls: [string, DataType[], string][] = [
      ['ADD', [N, N], 'add'],
      ['subtract', [N, N], 'subtract'],
      ['multiply', [N, N], 'multiply'],
      ['divide', [N, N], 'divide'],
      ['modulo', [N, N], 'modulo'],
      ['MOD', [N, N], 'modulo'],
      ['negate', [N], 'negate'],
      ['eq', [N, N], 'eq'],
      ['ne', [N, N], 'ne'],
      ['lt', [N, N], 'lt'],
      ['le', [N, N], 'le'],
      ['gt', [N, N], 'gt'],
      ['ge', [N, N], 'ge'],
      ['concat', [S, S, S], 'concat'],
      ['upper', [S], 'upper'],
      ['lower', [S], 'lower'],
      ['length', [S], 'length'],
      ['LEN', [S], 'length'],
      ['substr', [S, I], 'substr'],
      ['substring', [S, I, I], 'substr'],
      ['trim', [S], 'trim'],
      ['ltrim', [S], 'ltrim'],
      ['rtrim', [S, S], 'rtrim'],
      ['year', [D], 'year'],
      ['month', [D], 'month'],
      ['day', [D], 'day'],
      ['dayofmonth', [D], 'day'],
      ['quarter', [D], 'quarter'],
      ['dayofweek', [D], 'dayofweek'],
      ['date_trunc', [S, D], 'date_trunc'],
      ['dateadd', [S, I, D], 'dateadd'],
      ['datediff', [S, D, D], 'datediff'],
      ['coalesce', [N, N, N], 'coalesce'],
      ['nullif', [N, N], 'nullif'],
      ['iff', [Types.boolean, N, N], 'iff'],
      ['nvl', [N, N], 'nvl'],
      ['abs', [N], 'abs'],
      ['round', [N, I], 'round'],
      ['floor', [N], 'floor'],
      ['ceil', [N], 'ceil'],
      ['to_date', [S], 'to_date'],
      ['left', [S, I], 'left'],
      ['right', [S, I], 'right'],
      ['replace', [S, S, S], 'replace'],
      ['startswith', [S, S], 'startswith'],
      ['contains', [S, S], 'contains'],
      ['position', [S, S], 'position'],
      ['lpad', [S, I, S], 'lpad'],
      ['rpad', [S, I], 'rpad'],
      ['sqrt', [Types.float], 'sqrt'],
      ['ln', [Types.float], 'ln'],
      ['power', [N, N], 'power'],
      ['greatest', [N, N], 'greatest'],
      ['least', [N, N], 'least'],
    ];
    for (const [name, args, fn] of calls) {
      expect(resolveFunction(name, args).fn, name).toBe(fn);
      expect(getFunction(fn).name).toBe(fn);
    }
  });

  it('returns the cast each argument needs', () => {
    expect(resolveFunction('year', [S])).toEqual({ fn: 'year', argTypes: [Types.timestampNtz], returnType: I });
    expect(resolveFunction('concat', [N, D])).toEqual({ fn: 'concat', argTypes: [S, S], returnType: S });
    expect(resolveFunction('add', [S, N])).toEqual({ fn: 'add', argTypes: [Types.float, Types.float], returnType: Types.float });
    expect(resolveFunction('iff', [S, N, Types.null]).argTypes).toEqual([Types.boolean, N, N]);
    expect(resolveFunction('to_timestamp', [I]).returnType).toEqual(Types.timestampNtz);
  });

  it('raises UNKNOWN_FUNCTION and TYPE_MISMATCH as compilation errors', () => {
    expect(() => resolveFunction('frobnicate', [S])).toThrow(CompilationError);
    expect(() => resolveFunction('frobnicate', [S])).toThrow(expect.objectContaining({ codeName: 'UNKNOWN_FUNCTION', message: 'SQL compilation error: Unknown function FROBNICATE' }));
    expect(() => resolveFunction('upper', [])).toThrow(/takes 1 argument/);
    expect(() => resolveFunction('substr', [S])).toThrow(/takes 2 to 3 arguments/);
    expect(() => resolveFunction('sqrt', [D])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH', message: "SQL compilation error: invalid argument types for function 'SQRT': (DATE)" }));
    expect(() => resolveFunction('to_date', [Types.boolean])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});
