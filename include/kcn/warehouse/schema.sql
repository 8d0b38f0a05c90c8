-- Warehouse tables owned by the Python pipeline. Idempotent: safe to run on every start.
create schema if not exists kcn_ref;
create schema if not exists kcn_raw;
create schema if not exists kcn_audit;

create table if not exists kcn_audit.submission_version (
    version_id      bigserial primary key,
    submitter_code  text not null,
    period          text not null,            -- YYYY-MM, the folder's month
    version_no      integer not null,         -- 1, 2, ... per (submitter_code, period)
    content_sha256  text not null,            -- hash of the sorted (file name, file hash) list
    received_at     timestamptz not null,     -- when the files arrived (latest file time)
    registered_at   timestamptz not null default now(),  -- when intake first saw this content
    landing_path    text not null,
    files           jsonb not null,           -- [{"name", "sha256", "bytes", "archive_path"}]
    outcome         text,                     -- null until validated
    validated_at    timestamptz,
    superseded_by   bigint references kcn_audit.submission_version (version_id),
    unique (submitter_code, period, content_sha256),
    unique (submitter_code, period, version_no)
);

create table if not exists kcn_raw.indicators (
    version_id          bigint not null references kcn_audit.submission_version (version_id),
    file_name           text not null,
    row_number          integer not null,     -- as the spreadsheet shows it: header is row 1
    submitter_code      text,
    period              text,
    zone_code           text,
    enterprise_tax_code text,
    metric_code         text,
    value_kind          text,
    period_basis        text,
    value               text,                 -- machine form ('1178.5'); XLSX cells normalised
    value_as_text       boolean not null default false,  -- XLSX text cell read by vi conventions
    unit                text,
    note                text,
    primary key (version_id, file_name, row_number)
);

create table if not exists kcn_raw.enterprises (
    version_id       bigint not null references kcn_audit.submission_version (version_id),
    file_name        text not null,
    row_number       integer not null,
    tax_code         text,
    enterprise_name  text,
    zone_code        text,
    ownership        text,
    investor_country text,
    vsic_code        text,
    status           text,
    enterprise_name_key text,             -- kcn.text.fold_key(enterprise_name): names match on it
    primary key (version_id, file_name, row_number)
);

create table if not exists kcn_audit.finding (
    finding_id   bigserial primary key,
    version_id   bigint not null references kcn_audit.submission_version (version_id),
    rule_id      text not null,
    severity     text not null,               -- fatal | error | warning
    file_name    text,
    row_number   integer,                     -- null: about the whole file or folder
    column_name  text,
    value        text,
    message_vi   text not null,
    message_en   text not null
);
do $$ begin  -- created only when missing, for the same reason as the columns below
    if to_regclass('kcn_audit.finding_version_idx') is null then
        create index if not exists finding_version_idx on kcn_audit.finding (version_id);
    end if;
end $$;
-- Columns added later, each only when missing: `alter table` takes an exclusive lock on the
-- table even when the column exists, and a run that starts while another works would then
-- deadlock with it.
do $$
declare
    added record;
begin
    for added in
        select * from (values
            ('kcn_raw', 'enterprises', 'enterprise_name_key', 'text'),
            -- when the version's files were last read and staged: validation stages a
            -- version first when nothing has (a version is never judged on rows never read)
            ('kcn_audit', 'submission_version', 'staged_at', 'timestamptz'),
            -- for engineers: a library's error text or an exception, never part of a message
            ('kcn_audit', 'finding', 'detail', 'text')
        ) as later (table_schema, table_name, column_name, column_type)
    loop
        if not exists (
            select from information_schema.columns
            where table_schema = added.table_schema and table_name = added.table_name
                and column_name = added.column_name
        ) then
            execute format(
                'alter table %I.%I add column if not exists %I %s',
                added.table_schema, added.table_name, added.column_name, added.column_type
            );
        end if;
    end loop;
end $$;

-- Entries of the landing area that are not submissions (contract 1.1, section 9): reported by
-- their exact name and reason every time intake sees them.
create table if not exists kcn_audit.landing_issue (
    path        text primary key,                 -- relative to the landing area, exact
    period      text,                             -- the month folder it is in, if any
    reason      text not null,
    first_seen  timestamptz not null default now(),
    last_seen   timestamptz not null default now(),
    times_seen  integer not null default 1
);

-- Reminders to submitters whose report for a month is missing or was rejected only
-- (kcn.reports.reminders): one per (period, submitter, reason), written to the outbox and,
-- when a mail server is configured, sent once (sent_at).
create table if not exists kcn_audit.reminder (
    reminder_id          bigserial primary key,
    period               text not null,
    submitter_code       text not null,
    reason               text not null,       -- missing | rejected_only
    rejected_version_id  bigint references kcn_audit.submission_version (version_id),
    deadline_at          timestamptz not null,
    recipients           text,                -- comma-separated; null: no contact_email
    subject              text not null,
    outbox_path          text not null,
    written_at           timestamptz not null default now(),
    sent_at              timestamptz,         -- null: not sent (no mail server, no address)
    message_id           text,
    unique (period, submitter_code, reason)
);

-- Every expectation of every GX run, per version: what was checked, how many rows, how many
-- failed and which (file, row), bounded; a re-validation of a version replaces its rows.
create table if not exists kcn_audit.check_result (
    check_result_id    bigserial primary key,
    version_id         bigint not null references kcn_audit.submission_version (version_id),
    run_id             text not null,         -- one GX run (many versions are checked in one)
    validated_at       timestamptz not null,
    suite              text not null,         -- the GX suite: indicators | enterprises
    expectation_type   text not null,         -- e.g. expect_column_values_to_be_in_set
    rule_id            text not null,         -- the contract rule it enforces
    severity           text not null,         -- fatal | error | warning
    column_name        text,                  -- the column the expectation reads
    contract_column    text,                  -- the contract column a finding names
    description        text,
    success            boolean not null,
    element_count      integer not null,      -- the version's rows in the table
    unexpected_count   integer not null,
    unexpected_percent numeric,               -- of the rows the expectation judged
    unexpected_rows    jsonb not null default '[]',  -- [{"file_name", "row_number"}], the first 100
    observed_value     text
);
do $$ begin  -- created only when missing (no lock on a table that has it)
    if to_regclass('kcn_audit.check_result_version_idx') is null then
        create index if not exists check_result_version_idx on kcn_audit.check_result (version_id);
    end if;
end $$;

-- Every dbt test of every dbt run (build or test), kept across runs: the history of the
-- warehouse's own checks. Failing rows are in the dbt_test_failures schema (store_failures)
-- for the latest run, and a sample of them here for every run.
create table if not exists kcn_audit.dbt_test_result (
    run_id            text not null,          -- dbt's invocation id
    invoked_at        timestamptz not null,
    unique_id         text not null,          -- test.kcn_warehouse.not_null_dim_zone_zone_key.…
    resource_type     text not null,          -- test | unit_test
    test_name         text not null,
    test_type         text,                   -- not_null, unique, relationships, ... (generic)
    model             text,                   -- the model the test is attached to
    column_name       text,
    status            text not null,          -- pass | warn | fail | error | skipped
    failures          integer,
    message           text,
    execution_time    double precision,
    failures_relation text,                   -- the store_failures table of the run
    failure_sample    jsonb,                  -- up to 10 failing rows as dbt stored them
    primary key (run_id, unique_id)
);
do $$ begin  -- created only when missing (no lock on a table that has it)
    if to_regclass('kcn_audit.dbt_test_result_invoked_idx') is null then
        create index if not exists dbt_test_result_invoked_idx on kcn_audit.dbt_test_result (invoked_at);
    end if;
end $$;
