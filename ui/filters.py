"""The shared filter sidebar: language, communes, base organisations, organisation kind, period.

Every value lives in `st.session_state` under the keys below (so it persists across pages: the frame renders the
sidebar on every run) and is mirrored into the URL query string (so a copied link reproduces the view):

    ?lang=en&commune=Lộc Sơn&commune=Hòa Lộc&org=…&kind=party_committee&period=custom&from=2025-01&to=2025-12
    &as_of=2026-11-24

Over communes of several provinces (the country) the sidebar also offers the provinces (`?province=Thanh Hóa`):
chosen provinces narrow the commune list, and stand for all their communes while no commune is chosen.

Across a merger of communes (the 2025 reform) the commune list offers today's communes, each followed by its
former ones, and one switch (`?group=today|recorded`) says how records are grouped by commune: under today's
commune (the default for a period that crosses a merger) or under the communes of the time
(`data_access.lineage`). Choosing a new commune takes in its predecessors' history either way.

Why not Streamlit's `bind="query-params"`: a bound widget writes its *formatted* option to the URL, so coded
options shown in the reader's language (kind, period preset) would change their URL value with the language,
and invalid URL values are dropped silently, while the product must show a notice. The sidebar therefore seeds
the widgets from the URL once per session, shows a notice for every value it cannot use, and writes the URL
back after every run (a sidebar page click drops query parameters that no widget binds).

Pages start with `ui.frame.start_page(title_key)`, which returns the `FilterState`: inside the app, what the
frame's sidebar produced in this run; on its own (AppTest on the page file), the page draws the sidebar itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.filters import GROUPINGS, Filters, Month, Scope
from data_access.lineage import default_grouping
from data_access.models import ORGANISATION_KINDS
from data_access.settings import LANGUAGES, get_settings, local_today
from data_access.vnsort import vn_key
from ui import escape, links
from ui import format as fmt
from ui.i18n import LANGUAGE_KEY, current_language, t, vocab_label
from ui.links import read_link

PRESETS = ("last12", "this_year", "last_year", "last5", "custom")
PROVINCES_KEY = "f_provinces"
COMMUNES_KEY = "f_communes"
ORGANISATIONS_KEY = "f_organisations"
KIND_KEY = "f_kind"
PERIOD_KEY = "f_period"
FROM_KEY = "f_from"
TO_KEY = "f_to"
DOWNLOAD_LOCALISED_KEY = "f_download_localised"
GROUP_KEY = "f_group"
GROUP_CHOSEN_KEY = "_group_chosen"
AS_OF_KEY = "_as_of"
STATE_KEY = "_filter_state"
SCOPE_KEY = "_viewer_scope"
NOTICES_KEY = "_url_notices"
SEEDED_KEY = "_url_seeded"
FRAME_KEY = "_frame_rendered"
ALL_KINDS = ""
HISTORY_YEARS = 10

# URL parameter -> session-state key
URL_PARAMS = {
    "lang": LANGUAGE_KEY,
    "province": PROVINCES_KEY,
    "commune": COMMUNES_KEY,
    "org": ORGANISATIONS_KEY,
    "kind": KIND_KEY,
    "period": PERIOD_KEY,
    "from": FROM_KEY,
    "to": TO_KEY,
    "group": GROUP_KEY,
}


@dataclass(frozen=True)
class FilterState:
    """What the sidebar produced: the `Filters` value plus the names behind its ids, for words and file names."""

    filters: Filters
    commune_names: tuple[str, ...] = ()
    organisation_names: tuple[str, ...] = ()
    scope_names: tuple[str, ...] | None = None
    """The communes the viewer's scope allows (Vietnamese order), or None when the scope is every commune."""
    province_names: tuple[str, ...] = ()
    """The provinces chosen (their communes are the filter when no commune is chosen)."""

    @property
    def shown_communes(self) -> tuple[str, ...] | None:
        """The places the figures cover: the chosen communes, else the chosen provinces, else the communes of a
        limited scope; None = every commune."""
        return self.commune_names or self.province_names or self.scope_names

    def words(self, *, lang: str | None = None) -> str:
        """The scope in words: `Lộc Sơn, Hòa Lộc · 01/2025–12/2025 · số liệu đến 24/11/2026`.

        With no commune chosen, a viewer whose scope is limited (a commune account) reads its own communes, not
        "every commune"."""
        f = self.filters
        names = self.shown_communes
        if names:
            shown = list(names[:3])
            if len(names) > 3:
                shown.append(t("filter.more", lang=lang, n=len(names) - 3))
            where = ", ".join(shown)
        elif names is None:
            where = t("filter.all", lang=lang)
        else:
            where = t("filter.no_commune", lang=lang)
        parts = [where]
        if self.organisation_names:
            if len(self.organisation_names) <= 2:
                parts.append(", ".join(self.organisation_names))
            else:
                parts.append(t("scope.organisations", lang=lang, n=len(self.organisation_names)))
        if f.organisation_kind:
            parts.append(vocab_label("organisation_kind", f.organisation_kind, lang=lang))
        parts.append(fmt.month_range(f.period_from, f.period_to, lang=lang))
        parts.append(t("scope.as_of", lang=lang, date=fmt.date(f.as_of, lang=lang)))
        return " · ".join(parts)

    def file_scope(self) -> str:
        """The scope for a download's file name (made ASCII by `ui.downloads.download_name`)."""
        names = self.shown_communes
        where = "-".join(names[:3]) if names else "all"
        return f"{where} {self.filters.period_from} {self.filters.period_to}"


def _last12_months(as_of: dt.date) -> tuple[str, str]:
    first, last = preset_period("last12", as_of=as_of)
    return str(first), str(last)


def preset_period(preset: str, *, as_of: dt.date) -> tuple[Month, Month]:
    """The months of a period preset, judged at `as_of` (the current month is the last one shown)."""
    now = Month.of(as_of)
    if preset == "last12":
        return now - 11, now
    if preset == "this_year":
        return Month(as_of.year, 1), now
    if preset == "last_year":
        return Month(as_of.year - 1, 1), Month(as_of.year - 1, 12)
    if preset == "last5":
        return now - 59, now
    raise ValueError(f"not a preset: {preset}")


def default_state(*, as_of: dt.date | None = None) -> FilterState:
    """The view with nothing chosen: every commune, the last 12 months."""
    as_of = as_of or local_today()
    start, end = preset_period("last12", as_of=as_of)
    return FilterState(Filters(period_from=start, period_to=end, as_of=as_of))


def month_options(*, as_of: dt.date) -> list[str]:
    """The months a custom range can use: the last ten years up to the as-of month (`YYYY-MM`)."""
    end = Month.of(as_of)
    return [str(end - k) for k in range(HISTORY_YEARS * 12 - 1, -1, -1)]


# ----------------------------------------------------------------------------------------------------------------
# URL <-> session state


def _url_values(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v != ""]


def seed_from_url(
    *,
    commune_names: list[str],
    organisation_names: Callable[[list[str]], list[str]],
    province_names: Sequence[str] = (),
    first_month: Month | None = None,
) -> list[str]:
    """Copy the URL's filter values into session state (once per session); return notices for unusable values.

    The parsing is `ui.links.read_link`'s; the as-of date is kept between the first recorded month (`first_month`)
    and today on the product's clock."""
    today = local_today()
    low = first_month.first_day if first_month is not None else (Month.of(today) - (HISTORY_YEARS * 12 - 1)).first_day
    reading = read_link(
        {name: st.query_params.get_all(name) for name in links.PARAMS},
        languages=LANGUAGES,
        province_names=province_names,
        commune_names=commune_names,
        organisation_names=organisation_names,
        kinds=ORGANISATION_KINDS,
        presets=PRESETS,
        as_of_range=(min(low, today), today),
        months_for=lambda as_of: set(month_options(as_of=as_of)),
        last12=_last12_months,
    )
    state = st.session_state
    for param, value in reading.values.items():
        key = AS_OF_KEY if param == "as_of" else URL_PARAMS[param]
        state[key] = value
    if "group" in reading.values:  # a link's grouping stays, whatever period is chosen next
        state[GROUP_CHOSEN_KEY] = True
    notices = [
        t("filter.unknown_value", param=escape.md(param), value=escape.md(value)) for param, value in reading.dropped
    ]
    if reading.as_of_asked is not None:
        notices.append(
            t(
                "filter.as_of_moved",
                asked=reading.as_of_asked.isoformat(),
                used=fmt.date(reading.values["as_of"]),  # type: ignore[arg-type]
            )
        )
    return notices


def seed_language_from_url() -> None:
    """Take the reader's language from the URL before anything is written (the page title, the navigation), on a
    session's first run only; `seed_from_url` reports an unusable value later, with the other filters."""
    state = st.session_state
    if state.get(SEEDED_KEY) or LANGUAGE_KEY in state:
        return
    lang = _url_values("lang")
    if lang and lang[0] in LANGUAGES:
        state[LANGUAGE_KEY] = lang[0]


def url_params(*, default_lang: str) -> dict[str, str | list[str]]:
    """The query parameters that reproduce the current filters (defaults left out to keep links short)."""
    state = st.session_state
    params: dict[str, str | list[str]] = {}
    if state.get(LANGUAGE_KEY, default_lang) != default_lang:
        params["lang"] = state[LANGUAGE_KEY]
    if state.get(PROVINCES_KEY):
        params["province"] = list(state[PROVINCES_KEY])
    if state.get(COMMUNES_KEY):
        params["commune"] = list(state[COMMUNES_KEY])
    if state.get(ORGANISATIONS_KEY):
        params["org"] = list(state[ORGANISATIONS_KEY])
    if state.get(KIND_KEY):
        params["kind"] = state[KIND_KEY]
    period = state.get(PERIOD_KEY, "last12")
    if period != "last12":
        params["period"] = period
    if period == "custom":
        start, end = preset_period("last12", as_of=state.get(AS_OF_KEY) or local_today())
        params["from"], params["to"] = state.get(FROM_KEY) or str(start), state.get(TO_KEY) or str(end)
    if AS_OF_KEY in state:
        params["as_of"] = state[AS_OF_KEY].isoformat()
    if state.get(GROUP_CHOSEN_KEY) and state.get(GROUP_KEY) in GROUPINGS:
        params["group"] = state[GROUP_KEY]
    return params


def write_url(params: dict[str, str | list[str]]) -> None:
    """Make the URL hold exactly `params` for the filter parameters, touching nothing else in it."""
    for name in (*URL_PARAMS, "as_of"):
        wanted = params.get(name)
        current = st.query_params.get_all(name)
        wanted_list = [] if wanted is None else [wanted] if isinstance(wanted, str) else list(wanted)
        if current == wanted_list:
            continue
        if wanted_list:
            st.query_params[name] = wanted_list if len(wanted_list) > 1 else wanted_list[0]
        elif name in st.query_params:
            del st.query_params[name]


# ----------------------------------------------------------------------------------------------------------------
# The sidebar


@functools.lru_cache(maxsize=256)
def vn_sorted(names: tuple[str, ...]) -> tuple[str, ...]:
    """`names` in Vietnamese order. Kept per list of names: a province's 1,970 commune and organisation names take
    about 50 ms to sort, on every run of every page."""
    return tuple(sorted(names, key=vn_key))


def render_sidebar(
    *,
    communes: pd.DataFrame,
    organisations: Callable[[tuple[int, ...]], pd.DataFrame],
    scope: Scope,
    first_month: Callable[[], Month | None] = lambda: None,
    lineage: pd.DataFrame | None = None,
) -> FilterState:
    """Draw the filter sidebar and return its `FilterState` (also stored for `current_filters()` this run).

    `communes` has columns id, name (the communes in the viewer's scope); `organisations(commune_ids)` returns the
    base organisations (id, name) of those communes, all of them for an empty tuple; `first_month()` the first
    recorded month (asked once per session, when the link is read), the earliest as-of date a link may name;
    `lineage` the communes as `data_access.lineage.commune_tree` lists them (today's, each followed by its former
    ones), when some were merged.
    """
    settings = get_settings()
    state = st.session_state
    commune_ids = {str(n): int(i) for i, n in zip(communes["id"], communes["name"], strict=True)}
    commune_names = list(vn_sorted(tuple(commune_ids)))
    former = _former_communes(lineage, commune_ids)
    if former:  # today's communes, each followed by its former ones
        listed = [str(n) for n in lineage["name"]] if lineage is not None else []
        commune_names = [n for n in listed if n in commune_ids]
    mergers = sorted({merged_on for _, merged_on in former.values()})
    # Communes of several provinces (the country): a province filter first, which also narrows the commune list.
    province_of = _provinces_of(communes)
    province_names = list(vn_sorted(tuple({p for p in province_of.values() if p})))
    if len(set(province_of.values())) < 2:
        province_names = []

    def org_names_for(names: list[str]) -> list[str]:
        df = organisations(tuple(commune_ids[n] for n in names if n in commune_ids))
        return [str(n) for n in df["name"]]

    if not state.get(SEEDED_KEY):
        state[SEEDED_KEY] = True
        state[NOTICES_KEY] = seed_from_url(
            commune_names=commune_names,
            organisation_names=org_names_for,
            province_names=province_names,
            first_month=first_month(),
        )
        state["_seeded_params"] = url_params(default_lang=settings.language)
    state.setdefault(LANGUAGE_KEY, settings.language)
    state.setdefault(PROVINCES_KEY, [])
    state.setdefault(COMMUNES_KEY, [])
    state.setdefault(ORGANISATIONS_KEY, [])
    state.setdefault(KIND_KEY, ALL_KINDS)
    state.setdefault(PERIOD_KEY, "last12")
    state.setdefault(DOWNLOAD_LOCALISED_KEY, True)
    as_of: dt.date = state.get(AS_OF_KEY) or local_today()
    months = month_options(as_of=as_of)
    start, end = preset_period("last12", as_of=as_of)
    state.setdefault(FROM_KEY, str(start))
    state.setdefault(TO_KEY, str(end))
    # Values that are no longer possible (scope changed, commune removed, another province chosen) drop out before
    # the widgets are drawn.
    state[PROVINCES_KEY] = [p for p in state[PROVINCES_KEY] if p in province_names]
    chosen_provinces: list[str] = list(state[PROVINCES_KEY])
    if chosen_provinces:
        wanted = set(chosen_provinces)
        commune_names = [n for n in commune_names if province_of[n] in wanted]
    state[COMMUNES_KEY] = [n for n in state[COMMUNES_KEY] if n in commune_names]

    # Labels are made in the language of this run: a widget may format its options again outside the run.
    lang = current_language()
    _keep_codes(
        lang,
        {
            KIND_KEY: ([ALL_KINDS, *ORGANISATION_KINDS], _kind_label, ALL_KINDS),
            PERIOD_KEY: (list(PRESETS), _preset_label, "last12"),
            FROM_KEY: (months, _month_label, str(start)),
            TO_KEY: (months, _month_label, str(end)),
        },
    )
    with st.sidebar:
        st.segmented_control(
            t("filter.language"),
            list(LANGUAGES),
            format_func=lambda code: t(f"language.{code}", lang=lang),
            key=LANGUAGE_KEY,
            required=True,
            persist_state="session",
        )
        st.header(t("filter.header"), divider="red")
        if province_names:
            chosen_provinces = st.multiselect(
                t("filter.provinces"),
                province_names,
                key=PROVINCES_KEY,
                placeholder=t("filter.provinces_placeholder"),
                persist_state="session",
            )
        chosen_communes: list[str] = st.multiselect(
            t("filter.communes"),
            commune_names,
            format_func=lambda name: _commune_label(name, former, lang),
            key=COMMUNES_KEY,
            placeholder=t("filter.communes_placeholder"),
            persist_state="session",
        )
        org_df = organisations(tuple(commune_ids[n] for n in chosen_communes))
        org_ids = {str(n): int(i) for i, n in zip(org_df["id"], org_df["name"], strict=True)}
        org_names = list(vn_sorted(tuple(org_ids)))
        state[ORGANISATIONS_KEY] = [n for n in state[ORGANISATIONS_KEY] if n in org_ids]
        chosen_orgs: list[str] = st.multiselect(
            t("filter.organisations"),
            org_names,
            key=ORGANISATIONS_KEY,
            placeholder=t("filter.organisations_placeholder"),
            persist_state="session",
        )
        kind: str = st.selectbox(
            t("filter.organisation_kind"),
            [ALL_KINDS, *ORGANISATION_KINDS],
            format_func=lambda k: _kind_label(k, lang),
            key=KIND_KEY,
            persist_state="session",
        )
        preset: str = st.selectbox(
            t("filter.period"),
            list(PRESETS),
            format_func=lambda p: _preset_label(p, lang),
            key=PERIOD_KEY,
            persist_state="session",
        )
        if preset == "custom":
            left, right = st.columns(2)
            with left:
                first = st.selectbox(
                    t("filter.period_from"),
                    months,
                    format_func=lambda m: fmt.month(m, lang=lang),
                    key=FROM_KEY,
                    persist_state="session",
                )
            with right:
                last = st.selectbox(
                    t("filter.period_to"),
                    months,
                    format_func=lambda m: fmt.month(m, lang=lang),
                    key=TO_KEY,
                    persist_state="session",
                )
            period_from, period_to = Month.parse(first), Month.parse(last)
            if period_to < period_from:
                st.caption(t("filter.range_swapped"))
                period_from, period_to = period_to, period_from
        else:
            period_from, period_to = preset_period(preset, as_of=as_of)
        grouping = _grouping_switch(mergers, period_from, period_to, lang) if mergers else "recorded"
        st.toggle(
            t("download.localised"),
            key=DOWNLOAD_LOCALISED_KEY,
            help=t("download.localised_help"),
            persist_state="session",
        )
        params = url_params(default_lang=settings.language)
        if params != state.get("_seeded_params"):
            state[NOTICES_KEY] = []
        for notice in state.get(NOTICES_KEY, []):
            st.warning(notice, icon=":material/link_off:")

    write_url(params)
    # no commune chosen in chosen provinces: every commune of them (the commune list holds just those)
    in_view = chosen_communes or (commune_names if chosen_provinces else [])
    chosen_ids = {commune_ids[n] for n in in_view}
    if grouping == "recorded" and chosen_communes:  # the communes of the time: a new commune's former ones too
        chosen_ids |= {commune_ids[n] for n, (today, _) in former.items() if today in chosen_ids}
    result = FilterState(
        filters=Filters(
            period_from=period_from,
            period_to=period_to,
            as_of=as_of,
            communes=tuple(sorted(chosen_ids)),
            organisations=tuple(sorted(org_ids[n] for n in chosen_orgs)),
            organisation_kind=kind or None,
            grouping=grouping,
        ),
        commune_names=tuple(chosen_communes),
        organisation_names=tuple(chosen_orgs),
        scope_names=None if scope.communes is None else tuple(commune_names),
        province_names=tuple(chosen_provinces),
    )
    state[STATE_KEY] = result
    state[SCOPE_KEY] = scope
    return result


def _former_communes(lineage: pd.DataFrame | None, commune_ids: dict[str, int]) -> dict[str, tuple[int, dt.date]]:
    """Former commune name -> (the id of its commune today, the day it was merged), for the communes in view."""
    if lineage is None or lineage.empty:
        return {}
    return {
        str(name): (int(today), merged_on)
        for name, today, merged_on, was in zip(
            lineage["name"], lineage["today_id"], lineage["merged_on"], lineage["former"], strict=True
        )
        if was and str(name) in commune_ids and merged_on is not None and not pd.isna(merged_on)
    }


def _commune_label(name: str, former: dict[str, tuple[int, dt.date]], lang: str) -> str:
    """A commune as the filter lists it: a former commune indented under today's, with the day it ended."""
    if name not in former:
        return name
    until = former[name][1] - dt.timedelta(days=1)
    return t("filter.former_commune", lang=lang, name=name, until=fmt.date(until, lang=lang))


def _mark_group_chosen() -> None:
    st.session_state[GROUP_CHOSEN_KEY] = True


def _grouping_switch(mergers: list[dt.date], period_from: Month, period_to: Month, lang: str) -> str:
    """The switch between grouping as today and as recorded; until the reader picks one, it follows the period
    (as today when the period crosses a merger)."""
    state = st.session_state
    span = Filters(period_from=period_from, period_to=period_to)
    if not state.get(GROUP_CHOSEN_KEY) or state.get(GROUP_KEY) not in GROUPINGS:
        state[GROUP_KEY] = default_grouping(span, mergers)
    chosen = st.segmented_control(
        t("filter.grouping", lang=lang),
        list(GROUPINGS),
        format_func=lambda code: t(f"grouping.{code}", lang=lang),
        key=GROUP_KEY,
        required=True,
        on_change=_mark_group_chosen,
        help=t("filter.grouping_help", lang=lang),
        persist_state="session",
    )
    return chosen if chosen in GROUPINGS else "recorded"


def render_language_only() -> None:
    """The sidebar of a page the filters do not act on (Import, Accounts): the language switch alone. The filters
    keep their values in the session for the next page that draws them."""
    settings = get_settings()
    st.session_state.setdefault(LANGUAGE_KEY, settings.language)
    lang = current_language()
    with st.sidebar:
        st.segmented_control(
            t("filter.language"),
            list(LANGUAGES),
            format_func=lambda code: t(f"language.{code}", lang=lang),
            key=LANGUAGE_KEY,
            required=True,
            persist_state="session",
        )


DRAWN_LANGUAGE_KEY = "_filters_drawn_in"


def _kind_label(kind: str, lang: str) -> str:
    return vocab_label("organisation_kind", kind, lang=lang) if kind else t("filter.kind_all", lang=lang)


def _preset_label(preset: str, lang: str) -> str:
    return t(f"filter.preset.{preset}", lang=lang)


def _month_label(month: str, lang: str) -> str:
    return fmt.month(month, lang=lang)


def _keep_codes(lang: str, widgets: dict[str, tuple[list[str], Callable[[str, str], str], str]]) -> None:
    """Keep the coded select boxes (kind, period, months) holding codes, before they are drawn.

    The browser keeps a select box's value as its shown label; after the language changes, it sends back a label
    of the other language, which Streamlit then hands over as the value (`Tất cả loại hình` for the code ''), and
    the URL and the filters got that label. Here a value that is no code is mapped back from its label in any
    language (else the default), and when the language changed every coded box is given its code again, which
    also makes the browser forget the old label."""
    state = st.session_state
    changed = state.get(DRAWN_LANGUAGE_KEY) not in (None, lang)
    state[DRAWN_LANGUAGE_KEY] = lang
    for key, (options, label, default) in widgets.items():
        value = state.get(key)
        if value in options and not changed:
            continue
        if value not in options:
            by_label = {label(option, other): option for other in LANGUAGES for option in options}
            value = by_label.get(value, default) if isinstance(value, str) else default
        state[key] = value


def _provinces_of(communes: pd.DataFrame) -> dict[str, str]:
    """Commune name -> its province ('' when not recorded; no `province` column: '' for all)."""
    names = [str(n) for n in communes["name"]]
    if "province" not in communes.columns:
        return dict.fromkeys(names, "")
    return {n: "" if pd.isna(p) else str(p) for n, p in zip(names, communes["province"], strict=True)}


def _clicked_names(chart_key: str) -> list[str]:
    """The y-axis names of the bars selected in the chart drawn with key `chart_key` (in its `on_select`)."""
    event = st.session_state.get(f"{chart_key}_chart")
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else []
    if not points and event is not None:
        points = getattr(getattr(event, "selection", None), "points", []) or []
    return [escape.unplot(p["y"]) for p in points if isinstance(p, dict) and p.get("y")]


def narrow_to_province(chart_key: str) -> Callable[[], None]:
    """An `on_select` callback for a chart whose bars are provinces (names on the y axis): clicking one narrows the
    filters to that province (its communes), and the pages then compare its communes. A bar that is no province
    (communes without one) selects nothing."""

    def callback() -> None:
        names = _clicked_names(chart_key)
        if names and t("place.no_province") not in names:
            st.session_state[PROVINCES_KEY] = list(dict.fromkeys(names))
            st.session_state[COMMUNES_KEY] = []
            st.session_state[ORGANISATIONS_KEY] = []

    return callback


def narrow_to_commune(chart_key: str) -> Callable[[], None]:
    """An `on_select` callback for a chart whose bars are communes (names on the y axis): clicking one narrows
    the filters to that commune. `chart_key` is the key given to `ui.components.chart_with_download`."""

    def callback() -> None:
        names = _clicked_names(chart_key)
        if names:
            st.session_state[COMMUNES_KEY] = list(dict.fromkeys(names))
            st.session_state[ORGANISATIONS_KEY] = []

    return callback


def current_state() -> FilterState:
    """What the sidebar produced in this run (the defaults before it ran)."""
    state = st.session_state.get(STATE_KEY)
    return state if isinstance(state, FilterState) else default_state()


def current_filters() -> Filters:
    return current_state().filters


def current_scope() -> Scope:
    """The signed-in viewer's scope, recorded by `app.py` (`ui.frame.set_scope`) once the account is verified.

    Fail closed: a page run without it (no one signed in, or a page file run on its own) shows the sign-in message
    and ends the page there, before any query; there is no fallback to every commune.
    """
    scope = st.session_state.get(SCOPE_KEY)
    if not isinstance(scope, Scope):
        st.info(t("auth.sign_in_required"), icon=":material/login:")
        st.stop()
    return scope


def current_scope_words() -> str:
    state = st.session_state.get(STATE_KEY)
    return state.file_scope() if isinstance(state, FilterState) else "all"


def current_as_of() -> dt.date:
    state = st.session_state.get(STATE_KEY)
    return state.filters.as_of if isinstance(state, FilterState) else local_today()
