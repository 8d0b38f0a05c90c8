{#
    Post-hook: ANALYZE a table dbt has just built, so that the next models' joins are planned
    with statistics (without them PostgreSQL plans nested loops). Not after an incremental
    run that added a few months to a big table: ANALYZE samples the whole table, which would
    make every run cost in proportion to the history, and the statistics of a table that
    grew by a month are still right (autovacuum refreshes them in time). An incremental
    table was built from scratch in this run when it holds no row loaded before the run.
#}
{% macro analyze_after_build() -%}
    {%- if config.get('materialized') == 'view' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if config.get('materialized') == 'incremental' and execute -%}
        {%- set query -%}
            select exists (
                select 1 from {{ this }}
                where loaded_at < '{{ run_started_at.isoformat() }}'::timestamptz
            )
        {%- endset -%}
        {%- if run_query(query).columns[0].values()[0] -%}
            {{ return('') }}
        {%- endif -%}
    {%- endif -%}
    {{ return('analyze ' ~ this) }}
{%- endmacro %}
