-- One level of rpt_province_monthly: zone figures added up by province as it was in the month
-- (Nam Định and Hà Nam until 2025-06, Ninh Bình after). What BI tools read (the base mixes
-- levels whose rows overlap). Incremental by month like its base.
{{
    config(
        materialized='incremental',
        indexes=[{'columns': ['period']}, {'columns': ['loaded_at']}],
    )
}}

{{ one_level(ref('rpt_province_monthly'), 'province_basis', 'as_was') }}
