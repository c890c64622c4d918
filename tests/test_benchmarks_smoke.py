"""Smoke tests of the benchmark runner (benchmarks/run.py): it imports, one tiny cell runs,
the three implementations of an operation compute the same thing, and the bookkeeping
(extrapolation, timeouts, target verdicts, reports) is right."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import _common  # noqa: E402
import _ops  # noqa: E402
import _report  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def tiny() -> dict[str, Any]:
    return _ops._setup_eco(200, None)


def test_smoke_flags_parse() -> None:
    args = run.parser().parse_args(["--smoke", "--out", "x", "--sizes", "1e4,1e3"])
    assert args.smoke and args.sizes == [1000, 10000]
    assert run.plan(["build", "batch", "map"], [1000], smoke=True) == [
        ("build", 1000), ("batch", _ops.OPS["batch"].smoke_size),
        ("map", _ops.OPS["map"].smoke_size)]
    with pytest.raises(SystemExit):
        run.parser().parse_args(["--ops", "nonsense"])


def test_one_tiny_cell_runs() -> None:
    rec = run.child("interlocks", "ecograph", 200, repeats=2, cache=None, budget=math.inf)
    assert rec["status"] == "ok" and rec["repeats"] == 2 and len(rec["times"]) == 2
    assert rec["median_s"] == pytest.approx(sum(rec["times"]) / 2)
    assert 0 < rec["median_s"] < 30
    assert rec["peak_rss"] >= rec["rss_base"] > 0 and rec["growth"] >= 0
    assert rec["actors"] == 500  # 200 organisations + 1.5 persons each


def test_build_probe_counts_edges() -> None:
    state = _ops._setup_build(200, None)
    for impl in ("ecograph", "raw", "networkx"):
        probe = _ops.resident_probe(impl, state)
        assert probe["edges"] == len(state["relations"])  # one edge per relation
        assert isinstance(probe["graph_b_per_edge"], float)


def test_key_players_agree(tiny: dict[str, Any]) -> None:
    # the hand-written greedy searches must pick the persons ecograph picks
    expected = _ops._kps_ecograph(tiny)["actor_id"].tolist()
    ids = tiny["eco"].actors.index
    assert [ids[v] for v in _ops._kps_raw(tiny)] == expected
    assert _ops._kps_networkx(tiny) == expected


def test_coopetition_equivalents_agree(tiny: dict[str, Any]) -> None:
    eco_table = _ops._coop_ecograph(tiny)
    expected = pd.DataFrame({"a": eco_table["org_a"].astype(str),
                             "b": eco_table["org_b"].astype(str),
                             "c": eco_table["competitor_intensity"],
                             "p": eco_table["partner_intensity"]})
    raw = _ops._coop_raw(tiny)
    ids = tiny["eco"].actors.index.to_numpy(dtype=object)
    a, b = ids[raw["a"]].astype(str), ids[raw["b"]].astype(str)
    swap = a > b
    got = pd.DataFrame({"a": np.where(swap, b, a), "b": np.where(swap, a, b),
                        "c": raw["competitor"], "p": raw["partner"]})
    nx_rows = pd.DataFrame(_ops._coop_networkx(tiny), columns=["a", "b", "c", "p"])
    assert len(expected) > 0
    for other in (got, nx_rows):
        merged = expected.merge(other, on=["a", "b"], how="outer", indicator=True)
        assert (merged["_merge"] == "both").all()
        np.testing.assert_allclose(merged["c_x"], merged["c_y"], atol=1e-9)
        np.testing.assert_allclose(merged["p_x"], merged["p_y"], atol=1e-9)


def test_structure_parts_run_alone(tiny: dict[str, Any]) -> None:
    import bench_structure

    for impl in (bench_structure.run_ecograph, bench_structure.run_raw,
                 bench_structure.run_networkx):
        tiny["eco"]._cache.clear()
        assert set(impl(tiny["eco"], k=8, n_null=1, parts=("interlocks",))) == {"interlocks"}


def test_extrapolation_by_hand() -> None:
    # t = 2e-6 * s^2: 1e3 -> 2 s, 1e4 -> 200 s; slope 2, so 1e5 -> 20,000 s
    points = [(1e3, 2.0), (1e4, 200.0)]
    assert _common.scaling_exponent(points) == pytest.approx(2.0)
    seconds, exponent = _common.extrapolate(points, 1e5, default_exponent=1.0)
    assert exponent == pytest.approx(2.0) and seconds == pytest.approx(20_000.0)
    # one point: the default exponent; a flatter fit is floored at half the default
    assert _common.extrapolate([(1e3, 1.0)], 1e4, 1.0) == pytest.approx((10.0, 1.0))
    assert _common.extrapolate([(1e3, 1.0), (1e4, 1.0)], 1e5, 1.0)[1] == pytest.approx(0.5)
    assert _common.extrapolate([], 1e5, 1.0) is None
    assert _common.median([3.0, 1.0, 2.0]) == 2.0 and _common.median([4.0, 1.0]) == 2.5


def test_child_timeout_kills() -> None:
    rec = _common.run_child(["-c", "import time; time.sleep(60)"], timeout=1.0)
    assert rec["status"] == "timeout" and rec["wall"] < 30
    rec = _common.run_child(["-c", "raise SystemExit(3)"], timeout=30.0)
    assert rec["status"] == "error" and "exit 3" in rec["error"]
    rec = _common.run_child(["-c", "print('{\"x\": 1}')"], timeout=30.0)
    assert rec["status"] == "ok" and rec["x"] == 1


def _rec(op: str, impl: str, size: int, seconds: float | None, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"op": op, "impl": impl, "size": size}
    if seconds is None:
        return {**base, "status": "skipped", **extra}
    return {**base, "status": "ok", "median_s": seconds, "times": [seconds], "repeats": 1,
            "rss_base": 100 * _common.MIB, "peak_rss": 2 * 1024 * _common.MIB,
            "growth": 1024 * _common.MIB, **extra}


def test_targets_and_reports(tmp_path: Path) -> None:
    records = [
        _rec("suite", "ecograph", 1_000_000, 100.0),       # T1: 100 s, 2 GiB -> reached
        _rec("suite", "raw", 1_000_000, 95.0),             # 100 / 95 = 1.053 -> within 10 %
        _rec("suite", "ecograph", 100_000, 16.0),          # T2: 16 s > 15 s -> not reached
        _rec("suite", "raw", 100_000, 10.0),               # 1.6x over raw -> T3 not reached
        _rec("suite", "networkx", 100_000, None, predicted_s=480.0),  # 30x (extrapolated)
        _rec("build", "ecograph", 100_000, 1.0, graph_b_per_edge=150.0,
             simple_graph_b_per_edge=90.0),               # T4: analysis graph only -> partly
        _rec("batch", "ecograph", 357, 90.0),              # T5 reached
        _rec("import", "ecograph", 1, 0.2, first_use_s=0.3),  # T6 reached
    ]
    results = {"machine": _common.machine(), "records": records, "workloads": [],
               "total_s": 1.0}
    verdict = {t["id"]: t["ok"] for t in _report.evaluate_targets(results)}
    assert verdict == {"T1": True, "T2": False, "T3": False, "T4": "partly", "T5": True,
                       "T6": True}
    # the 2-process suite counts for T1 / T2 when faster; its memory is the process tree
    faster = [*records, _rec("suite2", "ecograph", 100_000, 12.0),          # 480 / 12 = 40x
              _rec("suite2", "ecograph", 1_000_000, 70.0, tree_peak=4 * 2**30)]  # > 3 GiB
    both = {t["id"]: t for t in _report.evaluate_targets({**results, "records": faster})}
    assert both["T2"]["ok"] is True and "2 processes" in both["T2"]["measured"]
    assert both["T1"]["ok"] is False and "4.00 GiB" in both["T1"]["measured"]
    r = {(q["op"], q["size"]): q for q in _report.ratios(records)}
    assert r[("suite", 100_000)]["networkx_over_ecograph"] == pytest.approx(30.0)
    assert r[("suite", 100_000)]["networkx_over_ecograph_estimated"]
    assert r[("suite", 1_000_000)]["ecograph_over_raw"] == pytest.approx(100 / 95)
    paths = _report.write_reports(results, tmp_path, notes="## Notes\n\nhand-written")
    assert [p.name for p in paths] == ["results.csv", "results.json", "summary.md",
                                       "plot.png"]
    text = (tmp_path / "summary.md").read_text()
    assert "**not reached**" in text and "hand-written" in text and "skip (≈480 s)" in text
    table = pd.read_csv(tmp_path / "results.csv")
    assert len(table) == len(records)
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"


def test_merge_keeps_earlier_cells(tmp_path: Path) -> None:
    import json

    earlier = {"machine": _common.machine(), "command": "earlier", "workloads": [],
               "records": [_rec("import", impl, 1, 0.1 * (i + 1))
                           for i, impl in enumerate(run.IMPLS)]}
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(earlier))
    args = run.parser().parse_args(["--ops", "import", "--merge", str(path), "--quiet",
                                    "--out", str(tmp_path / "out")])
    args.jobs = 1
    results = run.run_suite(args)  # every cell is known: no child runs
    assert [(r["impl"], r["median_s"]) for r in results["records"]] == [
        ("ecograph", 0.1), ("raw", 0.2), ("networkx", pytest.approx(0.3))]
    assert results["earlier_runs"][0]["command"] == "earlier"
