"""Link parameters: parsed in one place (`ui.links.read_link`), never a traceback, whatever a link holds.

The malformed links of the attack pass (issue "Hostile and careless input", item 1) each raised in the page; a
hypothesis fuzz test drives every page with random link parameters and finds no exception.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from data_access.filters import EVERYTHING, Month
from ui.filters import SCOPE_KEY
from ui.links import PARAMS, UNIT_PARAMS, read_link, read_units

TODAY = dt.date(2026, 12, 4)
FIRST = dt.date(2025, 1, 1)


def _months(as_of: dt.date) -> set[str]:
    end = Month.of(as_of)
    return {str(end - k) for k in range(120)}


def _read(**query: list[str]):  # type: ignore[no-untyped-def]
    return read_link(
        query,
        languages=("vi", "en"),
        province_names=(),
        commune_names=("Lộc Sơn", "Đa Lộc"),
        organisation_names=lambda chosen: ["Chi bộ Trường THCS Đa Lộc"] if chosen == ["Đa Lộc"] else [],
        kinds=("party_committee", "party_cell"),
        presets=("last12", "custom"),
        as_of_range=(FIRST, TODAY),
        months_for=_months,
        last12=lambda as_of: (str(Month.of(as_of) - 11), str(Month.of(as_of))),
    )


def test_a_custom_period_without_months_takes_the_last_twelve() -> None:
    reading = _read(period=["custom"])
    assert reading.values == {"period": "custom", "from": "2026-01", "to": "2026-12"}
    assert reading.dropped == []


def test_a_custom_period_with_one_bound_keeps_it_and_fills_the_other() -> None:
    assert _read(period=["custom"], **{"from": ["2026-01"]}).values["to"] == "2026-12"
    reading = _read(**{"from": ["abcd"], "to": ["2026-05"]})
    assert reading.values == {"period": "custom", "from": "2026-01", "to": "2026-05"}
    assert reading.dropped == [("from", "abcd")]


@pytest.mark.parametrize(
    ("asked", "used"),
    [("9999-12-31", TODAY), ("2030-01-01", TODAY), ("1900-01-01", FIRST), ("0001-01-01", FIRST)],
)
def test_an_as_of_date_outside_the_data_is_moved_into_it(asked: str, used: dt.date) -> None:
    reading = _read(as_of=[asked])
    assert reading.values["as_of"] == used
    assert reading.as_of_asked == dt.date.fromisoformat(asked)


def test_an_as_of_date_inside_the_data_is_kept() -> None:
    reading = _read(as_of=["2025-04-04"], period=["custom"])
    assert reading.values["as_of"] == dt.date(2025, 4, 4)
    assert reading.as_of_asked is None
    assert (reading.values["from"], reading.values["to"]) == ("2024-05", "2025-04")


def test_what_is_not_understood_is_reported_value_by_value() -> None:
    reading = _read(
        lang=["fr"],
        commune=["Đa Lộc", "Atlantis", "Đa Lộc"],
        org=["Chi bộ Trường THCS Đa Lộc", "Chi bộ thôn 1"],
        kind=["party_cell", "party_committee"],
        period=["forever"],
        as_of=["2025-02-30"],
        to=["2025-13"],
    )
    assert reading.values == {"commune": ["Đa Lộc"], "org": ["Chi bộ Trường THCS Đa Lộc"], "kind": "party_cell"}
    assert reading.dropped == [
        ("lang", "fr"),
        ("commune", "Atlantis"),
        ("org", "Chi bộ thôn 1"),
        ("kind", "party_committee"),
        ("period", "forever"),
        ("as_of", "2025-02-30"),
        ("to", "2025-13"),
    ]


UNITS = [("Lộc Sơn", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 1"), ("Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "Chi bộ Trường")]


def test_the_organisations_walk_from_a_link_keeps_what_fits_level_by_level() -> None:
    walk = {"unit_commune": ["Lộc Sơn"], "unit_org": ["Đảng bộ xã Lộc Sơn"], "unit_cell": ["Chi bộ thôn 1"]}
    assert read_units(walk, UNITS) == (["Lộc Sơn", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 1"], [])
    wrong_org = {"unit_commune": ["Lộc Sơn"], "unit_org": ["Chi bộ Trường THCS Đa Lộc"], "unit_cell": ["Chi bộ thôn 1"]}
    assert read_units(wrong_org, UNITS) == (
        ["Lộc Sơn", None, None],
        [("unit_org", "Chi bộ Trường THCS Đa Lộc"), ("unit_cell", "Chi bộ thôn 1")],
    )
    assert read_units({"unit_cell": ["Chi bộ thôn 1"]}, UNITS) == ([None, None, None], [("unit_cell", "Chi bộ thôn 1")])


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_organisations_page_reopens_the_unit_its_link_names(app_db: dict[str, int]) -> None:
    at = _page("organisations", {**BASE, "unit_commune": "Lộc Sơn", "unit_org": "Đảng bộ xã Lộc Sơn"})
    assert not at.exception, at.exception
    assert at.selectbox(key="org_commune").value == "Lộc Sơn"
    assert at.selectbox(key="org_organisation").value == "Đảng bộ xã Lộc Sơn"
    assert "Đảng bộ xã Lộc Sơn" in [h.value for h in at.header]
    at.selectbox(key="org_cell").set_value("Chi bộ thôn 1").run()
    assert at.query_params["unit_cell"] in ("Chi bộ thôn 1", ["Chi bộ thôn 1"])
    assert at.query_params["unit_commune"] in ("Lộc Sơn", ["Lộc Sơn"])


# --- the pages, through AppTest ----------------------------------------------------------------------------------

ISSUE_LINKS = [
    ({"period": "custom"}, None),
    ({"period": "custom", "from": "2026-01"}, None),
    ({"from": "abcd", "to": "2026-05"}, "abcd"),
    ({"as_of": "9999-12-31"}, "9999-12-31"),
    ({"as_of": "1900-01-01"}, "1900-01-01"),
    ({"as_of": "0001-01-01"}, "0001-01-01"),
]


BASE = {"as_of": "2025-04-04", "period": "custom", "from": "2025-01", "to": "2025-04"}


def _page(page: str, params: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(f"../views/{page}.py", default_timeout=60)
    at.session_state[SCOPE_KEY] = EVERYTHING  # a district account's, as app.py records it
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_malformed_links_of_the_attack_pass_show_the_page_and_a_notice(app_db: dict[str, int]) -> None:
    for params, noticed in ISSUE_LINKS:
        at = _page("overview", params)
        assert not at.exception, (params, at.exception)
        assert at.title[0].value == "Tổng quan"
        warnings = " ".join(w.value for w in at.warning)
        if noticed is not None:
            assert noticed in warnings, (params, warnings)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_as_of_date_before_the_records_is_moved_to_their_first_month(app_db: dict[str, int]) -> None:
    at = _page("overview", {"as_of": "1900-01-01"})
    assert at.caption[0].value.endswith("số liệu đến 01/01/2025")  # the small district's records begin in 01/2025
    assert any("1900-01-01" in w.value and "01/01/2025" in w.value for w in at.warning)


PAGES = ("overview", "regularity", "participation", "topics", "inspections", "classification", "organisations")
NAMES = ("Lộc Sơn", "Đa Lộc", "Chi bộ Trường THCS Đa Lộc", "Đảng bộ xã Lộc Sơn", "Chi bộ thôn 1", "Nghệ An")
TOKENS = (
    "custom", "last12", "this_year", "last5", "party_cell", "party_committee", "en", "vi",
    "2025-01", "2025-04", "2026-13", "0000-00", "9999-12-31", "0001-01-01", "2025-04-04", "2025-02-29", "-1",
    "<b>x</b>", "[a](http://example.org)", "=1+1", " ", "%00", "\x00", "NaN",
)  # fmt: skip
values = st.one_of(st.sampled_from(NAMES + TOKENS), st.text(max_size=40))
links = st.dictionaries(
    st.sampled_from((*PARAMS, *UNIT_PARAMS, "page", "x")),
    st.one_of(values, st.lists(values, min_size=1, max_size=3)),
    max_size=6,
)


@pytest.mark.slow  # 60 generated links, each a page run: 9 s
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), params=links)
def test_random_links_never_raise_on_any_page(app_db: dict[str, int], page: str, params: dict) -> None:
    at = _page(page, params)
    assert not at.exception, (page, params, [e.value for e in at.exception])
