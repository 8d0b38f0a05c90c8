-- The month's completeness per province.
select
    province_code,
    province_name_vi,
    province_name_en,
    expected,
    actual,
    on_time,
    rejected_only,
    missing,
    reporting_rate,
    on_time_rate,
    max_days_late
from reporting.rpt_completeness_province_monthly
where period = %(period)s
order by province_code
