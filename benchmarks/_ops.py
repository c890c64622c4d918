"""The operations of the benchmark suite, each in three implementations.

Every operation has a ``setup`` (untimed: load or generate the input) and up to three
implementations of the *same computation*:

``ecograph``
    the public ecograph function(s);
``raw``
    the same computation written directly as igraph / scipy / numpy / pandas calls, without
    ecograph's validation, caching or typed pandas output (the baseline of "typed-layer
    overhead");
``networkx``
    the equivalent networkx code, written as a networkx user would (plain Python where
    networkx has no function for it).

An implementation may be ``None`` when no meaningful equivalent exists (``Op.missing`` says
why). ``Op.before`` runs untimed before every repeat (ecograph: empty the graph cache, so no
repeat profits from graphs an earlier one built).

The structure operations (interlocks, profile, node metrics) reuse
``bench_structure.run_ecograph / run_raw / run_networkx`` with ``parts=``; co-opetition,
scoring, batch and map reuse the generators of ``bench_batch`` / ``bench_map`` where they fit.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_structure  # noqa: E402
from _common import rss_now  # noqa: E402

__all__ = ["OPS", "Op", "load_region", "national", "path_sources", "resident_probe"]

Impl = Callable[[dict[str, Any]], Any]

SMOKE_ORGS_PER_MUNI = 100
"""Organisations per municipality of the batch input in smoke runs (800 otherwise)."""

STRUCT_K = bench_structure.K
"""Sampled BFS sources of the stand-alone profile and node-metrics operations."""


def path_sources(n_orgs: int) -> int:
    """Sampled betweenness / closeness sources of the target suite (issue 8)."""
    return 32 if n_orgs >= 1_000_000 else 256


@dataclass(frozen=True)
class Op:
    """One benchmarked operation."""

    name: str
    title: str
    what: str
    setup: Callable[[int, Path | None, str, bool], dict[str, Any]]
    impls: dict[str, Impl | None]
    describe: dict[str, str]
    sized: bool = True
    full_size: int = 0
    smoke_size: int = 0
    exponent: dict[str, float] = field(default_factory=dict)
    missing: str = ""
    before: Callable[[dict[str, Any]], None] | None = None


# ----------------------------------------------------------------------------- inputs
def load_region(n_orgs: int, cache: Path | None) -> Any:
    """``synthetic_region(n_orgs, seed=0)``, pickled in ``cache`` after the first call."""
    import ecograph

    if cache is None:
        return ecograph.synthetic_region(n_orgs, seed=0)
    path = cache / f"region_{n_orgs}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    eco = ecograph.synthetic_region(n_orgs, seed=0)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(eco, fh, protocol=5)
    tmp.replace(path)
    return eco


def national(n_muni: int, cache: Path | None, *, orgs_per_muni: int = 800) -> Any:
    """A national ecosystem of ``n_muni`` municipalities of ~2,000 actors each (seeded).

    Each municipality is ``synthetic_region(orgs_per_muni, municipalities=[code], seed=i)``
    (800 organisations + ~1,200 persons); ids are prefixed with the municipality code so the
    regions can be stacked. This is the workload of issue 8's batch target (357 municipality
    ecosystems of ~2,000 actors), with municipalities of equal size.
    """
    import pandas as pd

    import ecograph
    from ecograph.registry.tables import municipalities

    path = None if cache is None else cache / f"national_{n_muni}_{orgs_per_muni}.pkl"
    if path is not None and path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    codes = municipalities().index.tolist()[:n_muni]
    actors, relations = [], []
    for i, code in enumerate(codes):
        eco = ecograph.synthetic_region(orgs_per_muni, municipalities=[code], seed=i)
        a = eco.actors.reset_index()
        a["id"] = code + "." + a["id"]
        r = eco.relations.copy()
        for col in ("id", "source", "target"):
            r[col] = code + "." + r[col]
        actors.append(a)
        relations.append(r)
    meta = {"name": f"synthetic Norway, {n_muni} x {orgs_per_muni} organisations"}
    eco = ecograph.Ecosystem.from_frames(pd.concat(actors, ignore_index=True),
                                         pd.concat(relations, ignore_index=True), meta,
                                         warn=False)
    if path is not None:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(eco, fh, protocol=5)
        tmp.replace(path)
    return eco


def _clear(state: dict[str, Any]) -> None:
    eco = state.get("eco")
    if eco is not None:
        eco._cache.clear()


def _trim() -> None:
    """Give freed heap pages back to the OS (glibc), so RSS differences mean live memory."""
    gc.collect()
    with contextlib.suppress(OSError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# ----------------------------------------------------------------------------- build
def _setup_build(n: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    eco = load_region(n, cache)
    return {"actors": eco.actors.reset_index(), "relations": eco.relations, "meta": eco.meta}


def _build_ecograph(state: dict[str, Any]) -> Any:
    from ecograph import Ecosystem

    t0 = time.perf_counter()
    eco = Ecosystem.from_frames(state["actors"], state["relations"], state["meta"], warn=False)
    t1 = time.perf_counter()
    eco.to_igraph()
    t2 = time.perf_counter()
    return {"eco": eco, "__info__": {"from_frames_s": t1 - t0, "to_igraph_s": t2 - t1}}


def _build_raw(state: dict[str, Any]) -> Any:
    import igraph as ig
    import pandas as pd

    actors, rel = state["actors"], state["relations"]
    index = pd.Index(actors["id"])
    src = index.get_indexer(rel["source"])
    dst = index.get_indexer(rel["target"])
    g = ig.Graph(n=len(index), edges=list(zip(src.tolist(), dst.tolist())))
    g.vs["name"] = actors["id"].tolist()
    g.vs["label"] = actors["name"].tolist()
    g.vs["kind"] = actors["kind"].tolist()
    g.es["kind"] = rel["kind"].tolist()
    g.es["weight"] = rel["weight"].fillna(1.0).tolist()
    g.es["row"] = list(range(len(rel)))
    return g


def _build_networkx(state: dict[str, Any]) -> Any:
    import networkx as nx

    actors, rel = state["actors"], state["relations"]
    G = nx.MultiGraph()
    G.add_nodes_from((i, {"label": name, "kind": kind}) for i, name, kind in
                     zip(actors["id"].tolist(), actors["name"].tolist(), actors["kind"].tolist()))
    weights = rel["weight"].fillna(1.0).tolist()
    G.add_edges_from((s, t, {"kind": k, "weight": w, "row": i}) for i, (s, t, k, w) in
                     enumerate(zip(rel["source"].tolist(), rel["target"].tolist(),
                                   rel["kind"].tolist(), weights)))
    return G


def resident_probe(impl: str, state: dict[str, Any]) -> dict[str, Any]:
    """Resident bytes per edge of the graph each implementation keeps (inputs stay loaded).

    ``graph_b_per_edge``: RSS growth while building the graph object alone, once the input
    (and, for ecograph, the validated Ecosystem) is resident, divided by the number of edges.
    For ecograph also ``simple_graph_b_per_edge`` (the merged undirected graph the analyses
    share, arrays included) and ``ecosystem_b_per_relation`` (validated frames + graph).
    """
    out: dict[str, Any] = {}
    if impl == "ecograph":
        from ecograph import Ecosystem
        from ecograph.analysis._graphs import resolve_layers, simple_graph

        _trim()
        r0 = rss_now()
        eco = Ecosystem.from_frames(state["actors"], state["relations"], state["meta"],
                                    warn=False)
        eco.edge_arrays(None)
        _trim()
        r1 = rss_now()
        g = eco.to_igraph()
        _trim()
        r2 = rss_now()
        out["graph_b_per_edge"] = (r2 - r1) / max(g.ecount(), 1)
        out["ecosystem_b_per_relation"] = (r2 - r0) / max(len(eco.relations), 1)
        sg = simple_graph(eco, resolve_layers(None), "weight")
        _trim()
        r3 = rss_now()
        out["simple_graph_b_per_edge"] = (r3 - r2) / max(len(sg.src), 1)
        out["edges"] = g.ecount()
        out["simple_edges"] = len(sg.src)
        del eco, g, sg
    else:
        build = _build_raw if impl == "raw" else _build_networkx
        _trim()
        r0 = rss_now()
        g = build(state)
        _trim()
        r1 = rss_now()
        m = g.ecount() if impl == "raw" else g.number_of_edges()
        out["graph_b_per_edge"] = (r1 - r0) / max(m, 1)
        out["edges"] = m
        del g
    _trim()
    return out


# ----------------------------------------------------------------------------- structure
def _setup_eco(n: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    return {"eco": load_region(n, cache), "n": n}


def _part(part: str, impl: str) -> Impl:
    runner = {"ecograph": bench_structure.run_ecograph, "raw": bench_structure.run_raw,
              "networkx": bench_structure.run_networkx}[impl]

    def run(state: dict[str, Any]) -> Any:
        return runner(state["eco"], k=STRUCT_K, parts=(part,))

    return run


# ----------------------------------------------------------------------------- key players
def _fragmentation(sizes: np.ndarray, n: int) -> float:
    if n < 2:
        return 1.0
    s = sizes.astype(np.float64)
    return float(1.0 - (s * (s - 1.0)).sum() / (n * (n - 1.0)))


def _kps_ecograph(state: dict[str, Any]) -> Any:
    import ecograph

    return ecograph.key_player_set(state["eco"], k=10)


def _kps_raw(state: dict[str, Any], k: int = 10) -> list[int]:
    """Greedy KPP-Neg with igraph: per step, each articulation point is removed and the
    components recounted; other candidates only shrink their component by one."""
    eco = state["eco"]
    n = len(eco.actors)
    src, dst, _ = eco.edge_arrays(None)
    g, _, _ = bench_structure._raw_simple(n, src, dst)
    cand = eco.actors["kind"].to_numpy(dtype=object) == "person"
    alive = np.ones(n, dtype=bool)
    chosen: list[int] = []
    for _ in range(k):
        memb = np.asarray(g.connected_components().membership)
        sizes = np.bincount(memb[alive], minlength=memb.max() + 1)
        m_alive = int(alive.sum()) - 1  # actors left after removing one more
        aps = set(g.articulation_points())
        sq = float((sizes * (sizes - 1.0)).sum())
        best, best_f = -1, -np.inf
        for v in np.flatnonzero(cand & alive).tolist():
            if v in aps:  # cut v out, recount the components, put it back
                nbrs = g.neighbors(v)
                g.delete_edges(g.incident(v))
                mv = np.asarray(g.connected_components().membership)
                g.add_edges([(v, u) for u in nbrs])
                keep = alive.copy()
                keep[v] = False
                f = _fragmentation(np.bincount(mv[keep]), m_alive)
            else:
                s = float(sizes[memb[v]])
                f = 1.0 - (sq - s * (s - 1.0) + (s - 1.0) * (s - 2.0)) / (
                    m_alive * (m_alive - 1.0)) if m_alive > 1 else 1.0
            if f > best_f:
                best, best_f = v, f
        chosen.append(best)
        alive[best] = False
        cand[best] = False
        g.delete_edges(g.incident(best))
    return chosen


def _kps_networkx(state: dict[str, Any], k: int = 10) -> list[str]:
    """The same greedy search with networkx components and articulation points."""
    import networkx as nx

    eco = state["eco"]
    G = nx.Graph()
    G.add_nodes_from(eco.actors.index)
    G.add_edges_from(zip(eco.relations["source"], eco.relations["target"]))
    G.remove_edges_from(nx.selfloop_edges(G))
    kinds = eco.actors["kind"].to_dict()
    order = {v: i for i, v in enumerate(eco.actors.index)}
    chosen: list[str] = []
    for _ in range(k):
        comps = list(nx.connected_components(G))
        size_of = {v: len(c) for c in comps for v in c}
        n_left = G.number_of_nodes() - 1
        sq = sum(len(c) * (len(c) - 1) for c in comps)
        aps = set(nx.articulation_points(G))
        best, best_f = None, -np.inf
        for v in sorted((v for v in G if kinds[v] == "person"), key=order.__getitem__):
            if v in aps:  # cut v out, recount the components, put it back
                nbrs = list(G[v])
                G.remove_node(v)
                f = 1.0 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(G)) / (
                    n_left * (n_left - 1))
                G.add_edges_from((v, u) for u in nbrs)
            else:
                s = size_of[v]
                f = 1.0 - (sq - s * (s - 1) + (s - 1) * (s - 2)) / (n_left * (n_left - 1))
            if f > best_f:
                best, best_f = v, f
        chosen.append(str(best))
        G.remove_node(best)
    return chosen


# ----------------------------------------------------------------------------- co-opetition
_LEVELS = {"division": 2, "group": 4, "class": 5, "subclass": 6}
_IND_W = {"class": 1.0, "group": 0.5, "division": 0.1}
_COMP_W = {"industry": 0.6, "area": 0.3, "size": 0.1}
_PART_W = {"shared_persons": (0.3, 2), "joint_membership": (0.25, 2), "supply": (0.15, 1),
           "support": (0.1, 1), "shared_owners": (0.2, 1)}
_MAX_BLOCK = 1000


def _coop_ecograph(state: dict[str, Any]) -> Any:
    import ecograph

    return ecograph.infer_coopetition(state["eco"], evidence=False)


def _codes(values: Any) -> np.ndarray:
    import pandas as pd

    return np.asarray(pd.factorize(values, use_na_sentinel=True)[0], dtype=np.int64)


def _coop_raw(state: dict[str, Any]) -> dict[str, np.ndarray]:
    """Blocking, features and intensities of the default inference model in numpy / scipy."""
    import scipy.sparse as sp

    eco = state["eco"]
    actors, rel = eco.actors, eco.relations
    n = len(actors)
    idx = actors.index
    src = idx.get_indexer(rel["source"])
    dst = idx.get_indexer(rel["target"])
    rkind = rel["kind"].to_numpy(dtype=object)
    nace = actors["nace"]
    level = {lv: _codes(nace.str.slice(0, w).where(nace.str.len() >= w)) for lv, w in
             _LEVELS.items()}
    eligible = actors["kind"].isin(["firm", "cooperative"]).to_numpy(dtype=bool)
    muni = _codes(actors["municipality"])

    def compact(codes: np.ndarray) -> np.ndarray:
        out = np.full(n, -1, dtype=np.int64)
        ok = codes >= 0
        out[ok] = np.unique(codes[ok], return_inverse=True)[1].ravel()
        return out

    block = compact(np.where(eligible & (level["division"] >= 0) & (muni >= 0),
                             level["division"] * (muni.max() + 1) + muni, -1))
    for finer in ("group", "class", "subclass", None):  # split blocks above the maximum
        sizes = np.bincount(block[block >= 0])
        big = (block >= 0) & (sizes[np.maximum(block, 0)] > _MAX_BLOCK)
        if not big.any():
            break
        if finer is None:
            block[big] = -1
            break
        code = block.max() + 1 + block * (level[finer].max() + 2) + level[finer] + 1
        block = compact(np.where(big, code, block))
    pos = np.flatnonzero(block >= 0)
    order = pos[np.argsort(block[pos], kind="stable")]
    codes = block[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    count = np.repeat(ends, ends - starts) - np.arange(len(codes)) - 1
    left = np.repeat(np.arange(len(codes)), count)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count)
    a, b = order[left], order[right]
    co = rkind == "coopetition"
    a = np.concatenate([a, src[co]])
    b = np.concatenate([b, dst[co]])
    key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
    a, b = key // n, key % n
    comp = np.zeros(len(a))
    done = np.zeros(len(a), dtype=bool)
    for lv in ("class", "group", "division"):
        same = (level[lv][a] == level[lv][b]) & (level[lv][a] >= 0) & ~done
        comp[same] = _COMP_W["industry"] * _IND_W[lv]
        done |= same
    comp += _COMP_W["area"] * ((muni[a] == muni[b]) & (muni[a] >= 0))
    emp = actors["employees"].astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        size = (np.minimum(emp[a], emp[b]) + 1) / (np.maximum(emp[a], emp[b]) + 1)
    comp += _COMP_W["size"] * np.nan_to_num(size)

    def shared(kinds: tuple[str, ...], by_source: bool) -> np.ndarray:
        sel = np.isin(rkind, kinds)
        g_, m_ = (src[sel], dst[sel]) if by_source else (dst[sel], src[sel])
        inc = sp.csr_matrix((np.ones(len(g_)), (g_, m_)), shape=(n, n))
        inc.data[:] = 1.0
        return np.asarray((inc.T @ inc).tocsr()[a, b]).ravel()

    def tie(kind: str) -> np.ndarray:
        sel = rkind == kind
        m = sp.csr_matrix((np.ones(2 * sel.sum()), (np.r_[src[sel], dst[sel]],
                                                      np.r_[dst[sel], src[sel]])), shape=(n, n))
        return np.minimum(np.asarray(m[a, b]).ravel(), 1.0)

    counts = {"shared_persons": shared(("board_seat", "management"), True),
              "joint_membership": shared(("membership",), False),
              "supply": tie("supply"), "support": tie("support"),
              "shared_owners": shared(("ownership",), True)}
    part = np.zeros(len(a))
    for f, (w, sat) in _PART_W.items():
        part += w * np.minimum(counts[f] / sat, 1.0)
    stated_key = np.minimum(src[co], dst[co]) * n + np.maximum(src[co], dst[co])
    at = np.searchsorted(key, stated_key)
    for col, values in (("competitor_intensity", comp), ("partner_intensity", part)):
        given = rel[col].to_numpy(dtype=np.float64)[co]
        ok = ~np.isnan(given)
        values[at[ok]] = given[ok]
    return {"a": a, "b": b, "competitor": comp, "partner": part, **counts}


def _coop_networkx(state: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The same inference with networkx graphs and Python loops over candidate pairs."""
    import networkx as nx

    eco = state["eco"]
    actors, rel = eco.actors, eco.relations
    def values(column: str) -> list[Any]:
        col = actors[column]
        return col.astype(object).where(col.notna(), None).tolist()

    info = {i: (k, nace, m, e) for i, k, nace, m, e in
            zip(actors.index.tolist(), values("kind"), values("nace"), values("municipality"),
                values("employees"))}
    roles, member, owner, supply, support = (nx.Graph() for _ in range(5))
    stated: dict[tuple[str, str], tuple[float, float]] = {}
    for s, t, k, ci, pi in zip(rel["source"], rel["target"], rel["kind"],
                               rel["competitor_intensity"], rel["partner_intensity"]):
        if k in ("board_seat", "management"):
            roles.add_edge(s, t)
        elif k == "membership":
            member.add_edge(s, t)
        elif k == "ownership":
            owner.add_edge(s, t)
        elif k == "supply":
            supply.add_edge(s, t)
        elif k == "support":
            support.add_edge(s, t)
        elif k == "coopetition":
            stated[(min(s, t), max(s, t))] = (ci, pi)

    def prefix(code: str | None, lv: str) -> str | None:
        w = _LEVELS[lv]
        return code[:w] if code is not None and len(code) >= w else None

    blocks: dict[tuple[Any, ...], list[str]] = {}
    for v, (k, nace, m, _) in info.items():
        if k in ("firm", "cooperative") and prefix(nace, "division") and m is not None:
            blocks.setdefault((prefix(nace, "division"), m), []).append(v)
    for lv in ("group", "class", "subclass"):
        if all(len(vs) <= _MAX_BLOCK for vs in blocks.values()):
            break
        refined: dict[tuple[Any, ...], list[str]] = {}
        for key, vs in blocks.items():
            if len(vs) <= _MAX_BLOCK:
                refined[key] = vs
            else:
                for v in vs:
                    refined.setdefault((*key, prefix(info[v][1], lv)), []).append(v)
        blocks = refined
    pairs = {(min(a, b), max(a, b)) for vs in blocks.values() if len(vs) <= _MAX_BLOCK
             for a, b in itertools.combinations(vs, 2)}
    pairs.update(stated)

    def nbrs(G: Any, v: str) -> set[str]:
        return set(G[v]) if v in G else set()

    out = []
    for a, b in sorted(pairs):
        (_, na, ma, ea), (_, nb, mb, eb) = info[a], info[b]
        comp = 0.0
        for lv in ("class", "group", "division"):
            if prefix(na, lv) is not None and prefix(na, lv) == prefix(nb, lv):
                comp = _COMP_W["industry"] * _IND_W[lv]
                break
        comp += _COMP_W["area"] * (ma is not None and ma == mb)
        if ea is not None and eb is not None:
            comp += _COMP_W["size"] * (min(ea, eb) + 1) / (max(ea, eb) + 1)
        counts = {"shared_persons": len(nbrs(roles, a) & nbrs(roles, b)),
                  "joint_membership": len(nbrs(member, a) & nbrs(member, b)),
                  "supply": int(supply.has_edge(a, b)), "support": int(support.has_edge(a, b)),
                  "shared_owners": len(nbrs(owner, a) & nbrs(owner, b))}
        part = sum(w * min(counts[f] / sat, 1.0) for f, (w, sat) in _PART_W.items())
        if (a, b) in stated:
            ci, pi = stated[(a, b)]
            comp = comp if ci != ci else ci
            part = part if pi != pi else pi
        out.append((a, b, comp, part))
    return out


# ----------------------------------------------------------------------------- scoring
def _spigel_ecograph(state: dict[str, Any]) -> Any:
    import ecograph

    return ecograph.spigel_scores(state["eco"])


# ----------------------------------------------------------------------------- batch
def _setup_batch(n_muni: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    return {"eco": national(n_muni, cache, orgs_per_muni=SMOKE_ORGS_PER_MUNI if smoke else 800),
            "n": n_muni}


def _batch_ecograph(state: dict[str, Any]) -> Any:
    import ecograph

    return ecograph.score_municipalities(
        state["eco"], executor="processes", workers=2, indices=None, progress=False,
        measures={"paths": "_batch_measure:exact_paths"})


def _municipality_edges(eco: Any) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per municipality: (vertices, src, dst) with local vertex numbers (persons follow roles)."""
    actors, rel = eco.actors, eco.relations
    n = len(actors)
    label = _codes(actors["municipality"])
    person = (actors["kind"] == "person").to_numpy(dtype=bool)
    src = actors.index.get_indexer(rel["source"])
    dst = actors.index.get_indexer(rel["target"])
    org_end = np.where(person[src], dst, src)
    pl = np.full(n, -1)
    pl[np.where(person[src], src, dst)] = label[org_end]
    label = np.where(person, pl, label)
    order = np.argsort(label, kind="stable")
    local = np.empty(n, dtype=np.int64)
    counts = np.bincount(label[label >= 0])
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    valid = order[label[order] >= 0]
    local[valid] = np.arange(len(valid)) - starts[label[valid]]
    e_lab = label[src]
    e_order = np.argsort(e_lab, kind="stable")
    e_counts = np.bincount(e_lab, minlength=len(counts))
    cut = np.cumsum(e_counts)[:-1]
    ls, ld = np.split(local[src][e_order], cut), np.split(local[dst][e_order], cut)
    return [(int(c), s, d) for c, s, d in zip(counts, ls, ld)]


def _raw_metrics(task: tuple[int, np.ndarray, np.ndarray]) -> dict[str, float]:
    """Exact path metrics and the other node metrics of one municipality, in igraph."""
    import igraph as ig

    n, s, d = task
    u, v = np.minimum(s, d), np.maximum(s, d)
    key = np.unique(u[u != v] * n + v[u != v])
    g = ig.Graph(n=n, edges=list(zip((key // n).tolist(), (key % n).tolist())))
    bet = np.asarray(g.betweenness(directed=False))
    clo = np.asarray(g.closeness(normalized=True))
    har = np.asarray(g.harmonic_centrality(normalized=False))
    pr = np.asarray(g.pagerank(directed=False))
    memb = np.asarray(g.connected_components().membership)
    big = g.induced_subgraph(np.flatnonzero(memb == np.bincount(memb).argmax()).tolist())
    eig = np.asarray(big.eigenvector_centrality(scale=False))
    cl = np.asarray(g.transitivity_local_undirected(mode="nan"))
    core = np.asarray(g.coreness())
    aps = g.articulation_points()
    return {"betweenness_max": float(bet.max()), "closeness_mean": float(np.nanmean(clo)),
            "harmonic_mean": float(har.mean()), "pagerank_max": float(pr.max()),
            "eigenvector_max": float(eig.max()), "clustering_mean": float(np.nanmean(cl)),
            "kcore_max": float(core.max()), "articulation_points": float(len(aps))}


def _batch_raw(state: dict[str, Any]) -> Any:
    import multiprocessing

    tasks = _municipality_edges(state["eco"])
    tasks.sort(key=lambda t: -len(t[1]))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(_raw_metrics, tasks, chunksize=4)


def _batch_networkx(state: dict[str, Any]) -> dict[str, Any]:
    """Municipalities one after the other in networkx until ``state["nx_budget"]`` seconds
    (default 60); the total for all of them is extrapolated linearly (equal-size
    municipalities)."""
    import networkx as nx

    budget = float(state.get("nx_budget", 60.0))
    eco = state["eco"]
    tasks = _municipality_edges(eco)
    t0 = time.perf_counter()
    done = 0
    for n, s, d in tasks:
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from((a, b) for a, b in zip(s.tolist(), d.tolist()) if a != b)
        nx.betweenness_centrality(G, normalized=False)
        nx.closeness_centrality(G)
        nx.harmonic_centrality(G)
        nx.pagerank(G)
        big = G.subgraph(max(nx.connected_components(G), key=len))
        nx.eigenvector_centrality_numpy(big)
        nx.clustering(G)
        nx.core_number(G)
        list(nx.articulation_points(G))
        done += 1
        if time.perf_counter() - t0 > budget:
            break
    elapsed = time.perf_counter() - t0
    return {"__seconds__": elapsed * len(tasks) / done,
            "__note__": f"{done} of {len(tasks)} municipalities run serially in "
                        f"{elapsed:.1f} s, total extrapolated linearly",
            "__extrapolated__": done < len(tasks)}


# ----------------------------------------------------------------------------- map
def _setup_map(n_actors: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    eco = load_region(max(n_actors * 2 // 5, 20), cache)
    folder = Path(tempfile.mkdtemp(prefix="ecograph-bench-map-"))
    return {"eco": eco, "path": folder / "map.html", "n": n_actors}


def _map_ecograph(state: dict[str, Any]) -> Any:
    import ecograph

    return ecograph.network_map(state["eco"], state["path"], seed=0)


_COLOURS = {"person": "#e41a1c", "firm": "#377eb8", "cooperative": "#4daf4a",
            "public_body": "#984ea3", "support_organisation": "#ff7f00",
            "business_network": "#a65628", "knowledge_institution": "#f781bf"}


def _pyvis_page(ids: list[str], labels: list[str], kinds: list[str], xy: np.ndarray,
                edges: list[tuple[str, str]], path: Path) -> Path:
    from pyvis.network import Network

    net = Network(height="720px", width="100%", cdn_resources="in_line")
    xy = 1000.0 * (xy - xy.mean(axis=0)) / max(float(np.abs(xy).max()), 1e-9)
    net.add_nodes(ids, label=labels, title=kinds, color=[_COLOURS[k] for k in kinds],
                  x=xy[:, 0].tolist(), y=xy[:, 1].tolist())
    net.add_edges(edges)
    net.toggle_physics(False)
    net.write_html(str(path))
    return path


def _map_raw(state: dict[str, Any]) -> Any:
    """igraph DrL layout (the method ecograph picks above 1,000 actors) + pyvis."""
    import igraph as ig

    eco = state["eco"]
    actors, rel = eco.actors, eco.relations
    ids = actors.index.tolist()
    src = actors.index.get_indexer(rel["source"])
    dst = actors.index.get_indexer(rel["target"])
    g = ig.Graph(n=len(ids), edges=list(zip(src.tolist(), dst.tolist())))
    xy = np.asarray(g.layout_drl(seed=np.random.default_rng(0).uniform(
        -1, 1, (len(ids), 2)).tolist()).coords)
    return _pyvis_page(ids, actors["name"].tolist(), actors["kind"].tolist(), xy,
                       list(zip(rel["source"].tolist(), rel["target"].tolist())), state["path"])


def _map_networkx(state: dict[str, Any]) -> Any:
    """networkx spring layout + pyvis."""
    import networkx as nx

    eco = state["eco"]
    actors, rel = eco.actors, eco.relations
    G = nx.Graph()
    G.add_nodes_from(actors.index)
    G.add_edges_from(zip(rel["source"], rel["target"]))
    pos = nx.spring_layout(G, seed=0)
    ids = list(G)
    xy = np.asarray([pos[v] for v in ids])
    kinds = actors["kind"].reindex(ids).tolist()
    return _pyvis_page(ids, actors["name"].reindex(ids).tolist(), kinds, xy, list(G.edges()),
                       state["path"])


# ----------------------------------------------------------------------------- import
def _setup_import(n: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    code = ("import resource, time, json; t = time.perf_counter(); import {m}; "
            "t1 = time.perf_counter() - t; {extra}"
            "print(json.dumps({{'import_s': t1, 'extra_s': time.perf_counter() - t - t1, "
            "'maxrss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))")
    bare = subprocess.run([sys.executable, "-c", code.format(m="sys", extra="")],
                          capture_output=True, text=True, check=True)
    return {"code": code, "bare_kib": json.loads(bare.stdout)["maxrss"]}


def _importer(module: str, extra: str = "") -> Impl:
    def run(state: dict[str, Any]) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-c", state["code"].format(m=module,
                                                                          extra=extra)],
                              capture_output=True, text=True, check=True)
        rec = json.loads(done.stdout)
        return {"__seconds__": rec["import_s"],
                "__info__": {"first_use_s": rec["extra_s"],
                             "import_growth_bytes": 1024 * (rec["maxrss"] - state["bare_kib"])}}

    return run


# ----------------------------------------------------------------------------- target suite
def _suite_ecograph(state: dict[str, Any], n_jobs: int = 1) -> Any:
    """Build (validated) + interlocks + graph statistics + node metrics + Leiden."""
    import ecograph
    from ecograph.analysis._graphs import resolve_layers, simple_graph

    k = path_sources(state["n"])
    eco = ecograph.Ecosystem.from_frames(state["actors"], state["relations"], state["meta"],
                                         warn=False)
    eco.to_igraph()
    ecograph.interlocks(eco)
    # node metrics first: the profile's sampled path length then reuses their cached searches
    ecograph.node_metrics(eco, betweenness_sources=k, closeness_sources=k, n_jobs=n_jobs)
    ecograph.thin_dense_profile(eco, n_null=0, path_sources=k, n_jobs=n_jobs)
    # ecograph has no community detection: Leiden runs on ecograph's own (cached) graph
    g = simple_graph(eco, resolve_layers(None), "weight").graph
    g.community_leiden(objective_function="modularity", n_iterations=2)
    return eco


def _suite_ecograph_2(state: dict[str, Any]) -> Any:
    """The target suite with the shortest-path searches on two processes (``n_jobs=2``)."""
    return _suite_ecograph(state, n_jobs=2)


def _suite_raw(state: dict[str, Any]) -> Any:
    k = path_sources(state["n"])
    g = _build_raw(state)
    out = bench_structure.run_raw(state["eco"], k=k, n_null=0)
    g.simplify(combine_edges="first")
    g.community_leiden(objective_function="modularity", n_iterations=2)
    return out


def _suite_networkx(state: dict[str, Any]) -> Any:
    import networkx as nx

    k = path_sources(state["n"])
    G = _build_networkx(state)
    out = bench_structure.run_networkx(state["eco"], k=k, n_null=0)
    nx.community.louvain_communities(nx.Graph(G), seed=0)
    return out


def _setup_suite(n: int, cache: Path | None, impl: str = "ecograph",
        smoke: bool = False) -> dict[str, Any]:
    eco = load_region(n, cache)
    state = {"actors": eco.actors.reset_index(), "relations": eco.relations, "meta": eco.meta,
             "n": n}
    if impl != "ecograph":  # raw and networkx read the relations through a (trusted) Ecosystem
        state["eco"] = eco
    return state


# ----------------------------------------------------------------------------- registry
_STRUCT_DESC = {
    "interlocks": ("Interlock projection", "organisation pairs sharing board members or "
                   "managers, with the shared persons (`ecograph.interlocks`)",
                   "scipy `triu(Bᵀ·B)` on the person × organisation CSR + member lists",
                   "`bipartite.weighted_projected_graph` + set intersections"),
    "profile": ("Thin-and-dense profile", f"`thin_dense_profile` with "
                f"{bench_structure.N_NULL} null graphs ({bench_structure.NULL_SWAPS} swaps/tie) "
                f"and path length from {STRUCT_K} sources",
                "numpy densities/multiplexity, igraph components/transitivity/closeness, "
                "igraph `rewire` null graphs + scipy projections",
                "networkx graphs per layer, `transitivity`, BFS, degree-preserving swaps in "
                "Python, `weighted_projected_graph` per null graph"),
    "node_metrics": ("Node metrics", f"`node_metrics` with {STRUCT_K}-source betweenness and "
                     "closeness: degree/strength per layer, components, betweenness, closeness, "
                     "harmonic, eigenvector, PageRank, clustering, k-core, articulation points",
                     "igraph `betweenness(sources=)`, `distances`, `pagerank`, "
                     "`transitivity_local_undirected`, `coreness`, `articulation_points`; scipy "
                     "`eigsh`", "`betweenness_centrality(k=)`, BFS closeness, "
                     "`eigenvector_centrality_numpy`, `pagerank`, `clustering`, `core_number`, "
                     "`articulation_points`"),
}


def _make_ops() -> dict[str, Op]:
    ops: dict[str, Op] = {}
    ops["build"] = Op(
        "build", "Build (validated) + igraph graph",
        "`Ecosystem.from_frames` (typing + every validation rule) and `eco.to_igraph()` "
        "from typed actor / relation frames",
        _setup_build,
        {"ecograph": _build_ecograph, "raw": _build_raw, "networkx": _build_networkx},
        {"raw": "`pd.Index.get_indexer` + `igraph.Graph(n, edges)` + the same vertex/edge "
                "attributes (no validation)",
         "networkx": "`MultiGraph.add_nodes_from` / `add_edges_from` with the same attributes"},
        exponent={"ecograph": 1.0, "raw": 1.0, "networkx": 1.0})
    for part, (title, what, raw, nx_) in _STRUCT_DESC.items():
        ops[part] = Op(part, title, what, _setup_eco,
                       {impl: _part(part, impl) for impl in ("ecograph", "raw", "networkx")},
                       {"raw": raw, "networkx": nx_}, before=_clear,
                       exponent={"ecograph": 1.0, "raw": 1.0,
                                 "networkx": 1.0})
    ops["key_players"] = Op(
        "key_players", "Key-person ranking (greedy k = 10)",
        "`key_player_set(eco, k=10)`: Borgatti's greedy KPP-Neg over persons (block-cut tree)",
        _setup_eco, {"ecograph": _kps_ecograph, "raw": _kps_raw, "networkx": _kps_networkx},
        {"raw": "greedy search: per step, each articulation-point candidate is cut out and "
                "igraph recounts the components (others shrink their component by one)",
         "networkx": "the same greedy search with `articulation_points` and "
                     "`connected_components`"},
        before=_clear, exponent={"ecograph": 1.0, "raw": 2.0, "networkx": 2.0})
    ops["coopetition"] = Op(
        "coopetition", "Co-opetition inference",
        "`infer_coopetition(eco, evidence=False)`: blocking by NACE division × municipality, "
        "competitor and partner features, stated values win",
        _setup_eco, {"ecograph": _coop_ecograph, "raw": _coop_raw, "networkx": _coop_networkx},
        {"raw": "numpy blocking (sort + repeat), scipy co-occurrence matrices for the partner "
                "features", "networkx": "dict blocks, `itertools.combinations`, neighbour-set "
                "intersections on networkx graphs"},
        before=_clear, exponent={"ecograph": 1.0, "raw": 1.0, "networkx": 1.0})
    ops["spigel"] = Op(
        "spigel", "Spigel scoring", "`spigel_scores(eco)` (the shipped spigel2017 model: "
        "profile, reachability, co-opetition summary and the indicator aggregation)",
        _setup_eco, {"ecograph": _spigel_ecograph, "raw": None, "networkx": None}, {},
        before=_clear, exponent={"ecograph": 1.0},
        missing="no equivalent: the model's 40-odd indicators and their aggregation are "
                "ecograph's own; the graph parts are timed in the profile / node-metrics rows")
    ops["batch"] = Op(
        "batch", "Batch over municipalities",
        "`score_municipalities(executor='processes', workers=2)` with one measure: "
        "`node_metrics` with **exact** betweenness and closeness, on municipalities of "
        "~2,000 actors (800 organisations) each",
        _setup_batch, {"ecograph": _batch_ecograph, "raw": _batch_raw,
                       "networkx": _batch_networkx},
        {"raw": "numpy partition + 2-process `multiprocessing.Pool` (chunks of 4) running "
                "igraph exact `betweenness`, `closeness`, `harmonic_centrality`, `pagerank`, "
                "`eigenvector_centrality`, clustering, coreness, articulation points",
         "networkx": "the same metrics serially, municipalities until 60 s, then extrapolated "
                     "linearly to all"},
        sized=False, full_size=357, smoke_size=4,
        exponent={"ecograph": 1.0, "raw": 1.0, "networkx": 1.0})
    ops["map"] = Op(
        "map", "Interactive map", "`network_map(eco, path)` of a region with the given number "
        "of actors (DrL layout above 1,000 actors, self-contained HTML)",
        _setup_map, {"ecograph": _map_ecograph, "raw": _map_raw, "networkx": _map_networkx},
        {"raw": "igraph `layout_drl` + pyvis `Network.add_nodes/add_edges/write_html`",
         "networkx": "`spring_layout` + the same pyvis page"},
        sized=False, full_size=5000, smoke_size=500, before=_clear,
        exponent={"ecograph": 1.0, "raw": 1.0, "networkx": 1.0})
    ops["import"] = Op(
        "import", "`import` in a fresh interpreter",
        "wall time of the import statement in a new Python process (median of the repeats); "
        "`first_use_s` = `from ecograph import Ecosystem` afterwards",
        _setup_import, {"ecograph": _importer("ecograph", "from ecograph import Ecosystem; "),
                        "raw": _importer("igraph"), "networkx": _importer("networkx")},
        {"raw": "`import igraph`", "networkx": "`import networkx`"},
        sized=False, full_size=1, smoke_size=1)
    ops["suite"] = Op(
        "suite", "Target suite",
        "build (validated) + `interlocks` + `node_metrics` with k-source betweenness/closeness "
        "(k = 256; 32 at 10⁶) + `thin_dense_profile(n_null=0)` (graph statistics; its "
        "k-source path length reuses the closeness searches) + Leiden "
        "(igraph `community_leiden` on ecograph's graph: ecograph has no community function)",
        _setup_suite, {"ecograph": _suite_ecograph, "raw": _suite_raw,
                       "networkx": _suite_networkx},
        {"raw": "raw build + `bench_structure.run_raw(n_null=0)` + `community_leiden`",
         "networkx": "networkx build + `bench_structure.run_networkx(n_null=0)` + "
                     "`louvain_communities` (no Leiden in networkx)"},
        before=_clear, exponent={"ecograph": 1.0, "raw": 1.0, "networkx": 1.0})
    ops["suite2"] = Op(
        "suite2", "Target suite on 2 processes",
        "the target suite with `n_jobs=2` in `node_metrics` and `thin_dense_profile`: the "
        "sampled shortest-path searches (betweenness; closeness, whose searches the profile's "
        "path length reuses) are split over two worker processes; memory is the whole "
        "process tree (parent + workers)",
        _setup_suite, {"ecograph": _suite_ecograph_2, "raw": None, "networkx": None}, {},
        before=_clear, exponent={"ecograph": 1.0},
        missing="not repeated here: the serial raw igraph and networkx equivalents are in the "
                "*Target suite* table (networkx has no parallel equivalent)")
    return ops


OPS: dict[str, Op] = _make_ops()
"""Every operation by name, in the order the suite runs them."""
