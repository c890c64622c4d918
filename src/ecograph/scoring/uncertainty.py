"""How stable are scores and ranks? Weight perturbation and bootstrap over indicators.

Composite scores depend on choices: the weights and the set of indicators.
:func:`score_uncertainty` redraws both many times (seeded) and reports
intervals, following the uncertainty-analysis practice of the OECD/JRC
*Handbook on Constructing Composite Indicators* (2008) and of Saisana,
Saltelli & Tarantola (2005):

* for a **table of regions** (one row per region, one column per indicator),
  an interval for every region's :func:`~ecograph.ee_index` score and rank;
* for **one ecosystem**, an interval for every attribute and layer score of a
  scoring model (:func:`~ecograph.spigel_scores`) and the share of draws in
  which each pyramid check holds.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ecograph.exceptions import EcographWarning, InputError
from ecograph.scoring.indices import (
    _RANK_DECIMALS,
    _cap_and_normalise,
    _dropped_attrs,
    _pfb_score,
    _prepare,
    _ratio_to_mean,
    _solve_exponents,
    ee_index,
)

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem
    from ecograph.scoring.spec import ScoringModel

__all__ = ["score_uncertainty"]

Bootstrap = Literal["auto", "indicators", "elements"]


def _bootstrap_counts(rng: np.random.Generator, size: int, n_draws: int) -> np.ndarray:
    """Multiplicities (n_draws, size) of drawing ``size`` items with replacement."""
    picks = rng.integers(0, size, size=(n_draws, size))
    counts = np.zeros((n_draws, size))
    np.add.at(counts, (np.arange(n_draws)[:, None], picks), 1.0)
    return counts


def _draw_plan(
    rng: np.random.Generator,
    groups: dict[str, list[str]],
    columns: list[str],
    w0: np.ndarray,
    n_draws: int,
    concentration: float | None,
    bootstrap: Bootstrap | None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Per draw: indicator->element mixing matrices (B, J, K) and element weights (B, K)."""
    k = len(groups)
    col_pos = {c: i for i, c in enumerate(columns)}
    mode = bootstrap
    if mode == "auto":
        mode = "elements" if all(len(v) == 1 for v in groups.values()) else "indicators"
    mix = np.zeros((n_draws, len(columns), k))
    mult = np.ones((n_draws, k))
    members = [np.array([col_pos[c] for c in cols]) for cols in groups.values()]
    for e, pos in enumerate(members):
        if mode == "indicators":
            mix[:, pos, e] = _bootstrap_counts(rng, len(pos), n_draws) / len(pos)
        else:
            mix[:, pos, e] = 1.0 / len(pos)
    if mode == "elements":
        mult = _bootstrap_counts(rng, k, n_draws)
    weights = (rng.dirichlet(concentration * w0, size=n_draws) if concentration is not None
               else np.tile(w0, (n_draws, 1)))
    a = weights * mult
    a = a / a.sum(axis=1, keepdims=True)
    return mix, a, mode or "none"


def _check_common(n_draws: int, level: float, concentration: float | None,
                  bootstrap: Bootstrap | None) -> None:
    if isinstance(n_draws, bool) or not isinstance(n_draws, int | np.integer) or n_draws < 10:
        raise InputError(f"n_draws must be an integer >= 10, got {n_draws!r}")
    if not 0 < level < 1:
        raise InputError(f"level must be in (0, 1), got {level!r}")
    if concentration is not None and not concentration > 0:
        raise InputError(f"concentration must be positive or None, got {concentration!r}")
    if bootstrap not in ("auto", "indicators", "elements", None):
        raise InputError(f"bootstrap must be 'auto', 'indicators', 'elements' or None, "
                         f"got {bootstrap!r}")


def score_uncertainty(
    data: pd.DataFrame | Ecosystem,
    *,
    method: Literal["stam", "gei"] = "stam",
    groups: Mapping[str, Sequence[str]] | None = None,
    weights: Mapping[str, float] | None = None,
    aggregate: Literal["additive", "multiplicative", "geometric"] = "additive",
    cap_quantile: float | None = 0.95,
    model: str | Path | ScoringModel = "spigel2017",
    missing: str | None = None,
    n_draws: int = 1000,
    concentration: float | None = 50.0,
    bootstrap: Bootstrap | None = "auto",
    level: float = 0.90,
    seed: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Intervals for scores and ranks under weight perturbation and indicator bootstrap.

    Each of ``n_draws`` draws (i) perturbs the weights with a Dirichlet
    distribution centred on the declared weights and (ii) resamples
    indicators with replacement; the scores are recomputed, and quantiles
    over the draws give the intervals.

    Parameters
    ----------
    data : DataFrame or Ecosystem
        A table with one row per region and one column per indicator (as for
        :func:`ecograph.ee_index`): intervals for every region's index score
        and rank. Or one Ecosystem: intervals for the attribute and layer
        scores of ``model``.
    method : {"stam", "gei"}, default "stam"
        Table only: the index.
    groups : mapping of str to list of str, optional
        Table only: element -> indicator columns (default: each column its
        own element). For the attributes of a scoring model: ``model.groups()``.
    weights : mapping of str to float, optional
        Table only: declared element weights (default equal); for a scoring
        model: ``model.element_weights()``.
    aggregate : {"additive", "multiplicative", "geometric"}, default "additive"
        Table only: the Stam aggregate.
    cap_quantile : float or None, default 0.95
        Table only: the GEI outlier cap.
    model : str, Path or ScoringModel, default "spigel2017"
        Ecosystem only: the scoring model; its declared weights are the centre
        of the perturbation.
    missing : str, optional
        Table: ``"raise"`` (default), ``"drop-indicators"`` or ``"drop-regions"``
        as in :func:`ecograph.ee_index`. Ecosystem: ``"skip"`` (default),
        ``"raise"``, ``"impute-mean"`` or ``"impute-zero"`` as in
        :func:`ecograph.spigel_scores`.
    n_draws : int, default 1000
        Number of draws (at least 10).
    concentration : float or None, default 50.0
        Dirichlet concentration ``c``: weights ``w ~ Dirichlet(c * w0)``
        with ``w0`` the declared weights normalised to sum 1, so ``E[w] =
        w0`` and ``Var[w_k] = w0_k (1 - w0_k) / (c + 1)``. Larger is tighter;
        ``None`` keeps the declared weights. For an ecosystem the indicator
        weights within each attribute and the attribute weights within each
        layer are perturbed, group by group.
    bootstrap : {"auto", "indicators", "elements"} or None, default "auto"
        ``indicators``: within each element (attribute), draw as many
        indicators as it has, with replacement; ``elements`` (table only):
        draw ``K`` elements with replacement (a drawn-twice element counts
        twice, an undrawn one not at all); ``auto``: for a table,
        ``elements`` when every element has one indicator, else
        ``indicators``; for an ecosystem, ``indicators``. ``None``: no bootstrap.
    level : float, default 0.90
        Coverage of the intervals (the ``(1-level)/2`` and ``(1+level)/2`` quantiles).
    seed : int, Generator or None, default 0
        Random seed; the same seed gives the same result.

    Returns
    -------
    DataFrame
        For a table, indexed like it (index name ``region`` unless it has
        one): ``score`` and ``rank`` (point estimates, as
        :func:`ecograph.ee_index` with the declared weights and every
        indicator), ``score_mean``, ``score_lower``, ``score_upper``,
        ``rank_median``, ``rank_lower``, ``rank_upper`` (1 = best),
        ``p_rank`` (share of draws in which the region keeps its point rank)
        and ``p_top`` (share of draws in which it ranks first).

        For an ecosystem, one row per attribute, layer and pyramid check
        (RangeIndex): ``level`` (``attribute``, ``layer``, ``pyramid``),
        ``name``, ``score`` (the point score; for checks the margin lower
        minus upper layer), ``score_mean``, ``score_lower``, ``score_upper``
        and ``p_holds`` (pyramid checks: share of draws in which it holds).
        Attributes and layers without a score have NaN intervals.

        ``attrs`` records ``n_draws``, ``concentration``, ``bootstrap`` (the
        mode used), ``level`` and ``seed``; for a table also what ``missing``
        left out (``dropped_indicators``, ``dropped_elements``, ``dropped_regions``).

    Raises
    ------
    InputError
        Invalid table, groups or weights (see :func:`ecograph.ee_index`),
        ``n_draws < 10``, ``level`` outside (0, 1), ``concentration <= 0``,
        an unknown bootstrap mode, ``bootstrap="elements"`` with an ecosystem,
        or ``data`` of another type.
    ModelSpecError
        Ecosystem: as :func:`ecograph.spigel_scores`.

    Warns
    -----
    EcographWarning
        GEI: once, when average equalisation cannot reach the common mean in
        some draws.

    Notes
    -----
    Table, Stam: ratio-to-mean values do not depend on the other indicators,
    so they are computed once; per draw, element scores are the means of the
    drawn indicators and the index is ``K * sum_k a_k e_k`` (additive),
    ``prod_k e_k ** (K a_k)`` or ``prod_k e_k ** a_k``, with ``a`` the drawn
    weights times the element multiplicities, normalised to sum 1. Table,
    GEI: the capped, normalised indicators are computed once; per draw the
    element values, the equalisation exponents (to the mean of the drawn
    elements' means) and the penalty for bottleneck (over the drawn
    elements) are recomputed. Ranks are competition ranks (ties, scores
    equal to 10 decimals, share the best rank).

    Ecosystem: the normalised indicator values are computed once (with the
    ``missing`` policy); per draw an attribute score is ``sum_i w_i m_i n_i /
    sum_i w_i m_i`` over its indicators with a value (``w`` the drawn weights,
    ``m`` the bootstrap multiplicities) and a layer score the weighted mean of
    its attributes' scores with drawn weights. Indicators without a value
    play no part, as in :func:`ecograph.spigel_scores`.

    References
    ----------
    .. [1] OECD & JRC (2008). Handbook on Constructing Composite Indicators:
       Methodology and User Guide, ch. 7 (uncertainty and sensitivity analysis).
    .. [2] Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and
       sensitivity analysis techniques as tools for the quality assessment of
       composite indicators. JRSS A 168(2), 307-323.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"finance": [1.0, 2.0, 3.0, 2.0], "talent": [1.0, 2.5, 3.0, 1.5],
    ...                   "networks": [1.0, 1.0, 3.0, 2.0]}, index=["A", "B", "C", "D"])
    >>> u = score_uncertainty(t, n_draws=200, seed=1)
    >>> u[["rank", "rank_lower", "rank_upper"]].loc[["A", "C"]]
            rank  rank_lower  rank_upper
    region
    A          4           4           4
    C          1           1           1
    >>> bool((u["score_lower"] <= u["score"]).all() and (u["score"] <= u["score_upper"]).all())
    True
    """
    from ecograph.core.ecosystem import Ecosystem

    _check_common(n_draws, level, concentration, bootstrap)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    attrs: dict[Hashable, Any] = {"n_draws": int(n_draws), "concentration": concentration,
                                  "level": float(level),
                                  "seed": seed if isinstance(seed, int) else None}
    if isinstance(data, Ecosystem):
        if bootstrap == "elements":
            raise InputError("bootstrap='elements' applies to a table of regions; for an "
                             "ecosystem use 'indicators' or None")
        out = _ecosystem_uncertainty(data, model, missing or "skip", rng, n_draws,
                                     concentration, bootstrap is not None, level)
        out.attrs = {**attrs, "bootstrap": "indicators" if bootstrap is not None else "none"}
        return out
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a DataFrame of regions x indicators or an Ecosystem, got "
                         f"{type(data).__name__}")
    out, mode, dropped = _region_uncertainty(data, method, groups, weights, aggregate,
                                             cap_quantile, missing or "raise", rng, n_draws,
                                             concentration, bootstrap, level)
    out.attrs = {**attrs, "bootstrap": mode, **dropped}
    return out


def _region_uncertainty(
    table: pd.DataFrame,
    method: str,
    groups: Mapping[str, Sequence[str]] | None,
    weights: Mapping[str, float] | None,
    aggregate: str,
    cap_quantile: float | None,
    missing: str,
    rng: np.random.Generator,
    n_draws: int,
    concentration: float | None,
    bootstrap: Bootstrap | None,
    level: float,
) -> tuple[pd.DataFrame, str, dict[Hashable, Any]]:
    if method not in ("stam", "gei"):
        raise InputError(f"method must be 'stam' or 'gei', got {method!r}")
    if aggregate not in ("additive", "multiplicative", "geometric"):
        raise InputError(f"aggregate must be 'additive', 'multiplicative' or 'geometric', "
                         f"got {aggregate!r}")
    values, g, w0, dropped = _prepare(table, groups, weights, missing)
    elements = list(g)
    point = ee_index(values, method=method, groups=g,  # type: ignore[arg-type]
                     weights=dict(zip(elements, w0)), aggregate=aggregate,  # type: ignore[arg-type]
                     cap_quantile=cap_quantile)
    columns = list(values.columns)
    mix, a, mode = _draw_plan(rng, g, columns, w0, n_draws, concentration, bootstrap)
    k = len(elements)

    if method == "stam":
        r = _ratio_to_mean(values)[columns].to_numpy()            # (n, J)
        e = np.einsum("nj,bjk->bnk", r, mix)                       # (B, n, K)
        with np.errstate(under="ignore"):
            if aggregate == "additive":
                scores = k * np.einsum("bnk,bk->bn", e, a)
            elif aggregate == "multiplicative":
                scores = np.prod(e ** (k * a)[:, None, :], axis=2)
            else:
                scores = np.prod(e ** a[:, None, :], axis=2)
    else:
        x = _cap_and_normalise(values, cap_quantile)[columns].to_numpy()
        p = np.einsum("nj,bjk->bnk", x, mix)                       # (B, n, K)
        active = a > 0
        means = p.mean(axis=1)                                     # (B, K)
        target = np.sum(np.where(active, means, 0.0), axis=1) / active.sum(axis=1)
        tgt = np.where(active, target[:, None], means)             # inactive: keep their mean
        c, ok = _solve_exponents(p, tgt)
        unreachable = (~ok) & active
        if unreachable.any():
            bad = [elements[i] for i in np.flatnonzero(unreachable.any(axis=0))]
            warnings.warn(f"average equalisation could not reach the common mean for element(s) "
                          f"{bad} in {int(unreachable.any(axis=1).sum())} of {n_draws} draws; "
                          "they kept the bound exponent", EcographWarning, stacklevel=3)
        with np.errstate(under="ignore"):
            y = p ** c[:, None, :]
        scores = _pfb_score(y, a[:, None, :])

    from scipy.stats import rankdata

    ranks = rankdata(-np.round(scores, _RANK_DECIMALS), method="min", axis=1)  # (B, n)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    out = pd.DataFrame(index=values.index)
    if out.index.name is None:
        out.index.name = "region"
    point_rank = point["rank"].to_numpy(dtype=np.int64)
    out["score"] = point["score"].to_numpy()
    out["rank"] = point_rank
    out["score_mean"] = scores.mean(axis=0)
    out["score_lower"] = np.quantile(scores, lo_q, axis=0)
    out["score_upper"] = np.quantile(scores, hi_q, axis=0)
    out["rank_median"] = np.median(ranks, axis=0)
    out["rank_lower"] = np.floor(np.quantile(ranks, lo_q, axis=0)).astype(np.int64)
    out["rank_upper"] = np.ceil(np.quantile(ranks, hi_q, axis=0)).astype(np.int64)
    out["p_rank"] = (ranks == point_rank[None, :]).mean(axis=0)
    out["p_top"] = (ranks == 1).mean(axis=0)
    return out, mode, _dropped_attrs(dropped)


def _group_weights(rng: np.random.Generator, w0: np.ndarray, n_draws: int,
                   concentration: float | None, bootstrap: bool) -> np.ndarray:
    """Drawn weights (B, m) of one group with declared weights w0 (sum 1), times multiplicities."""
    m = len(w0)
    if m == 1:
        return np.ones((n_draws, 1))
    w = (rng.dirichlet(concentration * w0, size=n_draws) if concentration is not None
         else np.tile(w0, (n_draws, 1)))
    if bootstrap:
        w = w * _bootstrap_counts(rng, m, n_draws)
    return w


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per draw sum_i w_i v_i / sum_i w_i (NaN when all drawn weights are 0)."""
    total = weights.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weights * values[None, :]).sum(axis=1) / total, np.nan)


def _ecosystem_uncertainty(
    eco: Ecosystem,
    model: str | Path | ScoringModel,
    missing: str,
    rng: np.random.Generator,
    n_draws: int,
    concentration: float | None,
    bootstrap: bool,
    level: float,
) -> pd.DataFrame:
    from ecograph.scoring.layers import model_scores

    res = model_scores(eco, model=model, missing=missing)  # type: ignore[arg-type]
    ind, att, lay = res.indicators, res.attributes, res.layers
    att_draws: dict[str, np.ndarray] = {}
    for a_key in att.index:
        rows = ind[(ind["attribute"] == a_key) & ind["normalised"].notna()]
        if rows.empty:
            att_draws[a_key] = np.full(n_draws, np.nan)
            continue
        w0 = rows["weight"].to_numpy(dtype=float)
        w = _group_weights(rng, w0 / w0.sum(), n_draws, concentration, bootstrap)
        att_draws[a_key] = _weighted_mean(rows["normalised"].to_numpy(dtype=float), w)
    lay_draws: dict[str, np.ndarray] = {}
    for l_key in lay.index:
        members = att[(att["layer"] == l_key) & att["score"].notna()]
        if members.empty:
            lay_draws[l_key] = np.full(n_draws, np.nan)
            continue
        v0 = members["weight"].to_numpy(dtype=float)
        v = _group_weights(rng, v0 / v0.sum(), n_draws, concentration, bootstrap=False)
        s = np.column_stack([att_draws[a] for a in members.index])      # (B, A)
        lay_draws[l_key] = (v * s).sum(axis=1) / v.sum(axis=1)
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    rows_out = []

    def summary(lvl: str, name: str, point: float, draws: np.ndarray) -> dict[str, object]:
        finite = draws[np.isfinite(draws)]
        if len(finite) == 0:
            return {"level": lvl, "name": name, "score": point, "score_mean": np.nan,
                    "score_lower": np.nan, "score_upper": np.nan, "p_holds": np.nan}
        return {"level": lvl, "name": name, "score": point, "score_mean": float(finite.mean()),
                "score_lower": float(np.quantile(finite, lo_q)),
                "score_upper": float(np.quantile(finite, hi_q)), "p_holds": np.nan}

    for a_key in att.index:
        rows_out.append(summary("attribute", a_key, float(att.loc[a_key, "score"]),
                                att_draws[a_key]))
    for l_key in lay.index:
        rows_out.append(summary("layer", l_key, float(lay.loc[l_key, "score"]), lay_draws[l_key]))
    tol = res.model.pyramid.tolerance if res.model.pyramid is not None else 0.0
    for check, row in res.pyramid.iterrows():
        margin = lay_draws[row["lower"]] - lay_draws[row["upper"]]
        rec = summary("pyramid", str(check), float(row["margin"]), margin)
        if np.isfinite(margin).all():
            rec["p_holds"] = float((margin >= -tol).mean())
        rows_out.append(rec)
    return pd.DataFrame(rows_out)
