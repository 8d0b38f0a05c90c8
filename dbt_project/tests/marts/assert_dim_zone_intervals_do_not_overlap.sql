-- Two rows of one zone valid on the same day would give a fact row two zone_keys.
with

zones as (

    select * from {{ ref('dim_zone') }}

),

final as (

    select
        earlier.zone_code,
        earlier.valid_from as earlier_valid_from,
        later.valid_from as later_valid_from
    from zones as earlier
    inner join zones as later
        on
            earlier.zone_code = later.zone_code
            and earlier.valid_from < later.valid_from
            and (earlier.valid_to is null or earlier.valid_to >= later.valid_from)

)

select * from final
