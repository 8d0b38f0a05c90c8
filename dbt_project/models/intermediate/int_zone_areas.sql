-- The area of each zone as last reported (lnd_total_area and lnd_industrial_area: actual,
-- end of month, the zone's own rows in the versions in force): dim_zone's type 1 area
-- columns. Grain: (zone_code, metric_code).
--
-- Incremental: a run reads the area rows of the months that received submissions since its
-- last run and keeps, for each zone and metric, the latest month's figure (a corrected
-- version of the same month wins by its higher version_id). Read from the whole history,
-- the areas made every run's dim_zone grow with the months loaded.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['zone_code', 'metric_code'],
        on_schema_change='fail',
    )
}}

{%- set changed = changed_periods(ref('int_indicator_vintages')) %}
{#- What an area row holds, read from the new months and from this table alike. #}
{%- set area_columns = 'zone_code, metric_code, value_canonical, period, version_id' %}

with

indicators as (

    select * from {{ ref('int_indicators_in_force') }}
    where {{ period_filter('period', changed) }}

),

reported as (

    select {{ area_columns }}
    from indicators
    where
        metric_code in ('lnd_total_area', 'lnd_industrial_area')
        and value_kind = 'actual'
        and period_basis = 'eom'
        and zone_code is not null
        and enterprise_tax_code is null

),

candidates as (

    select * from reported
    {% if is_incremental() %}
        union all
        select {{ area_columns }}
        from {{ this }}
    {% endif %}

),

final as (

    select distinct on (zone_code, metric_code)
        *,
        {{ run_loaded_at() }} as loaded_at
    from candidates
    order by zone_code asc, metric_code asc, period desc, version_id desc

)

select * from final
