"""Helpers for testing code that uses ecograph.

:func:`assert_ecosystem_equal` compares two ecosystems and says where they
differ. Hypothesis strategies that generate valid ecosystems live in
:mod:`ecograph.testing.strategies` (it needs the test-only dependency
``hypothesis``; this module does not).

``import ecograph`` never imports this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["assert_ecosystem_equal"]


def assert_ecosystem_equal(
    left: Ecosystem,
    right: Ecosystem,
    *,
    check_meta: bool = True,
    check_column_order: bool = False,
    check_tables: bool = True,
    check_exact: bool = True,
) -> None:
    """Raise ``AssertionError`` naming the first difference between two ecosystems.

    Compares the actor frames (index, columns, dtypes, values), the relation
    frames, the declared types of extra columns, the metadata and the
    optional tables. Missing values compare equal to each other (``NA``,
    ``NaN`` and ``NaT`` at the same place), as in :mod:`pandas.testing`.

    Parameters
    ----------
    left, right : Ecosystem
        The ecosystems to compare.
    check_meta : bool, default True
        Also compare :attr:`Ecosystem.meta`.
    check_column_order : bool, default False
        Require the columns in the same order (by default only the same set).
    check_tables : bool, default True
        Also compare the optional tables (``eco.tables``).
    check_exact : bool, default True
        Compare numbers exactly (a lossless round trip must be bit-exact);
        ``False`` uses pandas' relative tolerance of 1e-5.

    Returns
    -------
    None

    Raises
    ------
    AssertionError
        With a message that names the part that differs (``actors``,
        ``relations``, ``extra column types``, ``meta`` or a table) and the
        pandas detail.

    Notes
    -----
    This is the comparison :meth:`Ecosystem.__eq__` makes, with a message
    that says where the ecosystems differ, for use in tests (like
    :func:`pandas.testing.assert_frame_equal`), but exact by default:
    ``Ecosystem.__eq__`` compares floats with pandas' relative tolerance of
    1e-5. Dtypes must match (``Int64`` is not ``float64``); missing values
    compare equal at the same place.

    References
    ----------
    .. [1] pandas.testing.assert_frame_equal,
       https://pandas.pydata.org/docs/reference/api/pandas.testing.assert_frame_equal.html

    Examples
    --------
    >>> import ecograph
    >>> eco = ecograph.load_roros()
    >>> assert_ecosystem_equal(eco, ecograph.load_roros())
    >>> assert_ecosystem_equal(eco, eco.select(kinds=["firm"]))
    Traceback (most recent call last):
    ...
    AssertionError: actors differ: ...
    """
    from ecograph.core.ecosystem import Ecosystem

    for side, value in (("left", left), ("right", right)):
        if not isinstance(value, Ecosystem):
            raise AssertionError(f"{side} is a {type(value).__name__}, not an Ecosystem")
    check_like = not check_column_order
    for part in ("actors", "relations"):
        try:
            pd.testing.assert_frame_equal(getattr(left, part), getattr(right, part),
                                          check_like=check_like, check_exact=check_exact)
        except AssertionError as exc:
            raise AssertionError(f"{part} differ: {exc}") from None
    if left.extra_dtypes != right.extra_dtypes:
        raise AssertionError(
            f"extra column types differ: {left.extra_dtypes!r} != {right.extra_dtypes!r}")
    if check_meta and left.meta != right.meta:
        diff = {k: (getattr(left.meta, k), getattr(right.meta, k))
                for k in type(left.meta).model_fields
                if getattr(left.meta, k) != getattr(right.meta, k)}
        raise AssertionError(f"meta differs: {diff!r}")
    if check_tables:
        if sorted(left.tables) != sorted(right.tables):
            raise AssertionError(f"tables differ: {sorted(left.tables)} != {sorted(right.tables)}")
        for name in left.tables:
            try:
                pd.testing.assert_frame_equal(left.tables[name], right.tables[name],
                                              check_like=check_like, check_exact=check_exact)
            except AssertionError as exc:
                raise AssertionError(f"table {name!r} differs: {exc}") from None
