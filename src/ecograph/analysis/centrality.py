"""Node metrics: degree and strength per layer, centralities, clustering, k-core, cut points."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ecograph.analysis._graphs import (
    SimpleGraph,
    auto_sources,
    component_labels,
    relation_kind_codes,
    relation_strengths,
    resolve_layers,
    safe_divide,
    simple_graph,
    wsum,
)
from ecograph.analysis._paths import betweenness, path_sums, resolve_jobs
from ecograph.core.kinds import RELATION_KINDS
from ecograph.exceptions import ComputationError, EmptyGraphError, InputError

if TYPE_CHECKING:

    from ecograph.core.ecosystem import Ecosystem

__all__ = ["node_metrics"]

def _closeness(eco: Ecosystem, sg: SimpleGraph, key: Any, k: int | None, seed: int | None,
               weighted: bool, jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """Wasserman–Faust closeness and normalised harmonic centrality (exact or sampled)."""
    n = sg.n
    sums = path_sums(eco, sg, key, n if k is None else k, seed, weighted=weighted, n_jobs=jobs)
    inner, harmonic = sums.closeness()
    comp_size = sums.sizes[sums.labels].astype(np.float64)
    denom = max(n - 1, 1)
    closeness = np.where(comp_size > 1, inner * (comp_size - 1.0) / denom, 0.0)
    return closeness, np.where(comp_size > 1, harmonic, 0.0) / denom


def _eigenvector(sg: SimpleGraph, labels: np.ndarray, weighted: bool) -> np.ndarray:
    """Leading eigenvector on the largest component, unit Euclidean norm; 0 elsewhere."""
    n = sg.n
    out = np.zeros(n)
    if len(sg.src) == 0:
        return np.full(n, np.nan)
    verts = np.flatnonzero(labels == 0)
    pos = np.full(n, -1, dtype=np.int64)
    pos[verts] = np.arange(len(verts))
    inside = (labels[sg.src] == 0)
    w = sg.strength[inside] if weighted else np.ones(int(inside.sum()))
    r, c = pos[sg.src[inside]], pos[sg.dst[inside]]
    A = sp.csr_matrix((np.concatenate([w, w]), (np.concatenate([r, c]), np.concatenate([c, r]))),
                      shape=(len(verts), len(verts)))
    try:
        if len(verts) <= 200:
            vals, vecs = np.linalg.eigh(A.toarray())
            x = vecs[:, int(np.argmax(vals))]
        else:
            from scipy.sparse.linalg import eigsh

            v0 = np.asarray(A.sum(axis=1)).ravel() + 1.0
            _, vecs = eigsh(A, k=1, which="LA", v0=v0, tol=1e-10,
                            maxiter=max(1000, 20 * len(verts)))
            x = vecs[:, 0]
    except Exception as exc:  # pragma: no cover - ARPACK failure
        raise ComputationError(f"eigenvector centrality did not converge: {exc}") from exc
    x = np.abs(x)
    x /= np.linalg.norm(x)
    x[x < 1e-12] = 0.0
    out[verts] = x
    return out


def _pagerank(A: sp.csr_matrix, damping: float, tol: float = 1e-12,
              max_iter: int = 10_000) -> np.ndarray:
    """PageRank of an undirected graph by power iteration (dangling mass spread uniformly).

    ``x <- d A D^{-1} x + (d * sum of dangling x + 1 - d) / n`` until the L1 change is
    below ``tol``; ``A`` symmetric, ``D`` the diagonal of (weighted) degrees.
    """
    n = A.shape[0]
    s = np.asarray(A.sum(axis=1)).ravel()
    dangling = s == 0
    inv = safe_divide(1.0, s, 0.0)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):  # iterations, each one sparse product
        y: np.ndarray = damping * np.asarray(A @ (x * inv), dtype=np.float64)
        y += (damping * x[dangling].sum() + (1.0 - damping)) / n
        change = float(np.abs(y - x).sum())
        x = y
        if change < tol:
            return x
    raise ComputationError(f"PageRank did not converge in {max_iter} iterations")


def node_metrics(
    eco: Ecosystem,
    *,
    layers: str | Iterable[str] | None = None,
    weighted: bool = False,
    weight: str | None = "weight",
    betweenness_sources: int | str | None = "auto",
    closeness_sources: int | str | None = "auto",
    damping: float = 0.85,
    seed: int | None = 0,
    n_jobs: int | None = 1,
) -> pd.DataFrame:
    r"""Degree, strength, centralities, clustering, k-core and cut points per actor.

    Every measure except the per-layer degrees is computed on the
    *undirected simple graph* of ``layers``: one edge per linked pair of
    actors, whose strength is the summed strength of the relations between
    them (parallel relations of several layers or roles are merged).

    Parameters
    ----------
    eco : Ecosystem
    layers : str or iterable of str, optional
        Relation kinds to use; every kind by default.
    weighted : bool, default False
        ``False``: path measures count steps (hops) and eigenvector /
        PageRank treat every tie alike. ``True``: tie strengths are used —
        as **distances** ``1 / strength`` for betweenness, closeness and
        harmonic centrality (a stronger tie is a shorter one), and as
        strengths for eigenvector centrality and PageRank.
    weight : str or None, default "weight"
        Numeric relation column read as strength (empty cell = 1).
        ``strength*`` columns always use it. Relations of strength 0 are
        left out of the simple graph (a zero-strength tie is no tie).
    betweenness_sources : int, "auto" or None, default "auto"
        ``None``: exact betweenness (one BFS per actor, cost
        :math:`O(nm)`). An integer ``k``: estimate from ``k`` sources drawn
        uniformly without replacement (seeded), scaled by :math:`n/k`
        (unbiased; Brandes & Pich 2007). ``"auto"``: exact while
        :math:`n m \le 2 \cdot 10^8`, else 256 sources.
    closeness_sources : int, "auto" or None, default "auto"
        As ``betweenness_sources`` for closeness and harmonic centrality.
        Actors in components of at most ``k`` actors are always exact; in
        larger components the mean distance is estimated from ``k`` sampled
        sources of that component (Eppstein & Wang 2004).
    damping : float, default 0.85
        PageRank damping factor.
    seed : int or None, default 0
        Seed of the source sampling. Betweenness sources are
        ``sort(default_rng(seed).choice(n, k))``; closeness sources are drawn
        per component (below) from a fresh ``default_rng(seed)``.
    n_jobs : int or None, default 1
        Processes for the shortest-path searches (betweenness and
        closeness), which dominate on large graphs: ``-1`` uses every core.
        The searches are split by sources and added up, so the result is
        the same as with one process (up to floating-point summation order);
        small graphs stay in this process. Leave it at 1 inside an already
        parallel batch. The workers start fresh interpreters (forkserver or
        spawn), so a script must call this under
        ``if __name__ == "__main__":``.

    Returns
    -------
    DataFrame
        One row per actor, index ``actor_id``, in the order of
        ``eco.actors``. Columns:

        * ``kind`` (str);
        * ``degree`` (int): relations of ``layers`` at the actor (parallel
          relations each count); ``strength`` (float): their summed strength;
        * ``neighbours`` (int): distinct linked actors (degree in the
          simple graph);
        * ``degree.<layer>`` (int), ``strength.<layer>`` (float): the same
          per selected layer;
        * ``component`` (int): connected component, 0 = the largest (ties:
          the one holding the earlier actor); ``component_size`` (int);
        * ``betweenness_raw`` (float): shortest-path betweenness
          :math:`\sum_{s<t} \sigma_{st}(v) / \sigma_{st}`, every unordered pair
          counted once (networkx ``normalized=False``, igraph default);
        * ``betweenness_norm`` (float): ``betweenness_raw`` divided by
          :math:`(n-1)(n-2)/2` with :math:`n` = all actors (networkx
          ``normalized=True``); for :math:`n \le 2` it equals the raw value (0);
        * ``closeness`` (float): Wasserman–Faust closeness for disconnected
          graphs, :math:`\frac{r-1}{n-1} \cdot \frac{r-1}{\sum_{t} d(v,t)}`
          over the :math:`r-1` actors :math:`t` that :math:`v` reaches
          (networkx ``closeness_centrality`` default); **0 for isolates**;
        * ``harmonic`` (float): :math:`\frac{1}{n-1}\sum_{t \ne v} 1/d(v,t)`
          (unreachable actors add 0); 0 for isolates;
        * ``eigenvector`` (float): leading eigenvector of the adjacency
          matrix of the **largest component**, unit Euclidean norm
          (networkx convention); 0 outside the largest component; NaN for
          every actor when there is no relation at all;
        * ``pagerank`` (float): PageRank with ``damping`` on the undirected
          graph (sums to 1; an isolate spreads its mass uniformly, as in
          networkx), by power iteration to an L1 change below
          :math:`10^{-12}`;
        * ``clustering`` (float): local clustering coefficient (share of
          the actor's neighbour pairs that are linked), unweighted; **NaN
          for actors with fewer than two neighbours** (undefined; networkx
          reports 0);
        * ``kcore`` (int): core number;
        * ``articulation_point`` (bool): removing the actor disconnects
          its component.

        ``DataFrame.attrs`` records ``betweenness_sources`` and
        ``closeness_sources`` (``None`` = exact) and ``weighted``.

    Raises
    ------
    EmptyGraphError
        When the ecosystem has no actors.
    InputError
        For an unknown layer, a bad sources option or weight column.
    ComputationError
        When igraph or ARPACK fails.

    Notes
    -----
    Degrees count relations; ``neighbours`` and every other measure see
    pairs. Symmetric relations (co-opetition, ties) are stored once and
    count once. The sampled betweenness of Brandes & Pich (2007) is
    :math:`\frac{n}{k} \sum_{s \in S} \delta_{s\cdot}(v)` (halved for
    undirected pairs), the same estimator as networkx's ``k=`` option.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality",
       J. Math. Sociol. 25(2) (2001) 163-177.
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large
       networks", Int. J. Bifurcation and Chaos 17(7) (2007) 2303-2318.
    .. [3] D. Eppstein and J. Wang, "Fast approximation of centrality",
       J. Graph Algorithms Appl. 8(1) (2004) 39-45.
    .. [4] S. Wasserman and K. Faust, Social Network Analysis: Methods and
       Applications, Cambridge University Press (1994).
    .. [5] L. C. Freeman, "Centrality in social networks: conceptual
       clarification", Social Networks 1 (1979) 215-239.
    .. [6] T. Opsahl, F. Agneessens and J. Skvoretz, "Node centrality in
       weighted networks: generalizing degree and shortest paths", Social
       Networks 32 (2010) 245-251 (strengths as inverse distances).

    Examples
    --------
    >>> import pandas as pd
    >>> import ecograph
    >>> actors = pd.DataFrame({"id": ["p1", "a", "b", "c"], "name": ["P1", "A", "B", "C"],
    ...                        "kind": ["person", "firm", "firm", "firm"]})
    >>> relations = pd.DataFrame({"source": ["p1", "p1", "b"], "target": ["a", "b", "c"],
    ...                           "kind": ["board_seat", "board_seat", "supply"],
    ...                           "role": ["chair", "member", None]})
    >>> eco = ecograph.Ecosystem.from_frames(actors, relations)
    >>> m = ecograph.node_metrics(eco)
    >>> m[["neighbours", "betweenness_raw", "betweenness_norm", "articulation_point"]]
              neighbours  betweenness_raw  betweenness_norm  articulation_point
    actor_id
    p1                 2              2.0          0.666667                True
    a                  1              0.0          0.000000               False
    b                  2              2.0          0.666667                True
    c                  1              0.0          0.000000               False
    """
    lay = resolve_layers(layers)
    if not 0.0 <= float(damping) <= 1.0:
        raise InputError(f"damping must lie in [0, 1], got {damping!r}")
    n = len(eco.actors)
    if n == 0:
        raise EmptyGraphError("node metrics are undefined for an ecosystem without actors")
    sg = simple_graph(eco, lay, weight)
    g = sg.graph
    m = len(sg.src)
    k_b = auto_sources(betweenness_sources, n, m, "betweenness_sources")
    k_c = auto_sources(closeness_sources, n, m, "closeness_sources")
    jobs = resolve_jobs(n_jobs)

    out: dict[str, Any] = {"kind": eco.actors["kind"].to_numpy(dtype=object)}
    src, dst, rows = eco.edge_arrays(lay)
    w = relation_strengths(eco, rows, weight)
    both = np.concatenate([src, dst])
    out["degree"] = np.bincount(both, minlength=n).astype(np.int64)
    out["strength"] = wsum(both, np.concatenate([w, w]), n)
    out["neighbours"] = sg.degree.astype(np.int64)
    kind = relation_kind_codes(eco)[rows]
    for layer in lay:
        sel = kind == RELATION_KINDS.index(layer)
        ends = np.concatenate([src[sel], dst[sel]])
        out[f"degree.{layer}"] = np.bincount(ends, minlength=n).astype(np.int64)
        out[f"strength.{layer}"] = wsum(ends, np.concatenate([w[sel], w[sel]]), n)
    labels, sizes = component_labels(g)
    out["component"] = labels
    out["component_size"] = sizes[labels].astype(np.int64)
    raw = betweenness(sg, k_b, seed, weighted=weighted, n_jobs=jobs)
    out["betweenness_raw"] = raw
    out["betweenness_norm"] = raw / ((n - 1) * (n - 2) / 2.0) if n > 2 else raw.copy()
    out["closeness"], out["harmonic"] = _closeness(eco, sg, (lay, weight if weighted else None),
                                                   k_c, seed, weighted, jobs)
    out["eigenvector"] = _eigenvector(sg, labels, weighted)
    out["pagerank"] = _pagerank(sg.adjacency(weighted), float(damping))
    try:
        out["clustering"] = np.asarray(g.transitivity_local_undirected(mode="nan"),
                                       dtype=np.float64)
        out["kcore"] = np.asarray(g.coreness(), dtype=np.int64)
        ap = np.zeros(n, dtype=bool)
        ap[np.asarray(g.articulation_points(), dtype=np.int64)] = True
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph failed: {exc}") from exc
    out["articulation_point"] = ap
    frame = pd.DataFrame(out, index=pd.Index(eco.actors.index, name="actor_id", dtype="string"))
    frame["kind"] = frame["kind"].astype("string")
    frame.attrs.update({"betweenness_sources": k_b, "closeness_sources": k_c, "weighted": weighted})
    return frame
