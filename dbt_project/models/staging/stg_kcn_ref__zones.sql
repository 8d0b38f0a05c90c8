with

source as (

    select * from {{ source('kcn_ref', 'zones') }}

),

final as (

    select
        zone_code,
        name_vi as zone_name_vi,
        name_en as zone_name_en,
        nullif(aliases_vi, '') as aliases_vi,
        status as zone_status
    from source

)

select * from final
