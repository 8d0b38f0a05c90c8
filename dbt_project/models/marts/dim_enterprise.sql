-- Enterprises as a type 2 slowly changing dimension built from the enterprises tables of
-- the versions in force, month by month: a new row whenever a tax code's listing changes
-- (name, zone, ownership, investor country, VSIC code or status). A listing that is not
-- re-sent leaves the enterprise as it was. The first row of a tax code is valid from the
-- calendar's start (2000-01-01) so that a corrected earlier month still finds it;
-- first_listed_period says when it was really first listed.
--
-- A table, rebuilt each run from the listings that change something
-- (int_enterprise_listings, kept incrementally): one row per enterprise and change, not
-- one per enterprise and month, so its cost follows the changes, not the months of history.
with

changes as (

    select * from {{ ref('int_enterprise_listings') }}
    where is_change

),

named_tax_codes as (

    select * from {{ ref('int_enterprise_tax_codes') }}

),

listed_tax_codes as (

    select distinct tax_code from changes

),

-- The latest listing of each tax code, read by index (one probe per enterprise; the
-- relation itself, not a CTE, so that PostgreSQL can use the index).
last_listings as (

    select
        listed_tax_codes.tax_code,
        last_listing.period as last_listed_period
    from listed_tax_codes
    cross join lateral (
        select listings.period
        from {{ ref('int_enterprise_listings') }} as listings
        where listings.tax_code = listed_tax_codes.tax_code
        order by listings.period desc
        limit 1
    ) as last_listing

),

listed as (

    select
        changes.tax_code,
        case
            when
                row_number() over (partition by changes.tax_code order by changes.period) = 1
                then '2000-01-01'::date
            else changes.period_start
        end as valid_from,
        lead(changes.period_start) over (
            partition by changes.tax_code order by changes.period
        ) - 1 as valid_to,
        changes.enterprise_name,
        changes.zone_code,
        changes.ownership,
        changes.investor_country,
        changes.vsic_code,
        changes.enterprise_status,
        changes.period as listed_from_period,
        changes.submitter_code as listed_by,
        changes.version_id as listed_in_version_id,
        min(changes.period) over (partition by changes.tax_code) as first_listed_period,
        last_listings.last_listed_period,
        false as is_inferred
    from changes
    inner join last_listings
        on changes.tax_code = last_listings.tax_code

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
    left join last_listings
        on named_tax_codes.tax_code = last_listings.tax_code
    where last_listings.tax_code is null

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
