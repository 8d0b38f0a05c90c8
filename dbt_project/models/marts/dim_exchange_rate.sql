-- The dated VND/USD rates every converted figure uses, with their source (seed
-- exchange_rates). One rate per reporting month: a month figure and a ytd figure of that
-- month are both converted at it, as the boards' own "tổng vốn quy đổi" are.
with

exchange_rates as (

    select * from {{ ref('exchange_rates') }}

),

final as (

    select
        to_char(to_date(rate_period || '-01', 'YYYY-MM-DD'), 'YYYYMM')::integer
            as period_key,
        rate_period as period,
        vnd_per_usd,
        rate_date,
        source_kind,
        source_kind = 'approximate_demo' as is_approximate,
        source
    from exchange_rates

)

select * from final
