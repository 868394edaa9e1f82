"""Names from imported data are shown as written: no live link, no image fetched, no bold, no HTML in a chart.

A commune of the small district is renamed to what an attacker would import; the pages then draw it through
`ui.escape` in headers, captions, notices and plotly figures (AppTest gives the Markdown source and the figure
spec: the source holds every markup character escaped, the figure holds no tag).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access.filters import EVERYTHING
from data_access.models import Commune
from tests.test_pages_frame import BASE_PARAMS
from ui import escape
from ui.filters import SCOPE_KEY

HOSTILE = "[Đăng nhập lại](http://evil.example/phish) ![ảnh](http://evil.example/t.png) **đậm** _nghiêng_ <b>B</b>"
J = escape.WORD_JOINER  # breaks the bare-address links Streamlit makes after parsing, past any escape
ESCAPED = (
    rf"\[Đăng nhập lại\]\(http{J}\://evil\.example/phish\) \!\[ảnh\]\(http{J}\://evil\.example/t\.png\) "
    r"\*\*đậm\*\* \_nghiêng\_ \<b\>B\</b\>"
)


def test_markdown_escaping_keeps_every_character_and_no_markup() -> None:
    assert escape.md(HOSTILE) == ESCAPED
    assert escape.md(":red[x] $1$ :material/home: a\nb") == r"\:red\[x\] \$1\$ \:material/home\: a b"
    assert escape.md("Lộc Sơn") == "Lộc Sơn"
    assert escape.md("www.evil.example a@b.vn HTTPS://x") == f"www{J}\\.evil\\.example a@{J}b\\.vn HTTPS{J}\\://x"


def test_plot_escaping_leaves_no_tag_and_comes_back_from_a_click() -> None:
    assert escape.plot("<b>B</b> & <a href='x'>") == "&lt;b&gt;B&lt;/b&gt; &amp; &lt;a href='x'&gt;"
    assert escape.unplot(escape.plot(HOSTILE)) == HOSTILE


@pytest.fixture
def hostile(app_db: dict[str, int], engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        session.execute(update(Commune).where(Commune.id == app_db["da_loc"]).values(name=HOSTILE))  # type: ignore[arg-type]
        session.commit()
    return app_db


def _page(page: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in {**BASE_PARAMS, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _figures(at: AppTest) -> list[str]:
    return [el.proto.spec for el in at.get("plotly_chart")]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_hostile_commune_name_is_text_in_the_scope_line_and_the_charts(hostile: dict[str, int]) -> None:
    at = _page("overview", commune=HOSTILE)
    assert at.multiselect(key="f_communes").value == [HOSTILE]
    assert at.caption[0].value.startswith(ESCAPED + " · ")
    at = _page("participation")
    specs = _figures(at)
    assert specs, "the participation page draws its commune ranking"
    texts = [text for spec in specs for text in _strings(json.loads(spec)["data"])]
    assert escape.plot(HOSTILE) in texts
    assert not any("<b>" in text for text in texts)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_hostile_commune_name_is_text_on_the_organisations_page(hostile: dict[str, int]) -> None:
    at = AppTest.from_file("../views/organisations.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in BASE_PARAMS.items():
        at.query_params[name] = value
    at.session_state["org_commune"] = HOSTILE
    at.run()
    assert not at.exception, at.exception
    assert ESCAPED in [h.value for h in at.header]
    assert any(c.value.endswith(ESCAPED) for c in at.caption)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_hostile_link_value_is_text_in_the_notice(app_db: dict[str, int]) -> None:
    at = _page("overview", commune="[Đăng nhập lại](http://evil.example/phish)")
    assert any(rf"\[Đăng nhập lại\]\(http{J}\://evil\.example/phish\)" in w.value for w in at.warning)
    assert not any("[Đăng nhập lại](http" in w.value for w in at.warning)
