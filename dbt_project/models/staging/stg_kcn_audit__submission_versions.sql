with

source as (

    select * from {{ source('kcn_audit', 'submission_version') }}

),

final as (

    select
        version_id,
        submitter_code,
        period,
        -- The registry's period is the folder's month; guard the cast all the same so a
        -- malformed folder name cannot break every downstream model.
        case
            when period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
                then to_date(period || '-01', 'YYYY-MM-DD')
        end as period_start,
        version_no,
        content_sha256,
        received_at,
        landing_path,
        files,
        outcome,
        validated_at,
        superseded_by as superseded_by_version_id
    from source

)

select * from final
