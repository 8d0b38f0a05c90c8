-- The metric catalogue, with what a BI tool needs to add figures up correctly: kind
-- (flow, stock, rate), how to aggregate over zones and over time, the weight of a rate.
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

groups as (

    select
        metrics.*,
        split_part(metrics.metric_code, '_', 1) as metric_group
    from metrics

),

final as (

    select
        groups.metric_code,
        groups.metric_name_vi,
        groups.metric_name_en,
        groups.metric_group,
        case groups.metric_group
            when 'inv' then 'Thu hút đầu tư'
            when 'ent' then 'Doanh nghiệp'
            when 'biz' then 'Sản xuất, kinh doanh'
            when 'lab' then 'Lao động'
            when 'lnd' then 'Đất đai'
            when 'env' then 'Môi trường'
            when 'saf' then 'An toàn'
            when 'dst' then 'Phối hợp quận, huyện'
        end as metric_group_vi,
        case groups.metric_group
            when 'inv' then 'Investment attracted'
            when 'ent' then 'Enterprises'
            when 'biz' then 'Production and business'
            when 'lab' then 'Labour'
            when 'lnd' then 'Land'
            when 'env' then 'Environment'
            when 'saf' then 'Safety'
            when 'dst' then 'District coordination'
        end as metric_group_en,
        groups.unit_family,
        groups.unit_family = 'money' as is_money,
        family_units.canonical_unit,
        family_units.unit_name_vi as canonical_unit_name_vi,
        family_units.unit_name_en as canonical_unit_name_en,
        case
            when groups.unit_family = 'money'
                then money_canonical_units.canonical_unit_vnd
        end as canonical_unit_vnd,
        case
            when groups.unit_family = 'money'
                then money_canonical_units.canonical_unit_usd
        end as canonical_unit_usd,
        groups.metric_kind,
        case groups.metric_kind
            when 'F' then 'flow'
            when 'S' then 'stock'
            when 'R' then 'rate'
        end as metric_kind_name,
        case groups.metric_kind
            when 'F' then 'luồng (cộng dồn theo tháng)'
            when 'S' then 'tồn (số cuối tháng)'
            when 'R' then 'tỷ lệ, bình quân'
        end as metric_kind_name_vi,
        groups.metric_level,
        groups.metric_level = 'E' as is_enterprise_level,
        groups.is_by_board,
        groups.is_by_district,
        groups.agg_over_zones,
        groups.agg_over_time,
        -- A rate is averaged weighted by the stock it is a rate of (income per worker).
        case
            when groups.metric_code = 'lab_avg_income' then 'lab_workers'
        end as weight_metric_code,
        -- Flows come as month or ytd values; the warehouse derives the other one.
        groups.metric_kind = 'F' as is_ytd_derivable
    from groups
    -- Non-money families are named after their one unit (PROJECT, HA, ...).
    left join units as family_units
        on groups.unit_family = family_units.unit_code
    cross join money_canonical_units

)

select * from final
