"""Skatteetaten's shareholder register: encodings, columns by year, separators, duplicates."""

from __future__ import annotations

import pathlib

import pandas as pd
import pytest

from ecograph.exceptions import ImportFormatError
from ecograph.registry.build import import_brreg
from ecograph.registry.shareholders import detect_encoding, parse_count

UNITS = ["enhet_999999999.json", "enheter_search_page.json", "enheter_bulk.json.gz"]


def _import(brreg: pathlib.Path, *files: str, **kw: object) -> tuple[pd.DataFrame, object]:
    res = import_brreg(
        [brreg / u for u in UNITS],
        [brreg / "roller_999999999.json"],
        aksjonaerer=[brreg / f for f in files],
        salt="s",
        **kw,
    )  # type: ignore[arg-type]
    rel = res.ecosystem.relations
    own = rel[rel["role_code"] == "AKSJ"].merge(
        res.ecosystem.actors[["name", "kind"]].rename(columns={"kind": "holder_kind"}),
        left_on="source",
        right_index=True,
    )
    return own, res


def test_utf8_nbsp_thousands_and_duplicates_summed(brreg: pathlib.Path) -> None:
    own, res = _import(brreg, "aksjonaerer_2022.csv")
    mat = own[own["target"] == "999999999"].sort_values("name")
    # company shares "1\u00a0000" and "1 000" = 1000; NORDMANN OLA has two lines, 200 + 150
    assert mat[["name", "shares_held", "share"]].values.tolist() == [
        ["EKSEMPEL HOLDING AS", 600, 0.6],
        ["NORDMANN OLA", 350, 0.35],
    ]
    assert mat.loc[mat["name"] == "EKSEMPEL HOLDING AS", "source"].tolist() == ["888888888"]
    assert "line(s) 3, 4" in mat.loc[mat["name"] == "NORDMANN OLA", "evidence"].iloc[0]
    skipped = res.report.skipped_frame()  # type: ignore[attr-defined]
    skipped = skipped[skipped["file"] == "aksjonaerer_2022.csv"]
    assert skipped[["location", "reason", "value"]].values.tolist() == [
        ["line 5", "unparseable share count (Antall aksjer)", "tre"],
        ["line 6", "company not among the imported enheter", "777777777"],
        [
            "line 7",
            "expected 9 fields separated by ';', got 4",
            "999999999;EKSEMPEL MAT AS;Ordinære aksjer;FOR MANGE FELT",
        ],
    ]


def test_cp1252_eight_columns_two_classes_and_foreign_holder(brreg: pathlib.Path) -> None:
    assert detect_encoding(brreg / "aksjonaerer_2019_cp1252.csv") == "cp1252"
    assert detect_encoding(brreg / "aksjonaerer_2022.csv") == "utf-8-sig"
    own, _ = _import(brreg, "aksjonaerer_2019_cp1252.csv")
    hotel = own[own["target"] == "999999998"].sort_values("name")
    # A-aksjer 2.000 + B-aksjer 2.000 = 4000 shares; Kari holds 300 A + 100 B = 400 -> 0.1
    assert hotel[["name", "holder_kind", "shares_held", "share"]].values.tolist() == [
        ["BRØNN ÅSE", "person", 1500, 0.375],
        ["NORDIC TEST AB", "firm", 1000, 0.25],
        ["TESTESEN KARI", "person", 400, 0.1],
    ]


def test_year_column_reads_the_latest_year_by_default(brreg: pathlib.Path) -> None:
    own, res = _import(brreg, "aksjonaerer_aar.csv")
    brew = own[own["target"] == "999999995"].sort_values("name")
    assert brew[["name", "shares_held"]].values.tolist() == [
        ["EKSEMPEL HOLDING AS", 20],
        ["PRØVE ANNE", 10],
    ]
    assert res.report.filtered["shareholder lines of other years than 2022"] == 1  # type: ignore[attr-defined]
    own, _ = _import(brreg, "aksjonaerer_aar.csv", shareholder_year=2021)
    brew = own[own["target"] == "999999995"]
    assert brew[["name", "shares_held", "share"]].values.tolist() == [
        ["EKSEMPEL HOLDING AS", 30, 1.0]
    ]


def test_link_shareholders_by_name_and_birth_year(brreg: pathlib.Path) -> None:
    own, res = _import(brreg, "aksjonaerer_2022.csv")
    rel = res.ecosystem.relations  # type: ignore[attr-defined]
    ceo = rel.loc[(rel["role_code"] == "DAGL") & (rel["target"] == "999999999"), "source"].iloc[0]
    ola = own.loc[own["name"] == "NORDMANN OLA", "source"].iloc[0]
    assert ola != ceo  # default: registers not merged
    own, res = _import(brreg, "aksjonaerer_2022.csv", link_shareholders="name_year")
    ola = own.loc[own["target"] == "999999999"].set_index("shares_held").loc[350, "source"]
    assert ola == ceo  # exactly one brreg "Ola Nordmann" born 1970
    assert res.report.imported["shareholders linked to brreg persons"] == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1000", 1000),
        ("1 000", 1000),
        ("1\u00a0000", 1000),
        ("1\u202f000", 1000),
        ("12.500", 12500),
        ("1.000.000", 1000000),
        ("7,0", 7),
        ("7,5", None),
        ("1.5", None),
        ("", None),
        ("-3", None),
    ],
)
def test_parse_count(text: str, value: int | None) -> None:
    assert parse_count(text) == value


def test_missing_columns(tmp_path: pathlib.Path, brreg: pathlib.Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("Orgnr;Selskap;Antall aksjer\n999999999;X;1\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="missing column"):
        import_brreg(brreg / "enhet_999999999.json", None, aksjonaerer=p)
