with

source as (

    select * from {{ source('kcn_raw', 'enterprises') }}

),

final as (

    select
        version_id,
        file_name,
        row_number,
        tax_code,
        enterprise_name,
        enterprise_name_key,
        zone_code,
        ownership,
        investor_country,
        nullif(vsic_code, '') as vsic_code,
        status as enterprise_status
    from source

)

select * from final
