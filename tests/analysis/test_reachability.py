"""reachability: shortest person-mediated paths (hand-computed and against networkx)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

import ecograph
from ecograph.exceptions import EmptyGraphError, InputError


@pytest.fixture
def chain(make_eco):
    # hotel -p1- dairy -p2- uni (knowledge institution); dairy -supply-> shop (no person);
    # p3 sits on the county's board (public body) and is tied to p2; lonely firm has nobody.
    eco = make_eco(
        [("p1", "person"), ("p2", "person"), ("p3", "person"), ("hotel", "firm"),
         ("dairy", "firm"), ("shop", "firm"), ("uni", "knowledge_institution"),
         ("county", "public_body"), ("lonely", "firm")],
        [("p1", "hotel", "board_seat", "member"), ("p1", "dairy", "board_seat", "chair"),
         ("p2", "dairy", "management", "ceo"), ("p2", "uni", "board_seat", "member"),
         ("dairy", "shop", "supply"), ("p3", "county", "board_seat", "member"),
         ("p2", "p3", "tie")])
    return eco


def test_paths_and_lengths(chain):
    r = ecograph.reachability(chain)
    assert list(r.index) == ["hotel", "dairy", "shop", "uni", "county", "lonely"]
    # hotel -> p1 -> dairy -> p2 -> uni: 4 relations
    assert r.loc["hotel", "knowledge_institution_path"] == ["hotel", "p1", "dairy", "p2", "uni"]
    assert r.loc["hotel", "knowledge_institution_length"] == 4.0
    assert r.loc["hotel", "knowledge_institution_target"] == "uni"
    assert r.loc["dairy", "knowledge_institution_length"] == 2.0
    # the knowledge institution itself: length 0, path [itself]
    assert r.loc["uni", "knowledge_institution_length"] == 0.0
    assert r.loc["uni", "knowledge_institution_path"] == ["uni"]
    # public body through a person-to-person tie: dairy -> p2 -> p3 -> county
    assert r.loc["dairy", "public_body_path"] == ["dairy", "p2", "p3", "county"]
    # the shop is linked only by supply: no person-mediated path -> NaN, <NA>, []
    assert math.isnan(r.loc["shop", "knowledge_institution_length"])
    assert r.loc["shop", "knowledge_institution_path"] == []
    assert r["knowledge_institution_target"].isna()["shop"]
    assert math.isnan(r.loc["lonely", "public_body_length"])
    # no support organisation and no external actor at all
    assert r["support_organisation_length"].isna().all()
    assert r["external_path"].map(len).eq(0).all()


def test_direct_organisation_links_with_via_persons_false(chain):
    r = ecograph.reachability(chain, via_persons=False)
    assert r.loc["shop", "knowledge_institution_path"] == ["shop", "dairy", "p2", "uni"]
    assert r.loc["shop", "knowledge_institution_length"] == 3.0


def test_external_actors_and_target_selection(make_eco):
    eco = make_eco([("p", "person"), ("a", "firm"), ("x", "firm")],
                   [("p", "a", "board_seat", "member"), ("p", "x", "board_seat", "member")])
    actors = eco.actors.reset_index()
    actors["external"] = actors["id"] == "x"
    eco = ecograph.Ecosystem.from_frames(actors, eco.relations, warn=False)
    r = ecograph.reachability(eco, targets="external")
    assert list(r.columns) == ["external_length", "external_target", "external_path"]
    assert r.loc["a", "external_path"] == ["a", "p", "x"]
    assert r.loc["x", "external_length"] == 0.0
    r2 = ecograph.reachability(eco, targets=["firm"])
    assert r2.loc["a", "firm_length"] == 0.0


def test_lengths_match_networkx_multi_source_bfs(make_eco):
    G = nx.gnm_random_graph(40, 60, seed=4)
    kinds = ["person" if v % 2 else "firm" for v in G]
    kinds[0] = kinds[2] = "knowledge_institution"
    eco = make_eco([(str(v), kinds[v]) for v in G],
                   [(str(u), str(v), "tie") for u, v in G.edges()])
    r = ecograph.reachability(eco, targets="knowledge_institution", via_persons=False)
    lengths = nx.multi_source_dijkstra_path_length(nx.relabel_nodes(G, str), {"0", "2"})
    for org in r.index:
        expected = lengths.get(org, math.nan)
        got = r.loc[org, "knowledge_institution_length"]
        assert (math.isnan(got) and math.isnan(expected)) or got == expected
        path = r.loc[org, "knowledge_institution_path"]
        if path:  # a real path of that length through existing relations
            assert len(path) == got + 1 and path[-1] in {"0", "2"}
            assert all(G.has_edge(int(u), int(v)) for u, v in itertools.pairwise(path))


def test_roros_has_no_knowledge_institution_within_reach():
    # the thesis states Best Lokalt has no formal R&D link; the bundle has no knowledge
    # institution, so every organisation is "unreachable" (NaN), not missing data
    r = ecograph.reachability(ecograph.load_roros())
    assert r["knowledge_institution_length"].isna().all()
    assert len(r) == 56


def test_bad_targets_and_empty(make_eco, chain):
    with pytest.raises(InputError, match="reachability target"):
        ecograph.reachability(chain, targets=["university"])
    with pytest.raises(InputError, match="reachability target"):
        ecograph.reachability(chain, targets="person")
    with pytest.raises(EmptyGraphError):
        ecograph.reachability(make_eco([], []))
