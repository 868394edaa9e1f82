"""The frame and the filter sidebar, run through AppTest on the small district (as of 2025-04-04).

Also home of `run_page`, which the other page tests import (their `app_db` fixture is in tests/app_fixtures.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from ui.filters import SCOPE_KEY

BASE_PARAMS = {"as_of": "2025-04-04", "period": "custom", "from": "2025-01", "to": "2025-04"}


def run_page(page: str, **params: str | list[str]) -> AppTest:
    """Run `views/<page>.py` on its own with the base period and `params` in the URL."""
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
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


def test_scope_line_names_the_communes_a_limited_scope_allows(app_db: dict[str, int]) -> None:
    from data_access.filters import Scope

    at = AppTest.from_file("../views/overview.py", default_timeout=60)
    for name, value in BASE_PARAMS.items():
        at.query_params[name] = value
    at.session_state["_viewer_scope"] = Scope.only(app_db["loc_son"])  # a Lộc Sơn commune account, nothing chosen
    at.run()
    assert at.caption[0].value == "Lộc Sơn · 01/2025–04/2025 · số liệu đến 04/04/2025"


def test_scope_line_of_every_commune_when_the_scope_is_everything(app_db: dict[str, int]) -> None:
    at = run_page("overview", lang="en")
    assert at.caption[0].value == "all communes · Jan 2025–Apr 2025 · as of 4 Apr 2025"


def test_language_switch_writes_the_url(app_db: dict[str, int]) -> None:
    at = run_page("overview")
    assert "lang" not in at.query_params  # the default (settings) is left out of the link
    at.button_group(key="lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Overview"


def test_language_default_comes_from_the_settings(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_LANGUAGE", "en")
    get_settings.cache_clear()
    at = run_page("regularity")
    assert at.title[0].value == "Regularity of cell meetings"
    assert "lang" not in at.query_params
    at.button_group(key="lang").set_value("vi").run()
    assert at.query_params["lang"] == "vi"


def signed_in_app(monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """The whole app (sign-in gate, navigation, frame) for a district account, with `params` in the URL."""
    from data_access import auth
    from tests.auth_factories import make_user

    secret = "s" * 48
    monkeypatch.setenv("SECRET_KEY", secret)
    get_settings.cache_clear()
    engine = make_engine(get_settings().database_url)
    user = make_user(engine, username="huyen", role="district")
    engine.dispose()
    at = AppTest.from_file("../app.py", default_timeout=60)
    for name, value in {**BASE_PARAMS, **params}.items():
        at.query_params[name] = value
    at.session_state["auth_token"] = auth.issue_token(user, key=secret.encode(), hours=1)
    return at


def test_language_persists_when_moving_to_another_page(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """English chosen on the overview stays on the next page and in its URL."""
    at = signed_in_app(monkeypatch).run()
    assert not at.exception, at.exception
    at.button_group(key="lang").set_value("en").run()
    at.switch_page("views/participation.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Member participation"
    assert at.query_params["lang"] == "en"
    assert at.query_params["from"] == "2025-01"  # the other filters travel with it


def test_a_link_in_english_is_english_from_the_first_run(
    app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The navigation and the sign-out button are drawn before the sidebar: they too read the link's language."""
    at = signed_in_app(monkeypatch, lang="en").run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign out"]
    assert at.title[0].value == "Overview"


def test_sidebar_lists_communes_in_vietnamese_order(app_db: dict[str, int]) -> None:
    # Đ sorts after D and before L in Vietnamese; by code point (SQLite, C-locale PostgreSQL) it would follow Z
    assert run_page("overview").multiselect(key="f_communes").options == ["Đa Lộc", "Lộc Sơn"]


def test_the_admin_pages_show_the_language_switch_but_no_filters(
    app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filters do nothing on Import and Accounts: their sidebar holds the language switch only, and the filters
    chosen before are there again on the next view."""
    from data_access import auth
    from tests.auth_factories import make_user

    at = signed_in_app(monkeypatch)
    engine = make_engine(get_settings().database_url)
    admin = make_user(engine, username="quantri", role="admin")
    engine.dispose()
    at.session_state["auth_token"] = auth.issue_token(admin, key=("s" * 48).encode(), hours=1)
    at.run()
    at.multiselect(key="f_communes").select("Đa Lộc").run()
    at.switch_page("views/import_data.py").run()
    assert not at.exception, at.exception
    assert not at.sidebar.multiselect and not at.sidebar.selectbox
    assert at.button_group(key="lang").value == "vi"
    at.switch_page("views/participation.py").run()
    assert at.multiselect(key="f_communes").value == ["Đa Lộc"]
