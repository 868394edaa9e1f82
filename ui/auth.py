"""Sign-in in the browser: the form, the session cookie, sign-out, page guards and the commune-scope notice.

How a session survives a page reload. Streamlit reads cookies (`st.context.cookies`, sent with the request that
opens the app's connection) but has no API to set one from a script (streamlit/streamlit#861, #14730; setting
cookies needs an ASGI middleware, which runs on HTTP requests only, never from inside a session). So after a
sign-in the next run writes the signed session token into the cookie with a two-line script
(`st.html(..., unsafe_allow_javascript=True)`: Streamlit's own element, no third-party component). A reload
sends the cookie, `current_user` verifies it (signature, expiry, account active, session version) and the viewer
is back without a form. Sign-out raises the account's session version in the database, which kills every token
already issued, and deletes the cookie the same way.

The cookie cannot be HttpOnly (a script writes it). It carries no password, only a token that expires after
`session_hours`, is SameSite=Strict, Secure under HTTPS, and dies at sign-out; the app renders no untrusted HTML.

Texts are the `auth.*` entries of the shared catalogue (`ui.i18n`).
"""

from __future__ import annotations

import json
import logging
import re

import streamlit as st
from sqlalchemy.engine import Engine

from data_access import auth
from data_access.filters import Scope
from data_access.models import User
from data_access.settings import SettingsError, get_settings
from ui import escape
from ui import format as fmt
from ui.i18n import t

COOKIE_NAME = "pcd_session"
_TOKEN_KEY = "auth_token"
_COOKIE_ACTION_KEY = "auth_cookie_action"
_REJECTED_COOKIE_KEY = "auth_rejected_cookie"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9._-]{1,300}$")

_log = logging.getLogger(__name__)


def default_engine() -> Engine:
    """The process-wide engine (`ui.data.engine`): migrated, and in demo mode holding the demo accounts."""
    from ui import data

    return data.engine()


def _key() -> bytes:
    try:
        return auth.signing_key(get_settings())
    except SettingsError as exc:
        st.error(t("auth.config_error", detail=str(exc)))
        st.stop()
        raise  # st.stop() raises; this line keeps type checkers honest


def _cookie_path() -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else "/"


def cookie_script(*, token: str | None, max_age_seconds: int, secure: bool, path: str = "/") -> str:
    """The script that writes (or, with `token=None`, deletes) the session cookie in the browser."""
    if token is not None and not _TOKEN_SHAPE.match(token):
        raise ValueError("a session token has only URL-safe characters")
    value = token or ""
    age = max_age_seconds if token is not None else 0
    attributes = f"; Max-Age={age}; Path={path}; SameSite=Strict" + ("; Secure" if secure else "")
    return f"<script>document.cookie = {json.dumps(f'{COOKIE_NAME}={value}{attributes}')};</script>"


def _flush_cookie_action() -> None:
    """Write or delete the cookie asked for by the previous run (a script must reach the browser to do it)."""
    action = st.session_state.pop(_COOKIE_ACTION_KEY, None)
    if action is None:
        return
    secure = str(st.context.url or "").startswith("https://")
    hours = get_settings().session_hours
    st.html(
        cookie_script(token=action or None, max_age_seconds=int(hours * 3600), secure=secure, path=_cookie_path()),
        unsafe_allow_javascript=True,
    )


def _start_session(user: User) -> None:
    token = auth.issue_token(user, key=_key(), hours=get_settings().session_hours)
    st.session_state[_TOKEN_KEY] = token
    st.session_state[_COOKIE_ACTION_KEY] = token


# --- who is signed in --------------------------------------------------------------------------------------------


def sso_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an `[auth]` section for `st.login` (OpenID Connect)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_email() -> str | None:
    if not sso_configured():
        return None
    try:
        if not st.user.is_logged_in or st.user.get("email_verified") is False:
            return None
        email = st.user.get("email")
    except Exception:  # st.user unavailable (no auth configured, or no browser session)
        return None
    return str(email) if email else None


def _request_cookie() -> str | None:
    """The session cookie the browser sent when it opened this connection."""
    return st.context.cookies.get(COOKIE_NAME)


def current_user(engine: Engine) -> User | None:
    """The signed-in account: from this session, else from the session cookie, else from single sign-on.

    The token is checked against the database on every run, so a disabled account or a sign-out elsewhere ends
    this session at its next interaction.
    """
    user = _resolve_user(engine)
    _flush_cookie_action()
    return user


def _resolve_user(engine: Engine) -> User | None:
    key = _key()
    token = st.session_state.get(_TOKEN_KEY)
    if token:
        check = auth.verify_token(engine, token, key=key)
        if check.user is not None:
            return check.user
        st.session_state.pop(_TOKEN_KEY, None)
    cookie = _request_cookie()
    if cookie and cookie != st.session_state.get(_REJECTED_COOKIE_KEY):
        check = auth.verify_token(engine, cookie, key=key)
        if check.user is not None:
            st.session_state[_TOKEN_KEY] = cookie
            return check.user
        # The browser sends this cookie for the life of the connection: judge it once, then delete it.
        st.session_state[_REJECTED_COOKIE_KEY] = cookie
        st.session_state[_COOKIE_ACTION_KEY] = ""
        _log.info("session cookie refused: %s", check.reason)
    email = _sso_email()
    if email:
        return auth.user_for_email(engine, email)
    return None


def sign_out(engine: Engine, user: User) -> None:
    """End the account's sessions (every token dies), forget this one and delete the cookie at the next run."""
    if user.id is not None:
        auth.end_sessions(engine, user_id=user.id)
    st.session_state[_REJECTED_COOKIE_KEY] = st.session_state.pop(_TOKEN_KEY, None)
    st.session_state[_COOKIE_ACTION_KEY] = ""


def sign_out_button(engine: Engine, user: User) -> None:
    """The account's name and a sign-out button, in the sidebar."""
    st.sidebar.markdown(t("auth.signed_in_as", name=escape.md(user.display_name or user.username)))
    if st.sidebar.button(t("auth.sign_out"), key="sign_out", icon=":material/logout:"):
        sign_out(engine, user)
        if _sso_email():
            st.logout()
        st.rerun()


# --- the sign-in form --------------------------------------------------------------------------------------------


def sign_in_form(engine: Engine) -> None:
    """The sign-in form; in demo mode it lists the demo accounts. A success reruns the app signed in."""
    st.title(t("auth.title"))
    st.caption(t("auth.subtitle"))
    email = _sso_email()
    if email and auth.user_for_email(engine, email) is None:
        st.warning(t("auth.sso_unknown", email=email))
    with st.form("sign_in"):
        username = st.text_input(t("auth.username"), key="sign_in_username", autocomplete="username")
        password = st.text_input(
            t("auth.password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.warning(t("auth.missing"))
        else:
            result = auth.authenticate(engine, username, password)
            if result.user is not None:
                _start_session(result.user)
                st.rerun()
            _log.info("sign-in refused for %r: %s", auth.normalise_username(username), result.reason)
            st.error(t("auth.failed"))
    if sso_configured() and not email:
        st.button(t("auth.sso"), on_click=st.login)
    if get_settings().demo_mode:
        _demo_accounts_table()


def _demo_accounts_table() -> None:
    st.info(t("auth.demo_intro"))
    st.dataframe(
        [
            {
                t("auth.col_username"): a.username,
                t("auth.col_password"): a.password,
                t("auth.col_role"): t(f"auth.role_{a.role}"),
            }
            for a in auth.DEMO_ACCOUNTS
        ],
        hide_index=True,
    )


# --- guards and scope --------------------------------------------------------------------------------------------


def require_page(page_id: str, user: User | None) -> None:
    """Stop a page its viewer may not open (a direct URL, or a page file run on its own)."""
    if user is None or page_id not in auth.pages_for(user.role):
        st.error(t("auth.forbidden"))
        st.stop()


def allowed_communes(requested_ids: tuple[int, ...], scope: Scope) -> tuple[int, ...]:
    """The requested communes within `scope`; those dropped (e.g. edited into the URL) are reported once."""
    allowed, dropped = auth.restrict_communes(requested_ids, scope)
    if dropped:
        st.warning(t("auth.dropped_communes", count=len(dropped)), icon=":material/lock:")
    return allowed


def accounts_overview(engine: Engine) -> None:
    """The accounts page (admin): every account with its role, commune and status; changes go through the CLI."""
    st.title(t("auth.accounts_title"))
    now = auth.utcnow()

    def status(row: auth.AccountRow) -> str:
        if not row.active:
            return t("auth.status_disabled")
        return t("auth.status_locked") if row.locked_until and row.locked_until > now else t("auth.status_active")

    st.dataframe(
        [
            {
                t("auth.col_username"): row.username,
                t("auth.col_role"): t(f"auth.role_{row.role}"),
                t("auth.col_commune"): row.commune or "",
                t("auth.col_status"): status(row),
                t("auth.col_last_sign_in"): fmt.moment(row.last_sign_in),
            }
            for row in auth.list_users(engine)
        ],
        hide_index=True,
    )
    st.caption(t("auth.accounts_help"))
