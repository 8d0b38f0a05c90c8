-- One level of rpt_plan_vs_actual: plan against actual of enterprise figures. What BI tools
-- read (the base mixes levels whose rows overlap). Incremental by month like its base.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}],
    )
}}

{{ one_level(ref('rpt_plan_vs_actual'), 'figure_level', 'enterprise') }}
