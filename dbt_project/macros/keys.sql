{#
    Declared keys, so that a BI tool finds the joins on its own (Metabase, Superset and
    Power BI read them from the catalogue).

    - A dimension names its primary key in its YAML: config: meta: primary_key: [column].
      A post-hook of the dimension declares it, in the transaction that builds it.
    - Every other marts and reporting table gets a foreign key from each column named as a
      dimension's key (period_key, metric_code, submitter_code, zone_key, enterprise_key) to
      that dimension, added NOT VALID (the rows were tested by dbt's relationships tests;
      PostgreSQL checks the rows inserted later). Rebuilding a table, or a dimension, drops
      the foreign keys of the table it replaces; at the end of every dbt run one hook adds
      back every missing key, those of tables the run did not build included. At the end,
      because adding a foreign key locks the dimension, and models doing so in their own
      transactions while another thread dropped a replaced table deadlocked.
#}
{% macro dimension_keys() -%}
    {{ return({
        'period_key': 'dim_period',
        'metric_code': 'dim_metric',
        'submitter_code': 'dim_submitter',
        'zone_key': 'dim_zone',
        'enterprise_key': 'dim_enterprise',
    }) }}
{%- endmacro %}


{% macro declare_primary_key() -%}
    {%- if not execute or config.get('materialized') == 'view' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- set primary_key = config.get('meta', {}).get('primary_key') -%}
    {%- if primary_key -%}
        {%- set name = this.identifier ~ '_pkey' -%}
        {#- The table this one replaces still holds the index of that name until dbt drops
            it after the commit: it gives the name up first. -#}
        {%- set holder = run_query(
            "select c.relname, t.relname from pg_constraint as k"
            ~ " join pg_class as c on k.conindid = c.oid join pg_class as t on k.conrelid = t.oid"
            ~ " where k.connamespace = '" ~ this.schema ~ "'::regnamespace and k.conname = '" ~ name ~ "'"
        ).rows -%}
        {%- if holder | length == 0 or holder[0][1] != this.identifier -%}
            {%- if holder | length > 0 -%}
                {%- do statements.append(
                    'alter table ' ~ this.schema ~ '.' ~ holder[0][1] ~ ' rename constraint '
                    ~ name ~ ' to ' ~ holder[0][1] ~ '_pkey') -%}
            {%- endif -%}
            {%- do statements.append(
                'alter table ' ~ this ~ ' add constraint ' ~ name
                ~ ' primary key (' ~ primary_key | join(', ') ~ ')') -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}


{% macro declare_foreign_keys() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set dimensions = [] -%}
    {%- for column, dimension in dimension_keys().items() -%}
        {%- do dimensions.append("('" ~ column ~ "', '" ~ dimension ~ "')") -%}
    {%- endfor -%}
    {#- Each column of a marts or reporting table named as a dimension's key whose foreign key
        is missing, where the dimension has its primary key (dbt's own __dbt_tmp and
        __dbt_backup tables aside). -#}
    {%- set missing = run_query(
        "select schemas.nspname, tables.relname, columns.attname, keys.dimension"
        ~ " from (values " ~ dimensions | join(", ") ~ ") as keys (column_name, dimension)"
        ~ " inner join pg_attribute as columns"
        ~ " on columns.attname = keys.column_name and columns.attnum > 0"
        ~ " and not columns.attisdropped"
        ~ " inner join pg_class as tables"
        ~ " on columns.attrelid = tables.oid and tables.relkind = 'r'"
        ~ " and tables.relname <> keys.dimension"
        ~ " and position('__dbt_' in tables.relname) = 0"
        ~ " inner join pg_namespace as schemas"
        ~ " on tables.relnamespace = schemas.oid and schemas.nspname in ('marts', 'reporting')"
        ~ " inner join pg_constraint as primary_keys"
        ~ " on primary_keys.contype = 'p'"
        ~ " and primary_keys.conrelid = to_regclass('marts.' || keys.dimension)"
        ~ " where not exists (select 1 from pg_constraint as foreign_keys"
        ~ " where foreign_keys.conrelid = tables.oid"
        ~ " and foreign_keys.conname = 'fk_' || tables.relname || '_' || columns.attname"
        ~ " and foreign_keys.confrelid = primary_keys.conrelid)"
        ~ " order by 1, 2, 3"
    ).rows -%}
    {%- set statements = [] -%}
    {%- for schema, table, column, dimension in missing -%}
        {%- set fk_name = 'fk_' ~ table ~ '_' ~ column -%}
        {%- do statements.append(
            'alter table ' ~ schema ~ '.' ~ table ~ ' drop constraint if exists ' ~ fk_name) -%}
        {%- do statements.append(
            'alter table ' ~ schema ~ '.' ~ table ~ ' add constraint ' ~ fk_name
            ~ ' foreign key (' ~ column ~ ') references marts.' ~ dimension ~ ' not valid') -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
