-- Land, occupancy and labour by zone and month (board zone rows): areas, the occupancy
-- rate (leased over leasable industrial land, derived here, never taken in), workers with
-- the shares of women and foreigners, and the average income.
-- Grain: (period, submitter_code, zone_code).
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
{#- The labels this table keeps: the month, the submitter's code, the zone and its province. #}
{%- set labels = rpt_label_columns(exclude=[
    'year', 'month', 'ytd_label_vi', 'ytd_label_en',
    'submitter_name_vi', 'submitter_name_en', 'is_all_zones',
]) %}

with

figures as (

    select * from {{ ref('rpt_indicators_monthly') }}
    where
        figure_level = 'zone'
        and metric_group in ('lnd', 'lab', 'ent')
        and {{ period_filter('period', changed) }}

),

pivoted as (

    select
        {{ labels }},
        {%- for value, metric, column in [
            ('value_eom', 'lnd_total_area', 'total_area_ha'),
            ('value_eom', 'lnd_industrial_area', 'industrial_area_ha'),
            ('value_eom', 'lnd_leased_area', 'leased_area_ha'),
            ('value_eom', 'ent_operating', 'operating_enterprises'),
            ('value_eom', 'ent_operating_fdi', 'operating_enterprises_fdi'),
            ('value_eom', 'ent_operating_ddi', 'operating_enterprises_ddi'),
            ('value_eom', 'lab_workers', 'workers'),
            ('value_eom', 'lab_workers_female', 'workers_female'),
            ('value_eom', 'lab_workers_foreign', 'workers_foreign'),
            ('value_month', 'lab_avg_income', 'avg_income_vnd_mn_month'),
            ('value_month', 'lab_work_stoppages', 'work_stoppages_month'),
        ] %}
            max({{ value }}) filter (where metric_code = '{{ metric }}') as {{ column }},
        {%- endfor %}
        {{ worst_obs_status('obs_status') }} as obs_status
    from figures
    group by
        {{ labels }}

),

final as (

    select
        *,
        round(leased_area_ha / nullif(industrial_area_ha, 0) * 100, 2) as occupancy_pct,
        round(workers_female / nullif(workers, 0) * 100, 2) as female_share_pct,
        round(workers_foreign / nullif(workers, 0) * 100, 2) as foreign_share_pct
    from pivoted

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_land_labour_monthly') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from final
