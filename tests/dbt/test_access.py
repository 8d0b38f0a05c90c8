"""Who reads what (issue 12, docs/access.md): logins of each role connect with their
password over TCP and read what their role allows, no more; province readers see their
province's rows through row-level security; a full refresh keeps all of it; SQLAlchemy's
inspector (what Metabase and Superset use) finds comments, dates and keys.

Roles are the server's (cluster-wide): this module creates its own logins, with unique
names, and drops those only.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import psycopg2
import psycopg2.errors
import pytest

from kcn.settings import get_settings
from kcn.transform.dbt_command import run_dbt
from kcn.warehouse import connection as warehouse
from kcn.warehouse import logins
from kcn.warehouse.roles import AccessError
from tests.conftest import fetch_all
from tests.dbt.conftest import built_database
from tests.dbt.conftest import query as _query
from tests.dbt.test_star_schema import ND_ZONE, VERSIONS, Row

pytestmark = [pytest.mark.integration, pytest.mark.slow]

D = Decimal
HN_ZONE, HN_ZONE_2 = "KCN-HN-NOIBAI", "KCN-HN-THANGLONG"
HNA_ZONE = "KCN-HNA-DONGVAN1"
OUTPUT = "biz_industrial_output"


def _zone_rows(*zones_values: tuple[str, str]) -> list[Row]:
    return [
        (zone, None, OUTPUT, "actual", "month", value, "VND_BN") for zone, value in zones_values
    ]


# Zone figures of every province, before and after the merger, and a district's figure.
ACCESS_VERSIONS = [
    *VERSIONS,
    ("BQL-HN", "2024-07", 1, "accepted", "2024-08-05 10:00",
     _zone_rows((HN_ZONE, "300"), (HN_ZONE_2, "200")), []),
    ("BQL-HNA", "2024-07", 1, "accepted", "2024-08-05 10:00", _zone_rows((HNA_ZONE, "70")), []),
    ("BQL-HN", "2025-07", 1, "accepted", "2025-08-05 10:00", _zone_rows((HN_ZONE, "310")), []),
    ("BQL-NB", "2025-08", 1, "accepted", "2025-09-05 10:00", _zone_rows((HNA_ZONE, "80")), []),
    ("UBND-HN-SOCSON", "2024-07", 1, "accepted", "2024-08-05 10:00",
     [(HN_ZONE, None, "saf_fire_incidents", "actual", "month", "1", "CASE")], []),
]  # fmt: skip
ROLES = ("kcn_reader", "kcn_auditor", "kcn_reader_hn", "kcn_reader_nd", "kcn_reader_nb")


@pytest.fixture(scope="module")
def access_url() -> Iterator[str]:
    with built_database("kcn_test_access", ACCESS_VERSIONS) as url:
        yield url


@pytest.fixture(scope="module")
def accounts(access_url: str) -> Iterator[dict[str, logins.Login]]:
    """A login per role (unique names; only these are dropped at the end)."""
    reference_dir = get_settings().reference_dir
    suffix = uuid.uuid4().hex[:8]
    created: dict[str, logins.Login] = {}
    try:
        with warehouse.connect(access_url, as_owner=False) as conn:
            for role in ROLES:
                name = f"t{suffix}_{role.removeprefix('kcn_')}"
                created[role] = logins.grant(conn, role, name, reference_dir)
        yield created
    finally:
        with warehouse.connect(access_url, as_owner=False) as conn:
            for login in created.values():
                logins.revoke(conn, login.name, reference_dir)


def _connect(url: str, login: logins.Login) -> Any:
    """A connection as the login, with its password, over TCP."""
    parts = urlsplit(url)
    return psycopg2.connect(
        host="127.0.0.1" if parts.hostname in (None, "localhost") else parts.hostname,
        port=parts.port or 5432,
        dbname=parts.path.lstrip("/"),
        user=login.name,
        password=login.password,
    )


def _as(url: str, login: logins.Login, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    return fetch_all(_connect(url, login), sql, params)


def _refused(url: str, login: logins.Login, sql: str) -> bool:
    try:
        _as(url, login, sql) if sql.lstrip().startswith("select") else _execute(url, login, sql)
    except psycopg2.errors.InsufficientPrivilege:
        return True
    return False


def _execute(url: str, login: logins.Login, sql: str) -> None:
    conn = _connect(url, login)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
        conn.commit()
    finally:
        conn.close()


ZONE_ROWS = f"""
    select period, zone_code, value_month from reporting.rpt_indicators_zones_monthly
    where metric_code = '{OUTPUT}' order by period, zone_code
"""
WRITES = [
    "insert into kcn_raw.indicators (version_id, file_name, row_number) values (1, 'x', 1)",
    "delete from kcn_audit.finding",
    "update marts.dim_zone set zone_name_en = 'x'",
    "delete from reporting.rpt_indicators_zones_monthly",
    "create table marts.stray (x integer)",
    "create table reporting.stray (x integer)",
]


def test_reader_reads_the_reporting_layer_and_the_marts(access_url: str, accounts: Any) -> None:
    reader = accounts["kcn_reader"]
    result = _as(access_url, reader, ZONE_ROWS)
    expected = _query(access_url, ZONE_ROWS)
    assert result == expected
    assert len(result) == 8
    assert _as(access_url, reader, "select count(*) from marts.fct_indicator_values")[0][0] > 0


@pytest.mark.parametrize(
    "relation",
    [
        "kcn_raw.indicators",
        "kcn_audit.submission_version",
        "kcn_audit.finding",
        "kcn_ref.zones",
        "staging.stg_kcn_raw__indicators",
        "intermediate.int_indicators_in_force",
        "seeds.exchange_rates",
        # mixed levels: their one-level tables are what readers read
        "reporting.rpt_indicators_monthly",
        "reporting.rpt_province_monthly",
    ],
)
def test_reader_cannot_read_beyond_the_bi_layer(
    access_url: str, accounts: Any, relation: str
) -> None:
    for role in ("kcn_reader", "kcn_reader_hn"):
        assert _refused(access_url, accounts[role], f"select 1 from {relation} limit 1"), role


@pytest.mark.parametrize("statement", WRITES)
def test_no_reader_or_auditor_can_write(access_url: str, accounts: Any, statement: str) -> None:
    for role in ROLES:
        assert _refused(access_url, accounts[role], statement), role


def test_auditor_reads_every_schema_and_every_row(access_url: str, accounts: Any) -> None:
    auditor = accounts["kcn_auditor"]
    for relation in (
        "kcn_raw.indicators",
        "kcn_raw.enterprises",
        "kcn_audit.submission_version",
        "kcn_audit.finding",
        "kcn_ref.provinces",
        "staging.stg_kcn_raw__indicators",
        "intermediate.int_indicator_vintages",
        "seeds.exchange_rates",
        "marts.fct_indicator_values",
        "reporting.rpt_indicators_monthly",
        "reporting.rpt_province_monthly",
    ):
        count = f"select count(*) from {relation}"
        assert _as(access_url, auditor, count) == _query(access_url, count), relation
    assert _as(access_url, auditor, "select count(*) from kcn_raw.indicators")[0][0] > 0


# The zone rows each province's reader sees.
ZONES_SEEN = {
    "kcn_reader_hn": [
        ("2024-07", HN_ZONE, D("300")),
        ("2024-07", HN_ZONE_2, D("200")),
        ("2025-07", HN_ZONE, D("310")),
    ],
    # the history of the zones Ninh Bình took over
    "kcn_reader_nb": [
        ("2024-07", HNA_ZONE, D("70")),
        ("2024-07", ND_ZONE, D("100")),
        ("2025-06", ND_ZONE, D("110")),
        ("2025-07", ND_ZONE, D("120")),
        ("2025-08", HNA_ZONE, D("80")),
    ],
    # Nam Định's zones until the merger only
    "kcn_reader_nd": [("2024-07", ND_ZONE, D("100")), ("2025-06", ND_ZONE, D("110"))],
}


@pytest.mark.parametrize("role", ZONES_SEEN)
def test_province_reader_sees_its_zones(access_url: str, accounts: Any, role: str) -> None:
    assert _as(access_url, accounts[role], ZONE_ROWS) == ZONES_SEEN[role]


def test_hanoi_reader_sees_hanoi_and_nothing_of_nam_dinh(access_url: str, accounts: Any) -> None:
    hanoi = accounts["kcn_reader_hn"]
    submitters = _as(
        access_url,
        hanoi,
        """
        select distinct submitter_code from marts.fct_indicator_values
        union select distinct submitter_code from reporting.rpt_indicators_all_zones_monthly
        union select distinct submitter_code from reporting.rpt_indicators_districts_monthly
        union select submitter_code from marts.dim_submitter where province_code <> 'HN'
        """,
    )
    assert {code for (code,) in submitters} == {"BQL-HN", "UBND-HN-SOCSON"}
    provinces = _as(
        access_url,
        hanoi,
        """
        select province_code from marts.dim_zone
        union select province_code from reporting.rpt_province_as_was_monthly
        union select province_code from reporting.rpt_province_now_monthly
        union select province_code from reporting.rpt_plan_vs_actual_all_zones
        """,
    )
    assert {code for (code,) in provinces} == {"HN"}


def test_ninh_binh_reader_sees_the_history_of_the_zones_it_took_over(
    access_url: str, accounts: Any
) -> None:
    all_zones = _as(
        access_url,
        accounts["kcn_reader_nb"],
        "select distinct submitter_code from reporting.rpt_indicators_all_zones_monthly",
    )
    # BQL-NB's own all-zones rows from 2025-07, and the history of the two boards it took over
    assert sorted(code for (code,) in all_zones) == ["BQL-HNA", "BQL-NB", "BQL-ND"]


def test_province_totals_add_up_to_the_national_total(access_url: str, accounts: Any) -> None:
    """Today's provinces (Hà Nội, Ninh Bình) each see their zones' whole history: their
    totals add up to the country's, on the zone table and on the province table."""
    for relation in (
        "reporting.rpt_indicators_zones_monthly",
        "reporting.rpt_province_now_monthly",
    ):
        total = f"select sum(value_month) from {relation} where metric_code = '{OUTPUT}'"
        national = _query(access_url, total)[0][0]
        by_province = [
            _as(access_url, accounts[role], total)[0][0]
            for role in ("kcn_reader_hn", "kcn_reader_nb")
        ]
        assert sum(by_province) == national == D("1290"), relation
    # As the provinces were: each province reader's own rows.
    as_was = (
        "select coalesce(sum(value_month), 0) from reporting.rpt_province_as_was_monthly"
        f" where metric_code = '{OUTPUT}' and province_code = any(%s)"
    )
    result = (
        _as(access_url, accounts["kcn_reader_hn"], as_was, (["HN"],))[0][0]
        + _as(access_url, accounts["kcn_reader_nb"], as_was, (["NB", "ND", "HNA"],))[0][0]
    )
    assert result == D("1290")


def test_full_refresh_keeps_grants_and_policies(access_url: str, accounts: Any) -> None:
    run_dbt(
        ["run", "--full-refresh", "--select", "dim_zone+"],
        url=access_url,
    )
    test_hanoi_reader_sees_hanoi_and_nothing_of_nam_dinh(access_url, accounts)
    test_reader_reads_the_reporting_layer_and_the_marts(access_url, accounts)
    result = _query(
        access_url,
        """
        select tablename, policyname from pg_policies
        where schemaname = 'reporting' and tablename = 'rpt_indicators_zones_monthly'
        order by policyname
        """,
    )
    expected = [
        ("rpt_indicators_zones_monthly", "kcn_all_rows"),
        ("rpt_indicators_zones_monthly", "kcn_province_rows"),
    ]
    assert result == expected


def test_every_bi_relation_is_granted_with_a_policy(access_url: str) -> None:
    """A relation a province reader may read has row-level security and a policy for it (a
    view, which has none, is not granted to them); every marts and reporting relation is
    readable by kcn_reader or is a mixed-level base."""
    result = _query(
        access_url,
        """
        select c.relnamespace::regnamespace::text || '.' || c.relname,
            c.relrowsecurity or c.relkind = 'v',
            has_table_privilege('kcn_reader_hn', c.oid, 'select'),
            has_table_privilege('kcn_reader', c.oid, 'select'),
            exists (
                select 1 from pg_policies as p
                where p.schemaname = c.relnamespace::regnamespace::text
                    and p.tablename = c.relname and 'kcn_reader_hn' = any(p.roles)
            )
        from pg_class as c
        where c.relnamespace in ('marts'::regnamespace, 'reporting'::regnamespace)
            and c.relkind in ('r', 'v', 'p')
        """,
    )
    mixed = {
        "reporting.rpt_indicators_monthly",
        "reporting.rpt_investment_monthly",
        "reporting.rpt_plan_vs_actual",
        "reporting.rpt_province_monthly",
    }
    assert len(result) > 25
    for relation, rls, province_may, reader_may, province_policy in result:
        assert rls, relation
        assert province_may == province_policy, relation
        assert reader_may == (relation not in mixed), relation


def test_bi_tools_find_comments_dates_and_keys(access_url: str, accounts: Any) -> None:
    """What SQLAlchemy's inspector (Metabase, Superset) finds, connected as a reader."""
    from sqlalchemy import Date, create_engine, inspect

    reader = accounts["kcn_reader"]
    parts = urlsplit(access_url)
    engine = create_engine(
        f"postgresql+psycopg2://{reader.name}:{reader.password}@127.0.0.1:{parts.port or 5432}"
        f"{parts.path}"
    )
    try:
        inspector = inspect(engine)
        tables = inspector.get_table_names(schema="reporting")
        assert "rpt_indicators_zones_monthly" in tables
        for table in tables:
            assert inspector.get_table_comment(table, schema="reporting")["text"], table
            columns = inspector.get_columns(table, schema="reporting")
            undescribed = [c["name"] for c in columns if not c.get("comment")]
            assert undescribed == [], table
            dates = {c["name"]: c["type"] for c in columns}
            assert isinstance(dates["period_start"], Date), table
            references = {
                fk["referred_table"] for fk in inspector.get_foreign_keys(table, schema="reporting")
            }
            assert "dim_period" in references, table
        comment = inspector.get_table_comment("rpt_indicators_zones_monthly", schema="reporting")
        assert "Additive over time" in comment["text"]
        assert inspector.get_pk_constraint("dim_period", schema="marts")["constrained_columns"] == [
            "period_key"
        ]
        fact_keys = {
            (tuple(fk["constrained_columns"]), fk["referred_table"])
            for fk in inspector.get_foreign_keys("fct_indicator_values", schema="marts")
        }
        assert {
            (("period_key",), "dim_period"),
            (("metric_code",), "dim_metric"),
            (("submitter_code",), "dim_submitter"),
            (("zone_key",), "dim_zone"),
            (("enterprise_key",), "dim_enterprise"),
        } <= fact_keys
    finally:
        engine.dispose()


def _foreign_keys(url: str) -> set[tuple[str, str]]:
    """(table, dimension) of every foreign key of the marts and reporting tables."""
    rows = _query(
        url,
        """
        select conrelid::regclass::text, confrelid::regclass::text from pg_constraint
        where contype = 'f' and connamespace::regnamespace::text in ('marts', 'reporting')
        """,
    )
    return set(rows)


def test_keys_stay_declared_when_a_dimension_is_rebuilt_alone(access_url: str) -> None:
    """Rebuilding dim_zone drops the old table and the keys pointing at it; the end of the
    same run declares them again, and a table built before its dimension keeps its key."""
    before = _foreign_keys(access_url)
    assert {
        ("marts.fct_indicator_values", "marts.dim_zone"),
        ("marts.fct_indicators_monthly", "marts.dim_zone"),
        ("marts.dim_exchange_rate", "marts.dim_period"),
    } <= before
    run_dbt(["build", "--select", "dim_zone"], url=access_url)
    assert _foreign_keys(access_url) == before


def test_period_start_is_the_months_first_day(access_url: str) -> None:
    result = _query(
        access_url,
        """
        select count(*) from reporting.rpt_indicators_zones_monthly
        where period_start <> to_date(period, 'YYYY-MM')
        """,
    )
    assert result == [(0,)]


@pytest.mark.parametrize(
    ("role", "login", "words"),
    [
        ("kcn_reader", "Alice!", ["không hợp lệ", "not allowed"]),
        ("kcn_reader", "kcn_alice", ["không hợp lệ", "not allowed"]),
        ("kcn_reader", "postgres", ["không hợp lệ", "not allowed"]),
        ("kcn_owner", "alice_owner", ["không cấp được", "cannot be given"]),
        ("postgres", "alice_su", ["không cấp được", "cannot be given"]),
        ("kcn_reader_xx", "alice_xx", ["Không có tỉnh", "no province 'XX'"]),
    ],
)
def test_bad_grants_say_why_and_create_nothing(
    access_url: str, role: str, login: str, words: list[str]
) -> None:
    reference_dir = get_settings().reference_dir
    roles_before = _query(access_url, "select rolname from pg_roles order by 1")
    with (
        warehouse.connect(access_url, as_owner=False) as conn,
        pytest.raises(AccessError) as raised,
    ):
        logins.grant(conn, role, login, reference_dir)
    for word in words:
        assert word in str(raised.value)
    assert _query(access_url, "select rolname from pg_roles order by 1") == roles_before


def test_a_login_that_exists_is_not_granted_again(access_url: str, accounts: Any) -> None:
    existing = accounts["kcn_reader_hn"].name
    with (
        warehouse.connect(access_url, as_owner=False) as conn,
        pytest.raises(AccessError, match="đã có.*already exists"),
    ):
        logins.grant(conn, "kcn_auditor", existing, get_settings().reference_dir)
    result = _query(
        access_url,
        """
        select granted.rolname from pg_auth_members
        join pg_roles as member on member.oid = pg_auth_members.member
        join pg_roles as granted on granted.oid = pg_auth_members.roleid
        where member.rolname = %s
        """,
        (existing,),
    )
    assert result == [("kcn_reader_hn",)]


def test_cli_grant_prints_the_password_once_and_logs_it_nowhere(
    access_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from typer.testing import CliRunner

    from kcn.cli import app

    monkeypatch.setenv("KCN_WAREHOUSE_URL", access_url)
    login = f"t{uuid.uuid4().hex[:8]}_cli"
    runner = CliRunner()
    with caplog.at_level(logging.DEBUG):
        granted = runner.invoke(
            app, ["access", "grant", "--role", "kcn_reader_nb", "--login", login]
        )
    try:
        assert granted.exit_code == 0, granted.output
        password = next(
            line.split(": ", 1)[1]
            for line in granted.output.splitlines()
            if line.startswith("Mật khẩu / Password: ")
        )
        assert f"{login}:" in granted.output  # the connection URL
        assert password not in caplog.text
        with (
            warehouse.connect(access_url, as_owner=False) as conn,
            conn.cursor() as cur,
        ):
            cur.execute("select rolpassword from pg_authid where rolname = %s", (login,))
            stored = cur.fetchall()
        assert stored[0][0].startswith("SCRAM-SHA-256$")
        assert password not in stored[0][0]
        server_log = get_settings().pgdata / "server.log"
        if not _external_server() and server_log.exists():
            assert password not in server_log.read_text(encoding="utf-8", errors="replace")
        listed = runner.invoke(app, ["access", "list"])
        assert f"{login}\tkcn_reader_nb" in listed.output
        nb = logins.Login(login, ("kcn_reader_nb",), password)
        assert (
            _as(access_url, nb, "select count(*) from reporting.rpt_indicators_zones_monthly")[0][0]
            == 6
        )
    finally:
        revoked = runner.invoke(app, ["access", "revoke", "--login", login])
    assert revoked.exit_code == 0, revoked.output
    assert _query(access_url, "select 1 from pg_roles where rolname = %s", (login,)) == []
    again = runner.invoke(app, ["access", "revoke", "--login", login])
    assert again.exit_code == 2
    assert "There is no reader login" in again.output


def _external_server() -> bool:
    import os

    return bool(os.environ.get("KCN_TEST_DATABASE_URL"))


@pytest.mark.skipif(_external_server(), reason="the embedded server's pg_hba.conf")
def test_embedded_server_wants_a_password_from_every_login_but_the_owner(
    access_url: str, accounts: Any
) -> None:
    without = logins.Login(accounts["kcn_reader"].name, ("kcn_reader",), None)
    with pytest.raises(psycopg2.OperationalError, match="password"):
        _connect(access_url, without).close()
    wrong = logins.Login(accounts["kcn_reader"].name, ("kcn_reader",), "not-the-password")
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        _connect(access_url, wrong).close()
    hba = (get_settings().pgdata / "pg_hba.conf").read_text(encoding="utf-8")
    assert "host    all       all        127.0.0.1/32   scram-sha-256" in hba
