"""Small factories for account tests: a commune, an account with a known password."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.auth import hash_password
from data_access.models import Commune, User

PASSWORD = "correct horse battery"


def make_commune(engine: Engine, *, name: str = "Lộc Sơn", code: str | None = None) -> int:
    with Session(engine) as session:
        commune = Commune(name=name, code=code or name)
        session.add(commune)
        session.commit()
        assert commune.id is not None
        return commune.id


def make_user(
    engine: Engine,
    *,
    username: str = "nguyen.van.a",
    role: str = "district",
    password: str = PASSWORD,
    commune_id: int | None = None,
    active: bool = True,
    email: str | None = None,
) -> User:
    with Session(engine, expire_on_commit=False) as session:
        user = User(
            username=username,
            display_name=username,
            password_hash=hash_password(password),
            role=role,
            commune_id=commune_id,
            active=active,
            email=email,
        )
        session.add(user)
        session.commit()
        session.refresh(user)
        return user


def reload_user(engine: Engine, user_id: int) -> User:
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        assert user is not None
        return user
