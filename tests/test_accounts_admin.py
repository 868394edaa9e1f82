"""An administrator changes accounts from the Accounts page: the same rules as the CLI, checked in data_access,
and every change recorded with who made it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data_access import accounts, auth
from data_access.errors import UserError
from data_access.models import AccountEvent, User
from tests.auth_factories import make_commune, make_user
from tests.test_auth_ui import _cookie, _token_for, db  # noqa: F401  (fixture)


def _user(engine: Engine, username: str) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def _events(engine: Engine) -> list[tuple[str, str, str, str]]:
    return [(e.actor, e.action, e.username, e.detail) for e in reversed(accounts.events(engine))]


def test_an_administrator_disables_an_account_and_the_change_is_recorded(db: Engine) -> None:  # noqa: F811
    make_user(db, username="quantri", role="admin")
    make_user(db, username="huyen", role="district")
    accounts.disable(db, actor="quantri", username="huyen")
    assert _user(db, "huyen").active is False
    assert _user(db, "huyen").session_version == 1  # its sessions ended
    assert _events(db) == [("quantri", "disable", "huyen", "")]


def test_only_an_active_administrator_may_change_accounts(db: Engine) -> None:  # noqa: F811
    make_user(db, username="huyen", role="district")
    make_user(db, username="cu", role="admin", active=False)
    make_user(db, username="xa", role="district")
    for actor in ("huyen", "cu", "nobody"):
        with pytest.raises(UserError, match="only an active administrator"):
            accounts.disable(db, actor=actor, username="xa")
    assert _user(db, "xa").active is True and _events(db) == []


def test_an_administrator_keeps_their_own_way_in(db: Engine) -> None:  # noqa: F811
    make_user(db, username="quantri", role="admin")
    with pytest.raises(UserError, match="own account"):
        accounts.disable(db, actor="quantri", username="quantri")
    with pytest.raises(UserError, match="own administrator role"):
        accounts.change_role(db, actor="quantri", username="quantri", role="district")
    assert _user(db, "quantri").active and _user(db, "quantri").role == "admin"


def test_a_role_change_binds_a_commune_account_to_its_commune_and_ends_sessions(db: Engine) -> None:  # noqa: F811
    loc_son = make_commune(db, name="Lộc Sơn")
    make_user(db, username="quantri", role="admin")
    make_user(db, username="huyen", role="district")
    with pytest.raises(UserError, match="needs its commune"):
        accounts.change_role(db, actor="quantri", username="huyen", role="commune")
    accounts.change_role(db, actor="quantri", username="huyen", role="commune", commune="Lộc Sơn")
    user = _user(db, "huyen")
    assert (user.role, user.commune_id, user.session_version) == ("commune", loc_son, 1)
    assert auth.scope_for(user).communes == frozenset({loc_son})
    assert _events(db) == [("quantri", "change_role", "huyen", "role=commune, commune=Lộc Sơn")]


def test_a_reset_password_signs_in_and_is_never_recorded(db: Engine) -> None:  # noqa: F811
    make_user(db, username="quantri", role="admin")
    make_user(db, username="huyen", role="district")
    password = accounts.reset_password(db, actor="quantri", username="huyen")
    assert auth.authenticate(db, "huyen", password).user is not None
    with Session(db) as session:
        stored = session.exec(select(AccountEvent)).all()
    assert [(e.action, e.detail) for e in stored] == [("reset_password", "")]
    assert all(password not in (e.detail + e.username + e.actor) for e in stored)


def test_the_command_line_records_its_changes_as_cli(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import io

    from data_access.cli import main

    make_user(db, username="huyen", role="district")
    assert main(["users", "disable", "huyen"], out=io.StringIO(), err=io.StringIO()) == 0
    assert _events(db) == [("cli", "disable", "huyen", "")]


def accounts_page() -> None:
    from ui import data
    from ui.accounts_page import account_changes
    from ui.auth import accounts_overview, current_user, require_page

    engine = data.engine()
    user = current_user(engine)
    require_page("accounts", user)
    accounts_overview(engine)
    assert user is not None
    account_changes(engine, actor=user.username)


def test_the_page_disables_an_account_and_lists_the_change(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    admin = make_user(db, username="quantri", role="admin")
    make_user(db, username="huyen", role="district")
    _cookie(monkeypatch, _token_for(admin.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(accounts_page, default_timeout=30).run()
    at.selectbox(key="acc_who").select("huyen").run()
    at.button(key="acc_disable").click().run()
    assert not at.exception, at.exception
    assert _user(db, "huyen").active is False
    assert at.success[0].value == "Đã vô hiệu hóa huyen; các phiên đăng nhập của tài khoản đã kết thúc."
    table = at.dataframe[0].value
    assert table.iloc[:, [0, 3]].values.tolist() == [["huyen", "đã vô hiệu"], ["quantri", "hoạt động"]]
    events = at.dataframe[-1].value
    assert events.iloc[0, 1:4].tolist() == ["quantri", "Vô hiệu hóa", "huyen"]


def test_the_page_shows_a_refusal_in_one_line(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    admin = make_user(db, username="quantri", role="admin")
    _cookie(monkeypatch, _token_for(admin.id, db))  # type: ignore[arg-type]
    at = AppTest.from_function(accounts_page, default_timeout=30).run()
    at.selectbox(key="acc_who").select("quantri").run()
    at.button(key="acc_disable").click().run()
    assert not at.exception
    assert at.error[0].value == "Không thực hiện được: an administrator cannot disable their own account"
    assert _user(db, "quantri").active is True
