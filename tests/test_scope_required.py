"""Scope is required: no query in `data_access` has a default scope, and a page without a signed-in viewer's scope
ends at the sign-in message before any query (fail closed)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

import data_access
from data_access.filters import EVERYTHING
from tests.test_pages_frame import BASE_PARAMS, signed_in_app
from ui.filters import SCOPE_KEY
from ui.i18n import t

DATA_ACCESS = Path(__file__).resolve().parents[1] / "data_access"
VIEW_PAGES = ("overview", "regularity", "participation", "topics", "inspections", "classification", "organisations")


def _scope_defaults(source: str) -> list[str]:
    """`name(parameter=default)` for every parameter named `scope` (or annotated `Scope`) that has a default."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        a = node.args
        positional = [*a.posonlyargs, *a.args]
        defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        for arg, default in [*zip(positional, defaults, strict=True), *zip(a.kwonlyargs, a.kw_defaults, strict=True)]:
            annotation = ast.unparse(arg.annotation) if arg.annotation else ""
            if default is not None and (arg.arg == "scope" or "Scope" in annotation.split(" | ")):
                found.append(f"{node.name}({arg.arg}={ast.unparse(default)}) line {node.lineno}")
    return found


def test_the_check_sees_a_default_scope() -> None:
    source = (
        "def a(engine, *, filters, scope: Scope = EVERYTHING): ...\n"
        "def b(engine, scope=None): ...\n"
        "def c(engine, *, viewer: Scope | None = None): ...\n"
        "def d(engine, *, filters, scope: Scope, by='commune'): ...\n"
    )
    assert _scope_defaults(source) == ["a(scope=EVERYTHING) line 1", "b(scope=None) line 2", "c(viewer=None) line 3"]


def test_no_function_in_data_access_has_a_default_scope() -> None:
    """Every query takes the viewer's scope from its caller: a forgotten argument is a TypeError, never every
    commune. The CLI and the bench, which may see everything, say `scope=EVERYTHING`."""
    found = {
        str(path.relative_to(DATA_ACCESS.parent)): defaults
        for path in sorted(DATA_ACCESS.rglob("*.py"))
        if (defaults := _scope_defaults(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def _public_queries() -> dict[str, inspect.Parameter]:
    """The `scope` parameter of every public function defined in a module of `data_access` (migrations aside:
    alembic runs them)."""
    found = {}
    for info in pkgutil.walk_packages(data_access.__path__, "data_access."):
        if info.name.endswith("__main__") or info.name.startswith("data_access.migrations"):
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                parameter = inspect.signature(function).parameters.get("scope")
                if parameter is not None:
                    found[f"{info.name}.{name}"] = parameter
    return found


def test_every_public_query_with_a_scope_requires_it() -> None:
    queries = _public_queries()
    assert len(queries) >= 40  # the metrics, lists, overview, browse, lookups, lineage, reporting, briefing
    assert {"data_access.metrics.registry.compute", "data_access.lookups.communes"} <= set(queries)
    optional = sorted(name for name, p in queries.items() if p.default is not inspect.Parameter.empty)
    assert optional == []


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends while the test runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield sent
    event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize("page", VIEW_PAGES)
def test_a_page_without_a_signed_in_scope_shows_only_the_sign_in_message(
    app_db: dict[str, int], statements: list[str], page: str
) -> None:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    for name, value in BASE_PARAMS.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("auth.sign_in_required", lang="vi")]
    assert statements == []  # no query ran, not even the sidebar's communes
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.get("plotly_chart")) == 0
    assert len(at.sidebar.multiselect) == 0


def test_a_page_with_something_else_in_place_of_a_scope_shows_it_too(app_db: dict[str, int]) -> None:
    at = AppTest.from_file("../views/overview.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = "everything"  # not a Scope: only app.py records one, after the sign-in
    at.run()
    assert [i.value for i in at.info] == [t("auth.sign_in_required", lang="vi")]
    assert len(at.metric) == 0


def test_a_page_with_the_signed_in_scope_runs(app_db: dict[str, int]) -> None:
    at = AppTest.from_file("../views/overview.py", default_timeout=60)
    for name, value in BASE_PARAMS.items():
        at.query_params[name] = value
    at.session_state[SCOPE_KEY] = EVERYTHING  # what app.py records for a district account
    at.run()
    assert not at.exception, at.exception
    assert t("auth.sign_in_required", lang="vi") not in [i.value for i in at.info]
    assert len(at.metric) > 0


def test_signing_out_forgets_the_scope(app_db: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """After sign-out no scope is left behind for a page to find."""
    at = signed_in_app(monkeypatch).run()
    assert not at.exception, at.exception
    assert at.session_state[SCOPE_KEY] == EVERYTHING
    at.button(key="sign_out").click().run()
    assert not at.exception, at.exception
    assert at.session_state[SCOPE_KEY] is None
    assert at.title[0].value == t("auth.title", lang="vi")
