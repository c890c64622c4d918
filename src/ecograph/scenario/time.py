"""Snapshots over time: a series of :meth:`Ecosystem.as_of` views.

Relations may carry ``since`` (first day the relation holds) and ``until``
(last day it holds); empty bounds are open. The view on a date keeps every
actor and the relations valid on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError

__all__ = ["change_dates", "snapshots"]

DateLike = str | dt.date | pd.Timestamp
_ONE_DAY = pd.Timedelta(days=1)


def _timestamp(value: DateLike, what: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: expected a date as YYYY-MM-DD, got {value!r}") from exc
    if pd.isna(ts):
        raise InputError(f"{what}: expected a date as YYYY-MM-DD, got {value!r}")
    return ts.normalize()


def change_dates(eco: Ecosystem) -> pd.DataFrame:
    """Every date on which the set of valid relations changes.

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    DataFrame
        Indexed by ``date`` (ascending), columns ``started`` (relations
        whose ``since`` is that date), ``ended`` (relations whose ``until``
        is the day before) and ``active`` (relations valid on that date).
        Empty when no relation has a ``since`` or ``until``.

    Notes
    -----
    ``until`` is the last day a relation holds, so it stops holding on
    ``until + 1 day``: that is the change date. A relation valid from
    ``2018-03-01`` to ``2019-12-31`` gives the change dates 2018-03-01 and
    2020-01-01.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]}),
    ...     pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["supply"],
    ...                   "since": ["2018-03-01"], "until": ["2019-12-31"]}))
    >>> change_dates(eco)
                started  ended  active
    date
    2018-03-01        1      0       1
    2020-01-01        0      1       0
    """
    rel = eco.relations
    since = rel["since"].dropna()
    ends = rel["until"].dropna() + _ONE_DAY
    started = since.value_counts()
    ended = ends.value_counts()
    dates = pd.DatetimeIndex(started.index.union(ended.index)).sort_values()
    out = pd.DataFrame({
        "started": started.reindex(dates, fill_value=0).astype("int64").to_numpy(),
        "ended": ended.reindex(dates, fill_value=0).astype("int64").to_numpy(),
    }, index=pd.DatetimeIndex(dates, name="date"))
    # active on date d: since <= d (or open) and until >= d (or open), counted vectorised
    s = rel["since"].to_numpy(dtype="datetime64[s]")
    u = rel["until"].to_numpy(dtype="datetime64[s]")
    d = out.index.to_numpy(dtype="datetime64[s]")
    open_start = np.isnat(s)
    open_end = np.isnat(u)
    starts = np.sort(s[~open_start])
    stops = np.sort(u[~open_end])
    # valid(d) = #rows - #(since > d) - #(until < d); a row cannot violate both
    n_late = len(starts) - np.searchsorted(starts, d, side="right")
    n_over = np.searchsorted(stops, d, side="left")
    out["active"] = (len(rel) - n_late - n_over).astype("int64")
    return out


def snapshots(
    eco: Ecosystem,
    dates: Iterable[DateLike] | None = None,
    *,
    at: Literal["changes", "years"] = "changes",
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> dict[pd.Timestamp, Ecosystem]:
    """A series of views of ``eco`` on chosen dates, or on every date something changes.

    Parameters
    ----------
    eco : Ecosystem
    dates : iterable of date-like, optional
        The dates (``"2018-06-01"``, :class:`datetime.date`, Timestamp).
        When given, ``at`` is not used.
    at : {"changes", "years"}, default "changes"
        Without ``dates``: ``"changes"`` takes every change date of
        :func:`change_dates` (each ``since``, each ``until + 1 day``);
        ``"years"`` takes 31 December of every year from the first to the
        last change date (the state at the end of each year).
    start, end : date-like, optional
        Keep only dates in ``[start, end]``.

    Returns
    -------
    dict of Timestamp to Ecosystem
        In ascending date order; each value is ``eco.as_of(date)`` (all
        actors, the relations valid on that date). Empty when no relation
        has a date and ``dates`` is not given.

    Raises
    ------
    InputError
        For an unknown ``at`` or a value that is not a date.

    Notes
    -----
    A relation is valid on ``d`` when ``since <= d <= until`` (empty bounds
    are open). The state before the first change date (relations with an
    open ``since`` only) has no date of its own; ask for it with ``dates``.
    Each view costs one vectorised pass over the relations.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": ["firm"] * 3}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "kind": ["supply"] * 2,
    ...                   "since": ["2018-03-01", None], "until": [None, "2019-12-31"]}))
    >>> {str(d.date()): len(v.relations) for d, v in snapshots(eco).items()}
    {'2018-03-01': 2, '2020-01-01': 1}
    >>> {str(d.date()): len(v.relations) for d, v in snapshots(eco, ["2017-01-01"]).items()}
    {'2017-01-01': 1}
    """
    if at not in ("changes", "years"):
        raise InputError(f"at must be 'changes' or 'years', got {at!r}")
    lo = _timestamp(start, "start") if start is not None else None
    hi = _timestamp(end, "end") if end is not None else None
    if lo is not None and hi is not None and hi < lo:
        raise InputError(f"end {hi.date()} is before start {lo.date()}")
    if dates is not None:
        if isinstance(dates, str | dt.date | pd.Timestamp):
            dates = [dates]
        chosen = sorted({_timestamp(d, "dates") for d in dates})
    else:
        changes = change_dates(eco).index
        if at == "changes" or not len(changes):
            chosen = list(changes)
        else:
            chosen = [pd.Timestamp(year=y, month=12, day=31)
                      for y in range(changes[0].year, changes[-1].year + 1)]
    chosen = [d for d in chosen if (lo is None or d >= lo) and (hi is None or d <= hi)]
    return {d: eco.as_of(d) for d in chosen}
