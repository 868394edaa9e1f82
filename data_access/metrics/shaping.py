"""Result frames: labels, Vietnamese order, fixed columns and dtypes, rates divided in numpy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from data_access.filters import GROUP_COLUMNS, month_label, quarter_label
from data_access.frames import column_array
from data_access.metrics.definitions import RATES
from data_access.metrics.scoping import _PLACE_KEYS, PER_PROVINCE_KEY
from data_access.vnsort import vn_key


def _finish(df: pd.DataFrame, by: str, columns: Sequence[str], extra_sort: Sequence[str] = ()) -> pd.DataFrame:
    """Label periods, drop helper ids, sort by the group columns (Vietnamese order for names), fix the columns."""
    if df.empty:
        return _empty(columns)
    data = {c: df[c].to_numpy() if isinstance(df[c].dtype, np.dtype) else df[c].array for c in df.columns}
    return _finished(data, len(df), by, columns, extra_sort)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in columns})


def _finished(
    data: dict[str, Any], rows: int, by: str, columns: Sequence[str], extra_sort: Sequence[str] = ()
) -> pd.DataFrame:
    """`_finish` of the columns `data` (arrays of `rows` values, at least one row), the frame made once at the end
    (reordering a frame and setting its columns one by one cost more than the query on a district's tables)."""
    group_columns = list(GROUP_COLUMNS.get(by, ())) + list(extra_sort)
    per_place = [key for key in _PLACE_KEYS if key in data]
    wanted = [*per_place, *columns]  # the helper ids (g_…) dropped
    order = _order(data, [*per_place, *group_columns])
    if not np.array_equal(order, np.arange(rows)):
        data = {c: data[c][order] for c in wanted}
    data = {c: data[c] for c in wanted}
    if by in ("month", "quarter"):  # each distinct period labelled once (a province's 558 communes share them)
        label = month_label if by == "month" else quarter_label
        values = [int(v) for v in data[by].tolist()]
        labels = {v: label(v) for v in set(values)}
        data[by] = column_array([labels[v] for v in values])
    elif by == "year" and "year" in data:
        data["year"] = pd.Series(data["year"]).astype("int64").to_numpy()
    for col in columns:
        if _dtype(col) == "int64" and data[col].dtype != "int64":
            data[col] = pd.Series(data[col]).fillna(0).astype("int64").to_numpy()
    return pd.DataFrame(data, index=pd.RangeIndex(rows), copy=False)


def table_frame(
    result_rows: Sequence[Sequence[Any]],
    names: Sequence[str],
    by: str,
    columns: Sequence[str],
    *,
    rates: Sequence[str] = (),
    below: float | None = None,
) -> pd.DataFrame:
    """A metric table from its query rows (named `names`): the columns made from the rows' values
    (`frames.column_array`), the `rates` divided, only the rows whose first rate is `below` when given, then
    `_finished`: the same frame as `_finish` of the rows' DataFrame with the rates added, made once."""
    if len(result_rows) == 0:
        return _empty(columns)
    data = {name: column_array(values) for name, values in zip(names, zip(*result_rows, strict=True), strict=True)}
    _add_rates(data, *rates)
    rows = len(result_rows)
    if below is not None:
        keep = data[rates[0]] < below
        rows = int(keep.sum())
        if rows == 0:
            return _empty(columns)
        data = {c: v[keep] for c, v in data.items()}
    return _finished(data, rows, by, columns)


NAME_COLUMNS = ("commune", "organisation", "cell", "topic", "body", "province", PER_PROVINCE_KEY)


def _order(
    df: pd.DataFrame | Mapping[str, Any], columns: Sequence[str], *, descending: Sequence[str] = ()
) -> np.ndarray:
    """The row order sorting `df` (a frame, or its columns) by `columns` (names in Vietnamese order, other values
    as they compare, largest first for those in `descending`, missing ones last), stable: each column's distinct
    values are ranked once, then the rows are sorted on the ranks."""
    if not columns:
        return np.arange(len(df) if isinstance(df, pd.DataFrame) else len(next(iter(df.values()), ())))
    ranks = []
    for col in columns:
        values = df[col].tolist()
        distinct = set(values)
        if col in NAME_COLUMNS:
            ordered = sorted(distinct, key=vn_key)
        else:
            missing = [v for v in distinct if v is None or v is pd.NA or v != v]
            ordered = sorted(distinct.difference(missing), reverse=col in descending) + missing
        rank = {value: i for i, value in enumerate(ordered)}
        ranks.append(np.fromiter((rank[v] for v in values), dtype=np.int64, count=len(values)))
    return np.lexsort(tuple(reversed(ranks)))


def _dtype(column: str) -> str:
    if column.endswith(("_rate", "_share", "_coverage")) or column == "thematic_coverage":
        return "float64"
    if column in ("province", "commune", "organisation", "cell", "month", "quarter", "topic", "body", "kind"):
        return "object"
    return "int64"


def _floats(values: pd.Series | Sequence[float]) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _rate(numerator: pd.Series | Sequence[float], denominator: pd.Series | Sequence[float]) -> np.ndarray:
    """num / den as float; NaN (an empty cell in exports) where the denominator is zero.

    In numpy: the same quotients as dividing the Series, at a sixth of the cost on the few rows of a district's
    table (pandas' per-operation overhead was a fifth of a metric call there)."""
    num = _floats(numerator)
    den = _floats(denominator)
    out = np.full(len(num), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _add_rates(df: pd.DataFrame | dict[str, Any], *rates: str) -> None:
    """Add the columns `rates` (keys of RATES) to `df` (a frame, or its columns), from their numerator and
    denominator columns."""
    for name in rates:
        numerator, denominator = RATES[name]
        df[name] = _rate(df[numerator], df[denominator])
