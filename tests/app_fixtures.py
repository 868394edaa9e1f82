"""The `app_db` fixture of the page tests (registered for every test through `pytest_plugins` in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from data_access.settings import get_settings


@pytest.fixture
def app_db(engine: Engine, district: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The small district in a fresh database, and settings that point the app at it (no demo data)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_SECRETS", "/nonexistent/secrets.toml")
    monkeypatch.delenv("DASHBOARD_LANGUAGE", raising=False)
    get_settings.cache_clear()
    yield district
    from ui import data

    data.engine().dispose()
