"""A commune account's scope, applied by every metric: asking for another commune (URL, filter, export
arguments) gives exactly what asking for its own commune gives, and nothing of the other commune."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access.auth import restrict_communes, scope_for
from data_access.filters import Scope
from data_access.metrics import METRICS, compute
from data_access.models import User
from tests.small_district import district, period

__all__ = ["district"]  # the fixture

METRIC_GROUPS = [(metric, group) for metric, spec in METRICS.items() for group in spec.groups]


def _da_loc_viewer(ids: dict[str, int]) -> User:
    return User(id=99, username="daloc", role="commune", commune_id=ids["da_loc"])


@pytest.mark.parametrize(("metric", "by"), METRIC_GROUPS, ids=[f"{m}-{g}" for m, g in METRIC_GROUPS])
def test_a_commune_viewer_asking_for_both_communes_gets_only_its_own(
    engine: Engine, district: dict[str, int], metric: str, by: str
) -> None:
    viewer_scope = scope_for(_da_loc_viewer(district))
    asked = period(communes=(district["loc_son"], district["da_loc"]))
    own_only = period(communes=(district["da_loc"],))
    seen = compute(metric, engine, filters=asked, scope=viewer_scope, by=by)
    expected = compute(metric, engine, filters=own_only, scope=Scope.everything(), by=by)
    pd.testing.assert_frame_equal(seen.reset_index(drop=True), expected.reset_index(drop=True))
    if "commune" in seen.columns:
        assert set(seen["commune"]) <= {"Đa Lộc"}


def test_the_scoped_regularity_is_da_loc_s_own_numbers(engine: Engine, district: dict[str, int]) -> None:
    # c4 is due Jan, Feb, Mar (April's day 5 is after as-of 2025-04-04) and met in each: 3 of 3.
    seen = compute("regularity", engine, filters=period(), scope=scope_for(_da_loc_viewer(district)), by="commune")
    assert seen[["commune", "due_cell_months", "held_cell_months"]].values.tolist() == [["Đa Lộc", 3, 3]]


def test_a_url_asking_for_another_commune_is_reduced_to_the_viewer_s_own(district: dict[str, int]) -> None:
    scope = scope_for(_da_loc_viewer(district))
    assert restrict_communes((district["loc_son"], district["da_loc"]), scope) == (
        (district["da_loc"],),
        (district["loc_son"],),
    )
