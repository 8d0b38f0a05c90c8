"""GX Data Docs of a month, built from the GX results kept in kcn_audit.check_result.

Validation runs in an ephemeral GX context (suites.py) and keeps its results in the
warehouse, per version and expectation. For an auditor, GX's own Data Docs are made from
those rows: a file-based GX context under `directory` gets the two suites and, for each of
the month's versions, a validation result rebuilt from its stored rows (the expectation's
configuration from the suite, the counts and failing rows from the warehouse); then
`build_data_docs` writes GX's static site (gx/uncommitted/data_docs/local_site/index.html,
one page per suite and per version).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

SITE = "local_site"


def build_data_docs(cur: Any, period: str, directory: Path) -> Path:
    """Write GX Data Docs of the month's versions under directory; return the site's index."""
    import great_expectations as gx
    from great_expectations.core import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from kcn.validation import suites
    from kcn.validation.checks import expectation_column

    directory.mkdir(parents=True, exist_ok=True)
    saved = os.environ.get("GX_ANALYTICS_ENABLED")
    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # the warehouse runs offline: no usage events
    try:
        context = gx.get_context(mode="file", project_root_dir=str(directory))
    finally:
        if saved is None:
            os.environ.pop("GX_ANALYTICS_ENABLED", None)
        else:
            os.environ["GX_ANALYTICS_ENABLED"] = saved
    context.enable_analytics(False)
    configurations = {}
    for table in suites.TABLES:
        suite = suites.suite(table)
        stored = gx.ExpectationSuite(
            name=table, expectations=[e.copy() for e in suite.expectations]
        )
        with contextlib.suppress(Exception):  # an earlier build left it: replace it
            context.suites.delete(table)
        context.suites.add(stored)
        configurations[table] = {
            _key(
                e.expectation_type,
                (e.meta or {}).get("rule_id"),
                expectation_column(e.configuration.kwargs),
            ): e.configuration
            for e in suite.expectations
        }
    store = context.validation_results_store
    identifiers = []
    cur.execute(_sql(), {"period": period})
    for version_id, submitter, version_no, run_id, validated_at, table, rows in cur.fetchall():
        results = [
            ExpectationValidationResult(
                success=row["success"],
                expectation_config=configurations[table][
                    _key(row["expectation_type"], row["rule_id"], row["column_name"])
                ],
                result={
                    "element_count": row["element_count"],
                    "unexpected_count": row["unexpected_count"],
                    "unexpected_percent": row["unexpected_percent"],
                    "partial_unexpected_list": [
                        f"{r['file_name']}:{r['row_number']}" for r in row["unexpected_rows"][:20]
                    ],
                    "partial_unexpected_counts": [],
                },
            )
            for row in rows
        ]
        name = f"{submitter}-{period}-v{version_no}"
        result = ExpectationSuiteValidationResult(
            success=all(r.success for r in results),
            results=results,
            suite_name=table,
            statistics=_statistics(results),
            meta={
                "active_batch_definition": {
                    "datasource_name": "kcn_audit.check_result",
                    "data_connector_name": "warehouse",
                    "data_asset_name": table,
                    "batch_identifiers": {"version_id": version_id, "submission": name},
                },
                "run_id": {"run_name": run_id, "run_time": validated_at.isoformat()},
                "validation_time": validated_at.isoformat(),
            },
            batch_id=f"{table}-{name}",
        )
        identifier = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=table),
            run_id=RunIdentifier(run_name=run_id, run_time=validated_at),
            batch_identifier=f"{name}-{version_id}",
        )
        store.set(identifier, result)
        identifiers.append(identifier)
    urls = context.build_data_docs(site_names=[SITE])
    index = Path(urlsplit(urls[SITE]).path)
    log.info("GX Data Docs of %s: %d validation results, %s", period, len(identifiers), index)
    return index


def _statistics(results: Iterable[Any]) -> dict[str, Any]:
    results = list(results)
    passed = sum(1 for r in results if r.success)
    return {
        "evaluated_expectations": len(results),
        "successful_expectations": passed,
        "unsuccessful_expectations": len(results) - passed,
        "success_percent": 100.0 * passed / len(results) if results else None,
    }


def _key(expectation_type: str, rule_id: str | None, column: str | None) -> str:
    return json.dumps([expectation_type, rule_id, column])


@cache
def _sql() -> str:
    return resources.files("kcn.validation").joinpath("data_docs.sql").read_text("utf-8")
