"""What a view asks for (Filters) and what a viewer may see (Scope): values, never SQL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

GROUPINGS = ("today", "recorded")
"""How records are grouped by commune across a merger (`data_access.lineage`): under the commune each belongs to
now, or under the commune of the time."""
GROUPS = ("province", "commune", "organisation", "cell", "month", "quarter", "year")
Group = Literal["province", "commune", "organisation", "cell", "month", "quarter", "year", "topic"]
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "province": ("province",),
    "commune": ("commune",),
    "organisation": ("commune", "organisation"),
    "cell": ("commune", "organisation", "cell"),
    "month": ("month",),
    "quarter": ("quarter",),
    "year": ("year",),
    "topic": ("topic",),
}

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; `index` = year * 12 + month - 1 is what SQL compares."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2200:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_RE.match(text.strip())
        if not match:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return (self + 1).first_day - dt.timedelta(days=1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_index(self.index - months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_label(index: int) -> str:
    return str(Month.from_index(index))


def quarter_label(quarter_index: int) -> str:
    """`quarter_index` = year * 4 + quarter - 1."""
    return f"{quarter_index // 4:04d}-Q{quarter_index % 4 + 1}"


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: `communes=None` is every commune; otherwise only these commune ids."""

    communes: frozenset[int] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def only(cls, *commune_ids: int) -> Scope:
        return cls(frozenset(commune_ids))

    def allows(self, commune_id: int) -> bool:
        return self.communes is None or commune_id in self.communes


EVERYTHING = Scope()
"""The scope of a viewer who may see every commune: given explicitly, never a default (`scope` is required)."""


def last_complete_month(as_of: dt.date) -> Month:
    return Month.of(as_of) - 1


@dataclass(frozen=True)
class Filters:
    """The selection every metric is computed for. Empty tuples mean "all"."""

    period_from: Month
    period_to: Month
    as_of: dt.date = field(default_factory=dt.date.today)
    communes: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()
    organisation_kind: str | None = None
    grouping: str = "recorded"
    """`recorded` (the communes of the time) or `today` (each record under its commune's current successor)."""

    def __post_init__(self) -> None:
        if self.period_to < self.period_from:
            raise ValueError(f"the period ends ({self.period_to}) before it starts ({self.period_from})")
        if self.grouping not in GROUPINGS:
            raise ValueError(f"not a grouping: {self.grouping!r} (one of {', '.join(GROUPINGS)})")

    @classmethod
    def last_months(cls, months: int = 12, *, as_of: dt.date | None = None, **kwargs: object) -> Filters:
        """The `months` whole months up to and including the current month of `as_of`."""
        as_of = as_of or dt.date.today()
        end = Month.of(as_of)
        return cls(period_from=end - (months - 1), period_to=end, as_of=as_of, **kwargs)  # type: ignore[arg-type]

    @property
    def months(self) -> int:
        return self.period_to.index - self.period_from.index + 1

    def previous_period(self) -> Filters:
        """The period of the same length just before this one, judged as of the end of that period."""
        end = self.period_from - 1
        start = end - (self.months - 1)
        as_of = min(self.as_of, (end + 1).first_day)
        return replace(self, period_from=start, period_to=end, as_of=as_of)
