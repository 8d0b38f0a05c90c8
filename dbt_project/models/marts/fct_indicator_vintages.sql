-- Every figure of every accepted version, as sent, on two time lines besides the period it
-- is about (bitemporal):
-- - as reported: reported_from is when its version was received, reported_to when a newer
--   accepted version of the same submitter and month was (null while in force). "As
--   published on date D" reads this line, so a backfill keeps the real history:
--       where reported_from <= D and (reported_to is null or reported_to > D)
-- - as known to the warehouse: recorded_from is when its version was validated and
--   accepted, recorded_to when a newer accepted version was. "What the warehouse held on
--   D" (what a report run on D showed): the same filter on recorded_from / recorded_to.
-- Grain: (version_id, file_name, row_number).
--
-- A view on purpose: the rows come from the incremental int_indicator_vintages, and the
-- time on record from the small version registry, where a new version changes the
-- recorded_to of the one it supersedes; a view never holds a stale recorded_to.
{{ config(materialized='view') }}

with

vintages as (

    select * from {{ ref('int_indicator_vintages') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

final as (

    select
        to_char(vintages.period_start, 'YYYYMM')::integer as period_key,
        vintages.period,
        vintages.submitter_code,
        vintages.zone_code,
        vintages.enterprise_tax_code,
        vintages.metric_code,
        vintages.value_kind,
        vintages.period_basis,
        vintages.currency,
        vintages.value_canonical,
        vintages.canonical_unit,
        vintages.value_as_sent,
        vintages.unit_as_sent,
        submission_versions.reported_at as reported_from,
        submission_versions.report_superseded_at as reported_to,
        submission_versions.recorded_at as recorded_from,
        submission_versions.superseded_at as recorded_to,
        submission_versions.is_in_force,
        submission_versions.received_at,
        vintages.note,
        vintages.version_id,
        vintages.version_no,
        vintages.outcome,
        vintages.file_name,
        vintages.row_number
    from vintages
    inner join submission_versions
        on vintages.version_id = submission_versions.version_id
    -- An accepted version re-validated as rejected would leave rows here until a full
    -- refresh; never publish them.
    where submission_versions.is_accepted

)

select * from final
