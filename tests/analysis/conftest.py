"""Fixtures for the thin-and-dense analysis tests: reference networks as Ecosystems.

The reference graphs come from networkx (Florentine families, Krackhardt kite,
Davis Southern Women, Zachary karate club) and from Borgatti's structural-holes
example; ``nx_simple`` rebuilds, independently of ecograph's own graph code, the
undirected simple graph (summed strengths) that the analyses work on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from ecograph.core.ecosystem import Ecosystem

HOLES_EDGES = [("A", "B"), ("A", "F"), ("A", "G"), ("A", "E"), ("E", "G"), ("F", "G"),
               ("B", "G"), ("B", "D"), ("D", "G"), ("G", "C")]
"""Borgatti (1997), Connections 20(1): the structural-holes example (networkx's tests)."""

HOLES_WEIGHTS = {("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
                 ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10}
"""Edge weights of the weighted variant (networkx ``test_structuralholes.py``)."""


def eco_from_graph(G: nx.Graph, *, kind: str = "firm", layer: str = "tie",
                   weight: str | None = None, extra: Iterable[str] = ()) -> Ecosystem:
    """One-mode networkx graph -> Ecosystem: every node an actor of ``kind``, every edge a relation.

    Node keys become string ids; ``weight`` (edge attribute) becomes the relation weight.
    ``extra`` node keys are added as isolated actors.
    """
    nodes = [str(v) for v in G.nodes()] + [str(v) for v in extra]
    actors = pd.DataFrame({"id": nodes, "name": nodes, "kind": kind})
    rows = []
    for u, v, d in G.edges(data=True):
        row: dict[str, Any] = {"source": str(u), "target": str(v), "kind": layer}
        if weight is not None:
            row["weight"] = float(d[weight])
        rows.append(row)
    relations = pd.DataFrame(rows) if rows else None
    return Ecosystem.from_frames(actors, relations, {"name": getattr(G, "name", "") or "graph"},
                                 warn=False)


def davis_ecosystem() -> tuple[Ecosystem, nx.Graph]:
    """Davis Southern Women as an Ecosystem: women = persons, events = organisations.

    Every attendance is a ``board_seat`` with role ``member``.
    """
    B = nx.davis_southern_women_graph()
    women = list(B.graph["top"])
    events = list(B.graph["bottom"])
    actors = pd.DataFrame({"id": women + events, "name": women + events,
                           "kind": ["person"] * len(women) + ["business_network"] * len(events)})
    top = set(women)
    pairs = [(u, v) if u in top else (v, u) for u, v in B.edges()]
    relations = pd.DataFrame([{"source": w, "target": e, "kind": "board_seat", "role": "member"}
                              for w, e in pairs])
    return Ecosystem.from_frames(actors, relations, {"name": "Davis"}, warn=False), B


def nx_simple(eco: Ecosystem, layers: Iterable[str] | None = None,
              weight: str | None = "weight") -> nx.Graph:
    """The undirected simple graph of ``layers``: an edge per linked pair, weights summed.

    Built row by row from ``eco.relations`` with networkx, independently of ecograph.
    """
    G = nx.Graph()
    G.add_nodes_from(eco.actors.index)
    kinds = set(layers) if layers is not None else None
    for rec in eco.relations.itertuples(index=False):
        if kinds is not None and rec.kind not in kinds:
            continue
        w = 1.0
        if weight is not None:
            value = getattr(rec, weight)
            w = 1.0 if pd.isna(value) else float(value)
        if w <= 0 or rec.source == rec.target:
            continue
        if G.has_edge(rec.source, rec.target):
            G[rec.source][rec.target]["weight"] += w
        else:
            G.add_edge(rec.source, rec.target, weight=w)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return G


def compare_with_networkx(eco: Ecosystem, G: nx.Graph, *, weighted: bool = False,
                          atol: float = 1e-6, betweenness: bool = True) -> pd.DataFrame:
    """Check every node metric that networkx also has; return ecograph's table."""
    import ecograph

    m = ecograph.node_metrics(eco, weighted=weighted, betweenness_sources=None,
                              closeness_sources=None)
    ids = list(m.index)
    dist = "distance" if weighted else None
    ref = {
        "closeness": nx.closeness_centrality(G, distance=dist),
        "pagerank": nx.pagerank(G, weight="weight" if weighted else None, tol=1e-12,
                                max_iter=10_000),
        "kcore": nx.core_number(G),
        "neighbours": dict(G.degree()),
    }
    if betweenness:
        ref["betweenness_raw"] = nx.betweenness_centrality(G, normalized=False, weight=dist)
        ref["betweenness_norm"] = nx.betweenness_centrality(G, normalized=True, weight=dist)
    n = G.number_of_nodes()
    harm = nx.harmonic_centrality(G, distance=dist)
    ref["harmonic"] = {v: x / (n - 1) if n > 1 else 0.0 for v, x in harm.items()}
    clus = nx.clustering(G)
    for col, values in ref.items():
        expected = np.array([values[v] for v in ids], dtype=float)
        np.testing.assert_allclose(m[col].to_numpy(dtype=float), expected, atol=atol, err_msg=col)
    # clustering: networkx reports 0 where ecograph reports NaN (fewer than two neighbours)
    deg = np.array([G.degree(v) for v in ids])
    ours = m["clustering"].to_numpy(dtype=float)
    assert np.isnan(ours[deg < 2]).all()
    np.testing.assert_allclose(ours[deg >= 2], [clus[v] for v, d in zip(ids, deg) if d >= 2],
                               atol=atol)
    ap = set(nx.articulation_points(G))
    assert set(m.index[m["articulation_point"]]) == ap
    return m


def small_eco(actors: list[tuple[str, str]], relations: list[tuple[Any, ...]],
              **meta: Any) -> Ecosystem:
    """Ecosystem from ``[(id, kind), ...]`` and ``[(source, target, kind[, role[, dict]]), ...]``.

    The optional dict holds further relation fields (``weight``, ...).
    """
    a = pd.DataFrame({"id": pd.Series([i for i, _ in actors], dtype=str),
                      "name": pd.Series([i for i, _ in actors], dtype=str),
                      "kind": pd.Series([k for _, k in actors], dtype=str)})
    rows = []
    for rel in relations:
        row: dict[str, Any] = {"source": rel[0], "target": rel[1], "kind": rel[2]}
        if len(rel) > 3 and rel[3] is not None:
            row["role"] = rel[3]
        if len(rel) > 4:
            row.update(rel[4])
        rows.append(row)
    r = pd.DataFrame(rows) if rows else None
    return Ecosystem.from_frames(a, r, meta or None, warn=False)


@pytest.fixture
def florentine() -> Ecosystem:
    """Padgett's Florentine marriage network (networkx, 15 families, 20 ties)."""
    return eco_from_graph(nx.florentine_families_graph())


@pytest.fixture
def kite() -> Ecosystem:
    """Krackhardt's kite (10 actors, 18 ties)."""
    return eco_from_graph(nx.krackhardt_kite_graph())


@pytest.fixture
def holes() -> Ecosystem:
    """Borgatti's structural-holes example, unweighted."""
    return eco_from_graph(nx.Graph(HOLES_EDGES))


@pytest.fixture
def holes_weighted() -> Ecosystem:
    """Borgatti's structural-holes example with the networkx test weights."""
    G = nx.Graph()
    for (u, v), w in HOLES_WEIGHTS.items():
        G.add_edge(u, v, weight=w)
    return eco_from_graph(G, weight="weight")


@pytest.fixture
def davis() -> tuple[Ecosystem, nx.Graph]:
    """Davis Southern Women (two-mode) as an Ecosystem, with the networkx graph."""
    return davis_ecosystem()


@pytest.fixture
def make_eco() -> Callable[..., Ecosystem]:
    """The :func:`small_eco` builder."""
    return small_eco
