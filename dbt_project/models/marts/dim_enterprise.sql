-- Enterprises as a type 2 slowly changing dimension built from the enterprises tables of
-- the versions in force, month by month: a new row whenever a tax code's listing changes
-- (name, zone, ownership, investor country, VSIC code or status). A listing that is not
-- re-sent leaves the enterprise as it was. The first row of a tax code is valid from the
-- calendar's start (2000-01-01) so that a corrected earlier month still finds it;
-- first_listed_period says when it was really first listed.
with

enterprises as (

    select * from {{ ref('int_enterprises_in_force') }}

),

named_tax_codes as (

    select * from {{ ref('int_enterprise_tax_codes') }}

),

-- One listing per tax code and month (a board lists an enterprise once; be deterministic
-- if a table repeats it).
monthly_listings as (

    select distinct on (tax_code, period_start)
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
    order by tax_code asc, period_start asc, row_number desc

),

changes as (

    select
        *,
        -- The first listing (no previous one) starts the first row.
        coalesce(
            attributes_hash <> lag(attributes_hash) over (
                partition by tax_code order by period_start
            ),
            true
        ) as is_change
    from monthly_listings

),

islands as (

    select
        *,
        count(*) filter (where is_change) over (
            partition by tax_code order by period_start
        ) as island_no
    from changes

),

island_rows as (

    select distinct on (tax_code, island_no)
        tax_code,
        island_no,
        period as listed_from_period,
        period_start as listed_from,
        submitter_code as listed_by,
        version_id as listed_in_version_id,
        enterprise_name,
        zone_code,
        ownership,
        investor_country,
        vsic_code,
        enterprise_status
    from islands
    order by tax_code asc, island_no asc, period_start asc

),

listing_spans as (

    select
        tax_code,
        min(period) as first_listed_period,
        max(period) as last_listed_period
    from monthly_listings
    group by tax_code

),

listed as (

    select
        island_rows.tax_code,
        case
            when island_rows.island_no = 1 then '2000-01-01'::date
            else island_rows.listed_from
        end as valid_from,
        lead(island_rows.listed_from) over (
            partition by island_rows.tax_code order by island_rows.island_no
        ) - 1 as valid_to,
        island_rows.enterprise_name,
        island_rows.zone_code,
        island_rows.ownership,
        island_rows.investor_country,
        island_rows.vsic_code,
        island_rows.enterprise_status,
        island_rows.listed_from_period,
        island_rows.listed_by,
        island_rows.listed_in_version_id,
        listing_spans.first_listed_period,
        listing_spans.last_listed_period,
        false as is_inferred
    from island_rows
    inner join listing_spans
        on island_rows.tax_code = listing_spans.tax_code

),

-- A figure may name a tax code listed only by a since superseded version (the contract
-- accepts any earlier accepted listing); keep it as an inferred member so that every
-- fact row still finds its enterprise. The codes come from every accepted version
-- (int_enterprise_tax_codes, kept incrementally), a superset of those in force.
unlisted as (

    select
        named_tax_codes.tax_code,
        '2000-01-01'::date as valid_from,
        null::date as valid_to,
        null::text as enterprise_name,
        null::text as zone_code,
        null::text as ownership,
        null::text as investor_country,
        null::text as vsic_code,
        null::text as enterprise_status,
        null::text as listed_from_period,
        null::text as listed_by,
        null::bigint as listed_in_version_id,
        null::text as first_listed_period,
        null::text as last_listed_period,
        true as is_inferred
    from named_tax_codes
    left join listing_spans
        on named_tax_codes.tax_code = listing_spans.tax_code
    where listing_spans.tax_code is null

),

unioned as (

    select * from listed
    union all
    select * from unlisted

),

final as (

    select
        md5(tax_code || '|' || valid_from::text) as enterprise_key,
        tax_code,
        enterprise_name,
        zone_code,
        ownership,
        case ownership
            when 'FDI' then 'Doanh nghiệp có vốn đầu tư nước ngoài'
            when 'DDI' then 'Doanh nghiệp trong nước'
        end as ownership_vi,
        case ownership
            when 'FDI' then 'Foreign-invested'
            when 'DDI' then 'Domestic'
        end as ownership_en,
        investor_country,
        vsic_code,
        enterprise_status,
        valid_from,
        valid_to,
        valid_to is null as is_current,
        listed_from_period,
        listed_by,
        listed_in_version_id,
        first_listed_period,
        last_listed_period,
        is_inferred
    from unioned

)

select * from final
