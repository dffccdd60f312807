import { DuckDBInstance } from '@duckdb/node-api';
import { tpchQueries } from './dist/bench/tpch/tpch-queries.js';
const dir = '/tmp/scratch/tpch/sf0.01';
const duck = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
for (const t of ['region','nation','supplier','customer','part','partsupp','orders','lineitem'])
  await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}-*.parquet')`);
const qs = tpchQueries();
const q8 = qs[7].sql.replace("'ECONOMY ANODIZED STEEL'", "'STANDARD PLATED TIN'");
const q17 = qs[16].sql.replace("'Brand#23'", "'Brand#45'").replace("'MED BOX'", "'MED JAR'");
for (const s of [q8, q17]) console.log(JSON.stringify((await duck.runAndReadAll(s)).getRowsJson()));
