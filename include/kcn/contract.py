"""The submission contract's vocabulary: columns, sheets, codes, outcomes and asset names.

A leaf module (no imports from the project, no heavy libraries) so that the DAG files,
the readers, the validators and the demo all spell the contract the same way.
"""

from __future__ import annotations

import re

# Contract section 3: the indicators table.
INDICATOR_COLUMNS = (
    "submitter_code",
    "period",
    "zone_code",
    "enterprise_tax_code",
    "metric_code",
    "value_kind",
    "period_basis",
    "value",
    "unit",
    "note",
)
INDICATOR_REQUIRED = (
    "submitter_code",
    "period",
    "metric_code",
    "value_kind",
    "period_basis",
    "value",
    "unit",
)
# Contract section 4: the enterprises table.
ENTERPRISE_COLUMNS = (
    "tax_code",
    "enterprise_name",
    "zone_code",
    "ownership",
    "investor_country",
    "vsic_code",
    "status",
)
ENTERPRISE_REQUIRED = ("tax_code", "enterprise_name", "zone_code", "ownership", "status")
# Contract sections 3, 4 and 9 (E_TEXT_TOO_LONG): the longest text each column takes.
TEXT_LIMITS = {"note": 500, "enterprise_name": 300}
# Contract section 2: the tables' file names and workbook sheet names.
TABLES = ("indicators", "enterprises")
SHEETS = TABLES

VALUE_KINDS = ("actual", "estimate", "plan")
# Contract section 3: allowed period_basis by (metric kind, value_kind).
ALLOWED_BASES: dict[tuple[str, str], tuple[str, ...]] = {
    **{("F", vk): ("month", "ytd") for vk in ("actual", "estimate")},
    **{("S", vk): ("eom",) for vk in ("actual", "estimate")},
    **{("R", vk): ("month", "ytd") for vk in ("actual", "estimate")},
    ("F", "plan"): ("year",),
    ("S", "plan"): ("year",),
    ("R", "plan"): ("year",),
}


# Contract sections 3 and 9: a value is a machine number. The one definition of it: the
# validator (kcn.validation.prepare_indicators), the history query (validation/history.sql)
# and dbt's guarded cast (dbt_project/macros/machine_number.sql, checked equal by a test)
# use this pattern, so nothing validation accepts can fail a cast downstream. ASCII digits
# only; at most 15 digits before the point (what a spreadsheet holds exactly); at most 30
# decimals (the project's bound: PostgreSQL's numeric overflows past 16,383 and no figure
# of the catalogue needs more). The same text is a Python and a PostgreSQL regular
# expression: bracket classes, no \d (Unicode digits in Python), anchored at both ends.
MACHINE_NUMBER_PATTERN = r"^-?[0-9]{1,15}([.][0-9]{1,30})?$"
MAX_INTEGER_DIGITS = 15
_MACHINE_NUMBER = re.compile(MACHINE_NUMBER_PATTERN, re.ASCII)


def is_machine_number(text: object) -> bool:
    """'1178.5', '-3' and '0.000000001' are machine numbers; '１２３', '1e5', '1,5', ' 1',
    '+1', '.5' and a 16-digit integer part are not."""
    return isinstance(text, str) and _MACHINE_NUMBER.fullmatch(text) is not None


OWNERSHIPS = ("FDI", "DDI")
STATUSES = ("operating", "construction", "suspended", "closed")

# Contract section 8: a version's outcome.
ACCEPTED = "accepted"
ACCEPTED_WITH_WARNINGS = "accepted_with_warnings"
REJECTED = "rejected"
IN_FORCE_OUTCOMES = (ACCEPTED, ACCEPTED_WITH_WARNINGS)  # may be the version in force

# Airflow assets: the intake announces new raw submissions, the transform new marts.
RAW_SUBMISSIONS_URI = "kcn://warehouse/raw_submissions"
MARTS_URI = "kcn://warehouse/marts"


def allowed_bases(kind: str, value_kind: str) -> tuple[str, ...]:
    """Allowed period_basis for a metric kind (F/S/R) and a value_kind; () if none."""
    return ALLOWED_BASES.get((kind, value_kind), ())
