"""Graph helpers for the resources analyses: BFS trees, bounded reach, paths, trust proxies.

Private module. Everything works on the undirected multiplex graph of the
chosen layers; vertex ``i`` is ``eco.actors.index[i]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
from scipy import sparse

from ecograph.analysis._graphs import cooccurrence, pair_values, tie_matrix
from ecograph.exceptions import ComputationError, InputError

if TYPE_CHECKING:
    import igraph as ig

    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "PARTNER_THRESHOLD",
    "PathFinder",
    "adjacency",
    "check_distance",
    "distances",
    "graph",
    "pair_features",
    "shortest_paths",
    "within_reach",
]

PARTNER_THRESHOLD: Final[float] = 0.5
"""A co-opetition relation counts as a partner tie when its partner intensity is at least this."""

_POSITION_KINDS: Final[tuple[str, ...]] = ("board_seat", "management")
_CHUNK: Final[int] = 512


def check_distance(value: int | None, name: str, *, allow_none: bool = False) -> None:
    """Raise :class:`InputError` unless ``value`` is a non-negative int (or None when allowed)."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        expected = "a whole number >= 0" + (" or None" if allow_none else "")
        raise InputError(f"{name} must be {expected}, got {value!r}")


def graph(eco: Ecosystem, layers: str | Iterable[str] | None) -> ig.Graph:
    """The undirected multiplex graph of ``layers`` (cached by the ecosystem)."""
    return eco.to_igraph(layers, directed=False)


def distances(g: ig.Graph, sources: Sequence[int], targets: Sequence[int]) -> np.ndarray:
    """Hop distances (float, ``inf`` when unreachable) of shape ``(len(sources), len(targets))``."""
    if len(sources) == 0 or len(targets) == 0:
        return np.full((len(sources), len(targets)), np.inf)
    try:
        out = g.distances(source=[int(x) for x in sources], target=[int(x) for x in targets])
    except Exception as exc:  # igraph raises InternalError
        raise ComputationError(f"igraph failed to compute distances: {exc}") from exc
    return np.asarray(out, dtype="float64")


def shortest_paths(g: ig.Graph, source: int, targets: Sequence[int]) -> list[list[int]]:
    """One shortest path (vertex list) from ``source`` to each target; targets must be reachable.

    igraph stops the search once every target is reached, so near targets are cheap.
    """
    if not len(targets):
        return []
    try:
        found = g.get_shortest_paths(int(source), to=[int(t) for t in targets], output="vpath")
    except Exception as exc:
        raise ComputationError(f"igraph failed to compute shortest paths: {exc}") from exc
    return [list(p) for p in found]


class PathFinder:
    """Turn vertex paths into actor ids and the kinds of the relations walked.

    Between two actors joined by several relations, the relation listed
    first in ``eco.relations`` is reported.
    """

    __slots__ = ("_keys", "_kinds", "_n", "ids")

    def __init__(self, eco: Ecosystem, layers: str | Iterable[str] | None) -> None:
        src, dst, rows = eco.edge_arrays(layers)
        n = len(eco.actors)
        keys = np.minimum(src, dst) * n + np.maximum(src, dst)
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        self._keys = keys[first]
        self._kinds = eco.relations["kind"].to_numpy(dtype=object)[rows[first]]
        self._n = n
        self.ids = eco.actors.index.to_numpy(dtype=object)

    def describe(self, vertices: Sequence[int]) -> tuple[list[str], list[str]]:
        """Actor ids along ``vertices`` and the relation kinds between consecutive ones."""
        v = np.asarray(vertices, dtype=np.int64)
        keys = np.minimum(v[:-1], v[1:]) * self._n + np.maximum(v[:-1], v[1:])
        kinds = self._kinds[np.searchsorted(self._keys, keys)] if len(keys) else []
        return [str(x) for x in self.ids[v]], [str(k) for k in kinds]


def adjacency(eco: Ecosystem, layers: str | Iterable[str] | None) -> sparse.csr_matrix:
    """Binary symmetric float adjacency matrix of the undirected multiplex graph."""
    return tie_matrix(eco, layers, np.float64)


def within_reach(eco: Ecosystem, layers: str | Iterable[str] | None, sources: Sequence[int],
                 order: int) -> sparse.csr_matrix:
    """Bounded breadth-first search from many sources at once, with sparse matrix products.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(len(sources), n_actors)``; entry ``d + 1`` for an actor at
        hop distance ``d <= order`` from the source (so the source itself is
        stored as 1), absent otherwise.

    Notes
    -----
    Frontier expansion: ``F_{d+1} = (F_d A) \\ seen``, ``order`` sparse
    products per chunk of sources; cost grows with the size of the
    neighbourhoods, not with the whole graph.
    """
    a = adjacency(eco, layers)
    n = a.shape[0]
    src = np.asarray(sources, dtype=np.int64)
    parts = []
    for lo in range(0, len(src), _CHUNK):
        chunk = src[lo:lo + _CHUNK]
        k = len(chunk)
        frontier = sparse.csr_matrix((np.ones(k), (np.arange(k), chunk)), shape=(k, n))
        seen = frontier.copy()
        dist = frontier.copy()
        for d in range(1, order + 1):
            nxt = frontier @ a
            nxt.data[:] = 1.0
            nxt = (nxt - nxt.multiply(seen)).tocsr()
            nxt.eliminate_zeros()
            if nxt.nnz == 0:
                break
            dist = dist + nxt * float(d + 1)
            seen = seen + nxt
            frontier = nxt
        parts.append(dist.tocsr())
    if not parts:
        return sparse.csr_matrix((0, n))
    return sparse.vstack(parts, format="csr")


def _relation_positions(eco: Ecosystem, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Source and target vertices of the relations selected by the row mask ``mask``."""
    src, dst, rows = eco.edge_arrays(None)
    sel = mask[rows]
    return src[sel], dst[sel]


def pair_features(eco: Ecosystem, a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Trust and rivalry proxies for the actor pairs ``(a[k], b[k])`` (vertex positions).

    Returns
    -------
    DataFrame
        One row per pair with ``direct_tie`` (bool: any relation joins the
        two, except a co-opetition whose partner intensity is missing or
        below :data:`PARTNER_THRESHOLD`), ``shared_boards`` (persons with a
        board seat or management role in both), ``joint_memberships``
        (business networks or cooperatives both are members of),
        ``competitor_intensity`` and ``partner_intensity`` (largest value
        over the co-opetition relations between the two; NaN when there is
        none). All relations count, whatever layers the distances use.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    n = len(eco.actors)
    rel = eco.relations
    kind = rel["kind"].to_numpy(dtype=object)
    if len(a) == 0:
        return pd.DataFrame({"direct_tie": pd.Series(dtype=bool),
                             "shared_boards": pd.Series(dtype="int64"),
                             "joint_memberships": pd.Series(dtype="int64"),
                             "competitor_intensity": pd.Series(dtype="float64"),
                             "partner_intensity": pd.Series(dtype="float64")})
    # persons in a position in both organisations; networks both are members of
    shared = pair_values(cooccurrence(eco, _POSITION_KINDS, group="source"), a, b)
    joint = pair_values(cooccurrence(eco, ("membership",), group="target"), a, b)
    # direct ties and co-opetition intensities, keyed by the unordered pair
    pair_key = np.minimum(a, b) * n + np.maximum(a, b)
    partner = rel["partner_intensity"].to_numpy(dtype="float64", na_value=np.nan)
    competitor = rel["competitor_intensity"].to_numpy(dtype="float64", na_value=np.nan)
    is_coop = kind == "coopetition"
    with np.errstate(invalid="ignore"):
        tie_mask = ~is_coop | (partner >= PARTNER_THRESHOLD)
    s, t = _relation_positions(eco, tie_mask)
    direct = np.isin(pair_key, np.minimum(s, t) * n + np.maximum(s, t))
    s, t = _relation_positions(eco, is_coop)
    intensities = pd.DataFrame({
        "key": np.minimum(s, t) * n + np.maximum(s, t),
        "competitor_intensity": competitor[is_coop],
        "partner_intensity": partner[is_coop],
    }).groupby("key").max()
    looked = intensities.reindex(pair_key)
    return pd.DataFrame({
        "direct_tie": direct,
        "shared_boards": shared.astype(np.int64),
        "joint_memberships": joint.astype(np.int64),
        "competitor_intensity": looked["competitor_intensity"].to_numpy(dtype="float64"),
        "partner_intensity": looked["partner_intensity"].to_numpy(dtype="float64"),
    })
