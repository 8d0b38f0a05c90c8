-- Indicator rows of the versions in force, with the value cast to numeric and scaled
-- exactly to the canonical unit of its family (VND_BN, USD_MN; factor 1 otherwise).
-- A currency is never converted: a VND row and a USD row stay two rows. The cast and the
-- scaling live in the macro scaled_indicator_rows, shared with int_indicator_vintages.
with

indicators as (

    select * from {{ ref('stg_kcn_raw__indicators') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

units as (

    select * from {{ ref('stg_kcn_ref__units') }}

),

versions_in_force as (

    select
        version_id,
        version_no,
        submitter_code,
        period,
        period_start,
        outcome
    from submission_versions
    where is_in_force

),

final as (

    {{ scaled_indicator_rows('indicators', 'versions_in_force', 'units') }}

)

select * from final
