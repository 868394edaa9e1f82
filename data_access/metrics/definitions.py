"""What each metric table is, as data: its columns, its rates (numerator ÷ denominator), the groupings it allows."""

from __future__ import annotations

from data_access.errors import UserError
from data_access.measures import MEETING_SUMS, MONTH_MEASURES, QUARTER_MEASURES
from data_access.models import OUTCOMES, RATING_LEVELS

ENTITY_GROUPS = ("commune", "organisation", "cell")
TIME_GROUPS = ("month", "quarter", "year")

ALL_GROUPS = ("province", *ENTITY_GROUPS, *TIME_GROUPS)

REGULARITY_COLUMNS = (*MONTH_MEASURES, "regularity_rate", "on_fixed_day_rate")


PARTICIPATION_COLUMNS = ("meetings", "expected", "present", "absent_excused", "absent_unexcused", "participation_rate")


SUPERIOR_COLUMNS = ("meetings", "attended", "superior_attendance_rate")

LONG_MEETING_COLUMNS = ("meetings", "long_meetings", "long_meeting_share")


THEMATIC_COLUMNS = (*QUARTER_MEASURES, "thematic_meetings", "thematic_coverage")


TOPIC_COLUMNS = ("meetings", "cells")


INSPECTION_COLUMNS = ("inspections", *OUTCOMES, "overdue_follow_ups")


CLASSIFICATION_LEVELS = RATING_LEVELS
CLASSIFICATION_COLUMNS = ("rated", *CLASSIFICATION_LEVELS, "good_or_above_share")


METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "regularity": REGULARITY_COLUMNS,
    "participation": PARTICIPATION_COLUMNS,
    "thematic": THEMATIC_COLUMNS,
    "topics": TOPIC_COLUMNS,
    "superior_attendance": SUPERIOR_COLUMNS,
    "long_meetings": LONG_MEETING_COLUMNS,
    "inspections": INSPECTION_COLUMNS,
    "classification": CLASSIFICATION_COLUMNS,
}
"""The measure columns of each metric table (after its group columns)."""

RATES: dict[str, tuple[str, str]] = {
    "regularity_rate": ("held_cell_months", "due_cell_months"),
    "on_fixed_day_rate": ("on_fixed_day_cell_months", "due_cell_months"),
    "participation_rate": ("present", "expected"),
    "superior_attendance_rate": ("attended", "meetings"),
    "thematic_coverage": ("covered_cell_quarters", "due_cell_quarters"),
    "long_meeting_share": ("long_meetings", "meetings"),
}
"""Each meeting rate: (numerator, denominator), columns of its metric table. The one place a rate is divided, for
the metric tables and for the overview's headline numbers."""


GROUPS: dict[str, tuple[str, ...]] = {
    "regularity": ALL_GROUPS,
    "participation": ALL_GROUPS,
    "thematic": ("province", *ENTITY_GROUPS, "quarter", "year"),
    "topics": ("topic", "province", "commune", "organisation", "quarter", "year"),
    "superior_attendance": ALL_GROUPS,
    "long_meetings": ALL_GROUPS,
    "inspections": (*ALL_GROUPS, "body", "kind"),
    "classification": ("province", *ENTITY_GROUPS, "year"),
}
"""The groupings each metric allows (besides `total`)."""


FAMILIES: dict[str, tuple[str, ...]] = {
    "months": MONTH_MEASURES,
    "quarters": QUARTER_MEASURES,
    "meetings": MEETING_SUMS,
}
"""The measures at the cell-month grain, by the rows they are counted over: due cell-months, due cell-quarters,
meetings (`data_access.measures.MEETING_MEASURES`). Each is a column of the stored month sums (`commune_month`)
under its own name."""

FAMILY_OF = {measure: family for family, measures in FAMILIES.items() for measure in measures}

SUMMED: dict[str, dict[str, str]] = {
    "regularity": {c: c for c in MONTH_MEASURES},
    "participation": {c: c for c in PARTICIPATION_COLUMNS if c not in RATES},
    "superior_attendance": {"meetings": "meetings", "attended": "superior_attended"},
    "long_meetings": {"meetings": "meetings", "long_meetings": "long_meetings"},
    "thematic": {**{c: c for c in QUARTER_MEASURES}, "thematic_meetings": "thematic"},
}
"""Each metric summed from the measures: its columns before the rates, each the sum of a measure (FAMILY_OF).
`data_access.metrics.compiler` turns one into one SQL statement."""

KEPT_WHEN: dict[str, tuple[str, ...]] = {
    "regularity": ("due_cell_months",),
    "participation": ("meetings",),
    "superior_attendance": ("meetings",),
    "long_meetings": ("meetings",),
    "thematic": ("due_cell_quarters", "thematic"),
}
"""A group is a row of the metric's table when one of these measures is above zero in it."""


def rates_of(metric: str) -> tuple[str, ...]:
    """The rate columns of a metric table (keys of RATES)."""
    return tuple(c for c in METRIC_COLUMNS[metric] if c in RATES)


def check_group(metric: str, by: str) -> None:
    groups = GROUPS[metric]
    if by != "total" and by not in groups:
        raise UserError(f"{metric} cannot be grouped by {by!r}; choose one of: {', '.join(groups)}")
