-- Completeness and timeliness per submitter and month (marts.fct_reporting_completeness),
-- labelled in Vietnamese and English for BI tools and the monthly report.
-- Grain: (submitter_code, period).
with

completeness as (

    select * from {{ ref('fct_reporting_completeness') }}

),

submitters as (

    select * from {{ ref('dim_submitter') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

final as (

    select
        completeness.period_key,
        completeness.period,
        completeness.period_start,
        periods.period_label_vi,
        periods.period_label_en,
        completeness.submitter_code,
        submitters.submitter_name_vi,
        submitters.submitter_name_en,
        completeness.submitter_type,
        submitters.submitter_type_vi,
        completeness.province_code,
        submitters.province_name_vi,
        submitters.province_name_en,
        submitters.district_vi,
        completeness.deadline_at,
        completeness.expected,
        completeness.actual,
        completeness.on_time,
        completeness.rejected_only,
        completeness.missing,
        {%- for count, rate in [('actual', 'reporting_rate'), ('on_time', 'on_time_rate')] %}
            case
                when completeness.expected = 0 then null
                else 100.0 * completeness.{{ count }}
            end as {{ rate }},
        {%- endfor %}
        {{- report_status_columns('completeness') }},
        completeness.versions_received,
        completeness.versions_accepted,
        completeness.versions_rejected,
        completeness.first_received_at,
        completeness.first_accepted_received_at,
        completeness.days_late,
        completeness.in_force_version_id
    from completeness
    left join submitters
        on completeness.submitter_code = submitters.submitter_code
    left join periods
        on completeness.period_key = periods.period_key

)

select
    *,
    -- Lineage: reporting.rpt_figure_lineage holds this row's versions, files and rows.
    {{ lineage_row_key('rpt_completeness_submitter_monthly') }} as row_key
from final
