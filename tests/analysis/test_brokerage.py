"""Burt's structural holes and Gould–Fernandez brokerage roles."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.exceptions import EmptyGraphError, InputError

from .conftest import eco_from_graph

# --------------------------------------------------------------------------- Burt, published


def test_borgatti_holes_graph_unweighted(holes):
    # Borgatti (1997) "holes" example, values checked against UCINET and igraph (networkx's
    # test_structuralholes.py): constraint G 0.400, A 0.595, C 1.0; effective size G 4.67,
    # A 2.50, C 1.0.
    b = ecograph.brokerage(holes)
    assert b.loc["G", "constraint"] == pytest.approx(0.400, abs=1e-3)
    assert b.loc["A", "constraint"] == pytest.approx(0.595, abs=1e-3)
    assert b.loc["C", "constraint"] == pytest.approx(1.0, abs=1e-3)
    assert b.loc["G", "effective_size"] == pytest.approx(4.67, abs=1e-2)
    assert b.loc["A", "effective_size"] == pytest.approx(2.50, abs=1e-2)
    assert b.loc["C", "effective_size"] == pytest.approx(1.0, abs=1e-2)
    # efficiency = effective size / contacts: G has 6 contacts
    assert b.loc["G", "contacts"] == 6
    assert b.loc["G", "efficiency"] == pytest.approx(b.loc["G", "effective_size"] / 6)


def test_borgatti_holes_graph_weighted(holes_weighted):
    # weighted variant: constraint G 0.299, A 0.795; effective size G 5.47, A 2.47 (same source)
    b = ecograph.brokerage(holes_weighted)
    assert b.loc["G", "constraint"] == pytest.approx(0.299, abs=1e-3)
    assert b.loc["A", "constraint"] == pytest.approx(0.795, abs=1e-3)
    assert b.loc["G", "effective_size"] == pytest.approx(5.47, abs=1e-2)
    assert b.loc["A", "effective_size"] == pytest.approx(2.47, abs=1e-2)
    # weighted=False ignores the strengths: back to the unweighted values
    u = ecograph.brokerage(holes_weighted, weighted=False)
    assert u.loc["G", "constraint"] == pytest.approx(0.400, abs=1e-3)


@pytest.mark.parametrize(("weights", "constraint", "effective"), [
    # networkx test_structuralholes.py, directed graph 0->1, 0->2, 1->0, 2->1
    ({}, [1.003, 1.003, 1.389], [1.167, 1.167, 1.0]),
    ({(0, 1): 2, (0, 2): 2, (1, 0): 1, (2, 1): 1}, [0.840, 1.143, 1.378], [1.567, 1.083, 1.0]),
])
def test_directed_relations_follow_burts_mutual_weights(make_eco, weights, constraint, effective):
    # Burt's p_ij uses a_ij + a_ji; merging the two directions of directed relations into one
    # tie of summed strength reproduces it.
    rels = [(str(u), str(v), "supply", None, {"weight": float(weights.get((u, v), 1))})
            for u, v in [(0, 1), (0, 2), (1, 0), (2, 1)]]
    eco = make_eco([("0", "firm"), ("1", "firm"), ("2", "firm")], rels)
    b = ecograph.brokerage(eco)
    np.testing.assert_allclose(b["constraint"], constraint, atol=1e-3)
    np.testing.assert_allclose(b["effective_size"], effective, atol=1e-3)


def test_florentine_matches_published_and_networkx(florentine):
    # data-sources.md §5.2 (networkx 3.6.1 and igraph 1.0.0 agree): constraint Medici 0.210,
    # Guadagni 0.250, Albizzi 0.333, Salviati 0.500, Ridolfi 0.460, Peruzzi 0.656, leaves 1.0;
    # effective size Medici 5.667, Guadagni 4.000, Albizzi 3.000, Ridolfi 2.333.
    b = ecograph.brokerage(florentine)
    for fam, c in {"Medici": 0.210, "Guadagni": 0.250, "Albizzi": 0.333, "Salviati": 0.500,
                   "Ridolfi": 0.460, "Peruzzi": 0.656, "Pazzi": 1.0}.items():
        assert b.loc[fam, "constraint"] == pytest.approx(c, abs=1e-3)
    for fam, e in {"Medici": 5.667, "Guadagni": 4.0, "Albizzi": 3.0, "Ridolfi": 2.333}.items():
        assert b.loc[fam, "effective_size"] == pytest.approx(e, abs=1e-3)
    G = nx.florentine_families_graph()
    ref_c = nx.constraint(G)
    # nodes= forces networkx's per-node formula; in networkx 3.6.1 its all-nodes sparse shortcut
    # for effective_size disagrees with the published weighted values (row/column max mix-up)
    ref_e = nx.effective_size(G, nodes=list(G))
    np.testing.assert_allclose(b["constraint"], [ref_c[v] for v in b.index], atol=1e-9)
    np.testing.assert_allclose(b["effective_size"], [ref_e[v] for v in b.index], atol=1e-9)


def test_weighted_karate_matches_networkx_per_node_formula():
    G = nx.karate_club_graph()
    eco = eco_from_graph(G, weight="weight")
    b = ecograph.brokerage(eco)
    H = nx.relabel_nodes(G, str)
    ref_c = nx.constraint(H, weight="weight")
    ref_e = nx.effective_size(H, weight="weight", nodes=list(H))
    np.testing.assert_allclose(b["constraint"], [ref_c[v] for v in b.index], atol=1e-9)
    np.testing.assert_allclose(b["effective_size"], [ref_e[v] for v in b.index], atol=1e-9)


# --------------------------------------------------------------------------- hierarchy


def test_hierarchy_hand_computed(make_eco):
    # Ego e with contacts a, b, c; a-b linked, c not. Unweighted, p_e. = 1/3 each;
    # p_ab = p_ae = 1/2.
    # c_ea = (1/3 + 1/3 * 1/2)^2 = 1/4, c_eb = 1/4, c_ec = (1/3)^2 = 1/9, C = 11/18, N = 3.
    # r_j = c_ej / (C / N): r_a = r_b = 27/22, r_c = 6/11.
    # H = (2 * 27/22 ln(27/22) + 6/11 ln(6/11)) / (3 ln 3).
    eco = make_eco([("e", "firm"), ("a", "firm"), ("b", "firm"), ("c", "firm")],
                   [("e", "a", "tie"), ("e", "b", "tie"), ("e", "c", "tie"), ("a", "b", "tie")])
    b = ecograph.brokerage(eco)
    expected = (2 * 27 / 22 * math.log(27 / 22) + 6 / 11 * math.log(6 / 11)) / (3 * math.log(3))
    assert b.loc["e", "constraint"] == pytest.approx(11 / 18)
    assert b.loc["e", "hierarchy"] == pytest.approx(expected)
    assert b.loc["e", "effective_size"] == pytest.approx(3 - 2 * 1 / 3)  # Borgatti: n - 2t/n
    # c has one contact: hierarchy undefined
    assert math.isnan(b.loc["c", "hierarchy"])
    # a has contacts e, b with p_ae = p_ab = 1/2; p_be = 1/2, p_eb = 1/3:
    # c_ae = (1/2 + 1/2 * 1/2)^2 = 9/16, c_ab = (1/2 + 1/2 * 1/3)^2 = 4/9, C = 145/144, N = 2,
    # r_e = 162/145, r_b = 128/145, H = (r_e ln r_e + r_b ln r_b) / (2 ln 2)
    r_e, r_b = 162 / 145, 128 / 145
    assert b.loc["a", "constraint"] == pytest.approx(145 / 144)
    assert b.loc["a", "hierarchy"] == pytest.approx(
        (r_e * math.log(r_e) + r_b * math.log(r_b)) / (2 * math.log(2)))
    # a star ego whose contacts constrain equally has hierarchy 0
    star = make_eco([("s", "firm"), ("x", "firm"), ("y", "firm")],
                    [("s", "x", "tie"), ("s", "y", "tie")])
    assert ecograph.brokerage(star).loc["s", "hierarchy"] == pytest.approx(0.0, abs=1e-12)


def test_hierarchy_is_one_when_one_contact_holds_all_constraint():
    # H = 1 needs all constraint on one contact; approached when one tie dominates:
    # weights e-a = 1000, e-b = 1e-6: r_a -> 2, r_b -> 0, H -> 2 ln 2 / (2 ln 2) = 1.
    G = nx.Graph()
    G.add_edge("e", "a", weight=1000.0)
    G.add_edge("e", "b", weight=1e-6)
    b = ecograph.brokerage(eco_from_graph(G, weight="weight"))
    assert b.loc["e", "hierarchy"] == pytest.approx(1.0, abs=1e-6)


def test_isolates_get_nan_structural_holes(make_eco):
    eco = make_eco([("a", "firm"), ("b", "firm"), ("z", "firm")], [("a", "b", "tie")])
    b = ecograph.brokerage(eco)
    row = b.loc["z"]
    assert row["contacts"] == 0
    assert all(math.isnan(row[c]) for c in ("constraint", "effective_size", "efficiency",
                                            "hierarchy"))
    assert row["gf_total"] == 0
    # a single contact: constraint 1, effective size 1, efficiency 1
    assert b.loc["a", ["constraint", "effective_size", "efficiency"]].tolist() == [1.0, 1.0, 1.0]


# --------------------------------------------------------------------------- Gould–Fernandez


@pytest.mark.parametrize(("groups", "role"), [
    (("X", "X", "X"), "coordinator"),   # a, b, c in one group
    (("X", "Y", "X"), "itinerant"),     # a and c together, broker b outside
    (("X", "X", "Y"), "representative"),  # a and b together, c outside
    (("X", "Y", "Y"), "gatekeeper"),    # b and c together, a outside
    (("X", "Y", "Z"), "liaison"),       # all three differ
])
def test_gould_fernandez_roles_on_one_two_path(make_eco, groups, role):
    # one directed two-path a -> b -> c (supply) with no tie a -> c: b brokers exactly once
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm")],
                   [("a", "b", "supply"), ("b", "c", "supply")])
    b = ecograph.brokerage(eco, groups=pd.Series(dict(zip("abc", groups))))
    for r in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison"):
        assert b.loc["b", f"gf_{r}"] == (1 if r == role else 0)
    assert b.loc["b", "gf_total"] == 1
    assert b.loc[["a", "c"], "gf_total"].tolist() == [0, 0]


def test_gould_fernandez_closed_triads_and_directions(make_eco):
    # a -> b -> c with a -> c: not brokered. d -> b: two-path d -> b -> c, d -/-> c: brokered.
    # c -> a: two-paths c -> a -> b (c -/-> b: brokered by a) and b -> c -> a (b -/-> a:
    # brokered by c). Groups: a, b = X; c, d = Y.
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm"), ("d", "firm")],
                   [("a", "b", "supply"), ("b", "c", "supply"), ("a", "c", "supply"),
                    ("d", "b", "supply"), ("c", "a", "supply")])
    groups = {"a": "X", "b": "X", "c": "Y", "d": "Y"}
    b = ecograph.brokerage(eco, groups=groups)
    # broker b: (d, c): d Y, b X, c Y -> itinerant; (a, c) closed -> nothing
    assert b.loc["b", "gf_itinerant"] == 1 and b.loc["b", "gf_total"] == 1
    # broker a: (c, b): c Y, a X, b X -> gatekeeper; (c, c) excluded
    assert b.loc["a", "gf_gatekeeper"] == 1 and b.loc["a", "gf_total"] == 1
    # broker c: (b, a): b X, c Y, a X -> itinerant; (a, a) excluded
    assert b.loc["c", "gf_itinerant"] == 1 and b.loc["c", "gf_total"] == 1


def test_two_way_layers_count_both_orientations(make_eco):
    # Undirected tie a - b - c, groups a, b = X, c = Y: (a, c) representative, (c, a) gatekeeper.
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm")],
                   [("a", "b", "tie"), ("b", "c", "tie")])
    b = ecograph.brokerage(eco, groups={"a": "X", "b": "X", "c": "Y"})
    assert b.loc["b", ["gf_representative", "gf_gatekeeper", "gf_total"]].tolist() == [1, 1, 2]


def test_board_seats_two_way_by_default_and_directed_on_request(make_eco):
    # person p sits on boards a and b: by default p brokers a <-> b (two itinerant paths,
    # a and b are firms, p a person); with two_way=None board seats keep p -> org direction.
    eco = make_eco([("p", "person"), ("a", "firm"), ("b", "firm")],
                   [("p", "a", "board_seat", "member"), ("p", "b", "board_seat", "member")])
    assert ecograph.brokerage(eco).loc["p", "gf_itinerant"] == 2
    assert ecograph.brokerage(eco, two_way=None).loc["p", "gf_total"] == 0
    assert ecograph.brokerage(eco, two_way=[]).loc["p", "gf_total"] == 0


def test_missing_groups_are_left_out(make_eco):
    eco = make_eco([("a", "firm"), ("b", "firm"), ("c", "firm")],
                   [("a", "b", "supply"), ("b", "c", "supply")])
    b = ecograph.brokerage(eco, groups={"a": "X", "c": "Y"})  # b has no group
    assert b.loc["b", "gf_total"] == 0
    assert pd.isna(b.loc["b", "group"])


def test_groups_from_an_actor_column(make_eco):
    eco = make_eco([("a", "firm"), ("b", "cooperative"), ("c", "firm")],
                   [("a", "b", "supply"), ("b", "c", "supply")])
    b = ecograph.brokerage(eco)  # groups = kind: a firm, b cooperative, c firm -> itinerant
    assert b.loc["b", "gf_itinerant"] == 1
    assert b.loc["b", "group"] == "cooperative"
    with pytest.raises(InputError, match="not an actor column"):
        ecograph.brokerage(eco, groups="sector_code")
    with pytest.raises(InputError, match="not in the ecosystem"):
        ecograph.brokerage(eco, groups={"a": "X", "nobody": "Y"})


def test_empty_ecosystem_raises(make_eco):
    with pytest.raises(EmptyGraphError):
        ecograph.brokerage(make_eco([], []))
