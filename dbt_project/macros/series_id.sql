{#
    One text key for a series of figures: (series_reporter, zone, enterprise, metric,
    currency), empty strings for the optional parts. Joining on it (same period last year,
    the plan in force) is a plain equality PostgreSQL can hash, where a join on five
    nullable columns with "is not distinct from" would loop.
#}
{% macro series_id(series_reporter, zone_code, enterprise_tax_code, metric_code, currency) -%}
    concat_ws(
        '|',
        {{ series_reporter }},
        coalesce({{ zone_code }}, ''),
        coalesce({{ enterprise_tax_code }}, ''),
        {{ metric_code }},
        coalesce({{ currency }}, '')
    )
{%- endmacro %}
