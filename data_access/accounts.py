"""Account changes an administrator makes from the Accounts page, checked and audited here.

Each change goes through the same functions as `python -m data_access users …` (`data_access.auth`), so the rules
are the CLI's (username and password rules, a commune account names its commune, a disabled account's sessions
end). What the page adds: the actor must be an active administrator, looked up in the database at the moment of the
change (not trusted from the page), an administrator cannot disable or demote their own account (the last way back
in), and every change is written to `account_event` with who made it and when, never with a password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import auth
from data_access.errors import UserError
from data_access.models import AccountEvent, Commune, User

ACTIONS = ("add", "disable", "enable", "unlock", "reset_password", "change_role")
CLI_ACTOR = "cli"


@dataclass(frozen=True)
class EventRow:
    at: dt.datetime
    actor: str
    action: str
    username: str
    detail: str


def _admin(engine: Engine, actor: str) -> str:
    name = auth.normalise_username(actor)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == name)).first()
    if user is None or not user.active or user.role != "admin":
        raise UserError("only an active administrator can change accounts")
    return name


def record(engine: Engine, *, actor: str, action: str, username: str, detail: str = "") -> None:
    """Write one audit row (the change itself is already committed by `data_access.auth`)."""
    if action not in ACTIONS:
        raise ValueError(f"not an account action: {action}")
    with Session(engine) as session:
        session.add(
            AccountEvent(
                at=auth.utcnow(),
                actor=actor,
                action=action,
                username=auth.normalise_username(username),
                detail=detail[:200],
            )
        )
        session.commit()


def events(engine: Engine, *, limit: int = 200) -> list[EventRow]:
    """The latest account changes, newest first."""
    with Session(engine) as session:
        rows = session.exec(
            select(AccountEvent).order_by(AccountEvent.at.desc(), AccountEvent.id.desc()).limit(limit)  # type: ignore[attr-defined,union-attr]
        ).all()
    return [EventRow(r.at, r.actor, r.action, r.username, r.detail) for r in rows]


def add(
    engine: Engine,
    *,
    actor: str,
    username: str,
    role: str,
    password: str,
    commune: str | None = None,
    display_name: str = "",
) -> None:
    who = _admin(engine, actor)
    user = auth.create_user(
        engine, username=username, role=role, password=password, commune=commune, display_name=display_name
    )
    record(engine, actor=who, action="add", username=user.username, detail=_role_words(role, commune))


def disable(engine: Engine, *, actor: str, username: str) -> None:
    who = _admin(engine, actor)
    if auth.normalise_username(username) == who:
        raise UserError("an administrator cannot disable their own account")
    auth.disable_user(engine, username=username)
    record(engine, actor=who, action="disable", username=username)


def enable(engine: Engine, *, actor: str, username: str) -> None:
    who = _admin(engine, actor)
    auth.enable_user(engine, username=username)
    record(engine, actor=who, action="enable", username=username)


def unlock(engine: Engine, *, actor: str, username: str) -> None:
    who = _admin(engine, actor)
    auth.unlock_user(engine, username=username)
    record(engine, actor=who, action="unlock", username=username)


def reset_password(engine: Engine, *, actor: str, username: str) -> str:
    """Set a generated password and return it, to be shown once; the account's sessions end."""
    who = _admin(engine, actor)
    password = auth.generate_password()
    auth.reset_password(engine, username=username, password=password)
    record(engine, actor=who, action="reset_password", username=username)
    return password


def change_role(engine: Engine, *, actor: str, username: str, role: str, commune: str | None = None) -> None:
    """Give the account another role (and commune, for a commune account); its open sessions end, so the new scope
    applies from its next sign-in."""
    who = _admin(engine, actor)
    auth.check_role_and_commune(role=role, commune=commune)
    name = auth.normalise_username(username)
    if name == who and role != "admin":
        raise UserError("an administrator cannot take their own administrator role away")
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == name)).first()
        if user is None:
            raise UserError(f"no account named {name!r}")
        commune_id = None
        if commune:
            found = session.exec(select(Commune.id).where(Commune.name == commune.strip())).first()
            if found is None:
                raise UserError(f"unknown commune: {commune!r}")
            commune_id = found
        user.role, user.commune_id = role, commune_id
        user.session_version += 1
        session.add(user)
        session.commit()
    record(engine, actor=who, action="change_role", username=name, detail=_role_words(role, commune))


def _role_words(role: str, commune: str | None) -> str:
    return f"role={role}" + (f", commune={commune}" if commune else "")
