-- The months whose versions were judged since the dbt run before the latest one: the months
-- the latest transform rebuilt.
with

runs as (

    select run_id, min(invoked_at) as invoked_at
    from kcn_audit.dbt_test_result
    group by run_id
    order by invoked_at desc
    limit 2

)

select distinct period
from kcn_audit.submission_version
where
    outcome is not null
    and validated_at >= (select min(invoked_at) from runs having count(*) = 2)
order by period
