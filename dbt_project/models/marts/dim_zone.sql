-- Zones as a type 2 slowly changing dimension: a new row whenever a zone's province or its
-- set of districts changes. On 2025-07-01 every KCN-ND-* and KCN-HNA-* zone moved into
-- Ninh Bình and the district level was abolished, so every zone has a row from that date.
-- Each row also carries the zone's current province (type 1): "province as it is now".
with

zones as (

    select * from {{ ref('stg_kcn_ref__zones') }}

),

zone_provinces as (

    select * from {{ ref('stg_kcn_ref__zone_provinces') }}

),

zone_districts as (

    select * from {{ ref('stg_kcn_ref__zone_districts') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

areas as (

    select * from {{ ref('int_zone_areas') }}

),

-- Each zone's time in a province, with the province's names: the province of each row and
-- the province now.
named_zone_provinces as (

    select
        zone_provinces.zone_code,
        zone_provinces.province_code,
        zone_provinces.valid_from,
        zone_provinces.valid_to,
        provinces.province_name_vi,
        provinces.province_name_en
    from zone_provinces
    left join provinces
        on zone_provinces.province_code = provinces.province_code

),

-- Every date on which something about a zone starts or stops being true.
change_points as (

    select
        zone_code,
        valid_from as change_date
    from zone_provinces
    union
    select
        zone_code,
        valid_to + 1 as change_date
    from zone_provinces
    where valid_to is not null
    union
    select
        zone_code,
        valid_from as change_date
    from zone_districts
    union
    select
        zone_code,
        valid_to + 1 as change_date
    from zone_districts
    where valid_to is not null

),

intervals as (

    select
        zone_code,
        change_date as valid_from,
        lead(change_date) over (
            partition by zone_code order by change_date
        ) - 1 as valid_to
    from change_points

),

interval_provinces as (

    select
        intervals.zone_code,
        intervals.valid_from,
        intervals.valid_to,
        named_zone_provinces.province_code,
        named_zone_provinces.province_name_vi,
        named_zone_provinces.province_name_en
    from intervals
    inner join named_zone_provinces
        on
            intervals.zone_code = named_zone_provinces.zone_code
            and {{ valid_on('named_zone_provinces', 'intervals.valid_from') }}

),

interval_districts as (

    select
        intervals.zone_code,
        intervals.valid_from,
        string_agg(zone_districts.district_vi, ', ' order by zone_districts.district_vi)
            as district_names_vi,
        count(*) as district_count
    from intervals
    inner join zone_districts
        on
            intervals.zone_code = zone_districts.zone_code
            and {{ valid_on('zone_districts', 'intervals.valid_from') }}
    group by
        intervals.zone_code,
        intervals.valid_from

),

current_provinces as (

    select
        zone_code,
        province_code,
        province_name_vi,
        province_name_en
    from named_zone_provinces
    where valid_to is null

),

-- Area as last reported (type 1): reference data holds no areas, the boards report them.
latest_areas as (

    select
        zone_code,
        max(value_canonical) filter (where metric_code = 'lnd_total_area')
            as total_area_ha,
        max(value_canonical) filter (where metric_code = 'lnd_industrial_area')
            as industrial_area_ha,
        max(period) as area_period
    from areas
    group by zone_code

),

final as (

    select
        -- Derived from the natural key, so rebuilding the table keeps every key stable.
        md5(interval_provinces.zone_code || '|' || interval_provinces.valid_from::text)
            as zone_key,
        interval_provinces.zone_code,
        zones.zone_name_vi,
        zones.zone_name_en,
        -- "KCN Hòa Xá" -> "Hòa Xá": the prefix is the zone type, not part of the name.
        regexp_replace(zones.zone_name_vi, '^(KCN|Khu công nghiệp)\s+', '')
            as zone_short_name_vi,
        zones.aliases_vi,
        zones.zone_status,
        interval_provinces.province_code,
        interval_provinces.province_name_vi,
        interval_provinces.province_name_en,
        current_provinces.province_code as province_code_now,
        current_provinces.province_name_vi as province_name_now_vi,
        current_provinces.province_name_en as province_name_now_en,
        interval_districts.district_names_vi,
        coalesce(interval_districts.district_count, 0) as district_count,
        latest_areas.total_area_ha,
        latest_areas.industrial_area_ha,
        latest_areas.area_period,
        interval_provinces.valid_from,
        interval_provinces.valid_to,
        interval_provinces.valid_to is null as is_current
    from interval_provinces
    inner join zones
        on interval_provinces.zone_code = zones.zone_code
    left join current_provinces
        on interval_provinces.zone_code = current_provinces.zone_code
    left join interval_districts
        on
            interval_provinces.zone_code = interval_districts.zone_code
            and interval_provinces.valid_from = interval_districts.valid_from
    left join latest_areas
        on interval_provinces.zone_code = latest_areas.zone_code

)

select * from final
