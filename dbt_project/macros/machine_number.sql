{#
    The contract's machine number as a PostgreSQL regular expression: the same text as
    kcn.contract.MACHINE_NUMBER_PATTERN (tests/unit/test_machine_number.py checks they are
    equal, and that PostgreSQL casts every value it matches). A value that matches is cast
    to numeric; nothing validation accepts can fail the cast.
#}
{% macro machine_number_pattern() -%}
    '^-?[0-9]{1,15}([.][0-9]{1,30})?$'
{%- endmacro %}
