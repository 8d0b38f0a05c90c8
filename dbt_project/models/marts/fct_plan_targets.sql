-- Published plan targets (seeds/plan_targets.csv) month by month against the actual to date:
-- ranges, lower bounds and approximations, one-year and multi-year windows, catalogue
-- metrics, derived measures and measures the warehouse does not receive.
-- Grain: (target_id, period), every month of the target's window up to the newest month
-- with figures in the warehouse.
--
-- The actual to date is cumulative from the window's first month (a January): a flow's ytd
-- of the month plus, in a multi-year window, the December ytd of each earlier year of the
-- window; a stock's end-of-month value. A derived measure adds up its parts
-- (macros/plan_targets.sql). Money is in the target's currency, each figure converted at
-- the rate of its own month (fct_indicator_values' converted columns), every rate named.
-- When the warehouse cannot derive it the actual is null and no_actual_reason says why.
--
-- A table rebuilt on every run, not incremental: it reads only the all-zones rows of the
-- targets' submitters, metrics and windows (literals from the seed, read by index).
{{ config(materialized='table') }}

with

targets as (

    select * from {{ ref('plan_targets') }}

),

facts as (

    select * from {{ ref('fct_indicator_values') }}
    where
        zone_code is null
        and enterprise_tax_code is null
        and {{ plan_target_facts_filter(ref('plan_targets')) }}

),

-- The newest month with figures (one row read backwards from the index on period).
latest_period as (

    select max(period) as period from {{ ref('fct_indicator_values') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

-- The catalogue metrics of each target measure (macros/plan_targets.sql).
measure_parts as (

    {{ plan_target_measure_parts_cte() }}

),

target_parts as (

    select
        targets.target_id,
        targets.scope,
        targets.submitter_code,
        targets.currency as target_currency,
        targets.first_month,
        targets.last_month,
        measure_parts.metric_code,
        metrics.metric_kind
    from targets
    inner join measure_parts
        on targets.measure_code = measure_parts.measure_code
    inner join metrics
        on measure_parts.metric_code = metrics.metric_code

),

measures as (

    select
        targets.target_id,
        case
            when count(target_parts.metric_code) = 0 then 'not_received'
            when bool_and(target_parts.metric_code = targets.measure_code) then 'catalogue'
            else 'derived'
        end as measure_basis,
        -- A derived measure's parts are of one kind (flows).
        min(target_parts.metric_kind) as metric_kind
    from targets
    left join target_parts
        on targets.target_id = target_parts.target_id
    group by targets.target_id

),

-- Each part's figure of a month in the target's unit: the ytd of a flow, the end-of-month
-- value of a stock; money in the target's currency (converted at the month's rate when
-- sent in the other one). Only targets on the zones a board reports can be measured: a
-- whole-province target counts projects outside the zones too.
part_values as (

    select
        target_parts.target_id,
        facts.period_key,
        facts.period,
        case
            when target_parts.metric_kind = 'S' then facts.value_eom
            when target_parts.target_currency = 'USD' then facts.value_ytd_usd_mn
            when target_parts.target_currency = 'VND' then facts.value_ytd_vnd_bn
            else facts.value_ytd
        end as value_to_date,
        coalesce(facts.currency <> target_parts.target_currency, false) as is_converted,
        facts.fx_vnd_per_usd,
        facts.fx_rate_date,
        facts.fx_source_kind,
        facts.obs_status
    from target_parts
    inner join facts
        on
            target_parts.submitter_code = facts.submitter_code
            and target_parts.metric_code = facts.metric_code
            and target_parts.first_month <= facts.period
            and target_parts.last_month >= facts.period
    where target_parts.scope = 'all_zones'

),

month_figures as (

    select
        target_id,
        period_key,
        period,
        count(*) as figure_count,
        sum(value_to_date) as value_to_date,
        bool_or(value_to_date is null) as has_missing_value,
        bool_or(is_converted and fx_vnd_per_usd is null) as is_fx_rate_missing,
        bool_or(is_converted) as is_converted,
        -- One rate per month: every converted figure of the month used it.
        max(fx_vnd_per_usd) filter (where is_converted) as fx_vnd_per_usd,
        max(fx_rate_date) filter (where is_converted) as fx_rate_date,
        max(fx_source_kind) filter (where is_converted) as fx_source_kind,
        max({{ obs_status_rank('obs_status') }}) as status_rank
    from part_values
    group by target_id, period_key, period

),

target_months as (

    select
        targets.target_id,
        periods.period_key,
        periods.period,
        periods.year,
        left(targets.first_month, 4)::integer as first_year
    from targets
    inner join periods
        on
            targets.first_month <= periods.period
            and targets.last_month >= periods.period
    inner join latest_period
        on periods.period <= latest_period.period

),

-- A multi-year window counts each earlier year by its December ytd, converted at December's
-- rate (as the year's own converted total was).
earlier_years as (

    select
        target_months.target_id,
        target_months.period,
        count(*) filter (where not year_ends.has_missing_value) as years_known,
        sum(year_ends.value_to_date) as value_to_date,
        max(year_ends.status_rank) as status_rank,
        bool_or(year_ends.is_converted) as is_converted,
        string_agg(
            year_ends.period || ': ' || year_ends.fx_vnd_per_usd || ' VND/USD ('
            || year_ends.fx_rate_date || ')',
            '; ' order by year_ends.period
        ) filter (where year_ends.is_converted) as fx_rates_used
    from target_months
    inner join month_figures as year_ends
        on
            target_months.target_id = year_ends.target_id
            and year_ends.period_key % 100 = 12
            and year_ends.period_key / 100 < target_months.year
    group by target_months.target_id, target_months.period

),

measured as (

    select
        target_months.target_id,
        target_months.period_key,
        target_months.period,
        targets.province_code,
        targets.submitter_code,
        targets.scope,
        targets.measure_code,
        measures.measure_basis,
        measures.metric_kind,
        targets.currency,
        targets.unit,
        targets.bound_kind,
        targets.low_value,
        targets.high_value,
        targets.first_month,
        targets.last_month,
        target_months.period = targets.last_month as is_window_end,
        case
            when measures.measure_basis = 'not_received' then 'measure_not_received'
            when targets.scope <> 'all_zones' then 'scope_not_received'
            when measures.metric_kind = 'R' then 'rate_not_cumulated'
            when month_figures.target_id is null then 'no_figures'
            when month_figures.is_fx_rate_missing then 'fx_rate_missing'
            when month_figures.has_missing_value then 'gap'
            when
                measures.metric_kind = 'F'
                and coalesce(earlier_years.years_known, 0)
                < target_months.year - target_months.first_year
                then 'year_total_missing'
        end as no_actual_reason,
        month_figures.value_to_date as value_of_month,
        case
            when measures.metric_kind = 'F' then coalesce(earlier_years.value_to_date, 0)
            else 0
        end as value_of_earlier_years,
        coalesce(month_figures.figure_count, 0) as figure_count,
        greatest(
            month_figures.status_rank,
            case when measures.metric_kind = 'F' then earlier_years.status_rank end
        ) as status_rank,
        coalesce(month_figures.is_converted, false)
        or (measures.metric_kind = 'F' and coalesce(earlier_years.is_converted, false))
            as is_converted,
        month_figures.fx_vnd_per_usd,
        month_figures.fx_rate_date,
        month_figures.fx_source_kind,
        nullif(
            concat_ws(
                '; ',
                case when measures.metric_kind = 'F' then earlier_years.fx_rates_used end,
                month_figures.period || ': ' || month_figures.fx_vnd_per_usd || ' VND/USD ('
                || month_figures.fx_rate_date || ')'
            ),
            ''
        ) as fx_rates_used
    from target_months
    inner join targets
        on target_months.target_id = targets.target_id
    inner join measures
        on target_months.target_id = measures.target_id
    left join month_figures
        on
            target_months.target_id = month_figures.target_id
            and target_months.period = month_figures.period
    left join earlier_years
        on
            target_months.target_id = earlier_years.target_id
            and target_months.period = earlier_years.period

),

with_actual as (

    select
        *,
        case
            when no_actual_reason is null
                then trim_scale(value_of_month + value_of_earlier_years)
        end as actual_to_date
    from measured

),

final as (

    select
        target_id,
        period_key,
        period,
        province_code,
        submitter_code,
        scope,
        measure_code,
        measure_basis,
        metric_kind,
        currency,
        unit,
        bound_kind,
        low_value,
        high_value,
        first_month,
        last_month,
        is_window_end,
        actual_to_date,
        no_actual_reason,
        round(actual_to_date / nullif(low_value, 0) * 100, 2) as pct_of_low,
        round(actual_to_date / nullif(high_value, 0) * 100, 2) as pct_of_high,
        low_value - actual_to_date as remaining_to_low,
        high_value - actual_to_date as remaining_to_high,
        case
            when actual_to_date is null then null
            when bound_kind = 'at_least' and actual_to_date >= low_value then 'met'
            when bound_kind = 'at_least' then 'not_yet_met'
            when actual_to_date < low_value then 'below'
            when actual_to_date > high_value then 'above'
            else 'within'
        end as target_status,
        case
            when actual_to_date is not null
                then {{ obs_status_of_rank('status_rank') }}
        end as obs_status,
        figure_count,
        -- The rates of the actual: none without one.
        actual_to_date is not null and is_converted as is_converted,
        case when actual_to_date is not null then fx_vnd_per_usd end as fx_vnd_per_usd,
        case when actual_to_date is not null then fx_rate_date end as fx_rate_date,
        case when actual_to_date is not null then fx_source_kind end as fx_source_kind,
        case when actual_to_date is not null then fx_rates_used end as fx_rates_used
    from with_actual

)

select * from final
