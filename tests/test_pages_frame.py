"""The frame and the filter sidebar, run through AppTest on the small district (as of 2025-04-04).

Also home of the `app_db` fixture the other page tests import: the small district, with the settings pointed at it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.settings import get_settings
from tests.small_district import district  # noqa: F401  (fixture)

BASE_PARAMS = {"as_of": "2025-04-04", "period": "custom", "from": "2025-01", "to": "2025-04"}


@pytest.fixture
def app_db(engine: Engine, district: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:  # noqa: F811
    """The small district in a fresh database, and settings that point the app at it (no demo data)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", "/nonexistent/secrets.toml")
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    get_settings.cache_clear()
    yield district
    from ui import data

    data.engine().dispose()


def run_page(page: str, **params: str | list[str]) -> AppTest:
    """Run `pages/<page>.py` on its own with the base period and `params` in the URL."""
    at = AppTest.from_file(f"../pages/{page}.py", default_timeout=60)
    for name, value in {**BASE_PARAMS, **params}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_url_restores_every_filter(app_db: dict[str, int]) -> None:
    at = run_page("overview", commune="Lộc Sơn", kind="party_committee", lang="en")
    assert at.multiselect(key="f_communes").value == ["Lộc Sơn"]
    assert at.selectbox(key="f_kind").value == "party_committee"
    assert at.selectbox(key="f_period").value == "custom"
    assert (at.selectbox(key="f_from").value, at.selectbox(key="f_to").value) == ("2025-01", "2025-04")
    assert at.title[0].value == "Overview"


def test_unknown_url_value_is_ignored_with_a_notice(app_db: dict[str, int]) -> None:
    at = run_page("overview", commune=["Lộc Sơn", "Atlantis"])
    assert at.multiselect(key="f_communes").value == ["Lộc Sơn"]
    assert any("Atlantis" in w.value for w in at.warning)


def test_scope_line_states_communes_period_and_as_of(app_db: dict[str, int]) -> None:
    at = run_page("overview", commune=["Lộc Sơn", "Đa Lộc"])
    assert at.caption[0].value == "Lộc Sơn, Đa Lộc · 01/2025–04/2025 · số liệu đến 04/04/2025"


def test_filters_are_written_back_to_the_url(app_db: dict[str, int]) -> None:
    at = run_page("overview")
    at.multiselect(key="f_communes").select("Đa Lộc").run()
    assert at.query_params["commune"] == ["Đa Lộc"] or at.query_params["commune"] == "Đa Lộc"


def test_organisation_choices_follow_the_communes(app_db: dict[str, int]) -> None:
    at = run_page("overview", commune="Đa Lộc")
    assert at.multiselect(key="f_organisations").options == ["Chi bộ Trường THCS Đa Lộc"]
