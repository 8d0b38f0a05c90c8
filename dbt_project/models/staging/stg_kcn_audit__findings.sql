with

source as (

    select * from {{ source('kcn_audit', 'finding') }}

),

final as (

    select
        finding_id,
        version_id,
        rule_id,
        severity,
        file_name,
        row_number,
        column_name,
        value as offending_value,
        message_vi,
        message_en
    from source

)

select * from final
