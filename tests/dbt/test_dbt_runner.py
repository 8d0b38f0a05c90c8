"""dbt_env: a PostgreSQL URL becomes the KCN_DBT_* variables profiles.yml reads."""

from __future__ import annotations

import pytest

from kcn.transform.dbt_command import dbt_env


def test_dbt_env_reads_every_part() -> None:
    result = dbt_env("postgresql://kcn:s%40cret@db.example:5433/kcn_warehouse")
    expected = {
        "KCN_DBT_HOST": "db.example",
        "KCN_DBT_PORT": "5433",
        "KCN_DBT_USER": "kcn",
        "KCN_DBT_PASSWORD": "s@cret",
        "KCN_DBT_DBNAME": "kcn_warehouse",
    }
    assert result == expected


def test_dbt_env_defaults_port_and_empty_password() -> None:
    result = dbt_env("postgresql://postgres@127.0.0.1/kcn_dev")
    assert (result["KCN_DBT_PORT"], result["KCN_DBT_PASSWORD"]) == ("5432", "")


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/kcn", "postgresql://postgres@127.0.0.1:5432/", "not a url"],
)
def test_dbt_env_rejects_what_is_not_a_postgresql_database_url(url: str) -> None:
    with pytest.raises(ValueError):
        dbt_env(url)
