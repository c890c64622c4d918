"""``ecograph validate``, ``info`` and ``export`` through click's runner and the main() wrapper."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ecograph.cli import cli, main
from ecograph.datasets import dataset_path
from ecograph.exceptions import BundleValidationError

ROROS = str(dataset_path("roros"))

BAD_RELATIONS = (
    "source,target,kind,role,share,competitor_intensity\n"
    "o1,o1,supply,,,\n"                 # row 2: self-relation
    "o1,o2,board_seat,member,,\n"       # row 3: board seat held by a firm
    "p1,o2,ownership,,1.5,\n"           # row 4: share out of range
    "o1,o2,coopetition,,,nan\n"         # row 5: NaN
    "o1,ghost,supply,,,\n"              # row 6: dangling
)
BAD_LINES = [
    "relations.csv, row 2, field 'target': a relation from an actor to itself is meaningless",
    "relations.csv, row 3, field 'source': a board_seat must start at a person, not at a firm",
    "relations.csv, row 4, field 'share': must be at most 1",
    "relations.csv, row 5, field 'competitor_intensity': expected a finite number",
    "relations.csv, row 6, field 'target': no actor with this id in the actors table",
]


def run_main(args: list[str]) -> tuple[int, str, str]:
    """Call the console-script entry point with captured output; return (exit code, out, err)."""
    runner = CliRunner()
    with runner.isolation() as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode("utf-8"), err.decode("utf-8")


@pytest.fixture
def bad_bundle(make_bundle) -> Path:
    return make_bundle(relations=BAD_RELATIONS)


# ---------------------------------------------------------------- validate
def test_validate_valid_bundle():
    result = CliRunner().invoke(cli, ["validate", ROROS])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{ROROS}: valid bundle 'Best Lokalt, Røros'"
    assert lines[1] == "  62 actors, 135 relations"
    assert "    actors.person: 6" in lines
    assert "    relations.membership: 45" in lines
    assert "    relations.supply: 64" in lines
    assert not any("knowledge" in line for line in lines)   # zero counts are not listed
    assert "warning" not in result.output


def test_validate_json():
    result = CliRunner().invoke(cli, ["validate", "--json", ROROS])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["valid"] is True
    assert doc["summary"]["actors"] == 62
    assert doc["summary"]["relations.coopetition"] == 4
    assert doc["warnings"] == []


def test_validate_lists_warnings(make_bundle):
    folder = make_bundle(relations="source,target,kind\no1,o2,supply\n")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0
    assert ("  warning: actors.csv: isolated actor (no relations): row 2 ('p1'), row 5 ('n1')"
            in result.output.splitlines())


def test_validate_invalid_bundle_via_cli_group(bad_bundle):
    # The click group itself lets ecograph errors propagate (main() renders them).
    result = CliRunner().invoke(cli, ["validate", str(bad_bundle)])
    assert result.exit_code == 1
    assert isinstance(result.exception, BundleValidationError)
    assert len(result.exception.issues) == len(BAD_LINES)


def test_validate_invalid_bundle_via_main(bad_bundle):
    code, out, err = run_main(["validate", str(bad_bundle)])
    assert code == 1
    assert out == ""
    assert err.startswith("BundleValidationError: invalid ecosystem data: 5 problem(s)\n")
    for line in BAD_LINES:
        assert f"  - {line}" in err
    assert "Traceback" not in err


def test_validate_file_level_error_via_main(make_bundle, base_actors):
    folder = make_bundle(actors=base_actors.encode("latin-1"), relations="source,target,kind\n")
    code, _, err = run_main(["validate", str(folder)])
    assert code == 1
    assert "actors.csv, row 3: file is not UTF-8; save it as 'CSV UTF-8'" in err
    assert "Traceback" not in err


def test_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    code, _, err = run_main(["validate", str(tmp_path / "nope")])
    assert code == 2
    assert "does not exist" in err and "Traceback" not in err


def test_main_returns_normally_on_success():
    code, out, err = run_main(["validate", ROROS])
    assert code == 0
    assert "valid bundle" in out
    assert err == ""


# ---------------------------------------------------------------- info and export
def test_info():
    result = CliRunner().invoke(cli, ["info", ROROS])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "name:           Best Lokalt, Røros" in lines
    assert "municipalities: 5025, 5026, 3430, 3426, 3427, 3428" in lines
    assert "population:     20000" in lines
    assert "actors:         62" in lines
    assert "relations:      135" in lines
    assert "  supply                  64" in lines
    assert "relation provenance: inferred 56, illustrative 53, stated 26" in lines
    assert any(line.startswith("source [thesis]: Best Lokalt også best nasjonalt?")
               for line in lines)


def test_info_invalid_bundle_via_main(bad_bundle):
    code, _, err = run_main(["info", str(bad_bundle)])
    assert code == 1
    assert "Traceback" not in err
    assert all(line in err for line in BAD_LINES)


def test_export(tmp_path):
    out = tmp_path / "roros.gexf"
    result = CliRunner().invoke(cli, ["export", ROROS, "--out", str(out)])
    assert result.exit_code == 0
    assert result.output.strip() == f"wrote {out}"
    assert nx.read_gexf(out).number_of_nodes() == 62


def test_help_lists_core_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("validate", "info", "export"):
        assert name in result.output


@pytest.mark.skipif(shutil.which("ecograph", path=str(Path(sys.executable).parent)) is None,
                    reason="console script not installed next to this interpreter")
def test_console_script(tmp_path):
    exe = shutil.which("ecograph", path=str(Path(sys.executable).parent))
    ok = subprocess.run([exe, "validate", ROROS], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "valid bundle" in ok.stdout
