"""Benchmark: the thin-and-dense structure suite against networkx and raw igraph / scipy.

The workload (issue 3) on one ecosystem:

1. ``interlocks`` (count weights, with the shared persons of every pair);
2. ``thin_dense_profile`` with ``N_NULL`` degree-preserving null graphs and the average path
   length from ``K`` sampled sources;
3. ``node_metrics`` with betweenness and closeness from ``K`` sampled sources.

Three implementations of the same computations are exposed for the suite runner:

* :func:`run_ecograph` — the public ecograph functions;
* :func:`run_raw` — the same computations written directly as igraph / scipy / numpy calls,
  without ecograph's validation, caching or pandas output (the baseline for "overhead");
* :func:`run_networkx` — the equivalent networkx code (networkx has no bipartite
  degree-preserving swap and no sampled closeness, so those are written in plain Python on
  networkx graphs, as a networkx user would).

:func:`run_key_player_set` times the greedy key-player set (k = 10).

Run::

    python benchmarks/bench_structure.py --n 10000          # quick check at 1e4
    python benchmarks/bench_structure.py --n 100000 --impl ecograph raw --repeats 3

Each (size, implementation) runs in a fresh child process, so ``peak_rss_mib`` is its own.
Every timed repeat starts from an empty graph cache (``eco._cache``), so ecograph does not
profit from graphs built by an earlier repeat.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

__all__ = [
    "NULL_SWAPS",
    "N_NULL",
    "PARTS",
    "K",
    "run_ecograph",
    "run_key_player_set",
    "run_networkx",
    "run_raw",
]

K = 64
"""Sampled BFS sources for betweenness, closeness and the average path length."""

N_NULL = 10
"""Null graphs of the profile."""

NULL_SWAPS = 10
"""Swap trials per two-mode tie between null graphs."""

AFFILIATION = ("board_seat", "management")

PARTS = ("interlocks", "profile", "node_metrics")
"""The parts of the workload; every ``run_*`` takes ``parts=`` to run a subset."""


# ----------------------------------------------------------------------------- ecograph
def run_ecograph(eco: Any, *, k: int = K, n_null: int = N_NULL, seed: int = 0,
                 parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    """The workload with ecograph's public functions."""
    import ecograph

    out: dict[str, Any] = {}
    if "interlocks" in parts:
        out["interlocks"] = ecograph.interlocks(eco)
    if "profile" in parts:
        out["profile"] = ecograph.thin_dense_profile(eco, n_null=n_null, null_swaps=NULL_SWAPS,
                                                     path_sources=k, seed=seed)
    if "node_metrics" in parts:
        out["node_metrics"] = ecograph.node_metrics(eco, betweenness_sources=k,
                                                    closeness_sources=k, seed=seed)
    return out


def run_key_player_set(eco: Any, *, k: int = 10) -> Any:
    """Greedy key-player set of ``k`` persons (fragmentation)."""
    import ecograph

    return ecograph.key_player_set(eco, k=k)


# ----------------------------------------------------------------------------- raw
def _raw_simple(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[Any, np.ndarray, np.ndarray]:
    import igraph as ig

    u, v = np.minimum(src, dst), np.maximum(src, dst)
    key = np.unique(u * n + v)
    eu, ev = key // n, key % n
    return ig.Graph(n=n, edges=list(zip(eu.tolist(), ev.tolist()))), eu, ev


def _raw_affiliation(eco: Any) -> tuple[Any, np.ndarray, np.ndarray]:
    import scipy.sparse as sp

    kinds = eco.actors["kind"].to_numpy(dtype=object)
    person = kinds == "person"
    p_vert, o_vert = np.flatnonzero(person), np.flatnonzero(~person)
    ids = eco.actors.index.to_numpy(dtype=object)
    p_vert = p_vert[np.argsort(ids[p_vert].astype(str))]
    o_vert = o_vert[np.argsort(ids[o_vert].astype(str))]
    row, col = np.full(len(ids), -1), np.full(len(ids), -1)
    row[p_vert], col[o_vert] = np.arange(len(p_vert)), np.arange(len(o_vert))
    s, d, _ = eco.edge_arrays(AFFILIATION)
    one = person[s] != person[d]
    pp = np.where(person[s], s, d)[one]
    oo = np.where(person[s], d, s)[one]
    B = sp.csr_matrix((np.ones(len(pp)), (row[pp], col[oo])), shape=(len(p_vert), len(o_vert)))
    B.sum_duplicates()
    B.data[:] = 1.0
    B.sort_indices()
    return B, ids[p_vert], ids[o_vert]


def _raw_pairs(B: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, member) for every pair of columns sharing a row, sorted by (a, b)."""
    indptr = B.indptr.astype(np.int64)
    k = np.diff(indptr)
    row = np.repeat(np.arange(len(k)), k)
    pos = np.arange(B.nnz) - indptr[row]
    after = k[row] - 1 - pos
    first = np.repeat(np.arange(B.nnz), after)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(after) - after, after)
    a, b, m = B.indices[first], B.indices[second], row[first]
    order = np.argsort(a.astype(np.int64) * B.shape[1] + b, kind="stable")
    return a[order], b[order], m[order]


def _raw_null_stats(person: np.ndarray, org: np.ndarray, p: int, o: int) -> dict[str, float]:
    import igraph as ig
    import scipy.sparse as sp

    B = sp.csr_matrix((np.ones(len(person)), (person, org)), shape=(p, o))
    B.sort_indices()
    C = sp.triu(B.T @ B, k=1, format="csr")
    rows = np.repeat(np.arange(o), np.diff(C.indptr))
    links = C.nnz
    proj = ig.Graph(n=o, edges=list(zip(rows.tolist(), C.indices.tolist())))
    two = ig.Graph(n=p + o, edges=list(zip(person.tolist(), (p + org).tolist())))
    sizes = np.bincount(np.asarray(ig.GraphBase.connected_components(two)))
    active = len(np.unique(person)) + len(np.unique(org))
    return {"density": links / (o * (o - 1) / 2), "repeat": float((C.data >= 2).mean()),
            "transitivity": proj.transitivity_undirected(mode="nan"),
            "lcc": sizes.max() / active}


def run_raw(eco: Any, *, k: int = K, n_null: int = N_NULL, seed: int = 0,
            parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    """The workload as direct igraph / scipy / numpy calls (no ecograph layer)."""
    import igraph as ig
    import scipy.sparse as sp
    from scipy.sparse.linalg import eigsh

    n = len(eco.actors)
    rng = np.random.default_rng(seed)
    src, dst, rows = eco.edge_arrays(None)
    kind = eco.relations["kind"].to_numpy(dtype=object)[rows]
    out: dict[str, Any] = {}
    if "profile" in parts or "node_metrics" in parts:
        g, eu, ev = _raw_simple(n, src, dst)
        memb = np.asarray(ig.GraphBase.connected_components(g))
        sizes = np.bincount(memb)
    if "interlocks" in parts or "profile" in parts:
        B, pids, oids = _raw_affiliation(eco)

    if "interlocks" in parts:
        C = sp.triu(B.T @ B, k=1, format="csr")
        _, _, m = _raw_pairs(B)
        shared = np.rint(C.data).astype(int)
        starts = np.cumsum(shared) - shared
        names = pids[m]
        persons = names[starts].reshape(-1, 1).tolist()
        for i in np.flatnonzero(shared > 1).tolist():
            persons[i] = names[starts[i]:starts[i] + shared[i]].tolist()
        out["interlocks"] = (oids[np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))],
                             oids[C.indices], shared, persons)

    if "profile" in parts:
        prof: dict[str, Any] = {"density": len(eu) / (n * (n - 1) / 2)}
        pair = np.minimum(src, dst) * n + np.maximum(src, dst)
        pl = np.unique(pair * 16 + np.unique(kind, return_inverse=True)[1])
        for code in np.unique(pl % 16):
            prof[f"density.{code}"] = (pl % 16 == code).sum() / (n * (n - 1) / 2)
        _, layers_per_pair = np.unique(pl // 16, return_counts=True)
        prof["multiplexity"] = float((layers_per_pair >= 2).mean())
        prof["components"], prof["lcc"] = len(sizes), sizes.max() / n
        prof["transitivity"] = g.transitivity_undirected(mode="nan")
        deg = np.asarray(g.degree())
        prof["centralisation"] = (deg.max() - deg).sum() / ((n - 1) * (n - 2))
        S = rng.choice(n, size=k, replace=False)
        reach = sizes[memb[S]] - 1.0
        clo = np.asarray(g.closeness(vertices=S.tolist()))
        ok = reach > 0
        prof["apl"] = (reach[ok] / clo[ok]).sum() / reach[ok].sum()
        coo = B.tocoo()
        p, o = B.shape
        prof["observed"] = _raw_null_stats(coo.row, coo.col, p, o)
        two = ig.Graph(n=p + o, edges=list(zip(coo.row.tolist(), (p + coo.col).tolist())),
                       directed=True)
        ig.set_random_number_generator(random.Random(seed))
        nulls = []
        for _ in range(n_null):
            two.rewire(n=NULL_SWAPS * coo.nnz)
            e = np.asarray(two.get_edgelist())
            nulls.append(_raw_null_stats(e[:, 0], e[:, 1] - p, p, o))
        ig.set_random_number_generator(random)
        prof["null"] = nulls
        out["profile"] = prof

    if "node_metrics" in parts:
        nm: dict[str, Any] = {"degree": np.bincount(np.concatenate([src, dst]), minlength=n)}
        for layer in np.unique(kind):
            sel = kind == layer
            nm[f"degree.{layer}"] = np.bincount(np.concatenate([src[sel], dst[sel]]),
                                                minlength=n)
        Sb = rng.choice(n, size=k, replace=False)
        nm["betweenness"] = np.asarray(g.betweenness(sources=Sb.tolist())) * n / k
        big = np.argmax(sizes)
        verts = np.flatnonzero(memb == big)
        Sc = rng.choice(verts, size=min(k, len(verts)), replace=False)
        total = np.zeros(len(verts))
        for chunk in range(0, len(Sc), 16):
            total += np.asarray(g.distances(source=Sc[chunk:chunk + 16].tolist(),
                                            target=verts.tolist())).sum(axis=0)
        nm["closeness"] = len(Sc) / total
        A = sp.csr_matrix((np.ones(2 * len(eu)),
                           (np.concatenate([eu, ev]), np.concatenate([ev, eu]))), shape=(n, n))
        A_l = A[verts][:, verts]
        nm["eigenvector"] = np.abs(eigsh(A_l, k=1, which="LA")[1][:, 0])
        nm["pagerank"] = np.asarray(g.pagerank(directed=False))
        nm["clustering"] = np.asarray(g.transitivity_local_undirected(mode="nan"))
        nm["kcore"] = np.asarray(g.coreness())
        nm["articulation"] = np.asarray(g.articulation_points())
        out["node_metrics"] = nm
    return out


# ----------------------------------------------------------------------------- networkx
def _nx_null_stats(D: Any, orgs: list[str]) -> dict[str, float]:
    import networkx as nx
    from networkx.algorithms import bipartite

    U = D.to_undirected()
    P = bipartite.weighted_projected_graph(U, orgs)
    o = len(orgs)
    w = [d["weight"] for _, _, d in P.edges(data=True)]
    active = [v for v in U if U.degree(v) > 0]
    lcc = max((len(c) for c in nx.connected_components(U.subgraph(active))), default=0)
    return {"density": P.number_of_edges() / (o * (o - 1) / 2),
            "repeat": float(np.mean([x >= 2 for x in w])) if w else float("nan"),
            "transitivity": nx.transitivity(P), "lcc": lcc / max(len(active), 1)}


def run_networkx(eco: Any, *, k: int = K, n_null: int = N_NULL, seed: int = 0,
                 parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    """The workload in networkx (plain Python where networkx has no equivalent)."""
    import networkx as nx
    from networkx.algorithms import bipartite

    rng = random.Random(seed)
    kinds = eco.actors["kind"].to_dict()
    out: dict[str, Any] = {}
    if "profile" in parts or "node_metrics" in parts:
        G = nx.Graph()
        G.add_nodes_from(eco.actors.index)
        layers: dict[tuple[str, str], set[str]] = {}
        for s, t, kd in zip(eco.relations["source"], eco.relations["target"],
                            eco.relations["kind"]):
            G.add_edge(s, t)
            layers.setdefault((min(s, t), max(s, t)), set()).add(kd)
        comps = list(nx.connected_components(G))
    if "interlocks" in parts or "profile" in parts:
        Bg = nx.Graph()
        orgs = [v for v, kd in kinds.items() if kd != "person"]
        Bg.add_nodes_from(v for v, kd in kinds.items())
        D = nx.DiGraph()
        D.add_nodes_from(Bg)
        for s, t, kd in zip(eco.relations["source"], eco.relations["target"],
                            eco.relations["kind"]):
            if kd in AFFILIATION and (kinds[s] == "person") != (kinds[t] == "person"):
                p, o = (s, t) if kinds[s] == "person" else (t, s)
                Bg.add_edge(p, o)
                D.add_edge(p, o)

    if "interlocks" in parts:
        P = bipartite.weighted_projected_graph(Bg, orgs)
        out["interlocks"] = [(min(a, b), max(a, b), d["weight"], sorted(set(Bg[a]) & set(Bg[b])))
                             for a, b, d in P.edges(data=True)]

    if "profile" in parts:
        n = G.number_of_nodes()
        prof: dict[str, Any] = {"density": nx.density(G)}
        for layer in set(eco.relations["kind"]):
            H = nx.Graph()
            H.add_edges_from(pr for pr, ls in layers.items() if layer in ls)
            prof[f"density.{layer}"] = H.number_of_edges() / (n * (n - 1) / 2)
        prof["multiplexity"] = sum(len(ls) >= 2 for ls in layers.values()) / len(layers)
        prof["components"], prof["lcc"] = len(comps), max(map(len, comps)) / n
        prof["transitivity"] = nx.transitivity(G)
        deg = dict(G.degree())
        dmax = max(deg.values())
        prof["centralisation"] = sum(dmax - d for d in deg.values()) / ((n - 1) * (n - 2))
        nodes = list(G)
        total = pairs = 0
        for s in rng.sample(nodes, k):
            lengths = nx.single_source_shortest_path_length(G, s)
            total += sum(lengths.values())
            pairs += len(lengths) - 1
        prof["apl"] = total / pairs
        prof["observed"] = _nx_null_stats(D, orgs)
        edges = list(D.edges())
        nulls = []
        for _ in range(n_null):  # bipartite degree-preserving swaps, as a networkx user writes them
            for _ in range(NULL_SWAPS * len(edges)):
                i, j = rng.randrange(len(edges)), rng.randrange(len(edges))
                (p1, o1), (p2, o2) = edges[i], edges[j]
                if p1 == p2 or o1 == o2 or D.has_edge(p1, o2) or D.has_edge(p2, o1):
                    continue
                D.remove_edge(p1, o1)
                D.remove_edge(p2, o2)
                D.add_edge(p1, o2)
                D.add_edge(p2, o1)
                edges[i], edges[j] = (p1, o2), (p2, o1)
            nulls.append(_nx_null_stats(D, orgs))
        prof["null"] = nulls
        out["profile"] = prof

    if "node_metrics" in parts:
        nm: dict[str, Any] = {"degree": dict(G.degree())}
        nm["betweenness"] = nx.betweenness_centrality(G, k=k, seed=seed, normalized=False)
        big = max(comps, key=len)
        sources = rng.sample(sorted(big), min(k, len(big)))
        dist_sum = dict.fromkeys(big, 0)
        for s in sources:
            for t, d in nx.single_source_shortest_path_length(G, s).items():
                dist_sum[t] += d
        nm["closeness"] = {v: len(sources) / x for v, x in dist_sum.items() if x}
        nm["eigenvector"] = nx.eigenvector_centrality_numpy(G.subgraph(big))
        nm["pagerank"] = nx.pagerank(G)
        nm["clustering"] = nx.clustering(G)
        nm["kcore"] = nx.core_number(G)
        nm["articulation"] = list(nx.articulation_points(G))
        out["node_metrics"] = nm
    return out


# ----------------------------------------------------------------------------- harness
IMPLEMENTATIONS = {"ecograph": run_ecograph, "raw": run_raw, "networkx": run_networkx}


def _time(func: Any, eco: Any, repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of ``func(eco)`` (after a warm-up on a tiny region: imports).

    The CPU time (``time.process_time``) is less disturbed by other jobs on a shared machine.
    """
    import ecograph

    func(ecograph.synthetic_region(200, seed=1))
    wall, cpu = [], []
    for _ in range(repeats):
        eco._cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        func(eco)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def _child(n: int, impl: str, repeats: int, kps: bool) -> dict[str, Any]:
    import ecograph

    eco = ecograph.synthetic_region(n, seed=0)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out: dict[str, Any] = {"n_orgs": n, "actors": len(eco.actors),
                           "relations": len(eco.relations), "impl": impl,
                           "k": K, "n_null": N_NULL, "rss_after_generate_mib": base}
    out["median_s"], out["median_cpu_s"] = _time(IMPLEMENTATIONS[impl], eco, repeats)
    if kps and impl == "ecograph":
        eco._cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        run_key_player_set(eco)
        out["key_player_set_k10_s"] = time.perf_counter() - t0
        out["key_player_set_k10_cpu_s"] = time.process_time() - c0
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    """Run every (size, implementation) in a child process; print one JSON line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000])
    parser.add_argument("--impl", nargs="+", default=list(IMPLEMENTATIONS),
                        choices=list(IMPLEMENTATIONS))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-kps", action="store_true", help="skip the key-player set")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        n, impl = int(args.child[0]), args.child[1]
        print(json.dumps(_child(n, impl, args.repeats, not args.no_kps)))
        return
    results: dict[tuple[int, str], dict[str, Any]] = {}
    for n, impl in itertools.product(args.n, args.impl):
        cmd = [sys.executable, __file__, "--child", str(n), impl, "--repeats", str(args.repeats)]
        if args.no_kps:
            cmd.append("--no-kps")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results[(n, impl)] = res
        print(json.dumps(res), flush=True)
    for n in args.n:
        eg = results.get((n, "ecograph"))
        if eg is None:
            continue
        ratios = {f"{impl}_over_ecograph{suffix}":
                  round(results[(n, impl)][f"median{suffix}_s"] / eg[f"median{suffix}_s"], 2)
                  for impl in ("raw", "networkx") if (n, impl) in results
                  for suffix in ("", "_cpu")}
        print(json.dumps({"n_orgs": n, **ratios}))


if __name__ == "__main__":
    main()
