-- A month's completeness per submitter, from marts.fct_reporting_completeness (dbt): the
-- numbers BI tools and the monthly report show.
select
    submitter_code,
    expected,
    actual,
    on_time,
    rejected_only,
    missing,
    days_late
from marts.fct_reporting_completeness
where period = %(period)s
order by submitter_code
