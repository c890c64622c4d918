"""Toy ecosystems for the scenario tests, each small enough to check by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from ecograph import Ecosystem


def bridge_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two chains of boards joined by one bridge person ``pb``.

    ::

        o1 -p1- o2 -p2- o3 -pb- o4 -p3- o5 -p4- o6

    Every ``-x-`` is person x holding a board seat on both organisations
    (chair on the left one, member on the right one). 6 organisations,
    5 persons, 10 board seats, one co-opetition pair (o1, o2).
    """
    actors = pd.DataFrame({
        "id": ["o1", "o2", "o3", "o4", "o5", "o6", "p1", "p2", "pb", "p3", "p4"],
        "name": ["Dairy", "Hotel A", "Hotel B", "Grocer", "Brewery", "Butcher",
                 "Person 1", "Person 2", "Bridge person", "Person 3", "Person 4"],
        "kind": ["firm"] * 6 + ["person"] * 5,
        "municipality": ["5025"] * 6 + [None] * 5,
        "employees": [40, 12, 8, 5, 10, 15] + [None] * 5,
    })
    seats = [("p1", "o1", "o2"), ("p2", "o2", "o3"), ("pb", "o3", "o4"), ("p3", "o4", "o5"),
             ("p4", "o5", "o6")]
    rows = []
    for person, left, right in seats:
        rows.append({"source": person, "target": left, "kind": "board_seat", "role": "chair"})
        rows.append({"source": person, "target": right, "kind": "board_seat", "role": "member"})
    rows.append({"id": "coop12", "source": "o1", "target": "o2", "kind": "coopetition",
                 "competitor_intensity": 0.7, "partner_intensity": 0.2})
    relations = pd.DataFrame(rows)
    return actors, relations


@pytest.fixture
def bridge() -> Ecosystem:
    actors, relations = bridge_frames()
    return Ecosystem.from_frames(actors, relations, {"name": "Bridge toy", "population": 1000})


@pytest.fixture
def timed() -> Ecosystem:
    """Four firms and four relations with since/until (see test_time.py for the dates)."""
    actors = pd.DataFrame({"id": ["a", "b", "c", "d"], "name": ["A", "B", "C", "D"],
                           "kind": ["firm"] * 4})
    relations = pd.DataFrame({
        "id": ["r1", "r2", "r3", "r4"],
        "source": ["a", "b", "c", "a"],
        "target": ["b", "c", "d", "d"],
        "kind": ["supply", "supply", "supply", "coopetition"],
        "since": ["2018-03-01", None, "2019-01-01", None],
        "until": [None, "2019-12-31", "2019-06-30", None],
    })
    return Ecosystem.from_frames(actors, relations, {"name": "Timed toy"})
