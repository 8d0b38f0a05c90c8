-- Zone to district, many to many, with validity (districts were abolished on 2025-07-01).
with

zone_districts as (

    select * from {{ ref('stg_kcn_ref__zone_districts') }}

),

final as (

    select
        zone_code,
        district_vi,
        submitter_code as district_submitter_code,
        valid_from,
        valid_to,
        valid_to is null as is_current
    from zone_districts

)

select * from final
