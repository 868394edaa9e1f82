"""Databases built once per test session and copied for every test that asks for the same contents.

Most tests start from one of a few databases: the migrated empty schema (the `engine` fixture) or the small
hand-built district (`tests.small_district.district`). Building them costs 0.3–0.8 s (migrations) and 2.5–3.5 s
(the district's 33 rows, each flush refreshing its derived tables) per test; copying a built one costs 0.02–0.03 s
on SQLite and about 0.3 s on PostgreSQL.
Each test still gets its own database, so a test that writes changes only its copy.

- SQLite: the built file is copied with SQLite's backup API (consistent even with WAL) into the test's file.
- PostgreSQL: the built database becomes a template; a test's database is dropped and created again from it
  (`CREATE DATABASE … TEMPLATE …`, a file copy inside the server). Names are built from integers and fixed words.

A template belongs to the server it was made on: on another server (a test's own, see `own_pg_server`) the
contents are built again.
"""

from __future__ import annotations

import copy
import itertools
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine

from data_access.migrations import init_db

T = TypeVar("T")
SCHEMA = "schema"  # the migrated empty database
# Fixtures that fill a database through `seeded`: a test using one gets no separate schema copy first (the
# `engine` fixture leaves its database missing, and `seeded` makes it from the fixture's template at once).
SEEDING_FIXTURES = frozenset({"district", "four_communes", "merged"})

_folder: Path | None = None
_counter = itertools.count()
# (server, what) -> (template: a SQLite file or a PostgreSQL database name, what the builder returned)
_built: dict[tuple[str, str], tuple[str, object]] = {}
_admins: dict[str, Engine] = {}  # server -> an engine on its `postgres` database


def _server_of(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return "sqlite"
    return f"postgresql://{url.host}:{url.port}"


def _sqlite_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="db-templates-"))
    return _folder


def _admin(url: URL) -> Engine:
    """An engine on the server's `postgres` database, kept for the session (a connection costs ~0.1 s here)."""
    server = _server_of(url)
    if server not in _admins:
        _admins[server] = create_engine(url.set(database="postgres"), pool_pre_ping=True, pool_size=1)
    return _admins[server]


def _pg_database_exists(admin: Engine, name: str) -> bool:
    with admin.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None


def _pg_recreate(url: URL, *, template: str) -> None:
    """Drop the database of `url` and create it again as a copy of `template` (both named by this module)."""
    admin = _admin(url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"'))


def _sqlite_copy(source: str, target: str) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _save(engine: Engine, what: str) -> str:
    """Keep the current contents of `engine`'s database as the template for `what`; returns the template."""
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        template = str(_sqlite_folder() / f"{what}-{next(_counter)}.sqlite3")
        _sqlite_copy(str(url.database), template)
        return template
    template = f"template_{what}_{next(_counter)}"
    admin = _admin(url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{template}" TEMPLATE "{url.database}"'))
    return template


def _restore(engine: Engine, template: str) -> bool:
    """Replace `engine`'s database by a copy of `template`; False when the template is gone (its server was)."""
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        if not Path(template).exists():
            return False
        _sqlite_copy(template, str(url.database))
        return True
    admin = _admin(url)
    if not _pg_database_exists(admin, template):
        return False
    _pg_recreate(url, template=template)
    return True


def _exists(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        return path.exists() and path.stat().st_size > 0
    return _pg_database_exists(_admin(url), str(url.database))


def create_pg_database(url: URL) -> None:
    """Create the empty database of `url` (its name is built by the tests from integers, never from input)."""
    with _admin(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))


def _pg_create_if_missing(url: URL) -> None:
    if not _pg_database_exists(_admin(url), str(url.database)):
        create_pg_database(url)


def drop_pg_database(url: URL) -> None:
    """Drop a test's PostgreSQL database at its end (a server holding hundreds of them slows and fills the disk)."""
    admin = _admin(url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


def seeded(engine: Engine, what: str, build: Callable[[Engine], T]) -> T:
    """Fill `engine`'s database with `build`'s contents: built the first time on this server, copied from then on.
    The database is empty or missing (PostgreSQL: it is created). Returns what `build` returned the time it ran
    (ids and the like, the same in each copy)."""
    key = (_server_of(engine.url), what)
    if key in _built:
        template, result = _built[key]
        if _restore(engine, template):
            return copy.deepcopy(result)  # type: ignore[return-value]
    if what != SCHEMA and not _exists(engine.url):  # the engine fixture left it to this (SEEDING_FIXTURES)
        seeded(engine, SCHEMA, init_db)
    elif engine.url.get_backend_name() != "sqlite":
        _pg_create_if_missing(engine.url)
    result = build(engine)
    _built[key] = (_save(engine, what), copy.deepcopy(result))
    return result


def forget_templates() -> None:
    """Remove the template files and close the servers' connections (session end)."""
    for admin in _admins.values():
        admin.dispose()
    _admins.clear()
    global _folder
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
        _folder = None
    for key in [k for k in _built if k[0] == "sqlite"]:
        del _built[key]
