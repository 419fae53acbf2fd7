"""Frames as GX validates them: pandas, money as floats, dates as `datetime.date`."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any, TypeAlias

import pandas as pd
import polars as pl

from pipelines.normalise.schemas import TABLES

# Columns declared `Date`: GX compares them with bounds such as "2011-01-01" only as dates.
DATE_COLUMNS = frozenset(
    name
    for table in TABLES
    for name, (dtype, _) in table.columns.items()
    if isinstance(dtype, pl.Date) or dtype == pl.Date
)

Frame: TypeAlias = pd.DataFrame | pl.DataFrame


def to_pandas(frame: Frame) -> pd.DataFrame:
    """A pandas frame of a polars or pandas frame (polars converted, pandas as is)."""
    if isinstance(frame, pl.DataFrame):
        return frame.to_pandas()
    if isinstance(frame, pd.DataFrame):
        return frame
    raise TypeError(f"expected a pandas or polars DataFrame, not {type(frame).__name__}")


def prepared(frame: Frame) -> pd.DataFrame:
    """A copy GX can compare: Decimal money as float, date columns as `datetime.date` or None."""
    result = to_pandas(frame).copy(deep=False)
    for column in result.columns:
        series = result[column]
        if isinstance(series.dtype, pd.ArrowDtype):
            series = pd.Series(series.to_numpy(dtype=object, na_value=None), index=series.index)
        if column in DATE_COLUMNS:
            series = _dates(series)
        elif series.dtype == object and isinstance(_first_value(series), Decimal):
            series = series.map(_decimal_to_float).astype("float64")
        result[column] = series
    return result


def _dates(series: pd.Series) -> pd.Series:
    if series.dtype == object and all(
        isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        for value in series.dropna()
    ):
        return series.astype(object).where(series.notna(), None)
    stamps = pd.to_datetime(series, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return pd.Series(
        [None if pd.isna(value) else value.date() for value in stamps],
        index=series.index,
        dtype=object,
    )


def _first_value(series: pd.Series) -> Any:
    present = series.dropna()
    return present.iloc[0] if len(present) else None


def _decimal_to_float(value: Any) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value)


def cents(amounts: pd.Series) -> pd.Series:
    """Euros (Decimal, float or int) as whole cents, exactly for Decimal; null stays null."""
    return pd.Series([_cents(value) for value in amounts], index=amounts.index, dtype="Int64")


def _cents(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return pd.NA
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    return round(float(value) * 100)
