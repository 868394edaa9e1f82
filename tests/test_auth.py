"""Accounts: hashing, sign-in and lockout, session tokens, scope per role, demo accounts, e-mail mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import auth
from data_access.errors import UserError
from data_access.filters import Scope
from data_access.models import User
from data_access.settings import Settings, SettingsError
from tests.auth_factories import PASSWORD, make_commune, make_user, reload_user

T0 = dt.datetime(2025, 3, 3, 8, 0, 0, tzinfo=dt.UTC)
KEY = b"k" * 32


def _settings(*, demo_mode: bool, secret_key: str | None = None) -> Settings:
    return Settings(database_url="sqlite://", demo_mode=demo_mode, secret_key=secret_key)


# --- passwords ---------------------------------------------------------------------------------------------------


def test_the_database_holds_an_argon2_hash_never_the_password(engine: Engine) -> None:
    user = make_user(engine, password="mật khẩu rất dài 42")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM " + '"user"')).mappings().all()
    stored = " ".join(str(v) for v in rows[0].values())
    assert "mật khẩu rất dài 42" not in stored
    assert user.password_hash.startswith("$argon2id$")


def test_the_stored_hash_verifies_with_the_library_itself(engine: Engine) -> None:
    user = make_user(engine, password="mật khẩu rất dài 42")
    assert PasswordHasher().verify(user.password_hash, "mật khẩu rất dài 42") is True


def test_a_hash_made_with_old_parameters_is_replaced_at_sign_in(engine: Engine) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    user = make_user(engine)
    with Session(engine) as session:
        row = session.get(User, user.id)
        assert row is not None
        row.password_hash = weak.hash(PASSWORD)
        session.add(row)
        session.commit()
    auth.authenticate(engine, user.username, PASSWORD, now=T0)
    new_hash = reload_user(engine, user.id).password_hash  # type: ignore[arg-type]
    assert "m=8192,t=1,p=1" not in new_hash
    assert PasswordHasher().check_needs_rehash(new_hash) is False


# --- sign-in -----------------------------------------------------------------------------------------------------


def test_right_password_signs_in_and_records_the_time(engine: Engine) -> None:
    user = make_user(engine)
    result = auth.authenticate(engine, "  Nguyen.Van.A ", PASSWORD, now=T0)
    assert result.ok and result.reason == "ok" and result.user is not None
    assert result.user.id == user.id
    assert reload_user(engine, user.id).last_sign_in == T0  # type: ignore[arg-type]


def test_wrong_password_is_refused_and_counted(engine: Engine) -> None:
    user = make_user(engine)
    result = auth.authenticate(engine, user.username, "not the password", now=T0)
    assert (result.ok, result.reason) == (False, "wrong_password")
    assert reload_user(engine, user.id).failed_attempts == 1  # type: ignore[arg-type]


def test_unknown_user_gets_the_same_message_as_a_wrong_password(engine: Engine) -> None:
    user = make_user(engine)
    wrong = auth.authenticate(engine, user.username, "not the password", now=T0)
    unknown = auth.authenticate(engine, "nobody", "not the password", now=T0)
    assert unknown.reason == "unknown_user"
    assert unknown.message == wrong.message == auth.FAILURE_MESSAGE


def test_four_failures_do_not_lock(engine: Engine) -> None:
    user = make_user(engine)
    for i in range(4):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    assert auth.authenticate(engine, user.username, PASSWORD, now=T0 + dt.timedelta(seconds=5)).ok


def test_the_fifth_failure_locks_even_the_right_password_out(engine: Engine) -> None:
    user = make_user(engine)
    for i in range(5):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    result = auth.authenticate(engine, user.username, PASSWORD, now=T0 + dt.timedelta(minutes=14, seconds=59))
    assert (result.ok, result.reason, result.message) == (False, "locked", auth.FAILURE_MESSAGE)


def test_the_lock_is_released_after_15_minutes(engine: Engine) -> None:
    user = make_user(engine)
    last_failure = T0 + dt.timedelta(seconds=4)
    for i in range(5):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    assert reload_user(engine, user.id).locked_until == last_failure + dt.timedelta(minutes=15)  # type: ignore[arg-type]
    assert auth.authenticate(engine, user.username, PASSWORD, now=last_failure + dt.timedelta(minutes=15)).ok


def test_the_lock_holds_for_another_engine_on_the_same_database(engine: Engine) -> None:
    user = make_user(engine)
    for i in range(5):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    from data_access.db import make_engine

    other = make_engine(engine.url.render_as_string(hide_password=False))  # a second dashboard process
    try:
        assert auth.authenticate(other, user.username, PASSWORD, now=T0 + dt.timedelta(minutes=1)).reason == "locked"
    finally:
        other.dispose()


def test_success_resets_the_failure_count(engine: Engine) -> None:
    user = make_user(engine)
    for i in range(3):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    auth.authenticate(engine, user.username, PASSWORD, now=T0 + dt.timedelta(seconds=10))
    assert reload_user(engine, user.id).failed_attempts == 0  # type: ignore[arg-type]


def test_a_disabled_account_cannot_sign_in_and_gets_the_generic_message(engine: Engine) -> None:
    user = make_user(engine, active=False)
    result = auth.authenticate(engine, user.username, PASSWORD, now=T0)
    assert (result.ok, result.reason, result.message) == (False, "disabled", auth.FAILURE_MESSAGE)


def test_unlock_lifts_the_lock_before_15_minutes(engine: Engine) -> None:
    user = make_user(engine)
    for i in range(5):
        auth.authenticate(engine, user.username, "wrong", now=T0 + dt.timedelta(seconds=i))
    auth.unlock_user(engine, username=user.username)
    assert auth.authenticate(engine, user.username, PASSWORD, now=T0 + dt.timedelta(minutes=1)).ok


# --- session tokens ----------------------------------------------------------------------------------------------


def test_a_token_names_its_account(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    check = auth.verify_token(engine, token, key=KEY, now=T0 + dt.timedelta(hours=7, minutes=59))
    assert check.reason == "ok" and check.user is not None and check.user.id == user.id


def test_a_token_expires_after_the_session_hours(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    check = auth.verify_token(engine, token, key=KEY, now=T0 + dt.timedelta(hours=8))
    assert (check.user, check.reason) == (None, "expired")


def test_a_token_with_a_changed_account_id_is_refused(engine: Engine) -> None:
    user = make_user(engine)
    other = make_user(engine, username="admin.b", role="admin")
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    _, _, version, expires, signature = token.split(".")
    forged = f"v1.{other.id}.{version}.{expires}.{signature}"
    assert auth.verify_token(engine, forged, key=KEY, now=T0).reason == "bad_signature"


def test_a_token_with_a_later_expiry_is_refused(engine: Engine) -> None:
    user = make_user(engine)
    prefix, uid, version, expires, signature = auth.issue_token(user, key=KEY, hours=8, now=T0).split(".")
    forged = f"{prefix}.{uid}.{version}.{int(expires) + 86400}.{signature}"
    assert auth.verify_token(engine, forged, key=KEY, now=T0).reason == "bad_signature"


def test_a_token_signed_with_another_key_is_refused(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=b"x" * 32, hours=8, now=T0)
    assert auth.verify_token(engine, token, key=KEY, now=T0).reason == "bad_signature"


@pytest.mark.parametrize("garbage", ["", "abc", "v1.1.0.x.sig", "v2.1.0.99.sig", "v1.1.0.99"])
def test_a_malformed_token_is_refused(engine: Engine, garbage: str) -> None:
    assert auth.verify_token(engine, garbage, key=KEY, now=T0).reason == "malformed"


def test_sign_out_ends_the_session(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    auth.end_sessions(engine, user_id=user.id)  # type: ignore[arg-type]
    assert auth.verify_token(engine, token, key=KEY, now=T0).reason == "signed_out"


def test_a_token_issued_after_sign_out_works(engine: Engine) -> None:
    user = make_user(engine)
    auth.end_sessions(engine, user_id=user.id)  # type: ignore[arg-type]
    token = auth.issue_token(reload_user(engine, user.id), key=KEY, hours=8, now=T0)  # type: ignore[arg-type]
    assert auth.verify_token(engine, token, key=KEY, now=T0).reason == "ok"


def test_disabling_an_account_ends_its_sessions(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    auth.disable_user(engine, username=user.username)
    assert auth.verify_token(engine, token, key=KEY, now=T0).reason == "disabled"


def test_a_new_password_ends_the_sessions(engine: Engine) -> None:
    user = make_user(engine)
    token = auth.issue_token(user, key=KEY, hours=8, now=T0)
    auth.reset_password(engine, username=user.username, password="a brand new password")
    assert auth.verify_token(engine, token, key=KEY, now=T0).reason == "signed_out"


def test_the_signing_key_is_secret_key_when_set() -> None:
    assert auth.signing_key(_settings(demo_mode=False, secret_key="s" * 40)) == b"s" * 40


def test_the_signing_key_is_required_outside_demo_mode() -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY is required outside demo mode"):
        auth.signing_key(_settings(demo_mode=False))


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="at least 32 characters"):
        auth.signing_key(_settings(demo_mode=False, secret_key="short"))


def test_demo_mode_keeps_one_random_key_in_a_local_file(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "session-signing.key"
    first = auth.signing_key(_settings(demo_mode=True), key_file=key_file)
    second = auth.signing_key(_settings(demo_mode=True), key_file=key_file)
    assert first == second and len(first) == 64
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert list(key_file.parent.iterdir()) == [key_file]  # no draft left behind


# --- roles, pages and scope --------------------------------------------------------------------------------------


def test_admin_and_district_see_every_commune(engine: Engine) -> None:
    assert auth.scope_for(make_user(engine, role="admin")) == Scope.everything()
    assert auth.scope_for(make_user(engine, username="huyen", role="district")) == Scope.everything()


def test_a_commune_account_sees_only_its_commune(engine: Engine) -> None:
    loc_son = make_commune(engine, name="Lộc Sơn")
    make_commune(engine, name="Hoa Lộc")
    user = make_user(engine, role="commune", commune_id=loc_son)
    assert auth.scope_for(user) == Scope.only(loc_son)


def test_an_unknown_role_sees_nothing() -> None:
    assert auth.scope_for(User(username="x", role="guest")) == Scope.only()
    assert auth.pages_for("guest") == set()


def test_pages_per_role() -> None:
    views = set(auth.VIEW_PAGES)
    assert auth.pages_for("admin") == views | {"import", "accounts"}
    assert auth.pages_for("district") == views
    assert auth.pages_for("commune") == views
    assert "import" not in auth.pages_for("district") and "accounts" not in auth.pages_for("commune")


def test_restrict_communes_drops_what_the_scope_does_not_allow() -> None:
    assert auth.restrict_communes([7, 3, 9], Scope.only(3)) == ((3,), (7, 9))


def test_restrict_communes_keeps_everything_for_an_unrestricted_scope() -> None:
    assert auth.restrict_communes([7, 3], Scope.everything()) == ((7, 3), ())


# --- account management ------------------------------------------------------------------------------------------


def test_create_user_binds_a_commune_account_by_name(engine: Engine) -> None:
    loc_son = make_commune(engine, name="Lộc Sơn")
    user = auth.create_user(engine, username="LocSon", role="commune", password=PASSWORD, commune=" lộc sơn ")
    assert (user.username, user.commune_id) == ("locson", loc_son)


def test_a_commune_account_without_commune_is_refused(engine: Engine) -> None:
    with pytest.raises(UserError, match="needs its commune"):
        auth.create_user(engine, username="locson", role="commune", password=PASSWORD)


def test_an_unknown_commune_is_refused(engine: Engine) -> None:
    with pytest.raises(UserError, match="unknown commune: 'Lộc Hà'"):
        auth.create_user(engine, username="locha", role="commune", password=PASSWORD, commune="Lộc Hà")


def test_a_duplicate_username_is_refused(engine: Engine) -> None:
    make_user(engine, username="huyen")
    with pytest.raises(UserError, match="the username 'huyen' is taken"):
        auth.create_user(engine, username="Huyen", role="district", password=PASSWORD)


def test_a_short_password_is_refused(engine: Engine) -> None:
    with pytest.raises(UserError, match="at least 10 characters"):
        auth.create_user(engine, username="huyen", role="district", password="short")


# --- single sign-on ----------------------------------------------------------------------------------------------


def test_an_oidc_email_maps_to_its_account_whatever_the_case(engine: Engine) -> None:
    user = auth.create_user(
        engine, username="huyen", role="district", password=PASSWORD, email="Huyen.Uy@HauLoc.gov.vn"
    )
    found = auth.user_for_email(engine, " HUYEN.UY@hauloc.gov.vn")
    assert found is not None and found.id == user.id


def test_an_unknown_email_maps_to_nobody(engine: Engine) -> None:
    make_user(engine, email="a@hauloc.gov.vn")
    assert auth.user_for_email(engine, "b@hauloc.gov.vn") is None


def test_a_disabled_account_is_not_reachable_by_email(engine: Engine) -> None:
    make_user(engine, email="a@hauloc.gov.vn", active=False)
    assert auth.user_for_email(engine, "a@hauloc.gov.vn") is None


# --- demo accounts -----------------------------------------------------------------------------------------------


def test_demo_accounts_one_per_role_with_the_commune_account_in_loc_son(engine: Engine) -> None:
    make_commune(engine, name="Đại Lộc")
    loc_son = make_commune(engine, name="Lộc Sơn")
    auth.create_demo_accounts(engine, settings=_settings(demo_mode=True))
    with Session(engine) as session:
        users = session.exec(select(User).order_by(User.username)).all()
        assert [(u.username, u.role, u.commune_id) for u in users] == [
            ("demo.admin", "admin", None),
            ("demo.commune", "commune", loc_son),
            ("demo.district", "district", None),
        ]


def test_demo_accounts_sign_in_with_their_documented_passwords(engine: Engine) -> None:
    make_commune(engine, name="Lộc Sơn")
    auth.create_demo_accounts(engine, settings=_settings(demo_mode=True))
    assert all(auth.authenticate(engine, a.username, a.password, now=T0).ok for a in auth.DEMO_ACCOUNTS)


def test_the_demo_commune_account_falls_back_to_the_first_commune(engine: Engine) -> None:
    first = make_commune(engine, name="Hải Lộc")
    make_commune(engine, name="Đa Lộc")
    auth.create_demo_accounts(engine, settings=_settings(demo_mode=True))
    with Session(engine) as session:
        commune_user = session.exec(select(User).where(User.role == "commune")).one()
    assert commune_user.commune_id == first


def test_demo_accounts_twice_create_nothing_new(engine: Engine) -> None:
    make_commune(engine, name="Lộc Sơn")
    auth.create_demo_accounts(engine, settings=_settings(demo_mode=True))
    assert auth.create_demo_accounts(engine, settings=_settings(demo_mode=True)) == []


def test_no_demo_accounts_outside_demo_mode(engine: Engine) -> None:
    with pytest.raises(UserError, match="only in demo mode"):
        auth.create_demo_accounts(engine, settings=_settings(demo_mode=False))
