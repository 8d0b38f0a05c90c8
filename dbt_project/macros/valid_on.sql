{#
    A type 2 row that holds on a day: from valid_from to valid_to, both included; a null
    valid_to means the row holds to this day. `relation` has valid_from and valid_to dates.
#}
{% macro valid_on(relation, day) -%}
    {{ day }} >= {{ relation }}.valid_from
    and ({{ relation }}.valid_to is null or {{ day }} <= {{ relation }}.valid_to)
{%- endmacro %}
