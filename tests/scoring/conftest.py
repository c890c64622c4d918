"""Fixtures for the scoring tests: toy ecosystems and model files."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from ecograph.core.ecosystem import Ecosystem

TOY_MODEL = """\
schema_version = 1

[model]
name = "toy"
title = "Toy model"
weight_rule = "sum_to_one"

[pyramid]
order = ["base", "top"]

[layers.base]
title = "Base"

[layers.top]
title = "Top"

[attributes.a1]
layer = "base"
title = "A1"
weight = 1.0

[attributes.b1]
layer = "top"
title = "B1"
weight = 0.25

[attributes.b2]
layer = "top"
title = "B2"
weight = 0.75

[indicators.survey]
attribute = "a1"
user_input = "survey"
transformation = { kind = "goalpost", lower = 1, upper = 5 }
weight = 0.5
source = "test"

[indicators.share]
attribute = "a1"
user_input = "share"
transformation = "identity"
weight = 0.5
source = "test"

[indicators.count]
attribute = "b1"
user_input = "count"
transformation = { kind = "saturating", half = 2 }
weight = 1.0
source = "test"

[indicators.minutes]
attribute = "b2"
user_input = "minutes"
direction = "negative"
transformation = { kind = "goalpost", lower = 0, upper = 100 }
weight = 0.4
source = "test"

[indicators.present]
attribute = "b2"
user_input = "present"
transformation = "presence"
weight = 0.6
source = "test"
"""
"""A model over user inputs only, so every score can be computed by hand."""


@pytest.fixture
def write_model(tmp_path: pathlib.Path) -> Callable[..., pathlib.Path]:
    """Write model text to ``<tmp>/<name>.toml`` and return the path."""

    def write(text: str = TOY_MODEL, name: str = "toy") -> pathlib.Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _user_eco(values: dict[str, float], **meta: Any) -> Ecosystem:
    return Ecosystem.from_frames(
        pd.DataFrame({"id": ["f"], "name": ["F"], "kind": ["firm"]}),
        meta={"name": "user", "indicators": values, **meta}, warn=False)


@pytest.fixture
def user_eco() -> Callable[..., Ecosystem]:
    """Factory: a one-firm ecosystem whose metadata carries user-supplied indicator values."""
    return _user_eco


@pytest.fixture
def toy_text() -> str:
    """The text of :data:`TOY_MODEL`."""
    return TOY_MODEL


@pytest.fixture
def toy_region() -> Ecosystem:
    """A hand-checkable region (every indicator value is worked out in test_indicators.py).

    Inside: firms f1..f4, cooperative c1, support organisation s1, public body m1,
    business network n1, persons p1, p2. Outside: knowledge institution u1,
    firm x1 (a customer), public body g1 (a funder).
    """
    actors = pd.DataFrame({
        "id": ["f1", "f2", "f3", "f4", "c1", "s1", "m1", "n1", "p1", "p2", "u1", "x1", "g1"],
        "name": ["F1", "F2", "F3", "F4", "C1", "S1", "M1", "N1", "P1", "P2", "U1", "X1", "G1"],
        "kind": ["firm", "firm", "firm", "firm", "cooperative", "support_organisation",
                 "public_body", "business_network", "person", "person",
                 "knowledge_institution", "firm", "public_body"],
        "employees": [2, 3, 10, None, 40, 5, None, None, None, None, None, 100, None],
        "founded": [2000, 2016, 1980, 2018, 1995, None, None, None, None, None, None, None, None],
        "external": [False] * 10 + [True, True, True],
    })
    relations = pd.DataFrame({
        "source": ["f1", "f2", "f3", "s1", "s1", "s1", "g1", "m1", "f1", "f1", "f2", "p1", "p1",
                   "p2", "p2"],
        "target": ["n1", "n1", "c1", "f1", "f2", "f1", "f3", "f4", "f2", "x1", "u1", "f1", "c1",
                   "c1", "u1"],
        "kind": ["membership", "membership", "membership", "support", "support", "support",
                 "funding", "funding", "supply", "supply", "knowledge_link", "board_seat",
                 "board_seat", "management", "tie"],
        "role": [None, None, None, None, None, None, None, None, None, None, None, "chair",
                 "member", "ceo", None],
        "function": [None, None, None, "accounting", "accounting", "marketing", None, None, None,
                     None, None, None, None, None, None],
    })
    return Ecosystem.from_frames(actors, relations,
                                 meta={"name": "Toy region", "population": 2000, "year": 2019},
                                 warn=False)
