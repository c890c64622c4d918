"""Inferring co-opetition intensities from registry and network data.

Competitor intensity follows Chen's (1996) market commonality and resource
similarity: how deep two organisations share a NACE code, whether they are in
the same market area, how similar their size is. Partner intensity counts the
ties that carry cooperation: shared board members or managers, joint
memberships, supply and support ties, shared owners. The features, their
weights and the candidate-pair blocking come from a declarative model file
(``models/coopetition/inference.toml`` by default, see
:func:`~ecograph.analysis.coopetition_model.load_inference_model`).

Stated intensities (on ``coopetition`` relations) always win over inferred
ones, axis by axis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.analysis._coopetition_pairs import (
    actor_key,
    actor_ranks,
    candidate_pairs,
    factor_codes,
    nace_at,
    pair_keys,
    stated_dyads,
)
from ecograph.analysis._graphs import cooccurrence, pair_values, tie_matrix
from ecograph.analysis.coopetition_model import (
    NACE_LEVELS,
    PARTNER_FEATURES,
    InferenceModel,
    load_inference_model,
)
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError

__all__ = ["INFERENCE_COLUMNS", "infer_coopetition", "with_inferred_coopetition"]

INFERENCE_COLUMNS: tuple[str, ...] = (
    "org_a", "org_b", "competitor_intensity", "partner_intensity", "provenance",
    "competitor_source", "partner_source", "stated", "competitor_inferred", "partner_inferred",
    "industry_level", "same_area", "size_similarity", *PARTNER_FEATURES,
    "n_relations", "relation_ids", "evidence",
)
"""Columns of :func:`infer_coopetition`, in order."""

InferenceInput = str | Path | InferenceModel | Mapping[str, Any] | None
DateInput = str | dt.date | pd.Timestamp | None


def _user_pairs(eco: Ecosystem, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    missing = [c for c in ("org_a", "org_b") if c not in pairs.columns]
    if missing:
        raise InputError(f"pairs needs columns 'org_a' and 'org_b'; missing {missing}")
    a = eco.vertices_of(pairs["org_a"].astype(str))
    b = eco.vertices_of(pairs["org_b"].astype(str))
    if (a == b).any():
        same = eco.actors.index[a[a == b][0]]
        raise InputError(f"pairs contains a pair of an actor with itself: {same!r}")
    kinds = eco.actors["kind"].to_numpy(dtype=object)
    person = (kinds[a] == "person") | (kinds[b] == "person")
    if person.any():
        raise InputError("pairs must join organisations; got a person: "
                         f"{eco.actors.index[np.r_[a[person], b[person]][0]]!r}")
    return a, b


def _fmt(values: np.ndarray, digits: int = 3) -> pd.Series:
    """Vectorised number formatting; NaN -> 'unknown'."""
    s = pd.Series(np.round(values, digits)).astype("string")
    return s.mask(np.isnan(values), "unknown")


def infer_coopetition(
    eco: Ecosystem,
    *,
    model: InferenceInput = None,
    pairs: Literal["blocking", "stated"] | pd.DataFrame = "blocking",
    stated_only: bool = False,
    date: DateInput = None,
    min_competitor: float | None = None,
    evidence: bool = True,
) -> pd.DataFrame:
    """Competitor and partner intensity of organisation pairs, inferred where not stated.

    Parameters
    ----------
    eco : Ecosystem
    model : str, Path, InferenceModel or mapping, optional
        The inference model (default: the shipped ``inference``).
    pairs : {"blocking", "stated"} or DataFrame, default "blocking"
        Which pairs: ``"blocking"`` every candidate pair from the model's
        blocking rules plus every pair with a ``coopetition`` relation;
        ``"stated"`` only pairs with a ``coopetition`` relation; or a frame
        with columns ``org_a``, ``org_b``.
    stated_only : bool, default False
        Use stated intensities only: nothing is filled in by inference (the
        feature columns are still computed, as evidence). Missing stated
        values stay NaN.
    date : str or date, optional
        Use the relations valid on this date (:meth:`Ecosystem.as_of`).
    min_competitor : float, optional
        Drop inferred pairs (without a stated relation) whose inferred
        competitor intensity is below this; default: the model's
        ``min_competitor``.
    evidence : bool, default True
        Build the ``evidence`` text of inferred values. It costs about 180
        bytes per pair; turn it off on very large candidate sets (the
        column then holds the stated evidence only).

    Returns
    -------
    DataFrame
        One row per pair (``org_a < org_b``), sorted, with columns
        ``org_a``, ``org_b``;
        ``competitor_intensity``, ``partner_intensity``: the values used
        (stated where stated, else inferred);
        ``provenance``: the relation's provenance when both values are
        stated (``"stated"`` if the relation has none), ``"inferred"`` when
        both are inferred, ``"partly_inferred"`` otherwise;
        ``competitor_source``, ``partner_source``: per axis, ``"relation"``
        (the value of the pair's ``coopetition`` relation), ``"model"``
        (inferred here) or NA (missing);
        ``stated``: whether the pair has a ``coopetition`` relation;
        ``competitor_inferred``, ``partner_inferred``: the model's values;
        the features ``industry_level`` (deepest NACE level both share),
        ``same_area`` (NA when unknown), ``size_similarity``,
        ``shared_persons``, ``joint_membership``, ``supply``, ``support``,
        ``shared_owners`` (counts);
        ``n_relations``, ``relation_ids``: the pair's ``coopetition``
        relations; ``evidence``: the stated evidence and, where a value
        was inferred, the model name and the features that produced it
        (only the stated evidence when ``evidence=False``).

        Candidate tables can hold millions of rows, so the columns are
        compact: ``org_a`` and ``org_b`` are ordered categoricals whose
        categories are all actor ids in sorted order (compare, group and
        merge them like strings; ``.astype("string")`` for plain text);
        ``provenance``, the sources, ``industry_level``, ``relation_ids``
        and ``evidence`` (when built from stated text only) are
        categoricals; the counts are ``int32``; ``same_area`` is a
        nullable boolean.

    Raises
    ------
    ModelSpecError
        When the model file is invalid.
    InputError
        When ``pairs`` is malformed or a blocking key is not an actor column.
    ActorNotFound
        When ``pairs`` names an unknown actor.

    Notes
    -----
    **Competitor intensity** (market commonality and resource similarity,
    Chen 1996)::

        c = w_industry * L(a, b) + w_area * [area_a == area_b] + w_size * S(a, b)
        S(a, b) = (min(e_a, e_b) + 1) / (max(e_a, e_b) + 1)

    where ``L`` is the score of the deepest NACE level (class, group,
    division, as listed in the model) at which both codes agree, and ``e``
    the employees. A missing feature (no NACE code, no area, no employee
    count) scores 0.

    **Partner intensity**::

        p = sum_f w_f * min(n_f(a, b) / s_f, 1)

    over the features ``f``: shared persons (board seats or management in
    both), joint memberships (networks or cooperatives both are members
    of), supply and support ties (either direction, 0/1), shared owners;
    ``s_f`` is the feature's saturation. The weights of each axis sum to at
    most 1, so both intensities lie in [0, 1]. Inferred intensities are
    rounded to 12 decimals, so that a sum that is exactly on a threshold in
    decimal arithmetic is not pushed below it by binary rounding.

    **Candidate pairs** come from blocking: organisations of the model's
    candidate kinds that agree on every key of a blocking rule (default:
    NACE division x municipality) form a block and every pair inside a
    block is a candidate. Blocks above ``max_block_size`` are split by
    finer NACE levels; a block still too large is skipped with an
    :class:`~ecograph.exceptions.EcographWarning`. Pairs are generated with
    ``numpy.repeat`` over sorted block codes and shared counts are read off
    sparse co-occurrence matrices: no Python loop over pairs.

    **Stated values win**: for a pair with a ``coopetition`` relation, each
    non-missing stated intensity is used as is; only a missing one is
    inferred (unless ``stated_only``). A pair with several relations is
    represented by its latest relation (see :func:`coopetition`).

    References
    ----------
    .. [1] Chen, M.-J. (1996). Competitor analysis and interfirm rivalry:
       toward a theoretical integration. *Academy of Management Review*
       21(1), 100-134.
    .. [2] Bengtsson, M. & Kock, S. (2000). "Coopetition" in business
       networks - to cooperate and compete simultaneously. *Industrial
       Marketing Management* 29(5), 411-426.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["h1", "h2", "p1"], "name": ["Hotel 1", "Hotel 2", "P"],
    ...                   "kind": ["firm", "firm", "person"], "nace": ["55.101", "55.101", None],
    ...                   "municipality": ["5025", "5025", None], "employees": [9, 9, None]}),
    ...     pd.DataFrame({"source": ["p1", "p1"], "target": ["h1", "h2"],
    ...                   "kind": ["board_seat", "board_seat"], "role": ["chair", "member"]}))
    >>> t = infer_coopetition(eco)
    >>> t[["org_a", "org_b", "competitor_intensity", "partner_intensity", "provenance"]]
      org_a org_b  competitor_intensity  partner_intensity provenance
    0    h1    h2                   1.0               0.15   inferred
    """
    m = load_inference_model(model)
    if date is not None:
        eco = eco.as_of(date)
    actors = eco.actors
    n = max(len(actors), 1)
    floor = m.min_competitor if min_competitor is None else float(min_competitor)
    rank = actor_ranks(actors)
    by_rank = np.argsort(rank)
    stated = stated_dyads(eco, rank)

    # ---- the pairs, as sorted integer keys (sorted keys = sorted (org_a, org_b))
    if isinstance(pairs, pd.DataFrame):
        ua, ub = _user_pairs(eco, pairs)
        keys = _arrays.unique(pair_keys(rank, ua, ub))
    elif pairs == "stated":
        keys = stated["key"]
    elif pairs == "blocking":
        eligible = actors["kind"].isin(list(m.candidates.kinds)).to_numpy(dtype=bool)
        cand, _ = candidate_pairs(actors, eligible, m.candidates.blocks,
                                  m.candidates.max_block_size, m.candidates.refine, rank)
        keys = _arrays.unique(np.concatenate([cand, stated["key"]]))
        del cand
    else:
        raise InputError(f"pairs must be 'blocking', 'stated' or a DataFrame, got {pairs!r}")
    index_dtype = np.int32 if n < 2**31 else np.int64
    a = by_rank[keys // n].astype(index_dtype)
    b = by_rank[keys % n].astype(index_dtype)
    slot: np.ndarray = np.searchsorted(stated["key"], keys).astype(index_dtype)
    is_stated = slot < len(stated["key"])
    is_stated[is_stated] = stated["key"][slot[is_stated]] == keys[is_stated]
    del keys
    n_pairs = len(a)

    # ---- competitor features (accumulated in place to keep memory low)
    comp = m.competitor
    w = comp.weights
    competitor_inferred = np.zeros(n_pairs)
    level_code = np.full(n_pairs, -1, dtype=np.int8)  # index into NACE_LEVELS, -1 none
    for level in sorted(comp.industry_levels, key=lambda lv: -NACE_LEVELS[lv]):
        codes = factor_codes(nace_at(actors["nace"], level)).astype(np.int32)
        ca = codes[a]
        shared = (ca == codes[b]) & (ca >= 0) & (level_code < 0)
        competitor_inferred[shared] = w.get("industry", 0.0) * comp.industry_levels[level]
        level_code[shared] = list(NACE_LEVELS).index(level)
        del ca, shared
    area = factor_codes(actor_key(actors, comp.area_column)).astype(np.int32)
    area_a = area[a]
    area_known = (area_a >= 0) & (area[b] >= 0)
    same_area = area_known & (area_a == area[b])
    del area_a
    competitor_inferred += w.get("area", 0.0) * same_area
    size = _size_values(actors, comp.size_column)
    size_a, size_b = size[a], size[b]
    with np.errstate(invalid="ignore"):
        # NaN (unknown) propagates through minimum / maximum
        size_sim = (np.minimum(size_a, size_b) + 1.0) / (np.maximum(size_a, size_b) + 1.0)
    del size_a, size_b
    competitor_inferred += w.get("size", 0.0) * np.nan_to_num(size_sim, nan=0.0)
    # snap binary rounding error (0.6 * 0.5 + 0.3 + ...) before thresholds apply
    np.clip(np.round(competitor_inferred, 12, out=competitor_inferred), 0.0, 1.0,
            out=competitor_inferred)

    # ---- drop weak inferred candidates before the partner features (saves memory)
    if floor > 0:
        keep = is_stated | (competitor_inferred >= floor)
        a, b, slot, is_stated = a[keep], b[keep], slot[keep], is_stated[keep]
        level_code, area_known, same_area = level_code[keep], area_known[keep], same_area[keep]
        size_sim, competitor_inferred = size_sim[keep], competitor_inferred[keep]
        n_pairs = len(a)

    # ---- partner features
    part = m.partner
    counts = {
        "shared_persons": pair_values(cooccurrence(eco, part.person_kinds, group="source"), a, b),
        "joint_membership": pair_values(cooccurrence(eco, ["membership"], group="target"), a, b),
        "supply": pair_values(tie_matrix(eco, "supply"), a, b),
        "support": pair_values(tie_matrix(eco, "support"), a, b),
        "shared_owners": pair_values(cooccurrence(eco, ["ownership"], group="source"), a, b),
    }
    partner_inferred = np.zeros(n_pairs)
    for feature, weight in part.weights.items():
        partner_inferred += weight * np.minimum(counts[feature] / part.saturation_of(feature), 1.0)
    partner_inferred = np.clip(np.round(partner_inferred, 12), 0.0, 1.0)

    # ---- stated values win, axis by axis (only the stated rows are touched)
    rows = np.flatnonzero(is_stated)
    at = slot[rows]
    competitor = np.full(n_pairs, np.nan) if stated_only else competitor_inferred.copy()
    partner = np.full(n_pairs, np.nan) if stated_only else partner_inferred.copy()
    none = np.int8(-1) if stated_only else np.int8(1)  # source code where not stated
    sources = []
    for used, name in ((competitor, "competitor"), (partner, "partner")):
        values = stated[name][at]
        has = ~np.isnan(values)
        used[rows[has]] = values[has]
        code = np.full(n_pairs, none, dtype=np.int8)
        code[rows[has]] = 0
        sources.append(code)
    # provenance: the relation's (both stated), inferred (both), partly_inferred (one)
    prov_names, prov_codes = np.unique(stated["provenance"].astype(str), return_inverse=True)
    prov_categories = ["inferred", "partly_inferred",
                       *[p for p in prov_names if p not in ("inferred", "partly_inferred")]]
    remap = np.array([prov_categories.index(p) for p in prov_names], dtype=np.int8)
    n_model = (sources[0] == 1).astype(np.int8) + (sources[1] == 1)
    prov = np.where(n_model == 1, np.int8(1), np.int8(0))
    if stated_only:
        prov[:] = -1
    prov[rows] = np.where(n_model[rows] > 0, prov[rows], remap[prov_codes.ravel()[at]])
    del n_model
    n_relations = np.zeros(n_pairs, dtype=np.int32)
    n_relations[rows] = stated["n_relations"][at]

    rank32 = rank.astype(index_dtype)
    ids_sorted = pd.Index(actors.index.to_numpy(dtype=object)[by_rank], dtype="string")
    org_dtype = pd.CategoricalDtype(ids_sorted, ordered=True)
    columns: dict[str, Any] = {
        "org_a": pd.Categorical.from_codes(rank32[a], dtype=org_dtype),
        "org_b": pd.Categorical.from_codes(rank32[b], dtype=org_dtype),
        "competitor_intensity": competitor,
        "partner_intensity": partner,
        "provenance": _categorical(prov, prov_categories),
        "competitor_source": _categorical(sources[0], ["relation", "model"]),
        "partner_source": _categorical(sources[1], ["relation", "model"]),
        "stated": is_stated,
        "competitor_inferred": competitor_inferred,
        "partner_inferred": partner_inferred,
        "industry_level": _categorical(level_code, list(NACE_LEVELS)),
        "same_area": pd.arrays.BooleanArray(same_area, ~area_known),
        "size_similarity": size_sim,
        # int32: compact, and safe from overflow in user arithmetic
        **{name: counts.pop(name).astype(np.int32, copy=False) for name in PARTNER_FEATURES},
        "n_relations": n_relations,
        "relation_ids": _stated_categorical(stated["relation_ids"], slot, is_stated),
    }
    del a, b, prov, sources, level_code, same_area, area_known
    stated_evidence = _stated_categorical(stated["evidence"], slot, is_stated)
    # copy=False: the arrays become the columns as they are (no block stacking, no copy)
    out = pd.DataFrame(columns, copy=False)
    del columns
    if evidence and not stated_only and len(out):
        out["evidence"] = _evidence(out, stated_evidence, m)
    else:
        out["evidence"] = stated_evidence
    return out


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """A categorical from integer codes (-1 = NA) and category names."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="string"))


def _take(values: np.ndarray, slot: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``values[slot]`` where ``mask``, -1 elsewhere (safe when ``values`` is empty)."""
    if len(values) == 0:
        return np.full(len(slot), -1, dtype=np.int32)
    taken = np.full(len(slot), -1, dtype=np.int32)
    rows = np.flatnonzero(mask)
    taken[rows] = values[slot[rows]]
    return taken


def _stated_categorical(values: np.ndarray, slot: np.ndarray, mask: np.ndarray) -> pd.Categorical:
    """A per-pair column of a stated text field as a compact categorical (NA when absent)."""
    codes, names = pd.factorize(pd.Series(values, dtype="string"), sort=True)
    cat_codes = _take(np.asarray(codes, dtype=np.int32), slot, mask)
    return pd.Categorical.from_codes(cat_codes, categories=pd.Index(names, dtype="string"))


def _size_values(actors: pd.DataFrame, column: str) -> np.ndarray:
    if column not in actors.columns:
        raise InputError(f"size column {column!r} is not an actor column")
    col = actors[column]
    if not (pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype)):
        raise InputError(f"size column {column!r} must be numeric, got dtype {col.dtype}")
    return col.astype("float64").to_numpy(dtype="float64", na_value=np.nan)


def _evidence(out: pd.DataFrame, stated_evidence: pd.Categorical,
              m: InferenceModel) -> pd.Series:
    """Stated evidence and/or ``inferred by ...: features`` per row, vectorised."""
    same = pd.Series(np.where(out["same_area"].fillna(False).to_numpy(dtype=bool), "same",
                              "different"), dtype="string")
    same = same.mask(out["same_area"].isna().to_numpy(dtype=bool), "unknown")
    features = (
        f"inferred by ecograph model '{m.name}' from industry="
        + pd.Series(out["industry_level"].astype("string").fillna("none").to_numpy(),
                    dtype="string")
        + "; area=" + same
        + "; size_similarity=" + _fmt(out["size_similarity"].to_numpy())
        + "; shared_persons=" + pd.Series(out["shared_persons"].to_numpy()).astype("string")
        + "; joint_membership=" + pd.Series(out["joint_membership"].to_numpy()).astype("string")
        + "; supply=" + pd.Series(out["supply"].to_numpy()).astype("string")
        + "; support=" + pd.Series(out["support"].to_numpy()).astype("string")
        + "; shared_owners=" + pd.Series(out["shared_owners"].to_numpy()).astype("string")
    )
    stated_text = pd.Series(stated_evidence, dtype="string")
    inferred_any = ((out["competitor_source"] == "model").to_numpy(dtype=bool)
                    | (out["partner_source"] == "model").to_numpy(dtype=bool))
    both = stated_text.notna().to_numpy(dtype=bool) & inferred_any
    text = stated_text.where(~inferred_any, features)
    text = text.where(~both, stated_text + " | " + features)
    text.index = out.index
    return text


def with_inferred_coopetition(
    eco: Ecosystem,
    *,
    model: InferenceInput = None,
    min_competitor: float | None = None,
    date: DateInput = None,
) -> Ecosystem:
    """A new Ecosystem with an inferred ``coopetition`` relation for every candidate pair.

    Parameters
    ----------
    eco : Ecosystem
        Not modified.
    model : str, Path, InferenceModel or mapping, optional
        The inference model (default: the shipped ``inference``).
    min_competitor : float, optional
        Skip pairs whose inferred competitor intensity is below this
        (default: the model's ``min_competitor``).
    date : str or date, optional
        Infer from the relations valid on this date; the new relations get
        no ``since`` / ``until``.

    Returns
    -------
    Ecosystem
        ``eco``'s actors and relations plus one relation per candidate pair
        that has no ``coopetition`` relation yet: ``kind="coopetition"``,
        both intensities inferred, ``provenance="inferred"``, ``evidence``
        naming the model and every feature value, id
        ``"inferred-coopetition:<org_a>:<org_b>"``. Existing relations are
        unchanged (stated values win; :func:`coopetition` fills their
        missing intensities when it places them).

    Raises
    ------
    ModelSpecError
        When the model file is invalid.

    Notes
    -----
    See :func:`infer_coopetition` for the features, weights and blocking.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(pd.DataFrame({
    ...     "id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"],
    ...     "nace": ["47.111", "47.111"], "municipality": ["5025", "5025"]}), warn=False)
    >>> new = with_inferred_coopetition(eco)
    >>> new.relations[["source", "target", "kind", "competitor_intensity", "provenance"]]
      source target         kind  competitor_intensity provenance
    0      a      b  coopetition                   0.9   inferred
    """
    t = infer_coopetition(eco, model=model, pairs="blocking", min_competitor=min_competitor,
                          date=date)
    t = t[~t["stated"].to_numpy(dtype=bool)]
    org_a = t["org_a"].astype("string")
    org_b = t["org_b"].astype("string")
    new = pd.DataFrame({
        "id": "inferred-coopetition:" + org_a + ":" + org_b,
        "source": org_a,
        "target": org_b,
        "kind": "coopetition",
        "competitor_intensity": t["competitor_intensity"],
        "partner_intensity": t["partner_intensity"],
        "evidence": t["evidence"].astype("string"),
        "provenance": "inferred",
    })
    relations = pd.concat([eco.relations, new], ignore_index=True) if len(new) else eco.relations
    return eco.with_frames(relations=relations)
