{#- The validity of a reference row as the reference tables give it, as dates: valid_from,
    and valid_to, empty while the row holds. -#}
{% macro validity_dates() -%}
    valid_from::date as valid_from,
    nullif(valid_to, '')::date as valid_to
{%- endmacro %}
