-- Completeness and timeliness of the monthly reports, as DHIS2 defines them: who was
-- expected to report for a month, who did (an accepted version), who did on time (an
-- accepted version received by the deadline), who sent only rejected versions, and who is
-- missing (expected, and no accepted version: a rejected-only submitter is missing).
--
-- Expected: a submitter is expected for month M when it is valid on M's first day
-- (include/kcn/reference/submitters.csv, as kcn.reference.expected_submitters has it):
-- districts until 2025-06 (the end of the district level), the Nam Định and Hà Nam boards
-- until 2025-06 and the Ninh Bình board from 2025-07 (the merger). The months are those
-- from the first to the last month the registry holds a version for. A submitter that sent
-- a version for a month it did not owe has a row with expected = 0.
--
-- The deadline is the late day of the following month at 23:59 in Vietnam
-- (macros/reporting_completeness.sql, one definition with kcn.period.deadline).
-- Grain: (submitter_code, period).
with

submitters as (

    select * from {{ ref('dim_submitter') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

submission_versions as (

    select * from {{ ref('int_submission_versions_ranked') }}

),

registered_months as (

    select
        min(period) as first_period,
        max(period) as last_period
    from submission_versions
    where period_start is not null

),

months as (

    select
        periods.period_key,
        periods.period,
        periods.month_start as period_start
    from periods
    inner join registered_months
        on
            periods.period >= registered_months.first_period
            and periods.period <= registered_months.last_period

),

expected_reports as (

    select
        submitters.submitter_code,
        months.period
    from submitters
    inner join months
        on
            {{ valid_on('submitters', 'months.period_start') }}

),

versions_per_month as (

    select
        submitter_code,
        period,
        count(*) as versions_received,
        count(*) filter (where is_accepted) as versions_accepted,
        count(*) filter (where outcome = 'rejected') as versions_rejected,
        min(received_at) as first_received_at,
        min(received_at) filter (where is_accepted) as first_accepted_received_at,
        max(version_id) filter (where is_in_force) as in_force_version_id
    from submission_versions
    where period_start is not null
    group by submitter_code, period

),

report_keys as (

    select
        submitter_code,
        period
    from expected_reports
    union
    select
        submitter_code,
        period
    from versions_per_month

),

reports as (

    select
        report_keys.submitter_code,
        periods.period_key,
        report_keys.period,
        periods.month_start as period_start,
        {{ reporting_deadline('periods.month_start') }} as deadline_at,
        expected_reports.submitter_code is not null as is_expected,
        coalesce(versions_per_month.versions_received, 0) as versions_received,
        coalesce(versions_per_month.versions_accepted, 0) as versions_accepted,
        coalesce(versions_per_month.versions_rejected, 0) as versions_rejected,
        versions_per_month.first_received_at,
        versions_per_month.first_accepted_received_at,
        versions_per_month.in_force_version_id
    from report_keys
    inner join periods
        on report_keys.period = periods.period
    left join expected_reports
        on
            report_keys.submitter_code = expected_reports.submitter_code
            and report_keys.period = expected_reports.period
    left join versions_per_month
        on
            report_keys.submitter_code = versions_per_month.submitter_code
            and report_keys.period = versions_per_month.period

),

final as (

    select
        reports.submitter_code,
        submitters.submitter_type,
        submitters.province_code,
        reports.period_key,
        reports.period,
        reports.period_start,
        reports.deadline_at,
        reports.is_expected::integer as expected,
        (reports.versions_accepted > 0)::integer as actual,
        coalesce(reports.first_accepted_received_at <= reports.deadline_at, false)::integer
            as on_time,
        (
            reports.versions_received > 0
            and reports.versions_rejected = reports.versions_received
        )::integer as rejected_only,
        (reports.is_expected and reports.versions_accepted = 0)::integer as missing,
        reports.versions_received,
        reports.versions_accepted,
        reports.versions_rejected,
        reports.first_received_at,
        reports.first_accepted_received_at,
        -- Whole days after the deadline's day, by Vietnam's calendar: received on the 11th
        -- is 1 day late; null without an accepted version.
        case
            when reports.first_accepted_received_at is not null
                then greatest(
                    (reports.first_accepted_received_at at time zone 'Asia/Ho_Chi_Minh')::date
                    - (reports.deadline_at at time zone 'Asia/Ho_Chi_Minh')::date,
                    0
                )
        end as days_late,
        reports.in_force_version_id
    from reports
    left join submitters
        on reports.submitter_code = submitters.submitter_code

)

select * from final
