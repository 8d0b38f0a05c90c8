-- Where a flow's months are all known from January, they add up to its ytd value. Sent
-- month and ytd values may disagree (W_YTD_MONTH_MISMATCH loads as a warning), so this
-- warns rather than fails.
{{ config(severity='warn') }}

with

facts as (

    select * from {{ ref('fct_indicator_values') }}
    where metric_kind = 'F'

),

running as (

    select
        series_id,
        period,
        value_ytd,
        sum(value_month) over series_year as months_sum,
        count(value_month) over series_year as months_known,
        extract(month from to_date(period || '-01', 'YYYY-MM-DD')) as month_number
    from facts
    window series_year as (
        partition by series_id, left(period, 4)
        order by period
    )

),

final as (

    select *
    from running
    where
        months_known = month_number
        and value_ytd is not null
        and abs(months_sum - value_ytd) > 0.005 * greatest(abs(value_ytd), 1)

)

select * from final
