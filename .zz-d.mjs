import { DuckDBInstance } from '@duckdb/node-api';
const duck = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
for (const s of process.argv.slice(2)) { try { console.log(s, JSON.stringify((await duck.runAndReadAll(s)).getRowsJson())); } catch (e) { console.log(s, 'ERR', e.message.split('\n')[0]); } }
