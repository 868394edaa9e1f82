"""Every link parameter the dashboard reads, parsed in one place (no Streamlit here, so it is tested on its own).

A link (`?commune=Lộc Sơn&period=custom&from=2025-01&to=2025-12&as_of=2025-12-31&lang=en`) comes from anyone: a
colleague's message, a bookmark, a hand edit, an attacker. `read_link` keeps what it understands and reports the
rest, value by value, for the sidebar's notice; it never raises. What it decides:

- single-valued parameters (`lang`, `kind`, `period`, `as_of`, `from`, `to`, `group`) use their first value; more
  values are reported;
- `group` is `today` or `recorded` (how records are grouped by commune across a merger, `data_access.lineage`): a
  code, whatever the reader's language;
- names (`province`, `commune`, `org`) must be among the names the viewer may choose (organisations among those of
  the chosen communes);
- `as_of` is an ISO date, moved into the range the data can answer (from the first recorded month to today);
- `from` / `to` are `YYYY-MM` months among those the custom range offers at that as-of date; either alone makes
  the period custom, and a custom period missing a bound takes the last-12-months bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from data_access.filters import GROUPINGS, Month

SINGLE = ("lang", "kind", "period", "as_of", "from", "to", "group")
NAMES = ("province", "commune", "org")
PARAMS = (*SINGLE[:1], *NAMES, *SINGLE[1:])
# The organisations page's own walk (commune -> base organisation -> cell), beside the sidebar's filters.
UNIT_PARAMS = ("unit_commune", "unit_org", "unit_cell")


@dataclass
class LinkReading:
    """What a link asks for, in the sidebar's terms: `values` by parameter, parsed; `dropped` holds each
    (parameter, value) not understood; `as_of_asked` the as-of date the link named when it had to be moved."""

    values: dict[str, object] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    as_of_asked: dt.date | None = None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, TypeError):
        return None


def _parse_month(text: str) -> str | None:
    try:
        return str(Month.parse(text))
    except (ValueError, TypeError):
        return None


def read_link(
    query: Mapping[str, Sequence[str]],
    *,
    languages: Collection[str],
    province_names: Collection[str],
    commune_names: Collection[str],
    organisation_names: Callable[[list[str]], Iterable[str]],
    kinds: Collection[str],
    presets: Collection[str],
    as_of_range: tuple[dt.date, dt.date],
    months_for: Callable[[dt.date], Collection[str]],
    last12: Callable[[dt.date], tuple[str, str]],
    groupings: Collection[str] = GROUPINGS,
) -> LinkReading:
    """Parse the link's parameters (`query`: name -> values, as `st.query_params.get_all` gives them)."""
    reading = LinkReading()

    def given(name: str) -> list[str]:
        return [v for v in query.get(name, ()) if isinstance(v, str) and v != ""]

    def first(name: str) -> str | None:
        values = given(name)
        reading.dropped.extend((name, extra) for extra in values[1:])
        return values[0] if values else None

    def choose(name: str, allowed: Collection[str]) -> None:
        value = first(name)
        if value is None:
            return
        if value in allowed:
            reading.values[name] = value
        else:
            reading.dropped.append((name, value))

    def names(name: str, allowed: Collection[str]) -> list[str]:
        allowed_set, kept = set(allowed), []
        for value in given(name):
            if value in allowed_set:
                kept.append(value)
            else:
                reading.dropped.append((name, value))
        kept = list(dict.fromkeys(kept))
        if kept:
            reading.values[name] = kept
        return kept

    choose("lang", languages)
    names("province", province_names)
    chosen = names("commune", commune_names)
    names("org", list(organisation_names(chosen)))
    choose("kind", kinds)
    choose("period", presets)
    choose("group", groupings)

    low, high = as_of_range
    as_of = high
    if (text := first("as_of")) is not None:
        asked = _parse_date(text)
        if asked is None:
            reading.dropped.append(("as_of", text))
        else:
            as_of = min(max(asked, low), high)
            if as_of != asked:
                reading.as_of_asked = asked
            reading.values["as_of"] = as_of

    months = months_for(as_of)
    bounds: dict[str, str] = {}
    for name in ("from", "to"):
        if (text := first(name)) is None:
            continue
        month = _parse_month(text)
        if month is not None and month in months:
            bounds[name] = month
        else:
            reading.dropped.append((name, text))
    period = reading.values.get("period")
    if bounds and period is None:
        reading.values["period"] = period = "custom"
    if period == "custom":
        start, end = last12(as_of)
        reading.values["from"] = bounds.get("from", start)
        reading.values["to"] = bounds.get("to", end)
    return reading


def read_units(
    query: Mapping[str, Sequence[str]], units: Iterable[tuple[str, str, str]]
) -> tuple[list[str | None], list[tuple[str, str]]]:
    """The organisations page's choices from the link: a commune among `units` (commune, organisation, cell
    names), an organisation within it, a cell within that; a value that does not fit is dropped and reported, and
    so is everything below it."""
    rows = list(units)
    chosen: list[str | None] = []
    dropped: list[tuple[str, str]] = []
    for level, name in enumerate(UNIT_PARAMS):
        values = [v for v in query.get(name, ()) if isinstance(v, str) and v != ""]
        dropped.extend((name, extra) for extra in values[1:])
        value = values[0] if values else None
        if value is not None and (len(chosen) < level or any(c is None for c in chosen)):
            dropped.append((name, value))
            value = None
        elif value is not None:
            fits = [r for r in rows if r[level] == value and list(r[:level]) == chosen]
            if not fits:
                dropped.append((name, value))
                value = None
        chosen.append(value)
    return chosen, dropped
