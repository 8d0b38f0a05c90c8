-- Names, kind and e-mail address (submitters.csv's contact_email, several separated by
-- ';') of the submitters a month's reminders go to, with their latest rejected version and
-- its count of errors (fatal or error). contact_email is read through to_jsonb so that a
-- reference directory without the column (the benchmark's) still works.
with

submitters as (

    select
        submitter_code,
        name_vi,
        name_en,
        submitter_type,
        to_jsonb(s) ->> 'contact_email' as contact_email
    from kcn_ref.submitters as s
    where submitter_code in %(submitters)s

),

latest_rejected as (

    select distinct on (v.submitter_code)
        v.submitter_code,
        v.version_id,
        v.version_no
    from kcn_audit.submission_version as v
    where v.period = %(period)s and v.outcome = 'rejected' and v.submitter_code in %(submitters)s
    order by v.submitter_code, v.version_no desc

)

select
    submitters.submitter_code,
    submitters.name_vi,
    submitters.name_en,
    submitters.submitter_type,
    submitters.contact_email,
    latest_rejected.version_id,
    latest_rejected.version_no,
    (
        select count(*)
        from kcn_audit.finding as f
        where f.version_id = latest_rejected.version_id and f.severity in ('fatal', 'error')
    ) as errors
from submitters
left join latest_rejected on submitters.submitter_code = latest_rejected.submitter_code
order by 1
