import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowAggregate, WindowCall } from '../../fragment/window-call.js';
import { col, read, vec } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { resolveFrame } from './resolve-frame.js';

const INT = Types.number(10, 0);
const batch: Batch = {
  length: 7,
  columns: [
    vec(Types.varchar, ['a', 'b', 'a', 'a', 'b', null, 'a']),
    vec(INT, [3, 10, 3, 5, 20, 1, null]),
    vec(Types.boolean, [false, false, true, null, false, null, false]),
  ],
};

function over(aggregate: WindowAggregate, args: WindowCall['args'], partition = true): WindowCall {
  return { fn: 'aggregate', aggregate, args, partitionBy: partition ? [col(0, Types.varchar)] : [], orderBy: [], frame: null, type: aggregate.type };
}

describe('aggregates over the whole partition', () => {
  it('give every row its partition’s aggregate, with the GROUP BY accumulators', () => {
    const calls = [
      over({ fn: 'mode', distinct: false, type: INT }, [col(1, INT)]),
      over({ fn: 'boolor_agg', distinct: false, type: Types.boolean }, [col(2, Types.boolean)]),
      over({ fn: 'median', distinct: false, type: Types.number(13, 3) }, [col(1, INT)]),
      over({ fn: 'percentile_disc', distinct: false, type: INT, fraction: 0.5, desc: true }, [col(1, INT)]),
      over({ fn: 'count_if', distinct: false, type: INT }, [col(2, Types.boolean)], false),
    ];
    const out = evaluateWindows(batch, calls);
    expect(read(out[0], INT)).toEqual(['3', '10', '3', '3', '10', '1', '3']);
    expect(read(out[1], Types.boolean)).toEqual([true, false, true, true, false, null, true]);
    expect(read(out[2], Types.number(13, 3))).toEqual(['3.000', '15.000', '3.000', '3.000', '15.000', '1.000', '3.000']);
    // a: 3, 3, 5 in DESC order 5, 3, 3: the first whose CUME_DIST >= .5 is the 2nd, 3; b: 20, 10 -> 20.
    expect(read(out[3], INT)).toEqual(['3', '20', '3', '3', '20', '1', '3']);
    expect(read(out[4], INT)).toEqual(['1', '1', '1', '1', '1', '1', '1']);
  });

  it('takes no ORDER BY or frame: Snowflake documents OVER ([PARTITION BY ...]) for them', () => {
    const ordered = { ...over({ fn: 'mode', distinct: false, type: INT }, [col(1, INT)]), orderBy: [{ expr: col(1, INT), desc: false, nullsFirst: false }] };
    expect(() => resolveFrame(ordered)).toThrow(/MODE as a window function takes no ORDER BY/);
    const stddev = { ...ordered, aggregate: { fn: 'stddev_samp' as const, distinct: false, type: Types.float } };
    expect(() => resolveFrame(stddev)).toThrow(expect.objectContaining({ codeName: 'NOT_SUPPORTED' }));
  });
});
