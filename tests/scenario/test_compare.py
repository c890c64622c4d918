"""compare(): hand-checked deltas, graceful degradation, plot, HTML and files."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph import Ecosystem, Scenario, compare
from ecograph.exceptions import ComputationError, InputError
from ecograph.scenario import compare as compare_module


def _available(name: str) -> bool:
    try:
        getattr(ecograph, name)
    except (ImportError, AttributeError):
        return False
    return True


def _needs(*names: str) -> pytest.MarkDecorator:
    missing = [n for n in names if not _available(n)]
    return pytest.mark.skipif(bool(missing), reason=f"not implemented yet: {missing}")


def _fake(monkeypatch: pytest.MonkeyPatch, **functions: Callable[..., Any]) -> None:
    """Replace public analyses by hand-written tables (keyed by the ecosystem's name)."""
    real = compare_module._public

    def public(name: str) -> Callable[..., Any]:
        return functions[name] if name in functions else real(name)

    monkeypatch.setattr(compare_module, "_public", public)


# --------------------------------------------------------------- bridge person
def test_removing_the_only_bridge_person_splits_the_network(bridge: Ecosystem) -> None:
    after = Scenario.remove_actor("pb").apply(bridge)
    result = compare(bridge, after, sections=["summary"])
    t = result.summary.set_index("metric")
    # by hand: 11 actors in one chain o1-p1-o2-p2-o3-pb-o4-p3-o5-p4-o6;
    # without pb: {o1, p1, o2, p2, o3} and {o4, p3, o5, p4, o6}
    assert t.loc["components", ["baseline", "scenario", "delta"]].tolist() == [1, 2, 1]
    assert t.loc["largest_component", ["baseline", "scenario", "delta"]].tolist() == [11, 5, -6]
    assert t.loc["largest_component_share", "baseline"] == 1.0
    assert t.loc["largest_component_share", "scenario"] == 0.5
    assert t.loc["relations", ["baseline", "scenario"]].tolist() == [11, 9]
    # density = linked pairs / all pairs: 10 board seats + the co-opetition pair o1-o2 are
    # 11 distinct pairs of 11 * 10 / 2 = 55; without pb's two seats 9 of 10 * 9 / 2 = 45
    assert t.loc["density", "baseline"] == pytest.approx(11 / 55)
    assert t.loc["density", "scenario"] == pytest.approx(9 / 45)
    assert t.loc["largest_component", "relative_change"] == pytest.approx(-6 / 11)
    # networkx agrees on the components
    g = nx.Graph()
    g.add_nodes_from(after.actors.index)
    g.add_edges_from(after.relations[["source", "target"]].itertuples(index=False))
    assert sorted(len(c) for c in nx.connected_components(g)) == [5, 5]


def test_bridge_person_interlock_is_lost(bridge: Ecosystem) -> None:
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge), sections=["interlocks"])
    assert result.status.loc[0, "status"] == "ok", result.status.loc[0, "message"]
    t = result.interlocks
    # pb was the only person on both o3 and o4: that interlock goes, no other changes
    assert t[["org_a", "org_b", "change"]].values.tolist() == [["o3", "o4", "lost"]]
    assert t.loc[0, "shared_persons_baseline"] == 1 and t.loc[0, "shared_persons_scenario"] == 0
    assert t.loc[0, "persons_lost"] == "pb" and t.loc[0, "persons_gained"] == ""


@_needs("key_persons")
def test_bridge_person_gone_from_key_persons(bridge: Ecosystem) -> None:
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge), sections=["key_persons"])
    t = result.key_persons.set_index("person_id")
    assert t.loc["pb", "change"] == "gone"
    assert set(t.index) == {"p1", "p2", "pb", "p3", "p4"}
    # pb cuts the chain in two halves of 5: the most critical person
    assert t.loc["pb", "rank_baseline"] == 1


# ------------------------------------------------------- knowledge institution
def _with_university() -> Scenario:
    return (Scenario.add_actor({"id": "u1", "name": "University",
                                "kind": "knowledge_institution"}, name="university")
            + Scenario.add_relation("p1", "u1", "board_seat", role="member")
            + Scenario.add_relation("u1", "o1", "knowledge_link"))


def test_adding_a_knowledge_institution_summary(bridge: Ecosystem) -> None:
    result = compare(bridge, _with_university().apply(bridge), sections=["summary"])
    t = result.summary.set_index("metric")
    assert t.loc["actors.knowledge_institution", ["baseline", "scenario"]].tolist() == [0, 1]
    assert t.loc["relations.knowledge_link", ["baseline", "scenario"]].tolist() == [0, 1]
    assert t.loc["largest_component", "delta"] == 1
    # per-kind rows that are zero on both sides are left out
    assert "actors.cooperative" not in t.index


@_needs("reachability")
def test_adding_a_knowledge_institution_changes_reachability(bridge: Ecosystem) -> None:
    result = compare(bridge, _with_university().apply(bridge), sections=["reachability"])
    assert result.status.loc[0, "status"] == "ok", result.status.loc[0, "message"]
    t = result.reachability
    knowledge = t[t["measure"].str.contains("knowledge")]
    # before: no knowledge institution at all; after: every organisation of the (connected)
    # chain reaches u1 through p1's board seat
    gained = set(knowledge.loc[knowledge["change"] == "gained", "actor_id"])
    assert gained == {"o1", "o2", "o3", "o4", "o5", "o6"}
    assert set(t["change"]) <= {"gained", "new actor"}


@_needs("spigel_scores", "score_uncertainty", "load_model")
def test_adding_a_knowledge_institution_raises_the_material_layer(bridge: Ecosystem) -> None:
    result = compare(bridge, _with_university().apply(bridge), sections=["scores"])
    assert result.status.loc[0, "status"] == "ok", result.status.loc[0, "message"]
    t = result.scores.set_index(["level", "name"])
    # Spigel (2017): universities are a material attribute
    assert t.loc[("layer", "material"), "delta"] > 0
    assert t.loc[("layer", "cultural"), "delta"] == pytest.approx(0) or math.isnan(
        t.loc[("layer", "cultural"), "delta"])


# ---------------------------------------------- hand tables for every section
def _key_table(ranks: dict[str, int]) -> pd.DataFrame:
    frame = pd.DataFrame({"rank": list(ranks.values()),
                          "interlocks_lost": [1] * len(ranks)},
                         index=pd.Index(list(ranks), name="person_id"))
    return frame


def test_key_person_moves(monkeypatch: pytest.MonkeyPatch, bridge: Ecosystem) -> None:
    tables = {"A": _key_table({"p1": 1, "p2": 2, "p3": 3}),
              "B": _key_table({"p2": 1, "p1": 2, "p4": 3})}
    _fake(monkeypatch, key_persons=lambda eco: tables[eco.meta.name])
    a = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "A"})
    b = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "B"})
    t = compare(a, b, sections=["key_persons"]).key_persons.set_index("person_id")
    assert t.loc["p1", ["rank_baseline", "rank_scenario", "rank_change", "change"]].tolist() == \
        [1, 2, -1, "less critical"]
    assert t.loc["p2", ["rank_change", "change"]].tolist() == [1, "more critical"]
    assert t.loc["p3", "change"] == "gone" and pd.isna(t.loc["p3", "rank_scenario"])
    assert t.loc["p4", "change"] == "new" and pd.isna(t.loc["p4", "rank_baseline"])
    # ordered by the best rank on either side, ties by id: p3 (3, -) and p4 (-, 3)
    assert list(t.index) == ["p1", "p2", "p3", "p4"]
    assert t["interlocks_lost_baseline"].tolist()[:2] == [1, 1]


def test_coopetition_moves(monkeypatch: pytest.MonkeyPatch, bridge: Ecosystem) -> None:
    def dyads(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=["org_a", "org_b", "competitor_intensity",
                                           "partner_intensity", "category"])

    tables = {
        "A": dyads([("o1", "o2", 0.8, 0.2, "contending"), ("o3", "o4", 0.2, 0.8, "partnering"),
                    ("o5", "o6", 0.3, 0.3, "isolating"), ("o1", "o3", 0.9, 0.9, "adapting")]),
        # o2/o1 stored the other way round: still the same dyad
        "B": dyads([("o2", "o1", 0.8, 0.7, "adapting"), ("o3", "o4", 0.2, 0.9, "partnering"),
                    ("o1", "o3", 0.9, 0.9, "adapting"), ("o4", "o6", 0.1, 0.1, "isolating")]),
    }
    _fake(monkeypatch, coopetition=lambda eco, level: tables[eco.meta.name])
    a = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "A"})
    b = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "B"})
    t = compare(a, b, sections=["coopetition"]).coopetition
    got = {(r.org_a, r.org_b): r.change for r in t.itertuples()}
    assert got == {("o1", "o2"): "moved", ("o5", "o6"): "lost", ("o4", "o6"): "gained",
                   ("o3", "o4"): "shifted", ("o1", "o3"): "unchanged"}
    assert t["change"].tolist() == ["moved", "lost", "gained", "shifted", "unchanged"]
    row = t.iloc[0]
    assert (row["category_baseline"], row["category_scenario"]) == ("contending", "adapting")
    assert row["partner_intensity_scenario"] == 0.7


def test_reachability_changes(monkeypatch: pytest.MonkeyPatch, bridge: Ecosystem) -> None:
    def reach(values: dict[str, float]) -> pd.DataFrame:
        return pd.DataFrame({"knowledge_distance": list(values.values()),
                             "knowledge_path": ["x"] * len(values)},
                            index=pd.Index(list(values), name="actor_id"))

    tables = {"A": reach({"o1": np.nan, "o2": 2.0, "o3": 3.0, "o4": 2.0, "o5": 1.0,
                          "o6": np.inf}),
              "B": reach({"o1": 2.0, "o2": np.nan, "o3": 2.0, "o4": 3.0, "o5": 1.0,
                          "u1": 0.0})}
    _fake(monkeypatch, reachability=lambda eco: tables[eco.meta.name])
    a = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "A"})
    b = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "B"})
    t = compare(a, b, sections=["reachability"]).reachability.set_index("actor_id")
    assert t["change"].to_dict() == {"o4": "farther", "o3": "closer", "o1": "gained",
                                     "o2": "lost", "u1": "new actor"}
    assert t.loc["o3", "delta"] == -1.0 and t.loc["o4", "delta"] == 1.0
    assert set(t["measure"]) == {"knowledge_distance"}  # text columns are not compared


def test_score_verdicts_inside_and_outside_the_interval() -> None:
    labels = ("baseline", "scenario")
    merged = pd.DataFrame({
        "level": ["index"] * 5, "name": list("abcde"),
        "score_baseline": [0.5, 0.5, 0.5, 0.5, 0.5],
        "score_scenario": [0.55, 0.7, 0.3, 0.6, np.nan],
        "lower_baseline": [0.4, 0.4, 0.4, np.nan, 0.4],
        "upper_baseline": [0.6, 0.6, 0.6, np.nan, 0.6],
        "lower_scenario": [np.nan] * 5, "upper_scenario": [np.nan] * 5,
    })
    t = compare_module._score_verdicts(merged, labels)
    assert t["verdict"].tolist() == ["inside the interval", "above the interval",
                                     "below the interval", "no interval", "not comparable"]
    assert t["inside_interval"].tolist()[:3] == [True, False, False]
    assert t["inside_interval"].isna().tolist() == [False, False, False, True, True]
    assert t["delta"].tolist()[:4] == pytest.approx([0.05, 0.2, -0.2, 0.1])
    # the interval is closed: a score on the bound is inside
    merged.loc[0, "score_scenario"] = 0.6
    assert compare_module._score_verdicts(merged, labels).loc[0, "verdict"] == \
        "inside the interval"


def test_score_section_with_hand_tables(monkeypatch: pytest.MonkeyPatch,
                                        bridge: Ecosystem) -> None:
    def uncertainty(eco: Ecosystem, **kwargs: Any) -> pd.DataFrame:
        assert kwargs["model"] == "spigel2017" and kwargs["seed"] == 0
        rows = {
            "A": [("layer", "social", 0.5, 0.4, 0.6), ("layer", "material", 0.2, 0.1, 0.3),
                  ("attribute", "universities", 0.0, 0.0, 0.0),
                  ("pyramid", "cultural >= social", 0.1, 0.0, 0.2)],
            "B": [("layer", "social", 0.55, 0.45, 0.65), ("layer", "material", 0.35, 0.2, 0.5),
                  ("attribute", "universities", 0.5, 0.3, 0.7),
                  ("attribute", "networks", 0.4, 0.3, 0.5)],
        }[eco.meta.name]
        return pd.DataFrame(rows, columns=["level", "name", "score", "score_lower",
                                           "score_upper"])

    _fake(monkeypatch, score_uncertainty=uncertainty)
    a = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "A"})
    b = Ecosystem.from_frames(bridge.actors, bridge.relations, {"name": "B"})
    t = compare(a, b, sections=["scores"]).scores
    assert list(zip(t["level"], t["name"], t["verdict"])) == [
        ("layer", "social", "inside the interval"),      # 0.55 in [0.4, 0.6]
        ("layer", "material", "above the interval"),     # 0.35 > 0.3
        ("attribute", "universities", "above the interval"),
        ("attribute", "networks", "not comparable"),     # only on one side
    ]  # pyramid checks are not scores: left out
    assert t["delta"].tolist()[:3] == pytest.approx([0.05, 0.15, 0.5])
    assert t.loc[1, ["lower_scenario", "upper_scenario"]].tolist() == [0.2, 0.5]


# ----------------------------------------------------------- degradation
def test_missing_and_failing_sections_do_not_stop_the_others(
        monkeypatch: pytest.MonkeyPatch, bridge: Ecosystem) -> None:
    def missing(name: str) -> Callable[..., Any]:
        raise AttributeError(f"module 'ecograph' has no attribute {name!r}")

    def broken(eco: Ecosystem) -> pd.DataFrame:
        raise ComputationError("igraph said no")

    real = compare_module._public

    def public(name: str) -> Callable[..., Any]:
        if name == "thin_dense_profile":
            return missing(name)
        if name == "interlocks":
            return broken
        return real(name)

    monkeypatch.setattr(compare_module, "_public", public)
    result = compare(bridge, bridge, sections=["summary", "profile", "interlocks"])
    status = result.status.set_index("section")
    assert status.loc["summary", "status"] == "ok"
    assert status.loc["profile", "status"] == "not available"
    assert status.loc["profile", "message"].startswith(
        "not available: ecograph.thin_dense_profile: AttributeError")
    assert status.loc["interlocks", "status"] == "error"
    assert status.loc["interlocks", "message"] == \
        "not available: ComputationError: igraph said no"
    assert result.profile.empty and result.interlocks.empty
    assert "not available: profile, interlocks" in repr(result)
    html_text = result.to_html(plot=False)
    assert "not available: ComputationError: igraph said no" in html_text


def test_identical_ecosystems_have_no_deltas(bridge: Ecosystem) -> None:
    result = compare(bridge, bridge, sections=["summary", "interlocks"])
    assert (result.summary["delta"] == 0).all()
    assert result.interlocks.empty


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"labels": ("same", "same")}, "two different non-empty names"),
    ({"labels": ("a",)}, "labels must be two names"),
    ({"labels": "ab"}, "labels must be two names"),
    ({"labels": ("delta", "b")}, r"labels \['delta'\] clash"),
    ({"labels": ("", "b")}, "non-empty"),
    ({"sections": ["summary", "everything"]}, r"unknown section\(s\) \['everything'\]"),
])
def test_bad_arguments(bridge: Ecosystem, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        compare(bridge, bridge, **kwargs)


def test_labels_name_the_columns(bridge: Ecosystem) -> None:
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge),
                     labels=("2018", "2020"), sections=["summary", "interlocks"])
    assert list(result.summary.columns) == ["metric", "2018", "2020", "delta", "relative_change"]
    assert "shared_persons_2020" in result.interlocks.columns
    assert result["summary"] is result.summary
    with pytest.raises(KeyError, match="no section 'nope'"):
        result["nope"]
    with pytest.raises(AttributeError):
        result.nope  # noqa: B018


def test_inputs_unchanged(bridge: Ecosystem) -> None:
    other = Scenario.remove_actor("pb").apply(bridge)
    before = (bridge.actors.copy(deep=True), bridge.relations.copy(deep=True),
              other.relations.copy(deep=True))
    compare(bridge, other)
    pd.testing.assert_frame_equal(bridge.actors, before[0])
    pd.testing.assert_frame_equal(bridge.relations, before[1])
    pd.testing.assert_frame_equal(other.relations, before[2])


# ------------------------------------------------------ plot, HTML and files
HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)> "q" \'s\' href'


def test_html_escapes_untrusted_text(bridge: Ecosystem) -> None:
    actors = bridge.actors.copy()
    actors.loc["o3", "name"] = HOSTILE
    eco = Ecosystem.from_frames(actors, bridge.relations, {"name": "<b>meta</b>"})
    result = compare(eco, Scenario.remove_actor("pb").apply(eco),
                     labels=("<i>before</i>", "after & <u>x</u>"),
                     sections=["summary", "interlocks"])
    text = result.to_html(plot=False)
    assert "<script" not in text and "<img" not in text and "<b>meta" not in text
    assert "<i>" not in text and "<u>" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text  # the name is shown, inert
    assert "&lt;i&gt;before&lt;/i&gt;" in text
    assert text.startswith('<section class="ecograph-compare">') and text.endswith("</section>")
    assert "<h3>Interlocks gained and lost</h3>" in text
    assert "http" not in text


def test_html_heading_level_and_rows(bridge: Ecosystem) -> None:
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge), sections=["summary"])
    text = result.to_html(plot=False, max_rows=3, heading_level=3)
    assert "<h3>Comparison: baseline vs scenario</h3>" in text and "<h4>" in text
    assert text.count("<tr>") == 4  # header + 3 rows
    assert "more row(s) in the CSV file" in text
    with pytest.raises(InputError, match="heading_level"):
        result.to_html(heading_level=7)


def test_plot(bridge: Ecosystem) -> None:
    pytest.importorskip("matplotlib")
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge),
                     labels=("cost $5", "b"), sections=["summary", "interlocks"])
    fig = result.plot()
    visible = [ax for ax in fig.axes if ax.axison]
    assert len(visible) == 2
    labels = [t.get_text() for t in visible[0].get_yticklabels()]
    assert "largest_component: 11 → 5" in labels
    counts = [t.get_text() for t in visible[1].get_yticklabels()]
    assert counts == ["interlocks: gained", "interlocks: lost", "interlocks: changed"]
    assert [p.get_width() for p in visible[1].patches] == [0, 1, 0]


def test_write(bridge: Ecosystem, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge),
                     sections=["summary", "interlocks"])
    written = result.write(tmp_path / "out")
    assert set(written) == {"summary", "interlocks", "plot", "status", "html"}
    summary = pd.read_csv(written["summary"])
    assert summary.set_index("metric").loc["largest_component", "delta"] == -6
    interlocks = pd.read_csv(written["interlocks"], keep_default_na=False)
    assert interlocks.loc[0, "persons_lost"] == "pb"
    assert written["plot"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = written["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    status = pd.read_csv(written["status"])
    assert status["section"].tolist() == ["summary", "interlocks"]


def test_counts(bridge: Ecosystem) -> None:
    result = compare(bridge, Scenario.remove_actor("pb").apply(bridge),
                     sections=["summary", "interlocks"])
    assert result.counts() == {"interlocks: gained": 0, "interlocks: lost": 1,
                               "interlocks: changed": 0}
