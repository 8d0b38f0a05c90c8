-- Zone figures added up by province, both as the province was in the month and as it is
-- now: across the 2025-07-01 merger, "as it was" keeps Nam Định and Hà Nam apart until
-- 2025-06 and shows Ninh Bình after; "now" shows every month of their zones under Ninh
-- Bình. Only boards' zone-level rows are added (district rows would count twice;
-- enterprise rows are parts of their zone). Flows and stocks are summed; a rate is
-- averaged weighted by its weight (lab_avg_income by workers).
-- Grain: (period, province_basis, province_code, metric_code, currency).
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
{#- A province's row: the month, the basis, the province and the figure's metric. #}
{%- set group_keys = [
    'period_key', 'period', 'period_start', 'province_basis', 'basis_province_code',
    'metric_code', 'metric_name_vi', 'metric_name_en', 'metric_kind_name', 'currency',
    'canonical_unit',
] %}

with

figures as (

    select * from {{ ref('rpt_indicators_monthly') }}
    where
        zone_code is not null
        and enterprise_tax_code is null
        and submitter_code like 'BQL-%'
        and {{ period_filter('period', changed) }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

both_bases as (

    select
        'as_was' as province_basis,
        province_code as basis_province_code,
        *
    from figures
    union all
    select
        'now' as province_basis,
        province_code_now as basis_province_code,
        *
    from figures

),

by_province as (

    select
        {{ column_list('both_bases', group_keys) }},
        count(distinct both_bases.zone_code) as zone_count,
        {%- for value in ['value_month', 'value_ytd'] %}
            case
                when both_bases.metric_kind_name = 'rate'
                    then round(
                        sum(both_bases.{{ value }} * both_bases.weight_value)
                        / nullif(sum(both_bases.weight_value) filter (
                            where both_bases.{{ value }} is not null
                        ), 0),
                        4
                    )
                else sum(both_bases.{{ value }})
            end as {{ value }},
        {%- endfor %}
        sum(both_bases.value_eom) as value_eom,
        sum(both_bases.value_month_usd_mn) as value_month_usd_mn,
        sum(both_bases.value_ytd_usd_mn) as value_ytd_usd_mn,
        bool_or(both_bases.has_gap) as has_gap,
        {{ worst_obs_status('both_bases.obs_status') }} as obs_status
    from both_bases
    group by
        {{ column_list('both_bases', group_keys) }}

),

final as (

    select
        by_province.period_key,
        by_province.period,
        by_province.period_start,
        by_province.province_basis,
        case by_province.province_basis
            when 'as_was' then 'Theo địa giới tại thời điểm báo cáo'
            else 'Theo địa giới hiện nay'
        end as province_basis_vi,
        case by_province.province_basis
            when 'as_was' then 'Province as it was in the month'
            else 'Province as it is now'
        end as province_basis_en,
        by_province.basis_province_code as province_code,
        provinces.province_name_vi,
        provinces.province_name_en,
        by_province.metric_code,
        by_province.metric_name_vi,
        by_province.metric_name_en,
        by_province.metric_kind_name,
        by_province.currency,
        by_province.canonical_unit,
        by_province.zone_count,
        by_province.value_month,
        by_province.value_ytd,
        by_province.value_eom,
        by_province.value_month_usd_mn,
        by_province.value_ytd_usd_mn,
        by_province.has_gap,
        by_province.obs_status
    from by_province
    left join provinces
        on by_province.basis_province_code = provinces.province_code

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_province_monthly') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from final
