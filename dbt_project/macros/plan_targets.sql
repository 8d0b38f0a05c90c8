{#
    Published plan targets (seeds/plan_targets.csv) against the warehouse's figures.

    A target's measure is a catalogue metric (its own part), a derived measure that adds up
    catalogue metrics (below), or a measure the warehouse does not receive (any other code;
    seeds/plan_target_measures.csv names and explains them).
#}

{#- The catalogue metrics each derived measure adds up: (measure_code, metric_code). -#}
{% macro plan_target_measure_parts() -%}
    {{ return([
        ('inv_registered_capital_converted', 'inv_new_capital'),
        ('inv_registered_capital_converted', 'inv_added_capital'),
    ]) }}
{%- endmacro %}


{#- The body of a CTE giving each measure's catalogue metrics (measure_code, metric_code): a
    derived measure's parts, and every metric of dim_metric as its own part. -#}
{% macro plan_target_measure_parts_cte() -%}
    select
        derived.measure_code,
        derived.metric_code
    from (
        values
        {%- for measure_code, metric_code in plan_target_measure_parts() %}
            ('{{ measure_code }}', '{{ metric_code }}'){{ "," if not loop.last }}
        {%- endfor %}
    ) as derived (measure_code, metric_code)
    union all
    select
        metric_code as measure_code,
        metric_code
    from {{ ref('dim_metric') }}
{%- endmacro %}


{#- A filter on fct_indicator_values keeping the rows the targets can be measured with: their
    submitters, their metrics (a derived measure's parts) and the months of their windows, as
    literals read from the seed, so that PostgreSQL reads them by the (zone_code, metric_code)
    index instead of scanning the history. `true` while parsing or before the seed is
    loaded (correct, only unbounded); `false` when no target can be measured. -#}
{% macro plan_target_facts_filter(targets) -%}
    {%- if not execute or load_relation(targets) is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set query -%}
        select submitter_code, measure_code, min(first_month), max(last_month)
        from {{ targets }}
        where scope = 'all_zones'
        group by submitter_code, measure_code
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- if rows | length == 0 -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set parts = plan_target_measure_parts() -%}
    {%- set submitters = [] -%}
    {%- set metrics = [] -%}
    {%- for row in rows -%}
        {%- do submitters.append(row[0]) -%}
        {%- set derived = parts | selectattr(0, 'equalto', row[1]) | map(attribute=1) | list -%}
        {%- do metrics.extend(derived if derived else [row[1]]) -%}
    {%- endfor -%}
    {%- set first_month = rows | map(attribute=2) | min -%}
    {%- set last_month = rows | map(attribute=3) | max -%}
    {%- set filter -%}
        submitter_code in ('{{ submitters | unique | sort | join("', '") }}')
        and metric_code in ('{{ metrics | unique | sort | join("', '") }}')
        and period >= '{{ first_month }}'
        and period <= '{{ last_month }}'
    {%- endset -%}
    {{ return(filter) }}
{%- endmacro %}
