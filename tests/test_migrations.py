"""The migrations make exactly the models' schema, on SQLite and PostgreSQL, and `init` is safe to run again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data_access.cli import main
from data_access.migrations import (
    BASELINE_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    downgrade,
    head_revision,
    init_db,
    schema_differences,
)
from data_access.models import Commune
from data_access.settings import get_settings
from tests import factories as f

pytestmark = pytest.mark.both_databases  # dialect-sensitive: runs on SQLite and PostgreSQL


def _model_tables() -> set[str]:
    return set(SQLModel.metadata.tables)


def test_migrations_give_the_models_tables_columns_types_indexes_and_unique_constraints(blank_engine: Engine) -> None:
    init_db(blank_engine)
    assert schema_differences(blank_engine) == []


def test_migrations_give_the_models_check_constraints(blank_engine: Engine) -> None:
    # Alembic's comparison does not look at CHECK constraints; compare their names table by table.
    init_db(blank_engine)
    inspector = inspect(blank_engine)
    for name, table in SQLModel.metadata.tables.items():
        expected = {c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"}
        assert {c["name"] for c in inspector.get_check_constraints(name)} == expected, name


def test_an_empty_database_is_created_at_the_newest_revision(blank_engine: Engine) -> None:
    outcome = init_db(blank_engine)
    assert outcome == f"schema created at revision {head_revision()}"
    assert current_revision(blank_engine) == head_revision()
    assert _model_tables() <= set(inspect(blank_engine).get_table_names())


def test_init_run_twice_changes_nothing_and_keeps_the_data(blank_engine: Engine) -> None:
    init_db(blank_engine)
    with Session(blank_engine) as session:
        session.add(Commune(name="Đa Lộc", code="DL"))
        session.commit()
    assert init_db(blank_engine) == f"schema already at revision {head_revision()}"
    with blank_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM commune")).scalar_one() == 1


def test_every_revision_upgrades_a_database_whose_units_are_referenced(blank_engine: Engine) -> None:
    """A revision that copies a referenced table (SQLite's batch mode) must upgrade a database in use: a commune
    with an organisation, a cell and a meeting pointing at it, from every revision since the first."""
    init_db(blank_engine)
    with Session(blank_engine) as s:
        where = f.commune(s, "Xã Một", "X1")
        cell = f.cell(s, "Thôn 1", f.organisation(s, "Đảng bộ xã Một", where))
        f.meeting(s, cell, "2025-10-03", (10, 0, 9, 1, 0))
        s.commit()
    downgrade(blank_engine, revision=BASELINE_REVISION)
    assert init_db(blank_engine) == f"schema upgraded from {BASELINE_REVISION} to {head_revision()}"
    with blank_engine.connect() as conn:
        counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ("commune", "cell", "meeting")]
    assert counts == [1, 1, 1]
    assert schema_differences(blank_engine) == []


def test_a_database_made_by_create_all_is_adopted_not_recreated(blank_engine: Engine) -> None:
    SQLModel.metadata.create_all(blank_engine)  # how `init` made databases before migrations existed
    with Session(blank_engine) as session:
        session.add(Commune(name="Lộc Sơn", code="LS"))
        session.commit()
    outcome = init_db(blank_engine)
    assert outcome.startswith(f"existing schema adopted at revision {BASELINE_REVISION}")
    assert current_revision(blank_engine) == head_revision()
    assert schema_differences(blank_engine) == []
    with blank_engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM commune")).scalar_one() == "Lộc Sơn"


def test_downgrade_to_base_drops_every_table_and_upgrade_makes_them_again(blank_engine: Engine) -> None:
    init_db(blank_engine)
    downgrade(blank_engine, revision="base")
    assert set(inspect(blank_engine).get_table_names()) == {"alembic_version"}
    assert init_db(blank_engine) == f"schema created at revision {head_revision()}"
    assert schema_differences(blank_engine) == []


def test_revision_files_need_only_sqlalchemy_and_alembic() -> None:
    # SQLModel's own column types are written as plain SQLAlchemy ones (see render_item), so an old revision keeps
    # working whatever SQLModel version is installed later.
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        assert "sqlmodel" not in path.read_text(encoding="utf-8"), path.name


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_init_command_creates_then_reports_the_schema_up_to_date(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    assert _cli("init") == (0, f"schema created at revision {head_revision()} in {url}\n", "")
    assert _cli("upgrade") == (0, f"schema already at revision {head_revision()} in {url}\n", "")


@pytest.mark.postgres
def test_init_command_against_a_refused_postgresql_connection_is_one_line_and_exit_3(monkeypatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/dashboard")
    get_settings.cache_clear()
    code, out, err = _cli("init")
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert f"port {port} failed: Connection refused" in err


def test_a_schema_behind_the_code_is_named_with_what_to_do(blank_engine: Engine) -> None:
    from data_access.migrations import schema_problem

    assert schema_problem(blank_engine) == "has no schema yet: run `python -m data_access init` (or `demo`)"
    init_db(blank_engine)
    assert schema_problem(blank_engine) is None
    downgrade(blank_engine, revision="0013")
    assert schema_problem(blank_engine) == (
        f"has schema revision 0013; this program needs {head_revision()}: run `python -m data_access init` to "
        "upgrade it"
    )
    with blank_engine.begin() as conn:  # a database written by a newer program
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert schema_problem(blank_engine) == (
        f"has schema revision 9999, which this program does not know (its newest is {head_revision()}): update "
        "the program"
    )
    with blank_engine.begin() as conn:  # tables made before the migrations existed
        conn.execute(text("DROP TABLE alembic_version"))
    assert schema_problem(blank_engine) == (
        f"has a schema from before the migrations; this program needs revision {head_revision()}: run "
        "`python -m data_access init`"
    )


def test_commands_on_a_schema_behind_the_code_say_run_init_in_one_line(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    assert _cli("init")[0] == 0
    engine = create_engine(url)
    try:
        downgrade(engine, revision="0013")
    finally:
        engine.dispose()
    units = tmp_path / "units.csv"
    units.write_text("commune,organisation\nLộc Sơn,Chi bộ 1\n", encoding="utf-8")
    expected = (
        f"error: the database {url} has schema revision 0013; this program needs {head_revision()}: run "
        "`python -m data_access init` to upgrade it\n"
    )
    assert _cli("export", "regularity") == (2, "", expected)
    assert _cli("import", "units", str(units)) == (2, "", expected)
    assert _cli("init") == (0, f"schema upgraded from 0013 to {head_revision()} in {url}\n", "")
    assert _cli("export", "regularity")[0] == 0
