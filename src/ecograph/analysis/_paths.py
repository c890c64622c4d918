"""Shortest-path work of the centralities and the profile, optionally on several processes.

Two kinds of breadth-first (or Dijkstra) work dominate the analyses of a large
graph: betweenness from sampled sources and the distances from sampled
sources that estimate closeness, harmonic centrality and the average path
length. This private module

* computes the **distance sums** from sampled sources once per ecosystem,
  graph and seed (:func:`path_sums`) and caches them, so
  :func:`~ecograph.node_metrics` and :func:`~ecograph.thin_dense_profile`
  share one set of searches;
* splits the searches over ``n_jobs`` worker processes (:func:`run_searches`).
  Each worker rebuilds the graph once from its edge arrays; a search is a
  call of igraph's C code on a chunk of sources, and the parent adds the
  chunks' results. Results equal the serial ones up to floating-point
  summation order.

Sampling (Eppstein & Wang 2004; Brandes & Pich 2007): components with at
most ``k`` vertices are exact; in every larger component ``k`` sources are
drawn uniformly without replacement with ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ecograph import _arrays
from ecograph.analysis._graphs import (
    SimpleGraph,
    cached,
    check_positive_int,
    component_labels,
    strength_to_distance,
)
from ecograph.exceptions import ComputationError, InputError

if TYPE_CHECKING:
    import igraph as ig

    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "PathSums",
    "betweenness",
    "distances",
    "path_sums",
    "resolve_jobs",
    "run_searches",
    "sample_sources",
    "sampled_path_length",
]

CHUNK: Final[int] = 16
"""Sources per igraph ``distances()`` call (bounds the dense block to ``16 x n``)."""

PARALLEL_MIN_WORK: Final[float] = 5e7
"""Below this many (sources x edges) the searches stay in the calling process."""

Search = tuple[str, list[int], list[int] | None]
"""One unit of work: ``("betweenness", sources, None)`` or ``("distances", sources, targets)``."""


def resolve_jobs(n_jobs: int | None) -> int:
    """Number of processes for ``n_jobs`` (``None`` = 1, ``-1`` = every core, ``-2`` all but one).

    Raises
    ------
    InputError
        For 0, a non-integer, or a negative value below ``-cpu_count``.
    """
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer):
        raise InputError(f"n_jobs must be an integer or None, got {n_jobs!r}")
    cores = os.cpu_count() or 1
    if n_jobs < 0:
        resolved = cores + 1 + int(n_jobs)
        if resolved < 1:
            raise InputError(f"n_jobs={n_jobs} leaves no process on {cores} cores")
        return resolved
    return check_positive_int(int(n_jobs), "n_jobs")


# --------------------------------------------------------------------- searches
def distances(sg: SimpleGraph) -> list[float]:
    """Edge distances ``1 / strength`` of ``sg`` as the list igraph's ``weights=`` takes."""
    return strength_to_distance(sg.strength).tolist()  # type: ignore[no-any-return]


_WORKER_GRAPH: ig.Graph | None = None


def _build(n: int, src: np.ndarray, dst: np.ndarray, distance: np.ndarray | None) -> ig.Graph:
    import igraph as ig

    g = ig.Graph(n=n, edges=_arrays.pairs(src, dst), directed=False)
    if distance is not None:
        g.es["distance"] = distance.tolist()
    return g


def _init_worker(n: int, src: np.ndarray, dst: np.ndarray, distance: np.ndarray | None) -> None:
    global _WORKER_GRAPH
    _WORKER_GRAPH = _build(n, src, dst, distance)


def _search(g: ig.Graph, task: Search, weights: str | list[float] | None) -> Any:
    kind, sources, targets = task
    if kind == "betweenness":
        return np.asarray(g.betweenness(directed=False, weights=weights, sources=sources),
                          dtype=np.float64)
    if kind == "closeness":  # per source: its distance total within its component
        return np.asarray(g.closeness(vertices=sources, weights=weights, normalized=False),
                          dtype=np.float64)
    d = np.asarray(g.distances(source=sources, target=targets, weights=weights),
                   dtype=np.float64)
    with np.errstate(divide="ignore"):
        inv = 1.0 / d  # 1/inf = 0 (unreachable); 1/0 (the source itself) set to 0 below
    inv[d == 0] = 0.0
    return d.sum(axis=0), inv.sum(axis=0)


def _worker_search(task: Search, weighted: bool) -> Any:
    assert _WORKER_GRAPH is not None
    return _search(_WORKER_GRAPH, task, "distance" if weighted else None)


def run_searches(sg: SimpleGraph, tasks: Sequence[Search], *, weighted: bool,
                 n_jobs: int = 1) -> list[Any]:
    """Run shortest-path searches on ``sg``, in ``n_jobs`` processes when that pays.

    Parameters
    ----------
    sg : SimpleGraph
    tasks : sequence of (kind, sources, targets)
        ``("betweenness", sources, None)`` gives igraph's betweenness from
        ``sources`` (an array over every vertex); ``("distances", sources,
        targets)`` gives ``(sum of d, sum of 1/d)`` over the sources, per target.
    weighted : bool
        Use the ``distance`` edge attribute (Dijkstra) instead of hops.
    n_jobs : int, default 1
        Processes; the work stays in this process when ``n_jobs == 1``, there is
        a single task, or the work is small (:data:`PARALLEL_MIN_WORK`).

    Returns
    -------
    list
        One result per task, in task order.
    """
    work = float(sum(len(t[1]) for t in tasks)) * max(len(sg.src), 1)
    try:
        if n_jobs <= 1 or len(tasks) < 2 or work < PARALLEL_MIN_WORK:
            weights = distances(sg) if weighted else None
            return [_search(sg.graph, t, weights) for t in tasks]
        import concurrent.futures as cf
        import multiprocessing as mp

        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        distance = strength_to_distance(sg.strength) if weighted else None
        with cf.ProcessPoolExecutor(
            max_workers=min(n_jobs, len(tasks)), mp_context=mp.get_context(method),
            initializer=_init_worker, initargs=(sg.n, sg.src, sg.dst, distance),
        ) as pool:
            futures = [pool.submit(_worker_search, t, weighted) for t in tasks]
            return [f.result() for f in futures]
    except ComputationError:  # pragma: no cover
        raise
    except Exception as exc:  # pragma: no cover - igraph or pool failure
        hint = ("; n_jobs > 1 starts worker processes, which re-import a script: "
                "run it under `if __name__ == '__main__':`" if n_jobs > 1 else "")
        raise ComputationError(f"shortest-path searches failed: {exc}{hint}") from exc


def _split(sources: np.ndarray, parts: int) -> list[list[int]]:
    return [c.tolist() for c in np.array_split(sources, max(1, min(parts, len(sources))))
            if len(c)]


# --------------------------------------------------------------------- betweenness
def betweenness(sg: SimpleGraph, k: int | None, seed: int | None, *, weighted: bool,
                n_jobs: int = 1) -> np.ndarray:
    """Shortest-path betweenness, exact (``k=None``) or from ``k`` uniform sources scaled by n/k.

    The sources are ``sort(default_rng(seed).choice(n, k, replace=False))``.
    """
    n = sg.n
    if k is None:
        if n_jobs <= 1 or float(n) * max(len(sg.src), 1) < PARALLEL_MIN_WORK:
            try:
                full = sg.graph.betweenness(directed=False,
                                            weights=distances(sg) if weighted else None)
            except Exception as exc:  # pragma: no cover - igraph failure
                raise ComputationError(f"igraph betweenness failed: {exc}") from exc
            return np.asarray(full, dtype=np.float64)
        sources = np.arange(n)
        scale = 1.0
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
        scale = n / k
    parts = run_searches(sg, [("betweenness", c, None) for c in _split(sources, 4 * n_jobs)],
                         weighted=weighted, n_jobs=n_jobs)
    return np.sum(parts, axis=0) * scale  # type: ignore[no-any-return]


# --------------------------------------------------------------------- distance sums
@dataclass(frozen=True)
class PathSums:
    """Distance sums from (sampled) sources, per vertex.

    Attributes
    ----------
    k : int
        Sources per sampled component (components of at most ``k`` vertices are exact).
    labels, sizes : ndarray
        Component label per vertex (0 = largest) and size per label.
    total, inv_total : ndarray of float
        Sum of ``d(s, v)`` and of ``1 / d(s, v)`` over the counted sources ``s != v``.
    count : ndarray of float
        Number of counted sources per vertex (``size - 1`` in exact components).
    sampled : ndarray of bool
        Per label: whether that component was sampled.
    """

    k: int
    labels: np.ndarray
    sizes: np.ndarray
    total: np.ndarray
    inv_total: np.ndarray
    count: np.ndarray
    sampled: np.ndarray

    def closeness(self) -> tuple[np.ndarray, np.ndarray]:
        """``(inner, harmonic)``: inverse mean distance and ``sum 1/d`` scaled to ``size - 1``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = np.where(self.count > 0, self.count / self.total, np.nan)
            size = self.sizes[self.labels].astype(np.float64)
            harmonic = np.where(self.count > 0, self.inv_total * (size - 1.0) / self.count, np.nan)
        return inner, harmonic

    def average_path_length(self) -> float:
        """Mean distance over connected ordered pairs (stratified by component)."""
        per_comp = np.bincount(self.labels, weights=self.total, minlength=len(self.sizes))
        sizes = self.sizes.astype(np.float64)
        scale = np.where(self.sampled, sizes / max(self.k, 1), 1.0)
        pairs = sizes * (sizes - 1.0)
        ok = pairs > 0
        if not ok.any():
            return float("nan")
        return float((per_comp[ok] * scale[ok]).sum() / pairs[ok].sum())


def sample_sources(labels: np.ndarray, sizes: np.ndarray, k: int,
                   seed: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(vertices, sorted sources)`` of every component larger than ``k``, largest first.

    The sources of each component are ``default_rng(seed).choice(vertices, k)``, drawn
    in label order from one generator.
    """
    rng = np.random.default_rng(seed)
    out = []
    for label in np.flatnonzero(sizes > k).tolist():
        verts = np.flatnonzero(labels == label)
        out.append((verts, np.sort(rng.choice(verts, size=k, replace=False))))
    return out


def _compute_path_sums(sg: SimpleGraph, k: int, seed: int | None, weighted: bool,
                       n_jobs: int) -> PathSums:
    g = sg.graph
    n = sg.n
    labels, sizes = component_labels(g)
    comp_size = sizes[labels].astype(np.float64)
    total = np.zeros(n)
    inv_total = np.zeros(n)
    count = np.zeros(n)
    sampled = sizes > k
    exact = np.flatnonzero(~sampled[labels] & (comp_size > 1))
    weights = distances(sg) if weighted and len(exact) else None
    try:
        if len(exact):
            vs = exact.tolist()
            inner = np.asarray(g.closeness(vertices=vs, weights=weights, normalized=True),
                               dtype=np.float64)
            count[exact] = comp_size[exact] - 1.0
            total[exact] = count[exact] / inner
            inv_total[exact] = np.asarray(g.harmonic_centrality(
                vertices=vs, weights=weights, normalized=False), dtype=np.float64)
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph closeness failed: {exc}") from exc
    groups = sample_sources(labels, sizes, k, seed)
    tasks: list[Search] = []
    owners: list[int] = []
    for i, (verts, src) in enumerate(groups):
        # a component spanning most of the graph: whole rows are cheaper than a target list
        whole = 2 * len(verts) >= n
        for start in range(0, k, CHUNK):
            tasks.append(("distances", src[start:start + CHUNK].tolist(),
                          None if whole else verts.tolist()))
            owners.append(i)
    results = run_searches(sg, tasks, weighted=weighted, n_jobs=n_jobs)
    for i, (t, inv) in zip(owners, results, strict=True):
        verts = groups[i][0]
        if len(t) != len(verts):  # whole rows: keep the component's columns
            t, inv = t[verts], inv[verts]
        total[verts] += t
        inv_total[verts] += inv
    for verts, src in groups:
        count[verts] = k - np.isin(verts, src).astype(np.float64)
    return PathSums(k, labels, sizes, total, inv_total, count, sampled)


def sampled_path_length(eco: Ecosystem, sg: SimpleGraph, key: Any, k: int, seed: int | None, *,
                        n_jobs: int = 1) -> float:
    """Average path length (hops) from the sources of :func:`path_sums`, stratified by component.

    Reads the cached distance sums when :func:`path_sums` already ran with the same
    graph, ``k`` and seed; otherwise only the sources' own distance totals are needed
    (one closeness search per source, cheaper than whole distance rows).
    """
    hit = None if seed is None else eco._cache.get(
        ("ecograph.analysis", ("path_sums", key, k, seed, False)))
    if isinstance(hit, PathSums):
        return hit.average_path_length()
    labels, sizes = component_labels(sg.graph)
    sampled = sizes > k
    per_comp = np.zeros(len(sizes))
    exact = np.flatnonzero(~sampled[labels] & (sizes[labels] > 1))
    groups = sample_sources(labels, sizes, k, seed)
    tasks: list[Search] = [("closeness", exact.tolist(), None)] if len(exact) else []
    tasks += [("closeness", c, None) for _, src in groups for c in _split(src, 2 * n_jobs)]
    results = run_searches(sg, tasks, weighted=False, n_jobs=n_jobs)
    members = [exact] if len(exact) else []
    members += [np.asarray(c, dtype=np.int64) for _, src in groups
                for c in _split(src, 2 * n_jobs)]
    for verts, raw in zip(members, results, strict=True):
        # igraph's closeness(normalized=False) = 1 / (sum of distances to the reachable others)
        np.add.at(per_comp, labels[verts], 1.0 / raw)
    scale = np.where(sampled, sizes / max(k, 1), 1.0)
    pairs = sizes.astype(np.float64) * (sizes - 1.0)
    ok = pairs > 0
    if not ok.any():
        return float("nan")
    return float((per_comp[ok] * scale[ok]).sum() / pairs[ok].sum())


def path_sums(eco: Ecosystem, sg: SimpleGraph, key: Any, k: int, seed: int | None, *,
              weighted: bool, n_jobs: int = 1) -> PathSums:
    """Distance sums from ``k`` sources per component larger than ``k`` (cached per seed).

    ``key`` identifies ``sg``'s topology (and its distances when ``weighted``);
    with ``seed=None`` nothing is cached (every call draws new sources).
    """
    if seed is None:
        return _compute_path_sums(sg, k, None, weighted, n_jobs)
    return cached(eco, ("path_sums", key, k, seed, weighted),
                  lambda: _compute_path_sums(sg, k, seed, weighted, n_jobs))
