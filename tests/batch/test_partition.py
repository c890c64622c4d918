"""Partition by municipality: organisations by address, persons follow roles, external ties."""

from __future__ import annotations

import pandas as pd
import pytest

from ecograph.batch.partition import partition_by_municipality
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError
from ecograph.synthetic import synthetic_region


@pytest.fixture
def eco() -> Ecosystem:
    # A, B in Røros (5025); C in Os (3430); U has no municipality.
    # p1 sits on the boards of A and C (a board spanning two municipalities);
    # p2 manages B; p3 sits on C's board; p1 and p2 know each other.
    actors = pd.DataFrame(
        {
            "id": ["A", "B", "C", "U", "p1", "p2", "p3"],
            "name": ["A", "B", "C", "U", "P1", "P2", "P3"],
            "kind": ["firm", "firm", "firm", "firm", "person", "person", "person"],
            "municipality": ["5025", "5025", "3430", None, None, None, None],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["p1", "p1", "p2", "A", "C", "p3", "p1"],
            "target": ["A", "C", "B", "B", "U", "C", "p2"],
            "kind": [
                "board_seat",
                "board_seat",
                "management",
                "supply",
                "supply",
                "board_seat",
                "tie",
            ],
            "role": ["chair", "member", "ceo", None, None, "member", None],
        }
    )
    return Ecosystem.from_frames(actors, relations, warn=False)


def _edges(e: Ecosystem) -> set[tuple[str, str]]:
    return set(zip(e.relations["source"], e.relations["target"], strict=True))


def test_membership_rules_by_hand(eco: Ecosystem) -> None:
    parts = partition_by_municipality(eco)
    assert list(parts) == ["3430", "5025"]
    assert list(parts.unplaced) == ["U"]

    roros = parts["5025"]
    # core A, B; persons p1 (board of A) and p2 (CEO of B); C is external through p1's seat
    assert sorted(roros.actors.index) == ["A", "B", "C", "p1", "p2"]
    assert roros.actors["external"].to_dict() == {
        "A": False,
        "B": False,
        "C": True,
        "p1": False,
        "p2": False,
    }
    # p1 -> C kept (the spanning board seat), C -> U left out (both ends outside), p3 not a member
    assert _edges(roros) == {("p1", "A"), ("p1", "C"), ("p2", "B"), ("A", "B"), ("p1", "p2")}

    os_ = parts["3430"]
    assert sorted(os_.actors.index) == ["A", "C", "U", "p1", "p3"]
    assert os_.actors.loc[["A", "U"], "external"].tolist() == [True, True]
    # p1 -> p2 left out: p2 holds no role in Os
    assert _edges(os_) == {("p1", "A"), ("p1", "C"), ("C", "U"), ("p3", "C")}
    assert os_.meta.municipalities == ("3430",)


def test_drop_policy_keeps_only_the_municipality(eco: Ecosystem) -> None:
    parts = partition_by_municipality(eco, external="drop")
    roros = parts["5025"]
    assert sorted(roros.actors.index) == ["A", "B", "p1", "p2"]
    assert not roros.actors["external"].any()
    assert _edges(roros) == {("p1", "A"), ("p2", "B"), ("A", "B"), ("p1", "p2")}


def test_sizes_and_selected_codes(eco: Ecosystem) -> None:
    parts = partition_by_municipality(eco, municipalities=["5025", "0301"])
    sizes = parts.sizes()
    assert sizes.loc["5025"].tolist() == [2, 2, 1, 5]
    assert sizes.loc["0301"].tolist() == [0, 0, 0, 0]
    assert len(parts["0301"].actors) == 0
    with pytest.raises(KeyError, match="not in this partition"):
        parts["3430"]


def test_unknown_policy(eco: Ecosystem) -> None:
    with pytest.raises(InputError, match="expected 'actors' or 'drop'"):
        partition_by_municipality(eco, external="keep")  # type: ignore[arg-type]


def test_partition_agrees_with_a_loop_on_a_synthetic_region() -> None:
    eco = synthetic_region(1_500, municipalities=6, seed=5)
    parts = partition_by_municipality(eco)
    a = eco.actors
    rel = eco.relations
    for code in parts:
        sub = parts[code]
        core = set(a.index[(a["kind"] != "person") & (a["municipality"] == code)])
        person_ids = set(a.index[a["kind"] == "person"])
        touching = rel[rel["source"].isin(core) | rel["target"].isin(core)]
        persons = (set(touching["source"]) | set(touching["target"])) & person_ids
        assert (
            set(sub.actors.index[~sub.actors["external"] & (sub.actors["kind"] != "person")])
            == core
        )
        assert set(sub.persons) == persons
        members = core | persons
        ext = set()
        for s, t in zip(rel["source"], rel["target"], strict=True):
            if s in members and t not in members and t not in person_ids:
                ext.add(t)
            if t in members and s not in members and s not in person_ids:
                ext.add(s)
        assert set(sub.actors.index[sub.actors["external"]]) == ext
        expected = {
            (s, t)
            for s, t in zip(rel["source"], rel["target"], strict=True)
            if (s in members or t in members) and s in members | ext and t in members | ext
        }
        assert _edges(sub) == expected
