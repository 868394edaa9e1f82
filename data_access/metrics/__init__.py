"""Every metric of docs/metrics.md, defined once and computed in SQL.

Each metric function takes the engine, the `Filters` of the view, the viewer's `Scope` and a grouping, and returns
a DataFrame with exactly the columns of the data contract (group columns first, then the measures), also when
empty. Aggregation happens in the database; pandas only turns ids into labels, divides and sorts small results.

Shared definitions:
- a cell's *first due month* is the month of its `active_from` (the next one when it was founded after the 1st);
  its *last due month* is the month of its `active_to`: a month is due when the cell was active on its first day;
- a month is due only up to the as-of date: the as-of month once the cell's scheduled day has passed;
- a quarter is due when it lies wholly in the period, has ended before the as-of month, and the cell was active
  on its first day;
- meetings count when dated inside the period and not after the as-of date.

Fast path: the sums come from the stored month sums for the whole months before the as-of month and from the raw
meetings for the days after (`compiler`). Every table is the same, number for number, as the one computed from raw
meetings (`with from_raw_meetings(): …`; tests/test_metrics_fast_path.py compares them).

The package, by concept: `definitions` (each table's columns, rates and groupings, as data), `scoping` (units in
scope, meetings of a period, grouping), `cells` (the cell path), `rollups` (the commune and organisation sums),
`meetings` and `reviews` (the metric functions), `registry` (`METRICS`, `compute`, per commune and province),
`overview` (headline numbers), `lists` (the lists that name cells), `shaping` (result frames). The cell-month grain
they read is `data_access.measures`.
"""

from __future__ import annotations

from data_access.measures import organisation_t
from data_access.metrics.cells import _held_and_due_per_cell, _monthly_in_scope, _running_per_cell
from data_access.metrics.definitions import CLASSIFICATION_COLUMNS, CLASSIFICATION_LEVELS, REGULARITY_COLUMNS
from data_access.metrics.lists import (
    below_target,
    cell_months,
    least_regular_grid,
    missed_meetings,
    not_reported_cells,
    uncovered_cells,
)
from data_access.metrics.meetings import long_meetings, participation, regularity, superior_attendance, thematic, topics
from data_access.metrics.overview import (
    KPI_IDS,
    MEETING_KPIS,
    MEETING_METRICS,
    Kpi,
    first_recorded_month,
    overview,
    previous_recorded,
    recorded_part,
)
from data_access.metrics.registry import METRICS, compute, per_commune, per_province
from data_access.metrics.reviews import classification, inspections, overdue_follow_ups
from data_access.metrics.scoping import from_raw_meetings
from data_access.models import Organisation

__all__ = [
    "CLASSIFICATION_COLUMNS",
    "CLASSIFICATION_LEVELS",
    "KPI_IDS",
    "MEETING_KPIS",
    "MEETING_METRICS",
    "METRICS",
    "REGULARITY_COLUMNS",
    "Kpi",
    "Organisation",
    "_held_and_due_per_cell",
    "_monthly_in_scope",
    "_running_per_cell",
    "below_target",
    "cell_months",
    "classification",
    "compute",
    "first_recorded_month",
    "from_raw_meetings",
    "inspections",
    "least_regular_grid",
    "long_meetings",
    "missed_meetings",
    "not_reported_cells",
    "organisation_t",
    "overdue_follow_ups",
    "overview",
    "participation",
    "per_commune",
    "per_province",
    "previous_recorded",
    "recorded_part",
    "regularity",
    "superior_attendance",
    "thematic",
    "topics",
    "uncovered_cells",
]
