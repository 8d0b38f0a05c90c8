-- A version is in force when it is the latest accepted (or accepted_with_warnings)
-- version of its (submitter_code, period). A rejected or not yet validated newer version
-- does not count, so the older accepted one stays in force.
-- Vintages, on two time lines (bitemporal):
-- - as reported: an accepted version's figures are the submitter's report from reported_at
--   (when its files were received) until report_superseded_at (when a newer accepted
--   version of the same submitter and month was received). "As published on D" reads this
--   line, so a backfill, which validates years of versions on one day, keeps the history.
-- - as known to the warehouse: from recorded_at (when it was validated and accepted) until
--   superseded_at (when a newer accepted version was).
with

submission_versions as (

    select * from {{ ref('stg_kcn_audit__submission_versions') }}

),

accepted_versions as (

    select
        version_id,
        submitter_code,
        period,
        version_no,
        received_at as reported_at,
        -- Accepted when validated; received_at only if a registry row lacks the time.
        coalesce(validated_at, received_at) as recorded_at
    from submission_versions
    where outcome in ('accepted', 'accepted_with_warnings')

),

accepted_versions_ranked as (

    select
        version_id,
        reported_at,
        recorded_at,
        row_number() over (
            partition by submitter_code, period
            order by version_no desc
        ) as accepted_rank,
        -- The earliest acceptance of any newer version ends this one's time on record.
        min(recorded_at) over (
            partition by submitter_code, period
            order by version_no desc
            rows between unbounded preceding and 1 preceding
        ) as superseded_at,
        -- The earliest receipt of any newer version ends this one's time as the report.
        min(reported_at) over (
            partition by submitter_code, period
            order by version_no desc
            rows between unbounded preceding and 1 preceding
        ) as report_superseded_at
    from accepted_versions

),

final as (

    select
        submission_versions.version_id,
        submission_versions.submitter_code,
        submission_versions.period,
        submission_versions.period_start,
        submission_versions.version_no,
        submission_versions.outcome,
        submission_versions.received_at,
        submission_versions.validated_at,
        submission_versions.superseded_by_version_id,
        accepted_versions_ranked.accepted_rank,
        accepted_versions_ranked.version_id is not null as is_accepted,
        coalesce(accepted_versions_ranked.accepted_rank = 1, false) as is_in_force,
        coalesce(accepted_versions_ranked.accepted_rank > 1, false) as is_superseded,
        accepted_versions_ranked.reported_at,
        accepted_versions_ranked.report_superseded_at,
        accepted_versions_ranked.recorded_at,
        accepted_versions_ranked.superseded_at
    from submission_versions
    left join accepted_versions_ranked
        on submission_versions.version_id = accepted_versions_ranked.version_id

)

select * from final
