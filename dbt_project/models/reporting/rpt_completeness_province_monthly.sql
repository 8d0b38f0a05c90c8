-- Completeness and timeliness per province (as it was in the month: Nam Định and Hà Nam
-- until 2025-06, Ninh Bình after) and month, boards and districts together, as DHIS2 rolls
-- them up: expected, actual, on time, rejected only, missing, reporting and on-time rates.
-- Grain: (province_code, period).
with

completeness as (

    select * from {{ ref('fct_reporting_completeness') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

by_province as (

    select
        completeness.period_key,
        completeness.period,
        completeness.period_start,
        completeness.province_code,
        {{ completeness_measures('completeness') }}
    from completeness
    where completeness.province_code is not null
    group by
        completeness.period_key,
        completeness.period,
        completeness.period_start,
        completeness.province_code

),

final as (

    select
        by_province.period_key,
        by_province.period,
        by_province.period_start,
        periods.period_label_vi,
        periods.period_label_en,
        by_province.province_code,
        provinces.province_name_vi,
        provinces.province_name_en,
        by_province.expected,
        by_province.actual,
        by_province.on_time,
        by_province.rejected_only,
        by_province.missing,
        by_province.reporting_rate,
        by_province.on_time_rate,
        by_province.max_days_late
    from by_province
    left join provinces
        on by_province.province_code = provinces.province_code
    left join periods
        on by_province.period_key = periods.period_key

)

select * from final
