with

source as (

    select * from {{ source('kcn_ref', 'zone_districts') }}

),

final as (

    select
        zone_code,
        district_vi,
        -- Only Hà Nội's districts submit; the other provinces' districts have no submitter.
        nullif(submitter_code, '') as submitter_code,
        {{ validity_dates() }}
    from source

)

select * from final
