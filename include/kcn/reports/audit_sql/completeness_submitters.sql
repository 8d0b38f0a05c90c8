-- The month's expected reports, submitter by submitter, with the version in force.
select
    submitter_code,
    submitter_name_vi,
    submitter_name_en,
    province_code,
    report_status_vi,
    report_status_en,
    actual,
    on_time,
    rejected_only,
    missing,
    versions_received,
    days_late,
    in_force_version_id
from reporting.rpt_completeness_submitter_monthly
where period = %(period)s and expected = 1
order by province_code, submitter_code
