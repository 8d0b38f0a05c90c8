-- Nothing is converted silently: a converted value exists only beside the rate and the
-- rate's date that produced it, and only for money figures.
with

facts as (

    select * from {{ ref('fct_indicator_values') }}

),

final as (

    select
        period,
        series_id,
        currency,
        fx_vnd_per_usd,
        fx_rate_date
    from facts
    where
        (
            coalesce(value_month_usd_mn, value_ytd_usd_mn) is not null
            and (fx_vnd_per_usd is null or fx_rate_date is null)
            and currency = 'VND'
        )
        or (currency is null and fx_vnd_per_usd is not null)

)

select * from final
