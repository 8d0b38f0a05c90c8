-- The tests of one dbt run that did not pass, with their sample of failing rows, then how
-- many passed per model.
select
    test_name,
    test_type,
    model,
    column_name,
    status,
    failures,
    message,
    failures_relation,
    failure_sample
from kcn_audit.dbt_test_result
where run_id = %(run_id)s and status <> 'pass'
order by status, model, test_name
