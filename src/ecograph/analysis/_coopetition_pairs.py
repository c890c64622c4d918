"""Vectorised building blocks of co-opetition: NACE levels, blocking, pair features.

Nothing here loops over pairs or rows in Python: candidate pairs come from
sorted block codes with ``numpy.repeat``; shared persons, memberships and
owners are entries of sparse co-occurrence matrices (``B.T @ B``,
:func:`ecograph.analysis._graphs.cooccurrence`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecograph.analysis.coopetition_model import NACE_LEVELS
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import EcographWarning, InputError

__all__ = [
    "actor_key",
    "actor_ranks",
    "block_pairs",
    "candidate_pairs",
    "factor_codes",
    "pair_keys",
    "stated_dyads",
]


def nace_at(codes: pd.Series, level: str) -> pd.Series:
    """NACE code prefix at ``level``; NA where the code is missing or too short.

    The prefix is computed on the distinct codes only (a few hundred at most)
    and mapped back with the factorisation, so the cost is one factorize.
    """
    n = NACE_LEVELS[level]
    inverse, uniques = pd.factorize(codes, use_na_sentinel=True)
    prefixes = np.array([u[:n] if len(u) >= n else None for u in map(str, uniques)] + [None],
                        dtype=object)
    # inverse == -1 (missing) picks the trailing None
    return pd.Series(prefixes[inverse], index=codes.index, dtype="string")


def actor_key(actors: pd.DataFrame, key: str) -> pd.Series:
    """Values of a blocking / market key for every actor (``nace_<level>`` or a column)."""
    if key.startswith("nace_") and key[5:] in NACE_LEVELS:
        return nace_at(actors["nace"], key[5:])
    if key not in actors.columns:
        raise InputError(f"unknown actor key {key!r}: not an actor column and not one of "
                         f"{['nace_' + k for k in NACE_LEVELS]}")
    return actors[key]


def factor_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of values, -1 for missing."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64)


def block_pairs(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions that share a block code (codes < 0 are excluded).

    Parameters
    ----------
    block : ndarray of int
        Block code per element.

    Returns
    -------
    (left, right) : tuple of ndarray of int64
        Positions with ``left != right``; each unordered pair once.
    """
    pos = np.flatnonzero(block >= 0)
    if len(pos) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = pos[np.argsort(block[pos], kind="stable")]
    codes = block[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    # element i of a run [s, e) pairs with the e - i - 1 elements after it
    counts = np.repeat(ends, ends - starts) - np.arange(len(codes)) - 1
    left = np.repeat(np.arange(len(codes)), counts)
    right = np.arange(len(left), dtype=np.int64)
    right -= np.repeat(np.cumsum(counts) - counts, counts)
    right += left
    right += 1
    return order[left], order[right]


def _compact(codes: np.ndarray) -> np.ndarray:
    """Relabel non-negative codes as 0..k-1 (negative codes stay -1)."""
    out = np.full(len(codes), -1, dtype=np.int64)
    ok = codes >= 0
    if ok.any():
        out[ok] = np.unique(codes[ok], return_inverse=True)[1].ravel()
    return out


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Code of the pair of codes (a, b); -1 where either is -1."""
    combined = np.where((a >= 0) & (b >= 0), a * (int(b.max(initial=0)) + 1) + b, -1)
    return _compact(combined)


def candidate_pairs(
    actors: pd.DataFrame,
    eligible: np.ndarray,
    blocks: Sequence[Sequence[str]],
    max_block_size: int,
    refine: Sequence[str],
    rank: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Candidate pairs by blocking, with oversize blocks refined by finer NACE levels.

    Returns
    -------
    (keys, skipped) : ndarray, int
        Pair keys (:func:`pair_keys`; unsorted, a pair found by several rules
        appears several times) and the number of actors left in blocks that
        stayed oversize after every refinement.
    """
    keys: list[np.ndarray] = []
    skipped = 0
    refine_codes = [factor_codes(nace_at(actors["nace"], level)) for level in refine]
    for rule in blocks:
        block = np.where(eligible, 0, -1).astype(np.int64)
        for k in rule:
            block = _combine(block, factor_codes(actor_key(actors, k)))
        level = 0
        while True:
            inside = block[block >= 0]
            sizes = np.bincount(inside) if len(inside) else np.zeros(0, dtype=np.int64)
            big = np.flatnonzero(sizes > max_block_size)
            if len(big) == 0:
                break
            members = np.isin(block, big)
            if level >= len(refine_codes):
                skipped += int(members.sum())
                warnings.warn(
                    f"co-opetition blocking: {len(big)} block(s) of rule {list(rule)} still "
                    f"hold more than max_block_size={max_block_size} organisations after "
                    f"refining by {list(refine)}; their {int(members.sum())} organisations get "
                    "no inferred pairs (raise candidates.max_block_size in the inference model "
                    "to include them)",
                    EcographWarning, stacklevel=4)
                block[members] = -1
                break
            # split oversize blocks by the next NACE level; a missing finer code is its own group
            finer = refine_codes[level] + 1
            split = np.where(members, block * (int(finer.max(initial=0)) + 1) + finer, -1)
            block = np.where(members, _compact(split) + int(block.max()) + 1, block)
            block = _compact(block)
            level += 1
        left, right = block_pairs(block)
        keys.append(pair_keys(rank, left, right))
        del left, right
    out = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    return out, skipped


def _time_key(values: pd.Series, missing: int) -> np.ndarray:
    arr = values.to_numpy(dtype="datetime64[s]").astype(np.int64)
    return np.where(values.isna().to_numpy(dtype=bool), missing, arr)


def actor_ranks(actors: pd.DataFrame) -> np.ndarray:
    """Rank of every actor id in sorted id order (pair keys and ``org_a < org_b`` use it)."""
    n = len(actors)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(actors.index.to_numpy(dtype=object), kind="stable")] = np.arange(n)
    return rank


def pair_keys(rank: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Order-free integer key of each pair: ``min(rank) * n + max(rank)``."""
    ra, rb = rank[a], rank[b]
    keys: np.ndarray = np.minimum(ra, rb) * len(rank) + np.maximum(ra, rb)
    return keys


def stated_dyads(eco: Ecosystem, rank: np.ndarray) -> dict[str, np.ndarray]:
    """One entry per organisation pair with a ``coopetition`` relation, sorted by pair key.

    A pair with several relations is represented by its latest one: the
    relation that ends last (an open ``until`` is latest), ties broken by the
    latest ``since`` (an open ``since`` is earliest). Relations tied on both
    are averaged (mean of the non-missing intensities), so the result does
    not depend on row order. ``provenance`` (``"stated"`` when empty) and
    ``evidence`` of the chosen relations are joined (sorted, ``"; "``);
    ``relation_ids`` lists the ids of every relation of the pair, sorted and
    joined by ``";"``.

    Returns
    -------
    dict of ndarray
        Arrays ``key`` (see :func:`pair_keys`), ``competitor``, ``partner``,
        ``provenance``, ``evidence``, ``n_relations``, ``relation_ids``.
    """
    src, dst, rows = eco.edge_arrays("coopetition")
    rel = eco.relations
    key = pair_keys(rank, src, dst)
    order = np.argsort(key, kind="stable")
    key, rows = key[order], rows[order]
    comp = rel["competitor_intensity"].to_numpy(dtype="float64")[rows]
    part = rel["partner_intensity"].to_numpy(dtype="float64")[rows]
    prov = rel["provenance"].fillna("stated").to_numpy(dtype=object)[rows]
    evid = rel["evidence"].astype(object).where(rel["evidence"].notna(), None).to_numpy()[rows]
    ids = rel["id"].to_numpy(dtype=object)[rows]
    uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
    out: dict[str, np.ndarray] = {
        "key": uniq,
        "competitor": comp[first],
        "partner": part[first],
        "provenance": prov[first],
        "evidence": evid[first],
        "n_relations": counts.astype(np.int64),
        "relation_ids": ids[first],
    }
    multi = np.flatnonzero(counts > 1)
    if len(multi):  # few pairs have several relations: aggregate those with pandas
        in_multi = np.repeat(counts > 1, counts)
        sub = rel.iloc[rows[in_multi]]
        frame = pd.DataFrame({
            "key": key[in_multi], "competitor": comp[in_multi], "partner": part[in_multi],
            "provenance": prov[in_multi], "evidence": evid[in_multi], "id": ids[in_multi],
            "until_key": _time_key(sub["until"], np.iinfo(np.int64).max),
            "since_key": _time_key(sub["since"], np.iinfo(np.int64).min),
        })
        agg = _aggregate_multi(frame)
        for name in ("competitor", "partner", "provenance", "evidence", "relation_ids"):
            out[name] = out[name].copy()
            out[name][multi] = agg[name].to_numpy()
    return out


def _join(values: pd.Series) -> object:
    items = sorted({str(v) for v in values if not pd.isna(v)})
    return "; ".join(items) if items else None


def _aggregate_multi(frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregate pairs that have several co-opetition relations (see :func:`stated_dyads`)."""
    grouped = frame.groupby("key", sort=True)
    ids = grouped["id"].agg(lambda v: ";".join(sorted(str(x) for x in v)))
    last_until = grouped["until_key"].transform("max")
    latest = frame[frame["until_key"].to_numpy() == last_until.to_numpy()]
    last_since = latest.groupby("key")["since_key"].transform("max")
    latest = latest[latest["since_key"].to_numpy() == last_since.to_numpy()]
    g = latest.groupby("key", sort=True)
    return pd.DataFrame({
        "competitor": g["competitor"].mean(),
        "partner": g["partner"].mean(),
        "provenance": g["provenance"].agg(_join),
        "evidence": g["evidence"].agg(_join),
        "relation_ids": ids,
    })
