{#
    Post-hook of every marts and reporting table: declared keys, so that a BI tool finds the
    joins on its own (Metabase, Superset and Power BI read them from the catalogue).

    - A dimension names its primary key in its YAML: config: meta: primary_key: [column].
    - Every other table gets a foreign key from each column named as a dimension's key
      (period_key, metric_code, submitter_code, zone_key, enterprise_key) to that
      dimension. The keys are added NOT VALID (the rows were tested by dbt's relationships
      tests; PostgreSQL checks the rows inserted later). Rebuilding a dimension drops the
      foreign keys that pointed at its old table; each table adds its own back after its
      next build, which `dbt build` runs after the dimension's. (A dimension does not add
      them on the other tables itself: two models altering each other's tables in
      parallel threads deadlock.)
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


{% macro declare_keys() -%}
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
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- for column, dimension in dimension_keys().items()
        if column in columns and dimension != this.identifier -%}
        {%- set fk_name = 'fk_' ~ this.identifier ~ '_' ~ column -%}
        {%- set found = run_query(
            "select"
            ~ " exists (select 1 from pg_constraint where conrelid = '" ~ this ~ "'::regclass"
            ~ " and conname = '" ~ fk_name ~ "'"
            ~ " and confrelid = to_regclass('marts." ~ dimension ~ "')),"
            ~ " exists (select 1 from pg_constraint where contype = 'p'"
            ~ " and conrelid = to_regclass('marts." ~ dimension ~ "'))"
        ).rows[0] -%}
        {%- if not found[0] and found[1] -%}
            {%- do statements.append(
                'alter table ' ~ this ~ ' drop constraint if exists ' ~ fk_name) -%}
            {%- do statements.append(
                'alter table ' ~ this ~ ' add constraint ' ~ fk_name ~ ' foreign key ('
                ~ column ~ ') references marts.' ~ dimension ~ ' not valid') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
