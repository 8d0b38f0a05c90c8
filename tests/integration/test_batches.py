"""The DAG's batch steps on a real PostgreSQL: batches cut by count and by bytes, and a
batch staged or validated again leaving what was judged as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from kcn import pipeline
from tests.conftest import query, write_submission

pytestmark = pytest.mark.integration


def _rows(n: int) -> list[dict[str, str]]:
    return [
        {"zone_code": "KCN-HN-NOIBAI", "metric_code": "inv_new_projects", "value": str(i)}
        for i in range(n)
    ]


def _judged(url: str) -> list[tuple]:
    return query(
        url,
        "select v.submitter_code, v.outcome, v.validated_at, count(f.*)"
        " from kcn_audit.submission_version as v"
        " left join kcn_audit.finding as f using (version_id)"
        " group by 1, 2, 3 order by 1",
    )


def test_about_one_batch_per_batch_size_versions_named_by_their_submitters(
    workspace: Path,
) -> None:
    for submitter in ("BQL-HN", "BQL-HNA", "BQL-ND", "UBND-HN-SOCSON"):
        write_submission(workspace / "landing", "2024-03", submitter, _rows(1))

    batches = pipeline.intake_batches("2024-03", batch_size=3)

    assert [b["label"] for b in batches] == ["BQL-HN … BQL-ND (3)", "UBND-HN-SOCSON"]
    assert [len(b["version_ids"]) for b in batches] == [3, 1]


def test_a_large_submission_gets_a_batch_of_its_own(workspace: Path) -> None:
    """Cut by count alone, the board and the three districts would share one batch that
    holds nearly all the rows; by bytes, the board's rows are a batch of their own."""
    write_submission(workspace / "landing", "2024-03", "BQL-HN", _rows(10_000))
    for submitter in ("UBND-HN-SOCSON", "UBND-HN-DONGANH", "UBND-HN-MELINH"):
        write_submission(workspace / "landing", "2024-03", submitter, _rows(1))

    batches = pipeline.intake_batches("2024-03", batch_size=2)

    assert [b["label"] for b in batches] == [
        "BQL-HN",
        "UBND-HN-DONGANH … UBND-HN-SOCSON (3)",
    ]


def test_a_batch_staged_and_validated_again_changes_nothing(
    workspace: Path, database_url: str
) -> None:
    write_submission(workspace / "landing", "2024-03", "BQL-HN", _rows(1))
    write_submission(
        workspace / "landing",
        "2024-03",
        "BQL-HNA",
        [{"zone_code": "KCN-HNA-DONGVAN1", "metric_code": "inv_new_project", "value": "7"}],
    )
    [batch] = pipeline.intake_batches("2024-03")
    ids = batch["version_ids"]
    assert pipeline.stage_versions(ids)["staged"] == 2
    results = pipeline.validate_new_versions(ids)
    assert [r["outcome"] for r in results] == ["accepted", "rejected"]
    judged = _judged(database_url)

    again = pipeline.stage_versions(ids)  # an operator clears the staging task
    revalidated = pipeline.validate_new_versions(ids)

    assert (again["staged"], again["already_judged"]) == (0, 2)
    assert revalidated == []  # nothing judged: the run announces nothing
    assert _judged(database_url) == judged
