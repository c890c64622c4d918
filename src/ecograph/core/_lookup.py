"""Fast id lookups on Arrow-backed string columns.

pandas' ``Series.isin`` and ``Index.get_indexer`` on ``string[pyarrow]``
data fall back to Python-level loops (about 1 µs per value); pyarrow's
hash-based ``index_in`` does the same work in C. Every id lookup of the
core and of the analysis modules goes through :func:`positions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["isin", "positions"]


def _arrow(values: Any) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if isinstance(values, pd.Index | pd.Series):
        arr = values.array
        data = getattr(arr, "_pa_array", None)
        if data is not None:
            return data.cast(pa.string()) if data.type != pa.string() else data
        values = np.asarray(values, dtype=object)
    elif not isinstance(values, np.ndarray):
        values = np.asarray(list(values), dtype=object)
    if values.dtype != object:
        values = values.astype(str).astype(object)
    mask = pd.isna(values)
    if mask.any():
        values = values.copy()
        values[mask] = None
    return pa.array(values, type=pa.string(), from_pandas=True)


def positions(values: Any, keys: Any) -> np.ndarray:
    """Position of each value in ``keys`` (first occurrence), ``-1`` when absent or missing.

    Parameters
    ----------
    values : Series, Index, ndarray or iterable of str
    keys : Series, Index, ndarray or iterable of str

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> positions(pd.Series(["b", "x", None], dtype="string"), pd.Index(["a", "b"]))
    array([ 1, -1, -1])
    """
    v = _arrow(values)
    k = _arrow(keys)
    if isinstance(k, pa.ChunkedArray):
        k = k.combine_chunks()
    out = pc.index_in(v, value_set=k, skip_nulls=True)
    return np.asarray(out.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def isin(values: Any, keys: Iterable[Any]) -> np.ndarray:
    """Boolean mask: which values occur in ``keys`` (missing values never do).

    Examples
    --------
    >>> isin(["a", "c"], ["a", "b"])
    array([ True, False])
    """
    return positions(values, keys if isinstance(keys, pd.Index | pd.Series | np.ndarray)
                     else np.asarray(list(keys), dtype=object)) >= 0
