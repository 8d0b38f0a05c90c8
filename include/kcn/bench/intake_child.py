"""The intake of one month in a process of its own: `python -m kcn.bench.intake_child YYYY-MM`.

It runs the pipeline's own steps, as the DAG's tasks do (kcn.pipeline.intake_month, then
stage_version for each new version, then validate_versions once for all of them), on the
warehouse and landing area of the environment (KCN_WAREHOUSE_URL, KCN_LANDING, ...), and
prints one JSON object: the time of each step, the rows staged, the outcomes, and the
process's peak resident memory. A process of its own, so that the peak is the intake's
alone (the benchmark's own data would otherwise count).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter


def peak_rss_bytes() -> int:
    """This process's peak resident set size (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def main(period: str) -> dict[str, object]:
    started = time.perf_counter()
    # Loaded before the clock starts: an import is a fixed cost of the process, not of the
    # rows (reported apart as `imports`).
    from kcn import pipeline
    from kcn.settings import get_settings
    from kcn.validation import validate  # noqa: F401

    settings = get_settings()
    t0 = time.perf_counter()
    version_ids = pipeline.intake_month(period, settings)
    t1 = time.perf_counter()
    rows: Counter[str] = Counter()
    for version_id in version_ids:
        staged = pipeline.stage_version(version_id, settings)
        rows.update(staged["rows"])
    t2 = time.perf_counter()
    results = pipeline.validate_versions(version_ids, settings)
    t3 = time.perf_counter()
    return {
        "period": period,
        "versions": len(version_ids),
        "indicator_rows": rows["indicators"],
        "enterprise_rows": rows["enterprises"],
        "imports_s": t0 - started,
        "intake_s": t1 - t0,
        "stage_s": t2 - t1,
        "validate_s": t3 - t2,
        "total_s": t3 - t0,
        "outcomes": dict(Counter(str(r["outcome"]) for r in results)),
        "findings": sum(int(r["findings"]) for r in results),
        "peak_rss_bytes": peak_rss_bytes(),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m kcn.bench.intake_child YYYY-MM")
    print(json.dumps(main(sys.argv[1])))
