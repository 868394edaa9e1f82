"""`data_access.frames.rows_frame` builds query rows into a DataFrame column by column; it must give the frame the
row-wise constructor gives (same values, same dtypes), only faster."""

from __future__ import annotations

import datetime as dt
import decimal

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from data_access.frames import rows_frame

COLUMNS = ["n", "maybe_int", "name", "maybe_name", "day", "total", "flag", "rate", "mixed"]
ROWS = [
    [(1, None, "Lộc Sơn", None, dt.date(2025, 1, 1), decimal.Decimal("2"), True, 1.5, None)],
    [
        (1, 2, "Đa Lộc", "Chi bộ 1", dt.date(2025, 1, 1), decimal.Decimal("2"), False, 2.5, 3),
        (2, None, "Lộc Sơn", "Chi bộ 2", None, None, True, None, 4.5),
    ],
    [(3, 2, "x", dt.datetime(2025, 1, 1, 3), None, None, None, None, None)],
    [  # every column of one type: ints beyond int64, strings, dates, decimals, flags, floats
        (4, 2**70, "x", "y", dt.date(2025, 1, 2), decimal.Decimal("1"), False, 0.5, 1.0),
        (5, 2**70, "z", "w", dt.date(2025, 1, 3), decimal.Decimal("3"), True, 1.5, 2.0),
    ],
]


@pytest.mark.parametrize("rows", ROWS)
def test_the_frame_equals_the_row_wise_one(rows: list[tuple[object, ...]]) -> None:
    got = rows_frame(rows, COLUMNS)
    pd.testing.assert_frame_equal(got, pd.DataFrame(rows, columns=COLUMNS), check_exact=True)


def test_query_rows_give_the_row_wise_frame_with_its_dtypes() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500) "
                "SELECT n, n * 0.5 AS half, CASE WHEN n % 7 = 0 THEN NULL ELSE n END AS sparse, "
                "'Chi bộ ' || n AS cell FROM s"
            )
        ).all()
    got = rows_frame(rows, ["n", "half", "sparse", "cell"])
    pd.testing.assert_frame_equal(got, pd.DataFrame([tuple(r) for r in rows], columns=["n", "half", "sparse", "cell"]))
    assert [str(t) for t in got.dtypes] == ["int64", "float64", "float64", "str"]
    assert got["cell"].iloc[-1] == "Chi bộ 500" and got["sparse"].isna().sum() == 71  # 7, 14, …, 497


def test_no_rows_give_the_named_columns_and_a_wrong_width_is_an_error() -> None:
    empty = rows_frame([], ["a", "b"])
    assert list(empty.columns) == ["a", "b"] and len(empty) == 0
    with pytest.raises(ValueError, match="2 columns named for rows of 3 values"):
        rows_frame([(1, 2, 3)], ["a", "b"])
