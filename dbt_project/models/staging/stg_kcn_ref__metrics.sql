with

source as (

    select * from {{ source('kcn_ref', 'metrics') }}

),

final as (

    select
        metric_code,
        name_vi as metric_name_vi,
        name_en as metric_name_en,
        unit_family,
        kind as metric_kind,
        level as metric_level,
        by_board::boolean as is_by_board,
        by_district::boolean as is_by_district,
        agg_over_zones,
        agg_over_time
    from source

)

select * from final
