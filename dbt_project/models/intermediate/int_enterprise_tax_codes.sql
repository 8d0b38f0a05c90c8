-- Every tax code that a figure of an accepted version names: dim_enterprise keeps an
-- inferred member for a code no enterprises table in force lists. Grain: tax_code.
--
-- Incremental: a run reads the rows int_indicator_vintages loaded since this model's last
-- run (by the index on loaded_at) and refreshes the tax codes they name, so it never reads
-- the whole history of enterprise figures again.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='tax_code',
        on_schema_change='fail',
        indexes=[{'columns': ['tax_code'], 'unique': true}],
    )
}}

with

vintages as (

    select * from {{ ref('int_indicator_vintages') }}
    where
        enterprise_tax_code is not null
        and {{ 'true' if not is_incremental() else
            "loaded_at > (select coalesce(max(loaded_at), '-infinity') from " ~ this ~ ")" }}

),

final as (

    select
        enterprise_tax_code as tax_code,
        max(loaded_at) as loaded_at
    from vintages
    group by enterprise_tax_code

)

select * from final
