-- The converted total's "same period last year" is the converted total of the row a year
-- before (the same zone, whichever board sent it; or the same submitter's all zones), and
-- its growth follows from the two. An incremental run that rebuilt a month but not the
-- same month a year later would leave a stale comparison here.
with

investment as (

    select * from {{ ref('rpt_investment_monthly') }}

),

final as (

    select
        this_year.period,
        this_year.submitter_code,
        this_year.zone_code,
        this_year.registered_capital_converted_usd_mn_ytd_last_year,
        last_year.registered_capital_converted_usd_mn_ytd as converted_ytd_a_year_before,
        this_year.registered_capital_converted_growth_ytd_pct
    from investment as this_year
    inner join investment as last_year
        on
            this_year.period_key - 100 = last_year.period_key
            and this_year.zone_code is not distinct from last_year.zone_code
            and (
                this_year.zone_code is not null
                or this_year.submitter_code = last_year.submitter_code
            )
    where
        this_year.registered_capital_converted_usd_mn_ytd_last_year
        is distinct from last_year.registered_capital_converted_usd_mn_ytd
        or this_year.registered_capital_converted_growth_ytd_pct
        is distinct from round(
            (
                this_year.registered_capital_converted_usd_mn_ytd
                / nullif(last_year.registered_capital_converted_usd_mn_ytd, 0) - 1
            ) * 100,
            2
        )

)

select * from final
