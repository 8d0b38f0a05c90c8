-- E_UNKNOWN_ENTERPRISE: the tax codes that accepted versions of the submitter listed, up to
-- the reporting month.
select distinct e.tax_code
from kcn_raw.enterprises as e
inner join kcn_audit.submission_version as v on e.version_id = v.version_id
where
    v.submitter_code = %(submitter)s
    and v.period <= %(period)s
    and e.tax_code is not null
    and v.outcome = any(%(ok)s)
