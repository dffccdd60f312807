import { DuckDBInstance } from '@duckdb/node-api';
import { tpchQueries } from './dist/bench/tpch/tpch-queries.js';
const dir = process.argv[2];
const duck = await (await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
for (const t of ['region','nation','supplier','customer','part','partsupp','orders','lineitem'])
  await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}-*.parquet')`);
for (const q of tpchQueries()) {
  const r = await duck.runAndReadAll(q.sql);
  const rows = r.getRowsJson();
  console.log(q.name, rows.length, JSON.stringify(rows.slice(0, 3)).slice(0, 250));
}
