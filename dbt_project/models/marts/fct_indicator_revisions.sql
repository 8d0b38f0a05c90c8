-- What changed between consecutive accepted versions of a submission, figure by figure:
-- an estimate replaced by an actual, a value revised up or down, a figure added or
-- withdrawn. A figure is identified by its contract key without value_kind (an estimate and
-- the actual that replaces it are one figure). Grain: (version_id, period, submitter_code,
-- zone_code, enterprise_tax_code, metric_code, is_plan, period_basis, currency), where
-- version_id is the revising version.
--
-- Incremental by month (macros/incremental_periods.sql): a new version revises figures of
-- its own month only, so a run rebuilds the months that received versions since the last.
{{
    config(
        materialized='incremental',
        indexes=[
            {'columns': ['period']},
            {'columns': ['loaded_at']},
        ],
    )
}}

{%- set changed = changed_periods(ref('int_indicator_vintages')) %}

with

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}
    where {{ period_filter('period', changed) }}

),

-- Only a submission with two accepted versions or more has revisions: read the figures of
-- those versions alone (most months of most submitters have one version).
revised_submissions as (

    select
        submitter_code,
        period
    from submission_versions
    where is_accepted
    group by submitter_code, period
    having count(*) > 1

),

revised_submission_versions as (

    select submission_versions.version_id
    from submission_versions
    inner join revised_submissions
        on
            submission_versions.submitter_code = revised_submissions.submitter_code
            and submission_versions.period = revised_submissions.period
    where submission_versions.is_accepted

),

vintages as (

    select * from {{ ref('fct_indicator_vintages') }}
    -- An array of the few version ids: read by the index on version_id.
    where
        version_id = any(
            array(
                select revised_submission_versions.version_id
                from revised_submission_versions
            )
        )

),

figures as (

    select
        *,
        value_kind = 'plan' as is_plan,
        -- Join keys without nulls, so that the join below hashes on every key column
        -- ("is not distinct from" would leave a bucket per metric, compared pairwise).
        coalesce(zone_code, '') as zone_match,
        coalesce(enterprise_tax_code, '') as enterprise_match,
        coalesce(currency, '') as currency_match,
        dense_rank() over (
            partition by submitter_code, period order by version_no
        ) as accepted_seq
    from vintages

),

pairs as (

    select
        coalesce(revised.period, previous.period) as period,
        coalesce(revised.period_key, previous.period_key) as period_key,
        coalesce(revised.submitter_code, previous.submitter_code) as submitter_code,
        coalesce(revised.zone_code, previous.zone_code) as zone_code,
        coalesce(revised.enterprise_tax_code, previous.enterprise_tax_code)
            as enterprise_tax_code,
        coalesce(revised.metric_code, previous.metric_code) as metric_code,
        coalesce(revised.is_plan, previous.is_plan) as is_plan,
        coalesce(revised.period_basis, previous.period_basis) as period_basis,
        coalesce(revised.currency, previous.currency) as currency,
        coalesce(revised.canonical_unit, previous.canonical_unit) as canonical_unit,
        -- The revising version's place in the sequence of accepted versions.
        coalesce(revised.accepted_seq, previous.accepted_seq + 1) as accepted_seq,
        previous.value_kind as previous_value_kind,
        revised.value_kind,
        previous.value_canonical as previous_value,
        revised.value_canonical as value,
        previous.version_id as previous_version_id,
        previous.version_no as previous_version_no,
        previous.reported_from as previous_reported_from,
        previous.recorded_from as previous_recorded_from,
        previous.file_name as previous_file_name,
        previous.row_number as previous_row_number,
        revised.file_name,
        revised.row_number
    from figures as revised
    full outer join figures as previous
        on
            revised.submitter_code = previous.submitter_code
            and revised.period = previous.period
            and revised.accepted_seq = previous.accepted_seq + 1
            and revised.zone_match = previous.zone_match
            and revised.enterprise_match = previous.enterprise_match
            and revised.metric_code = previous.metric_code
            and revised.is_plan = previous.is_plan
            and revised.period_basis = previous.period_basis
            and revised.currency_match = previous.currency_match

),

accepted_versions as (

    select distinct
        submitter_code,
        period,
        accepted_seq,
        version_id,
        version_no,
        reported_from,
        recorded_from
    from figures

),

final as (

    select
        pairs.period_key,
        pairs.period,
        pairs.submitter_code,
        pairs.zone_code,
        pairs.enterprise_tax_code,
        pairs.metric_code,
        pairs.is_plan,
        pairs.period_basis,
        pairs.currency,
        pairs.canonical_unit,
        case
            when pairs.previous_value is null then 'added'
            when pairs.value is null then 'withdrawn'
            when
                pairs.previous_value_kind = 'estimate' and pairs.value_kind = 'actual'
                then 'estimate_to_actual'
            when pairs.previous_value_kind <> pairs.value_kind then 'value_kind_changed'
            else 'value_revised'
        end as revision_type,
        pairs.previous_value_kind,
        pairs.value_kind,
        pairs.previous_value,
        pairs.value,
        pairs.value - pairs.previous_value as change,
        round(
            (pairs.value - pairs.previous_value) / nullif(pairs.previous_value, 0) * 100, 2
        ) as change_pct,
        pairs.previous_version_id,
        pairs.previous_version_no,
        pairs.previous_reported_from,
        pairs.previous_recorded_from,
        pairs.previous_file_name,
        pairs.previous_row_number,
        revising.version_id,
        revising.version_no,
        revising.reported_from,
        revising.recorded_from,
        pairs.file_name,
        pairs.row_number,
        {{ run_loaded_at() }} as loaded_at
    from pairs
    -- Inner join: the first version revises nothing (no version 0), and a figure of the
    -- newest version has no next version to be withdrawn by.
    inner join accepted_versions as revising
        on
            pairs.submitter_code = revising.submitter_code
            and pairs.period = revising.period
            and pairs.accepted_seq = revising.accepted_seq
    where
        pairs.accepted_seq > 1
        -- Unchanged figures are no news.
        and (
            pairs.previous_value is distinct from pairs.value
            or pairs.previous_value_kind is distinct from pairs.value_kind
        )

)

select * from final
