"""Settings: one object, read from environment variables, then `.streamlit/secrets.toml`, then defaults.

With nothing configured the product runs on an embedded SQLite file under `data/` and fills it with the demo
district on first start (demo mode).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite3"
LANGUAGES = ("vi", "en")
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_REPORTING_DEADLINE_DAY = 5


class SettingsError(ValueError):
    """A setting has a value the product cannot use."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_mode: bool
    target_participation: float = 0.85
    language: str = "vi"
    statement_timeout_ms: int = 15_000
    session_hours: float = 8.0
    secret_key: str | None = None
    # The URL the dashboard reads its figures with (e.g. a read-only PostgreSQL role); None: database_url.
    database_read_url: str | None = None
    # The product's one clock: "today" and "now" in the interface are taken in this zone (DASHBOARD_TIMEZONE).
    timezone: str = DEFAULT_TIMEZONE

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _secrets_file() -> Path:
    return Path(os.environ.get("DASHBOARD_SECRETS", PROJECT_ROOT / ".streamlit" / "secrets.toml"))


def _read_secrets() -> dict[str, object]:
    path = _secrets_file()
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _reader(env: dict[str, str] | None) -> Callable[[str], str | None]:
    """A lookup of one setting: `env` (default: the process environment) first, then the secrets file."""
    env = dict(os.environ) if env is None else env
    secrets = _read_secrets()

    def get(name: str) -> str | None:
        if env.get(name):
            return env[name]
        value = secrets.get(name) or secrets.get(name.lower())
        return None if value is None else str(value)

    return get


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build the settings from `env` (default: the process environment) and the secrets file."""
    get = _reader(env)

    url = get("DATABASE_URL")
    demo_flag = get("DEMO_MODE")
    if url:
        demo_mode = (demo_flag or "").lower() in {"1", "true", "yes"}
    else:
        url = f"sqlite:///{DEFAULT_SQLITE_PATH}"
        demo_mode = (demo_flag or "1").lower() not in {"0", "false", "no"}

    target = float(get("TARGET_PARTICIPATION") or 0.85)
    if not 0 < target <= 1:
        raise SettingsError(f"TARGET_PARTICIPATION must be a fraction in (0, 1], got {target}")
    language = (get("DASHBOARD_LANGUAGE") or "vi").lower()
    if language not in LANGUAGES:
        raise SettingsError(f"DASHBOARD_LANGUAGE must be one of {', '.join(LANGUAGES)}, got {language!r}")
    timeout = int(get("STATEMENT_TIMEOUT_MS") or 15_000)
    hours = float(get("SESSION_HOURS") or 8)
    zone = get("DASHBOARD_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(
            f"DASHBOARD_TIMEZONE must be a time zone name such as {DEFAULT_TIMEZONE}, got {zone!r}"
        ) from exc
    return Settings(
        database_url=url,
        demo_mode=demo_mode,
        target_participation=target,
        language=language,
        statement_timeout_ms=timeout,
        session_hours=hours,
        secret_key=get("SECRET_KEY"),
        database_read_url=get("DATABASE_READ_URL"),
        timezone=zone,
    )


def reporting_deadline_day(env: dict[str, str] | None = None) -> int:
    """The day of the next month by which a month's data is due from a commune (REPORTING_DEADLINE_DAY, 1-28,
    default 5; see data_access.reporting), from `env` (default: the process environment) or the secrets file."""
    text = (_reader(env)("REPORTING_DEADLINE_DAY") or str(DEFAULT_REPORTING_DEADLINE_DAY)).strip()
    if not text.isdigit() or not 1 <= int(text) <= 28:
        raise SettingsError(f"REPORTING_DEADLINE_DAY must be a day of the month from 1 to 28, got {text!r}")
    return int(text)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call `get_settings.cache_clear()`)."""
    return load_settings()


def local_now(settings: Settings | None = None) -> dt.datetime:
    """Now on the product's clock (Vietnam time unless DASHBOARD_TIMEZONE says otherwise), time-zone aware."""
    zone = (settings or get_settings()).timezone
    return dt.datetime.now(zoneinfo.ZoneInfo(zone))


def local_today(settings: Settings | None = None) -> dt.date:
    """Today on the product's clock: the date a person in the district reads on their wall calendar, whatever
    time zone the server runs in (a UTC server is still on yesterday until 07:00 in Vietnam)."""
    return local_now(settings).date()
