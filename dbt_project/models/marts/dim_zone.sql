-- Zones as a type 2 slowly changing dimension: one row per zone and province interval
-- (the 2025-07-01 merger moved every KCN-ND-* and KCN-HNA-* zone into Ninh Bình).
with

zones as (

    select * from {{ ref('stg_kcn_ref__zones') }}

),

zone_provinces as (

    select * from {{ ref('stg_kcn_ref__zone_provinces') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

final as (

    select
        -- Derived from the natural key, so rebuilding the table keeps every key stable.
        md5(zone_provinces.zone_code || '|' || zone_provinces.valid_from::text) as zone_key,
        zone_provinces.zone_code,
        zones.zone_name_vi,
        zones.zone_name_en,
        zones.aliases_vi,
        zones.zone_status,
        zone_provinces.province_code,
        provinces.province_name_vi,
        provinces.province_name_en,
        zone_provinces.valid_from,
        zone_provinces.valid_to,
        zone_provinces.valid_to is null as is_current
    from zone_provinces
    inner join zones
        on zone_provinces.zone_code = zones.zone_code
    left join provinces
        on zone_provinces.province_code = provinces.province_code

)

select * from final
