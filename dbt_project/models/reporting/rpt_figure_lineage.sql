-- Lineage of every reporting row: the submission versions, files and rows behind its values,
-- for every reporting relation, aggregated ones included. A BI tool or the monthly report
-- joins one relation:
--     from reporting.rpt_province_monthly as p
--     inner join reporting.rpt_figure_lineage as l
--         on l.relation_name = 'rpt_province_monthly' and p.row_key = l.row_key
-- Each reporting row reaches the figures of fct_indicator_values it is made of (by the same
-- filters as the relation), and each figure its submitted rows (int_figure_source_rows,
-- value_role month, ytd, eom or earlier_month); a plan in force adds its row (value_role
-- plan), the same month a year before its rows (same_period_last_year, for the growth
-- columns), and the completeness relations their versions' files (value_role version).
-- Every source row carries its version (number, received_at, content_sha256, landing
-- folder) and its file (sha256, archive path). Grain: (relation_name, row_key, value_role,
-- version_id, file_name, row_number).
{{
    config(
        materialized='table',
        indexes=[{'columns': ['relation_name', 'row_key']}, {'columns': ['version_id']}],
    )
}}

with

indicators as (

    select * from {{ ref('rpt_indicators_monthly') }}

),

investment as (

    select * from {{ ref('rpt_investment_monthly') }}

),

land_labour as (

    select * from {{ ref('rpt_land_labour_monthly') }}

),

plan_vs_actual as (

    select * from {{ ref('rpt_plan_vs_actual') }}

),

provinces as (

    select * from {{ ref('rpt_province_monthly') }}

),

reconciliation as (

    select * from {{ ref('rpt_zone_reconciliation') }}

),

plan_targets as (

    select * from {{ ref('rpt_plan_targets') }}

),

completeness_submitters as (

    select * from {{ ref('rpt_completeness_submitter_monthly') }}

),

completeness_provinces as (

    select * from {{ ref('rpt_completeness_province_monthly') }}

),

completeness_national as (

    select * from {{ ref('rpt_completeness_national_monthly') }}

),

figure_sources as (

    select * from {{ ref('int_figure_source_rows') }}

),

facts as (

    select * from {{ ref('fct_indicator_values') }}

),

plans as (

    select * from {{ ref('fct_plans') }}

),

completeness as (

    select * from {{ ref('fct_reporting_completeness') }}

),

submission_versions as (

    select * from {{ ref('stg_kcn_audit__submission_versions') }}

),

submission_files as (

    select
        submission_versions.version_id,
        submitted.file ->> 'name' as file_name,
        submitted.file ->> 'sha256' as file_sha256,
        submitted.file ->> 'archive_path' as archive_path
    from submission_versions
    cross join lateral jsonb_array_elements(submission_versions.files) as submitted (file)

),

-- The catalogue metrics of each target measure (macros/plan_targets.sql).
measure_parts as (

    {{ plan_target_measure_parts_cte() }}

),

-- Each reporting row and the figures (period, submitter, zone, enterprise, metric,
-- currency of fct_indicator_values) it is made of.
figure_links as (

    {{ lineage_figure_links('rpt_indicators_monthly', 'indicators', 'indicators') }}

    union all

    {{ lineage_figure_links('rpt_plan_vs_actual', 'plan_vs_actual', 'plan_vs_actual') }}

    union all

    -- rpt_investment_monthly: the investment figures of the submitter, zone and month.
    {{ lineage_figure_links('rpt_investment_monthly', 'investment', 'indicators') }}
    inner join indicators
        on
            investment.period = indicators.period
            and investment.submitter_code = indicators.submitter_code
            and investment.zone_code is not distinct from indicators.zone_code
    where indicators.metric_group = 'inv'

    union all

    -- rpt_land_labour_monthly: the zone's land, labour and enterprise figures.
    {{ lineage_figure_links('rpt_land_labour_monthly', 'land_labour', 'indicators') }}
    inner join indicators
        on
            land_labour.period = indicators.period
            and land_labour.submitter_code = indicators.submitter_code
            and land_labour.zone_code = indicators.zone_code
    where
        indicators.enterprise_tax_code is null
        and indicators.metric_group in ('lnd', 'lab', 'ent')

    union all

    -- rpt_province_monthly: the boards' zone figures of the province, as it was or is now.
    {{ lineage_figure_links('rpt_province_monthly', 'provinces', 'indicators') }}
    inner join indicators
        on
            provinces.period = indicators.period
            and provinces.metric_code = indicators.metric_code
            and provinces.currency is not distinct from indicators.currency
            and provinces.province_code = case provinces.province_basis
                when 'as_was' then indicators.province_code
                else indicators.province_code_now
            end
    where
        indicators.zone_code is not null
        and indicators.enterprise_tax_code is null
        and indicators.submitter_code like 'BQL-%'

    union all

    -- rpt_zone_reconciliation: the all-zones figure and every zone figure it is checked with.
    {{ lineage_figure_links('rpt_zone_reconciliation', 'reconciliation', 'facts') }}
    inner join facts
        on
            reconciliation.period = facts.period
            and reconciliation.submitter_code = facts.submitter_code
            and reconciliation.metric_code = facts.metric_code
            and reconciliation.currency is not distinct from facts.currency
    where facts.enterprise_tax_code is null

    union all

    -- rpt_plan_targets: the all-zones figures of the target's measure in the month, and for a
    -- flow over a window of years the Decembers of its earlier years.
    {{ lineage_figure_links('rpt_plan_targets', 'plan_targets', 'facts') }}
    inner join measure_parts
        on plan_targets.measure_code = measure_parts.measure_code
    inner join facts
        on
            plan_targets.submitter_code = facts.submitter_code
            and measure_parts.metric_code = facts.metric_code
            and plan_targets.first_month <= facts.period
            and plan_targets.period >= facts.period
            and (
                plan_targets.period = facts.period
                or (facts.metric_kind = 'F' and right(facts.period, 2) = '12')
            )
    where
        plan_targets.scope = 'all_zones'
        and facts.zone_code is null
        and facts.enterprise_tax_code is null

),

figure_rows as (

    select
        figure_links.relation_name,
        figure_links.row_key,
        figure_links.period,
        figure_links.figure_period,
        figure_links.submitter_code,
        figure_links.zone_code,
        figure_links.enterprise_tax_code,
        figure_links.metric_code,
        figure_links.currency,
        figure_sources.value_role,
        figure_sources.version_id,
        figure_sources.file_name,
        figure_sources.row_number
    from figure_links
    inner join figure_sources
        on
            figure_links.figure_period = figure_sources.period
            and figure_links.submitter_code = figure_sources.submitter_code
            and figure_links.metric_code = figure_sources.metric_code
            and figure_links.zone_code is not distinct from figure_sources.zone_code
            and figure_links.enterprise_tax_code
            is not distinct from figure_sources.enterprise_tax_code
            and figure_links.currency is not distinct from figure_sources.currency

),

-- The plan in force that a figure is compared with: its own submitted row.
plan_rows as (

    select
        linked.relation_name,
        linked.row_key,
        indicators.period,
        {{- lineage_figure_columns('indicators') }},
        'plan' as value_role,
        plans.version_id,
        plans.file_name,
        plans.row_number
    from indicators
    inner join plans
        on
            indicators.series_id = plans.series_id
            and indicators.year = plans.plan_year
            and indicators.plan_sent_period = plans.valid_from_period
    cross join
        lateral (
            values
            (
                'rpt_indicators_monthly',
                {{ lineage_row_key('rpt_indicators_monthly', 'indicators') }}
            ),
            ('rpt_plan_vs_actual', {{ lineage_row_key('rpt_plan_vs_actual', 'indicators') }})
        ) as linked (relation_name, row_key)
    where indicators.plan_version_id is not null

),

-- A figure compared with the same month a year before (growth_*_pct, index_ytd_pct): the
-- rows behind last year's figure of the same series.
last_year_rows as (

    select
        'rpt_indicators_monthly' as relation_name,
        {{ lineage_row_key('rpt_indicators_monthly', 'indicators') }} as row_key,
        indicators.period,
        {{- lineage_figure_columns('figure_sources') }},
        'same_period_last_year' as value_role,
        figure_sources.version_id,
        figure_sources.file_name,
        figure_sources.row_number
    from indicators
    inner join figure_sources
        on
            indicators.series_id = figure_sources.series_id
            and to_char(
                to_date(indicators.period || '-01', 'YYYY-MM-DD') - interval '1 year', 'YYYY-MM'
            ) = figure_sources.period
    where
        coalesce(
            indicators.value_month_last_year,
            indicators.value_ytd_last_year,
            indicators.value_eom_last_year
        ) is not null

),

-- Completeness counts versions: every version (and file) of the month's submitters.
version_links as (

    select
        'rpt_completeness_submitter_monthly' as relation_name,
        completeness_submitters.row_key,
        completeness_submitters.period,
        completeness_submitters.submitter_code
    from completeness_submitters

    union all

    select
        'rpt_completeness_province_monthly' as relation_name,
        completeness_provinces.row_key,
        completeness_provinces.period,
        completeness.submitter_code
    from completeness_provinces
    inner join completeness
        on
            completeness_provinces.period = completeness.period
            and completeness_provinces.province_code = completeness.province_code
    where completeness.expected = 1

    union all

    select
        'rpt_completeness_national_monthly' as relation_name,
        completeness_national.row_key,
        completeness_national.period,
        completeness.submitter_code
    from completeness_national
    inner join completeness
        on completeness_national.period = completeness.period
    where completeness.expected = 1

),

version_rows as (

    select
        version_links.relation_name,
        version_links.row_key,
        version_links.period,
        null::text as figure_period,
        null::text as submitter_code,
        null::text as zone_code,
        null::text as enterprise_tax_code,
        null::text as metric_code,
        null::text as currency,
        'version' as value_role,
        submission_versions.version_id,
        submission_files.file_name,
        null::integer as row_number
    from version_links
    inner join submission_versions
        on
            version_links.submitter_code = submission_versions.submitter_code
            and version_links.period = submission_versions.period
    left join submission_files
        on submission_versions.version_id = submission_files.version_id

),

source_rows as (

    select * from figure_rows
    union
    select * from plan_rows
    union
    select * from last_year_rows
    union
    select * from version_rows

),

final as (

    select
        source_rows.relation_name,
        source_rows.row_key,
        source_rows.period,
        replace(source_rows.period, '-', '')::integer as period_key,
        to_date(source_rows.period || '-01', 'YYYY-MM-DD') as period_start,
        source_rows.figure_period,
        source_rows.submitter_code as figure_submitter_code,
        source_rows.zone_code as figure_zone_code,
        source_rows.enterprise_tax_code as figure_enterprise_tax_code,
        source_rows.metric_code as figure_metric_code,
        source_rows.currency as figure_currency,
        source_rows.value_role,
        source_rows.version_id,
        submission_versions.submitter_code as version_submitter_code,
        submission_versions.period as version_period,
        submission_versions.version_no,
        submission_versions.outcome as version_outcome,
        submission_versions.received_at,
        submission_versions.content_sha256,
        submission_versions.landing_path,
        source_rows.file_name,
        submission_files.file_sha256,
        submission_files.archive_path,
        source_rows.row_number
    from source_rows
    inner join submission_versions
        on source_rows.version_id = submission_versions.version_id
    left join submission_files
        on
            source_rows.version_id = submission_files.version_id
            and source_rows.file_name = submission_files.file_name

)

select * from final
