-- The best available value of every actual or estimated figure, month by month, with the
-- month and year-to-date values of flows side by side (each derived from the other where
-- only one was sent), end-of-month values of stocks, rates with their weight, an SDMX-style
-- status, both currencies converted at a dated rate, and lineage to the submitted rows.
-- Grain: (period, submitter_code, zone_code, enterprise_tax_code, metric_code, currency).
--
-- Derivation of flows within one series (series_reporter, zone, enterprise, metric,
-- currency) and one calendar year (January resets the ytd):
--   ytd(m)   = sent ytd(m); else the last sent ytd(k) of the year (0 before any) plus the
--              month values k+1..m, when every one of those months was sent;
--   month(m) = sent month(m); else ytd(m) in January; else ytd(m) - ytd(m-1) when both
--              are known. Otherwise the value stays null and its source says 'gap'.
-- A derived value takes the worst status of what it comes from (E over P over A).
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds each month that
-- received figures since the last run, and the rest of its year (their derived months and
-- ytd follow from it). It reads those months only, and from this table the month before the
-- first of them in each year: by the rules above, ytd(m) is also ytd(m-1) plus month(m)
-- (null when ytd(m-1) is), and month(m) is ytd(m) - ytd(m-1), so the ytd of that month and
-- its status carry the year into the rebuilt months. Run with --full-refresh after a change
-- of reference data (zones, metrics, exchange rates).
{{
    config(
        materialized='incremental',
        indexes=[
            {'columns': ['period']},
            {'columns': ['loaded_at']},
            {'columns': ['zone_code', 'metric_code']},
        ],
    )
}}

{%- set changed = changed_periods(ref('int_indicator_vintages')) %}
{%- set rebuilt = through_year_end(changed) %}
{%- set carried = months_before_each_year(changed) %}

with

observations as (

    select * from {{ ref('int_indicator_observations') }}
    where {{ period_filter('period', rebuilt) }}
    {% if is_incremental() and carried %}
        -- The flows of the month before, as built: their ytd stands as sent, so that
        -- the rebuilt months add onto it and derive their month values from it; the row
        -- itself is not written again (it is not a rebuilt month).
        union all
        select
            period,
            to_date(period || '-01', 'YYYY-MM-DD') as period_start,
            submitter_code,
            series_reporter,
            zone_code,
            enterprise_tax_code,
            metric_code,
            currency,
            canonical_unit,
            null as sent_month,
            value_ytd as sent_ytd,
            null as sent_eom,
            null as sent_month_status,
            value_ytd_status as sent_ytd_status,
            null as sent_eom_status,
            null as version_id,
            null as version_no,
            null as outcome,
            null as received_at,
            null as file_name,
            null as row_number_month,
            null as row_number_ytd,
            null as row_number_eom
        from {{ this }}
        where
            metric_kind = 'F'
            and {{ period_filter('period', carried) }}
    {% endif %}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

exchange_rates as (

    select * from {{ ref('dim_exchange_rate') }}

),

ranked as (

    select
        observations.*,
        metrics.metric_kind,
        extract(year from observations.period_start)::integer as year_number,
        extract(month from observations.period_start)::integer as month_number,
        {{ obs_status_rank('observations.sent_month_status') }} as sent_month_status_rank,
        {{ obs_status_rank('observations.sent_ytd_status') }} as sent_ytd_status_rank,
        {{ obs_status_rank('observations.sent_eom_status') }} as sent_eom_status_rank,
        -- A rate is averaged over zones and enterprises weighted by the workers it is a
        -- rate of: the lab_workers figure of the same month, submitter, zone and
        -- enterprise. (A window, not a join: PostgreSQL underestimates the grouped
        -- observations and would join them to themselves by nested loop.)
        max(observations.sent_eom) filter (where observations.metric_code = 'lab_workers')
            over (
                partition by
                    observations.period, observations.submitter_code, observations.zone_code,
                    observations.enterprise_tax_code
            ) as weight_value
    from observations
    left join metrics
        on observations.metric_code = metrics.metric_code

),

-- Each sent ytd value starts an anchor group; the months after it add onto it.
anchored as (

    select
        *,
        count(sent_ytd) over (
            partition by
                series_reporter, zone_code, enterprise_tax_code, metric_code, currency,
                year_number
            order by month_number
        ) as anchor_group
    from ranked

),

accumulated as (

    select
        *,
        case when anchor_group = 0 then 0 else min(month_number) over anchor end
            as anchor_month,
        coalesce(max(sent_ytd) over anchor, 0) as anchor_ytd,
        coalesce(max(sent_ytd_status_rank) over anchor, 0) as anchor_status_rank,
        sum(case when sent_ytd is null then sent_month end) over anchor_to_month as months_sum,
        count(case when sent_ytd is null then sent_month end) over anchor_to_month
            as months_count,
        max(case when sent_ytd is null then sent_month_status_rank end) over anchor_to_month
            as months_status_rank
    from anchored
    window
        anchor as (
            partition by
                series_reporter, zone_code, enterprise_tax_code, metric_code, currency,
                year_number, anchor_group
        ),
        anchor_to_month as (anchor order by month_number)

),

with_ytd as (

    select
        *,
        case
            when metric_kind <> 'F' then sent_ytd
            when sent_ytd is not null then sent_ytd
            when months_count = month_number - anchor_month then anchor_ytd + months_sum
        end as value_ytd,
        case
            when metric_kind <> 'F' then case when sent_ytd is not null then 'sent' end
            when sent_ytd is not null then 'sent'
            when months_count = month_number - anchor_month then 'derived_from_months'
            else 'gap'
        end as ytd_source,
        case
            when metric_kind <> 'F' or sent_ytd is not null then sent_ytd_status_rank
            when months_count = month_number - anchor_month
                then greatest(anchor_status_rank, months_status_rank)
        end as ytd_status_rank
    from accumulated

),

with_previous as (

    select
        *,
        lag(month_number) over series_year as previous_month_number,
        lag(value_ytd) over series_year as previous_ytd,
        lag(ytd_status_rank) over series_year as previous_ytd_status_rank
    from with_ytd
    window series_year as (
        partition by
            series_reporter, zone_code, enterprise_tax_code, metric_code, currency,
            year_number
        order by month_number
    )

),

derived as (

    select
        *,
        case
            when metric_kind <> 'F' or sent_month is not null then sent_month
            when month_number = 1 then value_ytd
            when previous_month_number = month_number - 1
                then value_ytd - previous_ytd
        end as value_month,
        case
            when metric_kind <> 'F' then case when sent_month is not null then 'sent' end
            when sent_month is not null then 'sent'
            when month_number = 1 and value_ytd is not null then 'january_ytd'
            when
                previous_month_number = month_number - 1
                and value_ytd is not null
                and previous_ytd is not null
                then 'derived_from_ytd'
            else 'gap'
        end as month_source,
        case
            when metric_kind <> 'F' or sent_month is not null then sent_month_status_rank
            when month_number = 1 then ytd_status_rank
            when previous_month_number = month_number - 1
                then greatest(ytd_status_rank, previous_ytd_status_rank)
        end as month_status_rank
    from with_previous

),

final as (

    select
        periods.period_key,
        derived.period,
        derived.submitter_code,
        derived.series_reporter,
        {{ series_id('derived.series_reporter', 'derived.zone_code',
            'derived.enterprise_tax_code', 'derived.metric_code', 'derived.currency') }}
            as series_id,
        derived.zone_code,
        zones.zone_key,
        derived.enterprise_tax_code,
        enterprises.enterprise_key,
        derived.metric_code,
        derived.metric_kind,
        derived.currency,
        derived.canonical_unit,
        -- trim_scale: a difference of 0.915 and 0.915 is 0, not 0.000.
        trim_scale(derived.value_month) as value_month,
        derived.month_source,
        {{ obs_status_of_rank('derived.month_status_rank') }} as value_month_status,
        trim_scale(derived.value_ytd) as value_ytd,
        derived.ytd_source,
        {{ obs_status_of_rank('derived.ytd_status_rank') }} as value_ytd_status,
        derived.sent_eom as value_eom,
        derived.sent_eom_status as value_eom_status,
        -- The row's status: the worst of its values' (E over P over A).
        {{ obs_status_of_rank(
            'greatest(derived.month_status_rank, derived.ytd_status_rank,'
            ' derived.sent_eom_status_rank)'
        ) }} as obs_status,
        derived.metric_kind = 'F'
        and (derived.month_source = 'gap' or derived.ytd_source = 'gap') as has_gap,
        -- A revised ytd below last month's makes a negative derived month (W_YTD_DECREASE).
        coalesce(derived.value_month < 0, false) as is_negative_month,
        case when derived.metric_kind = 'R' then derived.weight_value end as weight_value,
        -- Converted figures: never silent, each with the rate and the rate's date; rounded
        -- to 6 decimals (one USD, one thousand VND).
        case when derived.currency is not null then exchange_rates.vnd_per_usd end
            as fx_vnd_per_usd,
        case when derived.currency is not null then exchange_rates.rate_date end
            as fx_rate_date,
        case when derived.currency is not null then exchange_rates.source_kind end
            as fx_source_kind,
        derived.currency is not null and exchange_rates.vnd_per_usd is null
            as is_fx_rate_missing,
        case derived.currency
            when 'USD' then derived.value_month
            when
                'VND'
                then trim_scale(round(derived.value_month * 1000 / exchange_rates.vnd_per_usd, 6))
        end as value_month_usd_mn,
        case derived.currency
            when 'USD' then derived.value_ytd
            when
                'VND'
                then trim_scale(round(derived.value_ytd * 1000 / exchange_rates.vnd_per_usd, 6))
        end as value_ytd_usd_mn,
        case derived.currency
            when 'VND' then derived.value_month
            when
                'USD'
                then trim_scale(round(derived.value_month * exchange_rates.vnd_per_usd / 1000, 6))
        end as value_month_vnd_bn,
        case derived.currency
            when 'VND' then derived.value_ytd
            when
                'USD'
                then trim_scale(round(derived.value_ytd * exchange_rates.vnd_per_usd / 1000, 6))
        end as value_ytd_vnd_bn,
        derived.sent_month,
        derived.sent_ytd,
        derived.version_id,
        derived.version_no,
        derived.outcome,
        derived.received_at,
        derived.file_name,
        derived.row_number_month,
        derived.row_number_ytd,
        derived.row_number_eom,
        {{ run_loaded_at() }} as loaded_at
    from derived
    {{ join_month_dimensions('derived') }}
    left join exchange_rates
        on derived.period = exchange_rates.period
    where {{ period_filter('derived.period', rebuilt) }}

)

select * from final
