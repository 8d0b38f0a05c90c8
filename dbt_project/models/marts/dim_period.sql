-- Month calendar 2000-01 .. 2030-12, labelled in Vietnamese and English, with the month of
-- Tết (the lunar new year, from the tet_dates seed): January and February figures swing
-- with it, so "same month last year" comparisons around it need the flag.
with

months as (

    select month_start::date as month_start
    from
        generate_series(
            '2000-01-01'::date,
            '2030-12-01'::date,
            interval '1 month'
        ) as series (month_start)

),

tet_dates as (

    select * from {{ ref('tet_dates') }}

),

parts as (

    select
        month_start,
        extract(year from month_start)::integer as year_number,
        extract(quarter from month_start)::integer as quarter_number,
        extract(month from month_start)::integer as month_number
    from months

),

final as (

    select
        parts.year_number * 100 + parts.month_number as period_key,
        to_char(parts.month_start, 'YYYY-MM') as period,
        parts.month_start,
        (parts.month_start + interval '1 month' - interval '1 day')::date as month_end,
        parts.year_number as year,
        parts.quarter_number as quarter,
        case when parts.month_number <= 6 then 1 else 2 end as half,
        parts.month_number as month,
        'Tháng ' || parts.month_number as month_name_vi,
        -- FM drops the blank padding; 'Month' (without TM) is always English.
        to_char(parts.month_start, 'FMMonth') as month_name_en,
        'Tháng ' || parts.month_number || '/' || parts.year_number as period_label_vi,
        to_char(parts.month_start, 'FMMonth YYYY') as period_label_en,
        'Quý ' || parts.quarter_number || '/' || parts.year_number as quarter_label_vi,
        'Q' || parts.quarter_number || ' ' || parts.year_number as quarter_label_en,
        case
            when parts.month_number <= 6 then '6 tháng đầu năm ' || parts.year_number
            else '6 tháng cuối năm ' || parts.year_number
        end as half_label_vi,
        'H' || case when parts.month_number <= 6 then 1 else 2 end || ' ' || parts.year_number
            as half_label_en,
        'Năm ' || parts.year_number as year_label_vi,
        -- The way reports name a year-to-date figure: "lũy kế 5 tháng đầu năm 2022".
        case
            when parts.month_number = 12 then 'Cả năm ' || parts.year_number
            else 'Lũy kế ' || parts.month_number || ' tháng đầu năm ' || parts.year_number
        end as ytd_label_vi,
        case
            when parts.month_number = 12 then 'Full year ' || parts.year_number
            else
                to_char(parts.month_start, 'FMMon') || ' YTD ' || parts.year_number
        end as ytd_label_en,
        (parts.year_number - 1) * 100 + parts.month_number as same_period_last_year_key,
        to_char(parts.month_start - interval '1 month', 'YYYYMM')::integer
            as previous_period_key,
        tet_dates.tet_date,
        tet_dates.lunar_year_name_vi,
        date_trunc('month', tet_dates.tet_date)::date = parts.month_start as is_tet_month
    from parts
    left join tet_dates
        on parts.year_number = tet_dates.lunar_year

)

select * from final
