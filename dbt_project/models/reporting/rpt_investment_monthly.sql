-- Investment attracted (thu hút đầu tư), one wide row per submitter, zone (or all zones)
-- and month: projects, registered capital in each currency as sent, and the converted
-- total (tổng vốn quy đổi) of new and added capital in USD, with the rate used; that total
-- against the same period last year (growth, "gấp 2,3 lần cùng kỳ") and against the annual
-- plans of registered capital, converted alike ("đạt 92% kế hoạch").
-- Grain: (period, submitter_code, zone_code); zone_code null = all zones.
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds the months of
-- rpt_indicators_monthly rebuilt since its last run; that model rebuilds the same months a
-- year later with them, so the growth of a month follows a change of last year's.
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
    where
        metric_group = 'inv'
        and {{ period_filter('period', changed) }}

),

-- The converted total of the same months a year before, per series of registered capital:
-- a zone's series runs on across a change of board, as in rpt_indicators_monthly.
capital_last_year as (

    select
        period_key + 100 as period_key,
        split_part(series_id, '|', 1) as series_reporter,
        coalesce(zone_code, '') as zone_code,
        case
            when bool_and(fx_vnd_per_usd is not null)
                then sum(value_ytd_usd_mn)
        end as converted_ytd
    from {{ ref('rpt_indicators_monthly') }}
    where
        metric_code in ('inv_new_capital', 'inv_added_capital')
        and {{ period_filter('period', shift_years(changed, -1)) }}
    group by 1, 2, 3

),

-- The annual plans of registered capital in force in the month, the VND parts converted at
-- the month's rate, as the actual is.
capital_this_year as (

    select
        period_key,
        submitter_code,
        zone_code,
        split_part(series_id, '|', 1) as series_reporter,
        case
            when bool_and(fx_vnd_per_usd is not null)
                then sum(
                    case currency
                        when 'USD' then plan_value
                        when 'VND' then round(plan_value * 1000 / fx_vnd_per_usd, 6)
                    end
                )
        end as converted_plan
    from figures
    where metric_code in ('inv_new_capital', 'inv_added_capital')
    group by 1, 2, 3, 4

),

final as (

    select
        {{ rpt_label_columns() }},
        {% for metric, column in [
            ('inv_new_projects', 'new_projects'),
            ('inv_new_projects_fdi', 'new_projects_fdi'),
            ('inv_new_projects_ddi', 'new_projects_ddi'),
            ('inv_expansion_projects', 'expansion_projects'),
            ('inv_revoked_projects', 'revoked_projects'),
        ] %}
            sum(value_month) filter (where metric_code = '{{ metric }}')
                as {{ column }}_month,
            sum(value_ytd) filter (where metric_code = '{{ metric }}')
                as {{ column }}_ytd,
        {% endfor %}
        {% for metric, column in [
            ('inv_new_capital', 'new_capital'),
            ('inv_added_capital', 'added_capital'),
            ('inv_implemented_capital', 'implemented_capital'),
        ] %}
            sum(value_month) filter (where metric_code = '{{ metric }}' and currency = 'USD')
                as {{ column }}_usd_mn_month,
            sum(value_ytd) filter (where metric_code = '{{ metric }}' and currency = 'USD')
                as {{ column }}_usd_mn_ytd,
            sum(value_month) filter (where metric_code = '{{ metric }}' and currency = 'VND')
                as {{ column }}_vnd_bn_month,
            sum(value_ytd) filter (where metric_code = '{{ metric }}' and currency = 'VND')
                as {{ column }}_vnd_bn_ytd,
        {% endfor %}
        -- Tổng vốn quy đổi: new + added registered capital, the VND parts converted at the
        -- month's rate; null rather than a partial sum when a part has no rate.
        {%- for measure in ['month', 'ytd'] %}
            case
                when
                    bool_and(fx_vnd_per_usd is not null) filter (
                        where metric_code in ('inv_new_capital', 'inv_added_capital')
                    )
                    then sum(value_{{ measure }}_usd_mn) filter (
                        where metric_code in ('inv_new_capital', 'inv_added_capital')
                    )
            end as registered_capital_converted_usd_mn_{{ measure }},
        {%- endfor %}
        max(fx_vnd_per_usd) as fx_vnd_per_usd,
        max(fx_rate_date) as fx_rate_date,
        max(fx_source_kind) as fx_source_kind,
        {{ worst_obs_status('obs_status') }} as obs_status,
        bool_or(has_gap) as has_gap
    from figures
    group by
        {{ rpt_label_columns() }}

),

compared as (

    select
        final.*,
        last_year.converted_ytd as registered_capital_converted_usd_mn_ytd_last_year,
        round(
            (
                final.registered_capital_converted_usd_mn_ytd
                / nullif(last_year.converted_ytd, 0) - 1
            ) * 100,
            2
        ) as registered_capital_converted_growth_ytd_pct,
        capital.converted_plan as registered_capital_converted_plan_usd_mn,
        round(
            final.registered_capital_converted_usd_mn_ytd
            / nullif(capital.converted_plan, 0) * 100,
            2
        ) as registered_capital_converted_pct_of_plan_ytd
    from final
    left join capital_this_year as capital
        on
            final.period_key = capital.period_key
            and final.submitter_code = capital.submitter_code
            and final.zone_code is not distinct from capital.zone_code
    left join capital_last_year as last_year
        on
            capital.period_key = last_year.period_key
            and capital.series_reporter = last_year.series_reporter
            and coalesce(capital.zone_code, '') = last_year.zone_code

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_investment_monthly') }} as row_key,
    {{ run_loaded_at() }} as loaded_at
from compared
