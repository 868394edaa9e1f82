"""Formatter registries of the Thematic topics, Inspections, Classification and Organisations views.

Their words live in `ui.i18n.CATALOGUE`. Importing this module tells the shared table formatter which of these
views' columns hold stored codes and which KPIs are rates; each of these pages imports it first.
"""

from __future__ import annotations

from ui import components


def register() -> None:
    """Tell the shared formatter these views' code columns and rate KPIs (existing entries win)."""
    for column, vocabulary in {
        "inspection_kind": "inspection_kind",
        "follow_up_status": "follow_up_status",
        "cell_kind": "cell_kind",
        "sector": "sector",
        "quality": "quality",
        "level_of": "unit_level",
    }.items():
        components.VOCABULARY_COLUMNS.setdefault(column, vocabulary)
    components.PERCENT_KPIS.add("good_or_above_share")
    components.KPI_DELTA_COLOURS.setdefault("thematic_meetings", "off")
    components.KPI_DELTA_COLOURS.setdefault("topics_used", "off")
    components.KPI_DELTA_COLOURS.setdefault("rated", "off")
    components.KPI_DELTA_COLOURS.setdefault("corrected", "inverse")


register()
