"""Interlocks and the person projection, against networkx's bipartite projections."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite

import ecograph
from ecograph.exceptions import InputError

NX_METHODS = {
    "count": lambda B, nodes: bipartite.weighted_projected_graph(B, nodes),
    "newman": lambda B, nodes: bipartite.collaboration_weighted_projected_graph(B, nodes),
    "jaccard": lambda B, nodes: bipartite.overlap_weighted_projected_graph(B, nodes, jaccard=True),
    "overlap": lambda B, nodes: bipartite.overlap_weighted_projected_graph(B, nodes, jaccard=False),
    # with one relation per (woman, event) every strength is 1, so minimum = shared count
    "minimum": lambda B, nodes: bipartite.generic_weighted_projected_graph(
        B, nodes, weight_function=lambda G, u, v: len(set(G[u]) & set(G[v]))),
}


def _as_pairs(P: nx.Graph) -> dict[tuple[str, str], float]:
    return {tuple(sorted((u, v))): d["weight"] for u, v, d in P.edges(data=True)}


@pytest.mark.parametrize("method", list(NX_METHODS))
def test_davis_event_projection_matches_networkx(davis, method):
    eco, B = davis
    events = list(B.graph["bottom"])
    ours = ecograph.interlocks(eco, method=method)
    ref = _as_pairs(NX_METHODS[method](B, events))
    assert len(ours) == len(ref)
    got = {(a, b): w for a, b, w in ours[["org_a", "org_b", "weight"]].itertuples(index=False)}
    assert set(got) == set(ref)
    np.testing.assert_allclose([got[k] for k in sorted(ref)], [ref[k] for k in sorted(ref)],
                               atol=1e-12)
    # shared persons are the common neighbours, sorted
    for a, b, shared, persons in ours[["org_a", "org_b", "shared_persons", "persons"]].itertuples(
            index=False):
        common = sorted(set(B[a]) & set(B[b]))
        assert persons == common and shared == len(common)


@pytest.mark.parametrize("method", list(NX_METHODS))
def test_davis_women_projection_matches_networkx(davis, method):
    eco, B = davis
    women = list(B.graph["top"])
    ours = ecograph.person_projection(eco, method=method)
    ref = _as_pairs(NX_METHODS[method](B, women))
    cols = ["person_a", "person_b", "weight"]
    got = {(a, b): w for a, b, w in ours[cols].itertuples(index=False)}
    assert set(got) == set(ref)
    np.testing.assert_allclose([got[k] for k in sorted(ref)], [ref[k] for k in sorted(ref)],
                               atol=1e-12)
    first = ours.iloc[0]
    assert first["organisations"] == sorted(set(B[first["person_a"]]) & set(B[first["person_b"]]))


def test_davis_projection_size_and_order(davis):
    eco, B = davis
    ours = ecograph.interlocks(eco)
    assert (ours["org_a"] < ours["org_b"]).all()
    keys = list(zip(ours["org_a"], ours["org_b"]))
    assert keys == sorted(keys)
    assert ours["shared_persons"].dtype == np.int64 and ours["weight"].dtype == np.float64
    assert len(ours) == bipartite.projected_graph(B, list(B.graph["bottom"])).number_of_edges()


def test_hand_computed_methods_with_multiple_roles(make_eco):
    # p1: chair and CEO of A (two relations, strength 1 + 1 = 2) and member of B;
    # p2: member of A and B; p3: member of B and C.
    # A-B share p1, p2: count 2; newman: p1 in 2 orgs -> 1/(2-1), p2 in 2 orgs -> 1: 2.0;
    # minimum: min(s_p1A=2, s_p1B=1) + min(1, 1) = 2; |P(A)| = 2, |P(B)| = 3 -> jaccard 2/3,
    # overlap 2/2. B-C share p3: count 1, newman 1/(2-1) = 1, jaccard 1/3, overlap 1/1.
    eco = make_eco([("p1", "person"), ("p2", "person"), ("p3", "person"),
                    ("A", "firm"), ("B", "firm"), ("C", "firm")],
                   [("p1", "A", "board_seat", "chair"), ("p1", "A", "management", "ceo"),
                    ("p1", "B", "board_seat", "member"), ("p2", "A", "board_seat", "member"),
                    ("p2", "B", "board_seat", "member"), ("p3", "B", "board_seat", "member"),
                    ("p3", "C", "board_seat", "member")])
    expected = {"count": [2, 1], "newman": [2.0, 1.0], "jaccard": [2 / 3, 1 / 3],
                "overlap": [1.0, 1.0], "minimum": [2.0, 1.0]}
    for method, weights in expected.items():
        out = ecograph.interlocks(eco, method=method)
        assert out[["org_a", "org_b"]].values.tolist() == [["A", "B"], ["B", "C"]]
        np.testing.assert_allclose(out["weight"], weights)
        assert out["shared_persons"].tolist() == [2, 1]
        assert out["persons"].tolist() == [["p1", "p2"], ["p3"]]
    # relation weights are strengths: s_pA = 3, s_pB = 2 -> minimum = 2; weight=None -> 1
    heavy = make_eco([("p", "person"), ("A", "firm"), ("B", "firm")],
                     [("p", "A", "board_seat", "chair", {"weight": 3.0}),
                      ("p", "B", "board_seat", "member", {"weight": 2.0})])
    assert ecograph.interlocks(heavy, method="minimum")["weight"].tolist() == [2.0]
    assert ecograph.interlocks(heavy, method="minimum", weight=None)["weight"].tolist() == [1.0]


def test_roles_and_layers_select_the_two_mode_graph(make_eco):
    # p is chair of A and deputy member of B; q owns shares of A and B; firm F owns B.
    eco = make_eco([("p", "person"), ("q", "person"), ("A", "firm"), ("B", "firm"),
                    ("F", "firm")],
                   [("p", "A", "board_seat", "chair"), ("p", "B", "board_seat", "deputy_member"),
                    ("q", "A", "ownership", None, {"share": 0.5}),
                    ("q", "B", "ownership", None, {"share": 0.5}),
                    ("F", "B", "ownership", None, {"share": 0.5})])
    assert ecograph.interlocks(eco)["persons"].tolist() == [["p"]]
    assert ecograph.interlocks(eco, roles=["chair", "member"]).empty
    assert ecograph.interlocks(eco, roles="chair").empty
    own = ecograph.interlocks(eco, layers="ownership")  # organisation owners do not count
    assert own["persons"].tolist() == [["q"]]
    both = ecograph.interlocks(eco, layers=["board_seat", "ownership"])
    assert both["persons"].tolist() == [["p", "q"]] and both["shared_persons"].tolist() == [2]


def test_no_interlocks_gives_an_empty_typed_frame(make_eco):
    eco = make_eco([("p", "person"), ("A", "firm")], [("p", "A", "board_seat", "chair")])
    out = ecograph.interlocks(eco)
    assert out.empty
    assert list(out.columns) == ["org_a", "org_b", "shared_persons", "persons", "weight"]
    assert out["shared_persons"].dtype == np.int64
    people = ecograph.person_projection(eco)
    assert list(people.columns) == ["person_a", "person_b", "shared_organisations",
                                    "organisations", "weight"]
    assert ecograph.interlocks(make_eco([("A", "firm")], [])).empty


def test_persons_column_can_be_skipped(davis):
    eco, _ = davis
    out = ecograph.interlocks(eco, persons=False)
    assert out["persons"].isna().all()
    pd.testing.assert_series_equal(out["weight"], ecograph.interlocks(eco)["weight"])


def test_bad_arguments(davis):
    eco, _ = davis
    with pytest.raises(InputError, match="projection method"):
        ecograph.interlocks(eco, method="cosine")
    with pytest.raises(InputError, match="unknown layer"):
        ecograph.interlocks(eco, layers="board")
    with pytest.raises(InputError, match="at least one role"):
        ecograph.interlocks(eco, roles=[])
