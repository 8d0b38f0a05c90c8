-- Every indicator row of every accepted version (in force or since superseded), cast and
-- scaled by the same macro as int_indicators_in_force (scaled_indicator_rows): the raw
-- material of vintages and revisions.
--
-- Incremental, append only, on version_id: this model grows with the whole history of
-- submissions (every version ever accepted), and a version's rows never change once it is
-- accepted, so a run casts the rows of newly accepted versions only; the work is
-- proportional to the new month, not the history. When a version stops being on record
-- (superseded) nothing here changes: its time on record comes from
-- int_submission_versions_ranked downstream. Run with --full-refresh after changing this
-- model's columns, or if an accepted version is ever re-validated as rejected.
--
-- loaded_at (when the run that appended the rows started) tells the incremental marts which
-- months changed since their last build (macros/incremental_periods.sql); the index on
-- period lets them read those months only.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[
            {'columns': ['version_id']},
            {'columns': ['loaded_at']},
            {'columns': ['period']},
        ],
        post_hook='{{ analyze_after_build() }}',
    )
}}

with

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

-- On an incremental run, the new versions' rows only. An array of their ids: PostgreSQL
-- reads them by the primary key, where a join would be planned from a guess of how many
-- versions are new and may scan every staged row of the history.
indicators as (

    select * from {{ ref('stg_kcn_raw__indicators') }}
    {% if is_incremental() %}
        where version_id = any(array(select new_versions.version_id from new_versions))
    {% endif %}

),

final as (

    {{ scaled_indicator_rows('indicators', 'new_versions', 'units') }}

)

select
    *,
    {{ run_loaded_at() }} as loaded_at
from final
