{#
    Incremental builds by month. Every big model keeps a loaded_at column (when the run that
    wrote the row started). A run finds the months whose source rows were loaded after this
    model's newest row and rebuilds those months only, so the work follows the new month, not
    the history. A month is 'YYYY-MM'. On a full build (first run, --full-refresh) the
    macros return none and the filters are `true`.

    `source` is the relation whose loaded_at says what changed: int_indicator_vintages for the
    models fed by submissions, a mart for the models built on it. The caller passes the
    relation as ref(...) so that dbt knows the dependency.
#}
{#- The loaded_at of every row this run writes: when the run started. -#}
{% macro run_loaded_at() -%}
    '{{ run_started_at.isoformat() }}'::timestamptz
{%- endmacro %}


{% macro changed_periods(source) -%}
    {%- if not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct period
        from {{ source }}
        where loaded_at > (select coalesce(max(loaded_at), '-infinity') from {{ this }})
        order by period
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{#- These months and every later month this model holds: what a model that compares each
    month with the one before must rebuild after a change. -#}
{% macro through_latest(periods) -%}
    {%- if periods is none or periods | length == 0 -%}
        {{ return(periods) }}
    {%- endif -%}
    {%- set query -%}
        select distinct period from {{ this }} where period > '{{ periods | min }}'
    {%- endset -%}
    {%- set later = run_query(query).columns[0].values() | list -%}
    {{ return((periods + later) | unique | sort) }}
{%- endmacro %}


{#- The months from each month to the end of its year: a changed month changes the ytd and
    derived months after it. -#}
{% macro through_year_end(periods) -%}
    {%- if periods is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set out = [] -%}
    {%- for period in periods -%}
        {%- for month in range(period[5:7] | int, 13) -%}
            {%- do out.append(period[:4] ~ '-' ~ '%02d' % month) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(out | unique | sort) }}
{%- endmacro %}


{#- The month before the first of these months in each year (none for a year whose first is
    January): what carries a year's derivations into the months rebuilt after it. -#}
{% macro months_before_each_year(periods) -%}
    {%- if periods is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set years = [] -%}
    {%- set out = [] -%}
    {%- for period in periods | sort -%}
        {%- if period[:4] not in years -%}
            {%- do years.append(period[:4]) -%}
            {%- if period[5:7] != '01' -%}
                {%- do out.append(period[:4] ~ '-' ~ '%02d' % (period[5:7] | int - 1)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(out) }}
{%- endmacro %}


{#- Every month of the years of these months: what a year's derivations read. -#}
{% macro whole_years(periods) -%}
    {%- if periods is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set januaries = [] -%}
    {%- for period in periods -%}
        {%- do januaries.append(period[:4] ~ '-01') -%}
    {%- endfor -%}
    {{ return(through_year_end(januaries)) }}
{%- endmacro %}


{#- The same months shifted by whole years (the same period last year is shift -1). -#}
{% macro shift_years(periods, years) -%}
    {%- if periods is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set out = [] -%}
    {%- for period in periods -%}
        {%- do out.append('%04d' % (period[:4] | int + years) ~ period[4:]) -%}
    {%- endfor -%}
    {{ return(out | unique | sort) }}
{%- endmacro %}


{#- A filter on a month column: true on a full build, false when nothing changed. The months
    are literals, so PostgreSQL pushes the filter down through the views to the version
    registry and reads only those months' rows by index. -#}
{% macro period_filter(column, periods) -%}
    {%- if periods is none -%}
        true
    {%- elif periods | length == 0 -%}
        false
    {%- else -%}
        {{ column }} in ({% for period in periods %}'{{ period }}'{{ ", " if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}


{#-
    Incremental strategy replace_periods: delete the months the new rows are about, then
    insert the new rows. delete+insert would delete by a join against the temporary table,
    whose size PostgreSQL cannot estimate, and may scan the whole table; literal months use
    the index on the month column. The column is config period_column (default period).
-#}
{% macro get_incremental_replace_periods_sql(arg_dict) -%}
    {%- set column = config.get('period_column', 'period') -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set periods = run_query(
        'select distinct ' ~ column ~ '::text from ' ~ source ~ ' order by 1'
    ).columns[0].values() -%}
    {%- if periods | length > 0 %}
    delete from {{ target }}
    where {{ period_filter(column ~ '::text', periods) }};
    {%- endif %}
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}
