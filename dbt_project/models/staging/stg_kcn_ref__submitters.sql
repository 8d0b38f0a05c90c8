with

source as (

    select * from {{ source('kcn_ref', 'submitters') }}

),

final as (

    select
        submitter_code,
        name_vi as submitter_name_vi,
        name_en as submitter_name_en,
        submitter_type,
        province_code,
        nullif(district_vi, '') as district_vi,
        {{ validity_dates() }}
    from source

)

select * from final
