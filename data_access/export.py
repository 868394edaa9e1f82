"""Metric tables as the data contract's CSV: rates with 4 decimals, an empty field for a zero denominator."""

from __future__ import annotations

import pandas as pd

from data_access.metrics import METRICS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection)."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = ["'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v for v in out[column]]
    return out


def rate_columns(df: pd.DataFrame) -> list[str]:
    rates = {c for spec in METRICS.values() for c in spec.rate_columns}
    return [c for c in df.columns if c in rates]


def metric_csv(df: pd.DataFrame) -> str:
    """The CSV text of a metric table (no BOM: the caller decides the encoding)."""
    out = neutralise_formulas(df)
    for column in rate_columns(out):
        out[column] = [None if pd.isna(v) else f"{float(v):.4f}" for v in out[column]]
    return out.to_csv(index=False, lineterminator="\n")
