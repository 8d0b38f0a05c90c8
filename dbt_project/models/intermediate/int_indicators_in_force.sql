-- Indicator rows of the versions in force, with the value cast to numeric and scaled
-- exactly to the canonical unit of its family (VND_BN, USD_MN; factor 1 otherwise).
-- A currency is never converted: a VND row and a USD row stay two rows.
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

indicators_in_force as (

    select
        indicators.version_id,
        indicators.file_name,
        indicators.row_number,
        versions_in_force.version_no,
        versions_in_force.outcome,
        -- The registry's submitter and month: an accepted version's rows equal them.
        versions_in_force.submitter_code,
        versions_in_force.period,
        versions_in_force.period_start,
        indicators.zone_code,
        indicators.enterprise_tax_code,
        indicators.metric_code,
        indicators.value_kind,
        indicators.period_basis,
        indicators.unit_code,
        indicators.is_value_read_from_text,
        indicators.note,
        -- Guarded cast: PostgreSQL may push a filter on this column below the join, onto
        -- rows of rejected versions; the guard keeps garbage there from raising an error.
        -- An in-force row that fails the guard comes out null and fails a not_null test.
        case
            when indicators.value_text ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'
                then indicators.value_text::numeric
        end as value_as_sent
    from indicators
    inner join versions_in_force
        on indicators.version_id = versions_in_force.version_id

),

final as (

    select
        indicators_in_force.version_id,
        indicators_in_force.file_name,
        indicators_in_force.row_number,
        indicators_in_force.version_no,
        indicators_in_force.outcome,
        indicators_in_force.submitter_code,
        indicators_in_force.period,
        indicators_in_force.period_start,
        indicators_in_force.zone_code,
        indicators_in_force.enterprise_tax_code,
        indicators_in_force.metric_code,
        indicators_in_force.value_kind,
        indicators_in_force.period_basis,
        units.currency,
        -- Exact numeric product; trim_scale drops the zeros the factor's scale adds
        -- (26900 USD_TH is 26.9 USD_MN, not 26.900).
        trim_scale(
            indicators_in_force.value_as_sent * units.factor_to_canonical
        ) as value_canonical,
        units.canonical_unit,
        indicators_in_force.value_as_sent,
        indicators_in_force.unit_code as unit_as_sent,
        indicators_in_force.is_value_read_from_text,
        indicators_in_force.note
    from indicators_in_force
    left join units
        on indicators_in_force.unit_code = units.unit_code

)

select * from final
