"""Enhetsregisteret units in every published format."""

from __future__ import annotations

import gzip
import json
import pathlib

import pytest

from ecograph.exceptions import ImportFormatError
from ecograph.registry.enheter import UnitTable, actor_kind, iter_unit_records, read_units
from ecograph.registry.report import ImportReport


def _read(
    path: pathlib.Path, unit_type: str = "enhet", **kw: object
) -> tuple[dict[str, dict[str, object]], ImportReport]:
    table, report = UnitTable(), ImportReport()
    read_units(path, table, report, unit_type=unit_type, **kw)  # type: ignore[arg-type]
    cols = table.columns
    rows = {uid: {k: cols[k][i] for k in cols if k != "id"} for i, uid in enumerate(cols["id"])}
    return rows, report


def test_single_unit_json(brreg: pathlib.Path) -> None:
    rows, report = _read(brreg / "enhet_999999999.json")
    assert list(rows) == ["999999999"]
    row = rows["999999999"]
    assert row["name"] == "EKSEMPEL MAT AS" and row["kind"] == "firm" and row["legal_form"] == "AS"
    assert row["municipality"] == "5025" and row["nace"] == "10.130"
    assert row["employees"] == 12 and row["founded"] == 1989
    assert report.n_skipped == 0 and report.imported["units"] == 1
    assert row["evidence"] == "Enhetsregisteret enhet_999999999.json object"


def test_search_page_and_withheld_employee_counts(brreg: pathlib.Path) -> None:
    rows, report = _read(brreg / "enheter_search_page.json")
    assert len(rows) == 7 and report.n_skipped == 0
    # harRegistrertAntallAnsatte=false and no antallAnsatte: unknown, not 0
    assert rows["999999997"]["employees"] is None
    # harRegistrertAntallAnsatte=true but the count withheld (absent): unknown, not 0
    assert rows["999999996"]["employees"] is None
    assert rows["999999998"]["employees"] == 40
    assert rows["999999996"]["kind"] == "cooperative"
    assert rows["999999980"]["kind"] == "public_body" and rows["999999980"]["founded"] is None
    assert rows["999999990"]["municipality"] == "5001"


def test_bulk_gzip_array_reports_bad_elements_with_their_index(brreg: pathlib.Path) -> None:
    rows, report = _read(brreg / "enheter_bulk.json.gz")
    assert sorted(rows) == ["999999993", "999999995"]
    assert rows["999999993"]["kind"] == "business_network"  # FLI with SN 94.110
    skipped = report.skipped_frame()
    assert skipped["location"].tolist() == [
        "element 1",
        "element 2",
        "element 3",
        "element 4",
        "element 6",
    ]
    reasons = skipped["reason"].tolist()
    assert reasons[0].startswith("broken JSON element")
    assert reasons[1:4] == [
        "missing organisation number",
        "invalid organisation number (expected 9 digits)",
        "deleted unit (only slettedato is published)",
    ]
    assert reasons[4].startswith(
        "duplicate organisation number (first at enheter_bulk.json.gz element 0"
    )
    assert set(skipped["file"]) == {"enheter_bulk.json.gz"}


@pytest.mark.parametrize("name", ["enheter_2025.csv", "enheter_2024.csv"])
def test_both_csv_header_spellings(brreg: pathlib.Path, name: str) -> None:
    rows, report = _read(brreg / name)
    if name == "enheter_2025.csv":
        assert sorted(rows) == ["999999985", "999999988", "999999989"]
        assert rows["999999989"]["employees"] == 7 and rows["999999989"]["municipality"] == "3430"
        assert rows["999999988"]["employees"] is None  # "false", ""
        assert rows["999999985"]["employees"] is None  # "true", "" (withheld)
        assert report.skipped_frame()[["location", "reason"]].values.tolist() == [
            ["row 4", "missing organisation number"]
        ]
    else:
        assert sorted(rows) == ["999999986", "999999987"]
        assert rows["999999987"]["employees"] == 5 and rows["999999987"]["nace"] == "90.011"
        assert rows["999999986"]["founded"] is None and rows["999999986"]["municipality"] == "5026"
        assert report.n_skipped == 0


def test_gzipped_csv(brreg: pathlib.Path, tmp_path: pathlib.Path) -> None:
    p = tmp_path / "enheter.csv.gz"
    p.write_bytes(gzip.compress((brreg / "enheter_2025.csv").read_bytes()))
    rows, _ = _read(p)
    assert sorted(rows) == ["999999985", "999999988", "999999989"]


def test_sub_units_are_placed_by_their_location(brreg: pathlib.Path) -> None:
    rows, report = _read(brreg / "underenheter_search_page.json", unit_type="underenhet")
    assert rows["999999979"]["municipality"] == "5025"
    assert rows["999999979"]["parent_org_number"] == "999999970"
    assert rows["999999979"]["unit_type"] == "underenhet" and rows["999999979"]["founded"] == 2005
    assert report.imported["sub_units"] == 3


def test_municipality_filter_keeps_the_rest_for_references(brreg: pathlib.Path) -> None:
    outside: dict[str, dict[str, object]] = {}
    rows, report = _read(
        brreg / "enheter_search_page.json", municipalities=frozenset({"5025"}), outside=outside
    )
    assert sorted(outside) == ["999999970", "999999990"]
    assert outside["999999970"]["municipality"] == "5001"
    assert report.filtered["units outside the selected municipalities"] == 2
    assert len(rows) == 5


def test_unreadable_files(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"foo": 1}', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="neither a unit nor a search page"):
        list(iter_unit_records(p, ImportReport()))
    p.write_text("", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="empty"):
        list(iter_unit_records(p, ImportReport()))
    p.write_text('{"navn": ', encoding="utf-8")
    with pytest.raises(ImportFormatError, match="invalid JSON at line 1"):
        list(iter_unit_records(p, ImportReport()))
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="without an 'organisasjonsnummer' column"):
        list(iter_unit_records(p, ImportReport()))


def test_notes_for_invalid_fields(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "u.json"
    p.write_text(
        json.dumps(
            {
                "organisasjonsnummer": "999999999",
                "navn": "X AS",
                "naeringskode1": {"kode": "1O.1"},
                "antallAnsatte": "mange",
                "forretningsadresse": {"kommunenummer": "525"},
            }
        ),
        encoding="utf-8",
    )
    rows, report = _read(p)
    assert rows["999999999"]["nace"] is None and rows["999999999"]["municipality"] is None
    assert rows["999999999"]["employees"] is None
    assert [n["note"].split(";")[0] for n in report.notes] == [
        "industry code not in the SN form NN.NNN",
        "kommunenummer is not 4 digits",
        "antallAnsatte is not a whole number",
    ]


@pytest.mark.parametrize(
    "form, nace, kind",
    [
        ("AS", "10.110", "firm"),
        ("ENK", None, "firm"),
        ("SA", "47.111", "cooperative"),
        ("KOMM", "84.110", "public_body"),
        ("FLI", "94.110", "business_network"),
        ("FLI", "93.120", "support_organisation"),
        ("STAT", "85.422", "knowledge_institution"),
        ("AS", "72.190", "knowledge_institution"),
        ("AS", "84.110", "firm"),
        ("XYZ", None, "firm"),
    ],
)
def test_actor_kind(form: str, nace: str | None, kind: str) -> None:
    assert actor_kind(form, nace) == kind
