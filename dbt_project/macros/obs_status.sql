{#
    SDMX-style observation status as a rank, so that the worst of several statuses is their
    greatest rank: A (normal) 0, P (provisional) 1, E (estimated) 2.
#}
{% macro obs_status_rank(status) -%}
    case {{ status }} when 'A' then 0 when 'P' then 1 when 'E' then 2 end
{%- endmacro %}


{% macro obs_status_of_rank(rank) -%}
    case {{ rank }} when 0 then 'A' when 1 then 'P' when 2 then 'E' end
{%- endmacro %}
