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
