"""Every thin-and-dense measure on Hypothesis-generated typed ecosystems.

One generated ecosystem is checked against networkx (or a plain-Python brute force
written here) for every analysis at once, because generating a valid ecosystem is
the expensive part.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from networkx.algorithms import bipartite

import ecograph
from ecograph.analysis.brokerage import GF_ROLES, TWO_WAY_LAYERS
from ecograph.core.kinds import RELATION_RULES
from ecograph.testing.strategies import ecosystems

from .conftest import compare_with_networkx, nx_simple


def _affiliation_graph(eco, layers=("board_seat", "management")):
    """Person-organisation graph built row by row (the reference for interlocks)."""
    kinds = eco.actors["kind"]
    B = nx.Graph()
    orgs = [a for a in eco.actors.index if kinds[a] != "person"]
    persons = [a for a in eco.actors.index if kinds[a] == "person"]
    B.add_nodes_from(orgs, bipartite=1)
    B.add_nodes_from(persons, bipartite=0)
    for rec in eco.relations.itertuples(index=False):
        one_person = (kinds[rec.source] == "person") != (kinds[rec.target] == "person")
        if rec.kind in layers and one_person:
            B.add_edge(rec.source, rec.target)
    return B, orgs


def _gould_fernandez_brute_force(eco, groups):
    """Count brokered two-paths a -> b -> c (no a -> c) per role, with plain Python."""
    D = nx.DiGraph()
    D.add_nodes_from(eco.actors.index)
    two_way = set(TWO_WAY_LAYERS) | {k for k, r in RELATION_RULES.items() if not r.directed}
    for rec in eco.relations.itertuples(index=False):
        w = 1.0 if math.isnan(rec.weight) else rec.weight
        if w <= 0 or rec.source == rec.target:
            continue
        D.add_edge(rec.source, rec.target)
        if rec.kind in two_way:
            D.add_edge(rec.target, rec.source)
    counts = {v: dict.fromkeys(GF_ROLES, 0) for v in D}
    for b in D:
        for a, c in itertools.product(D.predecessors(b), D.successors(b)):
            if a == c or D.has_edge(a, c):
                continue
            ga, gb, gc = groups[a], groups[b], groups[c]
            if ga == gb == gc:
                role = "coordinator"
            elif ga == gc:
                role = "itinerant"
            elif ga == gb:
                role = "representative"
            elif gb == gc:
                role = "gatekeeper"
            else:
                role = "liaison"
            counts[b][role] += 1
    return counts


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(ecosystems(max_actors=12, max_relations=25, extra_columns=False))
def test_every_measure_on_generated_ecosystems(eco):
    G = nx_simple(eco)
    ids = list(eco.actors.index)

    # node metrics: unweighted everything, weighted paths without betweenness ties
    compare_with_networkx(eco, G)
    compare_with_networkx(eco, G, weighted=True, atol=1e-5, betweenness=False)

    # Burt's measures (weighted, networkx's per-node formulas)
    b = ecograph.brokerage(eco)
    ref_c = nx.constraint(G, weight="weight")
    ref_e = nx.effective_size(G, weight="weight", nodes=list(G))
    np.testing.assert_allclose(b["constraint"], [ref_c[v] for v in ids], atol=1e-9)
    np.testing.assert_allclose(b["effective_size"], [ref_e[v] for v in ids], atol=1e-9)

    # Gould–Fernandez roles with kind as the group
    gf = _gould_fernandez_brute_force(eco, eco.actors["kind"].to_dict())
    for role in GF_ROLES:
        assert b[f"gf_{role}"].tolist() == [gf[v][role] for v in ids]

    # interlocks: networkx's weighted projection onto organisations
    B, orgs = _affiliation_graph(eco)
    projected = bipartite.weighted_projected_graph(B, orgs) if len(orgs) < len(B) else nx.Graph()
    ref = {tuple(sorted((u, v))): d["weight"] for u, v, d in projected.edges(data=True)}
    il = ecograph.interlocks(eco)
    assert {(a, c): s for a, c, s in il[["org_a", "org_b", "shared_persons"]].itertuples(
        index=False)} == ref

    # reachability: person-mediated multi-source BFS
    kinds = eco.actors["kind"]
    P = nx.Graph()
    P.add_nodes_from(ids)
    P.add_edges_from((u, v) for u, v in G.edges() if "person" in (kinds[u], kinds[v]))
    targets = [a for a in ids if kinds[a] == "public_body"]
    r = ecograph.reachability(eco, targets="public_body")
    lengths = nx.multi_source_dijkstra_path_length(P, targets) if targets else {}
    for org in r.index:
        got = r.loc[org, "public_body_length"]
        assert (math.isnan(got) and org not in lengths) or got == lengths[org]

    # key persons: component arithmetic against removing each person in networkx
    kp = ecograph.key_persons(eco)
    H = nx_simple(eco, weight=None)
    for person in kp.index:
        R = H.copy()
        R.remove_node(person)
        sizes = [len(c) for c in nx.connected_components(R)]
        assert kp.loc[person, "largest_component"] == max(sizes, default=0)
        assert kp.loc[person, "components"] == len(sizes)

    # profile: structure of the combined graph
    p = ecograph.thin_dense_profile(eco, n_null=3)
    assert p["components"] == nx.number_connected_components(H)
    if len(H) > 1:
        assert math.isclose(p["density"], nx.density(H))
    t = nx.transitivity(H)
    assert (math.isnan(p["transitivity"]) and t == 0) or math.isclose(p["transitivity"], t)
    assert p["interlocks"] == len(ref)
