"""``ecograph compare``: the three modes, usage errors and one-line error messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import ecograph
from ecograph import Ecosystem, Scenario
from ecograph.cli import cli, main


@pytest.fixture
def bundle(tmp_path: Path, bridge: Ecosystem) -> Path:
    return ecograph.write_bundle(bridge, tmp_path / "toy")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["compare", *args])
    return result.exit_code, result.output


def test_scenario_mode_by_file_and_by_name(bundle: Path, tmp_path: Path) -> None:
    Scenario.remove_actor("pb", name="bridge-leaves").write(bundle)
    for spec in (str(bundle / "scenarios" / "bridge-leaves.toml"), "bridge-leaves"):
        out = tmp_path / f"out-{len(spec)}"
        code, output = _run(str(bundle), "--scenario", spec, "--out", str(out),
                            "--section", "summary", "--section", "interlocks", "--no-plot")
        assert code == 0, output
        assert "ok    summary" in output and "interlocks: lost: 1" in output
        summary = pd.read_csv(out / "summary.csv").set_index("metric")
        assert summary.loc["components", "bridge-leaves"] == 2
        assert (out / "edits.csv").exists() and (out / "scenario.toml").exists()
        assert Scenario.read(out / "scenario.toml") == Scenario.read(
            bundle / "scenarios" / "bridge-leaves.toml")
        assert not (out / "compare.png").exists()


def test_two_bundles(bundle: Path, tmp_path: Path, bridge: Ecosystem) -> None:
    other = ecograph.write_bundle(Scenario.remove_actor("pb").apply(bridge), tmp_path / "after")
    out = tmp_path / "out"
    code, output = _run(str(bundle), str(other), "--out", str(out), "--section", "summary",
                        "--no-plot")
    assert code == 0, output
    summary = pd.read_csv(out / "summary.csv").set_index("metric")
    assert summary.loc["largest_component", ["toy", "after"]].tolist() == [11, 5]


def test_dates(tmp_path: Path, timed: Ecosystem) -> None:
    folder = ecograph.write_bundle(timed, tmp_path / "timed")
    out = tmp_path / "out"
    code, output = _run(str(folder), "--dates", "2020-01-01", "2019-01-01", "--out", str(out),
                        "--section", "summary", "--no-plot")
    assert code == 0, output
    summary = pd.read_csv(out / "summary.csv").set_index("metric")
    # the earlier date comes first; r1, r2, r3, r4 -> r1, r4 (see test_time.py)
    assert summary.loc["relations", ["2019-01-01", "2020-01-01", "delta"]].tolist() == [4, 2, -2]


def test_labels_and_plot(bundle: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    Scenario.remove_actor("pb", name="bridge-leaves").write(bundle)
    out = tmp_path / "out"
    code, output = _run(str(bundle), "--scenario", "bridge-leaves", "--out", str(out),
                        "--labels", "today", "without-pb", "--section", "summary")
    assert code == 0, output
    assert (out / "compare.png").exists() and (out / "compare.html").exists()
    assert "without-pb" in pd.read_csv(out / "summary.csv").columns


@pytest.mark.parametrize("extra", [[], ["--dates", "2019-01-01", "2020-01-01",
                                        "--scenario", "x"]])
def test_exactly_one_mode(bundle: Path, tmp_path: Path, extra: list[str]) -> None:
    code, output = _run(str(bundle), "--out", str(tmp_path / "o"), *extra)
    assert code == 2
    assert "give exactly one of: a second bundle B, --scenario or --dates" in output


def test_unknown_scenario_name_lists_the_available_ones(bundle: Path, tmp_path: Path) -> None:
    Scenario.remove_actor("pb", name="bridge-leaves").write(bundle)
    code, output = _run(str(bundle), "--scenario", "nope", "--out", str(tmp_path / "o"))
    assert code == 2
    assert "scenarios of this bundle: bridge-leaves" in output


def test_same_date_twice(bundle: Path, tmp_path: Path) -> None:
    code, output = _run(str(bundle), "--dates", "2019-01-01", "2019-01-01", "--out",
                        str(tmp_path / "o"))
    assert code == 2 and "the two dates must differ" in output


@pytest.mark.parametrize(("text", "expected"), [
    ('name = "x"\n[[edits]]\nop = "remove_actor"\nactor = "nobody"\n',
     "ScenarioError: scenario 'x' (bad.toml) cannot be applied: 1 problem(s)"),
    ('name = "x"\n[[edits]]\nop = "remove_actr"\n', "ScenarioError: invalid scenario"),
])
def test_scenario_errors_are_one_message_without_traceback(
        bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
        expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(bundle), "--scenario", str(path), "--out", str(tmp_path / "o")])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(expected)
    assert "Traceback" not in err


def test_missing_scenario_path(bundle: Path, tmp_path: Path) -> None:
    code, output = _run(str(bundle), "--scenario", str(tmp_path / "none.toml"), "--out",
                        str(tmp_path / "o"))
    assert code == 2 and f"no scenario file {tmp_path / 'none.toml'}" in output
