-- Text stays text here: rows of rejected versions may hold anything, so values are cast
-- only in int_indicators_in_force, after the in-force filter.
with

source as (

    select * from {{ source('kcn_raw', 'indicators') }}

),

final as (

    select
        version_id,
        file_name,
        row_number,
        submitter_code,
        period,
        nullif(zone_code, '') as zone_code,
        nullif(enterprise_tax_code, '') as enterprise_tax_code,
        metric_code,
        value_kind,
        period_basis,
        value as value_text,
        value_as_text as is_value_read_from_text,
        unit as unit_code,
        nullif(note, '') as note
    from source

)

select * from final
