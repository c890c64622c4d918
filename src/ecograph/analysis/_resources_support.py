"""Support-function coverage of micro-businesses, substitution simulation, indicators.

Private module behind :mod:`ecograph.analysis.resources`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd

from ecograph.analysis._graphs import pair_values, safe_divide
from ecograph.analysis._resources_graph import (
    check_distance,
    distances,
    graph,
    within_reach,
)
from ecograph.analysis._resources_tables import (
    QUALITY_SCORES,
    SHARED_MODES,
    SUPPORT_GROUPS,
    SUPPORT_MODES,
    SUPPORT_QUALITIES,
    item_key,
    resources_table,
    support_catalogue,
    support_records,
)
from ecograph.core._lookup import positions as id_positions
from ecograph.core.kinds import ORGANISATION_KINDS
from ecograph.exceptions import InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "DEFAULT_HOURS",
    "INDICATOR_NAMES",
    "simulate_substitution",
    "support_coverage",
    "support_indicators",
]

DEFAULT_HOURS: Final[float] = 37.5
"""Hours a year assumed for a function outside the catalogue (one Norwegian working week)."""

Level = Literal["function", "group", "firm", "pair"]
_LEVELS: Final[tuple[str, ...]] = ("function", "group", "firm", "pair")
_OPEN_MODES: Final[tuple[str, ...]] = ("self", "not_done")

_PAIR_COLUMNS: Final[dict[str, str]] = {
    "actor": "string", "actor_name": "string", "employees": "Int64", "function": "string",
    "group": "string", "mode": "string", "quality": "string", "provider": "string",
    "hours_per_year": "float64", "source": "string", "relation": "string", "mode_inferred": "bool",
    "gap": "string", "providers_within_reach": "object", "nearest_provider": "string",
    "nearest_distance": "Int64", "evidence": "string", "provenance": "string",
}
_AGG_COLUMNS: Final[dict[str, str]] = {
    "firms": "int64", "answered": "int64",
    **{m: "int64" for m in SUPPORT_MODES},
    **{q: "int64" for q in SUPPORT_QUALITIES},
    "quality_score": "float64", "not_done_rate": "float64", "self_rate": "float64",
    "shared_share": "float64", "gap_rate": "float64", "providers": "int64",
    "providers_within_reach_share": "float64",
}
_FIRM_COLUMNS: Final[dict[str, str]] = {
    "name": "string", "employees": "Int64", "answered": "int64",
    **{m: "int64" for m in SUPPORT_MODES},
    "poor": "int64", "gaps": "int64", "gaps_with_provider_in_reach": "int64",
    "not_done_functions": "object", "poor_functions": "object", "self_functions": "object",
}
_SUBSTITUTION_COLUMNS: Final[dict[str, str]] = {
    "group": "string", "answered": "int64", "firms_moved": "int64", "newly_covered": "int64",
    "moved_from_self": "int64", "moved_from_other": "int64", "hours_freed": "float64",
    "not_done_rate_before": "float64", "not_done_rate_after": "float64",
    "shared_share_before": "float64", "shared_share_after": "float64",
}

INDICATOR_NAMES: Final[tuple[str, ...]] = (
    "support_firms",
    "support_answers",
    "support_not_done_rate",
    "support_not_done_rate_economy",
    "support_not_done_rate_marketing_sales",
    "support_not_done_rate_development_org",
    "support_self_rate",
    "support_network_share",
    "support_quality_score",
    "support_marketing_gap",
    "providers_within_reach_share",
    "resource_needs",
    "resource_needs_matched_share",
    "resource_needs_within_reach_share",
)
"""Names of the ecosystem-level numbers of :func:`support_indicators`, in order."""


# --------------------------------------------------------------------------- selection
def _firms(eco: Ecosystem, micro_max_employees: int | None, include_unknown_size: bool,
           kinds: Sequence[str]) -> pd.Index:
    check_distance(micro_max_employees, "micro_max_employees", allow_none=True)
    kinds = list(kinds)
    bad = [k for k in kinds if k not in ORGANISATION_KINDS]
    if bad or not kinds:
        raise InputError(f"kinds must be organisation kinds among {list(ORGANISATION_KINDS)}, "
                         f"got {kinds}")
    a = eco.actors
    mask = a["kind"].isin(kinds).to_numpy(dtype=bool)
    if micro_max_employees is not None:
        emp = a["employees"]
        small = (emp <= micro_max_employees).fillna(False).to_numpy(dtype=bool)
        unknown = emp.isna().to_numpy()
        mask = mask & (small | (unknown & bool(include_unknown_size)))
    return a.index[mask]


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _pairs(eco: Ecosystem, micro_max_employees: int | None, include_unknown_size: bool,
           kinds: Sequence[str], reach: int, layers: str | Iterable[str] | None) -> pd.DataFrame:
    """The pair-level table: one row per support answer of a selected firm."""
    check_distance(reach, "reach")
    records = support_records(eco)
    firms = _firms(eco, micro_max_employees, include_unknown_size, kinds)
    rec = records[records["actor"].isin(firms).to_numpy(dtype=bool)].reset_index(drop=True)
    if not len(rec):
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in _PAIR_COLUMNS.items()})
    a = eco.actors
    rec["actor_name"] = a["name"].reindex(rec["actor"].to_numpy()).to_numpy()
    rec["employees"] = a["employees"].reindex(rec["actor"].to_numpy()).to_numpy()
    gap = pd.Series(pd.NA, index=rec.index, dtype="string")
    gap = gap.mask(rec["quality"].eq("poor").fillna(False), "poor")
    rec["gap"] = gap.mask(rec["mode"].eq("not_done").fillna(False), "not_done")

    # candidate providers per function: anyone providing it, or having it as a resource
    res = resources_table(eco)
    has = res[(res["direction"] == "has").to_numpy(dtype=bool)]
    candidates = pd.concat([
        pd.DataFrame({"function_key": records["function_key"], "candidate": records["provider"]}),
        pd.DataFrame({"function_key": item_key(has["item"]), "candidate": has["actor"]}),
    ], ignore_index=True).dropna().drop_duplicates()
    index = eco.actors.index
    # a provider dropped by Ecosystem.select is no candidate
    candidates = candidates[candidates["candidate"].isin(index).to_numpy(dtype=bool)]
    ids = index.to_numpy(dtype=object)
    firm_ids = pd.Index(rec["actor"].unique())
    firm_v = index.get_indexer(firm_ids)
    reach_m = within_reach(eco, layers, firm_v.tolist(), reach)  # firms x actors
    firm_row = firm_ids.get_indexer(pd.Index(rec["actor"]))
    found_row: list[np.ndarray] = []
    found_vertex: list[np.ndarray] = []
    found_distance: list[np.ndarray] = []
    by_function = candidates.groupby("function_key")["candidate"].agg(list)
    for key, positions in rec.groupby("function_key").indices.items():
        cands = by_function.get(key)
        if not cands:
            continue
        cand_v = index.get_indexer(pd.Index(cands))
        block = reach_m[firm_row[positions]][:, cand_v].tocoo()
        r_pos = positions[block.row]
        c_v = cand_v[block.col]
        own = c_v == firm_v[firm_row[r_pos]]  # a firm is not its own provider
        found_row.append(r_pos[~own])
        found_vertex.append(c_v[~own])
        found_distance.append(block.data[~own].astype(np.int64) - 1)
    long = pd.DataFrame({
        "row": _cat(found_row),
        "candidate": ids[_cat(found_vertex)],
        "distance": _cat(found_distance),
    })
    long["candidate"] = long["candidate"].astype("string")
    long = long.sort_values(["row", "distance", "candidate"], kind="stable")
    within = long.groupby("row")["candidate"].agg(list)
    nearest = long.groupby("row").first()
    rec["providers_within_reach"] = [within.get(i, []) for i in range(len(rec))]
    rec["nearest_provider"] = nearest["candidate"].reindex(range(len(rec))).to_numpy()
    rec["nearest_distance"] = nearest["distance"].reindex(range(len(rec))).to_numpy()
    rec = rec.sort_values(["actor", "function_key", "mode", "provider"], kind="stable",
                          na_position="last")
    out = rec[list(_PAIR_COLUMNS)].reset_index(drop=True)
    out["nearest_distance"] = pd.array(out["nearest_distance"].to_numpy(dtype="float64"),
                                       dtype="Float64").astype("Int64")
    return out.astype(_PAIR_COLUMNS)


# --------------------------------------------------------------------------- aggregation
def _pair_modes(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per (actor, function) with a boolean column per mode and the answer's facts."""
    key = item_key(pairs["function"])
    flags = pd.crosstab([pairs["actor"], key.rename("function_key")], pairs["mode"]).gt(0)
    flags = flags.reindex(columns=list(SUPPORT_MODES), fill_value=False)
    reach = pairs.assign(function_key=key.to_numpy(),
                         reachable=pairs["providers_within_reach"].map(len).gt(0).to_numpy())
    reachable = reach.groupby(["actor", "function_key"])["reachable"].any()
    group = reach.groupby(["actor", "function_key"])["group"].first()
    out = flags.join(reachable).join(group)
    out["open"] = ~out[[m for m in SUPPORT_MODES if m not in _OPEN_MODES]].any(axis=1)
    out["shared"] = out[list(SHARED_MODES)].any(axis=1)
    poor = reach.assign(poor=reach["quality"].eq("poor").fillna(False)).groupby(
        ["actor", "function_key"])["poor"].any()
    out["poor"] = poor
    return out.reset_index()


def _summarise(pairs: pd.DataFrame, per_pair: pd.DataFrame, by: str) -> pd.DataFrame:
    key = pairs.assign(function_key=item_key(pairs["function"]).to_numpy())
    grouped = per_pair.groupby(by)
    out = pd.DataFrame({
        "firms": grouped["actor"].nunique(),
        "answered": grouped.size(),
        **{m: grouped[m].sum() for m in SUPPORT_MODES},
    })
    quality = pd.crosstab(key[by], key["quality"]).reindex(columns=list(SUPPORT_QUALITIES),
                                                           fill_value=0)
    out = out.join(quality).fillna({q: 0 for q in SUPPORT_QUALITIES})
    rated = out[list(SUPPORT_QUALITIES)].sum(axis=1)
    weighted = sum(out[q] * QUALITY_SCORES[q] for q in SUPPORT_QUALITIES)
    out["quality_score"] = safe_divide(weighted, rated, np.nan)
    out["not_done_rate"] = out["not_done"] / out["answered"]
    out["self_rate"] = out["self"] / out["answered"]
    out["shared_share"] = grouped["shared"].sum() / out["answered"]
    out["gap_rate"] = (per_pair["not_done"] | per_pair["poor"]).groupby(per_pair[by]).mean()
    out["providers"] = key.groupby(by)["provider"].nunique().reindex(out.index).fillna(0)
    open_pairs = per_pair[per_pair["open"]]
    share = open_pairs.groupby(by)["reachable"].mean()
    out["providers_within_reach_share"] = share.reindex(out.index).astype("float64")
    return out.astype(_AGG_COLUMNS)[list(_AGG_COLUMNS)]


def _group_order(values: pd.Index) -> list[str]:
    rank = {g: i for i, g in enumerate(SUPPORT_GROUPS)}
    return sorted(values, key=lambda g: (rank.get(g, len(rank)), g))


def support_coverage(
    eco: Ecosystem,
    *,
    level: Level = "function",
    micro_max_employees: int | None = 4,
    include_unknown_size: bool = True,
    kinds: Sequence[str] = ("firm", "cooperative"),
    reach: int = 2,
    layers: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """How micro-businesses get support functions done: modes, quality, gaps, providers in reach.

    Parameters
    ----------
    eco : Ecosystem
        With a ``support`` table and/or ``support`` relations (see
        :func:`~ecograph.analysis.resources.validate_support_table`).
    level : {"function", "group", "firm", "pair"}, default "function"
        ``function``: the function x mode matrix with quality and gap rates
        (one row per function); ``group``: the same per function group
        (economy, marketing_sales, development_org, other); ``firm``: the
        gap list per firm; ``pair``: one row per answer.
    micro_max_employees : int or None, default 4
        Size rule for a micro-business (report 004: 0-4 employees). ``None``
        keeps firms of every size.
    include_unknown_size : bool, default True
        Keep firms whose ``employees`` is empty (unknown is not 0; survey
        samples often lack the size).
    kinds : sequence of str, default ("firm", "cooperative")
        Actor kinds that count as businesses.
    reach : int, default 2
        A provider is "within reach" of a firm at hop distance <= ``reach``
        in the multiplex graph.
    layers : str or iterable of str, optional
        Relation kinds used for reach (default: all).

    Returns
    -------
    DataFrame
        ``level="function"`` (index ``function``) and ``level="group"``
        (index ``group``): ``group`` (function level only), ``firms``,
        ``answered`` (firm-function pairs), one count per mode (``self``,
        ``bought``, ``network``, ``cooperative``, ``intermediary``,
        ``not_done``), ``good`` / ``medium`` / ``poor`` (rated answers),
        ``quality_score``, ``not_done_rate``, ``self_rate``,
        ``shared_share``, ``gap_rate``, ``providers`` (distinct providers)
        and ``providers_within_reach_share``.

        ``level="firm"`` (index ``actor_id``): ``name``, ``employees``,
        ``answered``, a count per mode, ``poor``, ``gaps`` (functions not
        done or done poorly), ``gaps_with_provider_in_reach`` and the lists
        ``not_done_functions``, ``poor_functions``, ``self_functions``.

        ``level="pair"`` (RangeIndex): ``actor``, ``actor_name``,
        ``employees``, ``function``, ``group``, ``mode``, ``quality``,
        ``provider``, ``hours_per_year``, ``source``, ``relation``,
        ``mode_inferred``, ``gap`` (``not_done``, ``poor`` or empty),
        ``providers_within_reach`` (ids, nearest first),
        ``nearest_provider``, ``nearest_distance``, ``evidence``,
        ``provenance``.

        Without support data the frame is empty with these columns.

    Raises
    ------
    InputError
        For an unknown ``level``, a bad size rule, ``reach`` or kind.
    BundleValidationError
        When a ``support`` relation has an invalid ``mode`` or ``quality``.

    Notes
    -----
    The answers come from ``support.csv`` and from ``support`` relations
    (a table row wins for the same firm and function; see
    ``support_records``). A firm-function pair may have several modes (two
    relations with different providers); each mode is counted once per pair,
    so the mode counts of a row can add up to more than ``answered``.

    * not-done rate = pairs not done / pairs answered (report 004 §2.1: the
      share of support tasks left undone);
    * self rate = pairs done by the firm itself / pairs answered;
    * shared share = pairs with a network, cooperative or intermediary mode
      / pairs answered;
    * gap rate = pairs not done or rated poor / pairs answered (for
      ``marketing_sales`` this is the seed digest's "marketing gap");
    * quality score = mean of good = 1, medium = 0.5, poor = 0 over the
      rated answers (NaN when none is rated; only performed tasks are rated);
    * providers within reach share = among the *open* pairs (done by the
      firm itself or not at all) the share with at least one provider of
      that function within ``reach``. A provider of a function is an actor
      that provides it to someone (a table ``provider`` or the source of a
      ``support`` relation) or that *has* a resource item of the same name.
      NaN when there is no open pair.

    References
    ----------
    .. [1] Østlandsforskning (2016). *Hvordan lykkes stort som små?*
       ØF-rapport 05/2016, §2.1 and §3 (seed digest §5.4, §5.9).

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import support_coverage
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b", "acc"], "name": ["Farm A", "Farm B", "Accountant"],
    ...                   "kind": ["firm", "firm", "firm"], "employees": [1, 2, 12]}),
    ...     pd.DataFrame({"source": ["acc", "a"], "target": ["a", "b"], "kind": ["support", "tie"],
    ...                   "function": ["annual_accounts", None]}),
    ...     tables={"support": pd.DataFrame({
    ...         "actor": ["a", "b", "b"], "function": ["marketing", "marketing", "annual_accounts"],
    ...         "mode": ["self", "not_done", "self"], "quality": ["poor", None, "good"]})})
    >>> cov = support_coverage(eco)
    >>> cov[["answered", "self", "bought", "not_done", "not_done_rate", "gap_rate"]]
                     answered  self  bought  not_done  not_done_rate  gap_rate
    function
    annual_accounts         2     1       1         0            0.0       0.0
    marketing               2     1       0         1            0.5       1.0
    >>> cov.loc["annual_accounts", "providers_within_reach_share"]
    np.float64(1.0)
    """
    if level not in _LEVELS:
        raise InputError(f"level must be one of {list(_LEVELS)}, got {level!r}")
    pairs = _pairs(eco, micro_max_employees, include_unknown_size, kinds, reach, layers)
    if level == "pair":
        return pairs
    if level == "firm":
        return _firm_level(eco, pairs)
    if not len(pairs):
        cols = dict(_AGG_COLUMNS)
        if level == "function":
            cols = {"group": "string", **cols}
        empty = pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()})
        empty.index = pd.Index([], name=level, dtype="string")
        return empty
    per_pair = _pair_modes(pairs)
    if level == "group":
        out = _summarise(pairs, per_pair, "group")
        out = out.loc[_group_order(out.index)]
        out.index = pd.Index(out.index, name="group", dtype="string")
        return out
    out = _summarise(pairs, per_pair, "function_key")
    group = per_pair.groupby("function_key")["group"].first()
    out.insert(0, "group", group.reindex(out.index).astype("string"))
    rank = {g: i for i, g in enumerate(SUPPORT_GROUPS)}
    order = sorted(out.index, key=lambda f: (rank.get(str(out.at[f, "group"]), 99), f))
    out = out.loc[order]
    out.index = pd.Index(out.index, name="function", dtype="string")
    return out


def _firm_level(eco: Ecosystem, pairs: pd.DataFrame) -> pd.DataFrame:
    if not len(pairs):
        empty = pd.DataFrame({c: pd.Series(dtype=d) for c, d in _FIRM_COLUMNS.items()})
        empty.index = pd.Index([], name="actor_id", dtype="string")
        return empty
    per_pair = _pair_modes(pairs)
    grouped = per_pair.groupby("actor")
    gaps = per_pair["not_done"] | per_pair["poor"]
    out = pd.DataFrame({
        "answered": grouped.size(),
        **{m: grouped[m].sum() for m in SUPPORT_MODES},
        "poor": grouped["poor"].sum(),
        "gaps": gaps.groupby(per_pair["actor"]).sum(),
        "gaps_with_provider_in_reach":
            (gaps & per_pair["reachable"]).groupby(per_pair["actor"]).sum(),
    })

    def listed(mask: pd.Series) -> pd.Series:
        return per_pair[mask].groupby("actor")["function_key"].agg(sorted)

    for name, mask in (("not_done_functions", per_pair["not_done"]),
                       ("poor_functions", per_pair["poor"]),
                       ("self_functions", per_pair["self"])):
        lists = listed(mask)
        out[name] = [lists.get(a, []) for a in out.index]
    out.insert(0, "name", eco.actors["name"].reindex(out.index).to_numpy())
    out.insert(1, "employees", eco.actors["employees"].reindex(out.index).to_numpy())
    out.index = pd.Index(out.index, name="actor_id", dtype="string")
    out = out.sort_values(["gaps", "answered"], ascending=[False, False], kind="stable")
    return out.astype(_FIRM_COLUMNS)[list(_FIRM_COLUMNS)]


# --------------------------------------------------------------------------- substitution
def _hours_lookup(
    hours: float | Mapping[str, float] | None,
) -> tuple[float | None, dict[str, float]]:
    if hours is None:
        return None, {}
    if isinstance(hours, Mapping):
        out = {}
        for k, v in hours.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v) or v < 0:
                raise InputError(f"hours for {k!r} must be a finite number >= 0, got {v!r}")
            out[str(item_key(pd.Series([k])).iloc[0])] = float(v)
        return None, out
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not np.isfinite(hours) \
            or hours < 0:
        raise InputError(f"hours must be a finite number >= 0 or a mapping, got {hours!r}")
    return float(hours), {}


def simulate_substitution(
    eco: Ecosystem,
    *,
    functions: Iterable[str] | None = None,
    from_modes: Iterable[str] = ("not_done", "self"),
    to_mode: str = "network",
    provider: str | None = None,
    reach: int = 2,
    max_firms: int | None = None,
    hours: float | Mapping[str, float] | None = None,
    coordination_share: float = 0.0,
    micro_max_employees: int | None = 4,
    include_unknown_size: bool = True,
    kinds: Sequence[str] = ("firm", "cooperative"),
    layers: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Simulate moving support functions to a network or shared provider.

    Report 004 finds micro-businesses doing support tasks themselves or not
    at all, and networks, cooperatives, destination companies and
    employer-for-hire schemes that could take them over (§3, §4). This
    function moves every selected firm-function pair whose mode is in
    ``from_modes`` to ``to_mode`` and reports firms covered and capacity
    freed.

    Parameters
    ----------
    eco : Ecosystem
    functions : iterable of str, optional
        Functions to move (default: every function answered).
    from_modes : iterable of str, default ("not_done", "self")
        Modes to move from; a pair moves only when all its modes are among them.
    to_mode : {"network", "cooperative", "intermediary"}, default "network"
    provider : str, optional
        Id of the shared provider. When given, only firms within ``reach``
        of it move (nearest first when ``max_firms`` limits them); without
        it every selected firm can move (a new provider open to all).
    reach : int, default 2
        Hop distance for "within reach" of the provider.
    max_firms : int, optional
        Capacity of the provider: at most this many firms per function.
    hours : float or mapping, optional
        Hours a year one function takes a firm: one number for all, or per
        function. Default: the ``hours_per_year`` of the support table row,
        else the catalogue's assumption (:func:`support_catalogue`), else
        :data:`DEFAULT_HOURS`. A ``hours_per_year`` in the table always wins.
    coordination_share : float, default 0.0
        Share of the hours a firm still spends on the function after
        handing it over (coordination with the provider; report 004 §3.4
        warns that network work costs time). 0 gives the gross upper bound.
    micro_max_employees, include_unknown_size, kinds, layers
        As in :func:`support_coverage`.

    Returns
    -------
    DataFrame
        Indexed by ``function`` plus a last row ``(all)``: ``group``,
        ``answered``, ``firms_moved``, ``newly_covered`` (pairs that were
        not done), ``moved_from_self``, ``moved_from_other`` (e.g.
        ``bought`` when listed in ``from_modes``), ``hours_freed``,
        ``not_done_rate_before`` / ``_after``, ``shared_share_before`` /
        ``_after``. Empty (with these columns) when there is no support data.

    Raises
    ------
    ActorNotFound
        When ``provider`` is not in the ecosystem.
    InputError
        For an unknown mode, a ``to_mode`` that is not a shared mode, a
        ``from_modes`` containing ``to_mode``, a negative ``max_firms``,
        ``hours`` or a ``coordination_share`` outside [0, 1).

    Notes
    -----
    Freed capacity counts only functions the firm did itself:

    .. math::

        H = \\sum_{\\text{moved self pairs}} h_{f} \\, (1 - c)

    with :math:`h_f` the hours of function :math:`f` and :math:`c` the
    coordination share. A function that was not done becomes done
    (``newly_covered``) but frees no time. The hours default is an
    assumption (one 37.5-hour working week a year per function) because
    the sources give no hours per function; pass measured hours when you
    have them.

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import simulate_substitution
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b", "net"], "name": ["Farm A", "Farm B", "Network"],
    ...                   "kind": ["firm", "firm", "business_network"], "employees": [1, 2, None]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["net", "net"],
    ...                   "kind": ["membership"] * 2}),
    ...     tables={"support": pd.DataFrame({
    ...         "actor": ["a", "b"], "function": ["bookkeeping"] * 2, "mode": ["self", "not_done"],
    ...         "hours_per_year": [60, None]})})
    >>> sim = simulate_substitution(eco, provider="net")
    >>> sim[["firms_moved", "newly_covered", "moved_from_self", "hours_freed"]]
                 firms_moved  newly_covered  moved_from_self  hours_freed
    function
    bookkeeping            2              1                1         60.0
    (all)                  2              1                1         60.0
    >>> float(sim.loc["(all)", "not_done_rate_after"])
    0.0
    """
    from_modes = list(from_modes)
    bad = [m for m in [*from_modes, to_mode] if m not in SUPPORT_MODES]
    if bad:
        raise InputError(f"unknown mode(s) {bad}; expected some of {list(SUPPORT_MODES)}")
    if to_mode not in SHARED_MODES:
        raise InputError(f"to_mode must be one of {list(SHARED_MODES)}, got {to_mode!r}")
    if to_mode in from_modes:
        raise InputError(f"from_modes must not contain to_mode {to_mode!r}")
    check_distance(max_firms, "max_firms", allow_none=True)
    if isinstance(coordination_share, bool) or not isinstance(coordination_share, int | float) \
            or not 0 <= coordination_share < 1:
        raise InputError(f"coordination_share must be in [0, 1), got {coordination_share!r}")
    default_hours, per_function = _hours_lookup(hours)
    if provider is not None:
        eco.actor(provider)
    pairs = _pairs(eco, micro_max_employees, include_unknown_size, kinds, reach, layers)
    empty = pd.DataFrame({c: pd.Series(dtype=d) for c, d in _SUBSTITUTION_COLUMNS.items()})
    empty.index = pd.Index([], name="function", dtype="string")
    if not len(pairs):
        return empty
    per_pair = _pair_modes(pairs)
    if functions is not None:
        wanted = set(item_key(pd.Series(list(functions), dtype="string")).tolist())
        selected = per_pair["function_key"].isin(wanted).to_numpy(dtype=bool)
    else:
        selected = np.ones(len(per_pair), dtype=bool)
    other_modes = [m for m in SUPPORT_MODES if m not in from_modes]
    movable = selected & ~per_pair[other_modes].any(axis=1).to_numpy(dtype=bool)
    movable = movable & per_pair[from_modes].any(axis=1).to_numpy(dtype=bool)
    if provider is not None:
        index = eco.actors.index
        g = graph(eco, layers)
        firm_ids = pd.Index(per_pair["actor"].unique())
        source = int(eco.vertices_of([provider])[0])
        d = distances(g, [source], index.get_indexer(firm_ids).tolist())[0]
        dist = pd.Series(d, index=firm_ids).reindex(per_pair["actor"].to_numpy()).to_numpy()
        movable = movable & (dist <= reach)
        movable = movable & (per_pair["actor"] != provider).to_numpy(dtype=bool)
    else:
        dist = np.zeros(len(per_pair))
    if max_firms is not None:
        cand = per_pair.assign(_d=dist)[movable].sort_values(["function_key", "_d", "actor"])
        keep = cand.groupby("function_key").head(max_firms).index
        movable = per_pair.index.isin(keep)
    moved = per_pair[movable]

    # hours of the moved self pairs
    catalogue = support_catalogue()
    key = item_key(pairs["function"])
    table_hours = pairs.assign(function_key=key.to_numpy()).groupby(
        ["actor", "function_key"])["hours_per_year"].max()
    h = table_hours.reindex(pd.MultiIndex.from_frame(moved[["actor", "function_key"]])).to_numpy(
        dtype="float64") if len(moved) else np.array([])
    fallback = np.array([per_function.get(f, default_hours if default_hours is not None else
                                          catalogue["hours_per_year"].get(f, DEFAULT_HOURS))
                         for f in moved["function_key"]], dtype="float64")
    h = np.where(np.isnan(h), fallback, h) if len(moved) else h
    freed = np.where(moved["self"].to_numpy(dtype=bool), h * (1.0 - coordination_share), 0.0)
    moved = moved.assign(hours=freed)

    after = per_pair.copy()
    for m in SUPPORT_MODES:
        after.loc[movable, m] = m == to_mode
    after["shared"] = after[list(SHARED_MODES)].any(axis=1)

    def rates(frame: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
        grouped = frame.groupby(by)
        return pd.DataFrame({"answered": grouped.size(), "not_done": grouped["not_done"].mean(),
                             "shared": grouped["shared"].mean()})

    before_r = rates(per_pair, per_pair["function_key"])
    after_r = rates(after, after["function_key"])
    mg = moved.groupby("function_key")
    out = pd.DataFrame({
        "group": per_pair.groupby("function_key")["group"].first(),
        "answered": before_r["answered"],
        "firms_moved": mg["actor"].nunique(),
        "newly_covered": mg["not_done"].sum(),
        "moved_from_self": mg["self"].sum(),
        "hours_freed": mg["hours"].sum(),
        "not_done_rate_before": before_r["not_done"],
        "not_done_rate_after": after_r["not_done"],
        "shared_share_before": before_r["shared"],
        "shared_share_after": after_r["shared"],
    })
    out = out.fillna({"firms_moved": 0, "newly_covered": 0, "moved_from_self": 0,
                      "hours_freed": 0.0})
    out["moved_from_other"] = (mg.size().reindex(out.index).fillna(0) - out["newly_covered"]
                               - out["moved_from_self"])
    rank = {g: i for i, g in enumerate(SUPPORT_GROUPS)}
    out = out.loc[sorted(out.index, key=lambda f: (rank.get(str(out.at[f, "group"]), 99), f))]
    total = pd.DataFrame({
        "group": [pd.NA], "answered": [len(per_pair)], "firms_moved": [moved["actor"].nunique()],
        "newly_covered": [int(moved["not_done"].sum())],
        "moved_from_self": [int(moved["self"].sum())],
        "moved_from_other": [int(len(moved) - moved["not_done"].sum() - moved["self"].sum())],
        "hours_freed": [float(moved["hours"].sum())],
        "not_done_rate_before": [float(per_pair["not_done"].mean())],
        "not_done_rate_after": [float(after["not_done"].mean())],
        "shared_share_before": [float(per_pair["shared"].mean())],
        "shared_share_after": [float(after["shared"].mean())],
    }, index=["(all)"])
    out = pd.concat([out, total])
    out.index = pd.Index(out.index, name="function", dtype="string")
    return out.astype(_SUBSTITUTION_COLUMNS)[list(_SUBSTITUTION_COLUMNS)]


# --------------------------------------------------------------------------- indicators
def support_indicators(
    eco: Ecosystem,
    *,
    micro_max_employees: int | None = 4,
    include_unknown_size: bool = True,
    kinds: Sequence[str] = ("firm", "cooperative"),
    reach: int = 2,
    layers: str | Iterable[str] | None = None,
) -> pd.Series:
    """Ecosystem-level support and resource numbers for scoring models.

    Inputs for the material layer (support services) of Spigel (2017) and
    the support systems of Miles & Morrison (2018).

    Parameters
    ----------
    eco : Ecosystem
    micro_max_employees, include_unknown_size, kinds, reach, layers
        As in :func:`support_coverage`.

    Returns
    -------
    Series
        Float values indexed by :data:`INDICATOR_NAMES`:

        * ``support_firms``, ``support_answers``: micro-businesses with
          support answers and their firm-function pairs;
        * ``support_not_done_rate`` and ``support_not_done_rate_<group>``
          for economy, marketing_sales, development_org;
        * ``support_self_rate``;
        * ``support_network_share``: pairs served by a network, cooperative
          or intermediary;
        * ``support_quality_score``;
        * ``support_marketing_gap``: pairs in marketing_sales not done or
          rated poor (seed digest §6.4);
        * ``providers_within_reach_share``: open pairs (self or not done)
          with a provider of the function within ``reach``;
        * ``resource_needs``: needs in the resources table;
        * ``resource_needs_matched_share``: needs that another actor of the
          ecosystem has (connected or not);
        * ``resource_needs_within_reach_share``: needs with a provider
          within ``reach``.

        A rate without data (no answers, no needs, no open pair) is NaN,
        never 0: "not measured" is not "none".

    Raises
    ------
    InputError
        As :func:`support_coverage`.

    Notes
    -----
    The definitions are those of :func:`support_coverage` and
    :func:`match_resources`; the rates are over firm-function pairs.

    References
    ----------
    .. [1] Spigel, B. (2017). The relational organization of
       entrepreneurial ecosystems. *Entrepreneurship Theory and Practice*
       41(1), 49-72.
    .. [2] Miles, M. P. and Morrison, M. (2018). An effectual leadership
       perspective for developing rural entrepreneurial ecosystems. *Small
       Business Economics* 54, 933-949.

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import support_indicators
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]}),
    ...     pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["tie"]}),
    ...     tables={"support": pd.DataFrame({"actor": ["a", "a", "b"],
    ...                                      "function": ["marketing", "bookkeeping", "marketing"],
    ...                                      "mode": ["not_done", "self", "network"]})})
    >>> ind = support_indicators(eco)
    >>> ind[["support_firms", "support_not_done_rate", "support_network_share"]].round(3).tolist()
    [2.0, 0.333, 0.333]
    >>> bool(pd.isna(ind["resource_needs_matched_share"]))
    True
    """
    pairs = _pairs(eco, micro_max_employees, include_unknown_size, kinds, reach, layers)
    values: dict[str, float] = dict.fromkeys(INDICATOR_NAMES, np.nan)
    values["support_firms"] = float(pairs["actor"].nunique())
    if len(pairs):
        per_pair = _pair_modes(pairs)
        values["support_answers"] = float(len(per_pair))
        values["support_not_done_rate"] = float(per_pair["not_done"].mean())
        for group in ("economy", "marketing_sales", "development_org"):
            sub = per_pair[per_pair["group"] == group]
            if len(sub):
                values[f"support_not_done_rate_{group}"] = float(sub["not_done"].mean())
        values["support_self_rate"] = float(per_pair["self"].mean())
        values["support_network_share"] = float(per_pair["shared"].mean())
        rated = pairs["quality"].dropna()
        if len(rated):
            values["support_quality_score"] = float(rated.map(QUALITY_SCORES).mean())
        marketing = per_pair[per_pair["group"] == "marketing_sales"]
        if len(marketing):
            gap = marketing["not_done"] | marketing["poor"]
            values["support_marketing_gap"] = float(gap.mean())
        open_pairs = per_pair[per_pair["open"]]
        if len(open_pairs):
            values["providers_within_reach_share"] = float(open_pairs["reachable"].mean())
    else:
        values["support_answers"] = 0.0
    values.update(_need_shares(eco, reach, layers))
    return pd.Series(values, name=eco.meta.name, dtype="float64")


def _need_shares(eco: Ecosystem, reach: int,
                 layers: str | Iterable[str] | None) -> dict[str, float]:
    """Count needs; the shares another actor has anywhere or within ``reach``."""
    res = resources_table(eco)
    is_need = (res["direction"] == "needs").to_numpy(dtype=bool)
    needs = pd.DataFrame({"need": np.arange(int(is_need.sum())),
                          "actor": res["actor"].to_numpy()[is_need],
                          "key": item_key(res["item"]).to_numpy()[is_need]})
    out = {"resource_needs": float(len(needs)), "resource_needs_matched_share": np.nan,
           "resource_needs_within_reach_share": np.nan}
    if not len(needs):
        graph(eco, layers)  # still validate the layers
        return out
    has = pd.DataFrame({"holder": res["actor"].to_numpy()[~is_need],
                        "key": item_key(res["item"]).to_numpy()[~is_need]})
    pairs = needs.merge(has, on="key")
    pairs = pairs[(pairs["actor"] != pairs["holder"]).to_numpy(dtype=bool)]
    out["resource_needs_matched_share"] = float(needs["need"].isin(pairs["need"]).mean())
    index = eco.actors.index
    a = id_positions(pairs["actor"], index)
    b = id_positions(pairs["holder"], index)
    sources, a_row = np.unique(a, return_inverse=True)
    ball = within_reach(eco, layers, sources.tolist(), reach)
    near = pair_values(ball, a_row, b) > 0
    out["resource_needs_within_reach_share"] = float(
        needs["need"].isin(pairs["need"].to_numpy()[near]).mean())
    return out
