"""Pages that answer at a glance and never contradict themselves (small district, as of 2025-04-04)."""

from __future__ import annotations

import pytest

from tests.test_pages_frame import run_page
from ui.i18n import t

pytestmark = pytest.mark.usefixtures("app_db")


def test_the_two_overdue_counts_have_two_names_and_say_how_they_differ() -> None:
    # The Overview counts every follow-up overdue on the as-of date (I1 and I4: 2); the Inspections table counts the
    # overdue ones among the period's inspections. One name for both read as a contradiction (13 against 2).
    overview = {m.label: m.value for m in run_page("overview").metric}
    assert overview["Khắc phục đang quá hạn"] == "2"
    inspections = run_page("inspections")
    by_commune = next(df.value for df in inspections.dataframe if "Quá hạn, trong kỳ" in df.value.columns)
    assert "Khắc phục quá hạn" not in by_commune.columns
    captions = [c.value for c in inspections.caption]
    assert any(c.startswith("Cột “Quá hạn, trong kỳ”") and "Khắc phục đang quá hạn" in c for c in captions)


def test_a_definition_is_written_once_per_page_and_a_help_icon_elsewhere() -> None:
    at = run_page("participation")
    text = t("def.participation_rate", target="85\u00a0%")
    written = [c.value for c in at.caption if text in c.value]
    assert len(written) == 1  # three blocks share it: the trend, the communes, the cells below target
    helped = [h for h in at.subheader if h.proto.help == text]
    assert len(helped) == 2


def test_the_overview_leads_with_the_four_rates_and_drops_zero_chips_on_unit_counts() -> None:
    at = run_page("overview")
    labels = [m.label for m in at.metric]
    assert labels[:4] == [
        "Sinh hoạt đều đặn",
        "Sinh hoạt đúng ngày",
        "Tỷ lệ đảng viên tham gia sinh hoạt",
        "Sinh hoạt chuyên đề theo quý",
    ]
    deltas = {m.label: m.proto.delta for m in at.metric}
    # 2 organisations and 3 cells at both dates: no grey "0"; 52 members against 60 a period before keeps its -8
    assert (deltas["Tổ chức cơ sở đảng"], deltas["Chi bộ"], deltas["Đảng viên"]) == ("", "", "-8")
