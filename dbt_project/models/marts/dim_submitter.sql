with

submitters as (

    select * from {{ ref('stg_kcn_ref__submitters') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

final as (

    select
        submitters.submitter_code,
        submitters.submitter_name_vi,
        submitters.submitter_name_en,
        submitters.submitter_type,
        submitters.province_code,
        provinces.province_name_vi,
        provinces.province_name_en,
        submitters.district_vi,
        submitters.valid_from,
        submitters.valid_to,
        submitters.valid_to is null as is_current
    from submitters
    left join provinces
        on submitters.province_code = provinces.province_code

)

select * from final
