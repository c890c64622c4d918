"""``ecograph map`` and ``ecograph report`` on a bundle folder."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ecograph.cli import cli, main
from ecograph.io.bundle import write_bundle
from ecograph.reporting import html as report_module


@pytest.fixture
def bundle(tmp_path, fx):
    path = tmp_path / "toy"
    write_bundle(fx.toy(), path)
    return path


def test_map_command_writes_one_file_with_chosen_layers(bundle, tmp_path, fx):
    out = tmp_path / "maps" / "toy.html"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            str(bundle),
            "--out",
            str(out),
            "--size-by",
            "employees",
            "--layers",
            "board_seat,management",
            "--layers",
            "coopetition",
            "--no-physics",
            "--seed",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (6 actors)" in result.output
    payload = fx.map_payload(out.read_text(encoding="utf-8"))
    assert {e["kind"] for e in payload["edges"]} == {"board_seat", "management", "coopetition"}
    assert payload["options"]["physics"] == {"enabled": False}
    assert any("employees: 40" in n["title"] for n in payload["nodes"])


def test_map_command_errors_are_one_line(bundle, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["map", str(bundle), "--out", str(tmp_path / "m.html"), "--layers", "boardseat"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("InputError: unknown layer(s) ['boardseat']")
    assert "Traceback" not in err
    with pytest.raises(SystemExit) as exc:
        main(["map", str(bundle), "--out", str(tmp_path / "m.html"), "--size-by", "nope"])
    assert exc.value.code == 1
    assert "unknown size_by column 'nope'" in capsys.readouterr().err


def test_report_command(bundle, tmp_path, monkeypatch):
    def no_profile(eco):
        raise RuntimeError("skipped in this test")

    for name in report_module._TARGETS:  # the report must survive analyses that fail
        monkeypatch.setitem(report_module._TARGETS, name, no_profile)
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    out = tmp_path / "report"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(bundle),
            "--out",
            str(out),
            "--no-progress",
            "--open",
            "--title",
            "Toy report",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Toy report · ecosystem report</title>" in html
    assert "RuntimeError: skipped in this test" in html
    assert opened == [(out / "index.html").resolve().as_uri()]


def test_report_help_lists_options():
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--open", "--no-progress", "--max-rows"):
        assert option in result.output
    result = CliRunner().invoke(cli, ["map", "--help"])
    assert "--size-by" in result.output and "--layers" in result.output
