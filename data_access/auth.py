"""Accounts, sign-in, sessions and what each role may see. No Streamlit here: the CLI and the tests use it as is.

- Passwords are stored only as argon2id hashes (argon2-cffi); a hash made with older parameters is replaced at the
  next successful sign-in.
- `authenticate` checks at most 5 guesses per account, then locks it for 15 minutes; each guess claims its attempt
  in one atomic UPDATE before its password is checked. The counter and the lock live in the
  database, so they hold across dashboard processes. Every failure gives the same message; the reason is kept
  for logs and tests only.
- A session is a signed, expiring token (HMAC-SHA256) naming the account, its `session_version` and the expiry.
  Raising `session_version` (sign-out, disabling the account, a new password) ends every session of the account.
- `scope_for` and `pages_for` turn a role into what the viewer may see; metric functions apply the scope in SQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Table, case, func, or_, true, update
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from data_access import lineage
from data_access.errors import UserError
from data_access.filters import Scope
from data_access.models import ROLES, Commune, User
from data_access.settings import PROJECT_ROOT, Settings, SettingsError, get_settings

_USER = cast(Table, User.__table__)  # type: ignore[attr-defined]

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MIN_SECRET_KEY_LENGTH = 32
FAILURE_MESSAGE = "Wrong username or password, or the account cannot sign in now."
DEMO_KEY_FILE = PROJECT_ROOT / "data" / "session-signing.key"

# Page ids the navigation uses. Every role sees the views; only admins import data and manage accounts.
VIEW_PAGES = ("overview", "regularity", "participation", "thematic", "inspections", "classification", "organisations")
ADMIN_PAGES = ("import", "accounts")

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")
_hasher = PasswordHasher()  # immutable parameters (argon2id, library defaults): safe to share

FailureReason = Literal["unknown_user", "wrong_password", "locked", "disabled"]
TokenReason = Literal["ok", "malformed", "bad_signature", "expired", "unknown_user", "disabled", "signed_out"]


# --- passwords ---------------------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (salted; the clear text is not recoverable from it)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash`; False for an empty or damaged hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


_dummy_hash: str | None = None


def _spend_verify_time(password: str) -> None:
    """Verify against a throw-away hash, so an unknown or locked account answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(16))
    verify_password(_dummy_hash, password)


# --- sign-in -----------------------------------------------------------------------------------------------------


def utcnow() -> dt.datetime:
    """Now, in UTC (the models store aware UTC datetimes)."""
    return dt.datetime.now(dt.UTC)


def _as_utc(moment: dt.datetime | None) -> dt.datetime:
    """`moment` in UTC; a naive value is taken to be UTC already."""
    if moment is None:
        return utcnow()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFC", username).strip().lower()


@dataclass(frozen=True)
class AuthResult:
    """The outcome of a sign-in. `reason` is for logs and tests; a person only ever sees `message`."""

    user: User | None
    reason: Literal["ok"] | FailureReason

    @property
    def ok(self) -> bool:
        return self.user is not None

    @property
    def message(self) -> str:
        return "" if self.ok else FAILURE_MESSAGE


def authenticate(engine: Engine, username: str, password: str, *, now: dt.datetime | None = None) -> AuthResult:
    """Check a username and password; at most `MAX_FAILED_ATTEMPTS` guesses are checked per lock period.

    A guess first claims one of the account's attempts in a single atomic UPDATE (committed before the slow
    password check), which also sets the lock when it claims the last one. Guesses sent at once, from any number
    of processes, therefore queue on the row: the sixth and later find the account locked and are refused without
    their password being looked at. A right password gives its attempt back (the count returns to 0).
    """
    now = _as_utc(now)
    name = normalise_username(username)
    with Session(engine, expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.username == name)).first()
        if user is None:
            _spend_verify_time(password)
            return AuthResult(None, "unknown_user")
        if not user.active:
            _spend_verify_time(password)
            return AuthResult(None, "disabled")
        user_id: int = user.id  # type: ignore[assignment]
        if not _claim_attempt(session, user_id=user_id, now=now):
            _spend_verify_time(password)
            return AuthResult(None, "locked")
        if not verify_password(user.password_hash, password):
            return AuthResult(None, "wrong_password")
        values: dict[str, object] = {"failed_attempts": 0, "locked_until": None, "last_sign_in": now}
        if _hasher.check_needs_rehash(user.password_hash):
            values["password_hash"] = hash_password(password)
        session.execute(update(User).where(User.id == user_id).values(**values))  # type: ignore[arg-type]
        session.commit()
        session.refresh(user)
        return AuthResult(user, "ok")


def _claim_attempt(session: Session, *, user_id: int, now: dt.datetime) -> bool:
    """Count one attempt for the account, unless it is locked or disabled; True when the attempt may be checked.

    One UPDATE decides: its WHERE reads the lock and its SET writes the count (and, at the last attempt, the lock)
    in the same statement. PostgreSQL makes a second UPDATE of the row wait for the first to commit and then
    evaluates the WHERE again on the new row; SQLite runs one writer at a time. Committed at once, so the row is
    not held during the password check.
    """
    u = _USER.c
    last = u.failed_attempts + 1 >= MAX_FAILED_ATTEMPTS
    result = session.execute(
        update(_USER)
        .where(
            u.id == user_id,
            u.active == true(),
            or_(u.locked_until.is_(None), u.locked_until <= now),
        )
        .values(
            failed_attempts=case((last, 0), else_=u.failed_attempts + 1),
            locked_until=case((last, now + LOCKOUT), else_=u.locked_until),
        )
    )
    claimed = cast(CursorResult[Any], result).rowcount
    session.commit()
    return claimed == 1


# --- roles and scope ---------------------------------------------------------------------------------------------


def scope_for(user: User, engine: Engine | None = None) -> Scope:
    """What `user` may see: every commune for admin and district, its own commune for a commune account, and (with
    `engine`, to read the lineage) the communes merged into it: the account of a commune formed by a merger sees
    its predecessors' history, and no other commune's (`data_access.lineage`)."""
    if user.role in ("admin", "district"):
        return Scope.everything()
    if user.role == "commune" and user.commune_id is not None:
        own = Scope.only(user.commune_id)
        return own if engine is None else lineage.scope_with_predecessors(engine, own)
    return Scope.only()  # an unknown role or a commune account without commune sees nothing


def pages_for(role: str) -> set[str]:
    """The page ids `role` may open (the navigation lists only these; other pages refuse to run)."""
    if role == "admin":
        return {*VIEW_PAGES, *ADMIN_PAGES}
    if role in ("district", "commune"):
        return set(VIEW_PAGES)
    return set()


def restrict_communes(requested_ids: Iterable[int], scope: Scope) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Split requested commune ids into (allowed, dropped) by `scope`, keeping their order."""
    allowed: list[int] = []
    dropped: list[int] = []
    for commune_id in requested_ids:
        (allowed if scope.allows(commune_id) else dropped).append(commune_id)
    return tuple(allowed), tuple(dropped)


# --- sessions ----------------------------------------------------------------------------------------------------

_TOKEN_VERSION = "v1"


def signing_key(settings: Settings | None = None, *, key_file: Path = DEMO_KEY_FILE) -> bytes:
    """The key that signs session tokens: SECRET_KEY, or in demo mode a random key kept in `key_file`."""
    settings = settings or get_settings()
    if settings.secret_key:
        if len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError(f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters")
        return settings.secret_key.encode("utf-8")
    if not settings.demo_mode:
        raise SettingsError(
            "SECRET_KEY is required outside demo mode: set it in the environment or in .streamlit/secrets.toml, "
            "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return _demo_key(key_file)


def _demo_key(key_file: Path) -> bytes:
    if key_file.is_file():
        return key_file.read_bytes().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f"{key_file.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    try:
        os.link(draft, key_file)  # atomic: the first process to get here decides the key
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return key_file.read_bytes().strip()


def _signature(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_token(user: User, *, key: bytes, hours: float, now: dt.datetime | None = None) -> str:
    """A session token for `user`, valid for `hours`: `v1.<user id>.<session version>.<expiry>.<signature>`."""
    expires = _as_utc(now) + dt.timedelta(hours=hours)
    expires_epoch = int(expires.timestamp())
    payload = f"{_TOKEN_VERSION}.{user.id}.{user.session_version}.{expires_epoch}"
    return f"{payload}.{_signature(key, payload)}"


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking a session token; `user` is set only when it is valid."""

    user: User | None
    reason: TokenReason


def verify_token(engine: Engine, token: str, *, key: bytes, now: dt.datetime | None = None) -> TokenCheck:
    """The account a token names, if its signature is right, it has not expired and the session was not ended."""
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != _TOKEN_VERSION or not all(p.isdigit() for p in parts[1:4]):
        return TokenCheck(None, "malformed")
    payload = ".".join(parts[:4])
    if not hmac.compare_digest(_signature(key, payload), parts[4]):
        return TokenCheck(None, "bad_signature")
    user_id, version, expires_epoch = (int(p) for p in parts[1:4])
    if _as_utc(now).timestamp() >= expires_epoch:
        return TokenCheck(None, "expired")
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
    if user is None:
        return TokenCheck(None, "unknown_user")
    if not user.active:
        return TokenCheck(None, "disabled")
    if user.session_version != version:
        return TokenCheck(None, "signed_out")
    return TokenCheck(user, "ok")


def end_sessions(engine: Engine, *, user_id: int) -> None:
    """Sign out: every token issued so far for this account stops working (on every device)."""
    with Session(engine) as session:
        session.execute(
            update(User).where(User.id == user_id).values(session_version=User.session_version + 1)  # type: ignore[arg-type]
        )
        session.commit()


# --- single sign-on ----------------------------------------------------------------------------------------------


def user_for_email(engine: Engine, email: str) -> User | None:
    """The active account whose e-mail is `email` (case-insensitive), for a sign-in through OpenID Connect."""
    address = unicodedata.normalize("NFC", email).strip().lower()
    if "@" not in address:
        return None
    with Session(engine, expire_on_commit=False) as session:
        user = session.exec(
            select(User).where(func.lower(User.email) == address, User.active == True)  # noqa: E712
        ).first()
    return user


# --- account management (CLI and the accounts page) --------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    """One account as listed to an administrator (never the hash)."""

    username: str
    display_name: str
    role: str
    commune: str | None
    email: str | None
    active: bool
    locked_until: dt.datetime | None
    last_sign_in: dt.datetime | None


def _commune_id(session: Session, name: str) -> int:
    wanted = unicodedata.normalize("NFC", name).strip()
    found = session.exec(select(Commune.id).where(Commune.name == wanted)).first()
    if found is not None:
        return found
    for commune_id, commune_name in session.exec(select(Commune.id, Commune.name)).all():
        if commune_name.casefold() == wanted.casefold():
            return int(commune_id)  # type: ignore[arg-type]
    raise UserError(f"unknown commune: {wanted!r}")


def _user_by_name(session: Session, username: str) -> User:
    name = normalise_username(username)
    user = session.exec(select(User).where(User.username == name)).first()
    if user is None:
        raise UserError(f"no account named {name!r}")
    return user


def check_role_and_commune(*, role: str, commune: str | None) -> None:
    """A commune account names its commune; the other roles see every commune and name none."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if role == "commune" and not commune:
        raise UserError("a commune account needs its commune: --commune NAME")
    if role != "commune" and commune:
        raise UserError(f"only commune accounts are bound to a commune; a {role} account sees every commune")


def create_user(
    engine: Engine,
    *,
    username: str,
    role: str,
    password: str,
    commune: str | None = None,
    display_name: str = "",
    email: str | None = None,
) -> User:
    """Add an account. A commune account is bound to `commune` (its name); other roles take none."""
    name = normalise_username(username)
    if not _USERNAME_RE.match(name):
        raise UserError(f"a username is 2–80 characters: letters a–z, digits and . _ @ - (got {username!r})")
    check_role_and_commune(role=role, commune=commune)
    check_password_strength(password)
    address = unicodedata.normalize("NFC", email).strip().lower() if email else None
    with Session(engine, expire_on_commit=False) as session:
        if session.exec(select(User.id).where(User.username == name)).first() is not None:
            raise UserError(f"the username {name!r} is taken")
        if address and session.exec(select(User.id).where(func.lower(User.email) == address)).first() is not None:
            raise UserError(f"another account already has the e-mail {address!r}")
        user = User(
            username=name,
            display_name=display_name.strip() or name,
            email=address,
            password_hash=hash_password(password),
            role=role,
            commune_id=_commune_id(session, commune) if commune else None,
        )
        session.add(user)
        try:
            session.commit()
        except IntegrityError as exc:  # another process took the name between the check and the insert
            session.rollback()
            raise UserError(f"the username {name!r} or the e-mail is taken") from exc
        session.refresh(user)
        return user


def list_users(engine: Engine) -> list[AccountRow]:
    """Every account, by username."""
    with Session(engine) as session:
        rows = session.exec(
            select(User, Commune.name)
            .join(Commune, User.commune_id == Commune.id, isouter=True)  # type: ignore[arg-type]
            .order_by(User.username)
        ).all()
        return [
            AccountRow(
                username=user.username,
                display_name=user.display_name,
                role=user.role,
                commune=commune_name,
                email=user.email,
                active=user.active,
                locked_until=user.locked_until,
                last_sign_in=user.last_sign_in,
            )
            for user, commune_name in rows
        ]


def _change(engine: Engine, username: str, **values: object) -> None:
    with Session(engine) as session:
        user = _user_by_name(session, username)
        for column, value in values.items():
            setattr(user, column, value)
        session.add(user)
        session.commit()


def disable_user(engine: Engine, *, username: str) -> None:
    """The account can no longer sign in, and its open sessions end."""
    with Session(engine) as session:
        user = _user_by_name(session, username)
        user.active = False
        user.session_version += 1
        session.add(user)
        session.commit()


def enable_user(engine: Engine, *, username: str) -> None:
    _change(engine, username, active=True)


def reset_password(engine: Engine, *, username: str, password: str) -> None:
    """Set a new password; this also lifts a lock and ends the account's open sessions."""
    check_password_strength(password)
    with Session(engine) as session:
        user = _user_by_name(session, username)
        user.password_hash = hash_password(password)
        user.failed_attempts = 0
        user.locked_until = None
        user.session_version += 1
        session.add(user)
        session.commit()


def unlock_user(engine: Engine, *, username: str) -> None:
    """Lift a lock after failed attempts before its 15 minutes are over."""
    _change(engine, username, failed_attempts=0, locked_until=None)


# --- demo accounts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str


DEMO_COMMUNE = "Lộc Sơn"
# Documented in the README and shown on the sign-in page, in demo mode only.
DEMO_ACCOUNTS = (
    DemoAccount("demo.admin", "demo-admin-2025", "admin", "Quản trị viên (demo)"),
    DemoAccount("demo.district", "demo-district-2025", "district", "Ban Thường vụ Huyện ủy (demo)"),
    DemoAccount("demo.commune", "demo-commune-2025", "commune", "Đảng ủy xã (demo)"),
)


def demo_commune_name(engine: Engine) -> str | None:
    """The commune the demo commune account is bound to: Lộc Sơn if it exists, else the first commune."""
    with Session(engine) as session:
        if session.exec(select(Commune.id).where(Commune.name == DEMO_COMMUNE)).first() is not None:
            return DEMO_COMMUNE
        return session.exec(select(Commune.name).order_by(Commune.id)).first()  # type: ignore[arg-type]


def create_demo_accounts(engine: Engine, *, settings: Settings | None = None) -> list[DemoAccount]:
    """In demo mode, one account per role (skipping those that exist); returns the accounts created.

    The commune account needs a commune, so it is left out while the database has none.
    """
    settings = settings or get_settings()
    if not settings.demo_mode:
        raise UserError(
            "demo accounts exist only in demo mode; create the first admin with: users add NAME --role admin"
        )
    commune = demo_commune_name(engine)
    with Session(engine) as session:
        existing = set(session.exec(select(User.username)).all())
    created: list[DemoAccount] = []
    for account in DEMO_ACCOUNTS:
        if account.username in existing or (account.role == "commune" and commune is None):
            continue
        create_user(
            engine,
            username=account.username,
            role=account.role,
            password=account.password,
            commune=commune if account.role == "commune" else None,
            display_name=account.display_name,
        )
        created.append(account)
    return created
