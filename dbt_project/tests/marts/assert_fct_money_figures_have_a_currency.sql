-- A money figure must carry its currency, and only money figures may carry one: the
-- currency is part of the fact's grain and is never converted.
with

facts as (

    select * from {{ ref('fct_indicators_monthly') }}

),

metrics as (

    select * from {{ ref('dim_metric') }}

),

final as (

    select
        facts.version_id,
        facts.file_name,
        facts.row_number,
        facts.metric_code,
        facts.currency
    from facts
    inner join metrics
        on facts.metric_code = metrics.metric_code
    where metrics.is_money <> (facts.currency is not null)

)

select * from final
