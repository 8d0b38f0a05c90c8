-- Enterprise rows of the versions in force, with the submitter and month of their version.
with

enterprises as (

    select * from {{ ref('stg_kcn_raw__enterprises') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

final as (

    select
        enterprises.version_id,
        enterprises.file_name,
        enterprises.row_number,
        submission_versions.version_no,
        submission_versions.submitter_code,
        submission_versions.period,
        submission_versions.period_start,
        enterprises.tax_code,
        enterprises.enterprise_name,
        enterprises.enterprise_name_key,
        enterprises.zone_code,
        enterprises.ownership,
        enterprises.investor_country,
        enterprises.vsic_code,
        enterprises.enterprise_status
    from enterprises
    inner join submission_versions
        on enterprises.version_id = submission_versions.version_id
    where submission_versions.is_in_force

)

select * from final
