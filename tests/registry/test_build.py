"""import_brreg end to end, the import report and ``ecograph import brreg``."""

from __future__ import annotations

import json
import pathlib

import pytest
from click.testing import CliRunner

import ecograph
from ecograph.cli import cli
from ecograph.exceptions import ImportFormatError, InputError
from ecograph.registry.build import import_brreg

UNITS = [
    "enhet_999999999.json",
    "enheter_search_page.json",
    "enheter_bulk.json.gz",
    "enheter_2025.csv",
    "enheter_2024.csv",
]
ROLES = ["roller_999999999.json", "roller_hotell.json", "roller_totalbestand.json.gz"]
SHARES = ["aksjonaerer_2022.csv", "aksjonaerer_2019_cp1252.csv", "aksjonaerer_aar.csv"]


@pytest.fixture
def full(brreg: pathlib.Path) -> ecograph.registry.build.ImportResult:  # type: ignore[name-defined]
    return import_brreg(
        [brreg / f for f in UNITS],
        [brreg / f for f in ROLES],
        brreg / "underenheter_search_page.json",
        [brreg / f for f in SHARES],
        salt="s",
    )


def test_public_name_is_registered() -> None:
    assert ecograph.import_brreg is import_brreg


def test_every_record_is_accounted_for(full: ecograph.registry.build.ImportResult) -> None:  # type: ignore[name-defined]
    report = full.report
    # unit records: 1 + 7 + 7 (bulk) + 4 (2025 csv) + 2 (2024 csv) + 3 sub-units = 24
    units_seen = report.imported["units"] + report.imported["sub_units"]
    unit_skips = report.skipped_frame()
    unit_skips = unit_skips[unit_skips["file"].str.startswith(("enhet", "underenhet"))]
    assert units_seen == 18 and len(unit_skips) == 6 and units_seen + len(unit_skips) == 24
    assert report.skipped_by_reason()["missing organisation number"] == 3
    # the ecosystem holds exactly what the report says
    eco = full.ecosystem
    orgs = eco.actors[eco.actors["kind"] != "person"]
    assert len(orgs) == 18 + report.imported["organisations referenced from outside the units"]
    assert len(eco.persons) == report.imported["persons"]
    n_rel = sum(v for k, v in report.imported.items() if k.startswith("relations."))
    assert len(eco.relations) == n_rel
    assert set(eco.relations["provenance"]) == {"registry"}
    assert report.summary().startswith("imported: ")


def test_sub_units_attach_to_their_parent(full: ecograph.registry.build.ImportResult) -> None:  # type: ignore[name-defined]
    eco = full.ecosystem
    rel = eco.relations
    parent = rel[(rel["target"] == "999999979") & (rel["role"] == "sub_unit")]
    assert parent[["source", "kind", "share"]].values.tolist() == [["999999970", "ownership", 1.0]]
    # the sub-unit in Røros takes the kind of its cooperative parent in Trondheim
    assert eco.actors.loc["999999979", "kind"] == "cooperative"
    assert eco.actors.loc["999999979", "municipality"] == "5025"
    notes = [n for n in full.report.notes if "overordnetEnhet" in n["note"]]
    assert [n["value"] for n in notes] == ["999999911"]


def test_sn2007_and_sn2025_codes(
    full: ecograph.registry.build.ImportResult,  # type: ignore[name-defined]
    brreg: pathlib.Path,
) -> None:
    a = full.ecosystem.actors
    # SN2007 90.011 -> SN2025 90.201; 55.101 -> 55.100; 47.111 split -> 47.110;47.910;
    # 10.130 unchanged; 79.902 unchanged
    assert a.loc["999999987", "nace"] == "90.011" and a.loc["999999987", "nace_sn2025"] == "90.201"
    assert a.loc["999999998", "nace_sn2025"] == "55.100"
    assert a.loc["999999996", "nace_sn2025"] == "47.110;47.910"
    assert a.loc["999999999", "nace_sn2025"] == "10.130"
    as_2025 = import_brreg(brreg / "enheter_2024.csv", None, nace_version="SN2025").ecosystem
    assert as_2025.actors.loc["999999987", "nace_sn2025"] == "90.011"


def test_municipality_filter_keeps_referenced_units_as_external(brreg: pathlib.Path) -> None:
    res = import_brreg(
        [brreg / "enheter_search_page.json", brreg / "enhet_999999999.json"],
        [brreg / "roller_999999999.json", brreg / "roller_totalbestand.json.gz"],
        brreg / "underenheter_search_page.json",
        municipalities=["5025"],
        salt="s",
    )
    a = res.ecosystem.actors
    # the auditor (Trondheim) and the cooperative parent (Trondheim) are referenced from Røros
    assert a.loc["999999990", "external"] and a.loc["999999990", "municipality"] == "5001"
    assert a.loc["999999970", "external"]
    # sub-unit in Holtålen is outside; its parent in Røros stays
    assert "999999978" not in a.index
    assert not a.loc[a["municipality"] == "5025", "external"].any()
    assert res.report.filtered["sub_units outside the selected municipalities"] == 1
    assert res.ecosystem.meta.municipalities == ("5025",)


def test_report_json(full: ecograph.registry.build.ImportResult, tmp_path: pathlib.Path) -> None:  # type: ignore[name-defined]
    path = full.report.write_json(tmp_path / "r.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["skipped_total"] == len(doc["skipped"]) == full.report.n_skipped
    assert {"file", "location", "reason", "value"} == set(doc["skipped"][0])
    assert doc["files"]["aksjonaerer_2019_cp1252.csv"] == "Aksjonærregisteret CSV (cp1252)"


def test_bundle_round_trip(
    full: ecograph.registry.build.ImportResult, tmp_path: pathlib.Path
) -> None:  # type: ignore[name-defined]
    folder = ecograph.write_bundle(full.ecosystem, tmp_path / "b")
    again = ecograph.read_bundle(folder, warn=False)
    assert again == full.ecosystem


def test_errors(brreg: pathlib.Path, tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_brreg(tmp_path / "missing.json", None)
    with pytest.raises(InputError, match="resigned"):
        import_brreg(brreg / "enhet_999999999.json", None, resigned="maybe")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least one unit file"):
        import_brreg([], None)
    bad = tmp_path / "bad.json"
    bad.write_text("[", encoding="utf-8")
    res = import_brreg(bad, None)  # an unterminated array: one reported broken element
    assert res.report.skipped_frame()["reason"].iloc[0].startswith("broken JSON element")
    bad.write_text("<html>", encoding="utf-8")
    with pytest.raises(ImportFormatError):
        import_brreg(bad, None)


def test_cli_import_brreg(brreg: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "bundle"
    args = ["import", "brreg", "--out", str(out), "--salt", "s"]
    for f in UNITS:
        args += ["--enheter", str(brreg / f)]
    for f in ROLES:
        args += ["--roller", str(brreg / f)]
    args += ["--underenheter", str(brreg / "underenheter_search_page.json")]
    for f in SHARES:
        args += ["--aksjonaerer", str(brreg / f)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "skipped (bad records):" in res.output
    assert {p.name for p in out.iterdir()} == {
        "actors.csv",
        "relations.csv",
        "ecosystem.toml",
        "import_report.json",
    }
    eco = ecograph.read_bundle(out, warn=False)
    direct = import_brreg(
        [brreg / f for f in UNITS],
        [brreg / f for f in ROLES],
        brreg / "underenheter_search_page.json",
        [brreg / f for f in SHARES],
        salt="s",
    ).ecosystem
    assert len(eco.actors) == len(direct.actors) and len(eco.relations) == len(direct.relations)
    report = json.loads((out / "import_report.json").read_text(encoding="utf-8"))
    assert report["skipped_total"] > 0
    res = CliRunner().invoke(
        cli,
        [
            "import",
            "brreg",
            "--enheter",
            str(brreg / "enheter_2025.csv"),
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert res.exit_code != 0 and "--roller" in res.output
