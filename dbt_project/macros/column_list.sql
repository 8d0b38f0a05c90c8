{#- `columns` read from `relation`, separated by commas: one list for a select and its group
    by. -#}
{% macro column_list(relation, columns) -%}
    {%- for column in columns %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
