"""Benchmarks at national scale.

- `kcn.bench.national`: a synthetic country (about 420 zones in 34 provinces, 12,000
  enterprises, every metric of the catalogue), its reference-data overlay, its monthly
  submission folders, and a fast loader that COPYs months of already-validated history
  straight into kcn_raw and kcn_audit.
- `kcn.bench.benchmark`: `kcn bench`, which measures the product on a fresh database and prints
  one table: intake throughput beside raw COPY and pandas `to_sql`, the intake's peak memory,
  the dbt run after a new month with a short and a long history, the BI queries of the
  reporting marts, and DAG parse times.
- `kcn.bench.intake_child`: the intake of one month in a process of its own, so that its
  peak memory is the intake's alone.

See docs/benchmarks.md.
"""
