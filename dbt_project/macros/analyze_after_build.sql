{#
    Post-hook: ANALYZE a table dbt has just built, so that the next models' joins are planned
    with statistics: without them PostgreSQL takes months it has never seen for rare and
    joins them by nested loops. An incremental table is analyzed only when this run wrote a
    tenth of it or more (built from scratch, or a backfill): ANALYZE samples the whole
    table, so analyzing after every month would make each run cost in proportion to the
    history, and the statistics of a table that grew by one month in ten years still hold
    (autovacuum refreshes them in time).
#}
{% macro analyze_after_build() -%}
    {%- if config.get('materialized') == 'view' -%}
        {{ return('') }}
    {%- endif -%}
    {%- if config.get('materialized') == 'incremental' and execute -%}
        {%- set query -%}
            select
                (
                    select count(*) from {{ this }}
                    where loaded_at >= {{ run_loaded_at() }}
                ) as written,
                (select reltuples from pg_class where oid = '{{ this }}'::regclass) as known
        {%- endset -%}
        {%- set row = run_query(query).rows[0] -%}
        {%- if row[1] > 0 and row[0] * 10 < row[1] -%}
            {{ return('') }}
        {%- endif -%}
    {%- endif -%}
    {{ return('analyze ' ~ this) }}
{%- endmacro %}
