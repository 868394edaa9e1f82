"""The parts of docs/ that are generated from the code, and the check that they are current (like `cog`).

- docs/cli.md: the `--help` of `python -m data_access` and of every command, as argparse prints it at 100 columns.
- docs/metrics.md, between `<!-- generated: NAME -->` and `<!-- end: NAME -->`: the metric tables' columns and
  groupings (`data_access.metrics.METRICS`), the import files' columns (`data_access.importing.vocab.FILE_KINDS`)
  and the definitions the interface shows next to each chart (`def.*` in `ui.i18n.CATALOGUE`).

`python -m tests.docs_generated --write` (or `make docs`) rewrites them; tests/test_docs.py fails while they differ.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI_MD = ROOT / "docs" / "cli.md"
METRICS_MD = ROOT / "docs" / "metrics.md"
HELP_COLUMNS = "100"

CLI_HEAD = """# Command line

`python -m data_access COMMAND` works without the dashboard's server, for administrators, scripts and scheduled
jobs. Errors a user can fix are one line on stderr with exit code 2; a database that cannot be reached or read
gives exit code 3. The metric tables `export` prints, and the files `import` reads and `export-data` writes, are
described in [metrics.md](metrics.md).

This page is generated from the commands' `--help` (`make docs`; `tests/test_docs.py` fails when it is stale).
"""


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every command and sub-command under `parser`, once each (aliases skipped), in --help order."""
    for action in parser._actions:  # argparse keeps no public list of sub-parsers
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:
                    continue
                seen.add(id(sub))
                yield name, sub
                yield from ((f"{name} {child}", grand) for child, grand in _subcommands(sub))


def cli_markdown() -> str:
    from data_access.cli import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS  # argparse wraps at the terminal's width
    try:
        parser = build_parser()
        parts = [CLI_HEAD, "```text", parser.format_help().rstrip(), "```", ""]
        for name, sub in _subcommands(parser):
            parts += [f"## {name}", "", "```text", sub.format_help().rstrip(), "```", ""]
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(parts)


def _code(values: object) -> str:
    return ", ".join(f"`{v}`" for v in values)  # type: ignore[attr-defined]


def metric_tables() -> str:
    from data_access.filters import GROUP_COLUMNS
    from data_access.metrics import METRICS

    lines = [
        "| metric | columns after the group columns | rate columns | groupings (`--by`) |",
        "| --- | --- | --- | --- |",
    ]
    for metric_id, spec in METRICS.items():
        lines.append(
            f"| `{metric_id}` | {_code(spec.columns)} | {_code(spec.rate_columns) or '—'} | {_code(spec.groups)} |"
        )
    lines += ["", "| grouping | group columns, first in each row |", "| --- | --- |"]
    lines += [f"| `{by}` | {_code(columns)} |" for by, columns in GROUP_COLUMNS.items()]
    return "\n".join(lines)


def import_columns() -> str:
    from data_access.importing.vocab import FILE_KINDS

    parts: list[str] = []
    for kind, spec in FILE_KINDS.items():
        parts += [
            f"**`{kind}`**",
            "",
            "| column | required | values | Vietnamese headers accepted |",
            "| --- | --- | --- | --- |",
        ]
        for column in spec.columns:
            values = _code(column.choices) if column.choices else column.type
            aliases = "; ".join(dict.fromkeys([column.vi, *column.aliases]))
            parts.append(f"| `{column.name}` | {'yes' if column.required else 'no'} | {values} | {aliases} |")
        parts.append("")
    return "\n".join(parts).rstrip()


def definitions() -> str:
    from ui.i18n import CATALOGUE

    lines = ["| key | English | Tiếng Việt |", "| --- | --- | --- |"]
    for key, texts in CATALOGUE.items():
        if key.startswith("def."):
            lines.append(f"| `{key}` | {texts['en']} | {texts['vi']} |".replace("\n", " "))
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[], str]] = {
    "metric-tables": metric_tables,
    "import-columns": import_columns,
    "definitions": definitions,
}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated: {name} -->\n)(.*?)(<!-- end: {name} -->)", re.DOTALL)


def metrics_markdown(current: str) -> str:
    """`current` (docs/metrics.md) with each generated block made anew."""
    for name, render in SECTIONS.items():
        pattern = _block(name)
        if not pattern.search(current):
            raise ValueError(f"docs/metrics.md has no block '{name}'")
        text = render()
        current = pattern.sub(lambda m, text=text: f"{m.group(1)}{text}\n{m.group(3)}", current)
    return current


def stale() -> list[str]:
    """The generated files that differ from what the code gives now."""
    out = []
    if not CLI_MD.exists() or CLI_MD.read_text(encoding="utf-8") != cli_markdown():
        out.append(str(CLI_MD.relative_to(ROOT)))
    text = METRICS_MD.read_text(encoding="utf-8")
    if metrics_markdown(text) != text:
        out.append(str(METRICS_MD.relative_to(ROOT)))
    return out


def write() -> None:
    CLI_MD.write_text(cli_markdown(), encoding="utf-8")
    METRICS_MD.write_text(metrics_markdown(METRICS_MD.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    else:
        names = stale()
        print("stale: " + ", ".join(names) if names else "docs are current")
        sys.exit(1 if names else 0)
