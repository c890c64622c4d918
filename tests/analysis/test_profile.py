"""thin_dense_profile: hand-computed entries and the degree-preserving null model."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.analysis.profile import NULL_STATISTICS
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import EmptyGraphError, InputError

from .conftest import eco_from_graph, nx_simple


@pytest.fixture
def town() -> Ecosystem:
    # persons p1, p2, p3; firms A, B; cooperative C; public body X outside the region.
    # p1 chairs B's board and sits on A's; p2 chairs A, sits on B, and is A's CEO;
    # p3 sits on C's board. A supplies B and they are co-opetitors; X funds C.
    actors = pd.DataFrame({
        "id": ["p1", "p2", "p3", "A", "B", "C", "X"],
        "name": ["P1", "P2", "P3", "A", "B", "C", "X"],
        "kind": ["person", "person", "person", "firm", "firm", "cooperative", "public_body"],
        "external": [False, False, False, False, False, False, True],
    })
    relations = pd.DataFrame({
        "source": ["p1", "p1", "p2", "p2", "p2", "p3", "A", "A", "X"],
        "target": ["A", "B", "A", "B", "A", "C", "B", "B", "C"],
        "kind": ["board_seat", "board_seat", "board_seat", "board_seat", "management",
                 "board_seat", "supply", "coopetition", "funding"],
        "role": ["member", "chair", "chair", "member", "ceo", "member", None, None, None],
    })
    return Ecosystem.from_frames(actors, relations, {"name": "Town", "population": 1000},
                                 warn=False)


def test_hand_computed_profile(town):
    p = ecograph.thin_dense_profile(town, n_null=0)
    assert p.name == "Town"
    assert (p["actors"], p["persons"], p["organisations"], p["relations"]) == (7, 3, 4, 9)
    assert p["actors.public_body"] == 1 and p["relations.board_seat"] == 5
    # thinness: 3 regional persons and 3 regional organisations (X is external) per 1,000
    assert p["population"] == 1000
    assert p["persons_per_1000"] == 3.0 and p["organisations_per_1000"] == 3.0
    # 7 linked pairs of 21: p1A p1B p2A p2B p3C AB XC
    assert p["density"] == pytest.approx(7 / 21)
    assert p["density.board_seat"] == pytest.approx(5 / 21)
    assert p["density.management"] == pytest.approx(1 / 21)
    assert p["density.tie"] == 0.0
    # two-mode graph (board seats + management): 5 person-organisation ties of 3 x 4
    assert p["two_mode_density"] == pytest.approx(5 / 12)
    # interlocks: only A-B (p1 and p2) of the 6 organisation pairs
    assert p["interlocks"] == 1
    assert p["interlock_density"] == pytest.approx(1 / 6)
    assert p["interlock_repeat_share"] == 1.0
    assert math.isnan(p["interlock_transitivity"])  # one interlock: no connected triple
    # affiliated actors p1 p2 p3 A B C: components {p1 p2 A B}, {p3 C}
    assert p["affiliation_largest_component_share"] == pytest.approx(4 / 6)
    # roles (board, management, ownership, membership): p1 2, p2 3, p3 1
    assert p["mean_roles_per_person"] == pytest.approx(2.0)
    assert p["mean_organisations_per_person"] == pytest.approx(5 / 3)
    assert p["share_persons_2plus_roles"] == pytest.approx(2 / 3)
    assert p["share_persons_3plus_roles"] == pytest.approx(1 / 3)
    # combined graph: components {p1 p2 A B}, {p3 C X}
    assert p["components"] == 2
    assert p["largest_component_share"] == pytest.approx(4 / 7)
    # triangles p1-A-B and p2-A-B; connected triples sum C(d, 2) with degrees
    # p1 2, p2 2, p3 1, A 3, B 3, C 2, X 1 -> 1 + 1 + 0 + 3 + 3 + 1 + 0 = 9; 3 * 2 / 9
    assert p["transitivity"] == pytest.approx(2 / 3)
    # Freeman: sum (3 - d) = 1 + 1 + 2 + 0 + 0 + 1 + 2 = 7 over (7 - 1)(7 - 2) = 30
    assert p["degree_centralisation"] == pytest.approx(7 / 30)
    # distances: {p1 p2 A B}: 2 + 1 + 1 + 1 + 1 + 1 = 7 over 6 pairs; {p3 C X}: 4 over 3
    assert p["average_path_length"] == pytest.approx(11 / 9)
    assert p["average_path_length.sources"] == 7
    # multiplexity: p2-A (board + management) and A-B (supply + coopetition) of 7 pairs
    assert p["multiplexity"] == pytest.approx(2 / 7)
    assert p["layer_overlap.board_seat|management"] == pytest.approx(1 / 5)
    assert p["layer_overlap.coopetition|supply"] == pytest.approx(1.0)  # RELATION_KINDS order
    assert p["layer_overlap.board_seat|supply"] == 0.0
    assert "layer_overlap.board_seat|tie" not in p.index  # empty layers are left out
    # organisation pairs: A-B (interlock, supply, coopetition), C-X (funding): 1 of 2
    assert p["multiplexity_organisations"] == pytest.approx(1 / 2)
    # regional actors with a relation to an external actor: C, of 6
    assert p["external_bridging_share"] == pytest.approx(1 / 6)
    # no null model
    assert p["n_null"] == 0
    for s in NULL_STATISTICS:
        assert math.isnan(p[f"z.{s}"]) and math.isnan(p[f"null_mean.{s}"])


def test_structure_matches_networkx(town):
    p = ecograph.thin_dense_profile(town, n_null=0)
    G = nx_simple(town, weight=None)
    assert p["transitivity"] == pytest.approx(nx.transitivity(G))
    assert p["components"] == nx.number_connected_components(G)
    lengths = [d for s, row in nx.shortest_path_length(G) for t, d in row.items() if s != t]
    assert p["average_path_length"] == pytest.approx(np.mean(lengths))
    assert p["density"] == pytest.approx(nx.density(G))


def test_unknown_population_gives_nan(make_eco):
    eco = make_eco([("p", "person"), ("a", "firm")], [("p", "a", "board_seat", "chair")])
    p = ecograph.thin_dense_profile(eco, n_null=0)
    assert math.isnan(p["population"]) and math.isnan(p["persons_per_1000"])
    # two actors: centralisation undefined, one organisation: no pair to interlock
    assert math.isnan(p["degree_centralisation"]) and math.isnan(p["interlock_density"])
    assert p["interlocks"] == 0


def test_null_model_z_scores_hand_computed(make_eco):
    # Persons P0, P1, P2 hold 2, 2, 1 seats; organisations O1, O2, O3 have 2, 2, 1 members.
    # Exactly five labelled two-mode graphs have these degrees:
    #   (a) P0 = {O1, O2}, P1 = {O1, O2}, P2 = {O3}: one interlock O1-O2 shared by two persons;
    #   (b) P2 on O1 or on O2 (2 graphs each way = 4): two interlocks, each through one person,
    #       and everyone connected.
    # Degree-preserving swaps sample them uniformly. Observed = (a):
    #   interlock density: (a) 1/3, (b) 2/3 -> null mean (1/3 + 4 * 2/3) / 5 = 3/5,
    #     sd = sqrt(1/5 * 4/5) * (2/3 - 1/3) = 2/15, z = (1/3 - 3/5) / (2/15) = -2;
    #   repeat share: (a) 1, (b) 0 -> mean 1/5, sd 2/5, z = (1 - 1/5) / (2/5) = +2;
    #   affiliation largest component: (a) 4/6, (b) 6/6 -> mean 14/15, sd 2/15, z = -2;
    #   transitivity: undefined in (a), 0 in (b) -> mean 0, sd 0 -> z NaN.
    eco = make_eco([("P0", "person"), ("P1", "person"), ("P2", "person"), ("O1", "firm"),
                    ("O2", "firm"), ("O3", "firm")],
                   [("P0", "O1", "board_seat", "member"), ("P0", "O2", "board_seat", "member"),
                    ("P1", "O1", "board_seat", "member"), ("P1", "O2", "board_seat", "member"),
                    ("P2", "O3", "board_seat", "member")])
    # 2000 null graphs: z has a Monte-Carlo standard error of about 0.06 (|dz/dp| = 6.25 at
    # p = 4/5, se(p) = 0.009), so 0.25 is four standard errors
    p = ecograph.thin_dense_profile(eco, n_null=2000, seed=11)
    assert p["n_null"] == 2000
    assert p["interlock_density"] == pytest.approx(1 / 3)
    assert p["null_mean.interlock_density"] == pytest.approx(3 / 5, abs=0.02)
    assert p["null_sd.interlock_density"] == pytest.approx(2 / 15, abs=0.01)
    assert p["z.interlock_density"] == pytest.approx(-2.0, abs=0.25)
    assert p["null_mean.interlock_repeat_share"] == pytest.approx(1 / 5, abs=0.03)
    assert p["z.interlock_repeat_share"] == pytest.approx(2.0, abs=0.25)
    assert p["null_mean.affiliation_largest_component_share"] == pytest.approx(14 / 15, abs=0.01)
    assert p["z.affiliation_largest_component_share"] == pytest.approx(-2.0, abs=0.25)
    assert p["null_mean.interlock_transitivity"] == 0.0
    assert math.isnan(p["z.interlock_transitivity"])
    # seeded: the same seed gives the same null model
    again = ecograph.thin_dense_profile(eco, n_null=50, seed=11)
    assert again["z.interlock_density"] == ecograph.thin_dense_profile(
        eco, n_null=50, seed=11)["z.interlock_density"]


def test_null_model_without_freedom_gives_nan_z(make_eco):
    # one person on two boards: every degree-preserving graph is the observed one -> sd 0
    eco = make_eco([("p", "person"), ("a", "firm"), ("b", "firm")],
                   [("p", "a", "board_seat", "chair"), ("p", "b", "board_seat", "member")])
    p = ecograph.thin_dense_profile(eco, n_null=20)
    assert p["null_mean.interlock_density"] == pytest.approx(1.0)
    assert p["null_sd.interlock_density"] == 0.0
    assert math.isnan(p["z.interlock_density"])


def test_sampled_average_path_length_is_the_ratio_estimator():
    # With sources S: sum over s in S of the distances to every reachable t, divided by the
    # number of such (s, t) pairs. S is the first draw of default_rng(seed).choice(n, k).
    G = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=2)
    eco = eco_from_graph(G)
    k, seed = 7, 5
    p = ecograph.thin_dense_profile(eco, n_null=0, path_sources=k, seed=seed)
    ids = list(eco.actors.index)
    S = np.random.default_rng(seed).choice(len(ids), size=k, replace=False)
    H = nx.relabel_nodes(G, str)
    total = sum(sum(nx.single_source_shortest_path_length(H, ids[s]).values()) for s in S)
    pairs = k * (len(ids) - 1)
    assert p["average_path_length"] == pytest.approx(total / pairs)
    assert p["average_path_length.sources"] == k
    exact = ecograph.thin_dense_profile(eco, n_null=0, path_sources=None)
    assert exact["average_path_length"] == pytest.approx(nx.average_shortest_path_length(H))


def test_json_serialisable_and_errors(town, make_eco, tmp_path):
    from ecograph.outputs import write_table

    p = ecograph.thin_dense_profile(town, n_null=5)
    path = write_table(p, tmp_path / "profile.json")
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["interlocks"] == 1 and data["interlock_transitivity"] is None
    with pytest.raises(InputError, match="n_null"):
        ecograph.thin_dense_profile(town, n_null=-1)
    with pytest.raises(InputError, match="path_sources"):
        ecograph.thin_dense_profile(town, path_sources="some")
    with pytest.raises(EmptyGraphError):
        ecograph.thin_dense_profile(make_eco([], []))
