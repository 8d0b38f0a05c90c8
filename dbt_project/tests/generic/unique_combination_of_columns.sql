{#
    Fails for every combination of the given columns that occurs more than once.
    NULLs compare equal here (group by puts them in one group), which is what a grain
    with optional parts (zone_code null = all zones) needs. Written here because the
    project installs no packages (no dbt_utils offline).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as n_rows
from {{ model }}
group by
    {{ combination_of_columns | join(',\n    ') }}
having count(*) > 1

{% endtest %}
