"""`ui.places.drawn`: a chart of many places draws the lowest of them, all on a switch; a few are drawn whole."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest


def _app(rows: int) -> None:
    import pandas as pd
    import streamlit as st

    from ui import places

    # commune k has the rate k/100: the lowest are X000, X001 ...; one without a rate goes last
    table = pd.DataFrame(
        {"commune": [f"X{k:03d}" for k in range(rows)], "rate": [None if k == 0 else k / 100 for k in range(rows)]}
    ).iloc[::-1]
    drawn = places.drawn(table, key="test_chart", level="commune", worst_first=[("rate", True)])
    st.write(",".join(drawn["commune"]))


def _run(rows: int) -> AppTest:
    at = AppTest.from_function(_app, args=(rows,), default_timeout=30).run()
    assert not at.exception, at.exception
    return at


def test_a_few_places_are_all_drawn_with_no_switch() -> None:
    at = _run(40)
    assert len(at.toggle) == 0
    assert len(at.markdown[0].value.split(",")) == 40


def test_many_places_draw_the_lowest_forty_then_all_on_the_switch() -> None:
    at = _run(45)
    switch = at.toggle(key="test_chart_all")
    assert switch.value is False
    assert switch.label == "Vẽ đủ 45 xã (đang vẽ 40 xã thấp nhất)"
    drawn = at.markdown[0].value.split(",")
    # X001..X040 by rate (0.01..0.40); X000 has no rate, so it goes after them and is left out, as X041..X044
    assert sorted(drawn) == [f"X{k:03d}" for k in range(1, 41)]
    assert drawn[:2] == ["X001", "X002"]
    switch.set_value(True).run()
    assert len(at.markdown[0].value.split(",")) == 45


@pytest.mark.usefixtures("app_db")
def test_the_inspections_chart_draws_the_communes_with_most_to_follow_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # the small district's base period (2025-01..04), worked by hand: Lộc Sơn has I1 (correction required, its
    # follow-up overdue), I2 (correction required, resolved) and I5 (satisfactory); Đa Lộc has I3 (commended) only,
    # its overdue I4 being before the period. With one place drawn, Lộc Sơn is the one: 1 overdue against 0.
    from tests.test_pages_frame import run_page
    from ui import places

    monkeypatch.setattr(places, "MAX_DRAWN_PLACES", 1)
    at = run_page("inspections")
    switch = at.toggle(key="inspections_communes_all")
    assert switch.label == "Vẽ đủ 2 xã (đang vẽ 1 xã quá hạn nhiều nhất)"
    by_commune = json.loads(at.get("plotly_chart")[1].proto.spec)["data"]
    assert {tuple(trace["y"]) for trace in by_commune} == {("Lộc Sơn",)}
    switch.set_value(True).run()
    by_commune = json.loads(at.get("plotly_chart")[1].proto.spec)["data"]
    assert {tuple(trace["y"]) for trace in by_commune} == {("Đa Lộc", "Lộc Sơn")}  # all, in the table's order
    # in English too, short enough to read whole at a phone's width (390 px, checked on a screenshot)
    at.session_state["lang"] = "en"
    at.run()
    assert at.toggle(key="inspections_communes_all").label == "Draw all 2 communes (1 most overdue now)"
