"""The monthly briefing's content: the same numbers as the pages, for one scope and one month.

`build_briefing` reads everything through the public metric functions (`metrics.overview`, `metrics.compute`,
the alert lists, `browse.cells_without_thematic` and `browse.inspection_list`), so a briefing can never disagree
with the dashboard. The month is judged as of its last day (as of today for the month in progress); the previous
month and the same month a year before are judged as of their own last days, as the Overview judges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd
from sqlalchemy.engine import Engine

from data_access import browse, lineage, lookups, metrics, reporting
from data_access.errors import UserError
from data_access.filters import Filters, Month, Scope, quarter_label

Level = Literal["district", "commune", "organisation"]
RankedBy = Literal["commune", "cell"]

HEADLINES = metrics.KPI_IDS  # the Overview's headline figures, in its order
RATE_HEADLINES = frozenset(metrics.MEETING_KPIS)
MISSED_WINDOW = 3
TREND_MONTHS = 12
RANKING_COLUMNS = (
    "rank",
    "commune",
    "organisation",
    "cell",
    "due_cell_months",
    "held_cell_months",
    "regularity_rate",
    "meetings",
    "participation_rate",
    "below_target",
)


@dataclass(frozen=True)
class Headline:
    """A headline figure in the month, the month before and the same month a year before (None: no data)."""

    kpi: str
    value: float | None
    previous_month: float | None
    last_year: float | None

    @property
    def is_rate(self) -> bool:
        return self.kpi in RATE_HEADLINES

    @property
    def change_month(self) -> float | None:
        return None if self.value is None or self.previous_month is None else self.value - self.previous_month

    @property
    def change_year(self) -> float | None:
        return None if self.value is None or self.last_year is None else self.value - self.last_year


@dataclass(frozen=True)
class Place:
    """Who the briefing is about and who issues it: `superior` and `issuer` name the committees of the header
    (empty when the database does not record the district or province)."""

    level: Level
    name: str  # the commune's or the organisation's name; the district's name for the district ("" unknown)
    commune: str  # the commune of a commune or organisation briefing ("" for the district)
    district: str
    province: str


@dataclass(frozen=True)
class Briefing:
    """Everything the PDF and the DOCX show: numbers and lists, no wording (see `texts`)."""

    month: Month
    as_of: dt.date
    place: Place
    target: float
    headlines: dict[str, Headline]
    thematic_quarter: str  # the quarter of the thematic coverage headline (its last due quarter)
    regularity: pd.DataFrame  # the month's `regularity` total row: due, held, on the fixed day
    participation: pd.DataFrame  # the month's `participation` total row
    ranking: pd.DataFrame  # RANKING_COLUMNS, worst first
    ranked_by: RankedBy
    trend: pd.DataFrame  # month, regularity_rate, participation_rate, superior_attendance_rate: 12 months to it
    missed: pd.DataFrame  # metrics.MISSED_COLUMNS
    below_target: pd.DataFrame  # commune, organisation, cell, meetings, participation_rate
    overdue: pd.DataFrame  # commune, organisation, cell, outcome, follow_up_due, days_overdue
    without_thematic: pd.DataFrame  # browse.CELLS_WITHOUT_THEMATIC_COLUMNS
    topics_month: pd.DataFrame  # topic, meetings, cells
    topics_quarter: pd.DataFrame  # topic, meetings, cells: from the quarter's first month to the month
    quarter: str  # the quarter of `topics_quarter` (`2026-Q4`)
    inspections: pd.DataFrame  # concluded in the month: commune, organisation, cell, body, kind, concluded_on, outcome
    # the communes that have not sent the month's data (data_access.reporting): commune, status, cells
    not_reported: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["commune", "status", "cells"]))
    deadline: dt.date | None = None  # the month's reporting deadline


def month_filters(month: Month, as_of: dt.date, base: Filters) -> Filters:
    """`base`'s units, the one month `month`, judged as of `as_of`."""
    return replace(base, period_from=month, period_to=month, as_of=as_of)


def judged_as_of(month: Month, today: dt.date) -> dt.date:
    """A past month is judged as of its last day; the month in progress as of today."""
    return min(month.last_day, today)


def build_briefing(
    engine: Engine,
    *,
    month: Month,
    scope: Scope,
    communes: Sequence[int] = (),
    organisations: Sequence[int] = (),
    today: dt.date | None = None,
    target: float = 0.85,
    grouping: str | None = None,
) -> Briefing:
    """The briefing of `month` for the communes (or organisations) chosen, within the viewer's `scope`: the whole
    district when none is chosen (a commune account's scope is its own commune). UserError for a month in the
    future, a commune outside the scope, or a month without any recorded meeting in the scope."""
    today = today or dt.date.today()
    if month > Month.of(today):
        raise UserError(f"{month} is in the future: a briefing covers a month that has begun (today is {today})")
    known = lookups.communes(engine, scope=scope)
    allowed = set(known["id"].astype(int))
    outside = [c for c in communes if c not in allowed]
    if outside:
        raise UserError("a commune chosen is outside the communes this account may see")
    if not communes and scope.communes is not None and len(scope.communes) == 1:
        communes = tuple(scope.communes)
    as_of = judged_as_of(month, today)
    base = Filters(
        period_from=month,
        period_to=month,
        as_of=as_of,
        communes=tuple(communes),
        organisations=tuple(organisations),
    )
    # across a merger of communes: as the view asked, else as today when the 12 months of the trend cross one
    trend_window = replace(base, period_from=month - (TREND_MONTHS - 1))
    base = replace(
        base, grouping=grouping or lineage.default_grouping(trend_window, lineage.merger_dates(engine, scope=scope))
    )
    place = _place(engine, base, scope, known)
    participation = metrics.participation(engine, filters=base, scope=scope, by="total")
    if participation.empty or int(participation["meetings"].sum()) == 0:
        raise UserError(f"no meeting is recorded in {month} for {place.name or 'the district'}: nothing to report")
    regularity = metrics.regularity(engine, filters=base, scope=scope, by="total")
    headlines, thematic_quarter = _headlines(engine, base, scope)
    ranking, ranked_by = _ranking(engine, base, scope, place.level, target)
    quarter_start = Month(month.year, (month.month - 1) // 3 * 3 + 1)
    quarter = replace(base, period_from=quarter_start)
    year = replace(base, period_from=month - (TREND_MONTHS - 1))
    return Briefing(
        month=month,
        as_of=as_of,
        place=place,
        target=target,
        headlines=headlines,
        thematic_quarter=thematic_quarter,
        regularity=regularity,
        participation=participation,
        ranking=ranking,
        ranked_by=ranked_by,
        trend=_trend(engine, year, scope),
        missed=metrics.missed_meetings(engine, filters=base, scope=scope, window=MISSED_WINDOW),
        below_target=metrics.below_target(engine, filters=base, scope=scope, target=target)[
            ["commune", "organisation", "cell", "meetings", "participation_rate"]
        ],
        overdue=metrics.overdue_follow_ups(engine, filters=base, scope=scope)[
            ["commune", "organisation", "cell", "outcome", "follow_up_due", "days_overdue"]
        ],
        # the cells without a thematic meeting in the last due quarter of the 12 months, as the Topics page lists
        without_thematic=browse.cells_without_thematic(engine, filters=year, scope=scope),
        topics_month=_topics(engine, base, scope),
        topics_quarter=_topics(engine, quarter, scope),
        quarter=quarter_label(month.year * 4 + (month.month - 1) // 3),
        inspections=_concluded(engine, base, scope),
        not_reported=_not_reported(engine, month, base, scope, place, today),
        deadline=reporting.deadline(month),
    )


def _not_reported(
    engine: Engine, month: Month, filters: Filters, scope: Scope, place: Place, today: dt.date
) -> pd.DataFrame:
    """The communes of the briefing that have not sent `month`'s data by `today` (missing, or not due yet);
    none while reporting is not tracked."""
    if not reporting.is_tracking(engine):
        return pd.DataFrame(columns=["commune", "status", "cells"])
    status = reporting.status_for_month(engine, month, scope=scope, communes=filters.communes or None, today=today)
    if place.commune:
        status = status[status["commune"] == place.commune]
    status = reporting.missing_first(status[status["status"].isin(reporting.UNREPORTED)].reset_index(drop=True))
    return status[["commune", "status", "cells"]]


def _place(engine: Engine, filters: Filters, scope: Scope, known: pd.DataFrame) -> Place:
    chosen = known[known["id"].isin(filters.communes)] if filters.communes else known
    districts = {str(d) for d in chosen["district"].fillna("") if d}
    provinces = {str(p) for p in chosen["province"].fillna("") if p}
    district = districts.pop() if len(districts) == 1 else ""
    province = provinces.pop() if len(provinces) == 1 else ""
    if filters.organisations:
        orgs = lookups.organisations(engine, scope=scope)
        orgs = orgs[orgs["id"].isin(filters.organisations)]
        if orgs.empty:
            raise UserError("the organisation chosen is outside the communes this account may see")
        commune = orgs["commune"].iloc[0] if orgs["commune"].nunique() == 1 else ""
        return Place("organisation", ", ".join(orgs["name"]), commune, district, province)
    if len(chosen) == 1:
        name = str(chosen["name"].iloc[0])
        return Place("commune", name, name, district, province)
    if filters.communes:
        return Place("district", ", ".join(chosen["name"]), "", district, province)
    return Place("district", district, "", district, province)


def _headlines(engine: Engine, base: Filters, scope: Scope) -> tuple[dict[str, Headline], str]:
    """The Overview's numbers for the month, the month before and the same month a year before; thematic coverage
    over the last due quarter (a month alone holds no whole quarter), against the quarter before and a year before.
    As on the Overview, a meeting figure of a month before the first recorded meeting is unknown (None), not 0."""
    month = base.period_to
    first = metrics.first_recorded_month(engine)
    now = metrics.overview(engine, filters=base, scope=scope)
    year_ago = month_filters(month - 12, (month - 12).last_day, base)
    last_year = metrics.overview(engine, filters=year_ago, scope=scope)
    recorded = metrics.recorded_part(year_ago, first) is not None
    headlines = {
        kpi: Headline(
            kpi,
            now[kpi].value,
            now[kpi].previous,
            last_year[kpi].value if recorded or kpi not in RATE_HEADLINES else None,
        )
        for kpi in HEADLINES
        if kpi != "thematic_coverage"
    }
    quarter = _last_due_quarter(base)
    coverage = [_coverage(engine, base, scope, quarter - shift, first) for shift in (0, 1, 4)]
    headlines["thematic_coverage"] = Headline("thematic_coverage", *coverage)
    return {kpi: headlines[kpi] for kpi in HEADLINES}, quarter_label(quarter)


def _last_due_quarter(filters: Filters) -> int:
    """The quarter index (year * 4 + q - 1) of the last quarter ended before the as-of month."""
    return (Month.of(filters.as_of).index - 3) // 3


def _coverage(engine: Engine, base: Filters, scope: Scope, quarter: int, first: Month | None) -> float | None:
    """Thematic coverage of one quarter judged once it has ended (None for a quarter before the records)."""
    start = Month.from_index(quarter * 3)
    filters = replace(base, period_from=start, period_to=start + 2, as_of=(start + 3).first_day)
    if first is None or filters.period_to < first:
        return None
    table = metrics.thematic(engine, filters=filters, scope=scope, by="total")
    value = table["thematic_coverage"].iloc[0] if len(table) else None
    return None if value is None or pd.isna(value) else float(value)


def _ranking(engine: Engine, base: Filters, scope: Scope, level: Level, target: float) -> tuple[pd.DataFrame, RankedBy]:
    """The communes of a district (the cells of a commune or an organisation) in the month, worst first: the
    lowest regularity, then the lowest participation (a unit that met nobody counts as the lowest)."""
    by: RankedBy = "commune" if level == "district" else "cell"
    keys = ["commune"] if by == "commune" else ["commune", "organisation", "cell"]
    regularity = metrics.regularity(engine, filters=base, scope=scope, by=by)
    participation = metrics.participation(engine, filters=base, scope=scope, by=by)
    table = regularity[[*keys, "due_cell_months", "held_cell_months", "regularity_rate"]].merge(
        participation[[*keys, "meetings", "participation_rate"]], on=keys, how="left"
    )
    table["meetings"] = table["meetings"].fillna(0).astype("int64")
    table = table.sort_values(
        ["regularity_rate", "participation_rate"], ascending=True, na_position="first", kind="stable"
    ).reset_index(drop=True)
    table["below_target"] = [bool(pd.notna(r) and r < target) for r in table["participation_rate"]]
    table.insert(0, "rank", range(1, len(table) + 1))
    for column in ("organisation", "cell"):
        if column not in table.columns:
            table[column] = ""
    return table[list(RANKING_COLUMNS)], by


def _trend(engine: Engine, year: Filters, scope: Scope) -> pd.DataFrame:
    """Per month of the 12 to the briefing's month: regularity, participation and superior attendance."""
    months = pd.DataFrame({"month": [str(year.period_from + i) for i in range(year.months)]})
    parts = {
        "regularity": "regularity_rate",
        "participation": "participation_rate",
        "superior_attendance": "superior_attendance_rate",
    }
    for metric, column in parts.items():
        table = metrics.compute(metric, engine, filters=year, scope=scope, by="month")
        months = months.merge(table[["month", column]], on="month", how="left")
    return months


def _topics(engine: Engine, filters: Filters, scope: Scope) -> pd.DataFrame:
    """The thematic topics of the period, the most held first (ties in the metric's Vietnamese order)."""
    table = metrics.topics(engine, filters=filters, scope=scope, by="topic")
    return table.sort_values("meetings", ascending=False, kind="stable").reset_index(drop=True)


def _concluded(engine: Engine, filters: Filters, scope: Scope) -> pd.DataFrame:
    """The inspections concluded in the month, newest first (those only started in it are left out)."""
    table = browse.inspection_list(engine, filters=filters, scope=scope)
    first, last = filters.period_from.first_day, filters.as_of
    kept = pd.Series(
        [c is not None and c == c and first <= c <= last for c in table["concluded_on"]], index=table.index, dtype=bool
    )
    columns = ["commune", "organisation", "cell", "body", "kind", "concluded_on", "outcome"]
    return table.loc[kept, columns].reset_index(drop=True)
