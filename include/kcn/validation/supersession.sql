-- The newest accepted version of a (submitter, month) is in force; older accepted versions
-- point to it, and every other version points nowhere.
with in_force as (
    select version_id, version_no from kcn_audit.submission_version
    where submitter_code = %(submitter)s and period = %(period)s and outcome in %(ok)s
    order by version_no desc limit 1
)

update kcn_audit.submission_version as v
set superseded_by = case
    when v.outcome in %(ok)s and v.version_no < f.version_no then f.version_id
end
from in_force as f
where v.submitter_code = %(submitter)s and v.period = %(period)s
