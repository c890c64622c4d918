"""ecograph.testing.assert_ecosystem_equal reports where two ecosystems differ."""

from __future__ import annotations

import pandas as pd
import pytest

from ecograph.core.ecosystem import Ecosystem
from ecograph.testing import assert_ecosystem_equal


def toy(weight: float = 0.3, name: str = "Toy", extra: str | None = None) -> Ecosystem:
    actors = pd.DataFrame({"id": ["a", "b"], "name": ["Å", "B"], "kind": ["firm", "firm"]})
    if extra is not None:
        actors[extra] = ["x", "y"]
    relations = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["supply"],
                              "weight": [weight]})
    return Ecosystem.from_frames(actors, relations, {"name": name})


def test_equal_and_column_order():
    a = toy()
    b = Ecosystem(a.actors[a.actors.columns[::-1]], a.relations, a.meta, a.extra_dtypes)
    assert_ecosystem_equal(a, b)
    with pytest.raises(AssertionError, match="actors differ"):
        assert_ecosystem_equal(a, b, check_column_order=True)


def test_float_differences_are_exact_by_default():
    a, b = toy(0.1 + 0.2), toy(0.3)
    with pytest.raises(AssertionError, match="relations differ"):
        assert_ecosystem_equal(a, b)
    assert_ecosystem_equal(a, b, check_exact=False)
    assert a == b  # Ecosystem.__eq__ uses pandas' tolerance


def test_meta_extra_types_and_tables():
    with pytest.raises(AssertionError, match=r"meta differs: .*'name': \('Toy', 'Other'\)"):
        assert_ecosystem_equal(toy(), toy(name="Other"))
    assert_ecosystem_equal(toy(), toy(name="Other"), check_meta=False)
    with pytest.raises(AssertionError, match="actors differ"):
        assert_ecosystem_equal(toy(), toy(extra="note"))
    a, b = toy(), toy()
    b.tables = {"resources": pd.DataFrame({"actor": ["a"]})}
    with pytest.raises(AssertionError, match="tables differ"):
        assert_ecosystem_equal(a, b)
    assert_ecosystem_equal(a, b, check_tables=False)
    b2 = Ecosystem(a.actors, a.relations, a.meta, {"actors": {"x": "int"}, "relations": {}})
    with pytest.raises(AssertionError, match="extra column types differ"):
        assert_ecosystem_equal(a, b2)


def test_not_an_ecosystem():
    with pytest.raises(AssertionError, match="right is a DataFrame, not an Ecosystem"):
        assert_ecosystem_equal(toy(), pd.DataFrame())
