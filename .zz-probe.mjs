import { readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { startFirnProcess } from './dist/services/server/firn-process.js';
import { postStatement } from './dist/services/server/firn-client.js';
import { createTableSql, TPCH_TABLES } from './dist/bench/tpch/tpch-schema.js';
const dir = process.argv[2], qdir = process.argv[3];
const only = process.argv[4] ? process.argv[4].split(',') : null;
rmSync('/tmp/scratch/home', { recursive: true, force: true }); mkdirSync('/tmp/scratch/home', { recursive: true });
const server = await startFirnProcess({ home: '/tmp/scratch/home', env: { FIRN_PARTITION_ROWS: '20000' } });
const duck = await (await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
try {
  for (const t of TPCH_TABLES) {
    await postStatement(server.url, createTableSql(t));
    const r = await postStatement(server.url, `COPY INTO ${t} FROM 'file://${dir}/${t}-*.parquet' FILE_FORMAT = (TYPE = PARQUET)`);
    await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}-*.parquet')`);
  }
  for (const f of readdirSync(qdir).filter((f) => f.endsWith('.sql')).sort()) {
    if (only && !only.includes(f)) continue;
    const sql = readFileSync(`${qdir}/${f}`, 'utf8');
    let fr, dr;
    try { const b = await postStatement(server.url, sql); fr = `ok ${b.data.length} rows ${JSON.stringify(b.data.slice(0,2))}`; } catch (e) { fr = `ERR ${e.message.split('\n')[0].slice(0, 300)}`; }
    try { const r = await duck.runAndReadAll(sql); dr = `ok ${r.getRows().length} rows`; } catch (e) { dr = `ERR ${e.message.split('\n')[0].slice(0, 200)}`; }
    console.log(`${f}\n  firn:   ${fr}\n  duckdb: ${dr}`);
  }
} finally { await server.stop(); }
