"""What the screen must show, worked out in the test process with the same `data_access` functions the app calls,
on the same database, for the same filters, and formatted with `ui.format` as the KPI cards format them.

The filters are built here from the product's rules (the last 12 months up to the as-of month), not read from the
app, so a page that applied other filters than the ones it names would fail.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import browse, metrics
from data_access.filters import Filters, Month, Scope
from data_access.models import Commune
from ui import components
from ui import format as fmt
from ui.i18n import t

Cards = dict[str, tuple[str, str | None]]
EVERYTHING = Scope.everything()


def commune_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        found = session.exec(select(Commune.id).where(Commune.name == name)).first()  # type: ignore[call-overload]
    assert found is not None, f"no commune {name!r} in the demo database"
    return int(found[0])


def last_12_months(*, as_of: dt.date, communes: tuple[int, ...] = ()) -> Filters:
    """The default view: the 12 months ending with the as-of month."""
    end = Month.of(as_of)
    return Filters(period_from=end - 11, period_to=end, as_of=as_of, communes=communes)


def scope_words(*, where: str, filters: Filters, lang: str = "vi") -> str:
    months = f"{fmt.month(filters.period_from, lang=lang)}–{fmt.month(filters.period_to, lang=lang)}"
    return f"{where} · {months} · {t('scope.as_of', lang=lang, date=fmt.date(filters.as_of, lang=lang))}"


def _value(kpi: str, value: float | None, lang: str) -> str:
    if kpi in components.PERCENT_KPIS:
        return fmt.percent(value, lang=lang)
    return fmt.number(value, lang=lang)


def _change(kpi: str, value: float | None, previous: float | None, lang: str, compared: bool) -> str | None:
    if value is not None and previous is None and compared:
        return t("msg.no_previous", lang=lang)
    if value is None or previous is None:
        return None
    if kpi in components.PERCENT_KPIS:
        return fmt.points(value - previous, lang=lang)
    if kpi in components.UNIT_KPIS and value == previous:
        return None  # an unchanged count of units shows no chip
    return fmt.signed_number(value - previous, lang=lang)


def card(
    kpi: str, value: float | None, previous: float | None, *, lang: str, compared: bool = True
) -> tuple[str, tuple[str, str | None]]:
    return t(f"kpi.{kpi}", lang=lang), (_value(kpi, value, lang), _change(kpi, value, previous, lang, compared))


def overview_cards(engine: Engine, *, filters: Filters, scope: Scope, lang: str = "vi") -> Cards:
    """The Overview's ten cards: `metrics.overview` for the filters, with the change against the previous period."""
    kpis = metrics.overview(engine, filters=filters, scope=scope)
    return dict(card(kpi, k.value, k.previous, lang=lang) for kpi, k in kpis.items())


def _total(df: pd.DataFrame, *columns: str) -> float:
    return float(sum(int(df[c].sum()) for c in columns))


def _first(df: pd.DataFrame | None, column: str) -> float | None:
    return float(df[column].iloc[0]) if df is not None and len(df) and pd.notna(df[column].iloc[0]) else None


def topics_cards(engine: Engine, *, filters: Filters, scope: Scope, lang: str = "vi") -> Cards:
    """Thematic coverage, thematic meetings and topics used, now and in the previous period."""
    before = metrics.previous_recorded(engine, filters)  # None: before the first recorded meeting, no data
    now_cov = metrics.thematic(engine, filters=filters, scope=scope, by="total")
    old_cov = None if before is None else metrics.thematic(engine, filters=before, scope=scope, by="total")
    now_topics = metrics.topics(engine, filters=filters, scope=scope, by="topic")
    old_topics = None if before is None else metrics.topics(engine, filters=before, scope=scope, by="topic")
    return dict(
        [
            card(
                "thematic_coverage",
                _first(now_cov, "thematic_coverage"),
                _first(old_cov, "thematic_coverage"),
                lang=lang,
            ),
            card(
                "thematic_meetings",
                _first(now_cov, "thematic_meetings"),
                _first(old_cov, "thematic_meetings"),
                lang=lang,
            ),
            card(
                "topics_used", float(len(now_topics)), None if old_topics is None else float(len(old_topics)), lang=lang
            ),
        ]
    )


def inspections_cards(engine: Engine, *, filters: Filters, scope: Scope, lang: str = "vi") -> Cards:
    """Inspections, commended, corrected (correction or discipline), overdue and open follow-ups."""
    before = filters.previous_period()
    now = metrics.inspections(engine, filters=filters, scope=scope, by="total")
    old = metrics.inspections(engine, filters=before, scope=scope, by="total")
    overdue_now = len(metrics.overdue_follow_ups(engine, filters=filters, scope=scope))
    overdue_old = len(metrics.overdue_follow_ups(engine, filters=before, scope=scope))
    corrected = ("correction_required", "disciplined")
    return dict(
        [
            card("inspections", _total(now, "inspections"), _total(old, "inspections"), lang=lang),
            card("commended", _total(now, "commended"), _total(old, "commended"), lang=lang),
            card("corrected", _total(now, *corrected), _total(old, *corrected), lang=lang),
            card("overdue_follow_ups", float(overdue_now), float(overdue_old), lang=lang),
            card(
                "open_follow_ups",
                float(len(browse.open_follow_ups(engine, filters=filters, scope=scope))),
                None,
                lang=lang,
                compared=False,
            ),
        ]
    )


def classification_cards(engine: Engine, *, filters: Filters, scope: Scope, lang: str = "vi") -> Cards:
    """The latest rated year of the period against the year before: rated, good or above, excellent (the two latest
    classified years before the period when it has none yet, as the page shows them)."""
    shown = browse.latest_rated_years(engine, filters=filters, scope=scope)
    assert shown is not None, "the demo classifies every finished year"
    by_year = metrics.classification(engine, filters=shown, scope=scope, by="year")
    latest = int(by_year["year"].iloc[-1])

    def value(year: int, column: str) -> float | None:
        row = by_year[by_year["year"] == year]
        return None if row.empty or pd.isna(row[column].iloc[0]) else float(row[column].iloc[0])

    return dict(
        card(kpi, value(latest, kpi), value(latest - 1, kpi), lang=lang)
        for kpi in ("rated", "good_or_above_share", "excellent")
    )
