-- Every version received for the month: outcome, checksum, files, and whether it is in force.
select
    v.version_id,
    v.submitter_code,
    v.version_no,
    v.received_at,
    v.validated_at,
    v.outcome,
    v.content_sha256,
    v.files,
    v.superseded_by,
    v.superseded_by is null and v.outcome in %(ok)s as in_force,
    count(f.finding_id) filter (where f.severity in ('fatal', 'error')) as errors,
    count(f.finding_id) filter (where f.severity = 'warning') as warnings
from kcn_audit.submission_version as v
left join kcn_audit.finding as f on v.version_id = f.version_id
where v.period = %(period)s
group by v.version_id
order by v.submitter_code, v.version_no
