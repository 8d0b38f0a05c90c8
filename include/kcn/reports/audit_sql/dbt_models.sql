-- The tests of one dbt run per model and status.
select
    coalesce(model, '') as model,
    count(*) as tests,
    count(*) filter (where status = 'pass') as passed
from kcn_audit.dbt_test_result
where run_id = %(run_id)s
group by 1
order by 1
