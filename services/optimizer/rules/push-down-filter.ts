/**
 * push_down_filter: a Filter directly above a Scan becomes the scan's filter, so workers
 * apply it while scanning and services can prune partitions with it. Conjunctions merge.
 */
import { Types } from '../../../storage/types/data-type.js';
import { transformUp, type OptimizerRule } from '../optimizer-rule.js';

export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  apply(plan) {
    let changed = false;
    const out = transformUp(plan, (p) => {
      if (p.kind !== 'filter' || p.input.kind !== 'scan') return p;
      changed = true;
      const scan = p.input;
      const filter = scan.filter ? { kind: 'and' as const, args: [scan.filter, p.predicate], type: Types.boolean } : p.predicate;
      return { ...scan, filter };
    });
    return changed ? out : plan;
  },
};
