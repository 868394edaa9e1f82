"""A link opened while signed out, through app.py (AppTest).

A link to /participation?commune=… opened signed out shows the sign-in form at that address (no "Page not found"),
and the sign-in opens the page the link named with its filters. A page the role may not open says so. With
PostgreSQL stopped, a new visitor gets the outage notice, not a sign-in form that cannot work.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access.settings import get_settings
from tests.auth_factories import PASSWORD, make_user
from tests.test_pages_frame import BASE_PARAMS


def _link(page_file: str, monkeypatch: pytest.MonkeyPatch, *, role: str = "district", **params: str) -> AppTest:
    """app.py opened signed out at `page_file`'s address, with the base period and `params` in the URL."""
    from data_access.db import make_engine

    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    get_settings.cache_clear()
    engine = make_engine(get_settings().database_url)
    make_user(engine, username="huyen", role=role, commune_id=None)
    engine.dispose()
    at = AppTest.from_file("../app.py", default_timeout=60)
    for name, value in {**BASE_PARAMS, **params}.items():
        at.query_params[name] = value
    at.switch_page(page_file)  # before the first run: the page's address, as a browser opening the link
    return at.run()


def _sign_in(at: AppTest) -> AppTest:
    at.text_input(key="sign_in_username").input("huyen")
    at.text_input(key="sign_in_password").input(PASSWORD)
    return at.button[0].click().run()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_deep_link_signed_out_signs_in_then_opens_its_page_with_its_filters(
    app_db: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = _link("views/participation.py", monkeypatch, commune="Đa Lộc")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Đăng nhập"]
    at = _sign_in(at)
    assert not at.exception, at.exception
    assert at.title[0].value == "Đảng viên tham gia sinh hoạt"
    assert at.multiselect(key="f_communes").value == ["Đa Lộc"]
    assert at.caption[0].value.startswith("Đa Lộc · 01/2025–04/2025")
    assert at.query_params["commune"] in ("Đa Lộc", ["Đa Lộc"])


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_link_to_a_page_the_role_may_not_open_says_so(
    app_db: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = _sign_in(_link("views/accounts.py", monkeypatch))
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Tài khoản của bạn không được mở trang này."]
