-- Every plan target reads one way only: bounds that fit their kind, a window from a January
-- (ytd figures restart then) to a later month, a currency exactly for money and matching
-- the unit, and a measure the warehouse knows (a catalogue metric in its canonical unit,
-- or a measure of plan_target_measures, which never reuses a metric's code).
with

targets as (

    select * from {{ ref('plan_targets') }}

),

measures as (

    select * from {{ ref('plan_target_measures') }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

checked as (

    select
        targets.target_id,
        case
            when
                targets.bound_kind in ('point', 'approx')
                and (targets.high_value is distinct from targets.low_value)
                then 'a point or approx target has high_value = low_value'
            when
                targets.bound_kind = 'range'
                and not coalesce(targets.high_value > targets.low_value, false)
                then 'a range has high_value > low_value'
            when targets.bound_kind = 'at_least' and targets.high_value is not null
                then 'a lower bound has no high_value'
            when (first_periods.month is distinct from 1)
                then 'a window starts in a January (a month of dim_period)'
            when last_periods.period is null or targets.last_month < targets.first_month
                then 'last_month is a month of dim_period, not before first_month'
            when
                coalesce(targets.currency, '')
                <> case targets.unit when 'USD_MN' then 'USD' when 'VND_BN' then 'VND' else '' end
                then 'money is in USD_MN or VND_BN with its currency, nothing else has one'
            when metrics.metric_code is null and measures.measure_code is null
                then 'the measure is neither a catalogue metric nor in plan_target_measures'
            when metrics.metric_code is not null and measures.measure_code is not null
                then 'plan_target_measures reuses a catalogue metric code'
            when
                metrics.metric_code is not null
                and not metrics.is_money
                and (targets.unit is distinct from metrics.canonical_unit)
                then 'a catalogue metric is in its canonical unit'
            when metrics.is_money and targets.currency is null
                then 'a money metric has a currency'
        end as problem
    from targets
    left join measures
        on targets.measure_code = measures.measure_code
    left join metrics
        on targets.measure_code = metrics.metric_code
    left join periods as first_periods
        on targets.first_month = first_periods.period
    left join periods as last_periods
        on targets.last_month = last_periods.period

)

select * from checked
where problem is not null
