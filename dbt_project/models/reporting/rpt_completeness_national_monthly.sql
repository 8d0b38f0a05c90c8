-- Completeness and timeliness of the whole country per month: every expected report of
-- every board and district, as DHIS2 rolls them up. Grain: one row per period.
with

completeness as (

    select * from {{ ref('fct_reporting_completeness') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

national as (

    select
        completeness.period_key,
        completeness.period,
        completeness.period_start,
        {{ completeness_measures('completeness') }}
    from completeness
    group by
        completeness.period_key,
        completeness.period,
        completeness.period_start

),

final as (

    select
        national.period_key,
        national.period,
        national.period_start,
        periods.period_label_vi,
        periods.period_label_en,
        'Cả nước' as area_name_vi,
        'Whole country' as area_name_en,
        national.expected,
        national.actual,
        national.on_time,
        national.rejected_only,
        national.missing,
        national.reporting_rate,
        national.on_time_rate,
        national.max_days_late
    from national
    left join periods
        on national.period_key = periods.period_key

)

select * from final
