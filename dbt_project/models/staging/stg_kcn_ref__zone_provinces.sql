with

source as (

    select * from {{ source('kcn_ref', 'zone_provinces') }}

),

final as (

    select
        zone_code,
        province_code,
        valid_from::date as valid_from,
        nullif(valid_to, '')::date as valid_to
    from source

)

select * from final
