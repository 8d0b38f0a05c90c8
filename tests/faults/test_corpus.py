"""The fault corpus through the pipeline on a real PostgreSQL: every malformed submission
ends in a clear outcome with its findings, its month's clean submission is accepted beside it,
every regular file received is archived, what in the landing area is not a submission is
reported by name, and running any step again changes nothing."""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest

from kcn import pipeline
from kcn.period import months
from tests.conftest import query as _query
from tests.conftest import use_warehouse, write_submission
from tests.faults.corpus import GOOD_HN, cases, checksums, landing_oddities

# one worker builds the corpus once for every test of the module
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("fault_corpus")]
MAX_BYTES = 20 * 1024 * 1024  # a smaller size limit: a file over it is quicker to make


@pytest.fixture(scope="module")
def corpus_run(database_url, tmp_path_factory):
    """The corpus in one landing area (a case a month from 2022-01, each beside a clean
    BQL-HN submission), taken in by `pipeline.ingest` once; (url, data, cases, periods)."""
    data = tmp_path_factory.mktemp("corpus")
    landing = data / "landing"
    outside = data / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0:secret outside the landing area\n")
    write_submission(outside, "2021-01", "BQL-NB", GOOD_HN)  # linked to: never taken in
    corpus = cases(secret)
    periods = months("2022-01", "2030-01")[: len(corpus)]
    for case, period in zip(corpus, periods, strict=False):
        case.build(landing, period)
        write_submission(landing, period, "BQL-HN", GOOD_HN)
    write_submission(landing, "2030-01", "BQL-HN", GOOD_HN)  # a month not open yet
    oddities = landing_oddities(landing, outside / "2021-01" / "BQL-NB")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KCN_MAX_FILE_BYTES", str(MAX_BYTES))
        use_warehouse(mp, database_url, data)
        started = time.perf_counter()
        summary = pipeline.ingest(run_dbt_after=False)
        elapsed = time.perf_counter() - started
        yield {
            "url": database_url,
            "data": data,
            "cases": list(zip(corpus, periods, strict=False)),
            "summary": summary,
            "oddities": oddities,
            "elapsed": elapsed,
            "mp": mp,
        }


def _version(url: str, submitter: str, period: str) -> tuple[int, str]:
    [(version_id, outcome)] = _query(
        url,
        "select version_id, outcome from kcn_audit.submission_version"
        " where submitter_code = %s and period = %s order by version_no desc limit 1",
        (submitter, period),
    )
    return version_id, outcome


def test_every_malformed_submission_has_a_clear_outcome_and_its_findings(corpus_run):
    url = corpus_run["url"]
    unclear = []
    for case, period in corpus_run["cases"]:
        version_id, outcome = _version(url, case.submitter, period)
        rules = {
            r
            for (r,) in _query(
                url, "select rule_id from kcn_audit.finding where version_id = %s", (version_id,)
            )
        }
        if (
            outcome != case.outcome
            and not (case.outcome == "accepted" and outcome == "accepted_with_warnings")
            or not case.rules <= rules
        ):
            unclear.append((case.id, outcome, rules))
    print(
        f"\nfigures: {len(corpus_run['cases']) + 1} submissions and"
        f" {len(corpus_run['oddities'])} landing entries tried; {len(unclear)} unclear;"
        f" ingest took {corpus_run['elapsed']:.0f} s"
    )
    assert unclear == []
    assert _query(
        url, "select count(*) from kcn_audit.submission_version where outcome is null"
    ) == [(0,)]


def test_the_clean_submission_beside_each_is_accepted(corpus_run):
    url = corpus_run["url"]
    affected = [
        period
        for _, period in corpus_run["cases"]
        if _version(url, "BQL-HN", period)[1] != "accepted"
    ]
    assert affected == []


def test_every_regular_file_received_is_archived(corpus_run):
    landing = corpus_run["data"] / "landing"
    archive = corpus_run["data"] / "archive"
    not_archived = []
    for _, period in corpus_run["cases"]:
        for path in (landing / period).rglob("*"):
            if path.is_symlink() or not path.is_file():
                continue
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if not (archive / sha[:2] / sha).exists():
                not_archived.append(str(path))
    assert not_archived == []


def test_nothing_outside_the_landing_area_is_read(corpus_run):
    archive = corpus_run["data"] / "archive"
    secret = hashlib.sha256((corpus_run["data"] / "outside" / "secret.txt").read_bytes())
    assert not (archive / secret.hexdigest()[:2] / secret.hexdigest()).exists()
    outbox = corpus_run["data"] / "outbox"
    for path in outbox.rglob("*"):
        if path.is_file():
            assert b"secret outside" not in path.read_bytes(), path
    assert _query(
        corpus_run["url"],
        "select count(*) from kcn_audit.submission_version where landing_path like %s",
        (str(corpus_run["data"] / "outside") + "%",),
    ) == [(0,)]


def test_what_is_not_a_submission_is_reported_by_name_and_reason(corpus_run):
    recorded = dict(_query(corpus_run["url"], "select path, reason from kcn_audit.landing_issue"))
    assert {p: recorded.get(p) for p in corpus_run["oddities"]} == corpus_run["oddities"]
    with corpus_run["mp"].context() as mp:
        mp.setenv("KCN_WAREHOUSE_URL", corpus_run["url"])
        summary = pipeline.month_summary("2021-01")
    assert {"2021-01/bql hn", "2025-03\n"} <= {i["path"] for i in summary["landing_issues"]}


def test_a_month_not_open_yet_is_refused(corpus_run):
    url = corpus_run["url"]
    version_id, outcome = _version(url, "BQL-HN", "2030-01")
    assert outcome == "rejected"
    assert _query(
        url, "select rule_id from kcn_audit.finding where version_id = %s", (version_id,)
    ) == [("E_PERIOD_NOT_OPEN",)]


def test_no_message_holds_a_librarys_text(corpus_run):
    rows = _query(
        corpus_run["url"], "select message_vi || message_en, detail from kcn_audit.finding"
    )
    leaks = [
        m
        for m, _ in rows
        for text in ("zip file", "Error", "Traceback", "line 1 column")
        if text in m
    ]
    assert leaks == []
    assert any(d for _, d in rows), "the library's text is kept as detail"


def test_running_any_step_again_changes_nothing(corpus_run):
    url = corpus_run["url"]
    before = checksums(url)
    version_ids = [v for (v,) in _query(url, "select version_id from kcn_audit.submission_version")]
    with corpus_run["mp"].context() as mp:
        mp.setenv("KCN_WAREHOUSE_URL", url)
        mp.setenv("KCN_DATA", str(corpus_run["data"]))
        for version_id in version_ids[:6]:  # clearing stage_version alone in Airflow
            pipeline.stage_version(version_id)
        pipeline.validate_versions(version_ids[:6])  # clearing validate alone
        pipeline.month_summary("2022-01")
        pipeline.ingest(run_dbt_after=False)  # the whole run again
    assert checksums(url) == before


def test_a_version_whose_files_cannot_be_read_is_rejected_and_the_month_goes_on(
    workspace: Path, database_url: str
) -> None:
    landing = workspace / "landing"
    write_submission(landing, "2024-03", "BQL-HN", GOOD_HN)
    write_submission(
        landing,
        "2024-03",
        "BQL-ND",
        [{"zone_code": "KCN-ND-HOAXA", "metric_code": "inv_new_projects", "value": "1"}],
    )
    broken, fine = pipeline.intake_month("2024-03")[::-1]  # BQL-HN, BQL-ND by code
    shutil.rmtree(workspace / "archive")  # the archive lost under the pipeline's feet

    staged = pipeline.stage_version(broken)
    [result] = pipeline.validate_versions([broken])

    assert staged["fatal"] and result["outcome"] == "rejected"
    [(rule, detail, message)] = _query(
        database_url,
        "select rule_id, detail, message_en from kcn_audit.finding where version_id = %s",
        (broken,),
    )
    assert rule == "E_FILE_UNREADABLE" and "FileNotFoundError" in detail
    assert "FileNotFoundError" not in message
    assert (workspace / "outbox" / "2024-03").exists()
    assert _query(
        database_url,
        "select outcome from kcn_audit.submission_version where version_id = %s",
        (fine,),
    ) == [(None,)]


def test_validation_run_alone_reads_a_version_nobody_staged(workspace: Path, database_url: str):
    landing = workspace / "landing"
    write_submission(landing, "2024-03", "BQL-HN", GOOD_HN)
    (landing / "2024-03" / "BQL-HN" / "indicators.csv").write_text(
        "submitter_code,period,zone_code,enterprise_tax_code,metric_code,value_kind,"
        "period_basis,value,unit,note\n",
        encoding="utf-8",
    )
    [version] = pipeline.intake_month("2024-03")

    [result] = pipeline.validate_versions([version])  # no stage_version before it

    assert result["outcome"] == "rejected"
    assert ("E_NO_INDICATORS",) in _query(
        database_url, "select rule_id from kcn_audit.finding where version_id = %s", (version,)
    )
    staged = pipeline.stage_version(version)  # cleared and run again: left as judged
    assert staged["outcome"] == "rejected"
    assert _query(
        database_url,
        "select outcome from kcn_audit.submission_version where version_id = %s",
        (version,),
    ) == [("rejected",)]
