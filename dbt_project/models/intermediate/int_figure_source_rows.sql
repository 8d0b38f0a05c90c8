-- The submitted rows behind every figure of fct_indicator_values: the rows of its own month
-- (value_role month, ytd, eom: the row each value was sent in), and, for a value derived
-- across months, the rows the derivation read (value_role earlier_month): the month
-- before's rows for a month value derived as ytd(m) - ytd(m-1), the year's earlier rows of
-- the series for a ytd added up from month values. Grain: (period, submitter_code,
-- zone_code, enterprise_tax_code, metric_code, currency, value_role, version_id,
-- file_name, row_number).
--
-- A table: reporting.rpt_figure_lineage reads it once per reporting relation.
{{ config(materialized='table', indexes=[{'columns': ['period', 'metric_code']}]) }}

{#- The figure a source row is behind (the grain of fct_indicator_values) and its series: the
    same columns in both branches of the union below. #}
{%- set figure_columns = [
    'period', 'submitter_code', 'zone_code', 'enterprise_tax_code', 'metric_code', 'currency',
    'series_id',
] %}

with

figures as (

    select * from {{ ref('fct_indicator_values') }}

),

own_rows as (

    select
        {%- for column in figure_columns %}
            figures.{{ column }},
        {%- endfor %}
        sent.value_role,
        figures.version_id,
        figures.file_name,
        sent.row_number
    from figures
    cross join
        lateral (
            values
            ('month', figures.row_number_month),
            ('ytd', figures.row_number_ytd),
            ('eom', figures.row_number_eom)
        ) as sent (value_role, row_number)
    where sent.row_number is not null

),

earlier_rows as (

    select
        {%- for column in figure_columns %}
            figures.{{ column }},
        {%- endfor %}
        'earlier_month' as value_role,
        earlier.version_id,
        earlier.file_name,
        earlier.row_number
    from figures
    inner join own_rows as earlier
        on
            figures.series_id = earlier.series_id
            and left(figures.period, 4) = left(earlier.period, 4)
            and figures.period > earlier.period
    where
        figures.ytd_source = 'derived_from_months'
        or (
            figures.month_source = 'derived_from_ytd'
            and earlier.period = to_char(
                to_date(figures.period || '-01', 'YYYY-MM-DD') - interval '1 month', 'YYYY-MM'
            )
        )

),

final as (

    select * from own_rows
    union
    select * from earlier_rows

)

select * from final
