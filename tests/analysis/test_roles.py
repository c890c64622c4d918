"""role_concentration: roles, organisations, sectors and kinds per person (hand-computed)."""

from __future__ import annotations

import pandas as pd
import pytest

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError


@pytest.fixture
def eco() -> Ecosystem:
    # p1: chair of dairy (NACE 10.510) and CEO of dairy, board member of hotel (55.101) and of
    #     the cooperative (10.890), owner of the farm shop (47.220, municipality 5026);
    # p2: member of the hotel board; p3: no role at all (only a social tie to p1).
    actors = pd.DataFrame({
        "id": ["p1", "p2", "p3", "dairy", "hotel", "coop", "shop"],
        "name": ["P1", "P2", "P3", "Dairy", "Hotel", "Coop", "Shop"],
        "kind": ["person", "person", "person", "firm", "firm", "cooperative", "firm"],
        "nace": [None, None, None, "10.510", "55.101", "10.890", "47.220"],
        "municipality": [None, None, None, "5025", "5025", "5025", "5026"],
    })
    relations = pd.DataFrame({
        "source": ["p1", "p1", "p1", "p1", "p1", "p2", "p1"],
        "target": ["dairy", "dairy", "hotel", "coop", "shop", "hotel", "p3"],
        "kind": ["board_seat", "management", "board_seat", "board_seat", "ownership",
                 "board_seat", "tie"],
        "role": ["chair", "ceo", "member", "member", None, "member", None],
        "share": [None, None, None, None, 0.6, None, None],
    })
    return Ecosystem.from_frames(actors, relations, warn=False)


def test_counts_per_person(eco):
    r = ecograph.role_concentration(eco)
    assert list(r.index) == ["p1", "p2", "p3"]  # sorted by organisations, then roles
    assert r.index.name == "actor_id"
    p1 = r.loc["p1"]
    # 5 role relations (the tie to p3 is not a role), 4 organisations,
    # NACE divisions {10, 55, 47} = 3 sectors, kinds {firm, cooperative} = 2,
    # municipalities {5025, 5026} = 2, one chair seat, one CEO post
    assert p1["n_roles"] == 5 and p1["n_organisations"] == 4
    assert p1["n_sectors"] == 3 and p1["n_kinds"] == 2 and p1["n_municipalities"] == 2
    assert p1["chairs"] == 1 and p1["ceos"] == 1
    assert p1["roles.board_seat"] == 3 and p1["roles.management"] == 1
    assert p1["roles.ownership"] == 1 and p1["roles.membership"] == 0
    assert bool(p1["big_linker"]) is True
    assert r.loc["p2", ["n_roles", "n_organisations", "n_sectors"]].tolist() == [1, 1, 1]
    assert r.loc["p3", ["n_roles", "n_organisations", "n_sectors", "n_kinds"]].tolist() == [0] * 4
    assert not r.loc["p2", "big_linker"] and not r.loc["p3", "big_linker"]


def test_layers_and_threshold(eco):
    r = ecograph.role_concentration(eco, layers="board_seat", big_linker=2)
    assert list(r.columns[-2:]) == ["roles.board_seat", "big_linker"]
    assert r.loc["p1", "n_roles"] == 3 and r.loc["p1", "n_organisations"] == 3
    assert r["big_linker"].tolist() == [True, False, False]
    with pytest.raises(InputError, match="big_linker"):
        ecograph.role_concentration(eco, big_linker=0)
    with pytest.raises(InputError, match="unknown layer"):
        ecograph.role_concentration(eco, layers=["boards"])


def test_missing_nace_is_not_a_sector(make_eco):
    e = make_eco([("p", "person"), ("a", "firm"), ("b", "firm")],
                 [("p", "a", "board_seat", "member"), ("p", "b", "board_seat", "member")])
    r = ecograph.role_concentration(e)
    assert r.loc["p", "n_sectors"] == 0 and r.loc["p", "n_municipalities"] == 0
    assert r.loc["p", "n_kinds"] == 1


def test_no_persons(make_eco):
    r = ecograph.role_concentration(make_eco([("a", "firm")], []))
    assert r.empty and "n_roles" in r.columns
