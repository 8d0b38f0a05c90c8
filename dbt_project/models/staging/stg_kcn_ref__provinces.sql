with

source as (

    select * from {{ source('kcn_ref', 'provinces') }}

),

final as (

    select
        province_code,
        name_vi as province_name_vi,
        name_en as province_name_en,
        {{ validity_dates() }}
    from source

)

select * from final
