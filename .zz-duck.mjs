import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
const c = await inst.connect();
const dir = process.argv[2];
for (const t of ['region','nation','supplier','customer','part','partsupp','orders','lineitem'])
  await c.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${dir}/${t}-*.parquet')`);
const q = async (s) => console.log(s.slice(0,80), JSON.stringify((await c.runAndReadAll(s)).getRowsJson()));
await q(`select count(*) from lineitem l left join partsupp ps on l_partkey=ps_partkey and l_suppkey=ps_suppkey where ps_partkey is null`);
await q(`select count(*) from orders o left join customer c on o_custkey=c_custkey where c_custkey is null`);
await q(`select count(*) from lineitem l left join orders o on l_orderkey=o_orderkey where o_orderkey is null`);
await q(`select count(*) from (select o_orderkey from orders o join lineitem l on l_orderkey=o_orderkey group by o_orderkey, o_totalprice having o_totalprice <> sum(trunc(trunc(l_extendedprice*(1-l_discount),2)*(1+l_tax),2)))`);
await q(`select count(*), count(distinct s_nationkey) from supplier s join nation n on s_nationkey=n_nationkey join region r on n_regionkey=r_regionkey`);
await q(`select count(*) from supplier where s_comment like '%Customer%Complaints%'`);
await q(`select count(*) from orders where o_comment like '%special%requests%'`);
await q(`select typeof(l_quantity), typeof(l_orderkey), typeof(l_shipdate), typeof(o_shippriority) from lineitem, orders limit 1`);
