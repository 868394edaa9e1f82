"""Every page, in both languages, renders only words of the catalogue (issue 8).

AppTest runs each page on the small district (and each level of the Organisations drill-down, and the accounts and
sign-in pages) in Vietnamese and in English, and collects every string it shows: titles, captions, markdown,
messages, metric labels and values and help, tab and expander labels, widget labels, placeholders and options,
table headers and text cells, download labels, and every text of every plotly figure (axis ticks, legend names,
annotations, hover texts). Each string is cut into words, and then:

- every word must be a word of the catalogue in that language, a word of the data (names of communes,
  organisations, cells, topics, inspecting bodies), a number, or a month name of that locale: a string typed into
  a page instead of the catalogue shows up as unknown words;
- no word may belong to the other language only (in the catalogue of the other language and in neither this
  language's catalogue nor the data): a key rendered in the wrong language shows up here.

Meanwhile the catalogue is wrapped so that every key looked up is recorded; the test checks that each of them has
both languages (the invariant test in test_ui_i18n.py checks every key, this one the keys the pages really use).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from babel.dates import get_month_names
from sqlalchemy import text
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests.auth_factories import make_user, reload_user
from tests.test_pages_frame import BASE_PARAMS
from ui import i18n
from ui.filters import SCOPE_KEY

LANGS = ("vi", "en")
OTHER = {"vi": "en", "en": "vi"}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Plotly template syntax is not text: placeholders (`%{y}`, `%{x|%b %Y}`) and tags (`<br>`, `<extra></extra>`).
TEMPLATE = re.compile(r"%\{[^}]*\}|<[^>]*>")
# A label cut for a narrow axis ends in an ellipsis: its last word is a prefix, not a word.
CUT_WORD = re.compile(r"[^\W\d_]+…", re.UNICODE)
# Keys of a plotly figure whose string values are shown to the reader.
FIGURE_TEXT_KEYS = {"text", "name", "ticktext", "hovertext", "hovertemplate", "customdata", "x", "y"}
SECRET = "s" * 48


class RecordingCatalogue(dict[str, dict[str, str]]):
    """The catalogue, noting every key looked up (through `t`, `vocab_label`, `column_label`)."""

    def __init__(self, data: dict[str, dict[str, str]]) -> None:
        super().__init__(data)
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> dict[str, str]:
        self.used.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            self.used.add(key)
        return super().get(key, default)


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingCatalogue]:
    recording = RecordingCatalogue(i18n.CATALOGUE)
    monkeypatch.setattr(i18n, "CATALOGUE", recording)
    yield recording


def words(value: str) -> set[str]:
    return {w.lower() for w in WORD.findall(CUT_WORD.sub(" ", TEMPLATE.sub(" ", value)))}


def catalogue_words(lang: str) -> set[str]:
    found: set[str] = set()
    for entry in i18n.CATALOGUE.values():
        found |= words(re.sub(r"\{[^}]*\}", " ", entry[lang]))
    return found


def month_words(lang: str) -> set[str]:
    return {w.lower() for width in ("abbreviated", "wide") for w in get_month_names(width, locale=lang).values()}


def data_words(engine: Engine) -> set[str]:
    """Words of the names stored in the database: shown as they are in either language."""
    queries = (
        "SELECT name FROM commune",
        "SELECT name FROM organisation",
        "SELECT name FROM cell",
        "SELECT name_vi FROM topic",
        "SELECT name_en FROM topic",
        "SELECT body FROM inspection",
        'SELECT username FROM "user"',
    )
    found: set[str] = set()
    with engine.connect() as conn:
        for query in queries:
            for (value,) in conn.execute(text(query)):
                found |= words(str(value or ""))
    return found


def _figure_strings(node: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "title" and isinstance(v, dict):
                yield from _figure_strings(v.get("text"), "text")
            else:
                yield from _figure_strings(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _figure_strings(item, key)
    elif isinstance(node, str) and key in FIGURE_TEXT_KEYS:
        yield node


def shown_strings(at: AppTest) -> list[str]:
    """Every string the page shows (see the module docstring)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        out += [str(e.value) for e in at.get(kind)]
    for metric in at.metric:
        out += [metric.label, str(metric.value), str(metric.delta or ""), str(metric.proto.help)]
    out += [tab.label for tab in at.tabs] + [e.label for e in at.expander]
    for kind in ("selectbox", "multiselect", "text_input", "toggle", "button", "button_group", "download_button"):
        for widget in at.get(kind):
            proto = widget.proto
            out += [str(getattr(proto, name, "")) for name in ("label", "placeholder", "help")]
            options = getattr(proto, "options", [])
            out += [o if isinstance(o, str) else str(getattr(o, "content", "")) for o in options]
    for frame in at.dataframe:
        df: pd.DataFrame = frame.value
        out += [str(c) for c in df.columns]
        for column in df.columns:
            out += [v for v in df[column] if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        out += list(_figure_strings(json.loads(chart.proto.spec)))
    return [s for s in out if s]


def check(at: AppTest, lang: str, engine: Engine) -> list[tuple[str, list[str]]]:
    """Each shown string holding a word that comes from nowhere or from the other language only, with those words
    (empty when the page speaks only the catalogue's `lang`)."""
    assert not at.exception, at.exception
    data = data_words(engine)
    allowed = catalogue_words(lang) | data | month_words(lang)
    other_only = catalogue_words(OTHER[lang]) - catalogue_words(lang) - data - month_words(lang)
    offenders = []
    for value in dict.fromkeys(shown_strings(at)):
        bad = (words(value) - allowed) | (words(value) & other_only)
        if bad:
            offenders.append((value, sorted(bad)))
    return offenders


def run(page: str, lang: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {**BASE_PARAMS, "lang": lang, **params}.items():
        at.query_params[name] = value
    at.session_state["lang"] = lang
    return at.run()


VIEWS = {
    "overview": {},
    "regularity": {},
    "participation": {},
    "topics": {},
    "inspections": {},
    "classification": {"from": "2023-01", "to": "2024-12"},
    "organisations": {},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(VIEWS))
def test_view_shows_only_catalogue_words(
    page: str,
    lang: str,
    app_db: dict[str, int],
    engine: Engine,
    catalogue: RecordingCatalogue,
) -> None:
    at = run(page, lang, **VIEWS[page])
    assert at.get("plotly_chart"), "the page draws its figures on the small district"
    assert check(at, lang, engine) == []


@pytest.mark.slow  # every level of the drill-down in AppTest: 8 s in English
@pytest.mark.parametrize("lang", LANGS)
def test_every_level_of_the_organisations_drill_down(
    lang: str,
    app_db: dict[str, int],
    engine: Engine,
    catalogue: RecordingCatalogue,
) -> None:
    at = run("organisations", lang)
    at.selectbox(key="org_commune").select("Lộc Sơn").run()
    assert check(at, lang, engine) == []
    at.selectbox(key="org_organisation").select("Đảng bộ xã Lộc Sơn").run()
    assert check(at, lang, engine) == []
    at.selectbox(key="org_cell").select("Chi bộ thôn 3").run()  # dissolved: the "closed on" notice too
    assert check(at, lang, engine) == []
    at.text_input(key="org_search").input("thon").run()
    assert check(at, lang, engine) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_empty_message_is_in_the_catalogue(
    lang: str,
    app_db: dict[str, int],
    engine: Engine,
    catalogue: RecordingCatalogue,
) -> None:
    at = run("overview", lang, commune="Lộc Sơn", kind="party_cell")
    assert [i.value for i in at.info] == [i18n.CATALOGUE["msg.empty"][lang]]
    assert check(at, lang, engine) == []


@pytest.mark.parametrize("lang", LANGS)
def test_sign_in_and_accounts_pages(
    lang: str,
    app_db: dict[str, int],
    engine: Engine,
    catalogue: RecordingCatalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", SECRET)
    get_settings.cache_clear()
    sign_in = AppTest.from_file("../views/sign_in.py", default_timeout=60)
    sign_in.session_state["lang"] = lang
    assert check(sign_in.run(), lang, engine) == []
    admin = make_user(engine, username="quan.tri", role="admin")
    accounts = AppTest.from_file("../views/accounts.py", default_timeout=60)
    accounts.session_state["lang"] = lang
    accounts.session_state["auth_token"] = auth.issue_token(reload_user(engine, admin.id), key=SECRET.encode(), hours=1)
    accounts.run()
    assert accounts.title[0].value == i18n.CATALOGUE["auth.accounts_title"][lang]
    assert check(accounts, lang, engine) == []


def test_every_key_the_pages_use_has_both_languages(
    app_db: dict[str, int],
    catalogue: RecordingCatalogue,
) -> None:
    for page, params in VIEWS.items():
        for lang in LANGS:
            assert not run(page, lang, **params).exception
    assert len(catalogue.used) > 150  # the pages really went through the catalogue
    incomplete = sorted(k for k in catalogue.used if not all(catalogue[k].get(lang, "").strip() for lang in LANGS))
    assert incomplete == []
