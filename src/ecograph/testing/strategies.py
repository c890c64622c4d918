"""Hypothesis strategies that generate valid, typed ecosystems.

Three building blocks:

* :func:`actors_frames` draws a raw actors frame (every actor kind, the
  organisation attributes, optional extra columns);
* :func:`relations_frames` draws a raw relations frame over a given actors
  frame, obeying :data:`~ecograph.core.kinds.RELATION_RULES` (endpoint kinds,
  roles, kind-specific fields, ownership shares per organisation summing to at
  most 1, ``since <= until``);
* :func:`ecosystems` combines them into an :class:`~ecograph.Ecosystem`
  built by :meth:`Ecosystem.from_frames`, with metadata that declares the
  types of the extra columns.

Generated text includes Norwegian letters (æ ø å Æ Ø Å), quotes, commas,
semicolons and line breaks, so the strategies exercise CSV quoting. Extra
columns are of several types (text, int, float, bool, date) and contain empty
values. Whatever they draw passes validation: a failure to build is a bug in
ecograph or in these strategies, never an expected outcome.

This module imports :mod:`hypothesis`, a test-only dependency.

Examples
--------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(ecosystems(max_actors=5, max_relations=6))
... def test_every_relation_joins_known_actors(eco):
...     assert eco.relations["source"].isin(eco.actors.index).all()
>>> test_every_relation_joins_known_actors()
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from ecograph.core.ecosystem import Ecosystem
from ecograph.core.kinds import (
    ACTOR_KINDS,
    LEGAL_FORMS,
    PROVENANCES,
    RELATION_KINDS,
    RELATION_RULES,
    SUPPORT_FUNCTIONS,
)
from ecograph.core.schema import ACTOR_COLUMNS, RELATION_COLUMNS, suggest_column

__all__ = [
    "EXTRA_COLUMN_NAMES",
    "actors_frames",
    "dates",
    "ecosystems",
    "relations_frames",
    "texts",
]

NORWEGIAN = "æøåÆØÅ"
"""The Norwegian letters every text strategy may draw."""

EXTRA_COLUMN_NAMES: tuple[str, ...] = (
    "årsverk",
    "kommentar",
    "x_ømfintlig",
    "størrelse_kode",
    "registrert",
    "aktiv",
    "andel_lokal",
    "merknad ÆØÅ",
    "tillit",
    "x1",
)
"""Names the strategies give extra columns: none is close to a known column."""

_EXTRA_TYPES = ("text", "int", "float", "bool", "date")
_PUNCT = " -_.,;:'\"/()&\n"
_ID_ALPHABET = string.ascii_letters + string.digits + "_-." + NORWEGIAN


def texts(*, min_size: int = 0, max_size: int = 24) -> st.SearchStrategy[str]:
    """Text cells: letters (incl. Norwegian), digits, punctuation, quotes, line breaks.

    Drawn strings are already stripped of surrounding whitespace (the
    validator strips cells), and a drawn string of ``min_size >= 1`` is never
    blank.

    Parameters
    ----------
    min_size, max_size : int
        Bounds of the length before stripping.

    Returns
    -------
    SearchStrategy of str

    Raises
    ------
    hypothesis.errors.InvalidArgument
        When ``min_size > max_size``.

    Notes
    -----
    Characters come from ASCII letters and digits, ``æøåÆØÅ``, the punctuation
    ``-_.,;:'"/()&`` with spaces and line breaks, and any Unicode letter or digit
    (categories L and N). Control characters, surrogates and separators other
    than the space are never drawn.

    References
    ----------
    .. [1] D. R. MacIver, Z. Hatfield-Dodds et al., "Hypothesis: A new approach to
       property-based testing", Journal of Open Source Software 4(43), 1891 (2019).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(texts(min_size=1), lambda s: "ø" in s)
    'ø'
    """
    alphabet = st.one_of(
        st.sampled_from(string.ascii_letters + string.digits + NORWEGIAN + _PUNCT),
        st.characters(codec="utf-8", categories=("L", "N")),
    )
    text = st.text(alphabet, min_size=min_size, max_size=max_size).map(str.strip)
    return text.filter(bool) if min_size >= 1 else text


def dates(*, min_year: int = 1900, max_year: int = 2100) -> st.SearchStrategy[dt.date]:
    """Calendar dates between 1 January ``min_year`` and 31 December ``max_year``.

    Parameters
    ----------
    min_year, max_year : int

    Returns
    -------
    SearchStrategy of datetime.date

    Raises
    ------
    ValueError
        When a year is outside 1-9999 or ``min_year > max_year``.

    Notes
    -----
    The default range 1900-2100 covers every date a bundle written as
    ``YYYY-MM-DD`` can hold in a ``datetime64[s]`` column.

    References
    ----------
    .. [1] D. R. MacIver, Z. Hatfield-Dodds et al., "Hypothesis: A new approach to
       property-based testing", Journal of Open Source Software 4(43), 1891 (2019).

    Examples
    --------
    >>> from hypothesis import find
    >>> find(dates(min_year=2000, max_year=2001), lambda d: d.year == 2001)
    datetime.date(2001, 1, 1)
    """
    return st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31))


@functools.cache
def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` or an empty cell (``None``); cached per strategy object."""
    return st.one_of(st.none(), strategy)


def _float_series(values: Sequence[float | None]) -> pd.Series:
    return pd.Series([np.nan if v is None else v for v in values], dtype="float64")


def _date_series(values: Sequence[dt.date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(list(values), dtype=object)),
                     dtype="datetime64[s]")


def _finite(low: float, high: float) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], subnormal ones included."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


# Built once: constructing (and validating) strategies inside every draw is slow.
_TEXT = texts()
_TEXT1 = texts(min_size=1)
_SHORT1 = texts(min_size=1, max_size=10)
_DATE = dates()
_UNIT = _finite(0, 1)
_ORG_NUMBER = st.from_regex(r"[0-9]{9}", fullmatch=True)
_MUNICIPALITY = st.from_regex(r"[0-9]{4}", fullmatch=True)
_NACE = st.from_regex(r"[0-9]{2}(\.[0-9]{1,3})?", fullmatch=True)
_LEGAL_FORM = st.sampled_from(sorted(LEGAL_FORMS))
_PROVENANCE = st.sampled_from(PROVENANCES)
_FUNCTION = st.sampled_from(SUPPORT_FUNCTIONS)
_SHARE = _finite(1e-6, 1)
_WEIGHT = _finite(1e-6, 1e6)
_REVENUE = _finite(0, 1e11)
_ID = st.text(_ID_ALPHABET, min_size=1, max_size=8)
_NUMERIC_TEXT = st.from_regex(r"0[0-9]{1,4}", fullmatch=True)
_EXTRA_NAME = st.sampled_from(EXTRA_COLUMN_NAMES)
_EXTRA_TYPE = st.sampled_from(_EXTRA_TYPES)


def _extra_column(logical: str, n: int) -> st.SearchStrategy[pd.Series]:
    """A column of ``n`` cells of one logical type, some empty."""
    if logical == "text":
        # include numeric-looking text ("0123") that must stay text
        cell: st.SearchStrategy[Any] = st.one_of(_TEXT, _NUMERIC_TEXT)
        return st.lists(_maybe(cell), min_size=n, max_size=n).map(
            lambda v: pd.Series([None if x in (None, "") else x for x in v], dtype="string"))
    if logical == "int":
        return st.lists(_maybe(st.integers(-(2**62), 2**62)), min_size=n, max_size=n).map(
            lambda v: pd.Series(pd.array(v, dtype="Int64")))
    if logical == "float":
        return st.lists(_maybe(_finite(-1e12, 1e12)), min_size=n, max_size=n).map(_float_series)
    if logical == "bool":
        return st.lists(_maybe(st.booleans()), min_size=n, max_size=n).map(
            lambda v: pd.Series(pd.array(v, dtype="boolean")))
    if logical == "date":
        return st.lists(_maybe(_DATE), min_size=n, max_size=n).map(_date_series)
    raise ValueError(f"unknown logical type {logical!r}")  # pragma: no cover


@st.composite
def _extra_columns(draw: st.DrawFn, n: int, max_columns: int) -> dict[str, tuple[pd.Series, str]]:
    names = draw(st.lists(_EXTRA_NAME, max_size=max_columns, unique=True))
    out = {}
    for name in names:
        logical = draw(_EXTRA_TYPE)
        out[name] = (draw(_extra_column(logical, n)), logical)
    return out


def _check_names() -> None:
    known = [c.name for c in (*ACTOR_COLUMNS, *RELATION_COLUMNS)]
    for name in EXTRA_COLUMN_NAMES:
        if name in known or suggest_column(name, known) is not None:  # pragma: no cover
            raise RuntimeError(f"extra column name {name!r} collides with a known column")


_check_names()


@st.composite
def _actor_row(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    is_org = kind != "person"
    org = (lambda s: _maybe(s)) if is_org else (lambda s: st.none())
    return {
        "name": draw(_TEXT1),
        "kind": kind,
        "org_number": draw(org(_ORG_NUMBER)),
        "municipality": draw(_maybe(_MUNICIPALITY)),
        "nace": draw(org(_NACE)),
        "legal_form": draw(org(_LEGAL_FORM)),
        "employees": draw(org(st.integers(0, 2**62))),
        "revenue_nok": draw(org(_REVENUE)),
        "founded": draw(org(st.integers(1000, 2100))),
        "external": draw(st.booleans()),
        "evidence": draw(_maybe(_TEXT1)),
        "provenance": draw(_maybe(_PROVENANCE)),
    }


@st.composite
def actors_frames(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 10,
    kinds: Iterable[str] = ACTOR_KINDS,
    extra_columns: int = 3,
) -> pd.DataFrame:
    """Raw actors frames that pass validation.

    Columns are every known actor column (typed: ``string``, ``Int64``,
    ``float64``, ``boolean``) plus up to ``extra_columns`` extra columns of
    random types. The declared logical type of each extra column is in
    ``frame.attrs["extra_dtypes"]`` (``{"column": "int", ...}``).

    Parameters
    ----------
    min_size, max_size : int
        Number of actors.
    kinds : iterable of str
        Actor kinds to draw from (default every kind).
    extra_columns : int, default 3
        Maximum number of extra columns (0 for none).

    Returns
    -------
    SearchStrategy of DataFrame

    Raises
    ------
    KeyError
        When ``kinds`` holds an unknown actor kind (at draw time).

    Notes
    -----
    Ids are unique, non-empty and free of surrounding spaces. Persons never
    carry organisation fields (``org_number``, ``nace``, ``legal_form``,
    ``employees``, ``revenue_nok``, ``founded``). Every optional cell is empty
    with probability about one half. Extra columns are named from
    :data:`EXTRA_COLUMN_NAMES` (none close to a known column).

    References
    ----------
    .. [1] D. R. MacIver, Z. Hatfield-Dodds et al., "Hypothesis: A new approach to
       property-based testing", Journal of Open Source Software 4(43), 1891 (2019).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from ecograph.core.validate import validate_frames
    >>> no_relations = pd.DataFrame({"source": [], "target": [], "kind": []})
    >>> @settings(max_examples=5, deadline=None)
    ... @given(actors_frames(max_size=4))
    ... def test_valid(frame):
    ...     assert validate_frames(frame, no_relations).issues == []
    >>> test_valid()
    """
    kinds = list(kinds)
    ids = draw(st.lists(_ID, min_size=min_size, max_size=max_size, unique=True))
    kind_strategy = st.sampled_from(kinds)
    rows = [draw(_actor_row(draw(kind_strategy))) for _ in ids]
    frame = pd.DataFrame({"id": pd.Series(ids, dtype="string")})
    for spec in ACTOR_COLUMNS[1:]:
        values = [r[spec.name] for r in rows]
        if spec.dtype == "float64":
            frame[spec.name] = _float_series(values)
        else:
            frame[spec.name] = pd.Series(values, dtype=spec.dtype)
    extra = draw(_extra_columns(len(ids), extra_columns))
    for name, (series, _) in extra.items():
        frame[name] = series.set_axis(frame.index)
    frame.attrs["extra_dtypes"] = {name: logical for name, (_, logical) in extra.items()}
    return frame


def _endpoint_pool(actors: pd.DataFrame) -> dict[str, list[str]]:
    ids = actors["id"].astype(str).tolist()
    kinds = actors["kind"].astype(str).tolist()
    pool: dict[str, list[str]] = {k: [] for k in ACTOR_KINDS}
    for i, k in zip(ids, kinds, strict=True):
        pool[k].append(i)
    return pool


@st.composite
def _relation_row(draw: st.DrawFn, kind: str, source: str, target: str) -> dict[str, Any]:
    rule = RELATION_RULES[kind]
    if rule.roles is not None:
        role = draw(st.sampled_from(rule.roles)) if kind == "board_seat" else draw(
            _maybe(st.sampled_from(rule.roles)))
    else:
        role = draw(_maybe(_SHORT1))
    since = draw(_maybe(_DATE))
    until = draw(_maybe(_DATE))
    if since is not None and until is not None and until < since:
        since, until = until, since
    return {
        "source": source,
        "target": target,
        "kind": kind,
        "role": role,
        "share": draw(_maybe(_SHARE)) if kind == "ownership" else None,
        "competitor_intensity": draw(_maybe(_UNIT)) if kind == "coopetition" else None,
        "partner_intensity": draw(_maybe(_UNIT)) if kind == "coopetition" else None,
        "function": draw(_maybe(_FUNCTION)) if kind == "support" else None,
        "weight": draw(_maybe(_WEIGHT)),
        "since": since,
        "until": until,
        "evidence": draw(_maybe(_TEXT1)),
        "provenance": draw(_maybe(_PROVENANCE)),
        "confidence": draw(_maybe(_UNIT)),
    }


@st.composite
def relations_frames(
    draw: st.DrawFn,
    actors: pd.DataFrame,
    *,
    min_size: int = 0,
    max_size: int = 20,
    kinds: Iterable[str] = RELATION_KINDS,
    extra_columns: int = 2,
) -> pd.DataFrame:
    """Raw relations frames over ``actors`` that pass validation.

    Every relation joins two different actors whose kinds the relation's
    rule allows; board seats have a role from the vocabulary; kind-specific
    fields (``share``, intensities, ``function``) are filled only for their
    kind; the shares into one organisation sum to at most 1; ``since <=
    until``. Relation ids are unique or empty (generated on validation).
    Kinds with no admissible endpoint pair in ``actors`` are skipped, so the
    frame may have fewer than ``min_size`` rows.

    Parameters
    ----------
    actors : DataFrame
        A frame with ``id`` and ``kind`` columns (e.g. drawn by :func:`actors_frames`).
    min_size, max_size : int
        Number of relations to attempt.
    kinds : iterable of str
        Relation kinds to draw from (default every kind).
    extra_columns : int, default 2
        Maximum number of extra columns; types in ``frame.attrs["extra_dtypes"]``.

    Returns
    -------
    SearchStrategy of DataFrame

    Raises
    ------
    KeyError
        When ``kinds`` holds an unknown relation kind, or ``actors`` lacks the
        ``id`` or ``kind`` column.

    Notes
    -----
    A share is drawn in (0, 1] and dropped (left empty) when it would push the
    total into its target above 1, so the ownership-sum rule holds without
    looking at dates. Undirected kinds (co-opetition, tie) keep the drawn
    orientation.

    References
    ----------
    .. [1] D. R. MacIver, Z. Hatfield-Dodds et al., "Hypothesis: A new approach to
       property-based testing", Journal of Open Source Software 4(43), 1891 (2019).

    Examples
    --------
    >>> import pandas as pd
    >>> from hypothesis import given, settings
    >>> actors = pd.DataFrame({"id": ["p", "a", "b"], "name": ["P", "A", "B"],
    ...                        "kind": ["person", "firm", "cooperative"]})
    >>> @settings(max_examples=5, deadline=None)
    ... @given(relations_frames(actors, kinds=["board_seat"]))
    ... def test_board_seats(rel):
    ...     assert set(rel["source"]) <= {"p"}
    >>> test_board_seats()
    """
    pool = _endpoint_pool(actors)
    admissible = []
    for kind in kinds:
        rule = RELATION_RULES[kind]
        sources = [i for k in rule.source_kinds for i in pool[k]]
        targets = [i for k in rule.target_kinds for i in pool[k]]
        if sources and targets and (len(set(sources) | set(targets)) > 1):
            admissible.append((kind, sources, targets))
    n = draw(st.integers(min_size, max_size))
    rows: list[dict[str, Any]] = []
    share_left: dict[str, float] = {}
    for _ in range(n if admissible else 0):
        kind, sources, targets = draw(st.sampled_from(admissible))
        source = draw(st.sampled_from(sources))
        others = [t for t in targets if t != source]
        if not others:
            continue
        target = draw(st.sampled_from(others))
        row = draw(_relation_row(kind, source, target))
        if row["share"] is not None:
            left = share_left.get(target, 1.0)
            if row["share"] > left:
                row["share"] = None
            else:
                share_left[target] = left - row["share"] - 1e-12
        rows.append(row)
    ids = draw(st.lists(_maybe(_ID),
                        min_size=len(rows), max_size=len(rows),
                        unique_by=lambda x: x if x is not None else object()))
    frame = pd.DataFrame({"id": pd.Series(ids, dtype="string")})
    for spec in RELATION_COLUMNS[1:]:
        values = [r[spec.name] for r in rows]
        if spec.dtype == "float64":
            frame[spec.name] = _float_series(values)
        elif spec.dtype.startswith("datetime"):
            frame[spec.name] = _date_series(values)
        else:
            frame[spec.name] = pd.Series(values, dtype=spec.dtype)
    extra = draw(_extra_columns(len(rows), extra_columns))
    for name, (series, _) in extra.items():
        frame[name] = series.set_axis(frame.index)
    frame.attrs["extra_dtypes"] = {name: logical for name, (_, logical) in extra.items()}
    return frame


@st.composite
def _metas(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": draw(_TEXT1),
        "region": draw(_maybe(_TEXT1)),
        "municipalities": tuple(draw(st.lists(_MUNICIPALITY, max_size=3, unique=True))),
        "population": draw(_maybe(st.integers(0, 10**7))),
        "year": draw(_maybe(st.integers(1000, 2100))),
        "sources": [
            {"id": f"s{i}", "title": draw(_TEXT1)}
            for i in range(draw(st.integers(0, 2)))
        ],
    }


@st.composite
def ecosystems(
    draw: st.DrawFn,
    *,
    min_actors: int = 1,
    max_actors: int = 10,
    max_relations: int = 20,
    actor_kinds: Iterable[str] = ACTOR_KINDS,
    relation_kinds: Iterable[str] = RELATION_KINDS,
    extra_columns: bool = True,
) -> Ecosystem:
    """Valid ecosystems built by :meth:`Ecosystem.from_frames`.

    Metadata (name, region, municipalities, population, year, sources) is
    drawn too, and declares the logical type of every extra column, so the
    types survive a write/read round trip. Isolated actors and other
    suspicious but legal input may occur; the ecosystem is built with
    ``warn=False``.

    Parameters
    ----------
    min_actors, max_actors : int
        Number of actors.
    max_relations : int
        Maximum number of relations.
    actor_kinds, relation_kinds : iterable of str
        Kinds to draw from.
    extra_columns : bool, default True
        Whether to add extra columns to both tables.

    Returns
    -------
    SearchStrategy of Ecosystem

    Raises
    ------
    ecograph.exceptions.BundleValidationError
        Never for the drawn data; if it is raised, ecograph and these
        strategies disagree about what is valid (a bug worth reporting).

    Notes
    -----
    Use it for properties that must hold for *every* valid ecosystem, e.g. a
    lossless :func:`ecograph.write_bundle` / :func:`ecograph.read_bundle` round
    trip (see ``tests/io/test_roundtrip.py``). Size draws with ``max_actors``
    and ``max_relations``; generation costs one validation per example.

    References
    ----------
    .. [1] D. R. MacIver, Z. Hatfield-Dodds et al., "Hypothesis: A new approach to
       property-based testing", Journal of Open Source Software 4(43), 1891 (2019).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(ecosystems(max_actors=4, max_relations=4))
    ... def test_vertex_map(eco):
    ...     assert eco.to_igraph().vcount() == len(eco.actors)
    >>> test_vertex_map()
    """
    actors = draw(actors_frames(min_size=min_actors, max_size=max_actors, kinds=actor_kinds,
                                extra_columns=3 if extra_columns else 0))
    relations = draw(relations_frames(actors, max_size=max_relations, kinds=relation_kinds,
                                      extra_columns=2 if extra_columns else 0))
    meta = draw(_metas())
    meta["columns"] = {"actors": dict(actors.attrs["extra_dtypes"]),
                       "relations": dict(relations.attrs["extra_dtypes"])}
    return Ecosystem.from_frames(actors, relations, meta, warn=False)
