{#
    The reporting deadline: a month's submissions are on time until 23:59 (Asia/Ho_Chi_Minh)
    on the late day of the following month. The late day has one definition,
    kcn.period.DEFAULT_LATE_DAY (KCN_LATE_DAY in kcn.settings); kcn.transform.dbt_command
    hands it to dbt as KCN_DBT_LATE_DAY, so dbt has no second copy of it.
#}
{% macro late_day() -%}
    {{ env_var('KCN_DBT_LATE_DAY') | int }}
{%- endmacro %}


{#- The last moment on time for the month starting at the date `period_start` (as
    kcn.period.deadline computes it). -#}
{% macro reporting_deadline(period_start) -%}
    (
        ({{ period_start }} + interval '1 month' + ({{ late_day() }} - 1) * interval '1 day')::timestamp
        + interval '1 day' - interval '1 microsecond'
    ) at time zone 'Asia/Ho_Chi_Minh'
{%- endmacro %}


{#- The DHIS2 measures of a group of fct_reporting_completeness rows (`relation`): counts
    over the reports that were expected (a version sent for a month not owed counts nowhere
    here), the reporting rate (actual / expected) and the on-time rate (on time / expected),
    in percent. -#}
{% macro completeness_measures(relation) -%}
    sum({{ relation }}.expected) as expected,
    sum({{ relation }}.actual * {{ relation }}.expected) as actual,
    sum({{ relation }}.on_time * {{ relation }}.expected) as on_time,
    sum({{ relation }}.rejected_only * {{ relation }}.expected) as rejected_only,
    sum({{ relation }}.missing) as missing,
    round(
        100.0 * sum({{ relation }}.actual * {{ relation }}.expected)
        / nullif(sum({{ relation }}.expected), 0),
        2
    ) as reporting_rate,
    round(
        100.0 * sum({{ relation }}.on_time * {{ relation }}.expected)
        / nullif(sum({{ relation }}.expected), 0),
        2
    ) as on_time_rate,
    max({{ relation }}.days_late) as max_days_late
{%- endmacro %}


{#- The columns report_status_vi and report_status_en: where one fct_reporting_completeness
    row (`relation`) stands, the first of its flags that is set, else not due. -#}
{% macro report_status_columns(relation) -%}
    {%- set statuses = [
        ('on_time', 'Đúng hạn', 'On time'),
        ('actual', 'Trễ hạn', 'Late'),
        ('rejected_only', 'Bị từ chối, chưa gửi lại', 'Rejected, not resent'),
        ('missing', 'Chưa gửi', 'Not received'),
    ] -%}
    {%- for language, not_due in [('vi', 'Không phải gửi'), ('en', 'Not due')] %}
        case
            {%- for flag, label_vi, label_en in statuses %}
            when {{ relation }}.{{ flag }} = 1
                then '{{ label_vi if language == 'vi' else label_en }}'
            {%- endfor %}
            else '{{ not_due }}'
        end as report_status_{{ language }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
