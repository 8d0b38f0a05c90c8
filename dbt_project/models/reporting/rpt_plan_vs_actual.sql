-- Plan against actual (kế hoạch và thực hiện): every figure that has an annual plan in
-- force in its month, with the year-to-date (or end-of-month) value, percent of plan and
-- what remains to reach it. Grain: (period, submitter_code, zone_code, enterprise_tax_code,
-- metric_code, currency).
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds the months of
-- rpt_indicators_monthly rebuilt since its last run.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}],
    )
}}
{%- set changed = changed_periods(ref('rpt_indicators_monthly')) %}

with

figures as (

    select * from {{ ref('rpt_indicators_monthly') }}
    where {{ period_filter('period', changed) }}

),

final as (

    select
        {{ rpt_label_columns(exclude=[
            'province_name_vi', 'province_name_en', 'province_name_now_vi', 'province_name_now_en',
        ]) }},
        enterprise_tax_code,
        metric_code,
        metric_name_vi,
        metric_name_en,
        metric_kind_name,
        currency,
        canonical_unit,
        plan_value,
        plan_sent_period,
        plan_version_id,
        value_month,
        coalesce(value_ytd, value_eom) as value_to_date,
        pct_of_plan_month,
        pct_of_plan_ytd,
        remaining_to_plan,
        obs_status,
        obs_status_vi,
        obs_status_en
    from figures
    where plan_value is not null

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_plan_vs_actual') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from final
