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
        max(value_eom) filter (where metric_code = 'lnd_total_area') as total_area_ha,
        max(value_eom) filter (where metric_code = 'lnd_industrial_area')
            as industrial_area_ha,
        max(value_eom) filter (where metric_code = 'lnd_leased_area') as leased_area_ha,
        max(value_eom) filter (where metric_code = 'ent_operating') as operating_enterprises,
        max(value_eom) filter (where metric_code = 'ent_operating_fdi')
            as operating_enterprises_fdi,
        max(value_eom) filter (where metric_code = 'ent_operating_ddi')
            as operating_enterprises_ddi,
        max(value_eom) filter (where metric_code = 'lab_workers') as workers,
        max(value_eom) filter (where metric_code = 'lab_workers_female') as workers_female,
        max(value_eom) filter (where metric_code = 'lab_workers_foreign') as workers_foreign,
        max(value_month) filter (where metric_code = 'lab_avg_income')
            as avg_income_vnd_mn_month,
        max(value_month) filter (where metric_code = 'lab_work_stoppages')
            as work_stoppages_month,
        case
            when bool_or(obs_status = 'E') then 'E'
            when bool_or(obs_status = 'P') then 'P'
            else 'A'
        end as obs_status
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
