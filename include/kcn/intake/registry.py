"""The registry of versions received (kcn_audit.submission_version): one row per content."""

from __future__ import annotations

import json
import logging

from kcn.intake.landing import FolderVersion

logger = logging.getLogger(__name__)


def register(cur, version: FolderVersion) -> tuple[int, bool]:
    """Insert the version into the registry unless known; returns (version_id, is_new)."""
    cur.execute(
        "select version_id from kcn_audit.submission_version"
        " where submitter_code = %s and period = %s and content_sha256 = %s",
        (version.submitter_code, version.period, version.content_sha256),
    )
    row = cur.fetchone()
    if row:
        return row[0], False
    # Serialise numbering per submission so parallel intakes cannot take the same number.
    cur.execute(
        "select pg_advisory_xact_lock(hashtext(%s))",
        (f"{version.submitter_code}/{version.period}",),
    )
    cur.execute(
        """
        insert into kcn_audit.submission_version
            (submitter_code, period, version_no, content_sha256, received_at, landing_path, files)
        select %s, %s, coalesce(max(version_no), 0) + 1, %s, %s, %s, %s
        from kcn_audit.submission_version where submitter_code = %s and period = %s
        on conflict (submitter_code, period, content_sha256) do nothing
        returning version_id
        """,
        (
            version.submitter_code,
            version.period,
            version.content_sha256,
            version.received_at,
            str(version.landing_path),
            json.dumps(
                [f.__dict__ for f in version.files]
                + [{"name": name, "kind": kind} for name, kind in version.refused]
            ),
            version.submitter_code,
            version.period,
        ),
    )
    row = cur.fetchone()
    if row is None:  # another intake registered the same content meanwhile
        return register(cur, version)
    logger.info("registered %s %s as version %s", version.submitter_code, version.period, row[0])
    return row[0], True
