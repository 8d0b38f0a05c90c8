"""Stage a parsed version into kcn_raw with COPY: every row received, accepted or not."""

from __future__ import annotations

import io

import pandas as pd
from psycopg2 import sql

from kcn.contract import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS
from kcn.intake.tables import ParsedSubmission
from kcn.text import fold_key

_TABLES = {
    "indicators": ("file_name", "row_number", *INDICATOR_COLUMNS, "value_as_text"),
    "enterprises": ("file_name", "row_number", *ENTERPRISE_COLUMNS, "enterprise_name_key"),
}


def stage_version(cur, version_id: int, parsed: ParsedSubmission) -> dict[str, int]:
    """Replace the staged rows of one version (so a re-run gives the same result)."""
    counts = {}
    enterprises = parsed.enterprises
    if enterprises is not None:
        enterprises = enterprises.assign(
            enterprise_name_key=enterprises["enterprise_name"].map(fold_key, na_action="ignore")
        )
    for table, frame in (("indicators", parsed.indicators), ("enterprises", enterprises)):
        ident = sql.Identifier("kcn_raw", table)
        cur.execute(sql.SQL("delete from {} where version_id = %s").format(ident), (version_id,))
        counts[table] = (
            0 if frame is None else copy_frame(cur, ident, version_id, frame, _TABLES[table])
        )
    return counts


def copy_frame(
    cur, ident: sql.Composable, version_id: int, frame: pd.DataFrame, columns: tuple[str, ...]
) -> int:
    if frame.empty:
        return 0
    out = frame.loc[:, list(columns)].copy()
    out.insert(0, "version_id", version_id)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    statement = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
        ident, sql.SQL(", ").join(map(sql.Identifier, ("version_id", *columns)))
    )
    cur.copy_expert(statement.as_string(cur), buffer)
    return len(out)


Staged = tuple[pd.DataFrame | None, pd.DataFrame | None]  # indicators, enterprises


def read_staged(cur, version_ids: list[int]) -> dict[int, Staged]:
    """The staged rows of several versions, as parse produced them (validation reads these)."""
    out: dict[int, list[pd.DataFrame | None]] = {v: [None, None] for v in version_ids}
    for position, table in enumerate(("indicators", "enterprises")):
        columns = _TABLES[table]
        cur.execute(
            sql.SQL(
                "select version_id, {} from {} where version_id = any(%s)"
                " order by version_id, file_name, row_number"
            ).format(
                sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier("kcn_raw", table)
            ),
            (list(version_ids),),
        )
        rows = cur.fetchall()
        if not rows:
            continue
        frame = pd.DataFrame.from_records(rows, columns=["version_id", *columns])
        for version_id, part in frame.groupby("version_id", sort=False):
            out[int(version_id)][position] = part.drop(columns="version_id").reset_index(drop=True)
    return {v: (ind, ent) for v, (ind, ent) in out.items()}
