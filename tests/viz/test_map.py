"""network_map: structure, styling rules, safety and offline guarantees (no browser needed)."""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pandas as pd
import pytest

from ecograph import Ecosystem
from ecograph.exceptions import EmptyGraphError, InputError
from ecograph.viz.pyvis_map import PHYSICS_THRESHOLD, NetworkMap, network_map


def edges_between(payload, a: str, b: str):
    return [e for e in payload["edges"] if {e["from"], e["to"]} == {a, b}]


def vertex(eco: Ecosystem, actor_id: str) -> str:
    return f"a{int(eco.vertex_index[actor_id])}"


# ---------------------------------------------------------------- structure
def test_one_node_per_actor_and_one_edge_per_relation(toy_eco, fx):
    m = network_map(toy_eco)
    payload = fx.map_payload(m.html)
    assert len(payload["nodes"]) == len(toy_eco.actors) == m.n_nodes == 6
    assert len(payload["edges"]) == len(toy_eco.relations) == m.n_edges == 8
    # generated ids only, never user names
    assert [n["id"] for n in payload["nodes"]] == [f"a{i}" for i in range(6)]
    assert all(
        re.fullmatch(r"a\d+", e["from"]) and re.fullmatch(r"a\d+", e["to"])
        for e in payload["edges"]
    )
    names = {n["id"]: n["name"] for n in payload["nodes"]}
    assert names[vertex(toy_eco, "o1")] == "Røros Hotell"


def test_written_file_returns_path_and_matches_repr(toy_eco, tmp_path, fx):
    out = network_map(toy_eco, tmp_path / "sub" / "map.html", seed=3)
    assert out == tmp_path / "sub" / "map.html"
    html = out.read_text(encoding="utf-8")
    assert html == network_map(toy_eco, seed=3).html  # deterministic for a seed
    assert html.startswith("<!DOCTYPE html>")


def test_parallel_relations_of_different_kinds_stay_distinct(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco).html)
    pair = edges_between(payload, vertex(toy_eco, "p1"), vertex(toy_eco, "o1"))
    assert sorted(e["kind"] for e in pair) == ["board_seat", "management"]
    curves = [(e["smooth"]["type"], e["smooth"]["roundness"]) for e in pair]
    assert all(e["smooth"]["enabled"] for e in pair)
    assert len(set(curves)) == 2  # not drawn on top of each other
    single = edges_between(payload, vertex(toy_eco, "p1"), vertex(toy_eco, "o3"))
    assert len(single) == 1 and single[0]["smooth"] is False


def test_repeated_relations_of_one_kind_alternate_sides(fx):
    eco = Ecosystem.from_frames(
        pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]}),
        pd.DataFrame(
            {
                "source": ["a", "a", "a"],
                "target": ["b", "b", "b"],
                "kind": ["supply"] * 3,
                "role": ["milk", "cheese", "meat"],
            }
        ),
        warn=False,
    )
    payload = fx.map_payload(network_map(eco).html)
    curves = {(e["smooth"]["type"], e["smooth"]["roundness"]) for e in payload["edges"]}
    assert len(curves) == 3


def test_edge_width_follows_intensity_share_and_default(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco).html)
    width = {e["kind"]: e["width"] for e in payload["edges"]}
    # width = 0.8 + 4.2 x: co-opetition x = max(0.9, 0.2); ownership x = share 0.5; others 1.6
    assert width["coopetition"] == pytest.approx(0.8 + 4.2 * 0.9)
    assert width["ownership"] == pytest.approx(0.8 + 4.2 * 0.5)
    assert width["board_seat"] == pytest.approx(1.6)


def test_weights_scale_width_within_a_kind(fx):
    eco = Ecosystem.from_frames(
        pd.DataFrame({"id": list("abc"), "name": list("ABC"), "kind": ["firm"] * 3}),
        pd.DataFrame(
            {
                "source": ["a", "b"],
                "target": ["b", "c"],
                "kind": ["supply", "supply"],
                "weight": [1.0, 4.0],
            }
        ),
        warn=False,
    )
    w = sorted(e["width"] for e in fx.map_payload(network_map(eco).html)["edges"])
    assert w == pytest.approx([0.8 + 4.2 * 0.25, 0.8 + 4.2 * 1.0])


def test_directed_kinds_have_arrows_symmetric_kinds_do_not(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco).html)
    arrows = {e["kind"]: e["arrows"]["to"]["enabled"] for e in payload["edges"]}
    assert arrows["board_seat"] is True and arrows["coopetition"] is False


def test_shape_and_colour_by_kind_and_dash_by_layer(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco).html)
    by_kind = {}
    for n in payload["nodes"]:
        by_kind.setdefault(n["kind"], set()).add((n["shape"], n["color"]["background"]))
    assert all(len(v) == 1 for v in by_kind.values())  # one style per kind
    assert len({next(iter(v)) for v in by_kind.values()}) == len(
        by_kind
    )  # distinct kinds look distinct
    dashes = {e["kind"]: e["dashes"] for e in payload["edges"]}
    assert dashes["board_seat"] is False and isinstance(dashes["coopetition"], list)


def test_size_scaling_by_column_is_sqrt_of_range(fx):
    eco = Ecosystem.from_frames(
        pd.DataFrame(
            {
                "id": list("abcd"),
                "name": list("ABCD"),
                "kind": ["firm"] * 4,
                "employees": [0, 1, 4, None],
            }
        ),
        warn=False,
    )
    nodes = fx.map_payload(network_map(eco, size_by="employees").html)["nodes"]
    sizes = [n["size"] for n in nodes]
    # s = 9 + 29 sqrt((v - 0) / (4 - 0)); missing -> 9
    assert sizes == pytest.approx([9.0, 9 + 29 * 0.5, 38.0, 9.0])
    assert "Employees: n/a" not in nodes[3]["title"]  # the column itself is simply absent
    assert "employees: n/a" in nodes[3]["title"]


def test_size_by_series_with_nan_and_inf_never_reaches_js(toy_eco, fx):
    values = pd.Series(
        [np.nan, np.inf, -np.inf, 2.0, 1.0, 0.0], index=toy_eco.actors.index, name="score"
    )
    html = network_map(toy_eco, size_by=values).html
    payload = fx.map_payload(html)  # strict parse: no NaN / Infinity constants
    sizes = [n["size"] for n in payload["nodes"]]
    assert all(math.isfinite(s) for s in sizes)
    assert sizes[:3] == [9.0, 9.0, 9.0]
    assert sizes[3] == 38.0
    for token in ("NaN", "Infinity"):
        assert (
            re.search(
                rf"[:\[,]\s*-?{token}\b", html.split('id="eg-data">', 1)[1].split("</script>")[0]
            )
            is None
        )


def test_huge_and_degenerate_values_stay_finite(fx):
    eco = Ecosystem.from_frames(
        pd.DataFrame(
            {
                "id": list("ab"),
                "name": list("AB"),
                "kind": ["firm"] * 2,
                "revenue_nok": [1e308, 1e308],
            }
        ),
        pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["supply"], "weight": [1e308]}),
        warn=False,
    )
    payload = fx.map_payload(network_map(eco, size_by="revenue_nok").html)
    assert [n["size"] for n in payload["nodes"]] == [23.5, 23.5]  # equal values -> middle size
    assert all(math.isfinite(v) for n in payload["nodes"] for v in (n["x"], n["y"]))


def test_size_by_errors(toy_eco):
    with pytest.raises(InputError, match="unknown size_by column 'nope'"):
        network_map(toy_eco, size_by="nope")
    with pytest.raises(InputError, match="must be numeric"):
        network_map(toy_eco, size_by="name")
    with pytest.raises(InputError, match="duplicate actor id"):
        network_map(toy_eco, size_by=pd.Series([1.0, 2.0], index=["p1", "p1"]))
    with pytest.raises(InputError, match="size_by must be"):
        network_map(toy_eco, size_by=3)  # type: ignore[arg-type]


def test_size_by_node_metric_name(toy_eco, fx):
    pytest.importorskip("ecograph.analysis.centrality")
    nodes = fx.map_payload(network_map(toy_eco, size_by="betweenness_raw").html)["nodes"]
    assert any("betweenness_raw: " in n["title"] for n in nodes)


def test_layers_restrict_edges_and_legend(toy_eco, fx):
    html = network_map(toy_eco, layers=["board_seat"]).html
    payload = fx.map_payload(html)
    assert {e["kind"] for e in payload["edges"]} == {"board_seat"}
    assert len(payload["nodes"]) == 6  # every actor is still drawn
    assert 'data-layer="board_seat"' in html and 'data-layer="coopetition"' not in html
    with pytest.raises(InputError, match="unknown layer"):
        network_map(toy_eco, layers=["board_seats"])


def test_physics_threshold(fx, monkeypatch):
    assert PHYSICS_THRESHOLD == 500
    monkeypatch.setattr("ecograph.viz.pyvis_map.PHYSICS_THRESHOLD", 10)  # keep the test small
    small = fx.map_payload(network_map(fx.grid_ecosystem(5)).html)  # 10 actors: at the threshold
    assert small["physics"] is True and small["options"]["physics"]["enabled"] is True
    big_eco = fx.grid_ecosystem(6)  # 12 actors: above
    big = fx.map_payload(network_map(big_eco).html)
    assert big["physics"] is False and big["options"]["physics"] == {"enabled": False}
    assert big["options"]["layout"]["improvedLayout"] is False
    forced = fx.map_payload(network_map(fx.grid_ecosystem(5), physics=False).html)
    assert forced["options"]["physics"] == {"enabled": False}


def test_layout_options(toy_eco, fx):
    for name in ("fr", "kk", "drl"):
        nodes = fx.map_payload(network_map(toy_eco, layout=name).html)["nodes"]
        xy = np.array([[n["x"], n["y"]] for n in nodes])
        assert np.isfinite(xy).all() and len(np.unique(xy, axis=0)) == len(xy)
    given = pd.DataFrame({"x": np.arange(6) * 100.0, "y": np.zeros(6)}, index=toy_eco.actors.index)
    nodes = fx.map_payload(network_map(toy_eco, layout=given).html)["nodes"]
    xs = [n["x"] for n in nodes]
    assert np.allclose(np.diff(xs), 100.0)  # fixed positions keep their spacing (centred)
    with pytest.raises(InputError, match="unknown layout"):
        network_map(toy_eco, layout="spring")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no position"):
        network_map(toy_eco, layout=given.iloc[:3])
    with pytest.raises(InputError, match="columns x and y"):
        network_map(toy_eco, layout=given.rename(columns={"x": "X"}))


def test_empty_ecosystem_and_bad_height(toy_eco):
    empty = Ecosystem.from_frames(
        pd.DataFrame(
            {"id": pd.Series(dtype=str), "name": pd.Series(dtype=str), "kind": pd.Series(dtype=str)}
        )
    )
    with pytest.raises(EmptyGraphError):
        network_map(empty)
    with pytest.raises(InputError, match="CSS length"):
        network_map(toy_eco, height="100px; background:url(x)")


def test_isolated_and_single_actor_maps(fx):
    one = Ecosystem.from_frames(
        pd.DataFrame({"id": ["a"], "name": ["Alone"], "kind": ["firm"]}), warn=False
    )
    payload = fx.map_payload(network_map(one).html)
    assert len(payload["nodes"]) == 1 and payload["edges"] == []


def test_tooltips_are_plain_text_with_key_attributes(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco).html)
    node = next(n for n in payload["nodes"] if n["name"] == "Informant 1")
    assert node["title"].startswith("Informant 1\nPerson")
    assert "Board seat → Røros Hotell (chair)" in node["title"]
    assert "Management → Røros Hotell (ceo)" in node["title"]
    edge = next(e for e in payload["edges"] if e["kind"] == "coopetition")
    assert (
        "Competitor intensity: 0.9" in edge["title"] and "Partner intensity: 0.2" in edge["title"]
    )
    assert "<" not in node["title"] and "<" not in edge["title"]


# ---------------------------------------------------------------- offline and safe
def test_self_contained_no_external_references(toy_eco, fx):
    html = network_map(toy_eco).html
    assert fx.EXTERNAL_URL.search(html) is None
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "googleapis"):
        assert host not in html
    assert "bootstrap" not in html.lower()
    assert "vis-network" in html and "DataSet" in html  # the library is inlined
    assert "innerHTML" not in html
    assert [t for t, _ in fx.parse(html).tags].count("script") == 3  # data block, vis-network, ours
    csp = next(a["content"] for t, a in fx.parse(html).tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "script-src 'nonce-" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    executable = [
        a for t, a in fx.parse(html).tags if t == "script" and a.get("type") != "application/json"
    ]
    assert all(a.get("nonce") == nonce for a in executable)


def test_hostile_strings_are_data_never_markup(hostile_eco, fx, tmp_path):
    html = network_map(hostile_eco, tmp_path / "m.html").read_text(encoding="utf-8")
    for bad in fx.DANGEROUS:
        assert bad not in html, bad
    assert fx.EXTERNAL_URL.search(html) is None
    # the only script elements are ours; the hostile names survive exactly as data
    scripts = [a for t, a in fx.parse(html).tags if t == "script"]
    assert len(scripts) == 3
    payload = fx.map_payload(html)
    assert {n["name"] for n in payload["nodes"]} >= set(fx.HOSTILE)
    assert all(re.fullmatch(r"a\d+", n["id"]) for n in payload["nodes"])
    title = next(t for t, a in fx.parse(html).tags if t == "title")
    assert title == "title"
    assert (
        "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    )  # the escaped title


def test_nothing_written_to_the_working_directory(toy_eco, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    network_map(toy_eco)
    network_map(toy_eco, tmp_path / "out" / "map.html")
    assert os.listdir(cwd) == []
    assert os.listdir(tmp_path / "out") == ["map.html"]


def test_path_that_is_a_folder_is_rejected(toy_eco, tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        network_map(toy_eco, tmp_path)


def test_notebook_repr_is_isolated_srcdoc_iframe(toy_eco, fx):
    m = network_map(toy_eco, height="480px")
    assert isinstance(m, NetworkMap)
    frame = m._repr_html_()
    assert frame.startswith("<iframe srcdoc=")
    tags = fx.parse(frame).tags
    assert tags[0][0] == "iframe" and tags[0][1]["sandbox"] == "allow-scripts"
    assert "height:480px" in tags[0][1]["style"]
    assert fx.srcdoc(frame) == m.html  # escaping round-trips exactly
    assert "<script" not in frame  # inside the attribute everything is escaped


def test_viz_package_exports_lazily():
    import ecograph.viz as viz

    assert viz.network_map is network_map
    assert callable(viz.plot_quadrants)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = viz.nope


def test_hostile_municipality_cannot_reach_a_map(fx):
    """Municipality codes are validated as 4 digits, so markup there is rejected at the door."""
    from ecograph.exceptions import BundleValidationError

    with pytest.raises(BundleValidationError, match="municipality"):
        Ecosystem.from_frames(pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["firm"],
                                            "municipality": [fx.HOSTILE[1]]}))


def test_layers_may_be_a_generator(toy_eco, fx):
    payload = fx.map_payload(network_map(toy_eco, layers=(k for k in ["coopetition"])).html)
    assert [e["kind"] for e in payload["edges"]] == ["coopetition"]
