-- The whole country's completeness and timeliness over the months up to the report's.
select
    period,
    expected,
    actual,
    on_time,
    rejected_only,
    missing,
    reporting_rate,
    on_time_rate
from reporting.rpt_completeness_national_monthly
where period between %(first)s and %(period)s
order by period
