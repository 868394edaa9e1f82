"""Who has reported: the panel of the Overview (and Organisations), and the line under rates over a period with
communes that have not reported (data_access.reporting).

    from ui.reporting import reporting_note, reporting_panel
    reporting_panel(filters=filters, scope=scope)
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access import metrics, reporting
from data_access.filters import Filters, Month, Scope
from data_access.settings import reporting_deadline_day
from ui import components as ui
from ui import data, figures_cache
from ui import format as fmt
from ui.i18n import current_language, t

GRID_MONTHS = 6
NOT_REPORTED_WINDOW = 3
# received, late, not yet due, missing: the grid's colours, from settled to wanting attention
STATUS_COLOURS = {"received": "#2e7d32", "late": "#f9a825", "not_due": "#b0bec5", "missing": "#c62828"}
STATUS_ORDER = ("received", "late", "not_due", "missing")
# Past this many communes the grid leaves no gap between its squares: plotly.js then draws the heatmap as one image,
# not square by square: 558 communes × 6 months took 686 ms to draw with gaps, 253 ms without (headless Chromium,
# plotly.js newPlot, median of 5). The topic heatmap does the same (`ui.figures_views.MAX_WRITTEN_HEAT_ROWS`).
MAX_GAPPED_ROWS = 60


def _db() -> str:
    """The cache key of `ui.data` (the database and the data's version): an import is seen at once."""
    return data.cache_key()


@st.cache_data(ttl=data.TTL_SECONDS, max_entries=data.MAX_ENTRIES, show_spinner=False)
def _grid(
    db: str, first: Month, last: Month, scope: Scope, communes: tuple[int, ...], today: dt.date, day: int
) -> pd.DataFrame:
    return reporting.status_grid(
        data.read_engine(),
        first=first,
        last=last,
        scope=scope,
        communes=communes or None,
        today=today,
        deadline_day=day,
    )


@st.cache_data(ttl=data.TTL_SECONDS, max_entries=data.MAX_ENTRIES, show_spinner=False)
def _unreported(db: str, filters: Filters, scope: Scope) -> list[reporting.Unreported]:
    return reporting.unreported_months(data.read_engine(), filters=filters, scope=scope)


@st.cache_data(ttl=data.TTL_SECONDS, max_entries=data.MAX_ENTRIES, show_spinner=False)
def _not_reported(db: str, filters: Filters, scope: Scope, window: int) -> pd.DataFrame:
    return metrics.not_reported_cells(data.read_engine(), filters=filters, scope=scope, window=window)


@st.cache_data(ttl=data.TTL_SECONDS, max_entries=data.MAX_ENTRIES, show_spinner=False)
def _tracking(db: str) -> bool:
    return reporting.is_tracking(data.read_engine())


def note_text(gaps: list[reporting.Unreported], *, lang: str | None = None) -> str | None:
    """One line naming, per month of the period, how many communes have not reported (None when all have):
    vi "1 xã chưa gửi số liệu tháng 11/2026 — tỷ lệ chỉ tính các tháng đã gửi số liệu."."""
    if not gaps:
        return None
    months = "; ".join(
        t(
            "reporting.note_month",
            lang=lang,
            n=fmt.number(len(g.communes), lang=lang),
            month=fmt.month(g.month, lang=lang),
        )
        for g in gaps
    )
    return t("reporting.note", lang=lang, months=months)


def reporting_note(*, filters: Filters, scope: Scope) -> str | None:
    """The line a page showing a rate over the period writes under it when communes have not reported."""
    return note_text(_unreported(_db(), filters, scope))


def status_month(filters: Filters, deadline_day: int) -> Month:
    """The latest month whose data is due by the as-of date: the month before the as-of month once the deadline
    day has passed, else the one before it (so a commune can be missing, not just not due yet)."""
    return Month.of(filters.as_of) - (1 if filters.as_of.day > deadline_day else 2)


def status_frame(grid: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """A status table for the screen and its download: the status in the reader's words."""
    out = grid.copy()
    out["status"] = [t(f"reporting_status.{s}", lang=lang) for s in out["status"]]
    return out


def grid_figure(grid: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Communes (rows, in the grid's order, the first on top) × months (columns): one coloured square per status,
    its word on hover."""
    communes = list(dict.fromkeys(grid["commune"]))
    months = sorted(set(grid["month"]))
    code = {status: i for i, status in enumerate(STATUS_ORDER)}
    z: list[list[float | None]] = [[None] * len(months) for _ in communes]
    hover: list[list[str]] = [[""] * len(months) for _ in communes]
    row_of, col_of = {c: i for i, c in enumerate(communes)}, {m: j for j, m in enumerate(months)}
    for commune, month, status in zip(grid["commune"], grid["month"], grid["status"], strict=True):
        i, j = row_of[commune], col_of[month]
        z[i][j] = code[status]
        hover[i][j] = f"{commune} · {fmt.month(month, lang=lang)}: {t(f'reporting_status.{status}', lang=lang)}"
    steps = len(STATUS_ORDER)
    gap = 2 if len(communes) <= MAX_GAPPED_ROWS else 0
    colourscale = []
    for i, status in enumerate(STATUS_ORDER):
        colourscale += [[i / steps, STATUS_COLOURS[status]], [(i + 1) / steps, STATUS_COLOURS[status]]]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[fmt.month(m, lang=lang) for m in months],
            y=communes,
            zmin=-0.5,
            zmax=steps - 0.5,
            colorscale=colourscale,
            text=hover,
            hoverinfo="text",
            xgap=gap,
            ygap=gap,
            showscale=False,
        )
    )
    for status in STATUS_ORDER:  # a legend of the four colours
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "color": STATUS_COLOURS[status], "symbol": "square"},
                name=t(f"reporting_status.{status}", lang=lang),
            )
        )
    figure.update_layout(
        height=max(260, 26 * len(communes) + 120),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "side": "top"},
        legend={"orientation": "h", "y": -0.05},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def reporting_panel(*, filters: Filters, scope: Scope) -> None:
    """Who has reported: the line on rates and the month being collected in one line (how many communes are
    missing, late, in); on demand (`_details_chosen`) that month's communes (missing first), the grid of communes ×
    recent months, and the cells of months not reported (listed apart from missed meetings). Drawing the three on
    every run was a fifth of the browser's work on a commune click."""
    lang = current_language()
    st.subheader(t("reporting.title"), anchor=False)
    if not _tracking(_db()):
        st.caption(t("reporting.untracked"))
        return
    if note := reporting_note(filters=filters, scope=scope):
        st.caption(note)
    day = reporting_deadline_day()
    month = status_month(filters, day)
    today = filters.as_of  # the status as of the view's date (by default today, on the product's clock)
    communes = tuple(sorted(filters.communes))
    last = Month.of(filters.as_of) - 1  # the grid goes on to the month just ended, still being collected
    grid = _grid(_db(), last - (GRID_MONTHS - 1), last, scope, communes, today, day)
    current = reporting.missing_first(grid[grid["month"] == str(month)].reset_index(drop=True))
    counts = current["status"].value_counts()
    st.caption(
        t(
            "reporting.summary",
            month=fmt.month(month),
            missing=fmt.number(int(counts.get("missing", 0))),
            late=fmt.number(int(counts.get("late", 0))),
            received=fmt.number(int(counts.get("received", 0))),
            deadline=fmt.date(reporting.deadline(month, day)),
        )
    )
    chosen = _details_chosen(month)
    if not chosen:
        return
    month_table = partial(
        ui.table_with_download,
        status_frame(current[list(reporting.STATUS_COLUMNS)], lang=lang),
        key="reporting_month",
        view="reporting-month",
        title="reporting.month_title",
        title_params={"month": fmt.month(month)},
        definition_key="def.reporting",
        definition_params={"day": day},
        height=360,
    )
    if "grid" in chosen:
        grid_chart = partial(
            ui.chart_with_download,
            figures_cache.figure(grid_figure, grid, lang=lang),
            status_frame(grid, lang=lang),
            key="reporting_grid",
            view="reporting-grid",
            title="reporting.grid_title",
            definition_key="def.reporting",
            definition_params={"day": day},
            show_table=False,
        )
        if "month" in chosen:  # side by side, the list first
            left, right = st.columns([2, 3])
            with left:
                month_table()
            with right:
                grid_chart()
        else:
            grid_chart()
    elif "month" in chosen:
        month_table()
    if "not_reported" in chosen:
        ui.table_with_download(
            _not_reported(_db(), filters, scope, NOT_REPORTED_WINDOW),
            key="reporting_not_reported",
            view="reporting-not-reported",
            title="reporting.not_reported_title",
            title_params={"window": NOT_REPORTED_WINDOW},
            definition_key="def.not_reported",
            definition_params={"window": NOT_REPORTED_WINDOW},
            height=260,
            worst_first=[("months_not_reported", False)],
        )


DETAILS = ("month", "grid", "not_reported")


def _details_chosen(month: Month) -> list[str]:
    """The panel's parts the reader asked to see (none on arrival): the month's communes, missing first; the grid
    of communes by month; the cells of months not reported. Each is one click away with its definition and
    downloads; the line above already says how many communes are missing, late and in."""
    labels = {
        "month": t("reporting.month_title", month=fmt.month(month)),
        "grid": t("reporting.grid_title"),
        "not_reported": t("reporting.not_reported_short"),
    }
    chosen = st.segmented_control(
        t("reporting.details"),
        list(DETAILS),
        selection_mode="multi",
        format_func=labels.__getitem__,
        default=[],
        key="reporting_more",
        help=t("reporting.details_help"),
    )
    return [d for d in DETAILS if d in (chosen or [])]


COMMUNE_MONTHS = 12


def commune_reporting(*, filters: Filters, scope: Scope) -> None:
    """The Organisations page's section for one commune (`filters.communes`): its status for each of the last
    COMMUNE_MONTHS months up to the one just ended, newest first, with when and by which file its data came."""
    if not _tracking(_db()):
        return
    day = reporting_deadline_day()
    last = Month.of(filters.as_of) - 1
    grid = _grid(_db(), last - (COMMUNE_MONTHS - 1), last, scope, tuple(sorted(filters.communes)), filters.as_of, day)
    table = grid.iloc[::-1][["month", *reporting.STATUS_COLUMNS[1:], "deadline"]].reset_index(drop=True)
    ui.table_with_download(
        status_frame(table, lang=current_language()),
        key="org_reporting",
        view="organisations-reporting",
        title="reporting.commune_title",
        definition_key="def.reporting",
        definition_params={"day": day},
        height=300,
    )
