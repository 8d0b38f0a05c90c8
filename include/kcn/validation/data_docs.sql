-- The month's kept GX results, one row per version and suite, its expectations in order.
select
    c.version_id,
    v.submitter_code,
    v.version_no,
    c.run_id,
    c.validated_at,
    c.suite,
    jsonb_agg(
        jsonb_build_object(
            'expectation_type', c.expectation_type,
            'rule_id', c.rule_id,
            'column_name', c.column_name,
            'success', c.success,
            'element_count', c.element_count,
            'unexpected_count', c.unexpected_count,
            'unexpected_percent', c.unexpected_percent,
            'unexpected_rows', c.unexpected_rows
        )
        order by c.check_result_id
    ) as expectations
from kcn_audit.check_result as c
inner join kcn_audit.submission_version as v on c.version_id = v.version_id
where v.period = %(period)s
group by c.version_id, v.submitter_code, v.version_no, c.run_id, c.validated_at, c.suite
order by v.submitter_code, v.version_no, c.suite
