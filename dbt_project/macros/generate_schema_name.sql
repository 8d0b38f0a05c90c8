{#
    Use the custom schema name as it is (staging, intermediate, marts, reporting, seeds)
    instead of dbt's default "<target_schema>_<custom>": the warehouse has one set of
    schemas per database, and each environment (dev, test, prod) is its own database.
    An unknown name for a model, seed or snapshot fails the parse, so a typo cannot create
    a stray schema (tests keep dbt's own audit schema for stored failures).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set known_schemas = ['staging', 'intermediate', 'marts', 'reporting', 'seeds'] -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif custom_schema_name | trim in known_schemas
        or node.resource_type not in ['model', 'seed', 'snapshot'] -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "unknown schema '" ~ custom_schema_name ~ "' for " ~ node.unique_id
            ~ "; expected one of " ~ known_schemas | join(', ')) }}
    {%- endif -%}
{%- endmacro %}
