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
        valid_from::date as valid_from,
        nullif(valid_to, '')::date as valid_to
    from source

)

select * from final
