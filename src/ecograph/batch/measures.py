"""Measures that :func:`ecograph.score_municipalities` runs on each municipality.

A *measure* is any picklable callable ``f(eco) -> Series | Mapping | DataFrame``
(a module-level function, or a ``"module:function"`` string). A Series or a
mapping of scalars becomes columns ``<measure>.<key>`` of the municipality's
row (nested mappings and Series are flattened with dotted keys); a DataFrame
is only kept in the municipality's detail file.

The default measures wrap the library's ecosystem-level functions:
``profile`` (:func:`ecograph.thin_dense_profile`), ``coopetition``
(:func:`ecograph.coopetition_summary`) and ``spigel`` (the layer and attribute
scores of :func:`ecograph.spigel_scores`).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError

__all__ = [
    "DEFAULT_MEASURES",
    "Measure",
    "basic_structure",
    "coopetition",
    "flatten",
    "profile",
    "resolve",
    "spigel",
]

Measure = Callable[[Ecosystem], Any]
"""A function of an Ecosystem returning a Series, a mapping of scalars or a DataFrame."""

DEFAULT_MEASURES: Final[dict[str, str]] = {
    "profile": "ecograph.batch.measures:profile",
    "coopetition": "ecograph.batch.measures:coopetition",
    "spigel": "ecograph.batch.measures:spigel",
}
"""The measures run when none are given: name -> ``"module:function"``."""


def resolve(target: Measure | str) -> Measure:
    """Return the callable for a measure given as a callable or ``"module:function"``.

    Parameters
    ----------
    target : callable or str

    Returns
    -------
    callable

    Raises
    ------
    InputError
        When the string is not ``"module:function"`` or names nothing importable.

    Examples
    --------
    >>> resolve("ecograph.batch.measures:basic_structure").__name__
    'basic_structure'
    """
    if callable(target):
        return target
    if not isinstance(target, str) or target.count(":") != 1:
        raise InputError(f"measure {target!r}: expected a callable or 'module:function'")
    module, name = target.split(":")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"measure {target!r} cannot be imported: {exc}") from exc
    if not callable(func):
        raise InputError(f"measure {target!r} is not callable")
    return func  # type: ignore[no-any-return]


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def flatten(result: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten a measure's result into ``{dotted key: scalar}``.

    Parameters
    ----------
    result : Series, mapping, one-row DataFrame or scalar
        Nested mappings and Series are flattened with dotted keys.
    prefix : str
        Prepended to every key (``"profile"`` gives ``"profile.density"``).

    Returns
    -------
    dict
        Scalars only: numpy scalars become Python numbers, NaN and pandas
        missing values become ``None``, lists become ``;``-joined text.

    Raises
    ------
    InputError
        For a DataFrame with more than one row (keep it as a detail table
        instead) or duplicate keys.

    Examples
    --------
    >>> flatten({"a": 1, "b": {"c": 2.5, "d": [1, 2]}}, "m")
    {'m.a': 1, 'm.b.c': 2.5, 'm.b.d': '1;2'}
    """
    out: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if key in out:
            raise InputError(f"measure result has the key {key!r} twice")
        out[key] = value

    def walk(obj: Any, key: str) -> None:
        if isinstance(obj, pd.DataFrame):
            if len(obj) != 1:
                raise InputError(
                    f"measure result {key or '<root>'!r} is a table with {len(obj)} rows; "
                    "expected a Series or a mapping of scalars"
                )
            obj = obj.iloc[0]
        if isinstance(obj, pd.Series):
            obj = dict(zip((str(k) for k in obj.index), obj.tolist(), strict=True))
        if isinstance(obj, Mapping):
            for k, v in obj.items():
                walk(v, f"{key}.{k}" if key else str(k))
            return
        put(key, _scalar(obj))

    walk(result, prefix)
    return out


def basic_structure(eco: Ecosystem) -> pd.Series:
    """Size and structure counts of an ecosystem (a fast measure with no options).

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    Series
        ``organisations``, ``persons``, ``external`` (actors flagged
        external), ``relations``, ``relations.<kind>`` for every relation kind
        present, ``micro_share`` (share of organisations with a known
        employee count that have 0-4 employees; NaN when none is known),
        ``governance_density`` and ``governance_components``.

    Notes
    -----
    The *governance graph* is the undirected graph of board seats and
    management relations. ``governance_density`` is its edge count divided
    by n(n-1)/2 over all n actors (NaN for n < 2; parallel relations count
    once). ``governance_components`` is the number of its connected
    components among actors that have at least one governance relation.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["p", "a", "b"], "name": ["P", "A", "B"],
    ...                   "kind": ["person", "firm", "firm"], "employees": [None, 2, 40]}),
    ...     pd.DataFrame({"source": ["p", "p"], "target": ["a", "b"],
    ...                   "kind": ["board_seat", "board_seat"], "role": ["chair", "member"]}))
    >>> s = basic_structure(eco)
    >>> float(s["micro_share"]), float(s["governance_density"]), int(s["governance_components"])
    (0.5, 0.6666666666666666, 1)
    """
    import igraph as ig

    actors = eco.actors
    is_person = (actors["kind"] == "person").to_numpy(dtype=bool)
    out: dict[str, float] = {
        "organisations": float((~is_person).sum()),
        "persons": float(is_person.sum()),
        "external": float(actors["external"].fillna(False).to_numpy(dtype=bool).sum()),
        "relations": float(len(eco.relations)),
    }
    for kind, n in eco.relations["kind"].value_counts().sort_index().items():
        out[f"relations.{kind}"] = float(n)
    emp = actors.loc[~is_person, "employees"]
    known = emp.dropna()
    out["micro_share"] = float((known <= 4).mean()) if len(known) else math.nan
    src, dst, _ = eco.edge_arrays(["board_seat", "management"])
    n = len(actors)
    if len(src):
        pairs = _arrays.unique_rows(np.stack([np.minimum(src, dst), np.maximum(src, dst)], axis=1))
    else:
        pairs = np.empty((0, 2), dtype=np.int64)
    out["governance_density"] = len(pairs) / (n * (n - 1) / 2) if n >= 2 else math.nan
    touched = _arrays.unique(pairs.ravel())
    if len(touched):
        remap = np.searchsorted(touched, pairs)
        g = ig.Graph(n=len(touched), edges=remap.tolist())
        out["governance_components"] = float(len(g.connected_components()))
    else:
        out["governance_components"] = 0.0
    return pd.Series(out, dtype="float64")


def _library(name: str) -> Callable[..., Any]:
    import ecograph

    try:
        return getattr(ecograph, name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        raise InputError(f"ecograph.{name} is not available in this installation: {exc}") from exc


def profile(eco: Ecosystem) -> Any:
    """The thin-and-dense profile (:func:`ecograph.thin_dense_profile`) of ``eco``.

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    object
        Whatever :func:`ecograph.thin_dense_profile` returns; it is flattened
        into the municipality's row by :func:`flatten`.

    Raises
    ------
    InputError
        When :func:`ecograph.thin_dense_profile` is not available.
    """
    return _library("thin_dense_profile")(eco)


def coopetition(eco: Ecosystem) -> Any:
    """The co-opetition summary (:func:`ecograph.coopetition_summary`) of ``eco``.

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    object
        Whatever :func:`ecograph.coopetition_summary` returns, flattened into
        the row by :func:`flatten`.

    Raises
    ------
    InputError
        When :func:`ecograph.coopetition_summary` is not available.
    """
    return _library("coopetition_summary")(eco)


def spigel(eco: Ecosystem) -> pd.Series:
    """Spigel layer and attribute scores (:func:`ecograph.spigel_scores`) of ``eco``.

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    Series
        ``layer.<layer>`` and ``attribute.<attribute>`` scores of the
        shipped Spigel (2017) model, missing indicators skipped and reported
        by :func:`ecograph.spigel_scores`.

    Raises
    ------
    InputError
        When :func:`ecograph.spigel_scores` is not available.
    """
    table = _library("spigel_scores")(eco)
    out: dict[str, Any] = {}
    for level in ("layer", "attribute"):
        rows = table[table["level"] == level]
        for key, score in zip(rows[level].tolist(), rows["score"].tolist(), strict=True):
            out[f"{level}.{key}"] = score
    return pd.Series(out, dtype="float64")
