-- The month's findings by rule and submitter, with the first rows each points at.
with

findings as (

    select
        f.*,
        v.submitter_code,
        v.version_no,
        row_number() over (
            partition by f.rule_id, v.submitter_code order by v.version_no, f.finding_id
        ) as n
    from kcn_audit.finding as f
    inner join kcn_audit.submission_version as v on f.version_id = v.version_id
    where v.period = %(period)s

)

select
    rule_id,
    min(severity) as severity,
    submitter_code,
    count(*) as findings,
    count(distinct version_id) as versions,
    jsonb_agg(
        jsonb_build_object(
            'version_id', version_id,
            'version_no', version_no,
            'file_name', file_name,
            'row_number', row_number,
            'column_name', column_name,
            'value', value,
            'message_vi', message_vi,
            'message_en', message_en
        )
        order by n
    ) filter (where n <= %(limit)s) as rows
from findings
group by rule_id, submitter_code
order by rule_id, submitter_code
