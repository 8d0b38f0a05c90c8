-- Every published figure must come from a version in force: never a rejected,
-- unvalidated or superseded one.
with

facts as (

    select * from {{ ref('fct_indicators_monthly') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

final as (

    select
        facts.version_id,
        facts.file_name,
        facts.row_number,
        submission_versions.outcome
    from facts
    left join submission_versions
        on facts.version_id = submission_versions.version_id
    where not coalesce(submission_versions.is_in_force, false)

)

select * from final
