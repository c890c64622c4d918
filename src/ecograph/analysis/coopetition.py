"""Co-opetition placement: dyads and actors on the competition x cooperation plane.

Every organisation pair with a ``coopetition`` relation (and, on request,
every inferred candidate pair) gets a competitor intensity and a partner
intensity, a category from a declarative placement model (Luo 2007 by
default: contending, partnering, adapting, isolating), a continuous balance
score and its distance to the category boundaries, so that boundary cases
are visible instead of being forced into a box. Organisations are placed by
aggregating their dyads, and get Luo's diversity position. Persons who sit
on the boards or in the management of both organisations of a dyad are
listed: the thesis's objection to binary placement in thin-and-dense
networks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ecograph.analysis._coopetition_pairs import actor_key, factor_codes, nace_at
from ecograph.analysis._graphs import ratio, safe_divide
from ecograph.analysis.coopetition_inference import (
    DateInput,
    InferenceInput,
    infer_coopetition,
)
from ecograph.analysis.coopetition_model import (
    PlacementModel,
    ThresholdInput,
    load_coopetition_model,
    load_inference_model,
    resolve_thresholds,
)
from ecograph.core._lookup import positions
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError

__all__ = [
    "DYAD_COLUMNS",
    "coopetition",
    "coopetition_drift",
    "coopetition_periods",
    "coopetition_persons",
    "coopetition_summary",
]

_DECIMALS = 12
"""Computed positions are rounded to this many decimals before they meet a threshold."""

ModelInput = str | Path | PlacementModel | Mapping[str, Any] | None
ThresholdsInput = ThresholdInput | Mapping[str, ThresholdInput] | None

DYAD_COLUMNS: tuple[str, ...] = (
    "org_a", "org_b", "competitor_intensity", "partner_intensity", "category", "label",
    "balance", "strength", "balanced_strength", "dominance",
    "competitor_margin", "partner_margin", "boundary_distance",
    "competitor_threshold", "partner_threshold",
    "provenance", "competitor_source", "partner_source",
    "person_mediated", "mediating_persons", "same_industry",
    "stated", "competitor_inferred", "partner_inferred", "industry_level", "same_area",
    "size_similarity", "shared_persons", "joint_membership", "supply", "support",
    "shared_owners", "n_relations", "relation_ids", "evidence",
)
"""Columns of ``coopetition(eco, level="dyad")``, in order."""


# --------------------------------------------------------------------------- geometry
def _geometry(c: np.ndarray, p: np.ndarray, tc: float, tp: float,
              model: PlacementModel) -> dict[str, Any]:
    """Category, balance and boundary distances of points (c, p) for thresholds (tc, tp)."""
    placed = ~np.isnan(c) & ~np.isnan(p) & (not np.isnan(tc)) & (not np.isnan(tp))
    with np.errstate(invalid="ignore"):
        c_high = c >= tc
        p_high = p >= tp
    category = np.full(len(c), None, dtype=object)
    label = np.full(len(c), None, dtype=object)
    for name, cell in model.categories.items():
        hit = (placed & (c_high == (cell.competitor == "high"))
               & (p_high == (cell.partner == "high")))
        category[hit] = name
        label[hit] = cell.label
    balance = 1.0 - np.abs(c - p)
    strength = (c + p) / 2.0
    cm = c - tc
    pm = p - tp
    return {
        "category": pd.array(category, dtype="string"),
        "label": pd.array(label, dtype="string"),
        "balance": balance,
        "strength": strength,
        "balanced_strength": balance * strength,
        "dominance": p - c,
        "competitor_margin": cm,
        "partner_margin": pm,
        "boundary_distance": np.minimum(np.abs(cm), np.abs(pm)),
    }


def _mediating_persons(eco: Ecosystem, dyads: pd.DataFrame, kinds: Iterable[str]) -> pd.Series:
    """Persons with a role of ``kinds`` in both organisations of each dyad (``;``-joined)."""
    out = pd.Series(pd.NA, index=dyads.index, dtype="string")
    rel = eco.relations
    roles = rel.loc[rel["kind"].isin(list(kinds)).to_numpy(dtype=bool), ["source", "target"]]
    if roles.empty or dyads.empty:
        return out
    roles = roles.drop_duplicates().rename(columns={"source": "person", "target": "org"})
    pairs = pd.DataFrame({"row": np.arange(len(dyads)), "org_a": dyads["org_a"].to_numpy(),
                          "org_b": dyads["org_b"].to_numpy()})
    m1 = pairs.merge(roles, left_on="org_a", right_on="org")[["row", "org_b", "person"]]
    m2 = m1.merge(roles, left_on=["person", "org_b"], right_on=["person", "org"])
    if m2.empty:
        return out
    m2 = m2[["row", "person"]].drop_duplicates().sort_values(["row", "person"])
    joined = m2.groupby("row")["person"].agg(lambda v: ";".join(map(str, v)))
    out.iloc[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _same_industry(eco: Ecosystem, dyads: pd.DataFrame, level: str) -> pd.Series:
    codes = factor_codes(nace_at(eco.actors["nace"], level))
    a = positions(dyads["org_a"], eco.actors.index)
    b = positions(dyads["org_b"], eco.actors.index)
    known = (codes[a] >= 0) & (codes[b] >= 0)
    out = pd.array(codes[a] == codes[b], dtype="boolean")
    out[~known] = pd.NA
    return pd.Series(out, index=dyads.index)


# --------------------------------------------------------------------------- dyads
def _dyads(
    eco: Ecosystem, *, model: PlacementModel, thresholds: ThresholdsInput,
    inference: InferenceInput, stated_only: bool, candidates: bool, date: DateInput,
) -> tuple[pd.DataFrame, float, float]:
    if date is not None:
        eco = eco.as_of(date)
    inf_model = load_inference_model(inference)
    t = infer_coopetition(eco, model=inf_model, pairs="blocking" if candidates else "stated",
                          stated_only=stated_only)
    th = resolve_thresholds(model, thresholds)
    c = t["competitor_intensity"].to_numpy(dtype="float64")
    p = t["partner_intensity"].to_numpy(dtype="float64")
    tc = th.competitor.resolve(c)
    tp = th.partner.resolve(p)
    geo = _geometry(c, p, tc, tp, model)
    for name, values in geo.items():
        t[name] = values
    t["competitor_threshold"] = tc
    t["partner_threshold"] = tp
    mediated = t["shared_persons"].to_numpy() > 0
    t["person_mediated"] = mediated
    t["mediating_persons"] = pd.Series(pd.NA, index=t.index, dtype="string")
    if mediated.any():
        t.loc[mediated, "mediating_persons"] = _mediating_persons(
            eco, t[mediated], inf_model.partner.person_kinds).to_numpy()
    t["same_industry"] = _same_industry(eco, t, model.same_industry_level)
    return t[list(DYAD_COLUMNS)], tc, tp


def coopetition(
    eco: Ecosystem,
    *,
    level: Literal["dyad", "actor"] = "dyad",
    model: ModelInput = None,
    thresholds: ThresholdsInput = None,
    inference: InferenceInput = None,
    stated_only: bool = False,
    candidates: bool = False,
    date: DateInput = None,
) -> pd.DataFrame:
    """Place co-opetition dyads or organisations on the competition x cooperation plane.

    Parameters
    ----------
    eco : Ecosystem
    level : {"dyad", "actor"}, default "dyad"
        One row per organisation pair, or one row per organisation.
    model : str, Path, PlacementModel or mapping, optional
        The placement model (default: the shipped ``luo2007``).
    thresholds : float, "median", Threshold, mapping, optional
        Override the model's thresholds: a number or ``"median"`` or a
        threshold table (``{"method": "quantile", "q": 0.75}``) for both
        axes, or ``{"competitor": ..., "partner": ...}`` per axis.
    inference : str, Path, InferenceModel or mapping, optional
        The inference model that fills missing intensities (default: the
        shipped ``inference``).
    stated_only : bool, default False
        Use stated intensities only; a dyad with a missing value is kept
        with NaN intensities and no category.
    candidates : bool, default False
        Also place every inferred candidate pair of the inference model's
        blocking (not only pairs with a ``coopetition`` relation).
    date : str or date, optional
        Place the relations valid on this date (:meth:`Ecosystem.as_of`).

    Returns
    -------
    DataFrame
        **Dyad level**: one row per pair (``org_a < org_b``) with the
        columns of :data:`DYAD_COLUMNS`:
        ``competitor_intensity``, ``partner_intensity``; ``category`` and its
        neutral ``label`` (``HC-LP`` ...; NA when a value is missing);
        ``balance``, ``strength``, ``balanced_strength``, ``dominance``;
        ``competitor_margin``, ``partner_margin``, ``boundary_distance``;
        the thresholds used; ``provenance``, ``competitor_source``,
        ``partner_source``; ``person_mediated`` and ``mediating_persons``
        (``;``-joined person ids); ``same_industry`` (at the model's
        ``same_industry_level``); and the evidence columns of
        :func:`~ecograph.analysis.coopetition_inference.infer_coopetition` (whose
        compact dtypes it keeps: ``org_a`` / ``org_b`` are ordered
        categoricals over the actor ids).

        **Actor level**: indexed by ``actor_id`` (organisations with at least
        one dyad): ``name``, ``kind``, ``n_dyads``, ``n_rivals``,
        ``n_markets``, ``competitor_position``, ``partner_position``,
        ``category``, ``label``, ``balance``, ``strength``,
        ``balanced_strength``, ``dominance``, the margins and
        ``boundary_distance``, ``n_<category>`` per category,
        ``n_person_mediated``, ``diversity`` and the thresholds used.

    Raises
    ------
    InputError
        When ``level`` is unknown.
    ModelSpecError
        When a model or a threshold override is invalid.

    Notes
    -----
    **Categories.** With competitor intensity ``c``, partner intensity ``p``
    and thresholds ``t_c``, ``t_p``, an axis is *high* when the value is
    **greater than or equal to** its threshold. Luo (2007): contending =
    high c / low p, partnering = low c / high p, adapting = high / high,
    isolating = low / low. Fixed thresholds are numbers; ``median`` and
    ``quantile`` thresholds are computed over the placed dyads (see
    :class:`~ecograph.analysis.coopetition_model.Threshold`), so they are
    invariant under any strictly increasing rescaling of the intensities.

    **Continuous scores** (in the spirit of Park, Srivastava & Gnyawali
    2014, who treat the balance and the strength of competition and
    cooperation as separate dimensions)::

        balance           = 1 - |c - p|          in [0, 1]; 1 = equal intensities
        strength          = (c + p) / 2          in [0, 1]
        balanced_strength = balance * strength   high only when both are high and equal
        dominance         = p - c                > 0 cooperation-dominated (Bengtsson & Kock 2000)
        competitor_margin = c - t_c,  partner_margin = p - t_p
        boundary_distance = min(|c - t_c|, |p - t_p|)

    ``boundary_distance`` is the Euclidean distance from the point to the
    nearest category boundary line; a dyad with a small distance sits on
    the edge of its category. These are ecograph's definitions, not the
    measures of the cited papers.

    **Several relations per pair.** The latest relation is used (the one
    that ends last, an open ``until`` being latest, then the latest
    ``since``); relations tied on both are averaged. Use ``date`` or
    :func:`coopetition_periods` for placement per period.

    **Person-mediated.** ``person_mediated`` is true when at least one
    person holds a board seat or a management role (the inference model's
    ``partner.person_kinds``) in both organisations.

    **Actor level.** An organisation's ``competitor_position`` and
    ``partner_position`` aggregate its dyads (the model's
    ``actor.aggregate``: mean by default, NaN ignored), rounded to 12
    decimals so that a mean that is exactly on a threshold in decimal
    arithmetic is not pushed below it by binary rounding, and are placed
    with the dyad-level thresholds. ``n_rivals`` counts its dyads whose category
    is in ``diversity.rival_categories`` (every dyad by default);
    ``n_markets`` counts the distinct markets (``diversity.market``:
    municipality by default) of the organisation itself and of those
    rivals. The diversity position splits ``n_rivals`` and ``n_markets`` at
    the model's thresholds (``>=`` is *many*). Luo (2007) defines the four
    positions (dispersing, concentrating, connecting, networking) by the
    number of rivals and the number of markets in co-opetition; which cell
    carries which name in Luo's figure **could not be verified**. The
    default model reads concentrating = few rivals / few markets,
    dispersing = few / many, connecting = many / few, networking =
    many / many; the assignment lives in the model file and can be changed.

    References
    ----------
    .. [1] Luo, Y. (2007). A coopetition perspective of global competition.
       *Journal of World Business* 42(2), 129-144.
    .. [2] Park, B.-J., Srivastava, M. K. & Gnyawali, D. R. (2014). Walking
       the tight rope of coopetition: impact of competition and cooperation
       intensities and balance on firm innovation performance. *Industrial
       Marketing Management* 43(2), 210-221.
    .. [3] Bengtsson, M. & Kock, S. (2000). "Coopetition" in business
       networks - to cooperate and compete simultaneously. *Industrial
       Marketing Management* 29(5), 411-426.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["h1", "h2", "h3"], "name": ["H1", "H2", "H3"], "kind": "firm"}),
    ...     pd.DataFrame({"source": ["h1", "h1", "h2"], "target": ["h2", "h3", "h3"],
    ...                   "kind": "coopetition", "competitor_intensity": [0.3, 0.8, 0.5],
    ...                   "partner_intensity": [0.9, 0.2, 0.5]}))
    >>> d = coopetition(eco)
    >>> d[["org_a", "org_b", "category", "balance", "boundary_distance"]]
      org_a org_b    category  balance  boundary_distance
    0    h1    h2  partnering      0.4                0.2
    1    h1    h3  contending      0.4                0.3
    2    h2    h3    adapting      1.0                0.0
    >>> coopetition(eco, level="actor")[["n_rivals", "competitor_position", "category"]]
              n_rivals  competitor_position    category
    actor_id
    h1               2                 0.55    adapting
    h2               2                 0.40  partnering
    h3               2                 0.65  contending
    """
    if level not in ("dyad", "actor"):
        raise InputError(f"level must be 'dyad' or 'actor', got {level!r}")
    pm = load_coopetition_model(model)
    dyads, tc, tp = _dyads(eco, model=pm, thresholds=thresholds, inference=inference,
                           stated_only=stated_only, candidates=candidates, date=date)
    if level == "dyad":
        return dyads
    return _actors(eco.as_of(date) if date is not None else eco, dyads, pm, tc, tp)


# --------------------------------------------------------------------------- actors
def _actors(eco: Ecosystem, dyads: pd.DataFrame, model: PlacementModel,
            tc: float, tp: float) -> pd.DataFrame:
    cats = list(model.categories)
    div = model.diversity
    oa = dyads["org_a"].to_numpy(dtype=object)
    ob = dyads["org_b"].to_numpy(dtype=object)
    long = pd.DataFrame({
        "actor_id": np.r_[oa, ob],
        "rival": np.r_[ob, oa],
        "c": np.tile(dyads["competitor_intensity"].to_numpy(dtype="float64"), 2),
        "p": np.tile(dyads["partner_intensity"].to_numpy(dtype="float64"), 2),
        "category": np.tile(dyads["category"].to_numpy(dtype=object), 2),
        "mediated": np.tile(dyads["person_mediated"].to_numpy(dtype=bool), 2),
    })
    if div.rival_categories is None:
        long["is_rival"] = True
    else:
        long["is_rival"] = long["category"].isin(list(div.rival_categories)).to_numpy(dtype=bool)
    codes, uniques = pd.factorize(long["actor_id"], sort=True)
    k = len(uniques)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=mask.astype("float64"), minlength=k).astype("int64")

    how = model.actor.aggregate
    positions = {}
    for col in ("c", "p"):
        x = long[col].to_numpy(dtype="float64")
        if how == "mean":
            known = ~np.isnan(x)
            total = np.bincount(codes, weights=np.where(known, x, 0.0), minlength=k)
            n_known = np.bincount(codes, weights=known.astype("float64"), minlength=k)
            positions[col] = safe_divide(total, n_known, np.nan)
        else:
            positions[col] = long.groupby(codes)[col].agg(how).reindex(range(k)).to_numpy()
        # snap binary rounding error (0.49999999999999994 -> 0.5) before thresholds apply
        positions[col] = np.round(positions[col], _DECIMALS)
    category = long["category"].astype("string")
    out = pd.DataFrame({
        "n_dyads": np.bincount(codes, minlength=k),
        "n_rivals": count(long["is_rival"].to_numpy(dtype=bool)),
        "competitor_position": positions["c"],
        "partner_position": positions["p"],
        "n_person_mediated": count(long["mediated"].to_numpy(dtype=bool)),
        **{f"n_{cat}": count((category == cat).fillna(False).to_numpy(dtype=bool))
           for cat in cats},
    }, index=pd.Index(uniques, dtype=object))
    # markets: the organisation's own market and its counted rivals' markets
    market = actor_key(eco.actors, div.market)
    market_of = pd.Series(market.to_numpy(dtype=object),
                          index=eco.actors.index.to_numpy(dtype=object))
    own = pd.DataFrame({"actor_id": out.index.to_numpy(dtype=object),
                        "market": market_of.reindex(out.index.to_numpy(dtype=object)).to_numpy()})
    riv = long[long["is_rival"].to_numpy(dtype=bool)]
    rivals = pd.DataFrame({"actor_id": riv["actor_id"].to_numpy(),
                           "market": market_of.reindex(riv["rival"].to_numpy()).to_numpy()})
    markets = pd.concat([own, rivals], ignore_index=True).dropna().drop_duplicates()
    out["n_markets"] = markets.groupby("actor_id").size().reindex(out.index, fill_value=0)
    for col in ["n_dyads", "n_rivals", "n_markets", "n_person_mediated", *[f"n_{c}" for c in cats]]:
        out[col] = out[col].astype("int64")

    c = out["competitor_position"].to_numpy(dtype="float64")
    p = out["partner_position"].to_numpy(dtype="float64")
    geo = _geometry(c, p, tc, tp, model)
    tr = div.rivals.resolve(out["n_rivals"].to_numpy(dtype="float64"))
    tm = div.markets.resolve(out["n_markets"].to_numpy(dtype="float64"))
    rivals_high = out["n_rivals"].to_numpy() >= tr
    markets_high = out["n_markets"].to_numpy() >= tm
    diversity = np.full(len(out), None, dtype=object)
    if not (np.isnan(tr) or np.isnan(tm)):
        for name, cell in div.positions.items():
            hit = ((rivals_high == (cell.rivals == "high"))
                   & (markets_high == (cell.markets == "high")))
            diversity[hit] = name
    names = eco.actors["name"].reindex(out.index)
    kinds = eco.actors["kind"].reindex(out.index)
    result = pd.DataFrame({
        "name": names.to_numpy(),
        "kind": kinds.to_numpy(),
        "n_dyads": out["n_dyads"].to_numpy(),
        "n_rivals": out["n_rivals"].to_numpy(),
        "n_markets": out["n_markets"].to_numpy(),
        "competitor_position": c,
        "partner_position": p,
        **{k: geo[k] for k in ("category", "label", "balance", "strength", "balanced_strength",
                               "dominance", "competitor_margin", "partner_margin",
                               "boundary_distance")},
        **{f"n_{cat}": out[f"n_{cat}"].to_numpy() for cat in cats},
        "n_person_mediated": out["n_person_mediated"].to_numpy(),
        "diversity": pd.array(diversity, dtype="string"),
        "rivals_threshold": tr,
        "markets_threshold": tm,
        "competitor_threshold": tc,
        "partner_threshold": tp,
    }, index=pd.Index(out.index.to_numpy(dtype=object), dtype="string", name="actor_id"))
    result["name"] = result["name"].astype("string")
    result["kind"] = result["kind"].astype("string")
    return result


# --------------------------------------------------------------------------- summary
def coopetition_summary(
    eco: Ecosystem,
    *,
    model: ModelInput = None,
    thresholds: ThresholdsInput = None,
    inference: InferenceInput = None,
    stated_only: bool = False,
    candidates: bool = False,
    date: DateInput = None,
    industry_level: Literal["division", "group", "class", "subclass"] | None = None,
) -> pd.Series:
    """Ecosystem-level co-opetition profile: categories, intensities, overlap.

    Parameters
    ----------
    eco : Ecosystem
    model, thresholds, inference, stated_only, candidates, date
        As in :func:`coopetition`.
    industry_level : {"division", "group", "class", "subclass"}, optional
        NACE level of "same industry" (default: the model's
        ``same_industry_level``).

    Returns
    -------
    Series
        Named after the ecosystem, with ``n_dyads``, ``n_placed``;
        ``n_<category>`` and ``share_<category>`` (of placed dyads) per
        category; ``mean_competitor_intensity``, ``mean_partner_intensity``,
        ``mean_balance``; ``n_same_industry``,
        ``mean_competitor_intensity_same_industry``,
        ``mean_partner_intensity_same_industry``; ``n_competitor_pairs``
        (competitor intensity at or above its threshold) and
        ``share_competitors_cooperating`` (of those, the share whose partner
        intensity is also at or above its threshold); ``n_rival_pairs``
        (any competitor intensity above 0: the continuous reading of the
        thesis's objection to a high/low split) and ``share_rivals_cooperating``
        (of those, the share with any partner intensity above 0);
        ``n_person_mediated``, ``share_person_mediated``; ``n_stated``
        (dyads with a ``coopetition`` relation), ``n_model_inferred`` (both
        intensities inferred by the model), ``n_partly_inferred`` (one
        inferred); ``competitor_threshold``,
        ``partner_threshold``, ``industry_level``.

    Raises
    ------
    ModelSpecError
        When a model or a threshold override is invalid.

    Notes
    -----
    Shares and means are NaN when there is nothing to average (no dyad,
    no same-industry dyad, no competitor pair). Two organisations are the
    same industry when both NACE codes are known at ``industry_level`` and
    agree there.

    References
    ----------
    .. [1] Luo, Y. (2007). A coopetition perspective of global competition.
       *Journal of World Business* 42(2), 129-144.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["h1", "h2", "h3"], "name": ["H1", "H2", "H3"], "kind": "firm",
    ...                   "nace": ["55.101", "55.101", "56.101"]}),
    ...     pd.DataFrame({"source": ["h1", "h1", "h2"], "target": ["h2", "h3", "h3"],
    ...                   "kind": "coopetition", "competitor_intensity": [0.3, 0.8, 0.5],
    ...                   "partner_intensity": [0.9, 0.2, 0.5]}))
    >>> s = coopetition_summary(eco)
    >>> s[["n_dyads", "n_partnering", "n_same_industry", "share_competitors_cooperating"]]
    n_dyads                         3
    n_partnering                    1
    n_same_industry                 1
    share_competitors_cooperating   0.5
    Name: unnamed ecosystem, dtype: object
    """
    pm = load_coopetition_model(model)
    dyads, tc, tp = _dyads(eco, model=pm, thresholds=thresholds, inference=inference,
                           stated_only=stated_only, candidates=candidates, date=date)
    level = industry_level or pm.same_industry_level
    sub = eco.as_of(date) if date is not None else eco
    same = _same_industry(sub, dyads, level).fillna(False).to_numpy(dtype=bool)
    c = dyads["competitor_intensity"].to_numpy(dtype="float64")
    p = dyads["partner_intensity"].to_numpy(dtype="float64")
    placed = dyads["category"].notna().to_numpy(dtype=bool)
    n_placed = int(placed.sum())
    out: dict[str, Any] = {"n_dyads": len(dyads), "n_placed": n_placed}
    for cat in pm.categories:
        k = int((dyads["category"] == cat).fillna(False).sum())
        out[f"n_{cat}"] = k
        out[f"share_{cat}"] = ratio(k, n_placed)
    out["mean_competitor_intensity"] = _nanmean(c)
    out["mean_partner_intensity"] = _nanmean(p)
    out["mean_balance"] = _nanmean(dyads["balance"].to_numpy(dtype="float64"))
    out["n_same_industry"] = int(same.sum())
    out["mean_competitor_intensity_same_industry"] = _nanmean(c[same])
    out["mean_partner_intensity_same_industry"] = _nanmean(p[same])
    with np.errstate(invalid="ignore"):
        comp = placed & (c >= tc)
        coop = comp & (p >= tp)
    out["n_competitor_pairs"] = int(comp.sum())
    out["share_competitors_cooperating"] = ratio(coop.sum(), comp.sum())
    with np.errstate(invalid="ignore"):
        rivals = placed & (c > 0)
        rivals_coop = rivals & (p > 0)
    out["n_rival_pairs"] = int(rivals.sum())
    out["share_rivals_cooperating"] = ratio(rivals_coop.sum(), rivals.sum())
    mediated = dyads["person_mediated"].to_numpy(dtype=bool)
    out["n_person_mediated"] = int(mediated.sum())
    out["share_person_mediated"] = mediated.mean() if len(dyads) else np.nan
    from_model = ((dyads["competitor_source"] == "model").fillna(False).to_numpy(dtype=int)
                  + (dyads["partner_source"] == "model").fillna(False).to_numpy(dtype=int))
    out["n_stated"] = int(dyads["stated"].to_numpy(dtype=bool).sum())
    out["n_model_inferred"] = int((from_model == 2).sum())
    out["n_partly_inferred"] = int((from_model == 1).sum())
    out["competitor_threshold"] = tc
    out["partner_threshold"] = tp
    out["industry_level"] = level
    return pd.Series(out, name=eco.meta.name, dtype=object)


def _nanmean(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.mean()) if len(x) else float("nan")


# --------------------------------------------------------------------------- persons
def coopetition_persons(
    eco: Ecosystem,
    *,
    model: ModelInput = None,
    thresholds: ThresholdsInput = None,
    inference: InferenceInput = None,
    stated_only: bool = False,
    candidates: bool = False,
    date: DateInput = None,
    high_competition_only: bool = False,
) -> pd.DataFrame:
    """Persons who sit in both organisations of a co-opetition dyad.

    Parameters
    ----------
    eco : Ecosystem
    model, thresholds, inference, stated_only, candidates, date
        As in :func:`coopetition`.
    high_competition_only : bool, default False
        Only count dyads whose competitor intensity is at or above its
        threshold (the strict reading of "competitor pairs").

    Returns
    -------
    DataFrame
        Indexed by ``actor_id`` (persons mediating at least one dyad),
        sorted by ``n_pairs`` (descending) then id, with ``name``,
        ``n_pairs``, ``pairs`` (``org_a|org_b``, ``;``-joined),
        ``n_organisations``, ``organisations`` (``;``-joined), ``roles``
        (``org:kind:role``, ``;``-joined), ``mean_competitor_intensity``,
        ``mean_partner_intensity`` and ``n_<category>`` per category.

    Raises
    ------
    ModelSpecError
        When a model or a threshold override is invalid.

    Notes
    -----
    A person *mediates* a dyad when they hold a relation of the inference
    model's ``partner.person_kinds`` (board seat, management) in both
    organisations. In thin-and-dense rural networks the same persons recur
    in several roles, which is why the Røros thesis finds a binary high/low
    co-opetition classification too coarse (seed digest §2.9, §2.11).

    References
    ----------
    .. [1] Chin, K.-S., Chan, B. L. & Lam, P.-K. (2008). Identifying and
       prioritizing critical success factors for coopetition strategy.
       *Industrial Management & Data Systems* 108(4), 437-454.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["g1", "g2", "p1"], "name": ["G1", "G2", "Person 1"],
    ...                   "kind": ["firm", "firm", "person"]}),
    ...     pd.DataFrame({"source": ["g1", "p1", "p1"], "target": ["g2", "g1", "g2"],
    ...                   "kind": ["coopetition", "board_seat", "management"],
    ...                   "role": [None, "chair", "ceo"],
    ...                   "competitor_intensity": [0.4, None, None],
    ...                   "partner_intensity": [0.8, None, None]}))
    >>> coopetition_persons(eco)[["n_pairs", "pairs", "roles"]]
              n_pairs  pairs                                roles
    actor_id
    p1              1  g1|g2  g1:board_seat:chair;g2:management:ceo
    """
    pm = load_coopetition_model(model)
    inf_model = load_inference_model(inference)
    dyads, tc, _ = _dyads(eco, model=pm, thresholds=thresholds, inference=inf_model,
                          stated_only=stated_only, candidates=candidates, date=date)
    sub = eco.as_of(date) if date is not None else eco
    cats = list(pm.categories)
    cols = ["name", "n_pairs", "pairs", "n_organisations", "organisations", "roles",
            "mean_competitor_intensity", "mean_partner_intensity", *[f"n_{c}" for c in cats]]
    if high_competition_only:
        with np.errstate(invalid="ignore"):
            keep = dyads["competitor_intensity"].to_numpy(dtype="float64") >= tc
        dyads = dyads[keep]
    rel = sub.relations
    roles = rel.loc[rel["kind"].isin(list(inf_model.partner.person_kinds)).to_numpy(dtype=bool),
                    ["source", "target", "kind", "role"]]
    roles = roles.rename(columns={"source": "person", "target": "org"})
    d = pd.DataFrame({"org_a": dyads["org_a"].to_numpy(dtype=object),
                      "org_b": dyads["org_b"].to_numpy(dtype=object),
                      "c": dyads["competitor_intensity"].to_numpy(dtype="float64"),
                      "p": dyads["partner_intensity"].to_numpy(dtype="float64"),
                      "category": dyads["category"].to_numpy(dtype=object)})
    pr = roles[["person", "org"]].drop_duplicates()
    hits = d.merge(pr, left_on="org_a", right_on="org").drop(columns="org")
    hits = hits.merge(pr, left_on=["person", "org_b"], right_on=["person", "org"])
    hits = hits.drop(columns="org")
    empty_index = pd.Index([], dtype="string", name="actor_id")
    if hits.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64" if c.startswith("mean") else
                                         "int64" if c.startswith("n_") else "string")
                            for c in cols})
        out.index = empty_index
        return out
    hits = hits.drop_duplicates(["person", "org_a", "org_b"])
    hits["pair"] = hits["org_a"].astype(str) + "|" + hits["org_b"].astype(str)
    hits = hits.sort_values(["person", "pair"])
    g = hits.groupby("person", sort=True)
    orgs = pd.concat([hits[["person", "org_a"]].set_axis(["person", "org"], axis=1),
                      hits[["person", "org_b"]].set_axis(["person", "org"], axis=1)])
    orgs = orgs.drop_duplicates().sort_values(["person", "org"])
    involved = roles.merge(orgs, on=["person", "org"])
    involved = involved.assign(text=involved["org"].astype(str) + ":" + involved["kind"].astype(str)
                               + ":" + involved["role"].astype("string").fillna("").astype(str))
    involved = involved.sort_values(["person", "text"])
    out = pd.DataFrame({
        "n_pairs": g.size(),
        "pairs": g["pair"].agg(";".join),
        "n_organisations": orgs.groupby("person").size(),
        "organisations": orgs.groupby("person")["org"].agg(lambda v: ";".join(map(str, v))),
        "roles": involved.groupby("person")["text"].agg(lambda v: ";".join(dict.fromkeys(v))),
        "mean_competitor_intensity": g["c"].mean(),
        "mean_partner_intensity": g["p"].mean(),
    })
    for cat in cats:
        out[f"n_{cat}"] = (hits["category"] == cat).groupby(hits["person"]).sum()
    out.insert(0, "name", sub.actors["name"].reindex(out.index).to_numpy())
    for col in ["n_pairs", "n_organisations", *[f"n_{c}" for c in cats]]:
        out[col] = out[col].astype("int64")
    for col in ["name", "pairs", "organisations", "roles"]:
        out[col] = out[col].astype("string")
    out.index = pd.Index(out.index.to_numpy(dtype=object), dtype="string", name="actor_id")
    order = np.lexsort((out.index.to_numpy(dtype=object), -out["n_pairs"].to_numpy()))
    return out.iloc[order][cols]


# --------------------------------------------------------------------------- time
def _change_points(eco: Ecosystem) -> list[pd.Timestamp]:
    """Dates at which the set of valid co-opetition relations changes."""
    rel = eco.relations[(eco.relations["kind"] == "coopetition").to_numpy(dtype=bool)]
    since = rel["since"].dropna()
    until = rel["until"].dropna() + pd.Timedelta(days=1)
    points = sorted({pd.Timestamp(x) for x in pd.concat([since, until]).unique()})
    if points and rel["since"].isna().any():
        points.insert(0, points[0] - pd.Timedelta(days=1))
    return points


def _dates(eco: Ecosystem,
           dates: Iterable[str | dt.date | pd.Timestamp] | None) -> list[pd.Timestamp]:
    if dates is None:
        return _change_points(eco)
    if isinstance(dates, str | dt.date | pd.Timestamp):
        raise InputError(f"dates must be a list of dates, got a single value {dates!r}")
    try:
        out = sorted({pd.Timestamp(d) for d in dates})
    except (TypeError, ValueError) as exc:
        raise InputError(f"dates must be dates or ISO strings: {exc}") from None
    if any(pd.isna(d) for d in out):
        raise InputError("dates must not contain missing values")
    return out


def coopetition_periods(
    eco: Ecosystem,
    *,
    dates: Iterable[str | dt.date | pd.Timestamp] | None = None,
    level: Literal["dyad", "actor"] = "dyad",
    model: ModelInput = None,
    thresholds: ThresholdsInput = None,
    inference: InferenceInput = None,
    stated_only: bool = False,
    candidates: bool = False,
) -> pd.DataFrame:
    """Placement per period: :func:`coopetition` on each date, stacked.

    Parameters
    ----------
    eco : Ecosystem
    dates : iterable of dates, optional
        Evaluation dates. Default: every date at which the set of valid
        ``coopetition`` relations changes (each ``since``, each day after an
        ``until``, and the day before the first of them when a relation has
        an open ``since``).
    level, model, thresholds, inference, stated_only, candidates
        As in :func:`coopetition`.

    Returns
    -------
    DataFrame
        The rows of :func:`coopetition` for each date, with a first column
        ``period`` (the date); at actor level ``actor_id`` becomes a column.
        Empty when there are no dates.

    Raises
    ------
    InputError
        When ``dates`` is not a list of dates.

    Notes
    -----
    Each date sees the relations valid on it (``since <= date <= until``,
    open bounds are open), including board seats and memberships used for
    inference. Median and quantile thresholds are computed within each
    period.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"}),
    ...     pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "kind": "coopetition",
    ...                   "competitor_intensity": [0.8, 0.4], "partner_intensity": [0.2, 0.7],
    ...                   "since": ["2018-01-01", "2020-01-01"], "until": ["2019-12-31", None]}))
    >>> coopetition_periods(eco)[["period", "org_a", "org_b", "category"]]
          period org_a org_b    category
    0 2018-01-01     a     b  contending
    1 2020-01-01     a     b  partnering
    """
    frames = []
    for d in _dates(eco, dates):
        f = coopetition(eco, level=level, model=model, thresholds=thresholds, inference=inference,
                        stated_only=stated_only, candidates=candidates, date=d)
        if level == "actor":
            f = f.reset_index()
        f.insert(0, "period", d)
        frames.append(f)
    if not frames:
        empty = coopetition(eco, level=level, model=model, inference=inference).iloc[0:0]
        if level == "actor":
            empty = empty.reset_index()
        empty.insert(0, "period", pd.Series(dtype="datetime64[s]"))
        return empty
    return pd.concat(frames, ignore_index=True)


def coopetition_drift(
    eco: Ecosystem,
    *,
    dates: Iterable[str | dt.date | pd.Timestamp] | None = None,
    model: ModelInput = None,
    thresholds: ThresholdsInput = None,
    inference: InferenceInput = None,
    stated_only: bool = False,
    candidates: bool = False,
) -> pd.DataFrame:
    """How each dyad moves on the co-opetition plane between consecutive periods.

    Parameters
    ----------
    eco : Ecosystem
    dates : iterable of dates, optional
        Evaluation dates (default: see :func:`coopetition_periods`).
    model, thresholds, inference, stated_only, candidates
        As in :func:`coopetition`.

    Returns
    -------
    DataFrame
        One row per dyad and pair of consecutive dates in which the dyad
        exists at either date: ``org_a``, ``org_b``, ``period_from``,
        ``period_to``, ``status`` (``continuing``, ``entered``, ``exited``),
        ``competitor_from``, ``competitor_to``, ``partner_from``,
        ``partner_to``, ``category_from``, ``category_to``,
        ``d_competitor``, ``d_partner``, ``drift`` and
        ``category_changed``.

    Raises
    ------
    InputError
        When ``dates`` is not a list of dates.

    Notes
    -----
    ``d_competitor = c_to - c_from``, ``d_partner = p_to - p_from`` and
    ``drift = sqrt(d_competitor**2 + d_partner**2)`` (Euclidean distance
    on the plane); all NaN unless the dyad is placed at both dates.
    ``category_changed`` is NA unless both categories are known. Galkina &
    Lundgren-Henriksson (2017) and the Røros thesis describe co-opetition
    as shifting over time between its competitive and cooperative poles;
    this table makes the shift measurable where relations carry
    ``since`` / ``until``.

    References
    ----------
    .. [1] Galkina, T. & Lundgren-Henriksson, E.-L. (2017). Coopetition as
       an entrepreneurial process: interplay of causation and
       effectuation. *Industrial Marketing Management* 67.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"}),
    ...     pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "kind": "coopetition",
    ...                   "competitor_intensity": [0.8, 0.4], "partner_intensity": [0.2, 0.7],
    ...                   "since": ["2018-01-01", "2020-01-01"], "until": ["2019-12-31", None]}))
    >>> d = coopetition_drift(eco)
    >>> d[["category_from", "category_to", "d_competitor", "d_partner", "drift"]]
      category_from category_to  d_competitor  d_partner     drift
    0    contending  partnering          -0.4        0.5  0.640312
    """
    per = coopetition_periods(eco, dates=dates, model=model, thresholds=thresholds,
                              inference=inference, stated_only=stated_only, candidates=candidates)
    cols = ["org_a", "org_b", "period_from", "period_to", "status", "competitor_from",
            "competitor_to", "partner_from", "partner_to", "category_from", "category_to",
            "d_competitor", "d_partner", "drift", "category_changed"]
    periods = sorted(per["period"].unique())
    frames = []
    keep = ["org_a", "org_b", "competitor_intensity", "partner_intensity", "category"]
    for before, after in itertools.pairwise(periods):
        x = per.loc[(per["period"] == before).to_numpy(dtype=bool), keep]
        y = per.loc[(per["period"] == after).to_numpy(dtype=bool), keep]
        m = x.merge(y, on=["org_a", "org_b"], how="outer", suffixes=("_from", "_to"),
                    indicator=True, sort=True)
        status = m["_merge"].astype(str).map(
            {"both": "continuing", "left_only": "exited", "right_only": "entered"})
        cf = m["competitor_intensity_from"].to_numpy(dtype="float64")
        ct = m["competitor_intensity_to"].to_numpy(dtype="float64")
        pf = m["partner_intensity_from"].to_numpy(dtype="float64")
        pt = m["partner_intensity_to"].to_numpy(dtype="float64")
        cat_f = m["category_from"].astype("string")
        cat_t = m["category_to"].astype("string")
        frames.append(pd.DataFrame({
            "org_a": m["org_a"].astype("string"),
            "org_b": m["org_b"].astype("string"),
            "period_from": before,
            "period_to": after,
            "status": status.astype("string"),
            "competitor_from": cf, "competitor_to": ct,
            "partner_from": pf, "partner_to": pt,
            "category_from": cat_f, "category_to": cat_t,
            "d_competitor": ct - cf,
            "d_partner": pt - pf,
            "drift": np.hypot(ct - cf, pt - pf),
            "category_changed": (cat_f != cat_t).astype("boolean"),
        }))
    if not frames:
        dtypes = {c: "float64" for c in cols}
        dtypes.update({c: "string" for c in ("org_a", "org_b", "status", "category_from",
                                             "category_to")})
        dtypes.update({"period_from": "datetime64[s]", "period_to": "datetime64[s]",
                       "category_changed": "boolean"})
        return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]
