"""The test tiers are set at collection (tests/conftest.py): checked on a small suite run inside this one."""

from __future__ import annotations

import pytest

CONFTEST = """
from tests.conftest import *  # noqa: F403  (the project's fixtures and hooks)
from tests.conftest import pytest_collection_modifyitems, pytest_generate_tests  # noqa: F401
"""

SUITE = """
import pytest
from tests.browser import require_browser

@pytest.fixture
def server():
    require_browser()

def test_with_a_browser(server): pass
def test_on_postgresql(pg_engine): pass
def test_on_sqlite(engine): pass
def test_plain(): pass

@pytest.mark.both_databases
def test_on_both(engine): pass
"""


@pytest.fixture
def collected(pytester: pytest.Pytester):  # type: ignore[no-untyped-def]
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nmarkers =\n    postgres\n    browser\n    slow\n    both_databases\n")
    pytester.makepyfile(test_suite=SUITE)

    def names(marks: str) -> list[str]:
        result = pytester.runpytest_inprocess("--collect-only", "-q", "-m", marks)
        return sorted(line.split("::", 1)[1] for line in result.outlines if line.startswith("test_suite.py::"))

    return names


def test_a_browser_fixture_or_a_postgresql_fixture_sets_the_tier(collected) -> None:  # type: ignore[no-untyped-def]
    assert collected("browser") == ["test_with_a_browser"]
    assert collected("postgres") == ["test_on_both[postgres]", "test_on_postgresql"]


def test_the_fast_loop_is_sqlite_only_and_both_databases_runs_twice(collected) -> None:  # type: ignore[no-untyped-def]
    assert collected("not slow and not postgres and not browser") == [
        "test_on_both[sqlite]",
        "test_on_sqlite",
        "test_plain",
    ]
