-- Published plan targets against the actual to date (fct_plan_targets), labelled in
-- Vietnamese and English for BI tools: the month, the window, the province as it was and
-- as it is now, the submitter, the measure, the kind of bound, the status and why an actual
-- is missing; with the article each target comes from and its wording.
-- Grain: (target_id, period), as fct_plan_targets.
--
-- A table rebuilt on every run, not incremental: it reads fct_plan_targets and small tables.
{{ config(materialized='table') }}

with

plan_targets as (

    select * from {{ ref('fct_plan_targets') }}

),

targets as (

    select * from {{ ref('plan_targets') }}

),

measures as (

    select * from {{ ref('plan_target_measures') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

submitters as (

    select * from {{ ref('dim_submitter') }}

),

provinces as (

    select * from {{ ref('stg_kcn_ref__provinces') }}

),

-- A target's province now: that of its submitter's successor board (Nam Định -> Ninh Bình).
submitter_provinces_now as (

    {{ submitter_provinces_now('submitters') }}

),

final as (

    select
        plan_targets.target_id,
        plan_targets.period_key,
        plan_targets.period,
        periods.month_start as period_start,
        periods.year,
        periods.month,
        periods.period_label_vi,
        periods.period_label_en,
        -- What the actual covers: the month's end for a stock, the year to date within one
        -- year, else from the window's first month.
        case
            when plan_targets.metric_kind = 'S' then periods.period_label_vi
            when first_periods.year = periods.year then periods.ytd_label_vi
            else
                'Lũy kế từ ' || lower(first_periods.period_label_vi) || ' đến '
                || lower(periods.period_label_vi)
        end as to_date_label_vi,
        case
            when plan_targets.metric_kind = 'S' then periods.period_label_en
            when first_periods.year = periods.year then periods.ytd_label_en
            else first_periods.period_label_en || ' to ' || periods.period_label_en
        end as to_date_label_en,
        plan_targets.first_month,
        plan_targets.last_month,
        case
            when last_periods.month <> 12
                then
                    'Từ ' || lower(first_periods.period_label_vi) || ' đến '
                    || lower(last_periods.period_label_vi)
            when first_periods.year = last_periods.year then last_periods.year_label_vi
            else 'Giai đoạn ' || first_periods.year || '–' || last_periods.year
        end as window_label_vi,
        case
            when last_periods.month <> 12
                then first_periods.period_label_en || ' to ' || last_periods.period_label_en
            when first_periods.year = last_periods.year then 'Year ' || last_periods.year
            else first_periods.year || '–' || last_periods.year
        end as window_label_en,
        plan_targets.is_window_end,
        plan_targets.province_code,
        provinces_then.province_name_vi,
        provinces_then.province_name_en,
        submitter_provinces_now.province_code_now,
        provinces_now.province_name_vi as province_name_now_vi,
        provinces_now.province_name_en as province_name_now_en,
        plan_targets.submitter_code,
        submitters.submitter_name_vi,
        submitters.submitter_name_en,
        plan_targets.scope,
        case plan_targets.scope
            when 'all_zones' then 'Tất cả các KCN' when 'whole_province' then 'Toàn tỉnh'
        end as scope_vi,
        case plan_targets.scope
            when 'all_zones' then 'All zones' when 'whole_province' then 'Whole province'
        end as scope_en,
        plan_targets.measure_code,
        coalesce(metrics.metric_name_vi, measures.measure_name_vi) as measure_name_vi,
        coalesce(metrics.metric_name_en, measures.measure_name_en) as measure_name_en,
        plan_targets.measure_basis,
        case plan_targets.measure_basis
            when 'catalogue' then 'Chỉ tiêu báo cáo'
            when 'derived' then 'Chỉ tiêu tính từ số liệu báo cáo'
            when 'not_received' then 'Chỉ tiêu không được báo cáo'
        end as measure_basis_vi,
        case plan_targets.measure_basis
            when 'catalogue' then 'Reported metric'
            when 'derived' then 'Derived from reported metrics'
            when 'not_received' then 'Not reported'
        end as measure_basis_en,
        measures.definition as measure_definition,
        plan_targets.currency,
        plan_targets.unit,
        plan_targets.bound_kind,
        case plan_targets.bound_kind
            when 'point' then 'Một mức'
            when 'range' then 'Khoảng (từ ... đến ...)'
            when 'at_least' then 'Tối thiểu (trên ...)'
            when 'approx' then 'Xấp xỉ (khoảng ...)'
        end as bound_kind_vi,
        case plan_targets.bound_kind
            when 'point' then 'Single value'
            when 'range' then 'Range'
            when 'at_least' then 'At least'
            when 'approx' then 'Approximately'
        end as bound_kind_en,
        plan_targets.low_value,
        plan_targets.high_value,
        plan_targets.actual_to_date,
        plan_targets.pct_of_low,
        plan_targets.pct_of_high,
        plan_targets.remaining_to_low,
        plan_targets.remaining_to_high,
        plan_targets.target_status,
        case plan_targets.target_status
            when 'below' then 'Dưới chỉ tiêu'
            when 'within' then 'Trong khoảng chỉ tiêu'
            when 'above' then 'Vượt chỉ tiêu'
            when 'met' then 'Đã đạt'
            when 'not_yet_met' then 'Chưa đạt'
        end as target_status_vi,
        case plan_targets.target_status
            when 'below' then 'Below the target'
            when 'within' then 'Within the target'
            when 'above' then 'Above the target'
            when 'met' then 'Met'
            when 'not_yet_met' then 'Not yet met'
        end as target_status_en,
        plan_targets.no_actual_reason,
        case plan_targets.no_actual_reason
            when 'measure_not_received' then 'Chỉ tiêu không có trong số liệu báo cáo'
            when 'scope_not_received'
                then 'Chỉ tiêu của toàn tỉnh; kho dữ liệu chỉ nhận số liệu của các KCN'
            when 'rate_not_cumulated' then 'Chỉ tiêu tỷ lệ không cộng dồn được'
            when 'no_figures' then 'Chưa có số liệu của tháng'
            when 'gap' then 'Thiếu số liệu lũy kế của tháng'
            when 'fx_rate_missing' then 'Thiếu tỷ giá quy đổi của tháng'
            when 'year_total_missing' then 'Thiếu số liệu cả năm của một năm trước trong giai đoạn'
        end as no_actual_reason_vi,
        case plan_targets.no_actual_reason
            when 'measure_not_received' then 'The warehouse receives no figures for this measure'
            when 'scope_not_received'
                then 'A whole-province target; the warehouse receives the zones'' figures only'
            when 'rate_not_cumulated' then 'A rate does not add up over months'
            when 'no_figures' then 'No figures for the month'
            when 'gap' then 'A year-to-date figure of the month is missing'
            when 'fx_rate_missing' then 'No exchange rate for the month'
            when 'year_total_missing' then 'An earlier year of the window has no full-year figure'
        end as no_actual_reason_en,
        plan_targets.obs_status,
        {{ obs_status_label('plan_targets.obs_status', 'vi') }} as obs_status_vi,
        {{ obs_status_label('plan_targets.obs_status', 'en') }} as obs_status_en,
        plan_targets.figure_count,
        plan_targets.is_converted,
        plan_targets.fx_vnd_per_usd,
        plan_targets.fx_rate_date,
        plan_targets.fx_source_kind,
        plan_targets.fx_rates_used,
        targets.wording_vi,
        targets.published_on,
        targets.source_article,
        targets.seed_facts_row,
        targets.note
    from plan_targets
    inner join targets
        on plan_targets.target_id = targets.target_id
    left join measures
        on plan_targets.measure_code = measures.measure_code
    left join metrics
        on plan_targets.measure_code = metrics.metric_code
    left join periods
        on plan_targets.period_key = periods.period_key
    left join periods as first_periods
        on plan_targets.first_month = first_periods.period
    left join periods as last_periods
        on plan_targets.last_month = last_periods.period
    left join submitters
        on plan_targets.submitter_code = submitters.submitter_code
    left join submitter_provinces_now
        on plan_targets.submitter_code = submitter_provinces_now.submitter_code
    left join provinces as provinces_then
        on plan_targets.province_code = provinces_then.province_code
    left join provinces as provinces_now
        on submitter_provinces_now.province_code_now = provinces_now.province_code

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_plan_targets') }} as row_key
from final
