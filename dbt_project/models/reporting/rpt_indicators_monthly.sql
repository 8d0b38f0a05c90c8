-- Every figure of fct_indicator_values with its labels in Vietnamese and English, the
-- province as it was in the month and as it is now, the same period last year (growth and
-- index), and the annual plan in force that month (percent of plan, remaining to plan).
-- Grain: (period, submitter_code, zone_code, enterprise_tax_code, metric_code, currency),
-- as fct_indicator_values.
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds the months of
-- fct_indicator_values rebuilt since its last run and the same months a year later, whose
-- growth and index compare with them.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}, {'columns': ['metric_code', 'period']}],
    )
}}

{%- set changed = changed_periods(ref('fct_indicator_values')) %}
{%- set rebuilt = none if changed is none
    else (changed + shift_years(changed, 1)) | unique | sort | list %}

with

facts as (

    select * from {{ ref('fct_indicator_values') }}
    where {{ period_filter('period', rebuilt) }}

),

facts_last_year as (

    select * from {{ ref('fct_indicator_values') }}
    where {{ period_filter('period', shift_years(rebuilt, -1)) }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

zones as (

    select * from {{ ref('dim_zone') }}

),

submitters as (

    select * from {{ ref('dim_submitter') }}

),

enterprises as (

    select * from {{ ref('dim_enterprise') }}

),

plans as (

    select * from {{ ref('fct_plans') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

-- An all-zones figure is its submitter's province; now, that of its successor board.
submitter_provinces_now as (

    {{ submitter_provinces_now('submitters') }}

),

final as (

    select
        facts.period_key,
        facts.period,
        periods.month_start as period_start,
        periods.year,
        periods.month,
        periods.period_label_vi,
        periods.period_label_en,
        periods.ytd_label_vi,
        periods.ytd_label_en,
        periods.is_tet_month,
        facts.submitter_code,
        submitters.submitter_name_vi,
        submitters.submitter_name_en,
        facts.series_id,
        facts.zone_code is null as is_all_zones,
        -- One level per figure; the rpt_indicators_<level>_monthly tables hold one each.
        case
            when submitters.submitter_type = 'district' then 'district'
            when facts.enterprise_tax_code is not null then 'enterprise'
            when facts.zone_code is null then 'all_zones'
            else 'zone'
        end as figure_level,
        facts.zone_code,
        coalesce(zones.zone_name_vi, 'Tất cả các KCN') as zone_name_vi,
        coalesce(zones.zone_name_en, 'All zones') as zone_name_en,
        coalesce(zones.province_code, submitters.province_code) as province_code,
        provinces_then.province_name_vi,
        provinces_then.province_name_en,
        coalesce(zones.province_code_now, submitter_provinces_now.province_code_now)
            as province_code_now,
        provinces_now.province_name_vi as province_name_now_vi,
        provinces_now.province_name_en as province_name_now_en,
        facts.enterprise_tax_code,
        enterprises.enterprise_name,
        enterprises.ownership,
        facts.metric_code,
        metrics.metric_name_vi,
        metrics.metric_name_en,
        metrics.metric_group,
        metrics.metric_group_vi,
        metrics.metric_group_en,
        metrics.metric_kind_name,
        facts.currency,
        facts.canonical_unit,
        facts.value_month,
        facts.value_ytd,
        facts.value_eom,
        facts.weight_value,
        facts.obs_status,
        {{ obs_status_label('facts.obs_status', 'vi') }} as obs_status_vi,
        {{ obs_status_label('facts.obs_status', 'en') }} as obs_status_en,
        facts.month_source,
        facts.ytd_source,
        facts.has_gap,
        facts.value_month_usd_mn,
        facts.value_ytd_usd_mn,
        facts.value_month_vnd_bn,
        facts.value_ytd_vnd_bn,
        facts.fx_vnd_per_usd,
        facts.fx_rate_date,
        facts.fx_source_kind,
        -- Same period last year, same series (a Nam Định zone's 2025-08 compares with its
        -- 2024-08 under BQL-ND).
        last_year.value_month as value_month_last_year,
        last_year.value_ytd as value_ytd_last_year,
        last_year.value_eom as value_eom_last_year,
        round((facts.value_month / nullif(last_year.value_month, 0) - 1) * 100, 2)
            as growth_month_pct,
        round((facts.value_ytd / nullif(last_year.value_ytd, 0) - 1) * 100, 2)
            as growth_ytd_pct,
        round((facts.value_eom / nullif(last_year.value_eom, 0) - 1) * 100, 2)
            as growth_eom_pct,
        round(facts.value_ytd / nullif(last_year.value_ytd, 0) * 100, 2) as index_ytd_pct,
        -- The annual plan in force in this month.
        plans.plan_value,
        plans.valid_from_period as plan_sent_period,
        plans.version_id as plan_version_id,
        round(facts.value_month / nullif(plans.plan_value, 0) * 100, 2)
            as pct_of_plan_month,
        round(
            coalesce(facts.value_ytd, facts.value_eom) / nullif(plans.plan_value, 0) * 100, 2
        ) as pct_of_plan_ytd,
        case
            when facts.metric_kind = 'F' then plans.plan_value - facts.value_ytd
        end as remaining_to_plan,
        facts.version_id,
        facts.version_no,
        facts.file_name,
        facts.row_number_month,
        facts.row_number_ytd,
        facts.row_number_eom
    from facts
    left join periods
        on facts.period_key = periods.period_key
    left join metrics
        on facts.metric_code = metrics.metric_code
    left join zones
        on facts.zone_key = zones.zone_key
    left join submitters
        on facts.submitter_code = submitters.submitter_code
    left join submitter_provinces_now
        on facts.submitter_code = submitter_provinces_now.submitter_code
    left join provinces as provinces_then
        on
            coalesce(zones.province_code, submitters.province_code)
            = provinces_then.province_code
    left join provinces as provinces_now
        on
            coalesce(zones.province_code_now, submitter_provinces_now.province_code_now)
            = provinces_now.province_code
    left join enterprises
        on facts.enterprise_key = enterprises.enterprise_key
    left join facts_last_year as last_year
        on
            facts.period_key - 100 = last_year.period_key
            and facts.series_id = last_year.series_id
    left join plans
        on
            periods.year = plans.plan_year
            and facts.series_id = plans.series_id
            and facts.period >= plans.valid_from_period
            and (plans.valid_to_period is null or facts.period <= plans.valid_to_period)

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_indicators_monthly') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from final
