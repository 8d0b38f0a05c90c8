-- The month's GX results: each expectation over the month's versions, and the versions it
-- failed with their first failing rows.
select
    c.suite,
    c.expectation_type,
    c.rule_id,
    c.severity,
    c.column_name,
    count(*) as versions,
    count(*) filter (where not c.success) as versions_failed,
    sum(c.element_count) as element_count,
    sum(c.unexpected_count) as unexpected_count,
    jsonb_agg(
        jsonb_build_object(
            'version_id', c.version_id,
            'submitter_code', v.submitter_code,
            'version_no', v.version_no,
            'element_count', c.element_count,
            'unexpected_count', c.unexpected_count,
            'unexpected_percent', round(c.unexpected_percent, 2),
            'rows', c.unexpected_rows
        )
        order by v.submitter_code, v.version_no
    ) filter (where not c.success) as failed,
    max(c.validated_at) as validated_at
from kcn_audit.check_result as c
inner join kcn_audit.submission_version as v on c.version_id = v.version_id
where v.period = %(period)s
group by c.suite, c.expectation_type, c.rule_id, c.severity, c.column_name
order by c.suite, c.rule_id, c.expectation_type, c.column_name
