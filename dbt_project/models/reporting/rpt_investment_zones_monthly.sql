-- One level of rpt_investment_monthly: boards' investment by zone. What BI tools read (the
-- base mixes levels whose rows overlap). Incremental by month like its base.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}],
    )
}}

{{ one_level(ref('rpt_investment_monthly'), 'figure_level', 'zone') }}
