import { readFileSync, readdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
const dir = process.argv[2], qdir = process.argv[3];
const duck = await (await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
for (const t of ['region','nation','supplier','customer','part','partsupp','orders','lineitem'])
  await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}-*.parquet')`);
for (const f of readdirSync(qdir).filter((f) => f.endsWith('.sql')).sort()) {
  const sql = readFileSync(`${qdir}/${f}`, 'utf8');
  try { const r = await duck.runAndReadAll(sql); console.log(f, 'ok', r.getRows().length, 'rows', r.columnTypes().map(String).join(',')); } catch (e) { console.log(f, 'ERR', e.message.split('\n')[0].slice(0, 200)); }
}
