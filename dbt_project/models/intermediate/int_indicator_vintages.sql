-- Every indicator row of every accepted version (in force or since superseded), cast and
-- scaled exactly like int_indicators_in_force: the raw material of vintages and revisions.
--
-- Incremental, append only, on version_id: this is the one model that grows with the whole
-- history of submissions (every version ever accepted), and a version's rows never change
-- once it is accepted, so a run casts the rows of newly accepted versions only; the work is
-- proportional to the new month, not the history. When a version stops being on record
-- (superseded) nothing here changes: its time on record comes from
-- int_submission_versions_ranked downstream. Run with --full-refresh after changing this
-- model's columns, or if an accepted version is ever re-validated as rejected.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[{'columns': ['version_id']}],
        post_hook='analyze {{ this }}',
    )
}}

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

accepted_versions as (

    select
        version_id,
        version_no,
        submitter_code,
        period,
        period_start,
        outcome
    from submission_versions
    where is_accepted

),

new_versions as (

    select accepted_versions.*
    from accepted_versions
    {% if is_incremental() %}
        where not exists (
            select 1
            from {{ this }} as already_loaded
            where already_loaded.version_id = accepted_versions.version_id
        )
    {% endif %}

),

rows_cast as (

    select
        indicators.version_id,
        indicators.file_name,
        indicators.row_number,
        new_versions.version_no,
        new_versions.outcome,
        new_versions.submitter_code,
        new_versions.period,
        new_versions.period_start,
        indicators.zone_code,
        indicators.enterprise_tax_code,
        indicators.metric_code,
        indicators.value_kind,
        indicators.period_basis,
        indicators.unit_code,
        indicators.is_value_read_from_text,
        indicators.note,
        -- The same guarded cast as int_indicators_in_force (see there why).
        case
            when indicators.value_text ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'
                then indicators.value_text::numeric
        end as value_as_sent
    from indicators
    inner join new_versions
        on indicators.version_id = new_versions.version_id

),

final as (

    select
        rows_cast.version_id,
        rows_cast.file_name,
        rows_cast.row_number,
        rows_cast.version_no,
        rows_cast.outcome,
        rows_cast.submitter_code,
        rows_cast.period,
        rows_cast.period_start,
        rows_cast.zone_code,
        rows_cast.enterprise_tax_code,
        rows_cast.metric_code,
        rows_cast.value_kind,
        rows_cast.period_basis,
        units.currency,
        trim_scale(rows_cast.value_as_sent * units.factor_to_canonical) as value_canonical,
        units.canonical_unit,
        rows_cast.value_as_sent,
        rows_cast.unit_code as unit_as_sent,
        rows_cast.is_value_read_from_text,
        rows_cast.note
    from rows_cast
    left join units
        on rows_cast.unit_code = units.unit_code

)

select * from final
