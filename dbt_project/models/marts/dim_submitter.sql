-- Boards and districts that submit, with their validity. District submitters end on
-- 2025-06-30 (the district level was abolished); the Nam Định and Hà Nam boards end then
-- too, and successor_submitter_code names the board that took over their zones (BQL-NB).
with

submitters as (

    select * from {{ ref('stg_kcn_ref__submitters') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

zone_provinces as (

    select * from {{ ref('stg_kcn_ref__zone_provinces') }}

),

-- A board that ended hands its zones to the board of the province they moved into.
successors as (

    select distinct
        ended_board.submitter_code,
        next_board.submitter_code as successor_submitter_code
    from submitters as ended_board
    inner join zone_provinces as old_province
        on
            ended_board.province_code = old_province.province_code
            and ended_board.valid_to = old_province.valid_to
    inner join zone_provinces as new_province
        on
            old_province.zone_code = new_province.zone_code
            and new_province.valid_from = old_province.valid_to + 1
    inner join submitters as next_board
        on
            new_province.province_code = next_board.province_code
            and next_board.submitter_type = 'board'
            and new_province.valid_from = next_board.valid_from
    where ended_board.submitter_type = 'board'

),

final as (

    select
        submitters.submitter_code,
        submitters.submitter_name_vi,
        submitters.submitter_name_en,
        submitters.submitter_type,
        case submitters.submitter_type
            when 'board' then 'Ban quản lý'
            when 'district' then 'UBND quận/huyện'
        end as submitter_type_vi,
        submitters.province_code,
        provinces.province_name_vi,
        provinces.province_name_en,
        submitters.district_vi,
        successors.successor_submitter_code,
        submitters.valid_from,
        submitters.valid_to,
        submitters.valid_to is null as is_current
    from submitters
    left join provinces
        on submitters.province_code = provinces.province_code
    left join successors
        on submitters.submitter_code = successors.submitter_code

)

select * from final
