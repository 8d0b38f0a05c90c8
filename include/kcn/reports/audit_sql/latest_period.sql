-- The latest month with a judged version.
select max(period) from kcn_audit.submission_version where outcome is not null
