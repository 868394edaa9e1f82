"""`python -m data_access export …`: the data contract's CSV, parsed back, equals the metric function's table."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from data_access import cli_core, metrics
from data_access.cli import main
from data_access.db import make_engine, make_read_engine
from data_access.filters import EVERYTHING
from data_access.settings import get_settings
from tests.small_district import AS_OF, district, period

__all__ = ["district"]


@pytest.fixture
def configured(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Point the CLI's settings at the test database."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    return engine


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


WINDOW = ("--from", "2025-01", "--to", "2025-04", "--as-of", AS_OF.isoformat())
YEARS = ("--from", "2023-01", "--to", "2025-12", "--as-of", AS_OF.isoformat())


@pytest.mark.parametrize(
    ("metric", "group"),
    [(m, g) for m, spec in sorted(metrics.METRICS.items()) for g in spec.groups if g not in ("body", "kind")],
)
def test_export_parses_back_to_the_metric_table(configured: Engine, district, metric: str, group: str) -> None:
    # Classifications are yearly: export them over three years so that the table is not empty.
    window, filters = (
        (YEARS, period(start="2023-01", end="2025-12")) if metric == "classification" else (WINDOW, period())
    )
    code, out, err = run("export", metric, "--by", group, *window)
    assert (code, err) == (0, "")
    expected = metrics.compute(metric, configured, filters=filters, scope=EVERYTHING, by=group)
    assert len(expected) > 0
    parsed = pd.read_csv(
        io.StringIO(out),
        dtype=dict.fromkeys(("province", "commune", "organisation", "cell", "topic", "month", "quarter"), str),
    )
    assert list(parsed.columns) == list(expected.columns)
    assert len(parsed) == len(expected)
    for column in expected.columns:
        if column in metrics.METRICS[metric].rate_columns:
            np.testing.assert_allclose(parsed[column].astype(float), expected[column].round(4), equal_nan=True)
        else:
            # an organisation-level inspection has an empty cell name, which CSV cannot tell from a missing value
            got = parsed[column].fillna("") if pd.api.types.is_string_dtype(expected[column]) else parsed[column]
            assert got.tolist() == expected[column].tolist(), column


def test_export_prints_rates_with_four_decimals_and_empty_for_zero_denominator(configured: Engine, district) -> None:
    code, out, _ = run("export", "thematic", "--by", "quarter", *WINDOW)
    assert code == 0
    assert out.splitlines() == [
        "quarter,due_cell_quarters,covered_cell_quarters,thematic_meetings,thematic_coverage",
        "2025-Q1,3,2,2,0.6667",
        "2025-Q2,0,0,1,",
    ]


def test_export_filters_by_commune_name(configured: Engine, district) -> None:
    code, out, _ = run("export", "participation", "--by", "cell", "--commune", " Lộc  Sơn ", *WINDOW)
    assert code == 0
    assert [line.split(",")[2] for line in out.splitlines()[1:]] == ["Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 3"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("export", "regularity", "--commune", "Lộc Sonn"), "unknown commune: 'Lộc Sonn' (did you mean 'Lộc Sơn'?)"),
        (("export", "regularity", "--from", "2025-13"), "--from expects a month as YYYY-MM, got '2025-13'"),
        (("export", "regularity", "--from", "2025-05", "--to", "2025-01"), "--from 2025-05 is after --to 2025-01"),
        (("export", "thematic", "--by", "month"), "thematic cannot be grouped by 'month'"),
        (("export", "regularity", "--as-of", "24/11/2026"), "--as-of expects a date as YYYY-MM-DD"),
    ],
)
def test_export_bad_arguments_give_one_line_and_exit_2(configured: Engine, district, argv, message: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_export_on_a_database_without_schema_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    get_settings.cache_clear()
    code, _, err = run("export", "regularity")
    assert code == 2
    assert "has no schema yet: run `python -m data_access init`" in err


def test_export_on_an_unreadable_database_exits_non_zero(tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "not-a-database.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{bad}")
    get_settings.cache_clear()
    code, _, err = run("export", "regularity")
    assert code == 3
    assert err.startswith("error: the database could not be read:")
    make_engine(f"sqlite:///{bad}").dispose()


def test_export_reads_through_the_read_only_engine(
    configured: Engine, district, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export only reads: it opens the dashboard's read-only engine (no write possible; on PostgreSQL, no JIT)."""
    opened: list[Engine] = []

    def read_engine() -> Engine:
        opened.append(make_read_engine())
        return opened[-1]

    monkeypatch.setattr(cli_core, "make_read_engine", read_engine)
    code, out, err = run("export", "regularity", "--by", "commune", *WINDOW)
    assert (code, err) == (0, "") and out.startswith("commune,")
    assert len(opened) == 1
    with opened[0].connect() as conn, pytest.raises(DBAPIError, match=r"(?i)read-?only"):
        conn.execute(text("DELETE FROM meeting"))
    opened[0].dispose()
