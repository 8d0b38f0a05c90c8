{#
    Post-hook of every marts and reporting relation: who may read it, and which rows
    (docs/access.md). The roles and the functions the policies call are created by the
    pipeline (kcn/warehouse/roles.sql) before dbt runs.

    - kcn_auditor reads every relation, every row.
    - kcn_reader reads every relation but the mixed-level bases (meta kcn_access:
      auditor_only), every row.
    - kcn_reader_<province> reads the same relations through row-level security. The rule
      follows the relation's columns; a relation with no rule is not granted to them:
        province_code and province_code_now  either is one of the reader's provinces
        zone_code (submitter_code, period)   the zone lies in the province that month or
                                             today (kcn_access.sees_figure); a figure with no
                                             zone follows its submitter (and successor)
        province_code                        the province, or one whose zones now lie in the
                                             reader's (kcn_access.province_scope)
        submitter_code                       the submitter's province (and successor's)
      meta kcn_access: all_rows (calendar, metrics, rates) gives them every row.

    Everything is granted again after each build, so a full refresh or a new model keeps
    (or gets) it.

    A view carries no policy of its own, and reads its tables with its owner's rights, which
    row-level security does not restrict: it is granted to kcn_reader and kcn_auditor only
    (fct_indicator_vintages). With meta kcn_access: invoker it is made security_invoker
    (PostgreSQL 15+), so that the policies of the tables it reads apply to each reader, and
    is granted to the province readers too (its tables must be granted to them).
#}
{% macro grant_access() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set mode = config.get('meta', {}).get('kcn_access', 'auto') -%}
    {%- set readers = ['kcn_auditor'] if mode == 'auditor_only' else ['kcn_reader', 'kcn_auditor'] -%}
    {%- set province_roles = run_query(
        'select role_name from kcn_access.province_reader order by province_code'
    ).columns[0].values() | list -%}
    {%- set is_view = config.get('materialized') == 'view' -%}
    {%- if mode == 'auditor_only' or (is_view and mode != 'invoker') -%}
        {%- set rule = none -%}
    {%- else -%}
        {%- set rule = 'true' if is_view else access_rule(mode) -%}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- if is_view -%}
        {%- do statements.append(
            'alter view ' ~ this ~ ' set (security_invoker = '
            ~ ((mode == 'invoker') | string | lower) ~ ')') -%}
    {%- else -%}
        {%- do statements.append('alter table ' ~ this ~ ' enable row level security') -%}
        {%- do statements.append('drop policy if exists kcn_all_rows on ' ~ this) -%}
        {%- do statements.append(
            'create policy kcn_all_rows on ' ~ this ~ ' for select to '
            ~ readers | join(', ') ~ ' using (true)') -%}
        {%- do statements.append('drop policy if exists kcn_province_rows on ' ~ this) -%}
        {%- if rule is not none and province_roles | length > 0 -%}
            {%- do statements.append(
                'create policy kcn_province_rows on ' ~ this ~ ' for select to '
                ~ province_roles | join(', ') ~ ' using (' ~ rule ~ ')') -%}
        {%- endif -%}
    {%- endif -%}
    {%- do statements.append(
        'revoke all on ' ~ this ~ ' from kcn_reader, kcn_auditor'
        ~ (', ' ~ province_roles | join(', ') if province_roles else '')) -%}
    {%- do statements.append('grant select on ' ~ this ~ ' to ' ~ readers | join(', ')) -%}
    {%- if rule is not none and province_roles | length > 0 -%}
        {%- do statements.append('grant select on ' ~ this ~ ' to ' ~ province_roles | join(', ')) -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}


{#- The province readers' policy of this relation, from its columns; none: no rule. -#}
{% macro access_rule(mode) -%}
    {%- if mode == 'all_rows' -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {#- Each kcn_access.my_*() is read once per query (a cast keeps it an array, not a
        subquery) and each row is tested against it. -#}
    {%- set mine = '(select kcn_access.my_provinces())::text[]' -%}
    {%- if 'province_code' in columns and 'province_code_now' in columns -%}
        {{ return('province_code = any (' ~ mine ~ ') or province_code_now = any (' ~ mine ~ ')') }}
    {%- elif 'zone_code' in columns -%}
        {%- set submitter = 'submitter_code' if 'submitter_code' in columns else 'null::text' -%}
        {%- set period = 'period' if 'period' in columns else 'null::text' -%}
        {#- A zone that lies in the province today: every row. One that lay in it once: the
            rows of those months (kcn_access.sees_figure, called on those rows only). -#}
        {%- set rule -%}
            case
                when nullif(zone_code, '') is null
                    then coalesce({{ submitter }} = any ((select kcn_access.my_submitters())::text[]), false)
                else
                    zone_code = any ((select kcn_access.my_zones_now())::text[])
                    or (
                        zone_code = any ((select kcn_access.my_zones_ever())::text[])
                        and kcn_access.sees_figure(zone_code, {{ submitter }}, {{ period }})
                    )
            end
        {%- endset -%}
        {{ return(rule) }}
    {%- elif 'province_code' in columns -%}
        {{ return('province_code = any ((select kcn_access.my_visible_provinces())::text[])') }}
    {%- elif 'submitter_code' in columns -%}
        {{ return('submitter_code = any ((select kcn_access.my_submitters())::text[])') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
