-- A target's month has an actual or says why not, never both; and an actual with a
-- converted figure names the rates it used (nothing converted silently).
with

plan_targets as (

    select * from {{ ref('fct_plan_targets') }}

),

final as (

    select
        target_id,
        period,
        actual_to_date,
        no_actual_reason,
        is_converted,
        fx_rates_used
    from plan_targets
    where
        (actual_to_date is null) = (no_actual_reason is null)
        or (actual_to_date is not null and is_converted and fx_rates_used is null)

)

select * from final
