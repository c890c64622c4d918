"""The shipped Røros scenarios: 'what if Rørosmeieriet leaves', 'a university partner'."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import ecograph
from ecograph import Ecosystem, Scenario, compare
from ecograph.datasets import dataset_path

SCENARIOS = dataset_path("roros") / "scenarios"


@pytest.fixture(scope="module")
def roros() -> Ecosystem:
    return ecograph.load_roros()


def _raw_relations() -> list[dict[str, str]]:
    with (dataset_path("roros") / "relations.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_shipped_scenarios_are_hypothetical_and_round_trip(tmp_path: Path) -> None:
    files = sorted(p.name for p in SCENARIOS.glob("*.toml"))
    assert files == ["rorosmeieriet-leaves.toml", "university-partner.toml"]
    for name in files:
        s = Scenario.read(SCENARIOS / name)
        assert s.name == name.removesuffix(".toml")
        assert s.hypothetical is True
        assert "hypothetical" in (s.evidence or "").lower()
        assert "HYPOTHETICAL" in (SCENARIOS / name).read_text(encoding="utf-8")
        assert Scenario.read(s.write(tmp_path / name)) == s


def test_rorosmeieriet_leaves(roros: Ecosystem) -> None:
    s = Scenario.read(SCENARIOS / "rorosmeieriet-leaves.toml")
    before = roros.relations.copy(deep=True)
    after = s.apply(roros)
    # reference from the raw file, read with the csv module: every relation with the dairy
    # at either end goes
    touching = [r["id"] for r in _raw_relations()
                if "rorosmeieriet" in (r["source"], r["target"])]
    assert len(touching) == 8  # mem08, mem42, sup30, sup45-sup49 (scenario file comment)
    assert len(after.relations) == len(roros.relations) - len(touching)
    assert not set(touching) & set(after.relations["id"])
    assert "rorosmeieriet" not in after and "rorosmeieriet" in roros
    assert roros.relations.equals(before)
    result = compare(roros, after, labels=("with the dairy", "without"),
                     sections=["summary", "interlocks", "key_persons", "coopetition"])
    t = result.summary.set_index("metric")
    assert t.loc["actors", "delta"] == -1
    assert t.loc["relations", "delta"] == -8
    assert t.loc["relations.supply", "delta"] == -6  # sup30, sup45-sup49
    assert t.loc["relations.membership", "delta"] == -2  # mem08, mem42
    # the dairy holds no board seat and no management role in the bundle: no interlock changes
    if result.status.set_index("section").loc["interlocks", "status"] == "ok":
        assert result.interlocks.empty


def test_milder_reading_ends_only_the_membership(roros: Ecosystem) -> None:
    after = Scenario.remove_relation("mem08").apply(roros)
    assert len(after.relations) == len(roros.relations) - 1
    assert "rorosmeieriet" in after


def test_university_partner(roros: Ecosystem) -> None:
    s = Scenario.read(SCENARIOS / "university-partner.toml")
    after = s.apply(roros)
    added = after.relations[after.relations["id"].str.startswith("scn_")]
    assert sorted(added["kind"]) == ["board_seat", "knowledge_link", "management"]
    assert set(added["provenance"]) == {"illustrative"}
    assert set(after.actors.loc[["university_partner", "university_contact"], "provenance"]) == \
        {"illustrative"}
    result = compare(roros, after, sections=["summary", "reachability", "scores"])
    t = result.summary.set_index("metric")
    assert t.loc["actors.knowledge_institution", ["baseline", "scenario"]].tolist() == [0, 1]
    status = result.status.set_index("section")["status"]
    if status["reachability"] == "ok":
        reach = result.reachability
        gained = reach[(reach["change"] == "gained")
                       & reach["measure"].str.contains("knowledge")]["actor_id"]
        # the board observer seat puts the network itself one person away from the university
        assert "best_lokalt" in set(gained)
    if status["scores"] == "ok":
        scores = result.scores.set_index(["level", "name"])
        assert scores.loc[("layer", "material"), "delta"] > 0


def test_removing_a_support_provider_keeps_the_support_table_valid(roros: Ecosystem) -> None:
    support = roros.tables.get("support")
    if support is None or not (support["provider"] == "rorosmat").any():
        pytest.skip("the bundle has no support rows provided by Rørosmat")
    after = Scenario.remove_actor("rorosmat").apply(roros)
    new = after.tables["support"]
    assert not (new["actor"] == "rorosmat").any()
    assert not (new["provider"] == "rorosmat").fillna(False).any()
    # rows of other firms stay, only the provider cell is emptied
    kept = support[support["actor"] != "rorosmat"]
    assert len(new) == len(kept)
