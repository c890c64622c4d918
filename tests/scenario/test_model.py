"""Scenario: building, applying, serialising, and every error with its location."""

from __future__ import annotations

import copy
import datetime as dt
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph import Ecosystem, Scenario
from ecograph.core.tables import TABLES
from ecograph.exceptions import ScenarioError


def _snapshot(eco: Ecosystem) -> dict[str, object]:
    return {"actors": eco.actors.copy(deep=True), "relations": eco.relations.copy(deep=True),
            "meta": copy.deepcopy(eco.meta), "tables": {k: v.copy(deep=True)
                                                       for k, v in eco.tables.items()},
            "extra": eco.extra_dtypes}


def _assert_unchanged(eco: Ecosystem, before: dict[str, object]) -> None:
    pd.testing.assert_frame_equal(eco.actors, before["actors"], check_exact=True)
    pd.testing.assert_frame_equal(eco.relations, before["relations"], check_exact=True)
    assert eco.meta == before["meta"]
    assert eco.extra_dtypes == before["extra"]
    assert eco.tables.keys() == before["tables"].keys()  # type: ignore[attr-defined]
    for name, table in eco.tables.items():
        pd.testing.assert_frame_equal(table, before["tables"][name])  # type: ignore[index]


ALL_OPS = [
    Scenario.remove_actor("pb"),
    Scenario.add_actor({"id": "u1", "name": "University", "kind": "knowledge_institution"}),
    Scenario.edit_actor("o1", set={"employees": 41, "legal_form": "AS", "colour": "blå"},
                        unset=["municipality"]),
    Scenario.add_relation("p1", "o3", "management", role="ceo"),
    Scenario.remove_relation(source="pb", target="o4", kind="board_seat"),
    Scenario.edit_relation("coop12", set={"since": "2019-01-01", "weight": 2.0}),
    Scenario.set_intensity("o2", "o1", competitor_intensity=0.1, partner_intensity=0.9),
]


# ------------------------------------------------------------ applying edits
@pytest.mark.parametrize("scenario", ALL_OPS, ids=lambda s: s.edits[0].op)
def test_original_unchanged_after_every_edit(bridge: Ecosystem, scenario: Scenario) -> None:
    graph_before = bridge.to_igraph()  # a cached graph must survive too
    before = _snapshot(bridge)
    after = scenario.apply(bridge)
    _assert_unchanged(bridge, before)
    assert bridge.to_igraph() is graph_before
    assert after is not bridge
    assert not after.relations.equals(bridge.relations) or not after.actors.equals(bridge.actors)


def test_original_unchanged_after_combined_and_failed_scenarios(bridge: Ecosystem) -> None:
    before = _snapshot(bridge)
    combined = ALL_OPS[0]
    for s in ALL_OPS[1:4]:
        combined = combined + s
    combined.apply(bridge)
    with pytest.raises(ScenarioError):
        (Scenario.remove_actor("o1") + Scenario.remove_actor("nobody")).apply(bridge)
    with pytest.raises(ScenarioError):
        Scenario.edit_actor("p1", set={"kind": "firm"}).apply(bridge)
    _assert_unchanged(bridge, before)


def test_remove_actor_drops_its_relations(bridge: Ecosystem) -> None:
    after = Scenario.remove_actor("pb").apply(bridge)
    assert "pb" not in after and "pb" in bridge
    # pb held 2 of the 11 relations (10 board seats + 1 co-opetition)
    assert len(after.relations) == 9
    assert not after.relations[["source", "target"]].isin(["pb"]).any().any()
    assert after.meta.name == "Bridge toy [scenario]"


def test_add_actor_and_relation_get_provenance(bridge: Ecosystem) -> None:
    s = Scenario.add_actor({"id": "u1", "name": "University", "kind": "knowledge_institution"},
                           name="uni") + Scenario.add_relation("u1", "o1", "knowledge_link")
    after = s.apply(bridge)
    assert after.actor("u1")["provenance"] == "illustrative"
    assert after.actor("u1")["evidence"] == "hypothetical scenario 'uni'"
    new = after.relations[after.relations["source"] == "u1"].iloc[0]
    assert new["kind"] == "knowledge_link" and new["provenance"] == "illustrative"
    assert isinstance(new["id"], str) and new["id"] not in set(bridge.relations["id"])
    stated = Scenario.add_actor({"id": "u2", "name": "U", "kind": "knowledge_institution",
                                 "provenance": "stated", "evidence": "doc §1"}).apply(bridge)
    assert stated.actor("u2")["provenance"] == "stated"


def test_edit_actor_types_and_extra_columns(bridge: Ecosystem) -> None:
    after = Scenario.edit_actor("o1", set={"employees": "41", "colour": "blå"},
                                unset=["municipality"]).apply(bridge)
    row = after.actor("o1")
    assert row["employees"] == 41 and after.actors["employees"].dtype == "Int64"
    assert pd.isna(row["municipality"]) and row["colour"] == "blå"
    assert pd.isna(after.actor("o2")["colour"])
    assert after.actor("o2")["municipality"] == "5025"


def test_relation_reference_symmetric_and_directed(bridge: Ecosystem) -> None:
    # co-opetition is symmetric: stored o1 -> o2, referenced o2 -> o1
    after = Scenario.set_intensity("o2", "o1", partner_intensity=0.9).apply(bridge)
    row = after.relations.set_index("id").loc["coop12"]
    assert row["partner_intensity"] == 0.9 and row["competitor_intensity"] == 0.7
    # a board seat is directed: the reversed reference matches nothing
    with pytest.raises(ScenarioError, match=r"edits\[0\] \(remove_relation\): no relation"):
        Scenario.remove_relation(source="o4", target="pb", kind="board_seat").apply(bridge)


def test_match_one_all_and_role(bridge: Ecosystem) -> None:
    two_ties = (Scenario.add_relation("p1", "p2", "tie", role="friends")
                + Scenario.add_relation("p2", "p1", "tie", role="advice"))
    with pytest.raises(ScenarioError) as err:
        (two_ties + Scenario.remove_relation(source="p1", target="p2", kind="tie")).apply(bridge)
    assert "edits[2] (remove_relation): 2 relations match p1 -> p2 (tie)" in str(err.value)
    by_role = two_ties + Scenario.remove_relation(source="p1", target="p2", kind="tie",
                                                  role="advice")
    left = by_role.apply(bridge).relations
    assert left.loc[left["kind"] == "tie", "role"].tolist() == ["friends"]
    every = two_ties + Scenario.remove_relation(source="p2", target="p1", kind="tie",
                                                match="all")
    assert (every.apply(bridge).relations["kind"] == "tie").sum() == 0


def test_edits_run_in_order(bridge: Ecosystem) -> None:
    s = (Scenario.add_actor({"id": "u1", "name": "U", "kind": "knowledge_institution"})
         + Scenario.add_relation("u1", "o1", "knowledge_link", id="k1")
         + Scenario.edit_relation("k1", set={"role": "R&D"})
         + Scenario.remove_actor("u1"))
    after = s.apply(bridge)
    assert "u1" not in after
    assert len(after.relations) == len(bridge.relations)


@pytest.mark.parametrize(("scenario", "expected"), [
    (Scenario.remove_actor("o1") + Scenario.remove_actor("nobody"),
     "edits[1] (remove_actor): actor 'nobody' is not in the ecosystem"),
    (Scenario.add_actor({"id": "o1", "name": "X", "kind": "firm"}),
     "edits[0] (add_actor): an actor with id 'o1' already exists"),
    (Scenario.add_relation("u9", "o1", "knowledge_link"),
     "edits[0] (add_relation): source 'u9' is not an actor"),
    (Scenario.add_relation("p1", "o1", "tie", id="coop12"),
     "edits[0] (add_relation): a relation with id 'coop12' already exists"),
    (Scenario.edit_relation("nope", set={"role": "x"}),
     "edits[0] (edit_relation): no relation matches nope"),
    # graph rules checked after the edits, traced back to the edit
    (Scenario.remove_actor("o6") + Scenario.edit_actor("p1", set={"kind": "firm"}),
     "edits[1] (edit_actor), relation 'r1', field 'source': a board_seat must start at a person"),
    (Scenario.edit_relation(source="p1", target="o1", kind="board_seat", set={"share": 0.5}),
     "edits[0] (edit_relation), relation 'r1', field 'share': does not apply to kind"),
    (Scenario.add_relation("o1", "p2", "board_seat", role="chair"),
     "edits[0] (add_relation), new relation o1 -> p2 (board_seat), field 'source'"),
    (Scenario.set_intensity("p1", "o1", kind="board_seat", weight=2.0)
     + Scenario.edit_relation(source="p1", target="o1", kind="board_seat", set={"role": "boss"}),
     "edits[1] (edit_relation), relation 'r1', field 'role'"),
])
def test_apply_errors_name_the_edit(bridge: Ecosystem, scenario: Scenario, expected: str) -> None:
    with pytest.raises(ScenarioError) as err:
        scenario.apply(bridge)
    assert expected in str(err.value)
    assert isinstance(err.value, ValueError)


def test_set_intensity_on_a_non_coopetition_relation(bridge: Ecosystem) -> None:
    with pytest.raises(ScenarioError, match="apply to co-opetition"):
        Scenario.set_intensity("p1", "o1", kind="board_seat", partner_intensity=0.5)
    after = Scenario.set_intensity("p1", "o1", kind="board_seat", weight=2.0).apply(bridge)
    assert after.relations.set_index("id").loc["r1", "weight"] == 2.0


def test_apply_error_names_the_file(bridge: Ecosystem, tmp_path: Path) -> None:
    path = Scenario.remove_actor("nobody", name="gone").write(tmp_path / "gone.toml")
    with pytest.raises(ScenarioError) as err:
        Scenario.read(path).apply(bridge)
    assert str(err.value).startswith("scenario 'gone' (gone.toml) cannot be applied")


def test_tables_follow_removed_actors(bridge: Ecosystem, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("_scenario_test_tables")

    def validate(eco: Ecosystem, frame: pd.DataFrame, file: str) -> pd.DataFrame:
        for col in ("actor", "provider"):
            bad = frame[col].notna() & ~frame[col].isin(eco.actors.index)
            if bad.any():
                raise ecograph.exceptions.BundleValidationError([])
        return frame.reset_index(drop=True).astype({"provider": "string"})

    module.validate = validate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "_scenario_test_tables", module)
    monkeypatch.setitem(TABLES, "notes", "_scenario_test_tables:validate")
    notes = pd.DataFrame({"actor": ["o1", "pb", "o4"], "provider": ["pb", "o1", None],
                          "text": ["a", "b", "c"]})
    eco = Ecosystem.from_frames(bridge.actors, bridge.relations, bridge.meta,
                                tables={"notes": notes})
    after = Scenario.remove_actor("pb").apply(eco)
    # the row of pb goes; o1's row stays, without its provider pb
    assert after.tables["notes"]["actor"].tolist() == ["o1", "o4"]
    assert after.tables["notes"]["provider"].isna().tolist() == [True, True]
    assert after.tables["notes"]["text"].tolist() == ["a", "c"]
    assert eco.tables["notes"]["actor"].tolist() == ["o1", "pb", "o4"]
    assert eco.tables["notes"]["provider"].tolist()[:2] == ["pb", "o1"]


# ------------------------------------------------------------ serialisation
def _rich() -> Scenario:
    return Scenario.from_dict({
        "name": "rørosmeieriet-leaves",
        "description": "Hva om Rørosmeieriet går ut? «quotes» and \"double\"",
        "hypothetical": True,
        "evidence": "thesis §5.1",
        "edits": [
            {"op": "remove_actor", "actor": "o1", "note": "dairy leaves"},
            {"op": "add_actor", "actor": {"id": "u1", "name": "Universitet", "kind":
                                          "knowledge_institution", "external": True,
                                          "founded": 1910, "campus": "Trondheim"}},
            {"op": "add_relation", "relation": {"source": "u1", "target": "o2",
                                                "kind": "knowledge_link", "since":
                                                dt.date(2020, 1, 1), "confidence": 0.25}},
            {"op": "edit_actor", "actor": "o2", "set": {"employees": 13, "external": False},
             "unset": ["municipality"]},
            {"op": "remove_relation", "source": "pb", "target": "o4", "kind": "board_seat",
             "role": "member", "match": "all"},
            {"op": "edit_relation", "id": "coop12", "set": {"until": "2021-06-30"}},
            {"op": "set_intensity", "source": "o2", "target": "o1", "partner_intensity": 0.95,
             "weight": 1.5},
        ],
    })


def test_scenario_file_round_trips(tmp_path: Path) -> None:
    s = _rich()
    path = s.write(tmp_path / "s.toml")
    again = Scenario.read(path)
    assert again == s
    assert again.to_dict() == s.to_dict()
    assert again.file == "s.toml" and s.file is None
    # and once more: the text is stable
    assert Scenario.read(again.write(tmp_path / "t.toml")).write(tmp_path / "u.toml").read_text(
        encoding="utf-8") == path.read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert "format_version = 1" in text and "Rørosmeieriet" in text
    assert "since = 2020-01-01" in text  # a TOML date, not a string


def test_write_into_a_bundle_folder(tmp_path: Path, bridge: Ecosystem) -> None:
    ecograph.write_bundle(bridge, tmp_path / "toy")
    path = Scenario.remove_actor("pb", name="bridge-leaves").write(tmp_path / "toy")
    assert path == tmp_path / "toy" / "scenarios" / "bridge-leaves.toml"
    assert Scenario.read(path).edits[0].actor == "pb"  # type: ignore[union-attr]


def test_applying_the_read_scenario_gives_the_same_ecosystem(bridge: Ecosystem,
                                                             tmp_path: Path) -> None:
    s = Scenario.from_dict({"name": "x", "edits": [
        {"op": "edit_actor", "actor": "o2", "set": {"employees": 13}},
        {"op": "set_intensity", "source": "o1", "target": "o2", "partner_intensity": 0.95},
        {"op": "add_relation", "relation": {"source": "p1", "target": "o5", "kind": "board_seat",
                                            "role": "member", "since": dt.date(2020, 1, 1)}},
    ]})
    direct = s.apply(bridge)
    via_file = Scenario.read(s.write(tmp_path / "x.toml")).apply(bridge)
    assert direct == via_file


def test_to_frame_lists_the_edits() -> None:
    frame = _rich().to_frame()
    assert frame.index.tolist() == list(range(7))
    assert frame["op"].tolist()[:3] == ["remove_actor", "add_actor", "add_relation"]
    assert frame.loc[0, "note"] == "dairy leaves"
    assert frame.loc[6, "details"] == "partner_intensity=0.95, weight=1.5"


# ------------------------------------------------------------ invalid files
_INVALID = [
    ('name = "x"\n[[edits]]\nop = "remove_actr"\nactor = "a"\n',
     "field 'edits[0].op': unknown op"),
    ('name = "x"\n[[edits]]\nactor = "a"\n', "field 'edits[0].op': every edit needs an 'op'"),
    ('name = "x"\n[[edits]]\nop = "remove_actor"\nactr = "a"\n',
     "field 'edits[0].actr': unknown key; did you mean 'actor'?"),
    ('name = "x"\n[[edits]]\nop = "set_intensity"\nsource = "a"\ntarget = "b"\n'
     "partner_intensity = 1.5\n",
     "field 'edits[0].partner_intensity': Input should be less than or equal to 1 (got 1.5)"),
    ('name = "x"\n[[edits]]\nop = "remove_actor"\nactor = "a"\n[[edits]]\nop = "add_actor"\n'
     '[edits.actor]\nid = "u"\nname = "U"\nkind = "university"\n',
     "field 'edits[1].actor.kind'"),
    ('name = "x"\n[[edits]]\nop = "edit_relation"\nid = "r1"\n[edits.set]\n'
     "competiton_intensity = 0.5\n",
     "field 'edits[0].set': unknown field 'competiton_intensity'; did you mean "
     "'competitor_intensity'?"),
    ('name = "x"\n[[edits]]\nop = "edit_actor"\nactor = "o1"\n[edits.set]\nemployees = nan\n',
     "field 'edits[0].set': 'employees': expected a finite number"),
    ('name = "x"\n[[edits]]\nop = "edit_actor"\nactor = "o1"\n[edits.set]\nemployees = -3\n',
     "field 'edits[0].set': 'employees': Input should be greater than or equal to 0"),
    ('name = "x"\n[[edits]]\nop = "edit_actor"\nactor = "o1"\n[edits.set]\nid = "o9"\n',
     "'id' cannot be edited"),
    ('name = "x"\n[[edits]]\nop = "edit_actor"\nactor = "o1"\nunset = ["kind"]\n',
     "field 'edits[0].unset': 'kind' is required and cannot be unset"),
    ('name = "x"\n[[edits]]\nop = "remove_relation"\nkind = "tie"\n',
     "field 'edits[0]': identify the relation by 'id', or by 'source', 'target' and 'kind' "
     "(missing: source, target)"),
    ('name = "x"\n[[edits]]\nop = "remove_relation"\nid = "r1"\nmatch = "some"\n',
     "field 'edits[0].match'"),
    ('format_version = 2\nname = "x"\n', "field 'format_version': unsupported scenario format"),
    ('nmae = "x"\n', "field 'nmae': unknown key; did you mean 'name'?"),
    ('name = "bad name/with slash"\n', "field 'name'"),
    ("name = \n", "bad.toml: invalid TOML: Invalid value (at line 1"),
    ('name = "x"\n[[edits]]\nop = "add_relation"\n[edits.relation]\nsource = "a"\ntarget = "a"\n'
     'kind = "tie"\n', "field 'edits[0].relation'"),
]


@pytest.mark.parametrize(("text", "expected"), _INVALID)
def test_invalid_files_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        Scenario.read(path)
    message = str(err.value)
    assert message.startswith("invalid scenario: ")
    assert "bad.toml" in message
    assert expected in message


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('nmae = "x"\n[[edits]]\nop = "nope"\n[[edits]]\nop = "remove_actor"\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        Scenario.read(path)
    message = str(err.value)
    assert "3 problem(s)" in message
    assert "'nmae'" in message and "'edits[0].op'" in message and "'edits[1].actor'" in message


def test_missing_file() -> None:
    with pytest.raises(FileNotFoundError):
        Scenario.read("/nonexistent/scenario.toml")


def test_constructors_validate() -> None:
    with pytest.raises(ScenarioError, match=r"edits\[0\]\.actor"):
        Scenario.remove_actor("")
    with pytest.raises(ScenarioError, match="give competitor_intensity, partner_intensity"):
        Scenario.set_intensity("a", "b")
    with pytest.raises(ScenarioError, match="did you mean 'employees'"):
        Scenario.edit_actor("a", set={"employes": 3})


def test_add_and_len() -> None:
    s = Scenario.remove_actor("a", name="first") + Scenario.remove_actor("b", name="second")
    assert s.name == "first" and len(s) == 2
    assert [e.actor for e in s.edits] == ["a", "b"]  # type: ignore[union-attr]
    assert Scenario().edits == ()
    assert repr(Scenario(name="empty")) == "<Scenario 'empty': no edits>"


def test_empty_scenario_keeps_the_data(bridge: Ecosystem) -> None:
    after = Scenario(name="nothing").apply(bridge)
    pd.testing.assert_frame_equal(after.actors, bridge.actors)
    pd.testing.assert_frame_equal(after.relations, bridge.relations)
    assert np.array_equal(after.to_igraph().get_edgelist(), bridge.to_igraph().get_edgelist())
