{#
    Use the custom schema name as it is (staging, intermediate, marts) instead of dbt's
    default "<target_schema>_<custom>": the warehouse has one set of schemas per database,
    and each environment (dev, test, prod) is its own database.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
