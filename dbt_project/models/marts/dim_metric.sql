with

metrics as (

    select * from {{ ref('stg_kcn_ref__metrics') }}

),

units as (

    select * from {{ ref('stg_kcn_ref__units') }}

),

-- A money metric has one canonical unit per currency; the fact row carries which applies.
money_canonical_units as (

    select
        max(case when currency = 'VND' then canonical_unit end) as canonical_unit_vnd,
        max(case when currency = 'USD' then canonical_unit end) as canonical_unit_usd
    from units
    where unit_family = 'money'

),

final as (

    select
        metrics.metric_code,
        metrics.metric_name_vi,
        metrics.metric_name_en,
        metrics.unit_family,
        metrics.unit_family = 'money' as is_money,
        family_units.canonical_unit,
        case
            when metrics.unit_family = 'money'
                then money_canonical_units.canonical_unit_vnd
        end as canonical_unit_vnd,
        case
            when metrics.unit_family = 'money'
                then money_canonical_units.canonical_unit_usd
        end as canonical_unit_usd,
        metrics.metric_kind,
        case metrics.metric_kind
            when 'F' then 'flow'
            when 'S' then 'stock'
            when 'R' then 'rate'
        end as metric_kind_name,
        metrics.metric_level,
        metrics.metric_level = 'E' as is_enterprise_level,
        metrics.is_by_board,
        metrics.is_by_district,
        metrics.agg_over_zones,
        metrics.agg_over_time
    from metrics
    -- Non-money families are named after their one unit (PROJECT, HA, ...).
    left join units as family_units
        on metrics.unit_family = family_units.unit_code
    cross join money_canonical_units

)

select * from final
