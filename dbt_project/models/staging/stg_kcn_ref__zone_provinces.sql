with

source as (

    select * from {{ source('kcn_ref', 'zone_provinces') }}

),

final as (

    select
        zone_code,
        province_code,
        {{ validity_dates() }}
    from source

)

select * from final
