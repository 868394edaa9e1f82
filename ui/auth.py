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

Texts: a small vi/en catalogue here until `ui/i18n.py` exists; `t(key)` is the same shape.
"""

from __future__ import annotations

import json
import logging
import re

import streamlit as st
from sqlalchemy.engine import Engine

from data_access import auth
from data_access.db import engine_from_settings, init_db
from data_access.filters import Scope
from data_access.models import User
from data_access.settings import SettingsError, get_settings

COOKIE_NAME = "pcd_session"
_TOKEN_KEY = "auth_token"
_COOKIE_ACTION_KEY = "auth_cookie_action"
_REJECTED_COOKIE_KEY = "auth_rejected_cookie"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9._-]{1,300}$")

_log = logging.getLogger(__name__)

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "accounts_title": "Tài khoản",
        "accounts_help": "Thêm, khóa, mở khóa và đặt lại mật khẩu bằng dòng lệnh: `python -m data_access users --help`.",
        "col_commune": "Xã",
        "col_status": "Trạng thái",
        "col_last_sign_in": "Lần đăng nhập cuối",
        "status_active": "hoạt động",
        "status_locked": "đang khóa",
        "status_disabled": "đã vô hiệu",
        "title": "Đăng nhập",
        "subtitle": "Theo dõi sinh hoạt chi bộ",
        "username": "Tên đăng nhập",
        "password": "Mật khẩu",
        "submit": "Đăng nhập",
        "missing": "Nhập tên đăng nhập và mật khẩu.",
        "failed": (
            "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản tạm thời không đăng nhập được. "
            "Sau 5 lần nhập sai, tài khoản bị khóa 15 phút."
        ),
        "sso": "Đăng nhập bằng tài khoản của cơ quan",
        "sso_unknown": "Địa chỉ {email} chưa được cấp tài khoản xem bảng theo dõi. Hãy liên hệ quản trị viên.",
        "demo_intro": "Chế độ trình diễn (dữ liệu mẫu). Có thể đăng nhập bằng các tài khoản thử sau:",
        "col_username": "Tên đăng nhập",
        "col_password": "Mật khẩu",
        "col_role": "Vai trò",
        "role_admin": "Quản trị (mọi trang, nhập dữ liệu, tài khoản)",
        "role_district": "Cấp huyện (xem toàn huyện)",
        "role_commune": "Cấp xã (chỉ xem xã mình)",
        "sign_out": "Đăng xuất",
        "signed_in_as": "Đăng nhập: **{name}**",
        "forbidden": "Tài khoản của bạn không được mở trang này.",
        "dropped_communes": "Đã bỏ {count} xã ngoài phạm vi tài khoản của bạn; chỉ hiển thị số liệu trong phạm vi được phép.",
        "config_error": "Cấu hình chưa đủ để đăng nhập: {detail}",
    },
    "en": {
        "accounts_title": "Accounts",
        "accounts_help": "Add, disable, unlock and reset passwords on the command line: `python -m data_access users --help`.",
        "col_commune": "Commune",
        "col_status": "Status",
        "col_last_sign_in": "Last sign-in",
        "status_active": "active",
        "status_locked": "locked",
        "status_disabled": "disabled",
        "title": "Sign in",
        "subtitle": "Party-cell activity dashboard",
        "username": "Username",
        "password": "Password",
        "submit": "Sign in",
        "missing": "Enter a username and a password.",
        "failed": (
            "Wrong username or password, or the account cannot sign in now. "
            "After 5 wrong attempts an account is locked for 15 minutes."
        ),
        "sso": "Sign in with your organisation account",
        "sso_unknown": "{email} has no account on this dashboard. Ask an administrator.",
        "demo_intro": "Demo mode (sample data). Try these accounts:",
        "col_username": "Username",
        "col_password": "Password",
        "col_role": "Role",
        "role_admin": "Administrator (every page, import, accounts)",
        "role_district": "District (every commune)",
        "role_commune": "Commune (its own commune only)",
        "sign_out": "Sign out",
        "signed_in_as": "Signed in: **{name}**",
        "forbidden": "Your account may not open this page.",
        "dropped_communes": "{count} commune(s) outside your account's scope were dropped; only figures within it are shown.",
        "config_error": "Sign-in is not configured: {detail}",
    },
}


def t(key: str, **values: object) -> str:
    """The text for `key` in the viewer's language (`st.session_state["language"]`, else the setting)."""
    language = st.session_state.get("language") or get_settings().language
    text = TEXT.get(str(language), TEXT["vi"]).get(key) or TEXT["vi"][key]
    return text.format(**values) if values else text


@st.cache_resource
def default_engine() -> Engine:
    """The process-wide engine, for a page run on its own (app.py passes its own)."""
    engine = engine_from_settings()
    init_db(engine)
    return engine


# --- the session cookie ------------------------------------------------------------------------------------------


def _key() -> bytes:
    try:
        return auth.signing_key(get_settings())
    except SettingsError as exc:
        st.error(t("config_error", detail=str(exc)))
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
    st.sidebar.markdown(t("signed_in_as", name=user.display_name or user.username))
    if st.sidebar.button(t("sign_out"), key="sign_out", icon=":material/logout:"):
        sign_out(engine, user)
        if _sso_email():
            st.logout()
        st.rerun()


# --- the sign-in form --------------------------------------------------------------------------------------------


def sign_in_form(engine: Engine) -> None:
    """The sign-in form; in demo mode it lists the demo accounts. A success reruns the app signed in."""
    st.title(t("title"))
    st.caption(t("subtitle"))
    email = _sso_email()
    if email and auth.user_for_email(engine, email) is None:
        st.warning(t("sso_unknown", email=email))
    with st.form("sign_in"):
        username = st.text_input(t("username"), key="sign_in_username", autocomplete="username")
        password = st.text_input(
            t("password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.warning(t("missing"))
        else:
            result = auth.authenticate(engine, username, password)
            if result.user is not None:
                _start_session(result.user)
                st.rerun()
            _log.info("sign-in refused for %r: %s", auth.normalise_username(username), result.reason)
            st.error(t("failed"))
    if sso_configured() and not email:
        st.button(t("sso"), on_click=st.login)
    if get_settings().demo_mode:
        _demo_accounts_table()


def _demo_accounts_table() -> None:
    st.info(t("demo_intro"))
    st.dataframe(
        [
            {t("col_username"): a.username, t("col_password"): a.password, t("col_role"): t(f"role_{a.role}")}
            for a in auth.DEMO_ACCOUNTS
        ],
        hide_index=True,
    )


# --- guards and scope --------------------------------------------------------------------------------------------


def require_page(page_id: str, user: User | None) -> None:
    """Stop a page its viewer may not open (a direct URL, or a page file run on its own)."""
    if user is None or page_id not in auth.pages_for(user.role):
        st.error(t("forbidden"))
        st.stop()


def allowed_communes(requested_ids: tuple[int, ...], scope: Scope) -> tuple[int, ...]:
    """The requested communes within `scope`; those dropped (e.g. edited into the URL) are reported once."""
    allowed, dropped = auth.restrict_communes(requested_ids, scope)
    if dropped:
        st.warning(t("dropped_communes", count=len(dropped)), icon=":material/lock:")
    return allowed


def accounts_overview(engine: Engine) -> None:
    """The accounts page (admin): every account with its role, commune and status; changes go through the CLI."""
    st.title(t("accounts_title"))
    now = auth.utcnow()

    def status(row: auth.AccountRow) -> str:
        if not row.active:
            return t("status_disabled")
        return t("status_locked") if row.locked_until and row.locked_until > now else t("status_active")

    st.dataframe(
        [
            {
                t("col_username"): row.username,
                t("col_role"): t(f"role_{row.role}"),
                t("col_commune"): row.commune or "",
                t("col_status"): status(row),
                t("col_last_sign_in"): row.last_sign_in.strftime("%d/%m/%Y %H:%M") if row.last_sign_in else "",
            }
            for row in auth.list_users(engine)
        ],
        hide_index=True,
    )
    st.caption(t("accounts_help"))
