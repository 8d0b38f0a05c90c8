"""Login names, roles and URLs of `kcn access` (no database), and the embedded server's
pg_hba.conf."""

from __future__ import annotations

from pathlib import Path

import pytest

from kcn.settings import DEFAULT_REFERENCE_DIR
from kcn.warehouse import embedded
from kcn.warehouse.logins import Login, check_login_name, check_role, new_password
from kcn.warehouse.roles import AccessError, province_readers, reader_roles


def test_every_province_has_a_reader_role_merged_ones_included() -> None:
    result = province_readers(DEFAULT_REFERENCE_DIR)
    expected = {
        "HN": "kcn_reader_hn",
        "ND": "kcn_reader_nd",
        "HNA": "kcn_reader_hna",
        "NB": "kcn_reader_nb",
    }
    assert result == expected


@pytest.mark.parametrize("name", ["alice", "metabase_hn", "bi2", "a_b_c"])
def test_allowed_login_names(name: str) -> None:
    check_login_name(name)


@pytest.mark.parametrize(
    "name",
    ["", "a", "Alice", "alice!", "1alice", "kcn_alice", "pg_alice", "postgres", "a" * 64, "bé"],
)
def test_refused_login_names_say_why_in_both_languages(name: str) -> None:
    with pytest.raises(AccessError, match="không hợp lệ.*not allowed"):
        check_login_name(name)


@pytest.mark.parametrize("role", reader_roles(DEFAULT_REFERENCE_DIR))
def test_reader_roles_can_be_given(role: str) -> None:
    check_role(role, DEFAULT_REFERENCE_DIR)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("kcn_owner", "không cấp được.*cannot be given"),
        ("postgres", "không cấp được.*cannot be given"),
        ("kcn_reader_qn", "Không có tỉnh mã 'QN'.*no province 'QN'.*HN, HNA, NB, ND"),
    ],
)
def test_other_roles_and_unknown_provinces_are_refused(role: str, message: str) -> None:
    with pytest.raises(AccessError, match=message):
        check_role(role, DEFAULT_REFERENCE_DIR)


def test_passwords_are_long_and_new_each_time() -> None:
    passwords = {new_password() for _ in range(20)}
    assert len(passwords) == 20
    assert min(len(p) for p in passwords) >= 32


def test_login_url_names_the_login_and_quotes_its_password() -> None:
    login = Login("alice", ("kcn_reader_hn",), "a/b+c")
    result = login.url("postgresql://postgres@127.0.0.1:54329/kcn_warehouse?sslmode=prefer")
    expected = "postgresql://alice:a%2Fb%2Bc@127.0.0.1:54329/kcn_warehouse"
    assert result == expected
    assert Login("alice", ()).url("postgresql://u:p@db/w") == "postgresql://alice@db/w"


def test_pg_hba_trusts_only_the_owner_and_is_rewritten_once(tmp_path: Path) -> None:
    (tmp_path / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
    assert embedded.ensure_hba(tmp_path) is True
    assert embedded.ensure_hba(tmp_path) is False
    rules = [
        line.split()
        for line in (tmp_path / "pg_hba.conf").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    trusted = {rule[2] for rule in rules if rule[-1] == "trust"}
    assert trusted == {"postgres", "kcn_owner"}
    assert [rule[2] for rule in rules if rule[-1] == "scram-sha-256"] == ["all", "all", "all"]
