"""Properties of scenarios on Hypothesis-generated ecosystems.

Few examples in the default run (building an ecosystem validates it, which takes a moment on
the shared machine); ``-m slow`` runs many more.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecograph import Ecosystem, Scenario
from ecograph.testing.strategies import ecosystems


@settings(max_examples=6, deadline=None)
@given(ecosystems(max_actors=8, max_relations=12))
def test_empty_scenario_keeps_every_value_and_type(eco: Ecosystem) -> None:
    after = Scenario(name="nothing").apply(eco)
    pd.testing.assert_frame_equal(after.actors, eco.actors, check_exact=True)
    pd.testing.assert_frame_equal(after.relations, eco.relations, check_exact=True)
    assert after.extra_dtypes == eco.extra_dtypes


def _check_remove_actor(eco: Ecosystem, data: st.DataObject) -> None:
    actor = data.draw(st.sampled_from(list(eco.actors.index)))
    actors_before = eco.actors.copy(deep=True)
    relations_before = eco.relations.copy(deep=True)
    scenario = Scenario.remove_actor(actor, name="leaves")
    after = scenario.apply(eco)
    # the original is untouched
    pd.testing.assert_frame_equal(eco.actors, actors_before, check_exact=True)
    pd.testing.assert_frame_equal(eco.relations, relations_before, check_exact=True)
    # reference by a plain loop over the relations
    kept = [rid for rid, s, t in zip(eco.relations["id"], eco.relations["source"],
                                     eco.relations["target"]) if actor not in (s, t)]
    assert list(after.relations["id"]) == kept
    assert list(after.actors.index) == [a for a in eco.actors.index if a != actor]
    # the scenario survives its file, whatever the id looks like
    with tempfile.TemporaryDirectory() as folder:
        again = Scenario.read(scenario.write(Path(folder) / "leaves.toml"))
    assert again == scenario
    assert again.apply(eco) == after


@settings(max_examples=8, deadline=None)
@given(ecosystems(max_actors=8, max_relations=12), st.data())
def test_remove_actor(eco: Ecosystem, data: st.DataObject) -> None:
    _check_remove_actor(eco, data)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(ecosystems(max_actors=12, max_relations=30), st.data())
def test_remove_actor_many(eco: Ecosystem, data: st.DataObject) -> None:
    _check_remove_actor(eco, data)
