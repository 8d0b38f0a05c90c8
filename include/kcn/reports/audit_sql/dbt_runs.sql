-- The latest dbt runs with tests, newest first, with their counts by status.
select
    run_id,
    min(invoked_at) as invoked_at,
    count(*) as tests,
    count(*) filter (where status = 'pass') as passed,
    count(*) filter (where status = 'warn') as warned,
    count(*) filter (where status in ('fail', 'error')) as failed,
    count(*) filter (where status = 'skipped') as skipped
from kcn_audit.dbt_test_result
group by run_id
order by min(invoked_at) desc
limit %(runs)s
