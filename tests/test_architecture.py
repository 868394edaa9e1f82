"""Invariants that keep the design easy to see: views (pages) -> ui -> data_access, and documented settings."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from data_access.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _files("data_access"), ids=lambda p: str(p.relative_to(ROOT)))
def test_data_access_never_imports_streamlit_ui_or_views(path: Path) -> None:
    assert not _imports(path) & {"streamlit", "ui", "views", "plotly"}


@pytest.mark.parametrize("path", _files("ui"), ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_never_imports_views(path: Path) -> None:
    assert "views" not in _imports(path)


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    env_names = {
        "database_url": "DATABASE_URL",
        "demo_mode": "DEMO_MODE",
        "target_participation": "TARGET_PARTICIPATION",
        "language": "DASHBOARD_LANGUAGE",
        "statement_timeout_ms": "STATEMENT_TIMEOUT_MS",
        "session_hours": "SESSION_HOURS",
        "secret_key": "SECRET_KEY",
        "database_read_url": "DATABASE_READ_URL",
        "timezone": "DASHBOARD_TIMEZONE",
    }
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert fields == set(env_names), "a new setting needs its environment name here and a line in the README"
    for name in env_names.values():
        assert re.search(rf"\| `{name}` \|", readme), f"{name} is not in the README's settings table"


def test_no_pages_folder_beside_the_entry_point() -> None:
    """A folder named `pages` beside app.py makes Streamlit serve its files by URL until app.py has run once after
    a start (the old multipage mode), bypassing sign-in and scope; the page files live in `views/` instead."""
    assert not (ROOT / "pages").exists()
    assert sorted(p.name for p in (ROOT / "views").glob("*.py")) != []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _data_access_imports(path: Path, known: set[str]) -> set[str]:
    """The data_access modules `path` imports, at the top or inside a function (`from data_access import x` names
    the module data_access.x when there is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("data_access"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("data_access"):
            module = str(node.module)
            subs = {f"{module}.{a.name}" for a in node.names} & known
            found.update(subs or {module})
    return found & known


def test_data_access_has_no_import_circle() -> None:
    """Modules import downwards only (measures below aggregates below metrics; db below the migrations): a circle
    would make the order of imports decide what a module sees."""
    paths = _files("data_access")
    known = {_module_name(p) for p in paths}
    graph = {_module_name(p): _data_access_imports(p, known) - {_module_name(p)} for p in paths}
    done: set[str] = set()

    def visit(module: str, stack: list[str]) -> None:
        if module in stack:
            raise AssertionError("import circle: " + " -> ".join([*stack[stack.index(module) :], module]))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*stack, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_cell_month_grain_and_the_migrations_import_no_metric_code() -> None:
    for path in [ROOT / "data_access" / "measures.py", ROOT / "data_access" / "aggregates.py"]:
        assert not any(m.startswith("data_access.metrics") for m in _data_access_imports(path, {"data_access.metrics"}))
    for path in (ROOT / "data_access" / "migrations" / "versions").glob("*.py"):
        assert "data_access" not in _imports(path), f"{path.name} imports live code"


def test_the_engine_module_stands_on_the_settings_and_the_models_only() -> None:
    """db.py makes engines; everything that reads or writes stands above it, the migrations included."""
    paths = _files("data_access")
    known = {_module_name(p) for p in paths}
    imported = _data_access_imports(ROOT / "data_access" / "db.py", known)
    assert imported <= {"data_access.models", "data_access.settings"}, imported
