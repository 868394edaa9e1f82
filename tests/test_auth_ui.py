"""Sign-in in the interface (AppTest): the form, the session cookie, sign-out, page guard, scope notice, SSO mapping.

AppTest cannot send cookies, so the cookie the browser would send is patched in through `ui.auth._request_cookie`;
what the app writes into the cookie is read from the script element it renders.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import auth
from data_access.settings import get_settings
from tests.auth_factories import PASSWORD, make_commune, make_user

SECRET = "s" * 48


def gate_app() -> None:
    """What app.py does before its navigation: the reference integration."""
    import streamlit as st

    from data_access.auth import scope_for
    from ui.auth import current_user, default_engine, sign_in_form, sign_out_button

    engine = default_engine()
    user = current_user(engine)
    if user is None:
        sign_in_form(engine)
        st.stop()
    sign_out_button(engine, user)
    communes = scope_for(user).communes
    st.markdown(f"signed in as {user.username}, scope {sorted(communes) if communes is not None else 'all'}")


def guarded_page() -> None:
    from ui.auth import current_user, default_engine, require_page

    require_page("import", current_user(default_engine()))
    import streamlit as st

    st.markdown("import page")


def scoped_page() -> None:
    import streamlit as st

    from data_access.auth import scope_for
    from ui.auth import allowed_communes, current_user, default_engine

    user = current_user(default_engine())
    assert user is not None
    st.markdown(f"communes {allowed_communes((1, 2, 3), scope_for(user))}")


@pytest.fixture
def db(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Engine:
    """The app's database is the test database; outside demo mode, with a signing key."""
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "no-secrets.toml"))
    get_settings.cache_clear()
    return sqlite_engine


def accounts_page() -> None:
    from ui.auth import accounts_overview, current_user, default_engine, require_page

    engine = default_engine()
    require_page("accounts", current_user(engine))
    accounts_overview(engine)


def _cookie(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    monkeypatch.setattr("ui.auth._request_cookie", lambda: value)


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def _cookie_scripts(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]


def _token_for(user_id: int, engine: Engine) -> str:
    from tests.auth_factories import reload_user

    return auth.issue_token(reload_user(engine, user_id), key=SECRET.encode(), hours=8)


def test_the_sign_in_page_in_demo_mode_lists_the_demo_accounts(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "1")
    get_settings.cache_clear()
    at = AppTest.from_file("../pages/sign_in.py", default_timeout=60).run()  # first use makes the demo
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == ["demo.admin", "demo.district", "demo.commune"]
    assert list(table.iloc[:, 1]) == [a.password for a in auth.DEMO_ACCOUNTS]


def test_outside_demo_mode_the_sign_in_page_lists_no_account(db: Engine) -> None:
    at = AppTest.from_file("../pages/sign_in.py").run()
    assert len(at.dataframe) == 0 and at.text_input(key="sign_in_username") is not None


def test_the_right_password_signs_in_and_writes_the_cookie(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _cookie(monkeypatch, None)
    user = make_user(db, username="huyen", role="district")
    at = _sign_in(AppTest.from_function(gate_app).run(), "huyen", PASSWORD)
    assert at.main.markdown[-1].value == "signed in as huyen, scope all"
    (script,) = _cookie_scripts(at)
    token = script.split("pcd_session=")[1].split(";")[0]
    assert auth.verify_token(db, token, key=SECRET.encode()).user.id == user.id  # type: ignore[union-attr]
    assert "Max-Age=28800" in script and "SameSite=Strict" in script


def test_a_wrong_password_and_an_unknown_user_show_the_same_error(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _cookie(monkeypatch, None)
    make_user(db, username="huyen")
    wrong = _sign_in(AppTest.from_function(gate_app).run(), "huyen", "not the password")
    unknown = _sign_in(AppTest.from_function(gate_app).run(), "nobody", "not the password")
    assert [e.value for e in wrong.error] == [e.value for e in unknown.error]
    assert len(wrong.error) == 1 and "huyen" not in wrong.error[0].value


def test_a_locked_account_shows_the_same_error(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _cookie(monkeypatch, None)
    make_user(db, username="huyen")
    for _ in range(5):
        auth.authenticate(db, "huyen", "wrong")
    at = _sign_in(AppTest.from_function(gate_app).run(), "huyen", PASSWORD)
    assert at.error[0].value == auth_text("failed") and len(at.main.markdown) == 0


def auth_text(key: str) -> str:
    from ui.i18n import CATALOGUE

    return CATALOGUE[f"auth.{key}"]["vi"]


def test_a_reload_with_the_cookie_restores_the_session(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    loc_son = make_commune(db, name="Lộc Sơn")
    user = make_user(db, username="locson", role="commune", commune_id=loc_son)
    _cookie(monkeypatch, _token_for(user.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(gate_app).run()
    assert at.main.markdown[-1].value == f"signed in as locson, scope [{loc_son}]"
    assert len(at.text_input) == 0


def test_a_tampered_cookie_shows_the_form_and_deletes_the_cookie(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(db, username="huyen")
    admin = make_user(db, username="quantri", role="admin")
    token = _token_for(user.id, db)  # type: ignore[arg-type]
    prefix, _, rest = token.partition(f".{user.id}.")
    _cookie(monkeypatch, f"{prefix}.{admin.id}.{rest}")
    at = AppTest.from_function(gate_app).run()
    assert at.text_input(key="sign_in_username") is not None
    assert any("Max-Age=0" in s for s in _cookie_scripts(at))


def test_an_expired_cookie_shows_the_form(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(db, username="huyen")
    old = auth.issue_token(user, key=SECRET.encode(), hours=8, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=9))
    _cookie(monkeypatch, old)
    at = AppTest.from_function(gate_app).run()
    assert at.text_input(key="sign_in_username") is not None


def test_sign_out_shows_the_form_deletes_the_cookie_and_kills_the_token(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(db, username="huyen")
    token = _token_for(user.id, db)  # type: ignore[arg-type]
    _cookie(monkeypatch, token)
    at = AppTest.from_function(gate_app).run()
    at = at.button(key="sign_out").click().run()
    assert at.text_input(key="sign_in_username") is not None
    assert any("pcd_session=; Max-Age=0" in s for s in _cookie_scripts(at))
    assert auth.verify_token(db, token, key=SECRET.encode()).reason == "signed_out"


def test_without_secret_key_outside_demo_mode_the_app_says_what_is_missing(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY")
    get_settings.cache_clear()
    _cookie(monkeypatch, None)
    at = AppTest.from_function(gate_app).run()
    assert "SECRET_KEY is required outside demo mode" in at.error[0].value
    assert len(at.text_input) == 0


def test_a_page_refuses_a_role_that_may_not_open_it(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(db, username="huyen", role="district")
    _cookie(monkeypatch, _token_for(user.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(guarded_page).run()
    assert at.error[0].value == auth_text("forbidden") and len(at.markdown) == 0


def test_a_page_opens_for_a_role_that_may(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(db, username="quantri", role="admin")
    _cookie(monkeypatch, _token_for(user.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(guarded_page).run()
    assert at.markdown[0].value == "import page" and len(at.error) == 0


def test_out_of_scope_communes_are_dropped_with_a_notice(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    make_commune(db, name="Đại Lộc")
    loc_son = make_commune(db, name="Lộc Sơn")
    user = make_user(db, username="locson", role="commune", commune_id=loc_son)
    _cookie(monkeypatch, _token_for(user.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(scoped_page).run()
    assert at.markdown[0].value == f"communes ({loc_son},)"
    assert at.warning[0].value == auth_text("dropped_communes").format(count=2)


def test_an_oidc_sign_in_maps_the_email_to_its_account(
    db: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "x"\n')
    monkeypatch.setattr("ui.auth.sso_configured", lambda: True)
    _cookie(monkeypatch, None)
    make_user(db, username="huyen", role="district", email="huyen@hauloc.gov.vn")
    at = AppTest.from_function(gate_app)
    at.user = {"is_logged_in": True, "email": "Huyen@HauLoc.gov.vn", "email_verified": True}  # type: ignore[attr-defined]
    at.run()
    assert at.main.markdown[-1].value == "signed in as huyen, scope all"


def test_the_accounts_page_lists_accounts_with_their_status(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    loc_son = make_commune(db, name="Lộc Sơn")
    admin = make_user(db, username="quantri", role="admin")
    make_user(db, username="locson", role="commune", commune_id=loc_son)
    make_user(db, username="cu", role="district", active=False)
    _cookie(monkeypatch, _token_for(admin.id, db))  # type: ignore[arg-type]
    table = AppTest.from_function(accounts_page).run().dataframe[0].value
    assert table.iloc[:, [0, 2, 3]].values.tolist() == [
        ["cu", "", "đã vô hiệu"],
        ["locson", "Lộc Sơn", "hoạt động"],
        ["quantri", "", "hoạt động"],
    ]


def test_the_accounts_page_refuses_a_district_viewer(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(db, username="huyen", role="district")
    _cookie(monkeypatch, _token_for(user.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(accounts_page).run()
    assert at.error[0].value == auth_text("forbidden") and len(at.dataframe) == 0
