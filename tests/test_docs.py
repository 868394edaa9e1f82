"""The documentation stays true: the generated parts of docs/ match the code, the README's links exist, and no
file speaks of the work's history."""

from __future__ import annotations

import re
import subprocess

import pytest

from data_access.importing.vocab import FILE_KINDS
from data_access.metrics import METRICS
from tests import docs_generated
from tests.docs_generated import METRICS_MD, ROOT
from ui.i18n import CATALOGUE


def test_the_generated_docs_are_current() -> None:
    assert docs_generated.stale() == [], "run `make docs` (python -m tests.docs_generated --write) and commit"


@pytest.fixture(scope="module")
def metrics_page() -> str:
    return METRICS_MD.read_text(encoding="utf-8")


def test_every_metric_and_its_columns_are_documented(metrics_page: str) -> None:
    for metric_id, spec in METRICS.items():
        row = next((line for line in metrics_page.splitlines() if line.startswith(f"| `{metric_id}` |")), None)
        assert row is not None, metric_id
        for column in (*spec.columns, *spec.groups):
            assert f"`{column}`" in row, (metric_id, column)


def test_every_definition_the_interface_shows_is_documented(metrics_page: str) -> None:
    for key, texts in CATALOGUE.items():
        if key.startswith("def."):
            assert f"| `{key}` | {texts['en']} |" in metrics_page, key


def test_every_import_column_is_documented(metrics_page: str) -> None:
    for kind, spec in FILE_KINDS.items():
        section = metrics_page.split(f"**`{kind}`**", 1)[1].split("**`", 1)[0]
        for column in spec.columns:
            assert f"| `{column.name}` | {'yes' if column.required else 'no'} |" in section, (kind, column.name)


def test_every_link_of_the_readme_and_docs_leads_to_a_file() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


def test_the_readme_stays_short() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 160


def test_no_tracked_file_speaks_of_stops_or_cites_a_missing_design_file() -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = listed.split()
    word = "st" + "op"  # spelled in two so that this file does not match itself
    pattern = re.compile(rf"\b{word} ?[0-9]+(?![0-9>])|-{word}[0-9]|DESIGN\.md", re.IGNORECASE)
    found = []
    for name in files:
        path = ROOT / name
        if pattern.search(name):
            found.append(name)
        elif path.is_file() and path.suffix in {".py", ".md", ".txt", ".toml", ".cfg", ".yaml", ".yml", ""}:
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
