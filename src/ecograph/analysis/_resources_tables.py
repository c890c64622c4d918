"""The optional ``resources`` and ``support`` bundle tables: vocabulary, validation, access.

Private module behind :mod:`ecograph.analysis.resources`. The validators are
registered in :data:`ecograph.core.tables.TABLES`; they are called by
:func:`ecograph.read_bundle` when ``resources.csv`` / ``support.csv`` exist and
by ``Ecosystem.from_frames(..., tables=...)``.
"""

from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from ecograph.core.kinds import ORGANISATION_KINDS, PROVENANCES
from ecograph.core.schema import ColumnSpec
from ecograph.core.validate import _check_choices, _check_required, _emit, _rows, _type_table
from ecograph.exceptions import BundleValidationError, Issue

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "OPPORTUNITIES",
    "QUALITY_SCORES",
    "RESOURCE_CATEGORIES",
    "RESOURCE_COLUMNS",
    "RESOURCE_DIRECTIONS",
    "SHARED_MODES",
    "SUPPORT_COLUMNS",
    "SUPPORT_GROUPS",
    "SUPPORT_MODES",
    "SUPPORT_QUALITIES",
    "item_key",
    "resource_vocabulary",
    "resources_table",
    "support_catalogue",
    "support_records",
    "support_table",
    "validate_resources_table",
    "validate_support_table",
]

RESOURCE_DIRECTIONS: Final[tuple[str, ...]] = ("has", "needs")
"""Whether an actor has a resource or needs it."""

RESOURCE_CATEGORIES: Final[tuple[str, ...]] = (
    "human", "organisational", "physical", "technological", "financial", "reputation",
)
"""The five resource categories of resource-based theory plus reputation (seed digest §2.1)."""

OPPORTUNITIES: Final[tuple[str, ...]] = (
    "contract_production", "shared_equipment", "raw_material_exchange", "joint_investment",
)
"""Kinds of shared-production opportunity among producers (thesis §4.5, Tabell 9)."""

SUPPORT_MODES: Final[tuple[str, ...]] = (
    "self", "bought", "network", "cooperative", "intermediary", "not_done",
)
"""How a firm gets a support function done (report 004 §2.1 and §3)."""

SHARED_MODES: Final[tuple[str, ...]] = ("network", "cooperative", "intermediary")
"""Modes in which a shared arrangement provides a function (not bought, not done alone)."""

SUPPORT_QUALITIES: Final[tuple[str, ...]] = ("good", "medium", "poor")
"""Quality of a performed support function, as rated by the firm."""

QUALITY_SCORES: Final[dict[str, float]] = {"good": 1.0, "medium": 0.5, "poor": 0.0}
"""Numeric value of each quality rating used for quality scores."""

SUPPORT_GROUPS: Final[tuple[str, ...]] = ("economy", "marketing_sales", "development_org", "other")
"""Function groups of report 004 §2.1; ``other`` holds functions outside the shipped catalogue."""

RESOURCE_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec("actor", "string", "text", True),
    ColumnSpec("direction", "string", "text", True),
    ColumnSpec("category", "string", "text", True),
    ColumnSpec("item", "string", "text", True),
    ColumnSpec("quantity", "float64", "number"),
    ColumnSpec("unit", "string", "text"),
    ColumnSpec("evidence", "string", "text"),
    ColumnSpec("provenance", "string", "text"),
)
"""Columns of ``resources.csv``; further columns are kept as text."""

SUPPORT_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec("actor", "string", "text", True),
    ColumnSpec("function", "string", "text", True),
    ColumnSpec("mode", "string", "text", True),
    ColumnSpec("quality", "string", "text"),
    ColumnSpec("provider", "string", "text"),
    ColumnSpec("hours_per_year", "float64", "number"),
    ColumnSpec("evidence", "string", "text"),
    ColumnSpec("provenance", "string", "text"),
)
"""Columns of ``support.csv``; further columns are kept as text."""

_MODE_BY_PROVIDER_KIND: Final[dict[str, str]] = {
    "person": "bought",
    "firm": "bought",
    "cooperative": "cooperative",
    "business_network": "network",
    "support_organisation": "intermediary",
    "public_body": "intermediary",
    "knowledge_institution": "intermediary",
}
"""Mode assumed for a ``support`` relation without a ``mode`` column value."""


def item_key(values: pd.Series) -> pd.Series:
    """Normalise item or function names for matching.

    Lower case, surrounding blanks removed, runs of blanks and hyphens
    replaced by one underscore: ``"Production capacity"``,
    ``"production-capacity"`` and ``"production_capacity"`` all match.

    Parameters
    ----------
    values : Series of str

    Returns
    -------
    Series of str
    """
    text = values.astype("string").str.strip().str.lower()
    return text.str.replace(r"[\s\-]+", "_", regex=True)


@functools.cache
def _read_data(name: str) -> pd.DataFrame:
    path = importlib_resources.files("ecograph.analysis").joinpath("data", name)
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""])


def resource_vocabulary() -> pd.DataFrame:
    """The shipped vocabulary of resource items, drawn from the two seed sources.

    Items outside the vocabulary are allowed in ``resources.csv``; the
    vocabulary only gives names to agree on and marks the items that make a
    shared-production opportunity.

    Returns
    -------
    DataFrame
        Indexed by ``item``; columns ``category`` (one of
        :data:`RESOURCE_CATEGORIES`), ``opportunity`` (one of
        :data:`OPPORTUNITIES` or missing), ``description`` and
        ``seed_reference`` ("000" is the Røros thesis, "004" the report on
        micro-businesses, as in the seed digest).

    Examples
    --------
    >>> from ecograph.analysis.resources import resource_vocabulary
    >>> voc = resource_vocabulary()
    >>> voc.loc["production_capacity", ["category", "opportunity"]].tolist()
    ['physical', 'contract_production']
    >>> sorted(voc["category"].unique())
    ['financial', 'human', 'organisational', 'physical', 'reputation', 'technological']
    """
    frame = _read_data("resource_items.csv").astype("string")
    return frame.set_index("item")


def support_catalogue() -> pd.DataFrame:
    """The shipped catalogue of support functions with their group and hours assumption.

    Returns
    -------
    DataFrame
        Indexed by ``function``; columns ``group`` (economy,
        marketing_sales, development_org: report 004 §2.1), ``mandatory``
        (bool), ``hours_per_year`` (float), ``hours_basis``,
        ``description`` and ``seed_reference``.

    Notes
    -----
    ``hours_per_year`` is an **assumption**, not a measurement: the sources
    give no hours per function, so every function defaults to one
    37.5-hour working week a year (the Norwegian normal working week).
    :func:`simulate_substitution` uses it only where ``support.csv`` has no
    ``hours_per_year`` and no ``hours`` argument is given.

    Examples
    --------
    >>> from ecograph.analysis.resources import support_catalogue
    >>> cat = support_catalogue()
    >>> cat.loc["annual_accounts", "group"], bool(cat.loc["annual_accounts", "mandatory"])
    ('economy', True)
    >>> sorted(cat["group"].unique())
    ['development_org', 'economy', 'marketing_sales']
    """
    frame = _read_data("support_functions.csv")
    out = frame.astype("string")
    out["mandatory"] = frame["mandatory"].eq("true").astype(bool)
    out["hours_per_year"] = frame["hours_per_year"].astype("float64")
    return out.set_index("function")


# --------------------------------------------------------------------------- validation
def _typed(frame: pd.DataFrame, specs: tuple[ColumnSpec, ...], file: str,
           issues: list[Issue]) -> tuple[pd.DataFrame, set[str]]:
    """Type a raw table: known columns by spec, every other column as text."""
    present = {str(c).strip() for c in frame.columns}
    known = {s.name for s in specs}
    declared = {c: "text" for c in present if c not in known}
    typed, _ = _type_table(frame, specs, file, declared, issues)
    return typed, present


def _check_actor(typed: pd.DataFrame, eco: Ecosystem, col: str, file: str,
                 issues: list[Issue]) -> None:
    ids = typed[col]
    known = ids.isin(eco.actors.index).fillna(False).to_numpy(dtype=bool)
    unknown = ids.notna().to_numpy() & ~known
    _emit(issues, file, _rows(unknown), col, "no actor with this id in the actors table",
          list(ids[unknown]))


def _check_positive(typed: pd.DataFrame, col: str, file: str, issues: list[Issue]) -> None:
    values = typed[col].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & (values <= 0)
    _emit(issues, file, _rows(bad), col, "must be greater than 0", list(values[bad]))


def _check_duplicates(typed: pd.DataFrame, keys: list[pd.Series], file: str, field: str,
                      what: str, issues: list[Issue]) -> None:
    frame = pd.DataFrame({f"k{i}": k.to_numpy() for i, k in enumerate(keys)})
    complete = frame.notna().all(axis=1).to_numpy()
    dup = frame.duplicated(keep="first").to_numpy() & complete
    if not dup.any():
        return
    first = frame[complete].reset_index().groupby(list(frame.columns))["index"].min()
    for pos in _rows(dup)[:1000]:
        key = tuple(frame.iloc[pos])
        issues.append(Issue(file, int(pos) + 2, field,
                            f"{what}, first given in row {int(first.loc[key]) + 2}",
                            typed[field].iloc[pos]))


def validate_resources_table(eco: Ecosystem, frame: pd.DataFrame,
                             file: str = "<resources>") -> pd.DataFrame:
    """Type and validate a ``resources.csv`` table against an ecosystem.

    Parameters
    ----------
    eco : Ecosystem
        The ecosystem whose actors the table describes.
    frame : DataFrame
        The raw table (strings from a CSV, or typed values): columns
        ``actor``, ``direction``, ``category``, ``item`` (required),
        ``quantity``, ``unit``, ``evidence``, ``provenance`` (optional) and
        any further column.
    file : str, default "<resources>"
        File name used in error locations.

    Returns
    -------
    DataFrame
        The typed table with a RangeIndex, columns in the order above
        (``quantity`` as float64, the others as strings) followed by the
        further columns, kept as text.

    Raises
    ------
    BundleValidationError
        With one :class:`~ecograph.exceptions.Issue` per problem (file, row,
        field, value): a missing required column or value, an actor id that
        is not in the ecosystem, a ``direction`` other than has / needs, a
        ``category`` outside :data:`RESOURCE_CATEGORIES`, a ``quantity``
        that is not a finite number greater than 0, an unknown
        ``provenance``, a misspelt column name, or the same actor,
        direction and item twice. Row numbers count the header as row 1.

    Notes
    -----
    Items are free text. Names in :func:`resource_vocabulary` are preferred;
    any other item is accepted without a warning. Items are matched after
    :func:`item_key` normalisation (case, blanks and hyphens are ignored).
    Further columns are kept as text so that a write / read round trip
    through CSV or Parquet is lossless.

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import validate_resources_table
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["o1", "o2"], "name": ["Dairy", "Farm"], "kind": ["firm", "firm"]}),
    ...     pd.DataFrame({"source": ["o1"], "target": ["o2"], "kind": ["supply"]}))
    >>> raw = pd.DataFrame({"actor": ["o1", "o3"], "direction": ["has", "wants"],
    ...                     "category": ["physical", "physical"], "item": ["cold_storage", "x"]})
    >>> try:
    ...     validate_resources_table(eco, raw, "resources.csv")
    ... except ecograph.exceptions.BundleValidationError as err:
    ...     print(err.issues[0]); print(err.issues[1])
    resources.csv, row 3, field 'direction': expected one of ['has', 'needs'] (got 'wants')
    resources.csv, row 3, field 'actor': no actor with this id in the actors table (got 'o3')
    """
    issues: list[Issue] = []
    typed, present = _typed(frame, RESOURCE_COLUMNS, file, issues)
    _check_required(typed, RESOURCE_COLUMNS, file, issues, present)
    _check_choices(typed, "direction", RESOURCE_DIRECTIONS, file, issues)
    _check_choices(typed, "category", RESOURCE_CATEGORIES, file, issues)
    _check_choices(typed, "provenance", PROVENANCES, file, issues)
    _check_positive(typed, "quantity", file, issues)
    _check_actor(typed, eco, "actor", file, issues)
    _check_duplicates(typed, [typed["actor"], typed["direction"], item_key(typed["item"])], file,
                      "item", "the same actor, direction and item appear twice", issues)
    if issues:
        raise BundleValidationError(issues, headline=f"invalid resources table {file}")
    return typed


def validate_support_table(eco: Ecosystem, frame: pd.DataFrame,
                           file: str = "<support>") -> pd.DataFrame:
    """Type and validate a ``support.csv`` table (how firms get support functions done).

    One row per firm and support function, as in the survey of report 004
    §2.1: the firm does it itself, buys it, gets it through a network, a
    cooperative or an intermediary, or it is not done.

    Parameters
    ----------
    eco : Ecosystem
        The ecosystem whose actors the table describes.
    frame : DataFrame
        The raw table: ``actor``, ``function``, ``mode`` (required),
        ``quality``, ``provider``, ``hours_per_year``, ``evidence``,
        ``provenance`` (optional) and any further column.
    file : str, default "<support>"
        File name used in error locations.

    Returns
    -------
    DataFrame
        The typed table with a RangeIndex (``hours_per_year`` float64, the
        other known columns strings, further columns text).

    Raises
    ------
    BundleValidationError
        With one issue per problem: a missing required column or value;
        an ``actor`` that is not in the ecosystem or is a person (support
        goes to organisations); a ``mode`` outside :data:`SUPPORT_MODES`;
        a ``quality`` outside good / medium / poor, or a quality for a
        function that is ``not_done`` (only performed tasks are rated); a
        ``provider`` that is not in the ecosystem, equals the actor (use mode
        ``self``) or is given for mode ``self`` or ``not_done``; an
        ``hours_per_year`` that is not a number greater than 0; an unknown
        ``provenance``; the same actor and function twice.

    Notes
    -----
    Why a table and not only ``support`` relations: a relation needs two
    different actors, so "the firm does it itself" and "nobody does it"
    cannot be relations. ``support.csv`` holds every survey answer;
    ``support`` relations (provider -> firm, with ``function`` and optional
    extra columns ``mode`` and ``quality``) add the provided functions a
    table does not list. Functions are free text; those in
    :func:`support_catalogue` get their group, others fall into group
    ``other``. ``hours_per_year`` is the time the function takes the firm
    when it does it itself (used by :func:`simulate_substitution`).
    The survey answer "do it in cooperation with others" is mode
    ``network``; ``cooperative`` is reserved for a cooperative the firm
    belongs to (e.g. Rørosmat's joint sales for its member-owners).

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import validate_support_table
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["o1", "acc"], "name": ["Farm", "Accountant"],
    ...                   "kind": ["firm", "firm"]}),
    ...     pd.DataFrame({"source": ["acc"], "target": ["o1"], "kind": ["support"],
    ...                   "function": ["annual_accounts"]}))
    >>> raw = pd.DataFrame({"actor": ["o1", "o1"], "function": ["marketing", "bookkeeping"],
    ...                     "mode": ["not_done", "self"], "quality": ["poor", None],
    ...                     "provider": [None, "acc"]})
    >>> try:
    ...     validate_support_table(eco, raw, "support.csv")
    ... except ecograph.exceptions.BundleValidationError as err:
    ...     for issue in err.issues: print(issue.row, issue.field, issue.value)
    ...     print(err.issues[0].message)
    2 quality poor
    3 provider acc
    a function that is not done has no quality rating
    """
    issues: list[Issue] = []
    typed, present = _typed(frame, SUPPORT_COLUMNS, file, issues)
    _check_required(typed, SUPPORT_COLUMNS, file, issues, present)
    _check_choices(typed, "mode", SUPPORT_MODES, file, issues)
    _check_choices(typed, "quality", SUPPORT_QUALITIES, file, issues)
    _check_choices(typed, "provenance", PROVENANCES, file, issues)
    _check_positive(typed, "hours_per_year", file, issues)
    mode = typed["mode"]
    not_done = mode.eq("not_done").fillna(False).to_numpy(dtype=bool)
    rated = not_done & typed["quality"].notna().to_numpy()
    _emit(issues, file, _rows(rated), "quality",
          "a function that is not done has no quality rating", list(typed["quality"][rated]))
    _check_actor(typed, eco, "actor", file, issues)
    kinds = pd.Series(eco.actors["kind"].to_numpy(), index=eco.actors.index)
    actor_kind = kinds.reindex(typed["actor"].to_numpy()).to_numpy()
    person = pd.Series(actor_kind).eq("person").fillna(False).to_numpy(dtype=bool)
    _emit(issues, file, _rows(person), "actor",
          f"support functions are recorded for organisations ({', '.join(ORGANISATION_KINDS)}), "
          "not for a person", list(typed["actor"][person]))
    provider = typed["provider"]
    has_provider = provider.notna().to_numpy()
    _check_actor(typed, eco, "provider", file, issues)
    same = has_provider & (provider == typed["actor"]).fillna(False).to_numpy(dtype=bool)
    _emit(issues, file, _rows(same), "provider",
          "the provider is the actor itself; use mode 'self' and leave provider empty",
          list(provider[same]))
    provided = [m for m in SUPPORT_MODES if m not in ("self", "not_done")]
    for m in ("self", "not_done"):
        bad = has_provider & ~same & mode.eq(m).fillna(False).to_numpy(dtype=bool)
        _emit(issues, file, _rows(bad), "provider",
              f"a provider only applies to modes {', '.join(provided)}, not to {m!r}",
              list(provider[bad]))
    _check_duplicates(typed, [typed["actor"], item_key(typed["function"])], file, "function",
                      "the same actor and function appear twice", issues)
    if issues:
        raise BundleValidationError(issues, headline=f"invalid support table {file}")
    return typed


# --------------------------------------------------------------------------- access
def _empty(specs: tuple[ColumnSpec, ...]) -> pd.DataFrame:
    return pd.DataFrame({s.name: pd.Series(dtype=s.dtype) for s in specs})


def resources_table(eco: Ecosystem) -> pd.DataFrame:
    """The ecosystem's ``resources`` table, or an empty typed one."""
    table = eco.tables.get("resources")
    return _empty(RESOURCE_COLUMNS) if table is None else table


def support_table(eco: Ecosystem) -> pd.DataFrame:
    """The ecosystem's ``support`` table, or an empty typed one."""
    table = eco.tables.get("support")
    return _empty(SUPPORT_COLUMNS) if table is None else table


_RECORD_DTYPES: Final[dict[str, str]] = {
    "actor": "string", "function": "string", "function_key": "string", "group": "string",
    "mode": "string", "quality": "string", "provider": "string", "hours_per_year": "float64",
    "source": "string", "relation": "string", "mode_inferred": "bool", "evidence": "string",
    "provenance": "string",
}


def support_records(eco: Ecosystem) -> pd.DataFrame:
    """Every support answer of the ecosystem: the ``support`` table plus ``support`` relations.

    Parameters
    ----------
    eco : Ecosystem

    Returns
    -------
    DataFrame
        One row per answer (RangeIndex) with columns ``actor``,
        ``function``, ``function_key`` (see :func:`item_key`), ``group``,
        ``mode``, ``quality``, ``provider``, ``hours_per_year``, ``source``
        (``"table"`` or ``"relation"``), ``relation`` (relation id),
        ``mode_inferred``, ``evidence``, ``provenance``.

    Raises
    ------
    BundleValidationError
        When a ``support`` relation has a ``mode`` other than bought,
        network, cooperative or intermediary, or a ``quality`` other than
        good, medium or poor (location ``<relations>``, row, field).

    Notes
    -----
    A table row wins over relations for the same actor and function (it is
    the firm's own answer); relations add the other pairs, one row per
    relation. Relations without a ``function`` are left out. A relation's
    mode is its ``mode`` column when filled, otherwise assumed from the
    provider's kind: a person or firm is ``bought``, a cooperative
    ``cooperative``, a business network ``network``, a support organisation,
    public body or knowledge institution ``intermediary``
    (``mode_inferred`` is then true).
    """
    table = support_table(eco)
    catalogue = support_catalogue()
    parts = []
    if len(table):
        t = pd.DataFrame({
            "actor": table["actor"], "function": table["function"], "mode": table["mode"],
            "quality": table["quality"], "provider": table["provider"],
            "hours_per_year": table["hours_per_year"], "source": "table",
            "relation": pd.Series(pd.NA, index=table.index, dtype="string"),
            "mode_inferred": False, "evidence": table["evidence"],
            "provenance": table["provenance"],
        })
        parts.append(t)
    rel = eco.relations
    sup = rel[(rel["kind"] == "support").to_numpy(dtype=bool) & rel["function"].notna().to_numpy()]
    if len(sup):
        issues: list[Issue] = []
        positions = np.flatnonzero((rel["kind"] == "support").to_numpy(dtype=bool)
                                   & rel["function"].notna().to_numpy())
        given_mode = (sup["mode"].astype("string").str.strip() if "mode" in sup.columns
                      else pd.Series(pd.NA, index=sup.index, dtype="string"))
        given_quality = (sup["quality"].astype("string").str.strip() if "quality" in sup.columns
                         else pd.Series(pd.NA, index=sup.index, dtype="string"))
        allowed = [m for m in SUPPORT_MODES if m not in ("self", "not_done")]
        listed = given_mode.isin(allowed).fillna(False).to_numpy(dtype=bool)
        bad_mode = given_mode.notna().to_numpy() & ~listed
        for k in np.flatnonzero(bad_mode):
            issues.append(Issue("<relations>", int(positions[k]) + 2, "mode",
                                f"a support relation's mode must be one of {allowed} "
                                "(self and not_done belong in the support table)",
                                given_mode.iloc[k]))
        bad_q = given_quality.notna().to_numpy() & ~given_quality.isin(
            list(SUPPORT_QUALITIES)).fillna(False).to_numpy(bool)
        for k in np.flatnonzero(bad_q):
            issues.append(Issue("<relations>", int(positions[k]) + 2, "quality",
                                f"expected one of {list(SUPPORT_QUALITIES)}",
                                given_quality.iloc[k]))
        if issues:
            raise BundleValidationError(issues, headline="invalid support relations")
        provider_kind = eco.actors["kind"].reindex(sup["source"].to_numpy()).to_numpy()
        assumed = pd.Series(provider_kind).map(_MODE_BY_PROVIDER_KIND).to_numpy()
        mode = given_mode.astype(object).to_numpy()
        inferred = pd.isna(given_mode).to_numpy()
        mode = np.where(inferred, assumed, mode)
        r = pd.DataFrame({
            "actor": sup["target"].to_numpy(), "function": sup["function"].to_numpy(),
            "mode": mode, "quality": given_quality.to_numpy(), "provider": sup["source"].to_numpy(),
            "hours_per_year": np.nan, "source": "relation", "relation": sup["id"].to_numpy(),
            "mode_inferred": inferred, "evidence": sup["evidence"].to_numpy(),
            "provenance": sup["provenance"].to_numpy(),
        })
        if len(table):
            answered = pd.MultiIndex.from_arrays([table["actor"], item_key(table["function"])])
            pair = pd.MultiIndex.from_arrays([r["actor"].astype("string"),
                                              item_key(r["function"].astype("string"))])
            r = r[~pair.isin(answered)]
        parts.append(r)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in _RECORD_DTYPES.items()})
    out = pd.concat(parts, ignore_index=True)
    out["function_key"] = item_key(out["function"].astype("string"))
    group = catalogue["group"].reindex(out["function_key"].to_numpy()).to_numpy()
    out["group"] = pd.Series(group).fillna("other").to_numpy()
    return out.astype(_RECORD_DTYPES)[list(_RECORD_DTYPES)]

