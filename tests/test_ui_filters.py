"""Pieces of the filter sidebar that need no database: the scope in words, click-to-filter."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from data_access.filters import Filters, Month
from ui.filters import FilterState

FILTERS = Filters(period_from=Month(2025, 1), period_to=Month(2025, 12), as_of=dt.date(2026, 11, 24))


def test_words_of_chosen_communes() -> None:
    state = FilterState(FILTERS, commune_names=("Lộc Sơn", "Hòa Lộc"))
    assert state.words(lang="vi") == "Lộc Sơn, Hòa Lộc · 01/2025–12/2025 · số liệu đến 24/11/2026"


def test_words_of_a_commune_viewer_name_its_commune() -> None:
    state = FilterState(FILTERS, scope_names=("Lộc Sơn",))
    assert state.words(lang="en") == "Lộc Sơn · Jan 2025–Dec 2025 · as of 24 Nov 2026"
    assert state.file_scope() == "Lộc Sơn 2025-01 2025-12"


def test_words_of_a_scope_without_any_commune() -> None:
    assert FilterState(FILTERS, scope_names=()).words(lang="vi").startswith("không có xã nào trong phạm vi · ")


def test_words_of_more_than_three_communes() -> None:
    state = FilterState(FILTERS, commune_names=("A", "B", "C", "D", "E"))
    assert state.words(lang="en").startswith("A, B, C, +2 more · ")


def _clicked_app() -> None:
    import streamlit as st

    from ui.filters import COMMUNES_KEY, ORGANISATIONS_KEY, narrow_to_commune

    st.session_state[ORGANISATIONS_KEY] = ["Đảng bộ xã Đa Lộc"]
    st.session_state["ranking_chart"] = {"selection": {"points": [{"y": "Lộc Sơn", "x": 0.917}]}}
    narrow_to_commune("ranking")()
    st.write(f"{st.session_state[COMMUNES_KEY]} {st.session_state[ORGANISATIONS_KEY]}")


def test_clicking_a_commune_bar_narrows_the_filters_to_it() -> None:
    at = AppTest.from_function(_clicked_app).run()
    assert at.markdown[0].value == "['Lộc Sơn'] []"


def _province_clicked_app() -> None:
    import streamlit as st

    from ui.filters import COMMUNES_KEY, ORGANISATIONS_KEY, PROVINCES_KEY, narrow_to_province

    st.session_state[COMMUNES_KEY] = ["Lộc Sơn"]
    st.session_state[ORGANISATIONS_KEY] = ["Đảng bộ xã Lộc Sơn"]
    st.session_state["blank_chart"] = {"selection": {"points": [{"y": "(chưa ghi tỉnh)", "x": 0.5}]}}
    narrow_to_province("blank")()  # communes without a province: not a province, nothing changes
    st.write(f"{st.session_state.get(PROVINCES_KEY)} {st.session_state[COMMUNES_KEY]}")
    st.session_state["ranking_chart"] = {"selection": {"points": [{"y": "Nghệ An", "x": 0.971}]}}
    narrow_to_province("ranking")()
    st.write(
        f"{st.session_state[PROVINCES_KEY]} {st.session_state[COMMUNES_KEY]} {st.session_state[ORGANISATIONS_KEY]}"
    )


def test_clicking_a_province_bar_narrows_the_filters_to_its_communes() -> None:
    at = AppTest.from_function(_province_clicked_app).run()
    assert [m.value for m in at.markdown] == ["None ['Lộc Sơn']", "['Nghệ An'] [] []"]
