-- Actual and estimated figures of the versions in force, one row per series and month with
-- the month, ytd and end-of-month values side by side as sent (nothing derived yet), each
-- with its SDMX-style observation status:
--   E  estimated: value_kind estimate (ước), given before the month was closed;
--   P  provisional: an actual figure received before its month had ended (reported, like
--      the 11-month figures of 26 November, ahead of the close), so a revision is expected;
--   A  normal: an actual figure received after the month had ended.
-- Where one version holds both an actual and an estimate for one figure, the actual wins.
with

indicators as (

    select * from {{ ref('int_indicators_in_force') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

submitters as (

    select * from {{ ref('stg_kcn_ref__submitters') }}

),

figures as (

    select
        indicators.*,
        submission_versions.received_at,
        submitters.submitter_type,
        case
            when indicators.value_kind = 'estimate' then 'E'
            when
                submission_versions.received_at
                < (
                    (indicators.period_start + interval '1 month')::timestamp
                    at time zone 'Asia/Ho_Chi_Minh'
                )
                then 'P'
            else 'A'
        end as obs_status
    from indicators
    inner join submission_versions
        on indicators.version_id = submission_versions.version_id
    left join submitters
        on indicators.submitter_code = submitters.submitter_code
    where indicators.value_kind in ('actual', 'estimate')

),

best_figures as (

    select
        *,
        row_number() over (
            partition by
                period, submitter_code, zone_code, enterprise_tax_code, metric_code,
                currency, period_basis
            order by case value_kind when 'actual' then 0 else 1 end, row_number
        ) as preference_rank
    from figures

),

final as (

    select
        period,
        min(period_start) as period_start,
        submitter_code,
        -- A zone's series runs on across a change of board (macros/series_reporter.sql).
        {{ series_reporter('zone_code', 'min(submitter_type)', 'submitter_code') }}
            as series_reporter,
        zone_code,
        enterprise_tax_code,
        metric_code,
        currency,
        min(canonical_unit) as canonical_unit,
        max(value_canonical) filter (where period_basis = 'month') as sent_month,
        max(value_canonical) filter (where period_basis = 'ytd') as sent_ytd,
        max(value_canonical) filter (where period_basis = 'eom') as sent_eom,
        max(obs_status) filter (where period_basis = 'month') as sent_month_status,
        max(obs_status) filter (where period_basis = 'ytd') as sent_ytd_status,
        max(obs_status) filter (where period_basis = 'eom') as sent_eom_status,
        min(version_id) as version_id,
        min(version_no) as version_no,
        min(outcome) as outcome,
        min(received_at) as received_at,
        min(file_name) as file_name,
        max(row_number) filter (where period_basis = 'month') as row_number_month,
        max(row_number) filter (where period_basis = 'ytd') as row_number_ytd,
        max(row_number) filter (where period_basis = 'eom') as row_number_eom
    from best_figures
    where preference_rank = 1
    group by
        period,
        submitter_code,
        zone_code,
        enterprise_tax_code,
        metric_code,
        currency

)

select * from final
