-- Annual plans (kế hoạch, value_kind plan, period_basis year) from the versions in force.
-- A plan is sent in January and may be revised: by a newer version of the same month
-- (only the version in force counts here; every version stays in fct_indicator_vintages)
-- or by a plan row in a later month's submission, which then holds from that month on.
-- Grain: (plan_year, series_reporter, zone_code, enterprise_tax_code, metric_code,
-- currency, valid_from_period); valid_to_period is null for the plan in force now.
--
-- Incremental by plan year (macros/incremental_periods.sql): a run rebuilds the plans of
-- each year that received figures since the last run.
{{
    config(
        materialized='incremental',
        period_column='plan_year',
        indexes=[
            {'columns': ['plan_year']},
            {'columns': ['loaded_at']},
        ],
    )
}}

{%- set changed = changed_periods(ref('int_indicator_vintages')) %}

with

indicators as (

    select * from {{ ref('int_indicators_in_force') }}
    where {{ period_filter('period', whole_years(changed)) }}

),

submitters as (

    select * from {{ ref('stg_kcn_ref__submitters') }}

),

exchange_rates as (

    select * from {{ ref('dim_exchange_rate') }}

),

plans as (

    select
        indicators.*,
        extract(year from indicators.period_start)::integer as plan_year,
        {{ series_reporter('indicators.zone_code', 'submitters.submitter_type',
            'indicators.submitter_code') }} as series_reporter
    from indicators
    left join submitters
        on indicators.submitter_code = submitters.submitter_code
    where
        indicators.value_kind = 'plan'
        and indicators.period_basis = 'year'

),

sequenced as (

    select
        *,
        row_number() over plan_series as revision_no,
        lead(period) over plan_series as next_plan_period
    from plans
    window plan_series as (
        partition by
            plan_year, series_reporter, zone_code, enterprise_tax_code, metric_code,
            currency
        order by period
    )

),

final as (

    select
        sequenced.plan_year,
        sequenced.submitter_code,
        sequenced.series_reporter,
        {{ series_id('sequenced.series_reporter', 'sequenced.zone_code',
            'sequenced.enterprise_tax_code', 'sequenced.metric_code', 'sequenced.currency') }}
            as series_id,
        sequenced.zone_code,
        sequenced.enterprise_tax_code,
        sequenced.metric_code,
        sequenced.currency,
        sequenced.value_canonical as plan_value,
        sequenced.canonical_unit,
        sequenced.period as valid_from_period,
        to_char(
            to_date(sequenced.next_plan_period || '-01', 'YYYY-MM-DD') - interval '1 month',
            'YYYY-MM'
        ) as valid_to_period,
        sequenced.next_plan_period is null as is_current,
        sequenced.revision_no,
        case sequenced.currency
            when 'USD' then sequenced.value_canonical
            when 'VND'
                then round(sequenced.value_canonical * 1000 / exchange_rates.vnd_per_usd, 6)
        end as plan_value_usd_mn,
        case sequenced.currency
            when 'VND' then sequenced.value_canonical
            when 'USD'
                then round(sequenced.value_canonical * exchange_rates.vnd_per_usd / 1000, 6)
        end as plan_value_vnd_bn,
        case when sequenced.currency is not null then exchange_rates.vnd_per_usd end
            as fx_vnd_per_usd,
        case when sequenced.currency is not null then exchange_rates.rate_date end
            as fx_rate_date,
        sequenced.note,
        sequenced.version_id,
        sequenced.version_no,
        sequenced.file_name,
        sequenced.row_number,
        {{ run_loaded_at() }} as loaded_at
    from sequenced
    left join exchange_rates
        on sequenced.period = exchange_rates.period

)

select * from final
