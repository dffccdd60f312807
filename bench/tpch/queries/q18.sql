-- TPC-H Q18: Large Volume Customer.
-- Standard text (TPC-H specification 3.0.1, clause 2.4), with the validation substitution
-- parameters: QUANTITY = 300.
-- Dialect edits:
--   1. The spec's row count (":n 100", applied by the query driver) is written as `limit 100`,
--      how both engines say it in SQL.
select
	c_name,
	c_custkey,
	o_orderkey,
	o_orderdate,
	o_totalprice,
	sum(l_quantity)
from
	customer,
	orders,
	lineitem
where
	o_orderkey in (
		select
			l_orderkey
		from
			lineitem
		group by
			l_orderkey having
				sum(l_quantity) > 300
	)
	and c_custkey = o_custkey
	and o_orderkey = l_orderkey
group by
	c_name,
	c_custkey,
	o_orderkey,
	o_orderdate,
	o_totalprice
order by
	o_totalprice desc,
	o_orderdate
limit 100;
