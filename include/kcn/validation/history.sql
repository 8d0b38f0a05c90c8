-- The figures of the versions in force of one submitter that the history rules compare with,
-- in the canonical unit (units come as arrays from the reference CSV):
-- 'previous_ytd' rows for W_YTD_DECREASE and W_YTD_MONTH_MISMATCH (ytd.py), and
-- 'same_season_month' rows for W_OUTLIER (outlier.py), which takes their median and MAD.
-- Accepted rows hold machine numbers; the pattern (kcn.contract.MACHINE_NUMBER_PATTERN,
-- the validator's own definition) only keeps a cast from ever failing.
with unit as (
    select * from unnest(%(units)s::text[], %(factors)s::float8[], %(currencies)s::text[])
        as u (unit, factor, currency)
),

versions as (
    select version_id, period, submitter_code from kcn_audit.submission_version
    where
        submitter_code = any(%(submitters)s)
        and outcome = any(%(ok)s) and superseded_by is null
        and period >= %(first)s and period < %(period)s
),

figure as (
    select
        v.period,
        i.period_basis,
        i.metric_code,
        i.value_kind,
        u.currency,
        coalesce(i.zone_code, '') as zone_code,
        coalesce(i.enterprise_tax_code, '') as enterprise_tax_code,
        i.value::float8 * u.factor as value
    from versions as v
    inner join kcn_raw.indicators as i on v.version_id = i.version_id
    inner join unit as u on i.unit = u.unit
    -- An array of the few version ids: PostgreSQL then reads their rows by the primary key
    -- instead of scanning every staged row of the warehouse for each submission.
    where
        i.version_id = any(array(select version_id from versions))
        and i.period_basis in ('ytd', 'month') and i.metric_code is not null
        and i.value_kind is not null and i.value ~ %(number_pattern)s
        -- From an earlier board, only the rows of zones this submitter now reports. Without
        -- one the literal true folds the test away: a test on both tables would make
        -- PostgreSQL estimate one row and plan the statistics as nested loops.
        and (
            %(own_rows_only)s or v.submitter_code = %(submitter)s
            or i.zone_code = any(%(zones)s::text[])
        )
)

select
    case period_basis
        when 'ytd' then 'previous_ytd' else 'same_season_month'
    end as figure_kind,
    zone_code,
    enterprise_tax_code,
    metric_code,
    value_kind,
    currency,
    period,
    value
from figure
where
    (period_basis = 'ytd' and period = %(previous)s)
    or (
        period_basis = 'month'
        and (substr(period, 6, 2)::int = any(%(tet_months)s)) = %(tet)s
    )
