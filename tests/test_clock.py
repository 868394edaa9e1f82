"""One clock for the product: "today" is taken on Vietnam time unless DASHBOARD_TIMEZONE says otherwise.

The as-of date ("Số liệu đến") used the server's date: on a UTC server, 03/12 until 07:00 on 04/12 in Vietnam,
while Import and Accounts showed Vietnam time. Two zones 26 hours apart always differ in their date, so one of them
would fail against the server's own date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from data_access.settings import SettingsError, get_settings, load_settings, local_today
from ui import format as fmt
from ui.filters import default_state


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_default_as_of_date_is_today_on_the_configured_clock(zone: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_TIMEZONE", zone)
    get_settings.cache_clear()
    wanted = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
    assert local_today() == wanted
    assert default_state().filters.as_of == wanted


def test_vietnam_time_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_TIMEZONE", raising=False)
    get_settings.cache_clear()
    assert get_settings().timezone == "Asia/Ho_Chi_Minh"
    assert local_today() == dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()


def test_stored_times_are_shown_on_the_same_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_TIMEZONE", "Etc/GMT+12")
    get_settings.cache_clear()
    assert fmt.moment(dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC), lang="vi") == "03/12/2026 15:00"


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(SettingsError, match="DASHBOARD_TIMEZONE"):
        load_settings({"DASHBOARD_TIMEZONE": "Mars/Olympus"})
