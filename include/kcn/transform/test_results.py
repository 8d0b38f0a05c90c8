"""Keep the result of every dbt test of every dbt run in kcn_audit.dbt_test_result.

dbt writes its results to target/run_results.json and overwrites them on the next run, and
store_failures keeps the failing rows of a test's latest run only, one table per test in
the dbt_test_failures schema (dbt_command.py runs the tests that failed again with
--store-failures). This module adds each run's tests to the warehouse's history: status,
rows failing, message, time, and up to SAMPLE_ROWS of the failing rows copied from the
store_failures table while it still holds this run's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg2 import sql
from psycopg2.extras import Json, execute_values

from kcn.warehouse.connection import connect

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 10
TEST_TYPES = frozenset({"test", "unit_test"})


@dataclass(frozen=True)
class TestResult:
    unique_id: str
    resource_type: str  # test | unit_test
    test_name: str
    test_type: str | None  # the generic test (not_null, relationships, ...); None: singular
    model: str | None
    column_name: str | None
    status: str  # pass | warn | fail | error | skipped
    failures: int | None
    message: str | None
    execution_time: float | None
    failures_relation: str | None


def from_run_results(run_results: list[Any]) -> list[TestResult]:
    """The tests among the node results of a dbt run (dbtRunnerResult.result.results)."""
    results = []
    for r in run_results:
        node = r.node
        resource_type = str(getattr(node.resource_type, "value", node.resource_type))
        if resource_type not in TEST_TYPES:
            continue
        status = str(getattr(r.status, "value", r.status))
        metadata = getattr(node, "test_metadata", None)
        results.append(
            TestResult(
                unique_id=node.unique_id,
                resource_type=resource_type,
                test_name=node.name,
                test_type=metadata.name if metadata is not None else None,
                model=_model(node),
                column_name=getattr(node, "column_name", None),
                status=status,
                failures=r.failures,
                message=(r.message or "").strip() or None,
                execution_time=r.execution_time,
                failures_relation=getattr(node, "relation_name", None)
                if status in ("fail", "warn")
                else None,
            )
        )
    return results


def failures_relations(run_results: list[Any]) -> dict[str, str]:
    """unique_id -> the table dbt stored a test's failing rows in (a run with
    --store-failures)."""
    return {
        r.node.unique_id: r.node.relation_name
        for r in run_results
        if getattr(r.node, "relation_name", None)
    }


def _model(node: Any) -> str | None:
    """The model a test checks: the one it is attached to, a unit test's model, or the
    first model a singular test reads."""
    attached = getattr(node, "attached_node", None)
    if attached:
        return str(attached).split(".")[-1]
    model = getattr(node, "model", None)
    if isinstance(model, str):
        return model
    models = [n for n in getattr(node.depends_on, "nodes", []) if n.startswith("model.")]
    return models[0].split(".")[-1] if models else None


def record_test_results(
    url: str, run_id: str, invoked_at: datetime, results: list[TestResult]
) -> int:
    """Add a run's test results to kcn_audit.dbt_test_result (a run recorded twice is
    replaced); return how many. Skipped, with a warning, when the warehouse has no table
    for them yet (`kcn warehouse start` creates it)."""
    if not results:
        return 0
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("select to_regclass('kcn_audit.dbt_test_result') is not null")
        [exists] = cur.fetchone() or (False,)
        if not exists:
            logger.warning("kcn_audit.dbt_test_result is missing: dbt test results not kept")
            return 0
        rows = [
            (
                run_id,
                invoked_at if invoked_at.tzinfo else invoked_at.replace(tzinfo=UTC),
                t.unique_id,
                t.resource_type,
                t.test_name,
                t.test_type,
                t.model,
                t.column_name,
                t.status,
                t.failures,
                t.message,
                t.execution_time,
                t.failures_relation,
                _sample(cur, t.failures_relation),
            )
            for t in results
        ]
        cur.execute("delete from kcn_audit.dbt_test_result where run_id = %s", (run_id,))
        execute_values(
            cur,
            "insert into kcn_audit.dbt_test_result (run_id, invoked_at, unique_id,"
            " resource_type, test_name, test_type, model, column_name, status, failures,"
            " message, execution_time, failures_relation, failure_sample) values %s",
            rows,
        )
    return len(rows)


def _sample(cur: Any, relation: str | None) -> Json | None:
    """Up to SAMPLE_ROWS rows of a store_failures table, as JSON objects."""
    if not relation:
        return None
    parts = [p.strip('"') for p in relation.split(".")]
    cur.execute("select to_regclass(%s) is not null", (relation,))
    [exists] = cur.fetchone() or (False,)
    if not exists:
        return None
    cur.execute(
        sql.SQL(
            "select coalesce(jsonb_agg(to_jsonb(t)), '[]') from (select * from {} limit %s) t"
        ).format(sql.Identifier(*parts[-2:])),
        (SAMPLE_ROWS,),
    )
    [rows] = cur.fetchone() or ([],)
    return Json(rows)
