{#
    Labels and joins the reporting marts share, so that every rpt_* model says the same thing
    the same way.
#}

{#- SDMX-style observation status (A, P, E) in Vietnamese or English. -#}
{% macro obs_status_label(column, language) -%}
    {%- if language == 'vi' -%}
        case {{ column }}
            when 'A' then 'Chính thức' when 'P' then 'Sơ bộ' when 'E' then 'Ước tính'
        end
    {%- else -%}
        case {{ column }}
            when 'A' then 'Normal' when 'P' then 'Provisional' when 'E' then 'Estimated'
        end
    {%- endif -%}
{%- endmacro %}


{#- The body of a CTE giving each submitter's province as it is now: that of its successor
    board when it has one (BQL-ND, BQL-HNA -> BQL-NB), else its own. An all-zones figure is
    its submitter's province. `submitters`: a relation shaped like dim_submitter. -#}
{% macro submitter_provinces_now(submitters) -%}
    select
        {{ submitters }}.submitter_code,
        coalesce(successors.province_code, {{ submitters }}.province_code) as province_code_now
    from {{ submitters }}
    left join {{ submitters }} as successors
        on {{ submitters }}.successor_submitter_code = successors.submitter_code
{%- endmacro %}


{#- The label columns rpt_indicators_monthly gives every figure, in its order: the month, the
    submitter, the zone, the province as it was and as it is now. The reporting tables built
    on it select (and group by) them with this list, so all of them say the same thing in the
    same order. `exclude`: the columns a table leaves out. -#}
{% macro rpt_label_columns(exclude=[]) -%}
    {%- set columns = [
        'period_key', 'period', 'period_start', 'year', 'month',
        'period_label_vi', 'period_label_en', 'ytd_label_vi', 'ytd_label_en',
        'submitter_code', 'submitter_name_vi', 'submitter_name_en',
        'is_all_zones', 'figure_level', 'zone_code', 'zone_name_vi', 'zone_name_en',
        'province_code', 'province_name_vi', 'province_name_en',
        'province_code_now', 'province_name_now_vi', 'province_name_now_en',
    ] -%}
    {%- for column in exclude if column not in columns -%}
        {{ exceptions.raise_compiler_error("rpt_label_columns: no label column " ~ column) }}
    {%- endfor -%}
    {%- for column in columns if column not in exclude %}
        {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The rows of one level of a mixed-level reporting table (rpt_indicators_monthly's
    all-zones, zone, enterprise and district figures; rpt_province_monthly's two bases):
    what BI readers read, one grain per table, so that the obvious sum is right. Incremental
    by month like its base (whose loaded_at it keeps). -#}
{% macro one_level(base, column, value) -%}
    {%- set changed = changed_periods(base) %}
    select * from {{ base }}
    where
        {{ column }} = '{{ value }}'
        and {{ period_filter('period', changed) }}
{%- endmacro %}

