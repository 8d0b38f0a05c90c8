-- Indicator rows of the versions in force, with the value cast to numeric and scaled
-- exactly to the canonical unit of its family (VND_BN, USD_MN; factor 1 otherwise).
-- A currency is never converted: a VND row and a USD row stay two rows.
-- The rows come from int_indicator_vintages (every accepted version, already cast and
-- scaled once by the macro scaled_indicator_rows): the versions in force are a subset, and
-- reading them by version_id keeps a month's models from casting the whole history again.
with

vintages as (

    select * from {{ ref('int_indicator_vintages') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

final as (

    select
        vintages.version_id,
        vintages.file_name,
        vintages.row_number,
        vintages.version_no,
        vintages.outcome,
        vintages.submitter_code,
        vintages.period,
        vintages.period_start,
        vintages.zone_code,
        vintages.enterprise_tax_code,
        vintages.metric_code,
        vintages.value_kind,
        vintages.period_basis,
        vintages.currency,
        vintages.value_canonical,
        vintages.canonical_unit,
        vintages.value_as_sent,
        vintages.unit_as_sent,
        vintages.is_value_read_from_text,
        vintages.note
    from vintages
    inner join submission_versions
        on vintages.version_id = submission_versions.version_id
    where submission_versions.is_in_force

)

select * from final
