import { it } from 'vitest';
import { ensureTpchFiles } from '../../bench/tpch/tpch-files.js';
it('times', async () => {
  for (const sf of [0.01, 0.1]) {
    const t0 = Date.now();
    const set = await ensureTpchFiles({ sf, root: '/tmp/scratch/tpch' });
    console.log(sf, Date.now() - t0, 'ms', Object.entries(set.tables).map(([t, f]) => `${t}:${f.rows}`).join(' '));
  }
}, 600_000);
