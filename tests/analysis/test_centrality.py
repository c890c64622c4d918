"""node_metrics against networkx, published values and hand-computed conventions."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ecograph
from ecograph.exceptions import EmptyGraphError, InputError

from .conftest import compare_with_networkx, eco_from_graph

# --------------------------------------------------------------------------- published values


def test_florentine_betweenness_matches_published_raw_values(florentine):
    # Raw betweenness of the Florentine marriage network (15 families, Pucci dropped):
    # Medici 47.50, Guadagni 23.17, Albizzi 19.33, Salviati 13.00, Ridolfi 10.33
    # (networkx 3.6.1 and igraph 1.0.0 agree; see shared/docs/data-sources.md §5.2).
    m = ecograph.node_metrics(florentine)
    expected = {"Medici": 47.50, "Guadagni": 23.17, "Albizzi": 19.33, "Salviati": 13.00,
                "Ridolfi": 10.33, "Bischeri": 9.50, "Strozzi": 9.33, "Barbadori": 8.50,
                "Tornabuoni": 8.33, "Castellani": 5.00, "Peruzzi": 2.00, "Acciaiuoli": 0.0}
    for family, value in expected.items():
        assert m.loc[family, "betweenness_raw"] == pytest.approx(value, abs=0.01)
    # normalised by (n-1)(n-2)/2 = 91 for n = 15: Medici 47.5 / 91 = 0.522
    assert m.loc["Medici", "betweenness_norm"] == pytest.approx(0.522, abs=1e-3)
    assert m.loc["Medici", "closeness"] == pytest.approx(0.560, abs=1e-3)
    assert m.loc["Ridolfi", "closeness"] == pytest.approx(0.500, abs=1e-3)
    assert m.loc["Medici", "degree"] == 6


def test_krackhardt_kite_published_betweenness_and_closeness(kite):
    # Krackhardt (1990); networkx test oracles test_betweenness_centrality.py / test_closeness.
    m = ecograph.node_metrics(kite)
    bet = {0: 0.023, 1: 0.023, 2: 0, 3: 0.102, 4: 0, 5: 0.231, 6: 0.231, 7: 0.389, 8: 0.222, 9: 0}
    clo = {0: 0.529, 1: 0.529, 2: 0.500, 3: 0.600, 4: 0.500, 5: 0.643, 6: 0.643, 7: 0.600,
           8: 0.429, 9: 0.310}
    for v in range(10):
        assert m.loc[str(v), "betweenness_norm"] == pytest.approx(bet[v], abs=1e-3)
        assert m.loc[str(v), "closeness"] == pytest.approx(clo[v], abs=1e-3)
    # igraph raw values: node 7 = 14.0, nodes 5/6 = 8.33, node 8 = 8.0
    assert m.loc["7", "betweenness_raw"] == pytest.approx(14.0)
    assert m.loc["5", "betweenness_raw"] == pytest.approx(8.333, abs=1e-3)
    assert m.loc["8", "betweenness_raw"] == pytest.approx(8.0)


def test_davis_two_mode_centralities_match_borgatti_halgin(davis):
    # Borgatti & Halgin, "Analyzing affiliation networks": two-mode normalisations, published
    # values from networkx's bipartite test oracle (tolerance 0.01). We convert our raw values
    # with the two-mode maxima written out here.
    eco, _ = davis
    m = ecograph.node_metrics(eco)
    n, k = 18, 14  # women (top), events (bottom)

    def bet_max(a: int, b: int) -> float:  # maximum betweenness of a node in the mode of size a
        s, t = divmod(a - 1, b)
        return ((b**2) * ((s + 1) ** 2) + b * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2

    bet_women, bet_events = bet_max(n, k), bet_max(k, n)
    assert m.loc["E8", "betweenness_raw"] / bet_events == pytest.approx(0.24, abs=0.01)
    assert m.loc["E9", "betweenness_raw"] / bet_events == pytest.approx(0.23, abs=0.01)
    assert m.loc["E7", "betweenness_raw"] / bet_events == pytest.approx(0.13, abs=0.01)
    assert m.loc["Nora Fayette", "betweenness_raw"] / bet_women == pytest.approx(0.11, abs=0.01)
    assert m.loc["Evelyn Jefferson", "betweenness_raw"] / bet_women == pytest.approx(0.10, abs=0.01)
    # degree / size of the other mode: E8 0.78, E9 0.67, Evelyn 0.57, Nora 0.57
    assert m.loc["E8", "degree"] / n == pytest.approx(0.78, abs=0.01)
    assert m.loc["E9", "degree"] / n == pytest.approx(0.67, abs=0.01)
    assert m.loc["Evelyn Jefferson", "degree"] / k == pytest.approx(0.57, abs=0.01)
    # closeness: connected graph, ours = (N-1)/sum d; two-mode = (m + 2(n-1)) / sum d
    event_scale = (n + 2 * (k - 1)) / (n + k - 1)
    woman_scale = (k + 2 * (n - 1)) / (n + k - 1)
    assert m.loc["E8", "closeness"] * event_scale == pytest.approx(0.85, abs=0.01)
    assert m.loc["E9", "closeness"] * event_scale == pytest.approx(0.79, abs=0.01)
    assert m.loc["Evelyn Jefferson", "closeness"] * woman_scale == pytest.approx(0.80, abs=0.01)
    assert m.loc["Nora Fayette", "closeness"] * woman_scale == pytest.approx(0.80, abs=0.01)


# --------------------------------------------------------------------------- against networkx


def test_florentine_all_measures_match_networkx(florentine):
    m = compare_with_networkx(florentine, nx.florentine_families_graph())
    ref = nx.eigenvector_centrality_numpy(nx.florentine_families_graph())
    np.testing.assert_allclose(m["eigenvector"], [ref[v] for v in m.index], atol=1e-6)


def test_karate_weighted_paths_use_inverse_strength_as_distance():
    # Zachary's karate club with its interaction counts as strengths, distance = 1 / strength.
    # Betweenness is left out here: with distances like 1/3 + 1/6 vs 1/2, floating-point
    # ties are broken differently (igraph compares with a tolerance, networkx exactly); it is
    # checked below on weights whose inverses are exact binary fractions.
    G = nx.karate_club_graph()
    eco = eco_from_graph(G, weight="weight")
    H = nx.relabel_nodes(G, str)
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    m = compare_with_networkx(eco, H, weighted=True, betweenness=False)
    ref = nx.eigenvector_centrality_numpy(H, weight="weight")
    np.testing.assert_allclose(m["eigenvector"], [ref[v] for v in m.index], atol=1e-6)
    assert m.attrs["weighted"] is True


def test_weighted_betweenness_with_exact_distances():
    G = nx.karate_club_graph()
    for u, v, d in G.edges(data=True):
        d["weight"] = float(2 ** ((u + v) % 3))  # strengths 1, 2, 4 -> distances 1, 0.5, 0.25
    eco = eco_from_graph(G, weight="weight")
    H = nx.relabel_nodes(G, str)
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    compare_with_networkx(eco, H, weighted=True)


def test_strength_and_degree_per_layer(make_eco):
    eco = make_eco([("p", "person"), ("a", "firm"), ("b", "firm")],
                   [("p", "a", "board_seat", "chair"), ("p", "a", "management", "ceo"),
                    ("a", "b", "supply", None, {"weight": 2.5})])
    m = ecograph.node_metrics(eco)
    # p: 2 relations to a (one pair) ; a: 3 relations (2 to p, 1 to b) with strength 1 + 1 + 2.5
    assert m.loc["p", "degree"] == 2 and m.loc["p", "neighbours"] == 1
    assert m.loc["a", "degree"] == 3 and m.loc["a", "neighbours"] == 2
    assert m.loc["a", "strength"] == pytest.approx(4.5)
    assert m.loc["a", "degree.board_seat"] == 1 and m.loc["a", "strength.supply"] == 2.5
    assert m.loc["b", "degree.management"] == 0


# --------------------------------------------------------------------------- conventions


def test_isolates_and_disconnected_graph_conventions(make_eco):
    # Two components: a triangle a-b-c plus a pair d-e, and an isolate z; n = 6.
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm"), ("d", "firm"), ("e", "firm"),
                    ("z", "firm")],
                   [("a", "b", "tie"), ("b", "c", "tie"), ("a", "c", "tie"), ("d", "e", "tie")])
    m = ecograph.node_metrics(eco)
    # Wasserman–Faust closeness: a reaches r - 1 = 2 actors at distance 1 each:
    # (2 / 5) * (2 / 2) = 0.4 ; d: (1 / 5) * (1 / 1) = 0.2 ; the isolate z: 0 (not NaN)
    assert m.loc["a", "closeness"] == pytest.approx(0.4)
    assert m.loc["d", "closeness"] == pytest.approx(0.2)
    assert m.loc["z", "closeness"] == 0.0
    # harmonic: a: (1 + 1) / 5 ; z: 0
    assert m.loc["a", "harmonic"] == pytest.approx(0.4)
    assert m.loc["z", "harmonic"] == 0.0
    # clustering: NaN with fewer than two neighbours; triangle members 1
    assert math.isnan(m.loc["d", "clustering"]) and math.isnan(m.loc["z", "clustering"])
    assert m.loc["a", "clustering"] == 1.0
    # eigenvector: largest component (the triangle) gets 1/sqrt(3) each, everyone else 0
    assert m.loc["a", "eigenvector"] == pytest.approx(1 / math.sqrt(3))
    assert m.loc["d", "eigenvector"] == 0.0 and m.loc["z", "eigenvector"] == 0.0
    # components labelled by size, 0 = largest
    assert m["component"].tolist() == [0, 0, 0, 1, 1, 2]
    assert m["component_size"].tolist() == [3, 3, 3, 2, 2, 1]
    # pagerank sums to 1 and the isolate keeps the teleport share (1 - 0.85) / 6 + dangling
    assert m["pagerank"].sum() == pytest.approx(1.0)
    assert m.loc["z", "kcore"] == 0 and not m.loc["z", "articulation_point"]


def test_no_relations_gives_nan_eigenvector_and_zero_paths(make_eco):
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm")], [])
    m = ecograph.node_metrics(eco)
    assert m["eigenvector"].isna().all()
    assert (m["closeness"] == 0).all() and (m["betweenness_raw"] == 0).all()
    assert m["clustering"].isna().all()


def test_single_actor_and_empty_ecosystem(make_eco):
    m = ecograph.node_metrics(make_eco([("a", "firm")], []))
    assert m.loc["a", "betweenness_norm"] == 0.0 and m.loc["a", "closeness"] == 0.0
    with pytest.raises(EmptyGraphError):
        ecograph.node_metrics(make_eco([], []))


def test_bad_options_raise_input_error(florentine):
    with pytest.raises(InputError, match="betweenness_sources"):
        ecograph.node_metrics(florentine, betweenness_sources="many")
    with pytest.raises(InputError, match="betweenness_sources"):
        ecograph.node_metrics(florentine, betweenness_sources=0)
    with pytest.raises(InputError, match="unknown layer"):
        ecograph.node_metrics(florentine, layers=["friendship"])
    with pytest.raises(InputError, match="weight column"):
        ecograph.node_metrics(florentine, weight="strength")
    with pytest.raises(InputError, match="damping"):
        ecograph.node_metrics(florentine, damping=1.5)


# --------------------------------------------------------------------------- sampling


def test_sampled_betweenness_is_networkx_subset_betweenness_scaled(florentine):
    # With k sources S, the estimate is n / k * (subset betweenness from S to all), the
    # Brandes–Pich estimator networkx uses for k=. The sources are the first draw of
    # numpy's default_rng(seed).choice(n, k, replace=False) (documented seeding).
    k, seed = 5, 7
    m = ecograph.node_metrics(florentine, betweenness_sources=k, closeness_sources=None, seed=seed)
    n = len(florentine.actors)
    ids = list(florentine.actors.index)
    sources = [ids[i] for i in np.random.default_rng(seed).choice(n, size=k, replace=False)]
    G = nx.florentine_families_graph()
    ref = nx.betweenness_centrality_subset(G, sources=sources, targets=list(G), normalized=False)
    np.testing.assert_allclose(m["betweenness_raw"], [ref[v] * n / k for v in ids], atol=1e-9)
    assert m.attrs["betweenness_sources"] == k
    # reproducible for a seed
    again = ecograph.node_metrics(florentine, betweenness_sources=k, seed=seed)
    np.testing.assert_array_equal(again["betweenness_raw"], m["betweenness_raw"])


def test_sampled_betweenness_is_unbiased(florentine):
    # E[estimate] = exact betweenness. Mean of 100 seeded estimates with k = 6 of 15 sources;
    # the tolerance is 5 standard errors of that mean (sd measured from the same runs).
    exact = ecograph.node_metrics(florentine, betweenness_sources=None)["betweenness_raw"]
    runs = np.array([ecograph.node_metrics(florentine, betweenness_sources=6,
                                           closeness_sources=None, seed=s)["betweenness_raw"]
                     for s in range(100)])
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert (np.abs(runs.mean(axis=0) - exact.to_numpy()) <= 5 * se + 1e-9).all()
    assert se.max() > 0  # the estimates do vary: this is not the exact computation


def test_k_at_least_n_is_exact(florentine):
    exact = ecograph.node_metrics(florentine, betweenness_sources=None)
    big = ecograph.node_metrics(florentine, betweenness_sources=100, closeness_sources=100)
    np.testing.assert_allclose(big["betweenness_raw"], exact["betweenness_raw"])
    assert big.attrs["betweenness_sources"] is None


@pytest.mark.parametrize("k", [3, 8])
def test_sampled_closeness_in_small_components_is_exact(make_eco, k):
    # components of at most k actors are always exact
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm"), ("d", "firm")],
                   [("a", "b", "tie"), ("b", "c", "tie")])
    exact = ecograph.node_metrics(eco, closeness_sources=None)
    sampled = ecograph.node_metrics(eco, closeness_sources=k)
    np.testing.assert_allclose(sampled["closeness"], exact["closeness"])
    np.testing.assert_allclose(sampled["harmonic"], exact["harmonic"])


def test_sampled_closeness_follows_the_eppstein_wang_estimator():
    # One component of 30 actors (a path), k = 10 sampled sources S (the first draw of
    # default_rng(seed).choice over the component's actors when betweenness is exact).
    # For actor v with S_v = S minus v:  mean distance = sum_{s in S_v} d(s, v) / |S_v|,
    # closeness = (r - 1)/(n - 1) / mean distance with r = n = 30, and
    # harmonic = (r - 1) / |S_v| * sum_{s in S_v} 1 / d(s, v) / (n - 1).
    G = nx.path_graph(30)
    eco = eco_from_graph(G)
    k, seed = 10, 3
    sampled = ecograph.node_metrics(eco, closeness_sources=k, betweenness_sources=None, seed=seed)
    S = np.random.default_rng(seed).choice(np.arange(30), size=k, replace=False)
    for v in range(30):
        others = [int(s) for s in S if s != v]
        d = np.array([abs(s - v) for s in others], dtype=float)  # distances on a path
        assert sampled.loc[str(v), "closeness"] == pytest.approx(1.0 / d.mean())
        harmonic = (30 - 1) / len(others) * (1 / d).sum() / (30 - 1)
        assert sampled.loc[str(v), "harmonic"] == pytest.approx(harmonic)
    assert sampled.attrs["closeness_sources"] == k


@given(st.integers(0, 10))
@settings(max_examples=5)
def test_auto_is_exact_on_small_graphs(seed):
    eco = eco_from_graph(nx.gnp_random_graph(12, 0.3, seed=seed))
    m = ecograph.node_metrics(eco)
    assert m.attrs["betweenness_sources"] is None and m.attrs["closeness_sources"] is None
