"""Checking rows: turning raw cells into typed values and applying every rule of the data contract.

A `Checker` per file kind receives one row at a time (as {column: raw value}) and returns the record to write,
or None when the row has an error; problems go straight into the report. Units already in the database are
preloaded once into `Units` (name → id maps), so a 100,000-row file costs no query per row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from data_access.importing.reading import display
from data_access.importing.report import ImportReport, Problem
from data_access.importing.tables import cell_t, commune_t, organisation_t, topic_t
from data_access.importing.vocab import (
    NO,
    YES,
    Column,
    FileKind,
    clean_name,
    fold,
    name_key,
    value_lookup,
)

EARLIEST = dt.date(1930, 1, 1)  # the Party's founding: anything earlier is a typing error
MAX_COUNT = 1_000_000
MAX_MEETING_DAY = 28
MAX_DURATION_MIN = 24 * 60
MAX_TEXT = 10_000

_INT = re.compile(r"^[+-]?\d+$")
_INT_WITH_ZERO_DECIMALS = re.compile(r"^([+-]?\d+)[.,]0{1,2}$")  # 30,0 and 30.00; never 1.000 (one thousand)
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")  # Vietnamese thousands: 1.000, 12.345.678
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")  # 1,000: one thousand in English, one in Vietnamese
_VI_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})*,\d+$")  # 1.234,5
_EN_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})*\.\d+$")  # 1,234.5
_DECIMAL = re.compile(r"^[+-]?\d*[.,]\d+$")
_MARKUP = re.compile(r"\[[^\]]*\]\(|!\[|<\s*/?\s*[A-Za-z!][^>]*>|\*\*|__|`|\]\s*\(|https?://|javascript:", re.I)
_FORMULA_START = ("=", "+", "-", "@")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NEUTRALISED = {"'=", "'+", "'-", "'@"}


@dataclass(frozen=True)
class Consent:
    """What the importer accepted before seeing the report (CLI flags, the Import page's boxes): blank cells that
    erase stored values, new names close to existing ones, organisations moved to another commune."""

    allow_clearing: bool = False
    confirm_new: bool = False
    allow_moves: bool = False


@dataclass(frozen=True)
class OrgRow:
    id: int
    name: str
    commune_id: int
    kind: str
    sector: str
    active_from: dt.date
    active_to: dt.date | None


@dataclass(frozen=True)
class CellRow:
    id: int
    organisation_id: int
    name: str
    kind: str
    meeting_day: int
    members: int
    active_from: dt.date
    active_to: dt.date | None


@dataclass
class Units:
    """The units and topics already in the database, keyed by `name_key`."""

    communes: dict[str, tuple[int, str]] = field(default_factory=dict)
    commune_codes: set[str] = field(default_factory=set)
    organisations: dict[str, OrgRow] = field(default_factory=dict)
    cells: dict[tuple[int, str], CellRow] = field(default_factory=dict)
    cells_of: dict[int, list[str]] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    _suggestions: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection) -> Units:
        units = cls()
        for row in conn.execute(select(commune_t.c.id, commune_t.c.name, commune_t.c.code)):
            units.communes.setdefault(name_key(row.name), (row.id, row.name))
            units.commune_codes.add(row.code)
        o = organisation_t.c
        for org_row in conn.execute(select(o.id, o.name, o.commune_id, o.kind, o.sector, o.active_from, o.active_to)):
            units.organisations.setdefault(name_key(org_row.name), OrgRow(*org_row))
        c = cell_t.c
        query = select(c.id, c.organisation_id, c.name, c.kind, c.meeting_day, c.members, c.active_from, c.active_to)
        for cell_row in conn.execute(query):
            cell = CellRow(*cell_row)
            units.cells.setdefault((cell.organisation_id, name_key(cell.name)), cell)
            units.cells_of.setdefault(cell.organisation_id, []).append(cell.name)
        t = topic_t.c
        for row in conn.execute(select(t.id, t.name_vi, t.name_en)):
            units.topics.setdefault(name_key(row.name_vi), row.id)
            if row.name_en:
                units.topics.setdefault(name_key(row.name_en), row.id)
        return units

    def closest(self, scope: str, name: str, candidates: Callable[[], list[str]]) -> str | None:
        """The existing name closest to `name` (difflib), remembered per scope so bad files stay fast."""
        memo_key = (scope, name_key(name))
        if memo_key not in self._suggestions:
            names = candidates()
            by_key = {name_key(n): n for n in names}
            found = difflib.get_close_matches(name_key(name), list(by_key), n=1, cutoff=0.6)
            self._suggestions[memo_key] = by_key[found[0]] if found else None
        return self._suggestions[memo_key]


_DIGITS = re.compile(r"\d+")


def within_one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with at most one letter inserted, deleted or replaced."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def close_name(name: str, candidates: list[str]) -> str | None:
    """An existing name that `name` is probably a misspelling of: the same but for accents, case or punctuation, or
    one letter away; never one with other numbers (Chi bộ thôn 3 is not a misspelling of Chi bộ thôn 1)."""
    key, digits = fold(name), _DIGITS.findall(name)
    best: str | None = None
    for candidate in candidates:
        if name_key(candidate) == name_key(name) or _DIGITS.findall(candidate) != digits:
            continue
        other = fold(candidate)
        if other == key:
            return candidate
        if best is None and within_one_edit(key, other):
            best = candidate
    return best


@lru_cache(maxsize=8192)
def _date_from_text(text: str) -> dt.date | str:
    """The date written as YYYY-MM-DD or DD/MM/YYYY, or the message code saying why it is not one."""
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return "bad_date"
    try:
        return dt.date(year, month, day)
    except ValueError:
        return "impossible_date"


@lru_cache(maxsize=65_536)
def _has_markup(name: str) -> bool:
    """Names repeat on every row of a file: each is searched once."""
    return _MARKUP.search(name) is not None


_LINE_SPACES = re.compile(r"[^\S\n]+")


def clean_text(text: str) -> str:
    """Long text as stored: NFC, line breaks kept (CR LF made LF), spaces within a line collapsed, blank lines at
    either end dropped."""
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in lines).strip("\n ")


def clean_cell(value: Any) -> Any:
    """A cell trimmed, None when blank: done once per cell before the checks."""
    if value.__class__ is str:
        return value.strip() or None
    return value


class Row:
    """One data row being checked: typed accessors that report what is wrong with each cell."""

    def __init__(self, checker: Checker, number: int, values: dict[str, Any]) -> None:
        self.checker = checker
        self.number = number
        self.values = values
        self.failed = False

    def problem(self, column: str | None, code: str, severity: str = "error", **params: Any) -> None:
        if severity == "error":
            self.failed = True
        value = display(self.values.get(column)) if column else ""
        header = self.checker.headers.get(column) if column else None
        self.checker.report.add(Problem(code, self.number, column, header, value, params, severity))

    def raw(self, column: str) -> Any:
        """The cell as read, trimmed; None when blank (the caller passes values through `clean_cell`)."""
        return self.values.get(column)

    def _missing(self, column: Column) -> bool:
        if self.raw(column.name) is None:
            if column.required:
                self.problem(column.name, "required")
            return True
        return False

    def text(self, name: str) -> str | None:
        column = self.checker.columns[name]
        if self._missing(column):
            return None
        shown = display(self.raw(name))
        value = clean_text(shown) if column.multiline else clean_name(shown)
        neutralised = value[:2] in _NEUTRALISED
        if neutralised:  # our own exports put ' before a leading = + - @ (CSV injection guard)
            value = value[1:]
        limit = column.max_length or MAX_TEXT
        if len(value) > limit:
            self.problem(name, "too_long", maximum=limit)
            return None
        if column.type == "name" or name in ("topic", "body"):
            self._looks_like_code(name, value, neutralised)
        return value

    def _looks_like_code(self, name: str, value: str, neutralised: bool) -> None:
        """Warn about a name that a browser or a spreadsheet would not show as written (issue: names are data)."""
        if value.startswith(_FORMULA_START) and not neutralised:
            self.problem(name, "looks_like_formula", severity="warning", first=value[0])
        elif _has_markup(value):
            self.problem(name, "looks_like_markup", severity="warning")

    def integer(self, name: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int | None:
        column = self.checker.columns[name]
        if self._missing(column):
            return None
        raw = self.raw(name)
        number: int | None = None
        if isinstance(raw, bool):
            number = None
        elif isinstance(raw, int):
            number = raw
        elif isinstance(raw, float):
            if raw != raw or raw in (float("inf"), float("-inf")):
                number = None
            elif not raw.is_integer():
                self.problem(name, "not_integer")
                return None
            else:
                number = int(raw)
        elif isinstance(raw, str) and raw.isdigit() and raw.isascii():
            number = int(raw)
        else:
            text = str(raw).strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            if _INT.match(text):
                number = int(text)
            elif _THOUSANDS_DOT.match(text):
                number = int(text.replace(".", ""))
            elif match := _INT_WITH_ZERO_DECIMALS.match(text):
                number = int(match.group(1))
            elif _THOUSANDS_COMMA.match(text):
                one = text.replace(",", ".").rstrip("0").rstrip(".")
                self.problem(name, "ambiguous_number", one=one, thousand=text.replace(",", ""))
                return None
            elif _VI_DECIMAL.match(text):
                self.problem(name, "decimal_number", number=text)
                return None
            elif _EN_DECIMAL.match(text) or _DECIMAL.match(text):
                self.problem(name, "not_integer")
                return None
        if number is None:
            self.problem(name, "not_a_number")
            return None
        if number < 0 and minimum >= 0:
            self.problem(name, "negative")
            return None
        if not minimum <= number <= maximum:
            self.problem(name, "out_of_range", minimum=minimum, maximum=maximum)
            return None
        return number

    def date(self, name: str, *, future_ok: bool = False) -> dt.date | None:
        column = self.checker.columns[name]
        if self._missing(column):
            return None
        raw = self.raw(name)
        day: dt.date | None
        if isinstance(raw, dt.datetime):
            day = raw.date()
        elif isinstance(raw, dt.date):
            day = raw
        elif isinstance(raw, int | float) and not isinstance(raw, bool) and 10_000 <= raw <= 80_000:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(raw))  # an Excel serial day that lost its date format
        else:
            day = self._parse_date(name, str(raw).strip())
            if day is None:
                return None
        if day < EARLIEST:
            self.problem(name, "date_too_early", minimum=EARLIEST.isoformat())
            return None
        today = self.checker.today
        if not future_ok and day > today:
            self.problem(name, "future_date", today=today.isoformat())
            return None
        return day

    def _parse_date(self, name: str, text: str) -> dt.date | None:
        parsed = _date_from_text(text)
        if isinstance(parsed, str):
            self.problem(name, parsed)
            return None
        return parsed

    def choice(self, name: str) -> str | None:
        column = self.checker.columns[name]
        if self._missing(column):
            return None
        code = self.checker.lookups[name].get(fold(display(self.raw(name))))
        if code is None:
            self.problem(name, "not_in_list", choices=", ".join(column.choices))
        return code

    def boolean(self, name: str) -> bool | None:
        column = self.checker.columns[name]
        if self._missing(column):
            return None
        raw = self.raw(name)
        if isinstance(raw, bool):
            return raw
        folded = fold(display(raw))
        if folded in YES:
            return True
        if folded in NO:
            return False
        self.problem(name, "not_yes_no")
        return None

    def year(self, name: str) -> int | None:
        year = self.integer(name, minimum=1990, maximum=2100)
        if year is not None and year > self.checker.today.year:
            self.problem(name, "future_year", year=self.checker.today.year)
            return None
        return year


class Checker:
    """Checks the rows of one file kind; subclasses say what a row means."""

    kind: FileKind

    def __init__(
        self,
        *,
        units: Units,
        report: ImportReport,
        headers: dict[str, str],
        today: dt.date,
        consent: Consent | None = None,
    ) -> None:
        self.consent = consent or Consent()
        self.units = units
        self.report = report
        self.headers = headers  # contract column → header as written
        self.today = today
        self.columns = {c.name: c for c in self.kind.columns}
        self.lookups = {c.name: value_lookup(c.choices) for c in self.kind.columns if c.type == "choice"}
        self.first_row: dict[tuple[Any, ...], int] = {}

    def check(self, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
        row = Row(self, number, values)
        record = self.check_row(row)
        if row.failed or record is None:
            return None
        record["_row"] = number  # the writers name the row of what they report
        return record

    def check_row(self, row: Row) -> dict[str, Any] | None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last row: checks that need the whole file."""

    def once(self, row: Row, key: tuple[Any, ...], column: str) -> None:
        """Report a second row with the same natural key."""
        first = self.first_row.setdefault(key, row.number)
        if first != row.number:
            row.problem(column, "duplicate_key", first_row=first, key=" + ".join(self.kind.key))

    # Units named in meetings, inspections and ratings must exist.
    def organisation(self, row: Row) -> OrgRow | None:
        name = row.text("organisation")
        if name is None:
            return None
        org = self.units.organisations.get(name_key(name))
        if org is None:
            suggestion = self.units.closest("org", name, lambda: [o.name for o in self.units.organisations.values()])
            row.problem("organisation", "unknown_organisation", suggestion=suggestion)
        return org

    def cell(self, row: Row, org: OrgRow | None) -> CellRow | None:
        name = row.text("cell")
        if name is None or org is None:
            return None
        cell = self.units.cells.get((org.id, name_key(name)))
        if cell is None:
            suggestion = self.units.closest(f"cell:{org.id}", name, lambda: self.units.cells_of.get(org.id, []))
            row.problem("cell", "unknown_cell", organisation=org.name, suggestion=suggestion)
        return cell

    def dates_in_order(self, row: Row, earlier: str, later: str, values: dict[str, Any]) -> None:
        first, second = values.get(earlier), values.get(later)
        if first is not None and second is not None and second < first:
            row.problem(later, "dates_order", other=earlier, other_value=first.isoformat())
