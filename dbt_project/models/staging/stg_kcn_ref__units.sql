with

source as (

    select * from {{ source('kcn_ref', 'units') }}

),

final as (

    select
        unit_code,
        name_vi as unit_name_vi,
        name_en as unit_name_en,
        family as unit_family,
        nullif(currency, '') as currency,
        canonical_unit,
        -- numeric, not float: scaling must be exact (1178.5 VND_MN is 1.1785 VND_BN).
        factor_to_canonical::numeric as factor_to_canonical
    from source

)

select * from final
