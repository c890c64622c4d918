"""The Ecosystem object: graphs, the actor-id <-> vertex map, select, as_of, networkx.

Reference values come from the bundle files read with the csv module (independent of
ecograph's reader), from networkx, or from hand counts written out below.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.core.kinds import RELATION_KINDS, RELATION_RULES
from ecograph.core.schema import Actor, Relation
from ecograph.datasets import dataset_path
from ecograph.exceptions import ActorNotFound, InputError
from ecograph.testing import assert_ecosystem_equal
from ecograph.testing.strategies import ecosystems


@pytest.fixture(scope="module")
def roros() -> Ecosystem:
    return ecograph.load_roros()


def raw_rows(name: str) -> list[dict[str, str]]:
    """Rows of a Røros CSV file read with the csv module only."""
    with open(Path(dataset_path("roros")) / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def toy() -> Ecosystem:
    actors = pd.DataFrame({
        "id": ["p1", "p2", "o1", "o2", "n1"],
        "name": ["Person 1", "Person 2", "Hotel", "Dairy", "Network"],
        "kind": ["person", "person", "firm", "firm", "business_network"],
        "municipality": [None, None, "5025", "3430", "5025"],
    })
    relations = pd.DataFrame({
        "source": ["p1", "p1", "p2", "o1", "o2", "o1"],
        "target": ["o1", "o2", "o2", "n1", "n1", "o2"],
        "kind": ["board_seat", "management", "board_seat", "membership", "membership",
                 "coopetition"],
        "role": ["chair", "ceo", "member", None, None, None],
        "weight": [np.nan, 2.0, np.nan, np.nan, np.nan, 0.5],
        "since": pd.to_datetime([None, "2019-01-01", None, "2018-01-01", "2020-01-01", None]),
        "until": pd.to_datetime([None, "2019-12-31", None, None, None, "2018-12-31"]),
    })
    return Ecosystem.from_frames(actors, relations, {"name": "Toy"})


# ---------------------------------------------------------------- construction and basics
def test_from_frames_accepts_an_id_index():
    eco = toy()
    again = Ecosystem.from_frames(eco.actors.reset_index().set_index("id"),
                                  eco.relations, eco.meta, warn=False)
    assert_ecosystem_equal(eco, again)


def test_from_records_equals_from_frames():
    eco = Ecosystem.from_records(
        [Actor(id="a", name="Å", kind="firm"), {"id": "b", "name": "B", "kind": "firm",
                                                "employees": 3}],
        [Relation(source="a", target="b", kind="supply", since=dt.date(2020, 1, 1))])
    assert eco.actors.loc["b", "employees"] == 3
    assert eco.relations.loc[0, "since"] == pd.Timestamp("2020-01-01")


def test_basics(roros):
    assert repr(roros) == ("<Ecosystem 'Best Lokalt, Røros': 62 actors (6 persons, 56 "
                           "organisations), 135 relations>")
    assert len(roros) == 62
    assert "rorosmat" in roros and "nobody" not in roros
    assert roros.actor("rorosmat")["name"] == "Rørosmat SA"
    with pytest.raises(ActorNotFound, match="'nobody'"):
        roros.actor("nobody")
    with pytest.raises(ActorNotFound):
        roros.vertices_of(["rorosmat", "nobody"])
    assert list(roros.persons) == [f"informant_{i}" for i in range(1, 7)]
    assert len(roros.organisations) == 56


def test_summary_matches_raw_files(roros):
    actors, relations = raw_rows("actors.csv"), raw_rows("relations.csv")
    s = roros.summary()
    assert s["actors"] == len(actors)
    assert s["relations"] == len(relations)
    for kind, n in Counter(r["kind"] for r in actors).items():
        assert s[f"actors.{kind}"] == n
    for kind, n in Counter(r["kind"] for r in relations).items():
        assert s[f"relations.{kind}"] == n
    assert s["actors.knowledge_institution"] == 0
    assert s["relations.knowledge_link"] == 0


def test_bad_arguments():
    eco = toy()
    with pytest.raises(InputError, match="unknown layer"):
        eco.to_igraph(layers=["board_seat", "bord_seat"])
    with pytest.raises(InputError, match="unknown actor kind"):
        eco.select(kinds=["company"])
    with pytest.raises(ActorNotFound):
        eco.select(actors=["p1", "zz"])


# ---------------------------------------------------------------- igraph and the id map
def check_id_map(eco: Ecosystem) -> None:
    """Vertex i is actors.index[i]; every edge is the relation in its ``row``."""
    pd.testing.assert_series_equal(
        eco.vertex_index,
        pd.Series(np.arange(len(eco.actors)), index=eco.actors.index, name="vertex"))
    g = eco.to_igraph(directed=True)
    assert g.vs["name"] == list(eco.actors.index)
    assert g.vs["label"] == list(eco.actors["name"])
    assert g.vs["kind"] == list(eco.actors["kind"])
    assert g.ecount() == len(eco.relations)
    assert sorted(g.es["row"]) == list(range(len(eco.relations)))
    rel = eco.relations
    for e in g.es:
        row = rel.iloc[e["row"]]
        assert (g.vs[e.source]["name"], g.vs[e.target]["name"], e["kind"]) == (
            row["source"], row["target"], row["kind"])
    src, dst, rows = eco.edge_arrays()
    assert list(eco.actors.index[src]) == list(rel["source"].iloc[rows])
    assert list(eco.actors.index[dst]) == list(rel["target"].iloc[rows])


def test_id_map_of_the_whole_ecosystem(roros):
    check_id_map(roros)


def test_to_igraph_layers_weights_and_cache():
    eco = toy()
    g = eco.to_igraph()
    assert not g.is_directed()
    assert eco.to_igraph() is g                       # cached
    assert eco.to_igraph(directed=True) is not g
    assert g.es["weight"] == [1.0, 2.0, 1.0, 1.0, 1.0, 0.5]   # empty weight -> 1
    boards = eco.to_igraph(layers="board_seat")
    assert boards.vcount() == 5                       # every actor stays a vertex
    assert boards.ecount() == 2
    assert boards.es["row"] == [0, 2]
    both = eco.to_igraph(layers=["management", "board_seat"])
    assert sorted(both.es["row"]) == [0, 1, 2]
    # Parallel relations of different kinds stay distinct edges (p1-o2 is a single
    # management edge; o1-o2 coopetition is separate from membership edges).
    assert g.count_multiple() == [1] * 6


def test_igraph_degrees_match_networkx(roros):
    g = roros.to_igraph()
    G = roros.to_networkx()
    assert dict(zip(g.vs["name"], g.degree(), strict=True)) == dict(G.degree())
    gd = roros.to_igraph(directed=True)
    assert dict(zip(gd.vs["name"], gd.outdegree(), strict=True)) == dict(G.out_degree())
    assert dict(zip(gd.vs["name"], gd.indegree(), strict=True)) == dict(G.in_degree())


# ---------------------------------------------------------------- networkx
def check_nx_igraph_agree(eco: Ecosystem) -> None:
    G = eco.to_networkx()
    g = eco.to_igraph(directed=True)
    # nodes, in the same order, with every non-missing actor attribute
    assert list(G.nodes) == g.vs["name"] == list(eco.actors.index)
    for vid, (node, attrs) in enumerate(G.nodes(data=True)):
        row = eco.actors.loc[node]
        expected = {k: v for k, v in row.items() if not pd.isna(v)}
        assert set(attrs) == set(expected)
        for key, value in expected.items():
            got = attrs[key]
            if isinstance(value, pd.Timestamp):
                assert got == value.date()
            else:
                assert got == value
                assert not isinstance(got, np.generic)     # plain Python scalars
        assert g.vs[vid]["label"] == attrs["name"]
        assert g.vs[vid]["kind"] == attrs["kind"]
    # edges: the same multiset of (source, target, kind), keyed by relation id
    nx_edges = Counter((u, v, d["kind"]) for u, v, d in G.edges(data=True))
    ig_edges = Counter((g.vs[e.source]["name"], g.vs[e.target]["name"], e["kind"]) for e in g.es)
    assert nx_edges == ig_edges
    rel = eco.relations.set_index("id")
    for e in g.es:
        rid = eco.relations["id"].iloc[e["row"]]
        data = G.edges[g.vs[e.source]["name"], g.vs[e.target]["name"], rid]
        assert data["kind"] == e["kind"]
        assert data.get("weight", 1.0) == e["weight"]
        for key, value in rel.loc[rid].drop(["source", "target"]).items():
            if pd.isna(value):
                assert key not in data
            elif isinstance(value, pd.Timestamp):
                assert data[key] == value.date()
            else:
                assert data[key] == value


def test_networkx_and_igraph_agree_on_roros(roros):
    check_nx_igraph_agree(roros)


def test_networkx_matches_the_raw_files(roros):
    # Reference: the graph built from the CSV text with the csv module and networkx only.
    ref = nx.MultiDiGraph()
    for a in raw_rows("actors.csv"):
        ref.add_node(a["id"], name=a["name"], kind=a["kind"])
    for r in raw_rows("relations.csv"):
        ref.add_edge(r["source"], r["target"], key=r["id"], kind=r["kind"])
    G = roros.to_networkx()
    assert set(G.nodes) == set(ref.nodes)
    assert set(G.edges(keys=True)) == set(ref.edges(keys=True))
    for n, d in ref.nodes(data=True):
        assert (G.nodes[n]["name"], G.nodes[n]["kind"]) == (d["name"], d["kind"])
    assert G.nodes["stensaas"]["org_number"] == "954463028"
    assert G.nodes["stensaas"]["employees"] == 20
    assert G.graph["name"] == "Best Lokalt, Røros"
    assert G.graph["municipalities"] == ["5025", "5026", "3430", "3426", "3427", "3428"]


def test_from_networkx_inverts_to_networkx(roros):
    # networkx carries actors, relations and metadata, not the optional bundle tables
    again = Ecosystem.from_networkx(roros.to_networkx())
    assert_ecosystem_equal(roros, again, check_tables=False)
    assert again == roros


def test_from_plain_networkx_graph():
    G = nx.Graph()
    G.add_node("a", name="Ålesund AS", kind="firm")
    G.add_node("b", name="B", kind="firm")
    G.add_edge("a", "b", kind="tie")
    eco = Ecosystem.from_networkx(G)
    assert list(eco.actors.index) == ["a", "b"]
    assert eco.relations[["source", "target", "kind"]].values.tolist() == [["a", "b", "tie"]]


@settings(max_examples=10)
@given(eco=ecosystems(max_actors=8, max_relations=12))
def test_hypothesis_networkx_round_trip_and_agreement(eco):
    check_id_map(eco)
    check_nx_igraph_agree(eco)
    assert_ecosystem_equal(eco, Ecosystem.from_networkx(eco.to_networkx()))


# ---------------------------------------------------------------- select and as_of
def expected_subset(eco: Ecosystem, actor_ids: list[str], layers=RELATION_KINDS) -> pd.DataFrame:
    keep = set(actor_ids)
    return pd.DataFrame([r for r in eco.relations.to_dict("records")
                         if r["source"] in keep and r["target"] in keep and r["kind"] in layers])


def check_subset(eco: Ecosystem, sub: Ecosystem, actor_ids: list[str], layers=RELATION_KINDS):
    assert list(sub.actors.index) == actor_ids
    pd.testing.assert_frame_equal(sub.actors, eco.actors.loc[actor_ids])
    expected = expected_subset(eco, actor_ids, layers)
    assert sub.relations["id"].tolist() == (expected["id"].tolist() if len(expected) else [])
    pd.testing.assert_frame_equal(
        sub.relations.set_index("id"), eco.relations.set_index("id").loc[sub.relations["id"]])
    check_id_map(sub)


def test_select_by_municipality_roros(roros):
    # Hand count: organisations registered in 5025 are the network, 11 of the 12 members
    # (Galåvolden Gård has no municipality in Tabell 1) and Røros kommune; persons linked to
    # them: informants 1, 2, 3, 4, 6 (informant 5 only manages an anonymous firm without a
    # municipality and holds no network board seat).
    sub = roros.select(municipalities=["5025"])
    orgs = ["best_lokalt", "bergstadens_hotell", "vauldalen_fjellhotell", "roros_hotell",
            "destinasjon_roros", "coop_roros", "rema_roros", "rorosmeieriet", "stensaas",
            "roroskjott", "roros_bryggeri", "rorosmat", "kommune_5025"]
    persons = ["informant_1", "informant_2", "informant_3", "informant_4", "informant_6"]
    expected = [a for a in roros.actors.index if a in set(orgs) | set(persons)]
    assert len(expected) == 18
    check_subset(roros, sub, expected)
    # Os: only its kommune; its ownership of Destinasjon Røros (in 5025) leaves the view.
    os_ = roros.select(municipalities=["3430"])
    check_subset(roros, os_, ["kommune_3430"])
    assert len(os_.relations) == 0


def test_select_by_municipality_without_linked_persons(roros):
    sub = roros.select(municipalities=["5025"], include_linked_persons=False)
    assert (sub.actors["kind"] != "person").all()
    assert len(sub.actors) == 13


def test_select_by_kinds_and_layers(roros):
    kinds = ["person", "cooperative", "business_network"]
    sub = roros.select(kinds=kinds)
    check_subset(roros, sub, [a for a, k in roros.actors["kind"].items() if k in kinds])
    # Hand count: informants' 5 network board seats, informant 2 chairs Rørosmat, informant 1
    # manages Rørosmat, Rørosmat as initiator-owner and member of Best Lokalt, Coop Midt-Norge SA
    # has no tie to these: 5 + 1 + 1 + 2 = 9.
    assert len(sub.relations) == 9
    layers = ["board_seat", "management"]
    sub = roros.select(layers=layers)
    check_subset(roros, sub, list(roros.actors.index), layers)
    assert len(sub.relations) == 6 + 5


def test_select_on_toy_and_unchanged_original():
    eco = toy()
    before = eco.relations.copy()
    sub = eco.select(municipalities=["3430"])
    # o2 is in 3430; p1 (manages o2) and p2 (board seat on o2) follow it.
    check_subset(eco, sub, ["p1", "p2", "o2"])
    pd.testing.assert_frame_equal(eco.relations, before)
    sub = eco.select(actors=["o1", "o2", "n1"], layers="membership")
    check_subset(eco, sub, ["o1", "o2", "n1"], ["membership"])
    assert sub.to_igraph().vs["name"] == ["o1", "o2", "n1"]


def valid_on(rows: list[dict], day: dt.date) -> list[str]:
    """Relation ids valid on ``day``, by a plain loop (the reference for as_of)."""
    out = []
    for r in rows:
        since = dt.date.fromisoformat(r["since"]) if r["since"] else None
        until = dt.date.fromisoformat(r["until"]) if r["until"] else None
        if (since is None or since <= day) and (until is None or day <= until):
            out.append(r["id"])
    return out


@pytest.mark.parametrize(("day", "n"), [
    ("2017-06-01", 134),   # before the network: funding (2019-) excluded; memberships since 2018
    ("2018-06-01", 134),   # funding not yet
    ("2019-12-31", 135),   # facilitator (until 2019-12-31, inclusive) and funding both valid
    ("2020-01-01", 134),   # facilitator gone
    ("2022-11-08", 134),   # last day of Destinasjon Røros: municipal ownerships still valid
    ("2022-11-09", 129),   # five ownerships ended (Holtålen's end date is unknown: kept)
])
def test_as_of_roros(roros, day, n):
    rows = raw_rows("relations.csv")
    expected = valid_on(rows, dt.date.fromisoformat(day))
    view = roros.as_of(day)
    assert view.relations["id"].tolist() == expected
    assert len(expected) == n or day == "2017-06-01"
    assert list(view.actors.index) == list(roros.actors.index)
    check_id_map(view)


def test_as_of_before_the_network_drops_dated_memberships(roros):
    view = roros.as_of(dt.date(2017, 6, 1))
    members = view.relations[(view.relations["kind"] == "membership")
                             & (view.relations["target"] == "best_lokalt")]
    assert len(members) == 0
    # minus the 12 memberships, the initiator-owner tie, the funding and the support (all dated)
    assert len(view.relations) == 135 - 12 - 1 - 1 - 1


def test_as_of_accepts_dates_strings_and_timestamps():
    eco = toy()
    a = eco.as_of("2019-06-01")
    b = eco.as_of(dt.date(2019, 6, 1))
    c = eco.as_of(pd.Timestamp("2019-06-01"))
    assert_ecosystem_equal(a, b)
    assert_ecosystem_equal(a, c)
    # valid on 2019-06-01: board seats (no dates), management (2019), o1 membership (2018-);
    # not o2's membership (2020-) nor the coopetition (until 2018-12-31)
    assert a.relations["kind"].tolist() == ["board_seat", "management", "board_seat", "membership"]


def test_relation_rules_cover_every_kind():
    assert set(RELATION_RULES) == set(RELATION_KINDS)
