"""Numbers, percentages, dates and months in the reader's language (babel, CLDR data).

Vietnamese: `9.000`, `85,3 %`, `24/11/2026`, `11/2026`. English: `9,000`, `85.3%`, `24 Nov 2026`, `Nov 2026`.
Every function takes `lang` (default: the current language) and returns "–" for a missing value (None / NaN),
which is what a rate with a zero denominator is.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import cast

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from data_access.filters import Month
from data_access.settings import local_now
from ui.i18n import current_language, t

MISSING = "–"
NBSP = "\u00a0"
_PERCENT_PATTERN = {"vi": "#,##0.{d} %", "en": "#,##0.{d}%"}
_DATE_PATTERN = {"vi": "dd/MM/y", "en": "d MMM y"}
_MONTH_PATTERN = {"vi": "MM/y", "en": "MMM y"}
# A table of a province formats tens of thousands of values per run; babel parses its pattern and looks the locale up
# on every call. The same value in the same pattern is always the same text, so the texts are kept (bounded).
_CACHED_TEXTS = 1 << 16


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _decimal_text(value: float, pattern: str, lang: str) -> str:
    return format_decimal(value, format=pattern, locale=lang)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _percent_text(value: float, pattern: str, lang: str) -> str:
    return format_percent(value, format=pattern, locale=lang).replace(" ", NBSP)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _date_text(value: dt.date, pattern: str, lang: str) -> str:
    return format_date(value, format=pattern, locale=lang)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, *, decimals: int = 0, lang: str | None = None) -> str:
    """`9000` → vi `9.000`, en `9,000`; `decimals` fixes the digits after the separator."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _decimal_text(cast(float, value), pattern, lang or current_language())


def percent(value: float | None, *, decimals: int = 1, lang: str | None = None) -> str:
    """A fraction as a percentage: `0.853` → vi `85,3 %` (non-breaking space), en `85.3%`."""
    if _missing(value):
        return MISSING
    lang = lang or current_language()
    digits = "0" * decimals
    pattern = _PERCENT_PATTERN[lang].replace(".{d}", "." + digits if decimals else "")
    return _percent_text(cast(float, value), pattern, lang)


def points(value: float | None, *, decimals: int = 1, lang: str | None = None) -> str:
    """A change of a rate in percentage points, signed: `0.021` → vi `+2,1 điểm %`, en `+2.1 pts`; a change that
    rounds to nothing has no sign (`0,0 điểm %`, never `-0,0`)."""
    if _missing(value):
        return MISSING
    lang = lang or current_language()
    points_ = round(abs(value) * 100, decimals)  # type: ignore[arg-type]
    sign = "" if points_ == 0 else "+" if value >= 0 else "-"  # type: ignore[operator]  # ASCII: st.metric reads it
    return sign + t("format.points", lang=lang, value=number(points_, decimals=decimals, lang=lang))


def signed_number(value: float | None, *, lang: str | None = None) -> str:
    """A change of a count, signed: `+12`, `-3`; no change is `0`."""
    if _missing(value):
        return MISSING
    count = round(abs(value))  # type: ignore[arg-type]
    sign = "" if count == 0 else "+" if value >= 0 else "-"  # type: ignore[operator]  # ASCII: st.metric reads it
    return sign + number(count, lang=lang)


def date(value: dt.date | None, *, lang: str | None = None) -> str:
    """vi `24/11/2026`, en `24 Nov 2026`."""
    if value is None:
        return MISSING
    lang = lang or current_language()
    return _date_text(value, _DATE_PATTERN[lang], lang)


VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # the default clock; no daylight saving in Việt Nam


def moment(value: dt.datetime | None, *, lang: str | None = None) -> str:
    """A stored UTC time (naive on SQLite) on the product's clock (Vietnam time unless configured, see
    `data_access.settings.local_now`): vi `24/11/2026 19:38`, en `24 Nov 2026 19:38`."""
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    local = aware.astimezone(local_now().tzinfo)
    return f"{date(local.date(), lang=lang)} {local:%H:%M}"


def month(value: Month | str, *, lang: str | None = None) -> str:
    """A month (`Month` or `YYYY-MM`): vi `03/2025`, en `Mar 2025`."""
    m = Month.parse(value) if isinstance(value, str) else value
    lang = lang or current_language()
    return _date_text(m.first_day, _MONTH_PATTERN[lang], lang)


def quarter(value: str, *, lang: str | None = None) -> str:
    """A quarter `2025-Q1`: vi `Quý 1/2025`, en `Q1 2025`."""
    year, number = str(value).split("-Q")
    return t("views.quarter", lang=lang, q=number, year=year)


def month_range(start: Month, end: Month, *, lang: str | None = None) -> str:
    """`01/2025–12/2025`; a single month once."""
    if start == end:
        return month(start, lang=lang)
    return f"{month(start, lang=lang)}–{month(end, lang=lang)}"


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's `layout.separators`: decimal then thousands character (`",."` for Vietnamese)."""
    return ",." if (lang or current_language()) == "vi" else ".,"
