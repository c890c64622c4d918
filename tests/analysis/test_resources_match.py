"""self_map and match_resources on a hand-built ecosystem with the answers written out.

The toy ecosystem (undirected view)::

    p1 (chair of f1, member of f3's board)
    f1 -- net -- f2        f1, f2, f3 are members of the network `net`
     |     \\
     |      f3 -- f4 -- p2  f3 supplies f4; p2 manages f4
    coop -- f2             f1 and f2 are member-owners of the cooperative `coop`
    f1 == f2               co-opetition: competitor 0.8, partner 0.2 (rivals)
    iso                    an isolated firm

Distances from f1 (breadth-first by hand): net, coop, p1, f2 at 1; f3 at 2
(f1-net-f3 or f1-p1-f3); f4 at 3; p2 at 4; iso unreachable.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.analysis.resources import MATCH_COLUMNS, SelfMap, match_resources, self_map
from ecograph.exceptions import ActorNotFound, InputError

ACTORS = pd.DataFrame({
    "id": ["f1", "f2", "f3", "f4", "iso", "net", "coop", "p1", "p2"],
    "name": ["Dairy", "Meat", "Brewery", "Cheese", "Island", "Network", "Coop", "Person 1",
             "Person 2"],
    "kind": ["firm", "firm", "firm", "firm", "firm", "business_network", "cooperative", "person",
             "person"],
    "employees": [3, 2, 8, 1, 2, None, None, None, None],
})
RELATIONS = pd.DataFrame({
    "source": ["f1", "f2", "f3", "f1", "f2", "p1", "p1", "f1", "f3", "p2"],
    "target": ["net", "net", "net", "coop", "coop", "f1", "f3", "f2", "f4", "f4"],
    "kind": ["membership", "membership", "membership", "membership", "membership", "board_seat",
             "board_seat", "coopetition", "supply", "management"],
    "role": [None, None, None, None, None, "chair", "member", None, None, "ceo"],
    "competitor_intensity": [None] * 7 + [0.8, None, None],
    "partner_intensity": [None] * 7 + [0.2, None, None],
})
RESOURCES = pd.DataFrame({
    "actor": ["f1", "f2", "f3", "f4", "iso", "f1", "f2", "f3", "p2", "f2"],
    "direction": ["needs", "has", "has", "has", "has", "needs", "needs", "needs", "needs", "has"],
    "category": ["physical"] * 5 + ["organisational", "physical", "physical", "physical",
                                    "physical"],
    "item": ["production_capacity"] * 5 + ["test_arena", "processing_plant", "processing_plant",
                                           "Cold storage", "cold-storage"],
    "quantity": [None, 2, 1, None, 5, None, None, None, 10, 40],
})


@pytest.fixture(scope="module")
def eco() -> ecograph.Ecosystem:
    return ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, {"name": "Toy"},
                                          tables={"resources": RESOURCES}, warn=False)


@pytest.fixture(scope="module")
def matches(eco: ecograph.Ecosystem) -> pd.DataFrame:
    return match_resources(eco)


def _row(frame: pd.DataFrame, actor: str, item: str, provider: object = None) -> pd.Series:
    sel = (frame["actor"] == actor) & (frame["item"] == item)
    sel &= frame["provider"].isna() if provider is None else frame["provider"] == provider
    rows = frame[sel.fillna(False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --------------------------------------------------------------------------- self map
def test_self_map_network_matches_hand_and_networkx(eco: ecograph.Ecosystem) -> None:
    sm = self_map(eco, "f1")
    assert isinstance(sm, SelfMap)
    assert sm.network["distance"].to_dict() == {"coop": 1, "f2": 1, "net": 1, "p1": 1, "f3": 2}
    # reference: networkx on the undirected simple view of the same relations
    g = nx.Graph(eco.to_networkx().to_undirected())
    ref = nx.single_source_shortest_path_length(g, "f1", cutoff=2)
    assert sm.network["distance"].to_dict() == {k: v for k, v in ref.items() if k != "f1"}
    assert sm.network.index.name == "actor_id"


def test_self_map_paths_are_real_relations(eco: ecograph.Ecosystem) -> None:
    sm = self_map(eco, "f1", distance=4)
    assert sm.network.loc["p2", "distance"] == 4
    rel = eco.relations
    for actor, rec in sm.network.iterrows():
        path, via = rec["path"], rec["via"]
        assert path[0] == "f1" and path[-1] == actor
        assert len(path) == rec["distance"] + 1 == len(via) + 1
        assert rec["first_hop"] == path[1]
        for (u, v), kind in zip(itertools.pairwise(path), via, strict=True):
            joined = ((rel["source"] == u) & (rel["target"] == v)) | (
                (rel["source"] == v) & (rel["target"] == u))
            assert kind in set(rel.loc[joined, "kind"]), (u, v, kind)
    assert "iso" not in sm.network.index


def test_self_map_roles_resources_and_reach(eco: ecograph.Ecosystem) -> None:
    sm = self_map(eco, "f1")
    roles = sm.roles.set_index("other")
    assert roles["direction"].to_dict() == {"net": "out", "coop": "out", "p1": "in", "f2": "mutual"}
    assert roles.loc["p1", "role"] == "chair" and roles.loc["p1", "kind"] == "board_seat"
    assert roles.loc["f2", "competitor_intensity"] == 0.8
    assert sm.identity["employees"] == 3 and sm.identity["kind"] == "firm"
    assert "org_number" not in sm.identity.index  # missing attributes are left out
    assert sm.resources["item"].tolist() == ["production_capacity", "test_arena"]
    # f2 (distance 1) and f3 (distance 2) have what f1 needs; f2's cold storage is not needed
    rr = sm.reachable_resources
    assert rr[["holder", "item", "distance", "meets_need"]].values.tolist() == [
        ["f2", "production_capacity", 1, True],
        ["f3", "production_capacity", 2, True],
        ["f2", "cold-storage", 1, False],
    ]
    assert rr.loc[1, "path"] in (["f1", "net", "f3"], ["f1", "p1", "f3"])


def test_self_map_to_frame_and_text(eco: ecograph.Ecosystem) -> None:
    sm = self_map(eco, "f1")
    frame = sm.to_frame()
    assert frame.index[0] == "f1" and frame.loc["f1", "distance"] == 0
    assert len(frame) == 6
    assert frame.loc["f1", "needs"] == ["production_capacity", "test_arena"]
    assert frame.loc["f2", "has"] == ["production_capacity", "cold-storage"]
    assert frame.loc["f2", "meets_needs"] == ["production_capacity"]
    assert frame.loc["net", "has"] == []
    text = sm.describe()
    assert text.startswith("Who am I: Dairy (f1), firm; employees=3")
    assert "needs 2 (production_capacity, test_arena)" in text
    assert "5 actors within 2 (4 at distance 1, 1 at distance 2)" in text
    assert "need met: production_capacity from f2 (distance 1, via f1 - f2)" in text
    assert repr(sm).startswith("<SelfMap 'f1' (Dairy, firm): 4 roles, 0 has / 2 needs; 5 actors")


def test_self_map_edge_cases(eco: ecograph.Ecosystem) -> None:
    alone = self_map(eco, "iso")
    assert alone.network.empty and alone.roles.empty and alone.reachable_resources.empty
    assert alone.to_frame().index.tolist() == ["iso"]
    assert self_map(eco, "f1", distance=0).network.empty
    # layers: without co-opetition f2 is two steps away (through net or coop)
    assert self_map(eco, "f1", layers=["membership"]).network["distance"].to_dict() == {
        "coop": 1, "net": 1, "f2": 2, "f3": 2}
    with pytest.raises(ActorNotFound):
        self_map(eco, "nobody")
    for bad in (-1, 1.5, True):
        with pytest.raises(InputError, match="distance must be a whole number"):
            self_map(eco, "f1", distance=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown layer"):
        self_map(eco, "f1", layers=["friendship"])


def test_self_map_without_resources_table() -> None:
    eco = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, warn=False)
    sm = self_map(eco, "f1")
    assert sm.resources.empty and sm.reachable_resources.empty and len(sm.network) == 5


# --------------------------------------------------------------------------- matching
def test_ranking_of_production_capacity(matches: pd.DataFrame) -> None:
    # Hand computation, score = 1/d + trust - competitor_intensity, trust = mean of three signals:
    #   f3: d=2, shared board (p1) + joint membership (net), no direct tie -> trust 2/3;
    #       score 1/2 + 2/3 = 1.1667
    #   f2: d=1 (the co-opetition relation), joint memberships net and coop, the co-opetition
    #       is no partner tie (partner 0.2 < 0.5) -> trust 1/3; competitor 0.8;
    #       score 1 + 1/3 - 0.8 = 0.5333
    #   f4: d=3, no signal -> 1/3;   iso: not connected -> 0
    rows = matches[(matches["actor"] == "f1") & (matches["item"] == "production_capacity")]
    assert rows["provider"].tolist() == ["f3", "f2", "f4", "iso"]
    assert rows["rank"].tolist() == [1, 2, 3, 4]
    assert rows["distance"].tolist()[:3] == [2, 1, 3] and rows["distance"].isna().tolist()[3]
    np.testing.assert_allclose(rows["score"], [0.5 + 2 / 3, 1 + 1 / 3 - 0.8, 1 / 3, 0.0])
    np.testing.assert_allclose(rows["trust"], [2 / 3, 1 / 3, 0.0, 0.0])
    assert rows["shared_boards"].tolist() == [1, 0, 0, 0]
    assert rows["joint_memberships"].tolist() == [1, 2, 0, 0]
    assert rows["direct_tie"].tolist() == [False, False, False, False]
    assert rows["competitor_intensity"].tolist()[1] == 0.8
    assert rows["competitor_intensity"].drop(rows.index[1]).isna().all()
    assert (rows["status"] == "matched").all()
    assert (rows["opportunity"] == "contract_production").all()
    assert rows["quantity_available"].tolist()[:2] == [1.0, 2.0]
    assert rows["path"].tolist()[3] == [] and rows["via"].tolist()[1] == ["coopetition"]


def test_distances_agree_with_networkx(eco: ecograph.Ecosystem, matches: pd.DataFrame) -> None:
    g = nx.Graph(eco.to_networkx().to_undirected())
    for rec in matches[matches["provider"].notna()].itertuples():
        if nx.has_path(g, rec.actor, rec.provider):
            assert rec.distance == nx.shortest_path_length(g, rec.actor, rec.provider)
            assert len(rec.path) == rec.distance + 1
        else:
            assert pd.isna(rec.distance)


def test_unmatched_needs_and_joint_investment(matches: pd.DataFrame) -> None:
    row = _row(matches, "f1", "test_arena")
    assert row["status"] == "unmatched" and pd.isna(row["rank"]) and pd.isna(row["opportunity"])
    assert row["co_needers"] == []
    # nobody has a processing plant; f2 and f3 both need one: a joint investment
    for actor, other in (("f2", "f3"), ("f3", "f2")):
        row = _row(matches, actor, "processing_plant")
        assert row["status"] == "unmatched"
        assert row["opportunity"] == "joint_investment"
        assert row["co_needers"] == [other]


def test_free_items_match_after_normalisation(matches: pd.DataFrame) -> None:
    # p2 needs "Cold storage", f2 has "cold-storage": p2 -management- f4 -supply- f3
    # -membership- net -membership- f2, distance 4, no trust signal: score 1/4
    row = _row(matches, "p2", "Cold storage", "f2")
    assert row["distance"] == 4
    assert row["path"] == ["p2", "f4", "f3", "net", "f2"]
    assert row["via"] == ["management", "supply", "membership", "membership"]
    assert math.isclose(row["score"], 0.25)
    assert pd.isna(row["opportunity"])  # a person is not a producer, and the item is untagged
    assert row["quantity_needed"] == 10.0 and row["quantity_available"] == 40.0


def test_output_shape(matches: pd.DataFrame) -> None:
    assert list(matches.columns) == list(MATCH_COLUMNS)
    assert {c: str(t) for c, t in matches.dtypes.items()} == MATCH_COLUMNS
    assert len(matches) == 4 + 1 + 2 + 1  # 4 providers, 1 unmatched, 2 joint needs, 1 cold storage
    assert matches["actor_name"].tolist()[0] == "Dairy"


def test_max_distance(eco: ecograph.Ecosystem) -> None:
    near = match_resources(eco, max_distance=2)
    rows = near[(near["actor"] == "f1") & (near["item"] == "production_capacity")]
    assert rows["provider"].tolist() == ["f3", "f2"]
    row = _row(near, "p2", "Cold storage")
    assert row["status"] == "out_of_reach" and pd.isna(row["provider"])


def test_weights_and_filters(eco: ecograph.Ecosystem) -> None:
    # without the competition term the rival f2 (score 4/3) overtakes f3 (7/6)
    m = match_resources(eco, actors=["f1"], items=["Production capacity"],
                        weights={"competition": 0})
    assert m["provider"].tolist() == ["f2", "f3", "f4", "iso"]
    assert set(m["actor"]) == {"f1"}
    with pytest.raises(InputError, match="unknown weight"):
        match_resources(eco, weights={"distance": 1})
    with pytest.raises(InputError, match="finite number"):
        match_resources(eco, weights={"trust": -1})
    with pytest.raises(InputError, match="max_distance"):
        match_resources(eco, max_distance=-2)
    with pytest.raises(ActorNotFound):
        match_resources(eco, actors=["ghost"])


def test_partner_tie_counts_as_direct_tie() -> None:
    rel = RELATIONS.copy()
    rel.loc[7, "partner_intensity"] = 0.9
    eco = ecograph.Ecosystem.from_frames(ACTORS, rel, tables={"resources": RESOURCES}, warn=False)
    row = _row(match_resources(eco), "f1", "production_capacity", "f2")
    assert bool(row["direct_tie"]) is True
    assert math.isclose(row["trust"], 2 / 3)  # direct tie + joint membership
    assert math.isclose(row["score"], 1 + 2 / 3 - 0.8)


def test_empty_without_resources_or_needs() -> None:
    eco = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, warn=False)
    out = match_resources(eco)
    assert out.empty and list(out.columns) == list(MATCH_COLUMNS)
    only_has = RESOURCES[RESOURCES["direction"] == "has"]
    eco = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, tables={"resources": only_has},
                                         warn=False)
    assert match_resources(eco).empty


def test_top_keeps_the_best_providers(eco: ecograph.Ecosystem) -> None:
    m = match_resources(eco, top=2)
    rows = m[(m["actor"] == "f1") & (m["item"] == "production_capacity")]
    assert rows["provider"].tolist() == ["f3", "f2"] and rows["rank"].tolist() == [1, 2]
    # needs without providers keep their single row
    assert _row(m, "f1", "test_arena")["status"] == "unmatched"
    pd.testing.assert_frame_equal(match_resources(eco, top=None), match_resources(eco))
    with pytest.raises(InputError, match="top"):
        match_resources(eco, top=0)
    with pytest.raises(InputError, match="top"):
        match_resources(eco, top=-3)
