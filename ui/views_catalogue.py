"""Kept so that older imports keep working: the views' code columns and rate KPIs are now declared in
`ui.components` itself (`VOCABULARY_COLUMNS`, `PERCENT_KPIS`, `KPI_DELTA_COLOURS`), so importing this module is no
longer needed by anything."""

from __future__ import annotations

from ui import components

__all__ = ["components"]
