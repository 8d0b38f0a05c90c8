"""`kcn report`: the month's audit report, built from a real warehouse after a real dbt run,
read as HTML (every run of the suite) and as a reader sees it in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from kcn import pipeline
from tests.conftest import write_submission
from tests.dbt.conftest import fresh_database, query

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.xdist_group("audit_report")]

SECTIONS = ["completeness", "versions", "findings", "gx", "dbt", "revisions", "provinces"]


def _hn(projects: str, kind: str = "actual") -> list[dict[str, str]]:
    return [
        {
            "zone_code": "KCN-HN-NOIBAI",
            "metric_code": "inv_new_projects",
            "value": projects,
            "value_kind": kind,
        },
        {"zone_code": "KCN-HN-THANGLONG", "metric_code": "inv_new_projects", "value": "1"},
    ]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Two months of Hà Nội, a rejected Hà Nam, an estimate corrected to an actual; the
    pipeline and dbt run; the report of 2024-03 written."""
    data = tmp_path_factory.mktemp("report") / "data"
    with fresh_database("kcn_test_report") as url, pytest.MonkeyPatch.context() as env:
        env.setenv("KCN_WAREHOUSE_URL", url)
        env.setenv("KCN_DATA", str(data))
        for name in ("LANDING", "ARCHIVE", "OUTBOX"):
            env.delenv(f"KCN_{name}", raising=False)
        landing = data / "landing"
        write_submission(landing, "2024-02", "BQL-HN", _hn("3"))
        folder = write_submission(landing, "2024-03", "BQL-HN", _hn("2", "estimate"))
        write_submission(
            landing,
            "2024-03",
            "BQL-HNA",
            [{"zone_code": "KCN-HNA-DONGVAN1", "metric_code": "inv_new_project", "value": "1"}],
        )
        pipeline.ingest(["2024-02", "2024-03"], run_dbt_after=False)
        shutil.rmtree(folder)
        write_submission(landing, "2024-03", "BQL-HN", _hn("4"))
        pipeline.ingest(["2024-03"])
        path = pipeline.write_audit_report("2024-03")
        yield {"url": url, "path": path, "html": path.read_text(encoding="utf-8")}


def _page(report: dict[str, Any]) -> BeautifulSoup:
    return BeautifulSoup(report["html"], "html.parser")


def _cells(table: Any) -> list[list[str]]:
    return [
        [td.get_text(" ", strip=True) for td in tr.find_all("td", recursive=False)]
        for tr in table.select(":scope > tbody > tr")
    ]


def test_the_report_is_one_self_contained_file_in_both_languages(report: dict) -> None:
    page = _page(report)

    assert report["path"].name == "kcn-audit-2024-03.html"
    assert report["path"].parent == report["path"].parents[1] / "audit"
    assert [s["id"] for s in page.find_all("section")] == SECTIONS
    assert "Báo cáo kiểm tra dữ liệu" in page.title.text and "data audit report" in page.title.text
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert headings[0] == "1. Tính đầy đủ và kịp thời / Completeness and timeliness"
    assert all(" / " in h for h in headings)  # Vietnamese, then English
    # nothing to fetch: no script, stylesheet, image or frame; every link inside the file
    assert not page.find_all(["script", "link", "img", "iframe"])
    links = [a["href"] for a in page.find_all("a")]
    assert links and all(href.startswith("#") for href in links)
    anchors = {tag["id"] for tag in page.find_all(id=True)}
    assert {href[1:] for href in links} <= anchors


def test_completeness_over_twelve_months_with_a_chart(report: dict) -> None:
    page = _page(report)

    trend = _cells(page.select_one("#completeness-trend"))
    assert trend[-1][0] == "2024-03" and len(trend) <= 12
    svg = page.select_one("#completeness-chart svg")
    reporting, on_time = svg.find_all("polyline")
    assert len(reporting["points"].split()) == len(on_time["points"].split()) == len(trend)
    submitters = {
        row[0].split()[0]: row for row in _cells(page.select_one("#completeness-submitters"))
    }
    assert "rejected" in submitters["BQL-HNA"][2].lower()  # its only version was rejected
    [in_force] = query(
        report["url"],
        "select version_id from kcn_audit.submission_version"
        " where submitter_code = 'BQL-HN' and period = '2024-03' and superseded_by is null",
    )
    assert submitters["BQL-HN"][-1] == f"#{in_force[0]}"


def test_every_version_with_its_outcome_and_checksum(report: dict) -> None:
    page = _page(report)

    shown = {(row[1], row[2], row[4], row[8]) for row in _cells(page.select_one("#versions-table"))}
    stored = query(
        report["url"],
        "select submitter_code, version_no::text, outcome, content_sha256"
        " from kcn_audit.submission_version where period = '2024-03'",
    )
    assert shown == set(stored)
    assert {row[2] for row in stored} == {"accepted", "rejected"}


def test_findings_gx_and_dbt_results_point_at_their_rows(report: dict) -> None:
    page = _page(report)

    [finding] = [
        r for r in _cells(page.select_one("#findings-table")) if r[0] == "E_UNKNOWN_METRIC"
    ]
    assert finding[2] == "BQL-HNA" and finding[3] == "1"
    assert "indicators.csv 2 metric_code inv_new_project" in finding[5]
    gx = [r for r in _cells(page.select_one("#gx-table")) if r[1] == "E_UNKNOWN_METRIC"]
    assert any(r[5] == "1" and "indicators.csv:2" in r[8] for r in gx)
    [latest, *_] = _cells(page.select_one("#dbt-runs"))
    tests, passed = int(latest[2]), int(latest[3])
    assert tests > 100 and passed == tests


def test_revisions_and_province_figures_trace_to_versions_files_and_rows(report: dict) -> None:
    page = _page(report)

    revisions = _cells(page.select_one("#revisions-table"))
    [estimate] = [r for r in revisions if r[0] == "estimate_to_actual"]
    assert estimate[1:3] == ["BQL-HN", "KCN-HN-NOIBAI"]
    assert estimate[6:8] == ["2 estimate", "4 actual"]
    hanoi = page.select_one("#province-HN + table")
    [projects] = [r for r in _cells(hanoi) if r[0].startswith("Số dự án cấp mới")]
    assert projects[3] == "5"  # Nội Bài's 4 and Thăng Long's 1
    sources = _cells(hanoi.select_one("details table"))
    assert [(r[0], r[2], r[4]) for r in sources] == [
        ("KCN-HN-NOIBAI", "indicators.csv", "4"),
        ("KCN-HN-THANGLONG", "indicators.csv", "1"),
    ]


def test_a_reader_sees_the_report_in_chromium(report: dict, tmp_path: Path) -> None:
    """Headless Chromium renders the file from disk: its text and a screenshot that is not
    a blank page."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("KCN_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is missing: apt-get install -y chromium")
        pytest.skip("chromium is not installed (.ci/run installs it)")
    url = report["path"].resolve().as_uri()

    dom = _chromium(chromium, tmp_path, "--dump-dom", url)
    shot = tmp_path / "report.png"
    _chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", url)
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    blank_shot = tmp_path / "blank.png"
    _chromium(
        chromium, tmp_path, f"--screenshot={blank_shot}", "--window-size=1280,1600", blank.as_uri()
    )

    text = BeautifulSoup(dom, "html.parser").body.get_text(" ", strip=True)
    assert "Báo cáo kiểm tra dữ liệu tháng 2024-03 / Data audit report for 2024-03" in text
    assert "Tỷ lệ báo cáo / Reporting rate" in text and "E_UNKNOWN_METRIC" in text
    assert _distinct_bytes(blank_shot) <= 4  # white rows: filter bytes and 0xff
    assert _distinct_bytes(shot) > 64  # text, tables and the chart in many shades
    assert shot.stat().st_size > 10 * blank_shot.stat().st_size


def _chromium(binary: str, tmp: Path, *args: str) -> str:
    profile = tmp / "chromium-profile"
    result = subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def _distinct_bytes(png: Path) -> int:
    """How many distinct byte values the PNG's image data holds once inflated (a blank page
    has next to none; a page with text and colours has most of the 256)."""
    raw = png.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    data, at = b"", 8
    while at < len(raw):
        length = int.from_bytes(raw[at : at + 4], "big")
        kind = raw[at + 4 : at + 8]
        if kind == b"IDAT":
            data += raw[at + 8 : at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(data)))


def test_gx_data_docs_are_built_from_the_kept_results(report: dict, tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KCN_WAREHOUSE_URL", report["url"])
        env.setenv("KCN_OUTBOX", str(tmp_path / "outbox"))
        index = pipeline.build_data_docs("2024-03")

    assert index.name == "index.html" and index.is_file()
    pages = sorted(p.name for p in index.parent.glob("validations/indicators/**/*.html"))
    ids = dict(
        query(
            report["url"],
            "select submitter_code || '-v' || version_no, version_id"
            " from kcn_audit.submission_version where period = '2024-03'",
        )
    )
    assert pages == sorted(
        f"{name.rsplit('-v', 1)[0]}-2024-03-v{name.rsplit('-v', 1)[1]}-{version_id}.html"
        for name, version_id in ids.items()
    )
    [rejected] = index.parent.glob("validations/indicators/**/BQL-HNA-*.html")
    text = BeautifulSoup(rejected.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "Status: Failed" in " ".join(text.split())
    assert "metric_code is in the metric catalogue" in text
