-- TPC-H Q15: Top Supplier.
-- Standard text (TPC-H specification 3.0.1, clause 2.4), with the validation substitution
-- parameters: DATE = 1996-01-01.
-- Dialect edits:
--   1. The view revenue0 (CREATE VIEW ...; the query; DROP VIEW) is written as a WITH clause with
--      the same name, column list and body: Firn has no views (0A000 'CREATE VIEW is not
--      supported'), and one statement per file keeps the runner to one request per query.
with revenue0 (supplier_no, total_revenue) as (
	select
		l_suppkey,
		sum(l_extendedprice * (1 - l_discount))
	from
		lineitem
	where
		l_shipdate >= date '1996-01-01'
		and l_shipdate < date '1996-01-01' + interval '3' month
	group by
		l_suppkey
)
select
	s_suppkey,
	s_name,
	s_address,
	s_phone,
	total_revenue
from
	supplier,
	revenue0
where
	s_suppkey = supplier_no
	and total_revenue = (
		select
			max(total_revenue)
		from
			revenue0
	)
order by
	s_suppkey;
