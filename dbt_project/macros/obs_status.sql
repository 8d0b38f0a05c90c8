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


{#
    The worst observation status among the figures a reporting row adds up (`column`, in an
    aggregate): E over P over A, and A when none is E or P.
#}
{% macro worst_obs_status(column) -%}
    case
        when bool_or({{ column }} = 'E') then 'E'
        when bool_or({{ column }} = 'P') then 'P'
        else 'A'
    end
{%- endmacro %}
