-- A board's all-zones figure against the sum of its zone figures for the same month,
-- metric and currency (the W_ZONE_SUM_MISMATCH check, kept for every month): flows compare
-- year-to-date values, stocks end-of-month values. Rates are not additive and are left
-- out. Grain: (period, submitter_code, metric_code, currency).
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds the months of
-- fct_indicator_values rebuilt since its last run.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}],
    )
}}
{%- set changed = changed_periods(ref('fct_indicator_values')) %}

with

facts as (

    select * from {{ ref('fct_indicator_values') }}
    where
        enterprise_tax_code is null
        and metric_kind in ('F', 'S')
        and {{ period_filter('period', changed) }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

all_zones as (

    select
        period_key,
        period,
        submitter_code,
        metric_code,
        currency,
        coalesce(value_ytd, value_eom) as all_zones_value
    from facts
    where zone_code is null

),

zone_sums as (

    select
        period_key,
        submitter_code,
        metric_code,
        currency,
        sum(coalesce(value_ytd, value_eom)) as sum_of_zones,
        count(*) as zone_count,
        bool_or(coalesce(value_ytd, value_eom) is null) as has_zone_gap
    from facts
    where zone_code is not null
    group by
        period_key,
        submitter_code,
        metric_code,
        currency

),

final as (

    select
        all_zones.period_key,
        all_zones.period,
        to_date(all_zones.period, 'YYYY-MM') as period_start,
        all_zones.submitter_code,
        all_zones.metric_code,
        metrics.metric_name_vi,
        metrics.metric_name_en,
        all_zones.currency,
        all_zones.all_zones_value,
        zone_sums.sum_of_zones,
        zone_sums.zone_count,
        coalesce(zone_sums.has_zone_gap, false) as has_zone_gap,
        all_zones.all_zones_value - zone_sums.sum_of_zones as difference,
        round(
            (all_zones.all_zones_value - zone_sums.sum_of_zones)
            / nullif(zone_sums.sum_of_zones, 0) * 100,
            2
        ) as difference_pct,
        -- The contract's tolerance: within 1 % of the sum of the zones.
        abs(all_zones.all_zones_value - zone_sums.sum_of_zones)
        <= 0.01 * abs(zone_sums.sum_of_zones) as is_reconciled
    from all_zones
    inner join zone_sums
        on
            all_zones.period_key = zone_sums.period_key
            and all_zones.submitter_code = zone_sums.submitter_code
            and all_zones.metric_code = zone_sums.metric_code
            and coalesce(all_zones.currency, '') = coalesce(zone_sums.currency, '')
    left join metrics
        on all_zones.metric_code = metrics.metric_code

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_zone_reconciliation') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from final
