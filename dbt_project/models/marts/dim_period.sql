-- Month calendar 2000-01 .. 2030-12, labelled in Vietnamese and English.
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
        year_number * 100 + month_number as period_key,
        to_char(month_start, 'YYYY-MM') as period,
        month_start,
        (month_start + interval '1 month' - interval '1 day')::date as month_end,
        year_number as year,
        quarter_number as quarter,
        case when month_number <= 6 then 1 else 2 end as half,
        month_number as month,
        'Tháng ' || month_number as month_name_vi,
        -- FM drops the blank padding; 'Month' (without TM) is always English.
        to_char(month_start, 'FMMonth') as month_name_en,
        'Quý ' || quarter_number || '/' || year_number as quarter_label_vi,
        'Q' || quarter_number || ' ' || year_number as quarter_label_en
    from parts

)

select * from final
