-- The month's revisions: estimate to actual, corrected values, added and withdrawn figures.
select
    revision_type,
    submitter_code,
    zone_code,
    enterprise_tax_code,
    metric_code,
    period_basis,
    currency,
    canonical_unit,
    previous_value_kind,
    value_kind,
    previous_value,
    value,
    change,
    change_pct,
    previous_version_id,
    previous_version_no,
    previous_file_name,
    previous_row_number,
    version_id,
    version_no,
    file_name,
    row_number
from marts.fct_indicator_revisions
where period = %(period)s
order by revision_type, submitter_code, zone_code nulls first, metric_code, period_basis
