"""Shipped reference tables: the 2024 municipality list and an SN2007 -> SN2025 crosswalk.

Both files live in ``ecograph/registry/data/`` and are plain UTF-8 CSV, so
they can be read without ecograph.

``kommuner_2024.csv``
    The 357 Norwegian municipalities (kommuner) of 1 January 2024 in 15
    counties (fylker): ``code`` (4-digit kommunenummer), ``name`` (official
    name, Sámi / Kven forms included as SSB writes them), ``county_code``,
    ``county_name`` and ``population``. Codes and names come from
    ``samples/norway/regions/norway-regions-2024.csv`` of Statistics Norway's
    ``statisticsnorway/statbus`` repository (Apache-2.0, derived from SSB
    KLASS classification 131). Three names whose Sámi letters were damaged
    in that file (``?`` in place of ``š`` / ``ŋ``) were restored from other
    public code: 1853 *Evenes - Evenášši*, 5610 *Kárášjohka - Karasjok*,
    5622 *Porsanger - Porsáŋgu - Porsanki*. The ``population`` column is
    **empty**: no population figure could be sourced offline. Fill it from
    SSB table 07459 (population 1 January) if you need per-capita values;
    :func:`municipalities` reads the column when it is filled.

``sn2007_sn2025.csv``
    The industry codes ecograph uses (the culture / experience population of
    the ØF report's Tabell 7-1 and the food and tourism codes of the Røros
    case) mapped from SN2007 to SN2025: columns ``sn2007``, ``sn2025``,
    ``relation`` (``unchanged``, ``renumbered``, ``merged``, ``split``,
    ``partial``) and ``note``. A code that was split has one row per SN2025
    target. Source: SSB KLASS correspondence table 2919 (SN2025 - SN2007) as
    summarised in the project's data-sources note §4.2; rows the note marks
    as uncertain say so in ``note``. SN2007 47.220 / 47.29x and 91.020 /
    91.030 are left out because the note does not give their exact targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ecograph.exceptions import InputError

__all__ = ["data_path", "municipalities", "nace_crosswalk", "to_sn2025"]


def data_path(name: str) -> Path:
    """Path of a shipped reference file in ``ecograph/registry/data``.

    Parameters
    ----------
    name : str
        File name, e.g. ``"kommuner_2024.csv"``.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        When no such file is shipped.

    Examples
    --------
    >>> data_path("kommuner_2024.csv").name
    'kommuner_2024.csv'
    """
    path = Path(str(resources.files("ecograph.registry"))) / "data" / name
    if not path.exists():
        shipped = sorted(p.name for p in path.parent.glob("*.csv"))
        raise InputError(f"no shipped reference file {name!r}; expected one of {shipped}")
    return path


@lru_cache(maxsize=4)
def _read_kommuner(year: int) -> pd.DataFrame:
    frame = pd.read_csv(
        data_path(f"kommuner_{year}.csv"), dtype="string", keep_default_na=False, na_values=[""]
    )
    frame["population"] = pd.to_numeric(frame["population"]).astype("Int64")
    return frame.set_index("code")


def municipalities(year: int = 2024) -> pd.DataFrame:
    """The shipped list of Norwegian municipalities.

    Parameters
    ----------
    year : int, default 2024
        Municipal structure; only 2024 is shipped.

    Returns
    -------
    DataFrame
        Indexed by ``code`` (4-digit kommunenummer as text); columns
        ``name``, ``county_code``, ``county_name`` and ``population``
        (``Int64``, empty unless the user filled it).

    Raises
    ------
    InputError
        For a year that is not shipped.

    Notes
    -----
    The 2024 structure has 357 municipalities in 15 counties. Codes before
    2020 / 2024 differ (e.g. Os was 0441); map old registers with SSB KLASS
    131 ``changes`` before joining. See the module docstring for sources.

    References
    ----------
    Statistics Norway, KLASS classification 131 (Standard for kommuneinndeling),
    via ``statisticsnorway/statbus`` ``samples/norway/regions/norway-regions-2024.csv``.

    Examples
    --------
    >>> k = municipalities()
    >>> len(k), k["county_code"].nunique()
    (357, 15)
    >>> k.loc["5025", "name"]
    'Røros - Rossen'
    """
    if year != 2024:
        raise InputError(
            f"no municipality list for {year!r}; ecograph ships the 2024 structure only"
        )
    return _read_kommuner(year).copy()


@lru_cache(maxsize=1)
def _read_crosswalk() -> pd.DataFrame:
    return pd.read_csv(
        data_path("sn2007_sn2025.csv"), dtype="string", keep_default_na=False, na_values=[""]
    )


def nace_crosswalk() -> pd.DataFrame:
    """The shipped SN2007 -> SN2025 crosswalk for the codes ecograph uses.

    Returns
    -------
    DataFrame
        Columns ``sn2007``, ``sn2025``, ``relation``, ``note``; one row per
        (SN2007, SN2025) pair.

    Notes
    -----
    ``relation`` is ``unchanged`` (same code), ``renumbered`` (one new code),
    ``merged`` (several old codes into one new), ``split`` (one old code into
    several new ones: the row set lists them all) or ``partial`` (the new
    code receives only part of the old one, and the old one's other targets
    are not listed).

    References
    ----------
    Statistics Norway, KLASS correspondence table 2919, "Næringsgruppering (SN)
    2025 - Næringsgruppering 2007".

    Examples
    --------
    >>> cw = nace_crosswalk()
    >>> cw.loc[cw["sn2007"] == "79.903", "sn2025"].tolist()
    ['79.121', '56.400']
    """
    return _read_crosswalk().copy()


def to_sn2025(codes: Iterable[str | None]) -> pd.Series:
    """Translate SN2007 codes to the list of SN2025 codes they map to.

    Codes that are already SN2025 (or not in the crosswalk) map to
    themselves, so mixed input from registers of different years can be
    passed as is.

    Parameters
    ----------
    codes : iterable of str or None
        Industry codes such as ``"79.903"`` (the dotted form brreg uses).

    Returns
    -------
    Series
        One tuple of SN2025 codes per input, in input order; missing input
        gives an empty tuple.

    Notes
    -----
    A code that exists both as an SN2007 code in the crosswalk and as an
    SN2025 code (e.g. ``"74.200"``) is treated as SN2007. Translate only data
    you know to be SN2007 (brreg snapshots from before autumn 2025).

    Examples
    --------
    >>> to_sn2025(["90.011", "55.100", None]).tolist()
    [('90.201',), ('55.100',), ()]
    """
    cw = _read_crosswalk()
    table: dict[str, tuple[str, ...]] = {}
    for old, new in zip(cw["sn2007"].tolist(), cw["sn2025"].tolist(), strict=True):
        table[old] = (*table.get(old, ()), new)
    out = [() if c is None or pd.isna(c) else table.get(str(c), (str(c),)) for c in codes]
    return pd.Series(out, dtype=object)
