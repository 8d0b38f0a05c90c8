-- The month's headline figures of each province (as it was in the month).
select
    province_code,
    province_name_vi,
    province_name_en,
    metric_code,
    metric_name_vi,
    metric_name_en,
    currency,
    canonical_unit,
    zone_count,
    value_month,
    value_ytd,
    value_eom
from reporting.rpt_province_monthly
where
    period = %(period)s
    and province_basis = 'as_was'
    and metric_code = any(%(metrics)s)
order by province_code, array_position(%(metrics)s, metric_code), currency
