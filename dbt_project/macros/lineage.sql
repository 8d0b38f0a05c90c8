{#
    Lineage: every row of a reporting relation has a row_key, and reporting.rpt_figure_lineage
    maps (relation_name, row_key) to the versions, files and rows behind it. Both build the key
    with these macros, from the relation's grain columns, so a BI tool or the monthly report
    joins one relation on two columns.
#}

{#- The grain of a figure of fct_indicator_values, in key order. -#}
{% macro lineage_figure_grain() -%}
    {{ return([
        'period', 'submitter_code', 'zone_code', 'enterprise_tax_code', 'metric_code', 'currency',
    ]) }}
{%- endmacro %}


{#- The grain columns of each reporting relation, in key order. -#}
{% macro lineage_key_columns(relation_name) -%}
    {%- set figure = lineage_figure_grain() -%}
    {%- set columns = {
        'rpt_indicators_monthly': figure,
        'rpt_plan_vs_actual': figure,
        'rpt_investment_monthly': ['period', 'submitter_code', 'zone_code'],
        'rpt_land_labour_monthly': ['period', 'submitter_code', 'zone_code'],
        'rpt_province_monthly': [
            'period', 'province_basis', 'province_code', 'metric_code', 'currency',
        ],
        'rpt_zone_reconciliation': ['period', 'submitter_code', 'metric_code', 'currency'],
        'rpt_plan_targets': ['target_id', 'period'],
        'rpt_completeness_submitter_monthly': ['submitter_code', 'period'],
        'rpt_completeness_province_monthly': ['province_code', 'period'],
        'rpt_completeness_national_monthly': ['period'],
    } -%}
    {%- if relation_name not in columns -%}
        {{ exceptions.raise_compiler_error("lineage_key_columns: no relation " ~ relation_name) }}
    {%- endif -%}
    {{ return(columns[relation_name]) }}
{%- endmacro %}


{#- The row key of a reporting row: its grain columns as text joined by '|', a null as the
    empty string ('2021-06|BQL-ND|||biz_industrial_output|'). `prefix`: the relation alias
    the columns are read from. -#}
{% macro lineage_row_key(relation_name, prefix='') -%}
    {%- set columns = lineage_key_columns(relation_name) -%}
    concat_ws('|', {% for column in columns -%}
        coalesce({{ prefix ~ '.' if prefix }}{{ column }}::text, '')
        {{- ', ' if not loop.last }}
    {%- endfor %})
{%- endmacro %}


{#- The figure columns of rpt_figure_lineage read from `figures` (a relation with the grain
    of fct_indicator_values): its grain, the period named figure_period. -#}
{% macro lineage_figure_columns(figures) -%}
    {%- for column in lineage_figure_grain() %}
        {{ figures }}.{{ column }}{{ ' as figure_period' if column == 'period' }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- The start of one branch of rpt_figure_lineage's figure links: each row of `rows` (the
    reporting relation `relation_name`, by its row_key and period) with the figure columns of
    `figures`. The branch of an aggregated relation goes on with the join that picks its
    figures. -#}
{% macro lineage_figure_links(relation_name, rows, figures) -%}
    select
        '{{ relation_name }}' as relation_name,
        {{ rows }}.row_key,
        {{ rows }}.period,
        {{- lineage_figure_columns(figures) }}
    from {{ rows }}
{%- endmacro %}
