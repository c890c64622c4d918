"""Shared, optionally parallel shortest-path searches (betweenness, closeness, path length)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.analysis import _paths
from ecograph.exceptions import InputError

from .conftest import eco_from_graph


def _two_components() -> tuple[nx.Graph, ecograph.Ecosystem]:
    # a 40-node small world and a 25-node cycle: both larger than k = 6, so both are sampled
    G = nx.disjoint_union(nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=1), nx.cycle_graph(25))
    G.add_edge(70, 71)  # and a component of two (exact) plus isolates 65..69
    G.add_nodes_from(range(65, 70))
    return G, eco_from_graph(G)


@pytest.fixture
def force_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    # every graph counts as large, so n_jobs=2 really starts worker processes
    monkeypatch.setattr(_paths, "PARALLEL_MIN_WORK", 0.0)


@pytest.mark.parametrize("k", [6, None])
def test_two_processes_give_the_serial_metrics(force_parallel: None, k: int | None) -> None:
    _, eco = _two_components()
    serial = ecograph.node_metrics(eco, betweenness_sources=k, closeness_sources=k, seed=4)
    _, again = _two_components()  # a new object: nothing cached from the serial run
    parallel = ecograph.node_metrics(again, betweenness_sources=k, closeness_sources=k, seed=4,
                                     n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=False, rtol=1e-12, atol=1e-12)
    p1 = ecograph.thin_dense_profile(eco, n_null=0, path_sources=k, seed=4)
    p2 = ecograph.thin_dense_profile(again, n_null=0, path_sources=k, seed=4, n_jobs=2)
    pd.testing.assert_series_equal(p1, p2, check_exact=False, rtol=1e-12)


def test_weighted_searches_in_two_processes(force_parallel: None) -> None:
    G, _ = _two_components()
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1.0 + (u * 7 + v * 3) % 5
    serial = ecograph.node_metrics(eco_from_graph(G, weight="weight"), weighted=True, betweenness_sources=7,
                                   closeness_sources=7, seed=1)
    parallel = ecograph.node_metrics(eco_from_graph(G, weight="weight"), weighted=True, betweenness_sources=7,
                                     closeness_sources=7, seed=1, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=False, rtol=1e-12, atol=1e-12)
    # and the weighted exact metrics still match networkx (distance = 1 / weight)
    exact = ecograph.node_metrics(eco_from_graph(G, weight="weight"), weighted=True, betweenness_sources=None,
                                  closeness_sources=None, n_jobs=2)
    H = nx.relabel_nodes(G, str)
    for u, v in H.edges:
        H.edges[u, v]["distance"] = 1.0 / H.edges[u, v]["weight"]
    ref = nx.betweenness_centrality(H, weight="distance", normalized=False)
    np.testing.assert_allclose(exact["betweenness_raw"], [ref[i] for i in exact.index], atol=1e-9)


def test_sampled_path_length_is_stratified_by_component() -> None:
    # Components larger than k: k sources drawn from that component with default_rng(seed)
    # (components in label order: largest first), their distance total scaled by size / k.
    # Components of at most k actors: exact. Mean = scaled totals / connected ordered pairs.
    G, eco = _two_components()
    k, seed = 6, 3
    p = ecograph.thin_dense_profile(eco, n_null=0, path_sources=k, seed=seed)
    H = nx.relabel_nodes(G, str)
    ids = list(eco.actors.index)
    rng = np.random.default_rng(seed)
    comps = sorted(nx.connected_components(H), key=lambda c: (-len(c), min(ids.index(v) for v in c)))
    total = pairs = 0.0
    for comp in comps:
        s = len(comp)
        if s < 2:
            continue
        pairs += s * (s - 1)
        verts = np.array(sorted(ids.index(v) for v in comp))
        if s > k:
            S = rng.choice(verts, size=k, replace=False)
            dist = sum(sum(nx.single_source_shortest_path_length(H, ids[i]).values()) for i in S)
            total += dist * s / k
        else:
            total += sum(sum(nx.single_source_shortest_path_length(H, v).values()) for v in comp)
    assert p["average_path_length"] == pytest.approx(total / pairs)
    assert p["average_path_length.sources"] == k


def test_profile_and_node_metrics_share_one_set_of_searches(monkeypatch: pytest.MonkeyPatch) -> None:
    _, eco = _two_components()
    fresh = ecograph.thin_dense_profile(eco, n_null=0, path_sources=6, seed=2)
    searches: list[str] = []
    real = _paths.run_searches

    def counting(sg, tasks, **kwargs):  # type: ignore[no-untyped-def]
        searches.extend(t[0] for t in tasks)
        return real(sg, tasks, **kwargs)

    monkeypatch.setattr(_paths, "run_searches", counting)
    ecograph.node_metrics(eco, betweenness_sources=None, closeness_sources=6, seed=2)
    assert set(searches) == {"distances"}  # the sampled closeness rows, now cached
    searches.clear()
    # the profile of the same ecosystem, k and seed reads them: no search, the same value
    again = ecograph.thin_dense_profile(eco, n_null=0, path_sources=6, seed=2)
    assert searches == []
    assert again["average_path_length"] == pytest.approx(fresh["average_path_length"], rel=1e-12)
    ecograph.thin_dense_profile(eco, n_null=0, path_sources=6, seed=3)  # another seed: searches
    assert set(searches) == {"closeness"}
    searches.clear()
    ecograph.node_metrics(eco, betweenness_sources=None, closeness_sources=6, seed=None)
    ecograph.node_metrics(eco, betweenness_sources=None, closeness_sources=6, seed=None)
    assert searches.count("distances") == 4  # no seed: never cached (2 components x 1 chunk)


@pytest.mark.parametrize("bad", [0, 1.5, "2", True])
def test_bad_n_jobs(bad: object) -> None:
    _, eco = _two_components()
    with pytest.raises(InputError, match="n_jobs"):
        ecograph.node_metrics(eco, n_jobs=bad)  # type: ignore[arg-type]


def test_resolve_jobs_counts_back_from_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_paths.os, "cpu_count", lambda: 4)
    assert _paths.resolve_jobs(None) == 1
    assert _paths.resolve_jobs(3) == 3
    assert _paths.resolve_jobs(-1) == 4
    assert _paths.resolve_jobs(-4) == 1
    with pytest.raises(InputError, match="no process"):
        _paths.resolve_jobs(-5)
