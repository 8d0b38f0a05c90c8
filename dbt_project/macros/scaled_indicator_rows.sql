{#
    The indicator rows of some submission versions, with the value cast to numeric and
    scaled exactly to the canonical unit of its family (VND_BN, USD_MN; factor 1
    otherwise). One home for the cast and the scaling, so that int_indicators_in_force
    (versions in force) and int_indicator_vintages (every accepted version) always agree.

    indicators: a relation shaped like stg_kcn_raw__indicators; units: like
    stg_kcn_ref__units; versions: the versions to keep, with version_id, version_no,
    outcome, submitter_code, period and period_start (the registry's submitter and month:
    an accepted version's rows equal them). A currency is never converted.
#}
{% macro scaled_indicator_rows(indicators, versions, units) -%}
    {#-
        Guarded cast: PostgreSQL may push a filter on this column below the join, onto rows
        of rejected versions; the guard (the contract's machine number, the validator's own
        definition: macros/machine_number.sql) keeps garbage there from raising an error.
    -#}
    {%- set value_as_sent -%}
        case
            when {{ indicators }}.value_text ~ {{ machine_number_pattern() }}
                then {{ indicators }}.value_text::numeric
        end
    {%- endset %}
    select
        {{ indicators }}.version_id,
        {{ indicators }}.file_name,
        {{ indicators }}.row_number,
        {{ versions }}.version_no,
        {{ versions }}.outcome,
        {{ versions }}.submitter_code,
        {{ versions }}.period,
        {{ versions }}.period_start,
        {{ indicators }}.zone_code,
        {{ indicators }}.enterprise_tax_code,
        {{ indicators }}.metric_code,
        {{ indicators }}.value_kind,
        {{ indicators }}.period_basis,
        {{ units }}.currency,
        {#- Exact numeric product; trim_scale drops the zeros the factor's scale adds
            (26900 USD_TH is 26.9 USD_MN, not 26.900). #}
        trim_scale(({{ value_as_sent }}) * {{ units }}.factor_to_canonical) as value_canonical,
        {{ units }}.canonical_unit,
        {{ value_as_sent }} as value_as_sent,
        {{ indicators }}.unit_code as unit_as_sent,
        {{ indicators }}.is_value_read_from_text,
        {{ indicators }}.note
    from {{ indicators }}
    inner join {{ versions }}
        on {{ indicators }}.version_id = {{ versions }}.version_id
    left join {{ units }}
        on {{ indicators }}.unit_code = {{ units }}.unit_code
{%- endmacro %}
