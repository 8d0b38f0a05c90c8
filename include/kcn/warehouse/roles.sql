-- Who may read what (docs/access.md). Idempotent: run by prepare_warehouse after schema.sql,
-- by a role that may create roles (the embedded server's superuser, or an administrator on
-- a managed server). The cluster-wide roles themselves are created by roles.py, one
-- statement each; this file does the per-database part.
--
--   kcn_owner     owns every schema and relation; the pipeline and dbt act as it
--   kcn_reader    reads reporting.* and the marts' dimensions and facts, every row
--   kcn_auditor   reads every schema (registry, findings, raw rows), every row
--   kcn_reader_<province>  what kcn_reader reads, through row-level security: the rows of
--                 zones (or submitters) that lie in the province, as they were or are now
--
-- Row-level security lives on the relations dbt builds (macros/access.sql); the functions
-- below are what its policies call.

create schema if not exists kcn_access;

-- The dbt schemas exist before dbt runs, so that their grants can be given here.
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists reporting;
create schema if not exists seeds;

-- One reader role per province of kcn_ref.provinces (roles.py fills it).
create table if not exists kcn_access.province_reader (
    province_code text primary key,
    role_name     text not null unique
);

-- The provinces whose readers the current user is (or is a member of): empty for every
-- other role. Invoker's rights: current_user is the one reading.
create or replace function kcn_access.my_provinces() returns text []
language sql stable
as $$
    select coalesce(array_agg(province_reader.province_code order by 1), '{}')
    from kcn_access.province_reader
    inner join pg_catalog.pg_roles on province_reader.role_name = pg_roles.rolname
    where pg_catalog.pg_has_role(current_user, pg_roles.oid, 'member')
$$;

-- A zone lies in a province for a month when the province held it that month ("as it
-- was") or holds it today ("as it is now"): Ninh Bình's readers see the Nam Định and Hà
-- Nam history of the zones it took over.
create or replace view kcn_access.zone_scope as
select
    zone_code,
    province_code,
    -- null: every month (the zone lies in the province today)
    case when valid_to is not null then valid_from end as valid_from,
    valid_to
from kcn_ref.zone_provinces;

-- A submitter's own figures (all zones of its jurisdiction) lie in its province, and in
-- that of the board that took over from it (BQL-ND -> BQL-NB). District submitters lie in
-- their district's province.
create or replace view kcn_access.submitter_scope as
select submitter_code, province_code
from kcn_ref.submitters
union
select ended.submitter_code, successor.province_code
from kcn_ref.submitters as ended
inner join kcn_ref.zone_provinces as old_province
    on ended.province_code = old_province.province_code and ended.valid_to = old_province.valid_to
inner join kcn_ref.zone_provinces as new_province
    on old_province.zone_code = new_province.zone_code
    and new_province.valid_to is null
inner join kcn_ref.submitters as successor
    on new_province.province_code = successor.province_code
    and successor.submitter_type = 'board'
    and successor.valid_to is null;

-- A province's figures (rpt_province_*, dim_submitter) are also seen by the readers of the
-- province its zones lie in today (Nam Định's by Ninh Bình's).
create or replace view kcn_access.province_scope as
select province_code, province_code as reader_province_code
from kcn_ref.provinces
union
select old_province.province_code, new_province.province_code
from kcn_ref.zone_provinces as old_province
inner join kcn_ref.zone_provinces as new_province
    on old_province.zone_code = new_province.zone_code
    and old_province.valid_to is not null
    and new_province.valid_to is null;

-- Whether a figure lies in one of the reader's provinces in its month (the policies of
-- macros/access.sql call it only on rows of zones that once lay there).
create or replace function kcn_access.sees_figure(zone text, submitter text, period text)
returns boolean
language sql stable
as $$
    select case
        when nullif(zone, '') is null then exists (
            select 1 from kcn_access.submitter_scope
            where submitter_scope.submitter_code = submitter
                and submitter_scope.province_code = any (kcn_access.my_provinces())
        )
        else exists (
            select 1 from kcn_access.zone_scope
            where zone_scope.zone_code = zone
                and zone_scope.province_code = any (kcn_access.my_provinces())
                and (
                    zone_scope.valid_from is null
                    or period is null
                    or (period || '-01' >= zone_scope.valid_from
                        and period || '-01' <= zone_scope.valid_to)
                )
        )
    end
$$;

-- The same as arrays, for policies that read them once per query (an InitPlan) and test
-- each row against them: a function called on every row costs ~0.2 ms, ten seconds on
-- 50,000 figures.
create or replace function kcn_access.my_zones_now() returns text []
language sql stable
as $$
    select coalesce(array_agg(distinct zone_code), '{}') from kcn_access.zone_scope
    where valid_from is null and province_code = any (kcn_access.my_provinces())
$$;

create or replace function kcn_access.my_zones_ever() returns text []
language sql stable
as $$
    select coalesce(array_agg(distinct zone_code), '{}') from kcn_access.zone_scope
    where province_code = any (kcn_access.my_provinces())
$$;

create or replace function kcn_access.my_submitters() returns text []
language sql stable
as $$
    select coalesce(array_agg(distinct submitter_code), '{}') from kcn_access.submitter_scope
    where province_code = any (kcn_access.my_provinces())
$$;

create or replace function kcn_access.my_visible_provinces() returns text []
language sql stable
as $$
    select coalesce(array_agg(distinct province_code), '{}') from kcn_access.province_scope
    where reader_province_code = any (kcn_access.my_provinces())
$$;

-- Every relation of these schemas belongs to kcn_owner, whoever created it (a superuser's
-- earlier runs, an upgrade): dbt, acting as kcn_owner, must be able to replace them.
do $$
declare
    schema_name text;
    rel record;
begin
    foreach schema_name in array array[
        'kcn_ref', 'kcn_raw', 'kcn_audit', 'kcn_access',
        'staging', 'intermediate', 'marts', 'reporting', 'seeds'
    ] loop
        execute format('alter schema %I owner to kcn_owner', schema_name);
    end loop;
    for rel in
        select c.relkind, n.nspname, c.relname
        from pg_catalog.pg_class as c
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname in (
            'kcn_ref', 'kcn_raw', 'kcn_audit', 'kcn_access',
            'staging', 'intermediate', 'marts', 'reporting', 'seeds'
        )
            and c.relkind in ('r', 'p', 'v', 'm', 'S')
            and pg_catalog.pg_get_userbyid(c.relowner) <> 'kcn_owner'
            -- a serial's sequence follows its table
            and not exists (
                select 1 from pg_catalog.pg_depend as d
                where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')
            )
    loop
        execute format(
            'alter %s %I.%I owner to kcn_owner',
            case rel.relkind
                when 'v' then 'view' when 'm' then 'materialized view'
                when 'S' then 'sequence' else 'table'
            end,
            rel.nspname,
            rel.relname
        );
    end loop;
    for rel in
        select p.oid::regprocedure as signature
        from pg_catalog.pg_proc as p
        inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
        where n.nspname = 'kcn_access' and pg_catalog.pg_get_userbyid(p.proowner) <> 'kcn_owner'
    loop
        execute format('alter function %s owner to kcn_owner', rel.signature);
    end loop;
end
$$;

-- The auditor reads every schema; what kcn_owner creates later is readable at once.
grant usage on schema
    kcn_ref, kcn_raw, kcn_audit, kcn_access, staging, intermediate, marts, reporting, seeds
    to kcn_auditor;
grant select on all tables in schema
    kcn_ref, kcn_raw, kcn_audit, kcn_access, staging, intermediate, seeds
    to kcn_auditor;
alter default privileges for role kcn_owner in schema
    kcn_ref, kcn_raw, kcn_audit, staging, intermediate, seeds
    grant select on tables to kcn_auditor;

-- Readers: the two schemas BI tools read (each relation is granted by dbt's post-hook,
-- with its policies), and what the policies' functions read.
grant usage on schema marts, reporting, kcn_access to kcn_reader;
grant select on all tables in schema kcn_access to kcn_reader;

-- dbt creates its schemas "if not exists", which needs the right to create them.
do $$
begin
    execute format('grant create, temporary on database %I to kcn_owner', current_database());
end
$$;
