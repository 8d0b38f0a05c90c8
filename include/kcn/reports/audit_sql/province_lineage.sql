-- The rows behind each headline province figure: the zone rows rpt_province_monthly adds
-- up, each with its version, file and row numbers.
select
    province_code,
    metric_code,
    coalesce(currency, '') as currency,
    zone_code,
    submitter_code,
    version_id,
    version_no,
    file_name,
    row_number_month,
    row_number_ytd,
    row_number_eom,
    value_month,
    value_ytd,
    value_eom
from reporting.rpt_indicators_monthly
where
    period = %(period)s
    and zone_code is not null
    and enterprise_tax_code is null
    and submitter_code like 'BQL-%%'
    and metric_code = any(%(metrics)s)
order by province_code, metric_code, currency, zone_code
