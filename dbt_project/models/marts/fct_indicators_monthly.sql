-- One row per accepted figure as sent, in its own currency and scaled to the canonical
-- unit. Grain: (period, submitter_code, zone_code, enterprise_tax_code, metric_code,
-- value_kind, period_basis, currency); zone_code null = all zones of the jurisdiction.
--
-- Incremental by month (macros/incremental_periods.sql): a run rebuilds the months that
-- received figures since the last run.
{{
    config(
        materialized='incremental',
        indexes=[
            {'columns': ['period']},
            {'columns': ['loaded_at']},
        ],
    )
}}

{%- set changed = changed_periods(ref('int_indicator_vintages')) %}

with

indicators as (

    select * from {{ ref('int_indicators_in_force') }}
    where {{ period_filter('period', changed) }}

),

findings as (

    select * from {{ ref('stg_kcn_audit__findings') }}

),

-- Warnings load, flagged: name the row-level warnings each figure carries.
row_warnings as (

    select
        version_id,
        file_name,
        row_number,
        string_agg(distinct rule_id, ',' order by rule_id) as warning_rule_ids
    from findings
    where
        severity = 'warning'
        and row_number is not null
    group by
        version_id,
        file_name,
        row_number

),

final as (

    select
        periods.period_key,
        indicators.period,
        indicators.submitter_code,
        indicators.zone_code,
        -- The zone's SCD row valid in the reporting month (its province then).
        zones.zone_key,
        indicators.enterprise_tax_code,
        -- The enterprise's SCD row valid in the reporting month.
        enterprises.enterprise_key,
        indicators.metric_code,
        indicators.value_kind,
        indicators.period_basis,
        indicators.currency,
        indicators.value_canonical,
        indicators.canonical_unit,
        indicators.value_as_sent,
        indicators.unit_as_sent,
        indicators.is_value_read_from_text,
        row_warnings.warning_rule_ids,
        indicators.note,
        indicators.version_id,
        indicators.version_no,
        indicators.file_name,
        indicators.row_number,
        indicators.outcome,
        {{ run_loaded_at() }} as loaded_at
    from indicators
    {{ join_month_dimensions('indicators') }}
    left join row_warnings
        on
            indicators.version_id = row_warnings.version_id
            and indicators.file_name = row_warnings.file_name
            and indicators.row_number = row_warnings.row_number

)

select * from final
