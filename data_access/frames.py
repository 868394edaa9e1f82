"""Query rows to a DataFrame, column by column.

`pd.DataFrame(rows, columns=...)` on SQLAlchemy rows is slow in pandas 3: it asks every row for a `dtype`
attribute, and a Row answers a missing attribute through an exception. A province's commune × month table
(33,000 rows) took 260 ms to build that way and 13 ms column by column, with the same dtypes: each column is
inferred from its values as the row-wise constructor infers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def rows_frame(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of `rows` (query rows or tuples) named `columns`; without rows, the columns with no values."""
    columns = list(columns)
    if len(rows) == 0:
        return pd.DataFrame([], columns=columns)
    values = list(zip(*rows, strict=True))
    if len(values) != len(columns):
        raise ValueError(f"{len(columns)} columns named for rows of {len(values)} values")
    return pd.DataFrame({name: list(column) for name, column in zip(columns, values, strict=True)}, columns=columns)
