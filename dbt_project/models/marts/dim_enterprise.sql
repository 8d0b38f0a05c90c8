-- One row per tax code, described by its most recent listing in a version in force.
with

enterprises as (

    select * from {{ ref('int_enterprises_in_force') }}

),

indicators as (

    select * from {{ ref('int_indicators_in_force') }}

),

listings_ranked as (

    select
        *,
        row_number() over (
            partition by tax_code
            order by period_start desc, version_id desc, row_number desc
        ) as recency_rank
    from enterprises

),

listing_spans as (

    select
        tax_code,
        min(period) as first_listed_period,
        max(period) as last_listed_period
    from enterprises
    group by tax_code

),

listed as (

    select
        listings_ranked.tax_code,
        listings_ranked.enterprise_name,
        listings_ranked.zone_code,
        listings_ranked.ownership,
        listings_ranked.investor_country,
        listings_ranked.vsic_code,
        listings_ranked.enterprise_status,
        listing_spans.first_listed_period,
        listing_spans.last_listed_period,
        listings_ranked.submitter_code as last_listed_by,
        false as is_inferred
    from listings_ranked
    inner join listing_spans
        on listings_ranked.tax_code = listing_spans.tax_code
    where listings_ranked.recency_rank = 1

),

-- A figure may name a tax code listed only by a since superseded version (the contract
-- accepts any earlier accepted listing); keep it as an inferred member so that every
-- fact row still finds its enterprise.
unlisted as (

    select distinct
        indicators.enterprise_tax_code as tax_code,
        null::text as enterprise_name,
        null::text as zone_code,
        null::text as ownership,
        null::text as investor_country,
        null::text as vsic_code,
        null::text as enterprise_status,
        null::text as first_listed_period,
        null::text as last_listed_period,
        null::text as last_listed_by,
        true as is_inferred
    from indicators
    left join listing_spans
        on indicators.enterprise_tax_code = listing_spans.tax_code
    where
        indicators.enterprise_tax_code is not null
        and listing_spans.tax_code is null

),

final as (

    select * from listed
    union all
    select * from unlisted

)

select * from final
