-- Every enterprise listing of the versions in force, one per tax code and month, and
-- whether it changes what the enterprise was (name, zone, ownership, investor country, VSIC
-- code or status) since its previous listing. dim_enterprise is built from the changes
-- only. Grain: (tax_code, period).
--
-- Incremental by month: a run rebuilds each month that received submissions since its last
-- run and every later month (a corrected listing changes what the next one is compared
-- with). The first rebuilt listing of a tax code is compared with its latest listing before,
-- read by index, so a month's run reads that month, not the history of listings.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_periods',
        on_schema_change='fail',
        indexes=[
            {'columns': ['period']},
            {'columns': ['tax_code', 'period']},
            {'columns': ['is_change']},
            {'columns': ['loaded_at']},
        ],
        post_hook='{{ analyze_after_build() }}',
    )
}}

{%- set rebuilt = through_latest(changed_periods(ref('int_indicator_vintages'))) %}

with

enterprises as (

    select * from {{ ref('int_enterprises_in_force') }}
    where {{ period_filter('period', rebuilt) }}

),

-- One listing per tax code and month (a board lists an enterprise once; be deterministic
-- if a table repeats it).
monthly_listings as (

    select distinct on (tax_code, period)
        tax_code,
        period,
        period_start,
        submitter_code,
        version_id,
        enterprise_name,
        zone_code,
        ownership,
        investor_country,
        vsic_code,
        enterprise_status,
        md5(
            concat_ws(
                '|', enterprise_name_key, zone_code, ownership, investor_country,
                coalesce(vsic_code, ''), enterprise_status
            )
        ) as attributes_hash
    from enterprises
    order by tax_code asc, period asc, row_number desc

),

-- What each tax code was listed as before the first rebuilt month (none on a full build).
previous_listings as (

    {% if is_incremental() and rebuilt %}
        select
            rebuilt_tax_codes.tax_code,
            previous.attributes_hash
        from (select distinct tax_code from monthly_listings) as rebuilt_tax_codes
        cross join lateral (
            select listed.attributes_hash
            from {{ this }} as listed
            where
                listed.tax_code = rebuilt_tax_codes.tax_code
                and listed.period < '{{ rebuilt | first }}'
            order by listed.period desc
            limit 1
        ) as previous
    {% else %}
        select
            null::text as tax_code,
            null::text as attributes_hash
        where false
    {% endif %}

),

final as (

    select
        monthly_listings.*,
        -- A first listing (none before) is a change: it starts the enterprise's first row.
        coalesce(
            monthly_listings.attributes_hash <> coalesce(
                lag(monthly_listings.attributes_hash) over (
                    partition by monthly_listings.tax_code order by monthly_listings.period
                ),
                previous_listings.attributes_hash
            ),
            true
        ) as is_change
    from monthly_listings
    left join previous_listings
        on monthly_listings.tax_code = previous_listings.tax_code

)

select
    *,
    {{ run_loaded_at() }} as loaded_at
from final
