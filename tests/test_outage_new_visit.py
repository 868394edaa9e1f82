"""A new visit while PostgreSQL is down gets the outage notice, not a sign-in form that cannot work (app.py).

The app ran before (its engine is prepared and cached), so nothing on the way to the sign-in form touched the
database: the form was drawn, and the sign-in then failed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access.settings import get_settings
from tests.pgserver import PostgresServer
from tests.test_postgres_outage import NOTICE, engine  # noqa: F401  (fixture: a database on its own server)

pytestmark = pytest.mark.postgres


def test_a_new_visit_while_the_database_is_down_gets_the_outage_notice_not_the_form(
    district: dict[str, int],
    engine: Engine,  # noqa: F811
    own_pg_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DEMO_MODE", "0")
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DASHBOARD_SECRETS", str(tmp_path / "none.toml"))
    get_settings.cache_clear()
    first = AppTest.from_file("../app.py", default_timeout=60).run()  # the app is up, its engine prepared
    assert [t.value for t in first.title] == ["Đăng nhập"]

    own_pg_server.stop(mode="fast")
    at = AppTest.from_file("../app.py", default_timeout=60).run()  # a new visitor, no cookie
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [NOTICE]
    assert not at.text_input  # no sign-in form
    own_pg_server.start()
    again = AppTest.from_file("../app.py", default_timeout=60).run()
    assert [t.value for t in again.title] == ["Đăng nhập"]
