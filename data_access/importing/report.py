"""What an import found and did: problems (code + parameters, rendered in the reader's language) and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data_access.importing.messages import render

MAX_PROBLEMS = 10_000  # problems kept in a report; the rest are only counted
SEVERITIES = ("error", "warning", "notice")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about a file: where, which value, and a message code with parameters.

    `row` is the spreadsheet row (header = 1), None for the file as a whole. `column` is the contract's column
    name, `header` the header as written in the file. Only `error` blocks an import.
    """

    code: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str = "vi") -> str:
        return render(self.code, self.params, lang)


@dataclass
class ImportReport:
    """The outcome of validating (and perhaps importing) one file."""

    kind: str
    file_name: str
    sha256: str = ""
    format: str = ""
    sheet: str | None = None
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # header in the file → contract column
    problems: list[Problem] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    notices: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    dry_run: bool = True
    written: bool = False
    batch_id: int | None = None
    # contract column → [stored values changed, stored values erased by a blank cell], over the updated rows
    changes: dict[str, list[int]] = field(default_factory=dict)

    def count_change(self, column: str, *, cleared: bool) -> None:
        counts = self.changes.setdefault(column, [0, 0])
        counts[1 if cleared else 0] += 1

    def change_lines(self, lang: str = "vi") -> list[str]:
        """What the updates change, one line per column: "duration_min: 3 changed, 12 erased"."""
        lines = []
        for column, (changed, cleared) in sorted(self.changes.items()):
            parts = []
            if changed:
                parts.append(f"{changed} {'thay đổi' if lang == 'vi' else 'changed'}")
            if cleared:
                parts.append(f"{cleared} {'bị xoá' if lang == 'vi' else 'erased'}")
            lines.append(f"{column}: {', '.join(parts)}")
        return lines

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import (warnings and notices do not)."""
        return self.errors == 0

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            self.errors += 1
        elif problem.severity == "warning":
            self.warnings += 1
        else:
            self.notices += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    @property
    def truncated(self) -> bool:
        return self.errors + self.warnings + self.notices > len(self.problems)

    def summary(self, lang: str = "vi") -> str:
        """One line: what was found, and what was written."""
        if lang == "en":
            head = f"{self.file_name} ({self.kind}): {self.rows} rows, {self.errors} errors, {self.warnings} warnings"
            if self.written:
                return f"{head}; imported: {self.rows_new} new, {self.rows_updated} updated, {self.rows_unchanged} unchanged."
            if self.ok:
                return f"{head}; ready to import: {self.rows_new} new, {self.rows_updated} updated, {self.rows_unchanged} unchanged (nothing written)."
            return f"{head}; nothing was written."
        head = f"{self.file_name} ({self.kind}): {self.rows} dòng, {self.errors} lỗi, {self.warnings} cảnh báo"
        if self.written:
            return (
                f"{head}; đã nhập: {self.rows_new} mới, {self.rows_updated} cập nhật, {self.rows_unchanged} không đổi."
            )
        if self.ok:
            return f"{head}; sẵn sàng nhập: {self.rows_new} mới, {self.rows_updated} cập nhật, {self.rows_unchanged} không đổi (chưa ghi gì)."
        return f"{head}; không có gì được ghi."


REPORT_COLUMNS = {
    "en": ("file", "row", "column", "value", "severity", "problem"),
    "vi": ("tệp", "dòng", "cột", "giá trị", "mức độ", "vấn đề"),
}
_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "notice": "thông báo"}


def report_rows(report: ImportReport, lang: str = "vi") -> pd.DataFrame:
    """The problems as a table (file, row, column, value, severity, problem) in `lang`: for display and CSV."""
    columns = REPORT_COLUMNS["en" if lang == "en" else "vi"]
    records = [
        (
            report.file_name,
            p.row,
            p.header if p.header else (p.column or ""),
            p.value,
            p.severity if lang == "en" else _SEVERITY_VI.get(p.severity, p.severity),
            p.message(lang),
        )
        for p in report.problems
    ]
    frame = pd.DataFrame(records, columns=list(columns))
    frame[columns[1]] = frame[columns[1]].astype("Int64")
    return frame


def report_csv(report: ImportReport, lang: str = "vi") -> bytes:
    """The problems as CSV in UTF-8 with BOM (Excel shows Vietnamese correctly), formulas neutralised."""
    frame = report_rows(report, lang)
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].map(_neutralise)
    return frame.to_csv(index=False).encode("utf-8-sig")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
