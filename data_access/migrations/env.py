"""Alembic environment: migrations run on the connection the caller passes (see data_access.migrations).

Without one (the `alembic` command line pointed at this folder) it connects with the configured settings.
Offline mode (`--sql`) prints the SQL for the configured DATABASE_URL.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import make_url

from data_access.migrations import context_options

config = context.config


def run_migrations_offline() -> None:
    from data_access.settings import get_settings

    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    context.configure(url=url, literal_binds=True, **context_options(make_url(url).get_backend_name()))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from data_access.db import engine_from_settings

    engine = engine_from_settings()
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Any) -> None:
    context.configure(connection=connection, **context_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
