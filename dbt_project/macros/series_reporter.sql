{#
    Who a series of figures belongs to, across a change of board. A zone's series runs on
    when the zone changes board (BQL-ND's zones are BQL-NB's from 2025-07), so zone and
    enterprise rows sent by boards share the one reporter 'board'; district rows and
    all-zones rows (whose coverage is the submitter's jurisdiction) belong to their
    submitter.
#}
{% macro series_reporter(zone_code, submitter_type, submitter_code) -%}
    case
        when {{ zone_code }} is not null and {{ submitter_type }} = 'board' then 'board'
        else {{ submitter_code }}
    end
{%- endmacro %}
