{#
    Joins a fact of one month to the dimension rows it belongs to, as periods, zones and
    enterprises: the month's period row, and the zone's and the enterprise's type 2 rows
    valid in that month (the province, name or status they had then). `facts` has period,
    period_start, zone_code and enterprise_tax_code. Left joins: a fact without a matching
    row keeps a null key and fails the not_null tests instead of silently disappearing.
#}
{% macro join_month_dimensions(facts) -%}
    left join {{ ref('dim_period') }} as periods
        on {{ facts }}.period = periods.period
    left join {{ ref('dim_zone') }} as zones
        on
            {{ facts }}.zone_code = zones.zone_code
            and {{ valid_on('zones', facts ~ '.period_start') }}
    left join {{ ref('dim_enterprise') }} as enterprises
        on
            {{ facts }}.enterprise_tax_code = enterprises.tax_code
            and {{ valid_on('enterprises', facts ~ '.period_start') }}
{%- endmacro %}
