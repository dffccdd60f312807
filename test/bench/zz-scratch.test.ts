import { it } from 'vitest';
import { tpchBatches } from '../../bench/tpch/tpch-generator.js';
import { TPCH_COLUMNS, TPCH_TABLES } from '../../bench/tpch/tpch-schema.js';
import { encodeCsv } from '../../bench/tpch/tpch-csv.js';
it('prints', () => {
  for (const t of TPCH_TABLES) {
    const b = tpchBatches(t, 1, 7).next().value!;
    const lines = encodeCsv(TPCH_COLUMNS[t], b, 0, Math.min(3, b.length)).trimEnd().split('\n').map((l) => { const f = l.split('|'); return [...f.slice(0, -1), f[f.length - 1].length].join('|'); });
    console.log(t + '\n' + lines.join('\n'));
  }
  const mem = {
    region0: "lar deposits. blithely final packages cajole. regular waters are final requests. regular accounts are according to ",
    nation0: " haggle. carefully final deposits detect slyly agai",
    nation1: "al foxes promise slyly according to the regular accounts. bold requests alon",
    supp1: "each slyly above the careful",
    supp2: " slyly bold instructions. idle dependen",
    cust1: "to the even, regular platelets. regular, ironic epitaphs nag e",
    cust2: "l accounts. blithely ironic theodolites integrate boldly: caref",
    cust3: "deposits eat slyly ironic, even instructions. express foxes detect slyly. blithely even accounts abov",
    part1: "ly. slyly ironi",
    ps1: ", even theodolites. regular, final theodolites eat after the carefully pending foxes. furiously regular deposits sleep slyly. carefully bold realms above the ironic dependencies haggle careful",
    ord1: "nstructions sleep furiously among ",
    ord2: " foxes. pending accounts at the pending, silent asymptot",
    ord3: "sly final accounts boost. carefully regular ideas cajole carefully. depos",
  };
  console.log(Object.entries(mem).map(([k, v]) => `${k}=${v.length}`).join(' '));
});
