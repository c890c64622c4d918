"""Fixtures of the co-opetition tests: small hand-built ecosystems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from ecograph import Ecosystem

Build = Callable[..., Ecosystem]


def _build(actors: list[dict[str, Any]], relations: list[dict[str, Any]] | None = None,
           name: str = "toy") -> Ecosystem:
    rel = pd.DataFrame(relations) if relations else None
    return Ecosystem.from_frames(pd.DataFrame(actors), rel, {"name": name}, warn=False)


@pytest.fixture
def build() -> Build:
    """Factory: ``build(actors, relations)`` -> validated Ecosystem (warnings off)."""
    return _build


def firms(*ids: str, **columns: Any) -> list[dict[str, Any]]:
    out = []
    for k, i in enumerate(ids):
        row = {"id": i, "name": i.upper(), "kind": "firm"}
        for col, values in columns.items():
            row[col] = values[k]
        out.append(row)
    return out


def coop(a: str, b: str, c: float | None, p: float | None, **extra: Any) -> dict[str, Any]:
    return {"source": a, "target": b, "kind": "coopetition", "competitor_intensity": c,
            "partner_intensity": p, **extra}


@pytest.fixture
def toy_region() -> Ecosystem:
    """The inference toy region, written out in ``test_inference.py``'s module docstring."""
    actors = [
        {"id": "h1", "name": "Hotel 1", "kind": "firm", "nace": "55.101", "municipality": "5025",
         "employees": 40},
        {"id": "h2", "name": "Hotel 2", "kind": "firm", "nace": "55.101", "municipality": "5025",
         "employees": 20},
        {"id": "h3", "name": "Camping", "kind": "firm", "nace": "55.300", "municipality": "5025",
         "employees": 4},
        {"id": "g1", "name": "Grocer 1", "kind": "firm", "nace": "47.111", "municipality": "5025",
         "employees": 30},
        {"id": "g2", "name": "Grocer 2", "kind": "firm", "nace": "47.111", "municipality": "5021",
         "employees": 25},
        {"id": "g3", "name": "Kiosk", "kind": "firm", "nace": "47.190", "municipality": "5025"},
        {"id": "net", "name": "Network", "kind": "business_network", "municipality": "5025"},
        {"id": "sa", "name": "Co-op", "kind": "cooperative", "municipality": "5025"},
        {"id": "p1", "name": "Person 1", "kind": "person"},
        {"id": "p2", "name": "Person 2", "kind": "person"},
        {"id": "p3", "name": "Person 3", "kind": "person"},
    ]
    relations = [
        {"source": "p1", "target": "h1", "kind": "board_seat", "role": "chair"},
        {"source": "p1", "target": "h2", "kind": "management", "role": "ceo"},
        {"source": "p2", "target": "h1", "kind": "board_seat", "role": "member"},
        {"source": "p2", "target": "h2", "kind": "board_seat", "role": "member"},
        {"source": "h1", "target": "net", "kind": "membership"},
        {"source": "h2", "target": "net", "kind": "membership"},
        {"source": "g1", "target": "net", "kind": "membership"},
        {"source": "h1", "target": "sa", "kind": "membership"},
        {"source": "h2", "target": "sa", "kind": "membership"},
        {"source": "h3", "target": "h1", "kind": "supply"},
        {"source": "g1", "target": "g3", "kind": "support", "function": "accounting"},
        {"source": "p3", "target": "g1", "kind": "ownership", "share": 0.5},
        {"source": "p3", "target": "g3", "kind": "ownership", "share": 1.0},
        coop("g1", "g2", 0.6, None, provenance="survey", evidence="interview G"),
        coop("h3", "h2", None, 0.7, provenance="stated", evidence="interview H"),
    ]
    return _build(actors, relations, name="toy region")
