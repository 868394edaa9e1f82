"""Scope is required: no query in `data_access` has a default scope."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import data_access

DATA_ACCESS = Path(__file__).resolve().parents[1] / "data_access"


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
