"""Roles: code mapping, resigned flags (both names), holders, partner shares, bad roles."""

from __future__ import annotations

import json
import pathlib

import pandas as pd
import pytest

from ecograph.exceptions import ImportFormatError
from ecograph.registry.build import import_brreg
from ecograph.registry.report import ImportReport
from ecograph.registry.roles import ROLE_MAP, iter_role_units, parse_share


def _units(brreg: pathlib.Path) -> list[pathlib.Path]:
    return [
        brreg / "enhet_999999999.json",
        brreg / "enheter_search_page.json",
        brreg / "enheter_2025.csv",
    ]


def _rel(eco_rel: pd.DataFrame, target: str) -> list[tuple[object, ...]]:
    sub = eco_rel[eco_rel["target"] == target]
    return sorted(
        zip(
            sub["role_code"],
            sub["kind"],
            sub["role"],
            sub["share"].round(6).fillna(-1),
            sub["resigned"],
            strict=True,
        )
    )


def test_per_unit_roles_mapping_and_resigned_dropped(brreg: pathlib.Path) -> None:
    res = import_brreg(_units(brreg), brreg / "roller_999999999.json", salt="t")
    rel = res.ecosystem.relations
    assert _rel(rel, "999999999") == [
        ("DAGL", "management", "ceo", -1, False),
        ("LEDE", "board_seat", "chair", -1, False),
        ("MEDL", "board_seat", "member", -1, False),
        ("REVI", "support", "auditor", -1, False),
    ]
    # the VARA seat is avregistrert: dropped and counted, not silently
    assert res.report.filtered["resigned roles (avregistrert / fratraadt) dropped"] == 1
    revi = rel[rel["role_code"] == "REVI"].iloc[0]
    assert revi["source"] == "999999990" and revi["function"] == "auditing"


def test_resigned_kept_with_both_flag_names(brreg: pathlib.Path) -> None:
    res = import_brreg(
        _units(brreg),
        [brreg / "roller_999999999.json", brreg / "roller_hotell.json"],
        resigned="keep",
        salt="t",
    )
    rel = res.ecosystem.relations
    # avregistrert=true (current API) on the VARA seat of 999999999
    vara = rel[(rel["target"] == "999999999") & (rel["role_code"] == "VARA")]
    assert vara["resigned"].tolist() == [True] and vara["weight"].tolist() == [0.5]
    # fratraadt=true (API before mid-2026) on a MEDL seat of the hotel (unit read from _links)
    hotel = rel[rel["target"] == "999999998"]
    assert sorted(zip(hotel["role_code"], hotel["resigned"], strict=True)) == [
        ("KONT", False),
        ("LEDE", False),
        ("MEDL", True),
    ]
    assert res.report.filtered["resigned roles (avregistrert / fratraadt) dropped"] == 0


def test_bad_roles_are_reported_with_location(brreg: pathlib.Path) -> None:
    res = import_brreg(_units(brreg), brreg / "roller_hotell.json", salt="t")
    skipped = res.report.skipped_frame()
    skipped = skipped[skipped["file"] == "roller_hotell.json"]
    assert skipped[["file", "location", "reason", "value"]].values.tolist() == [
        [
            "roller_hotell.json",
            "object, rollegrupper[0].roller[2]",
            "role MEDL (board_seat) held by an organisation",
            "888888888",
        ],
        ["roller_hotell.json", "object, rollegrupper[0].roller[3]", "unknown role code", "ZZZZ"],
    ]


def test_totalbestand_partners_owners_and_bad_elements(brreg: pathlib.Path) -> None:
    res = import_brreg(_units(brreg), brreg / "roller_totalbestand.json.gz", salt="t")
    rel = res.ecosystem.relations
    # ENK owner: share 1
    assert _rel(rel, "999999997") == [("INNH", "ownership", "owner", 1.0, False)]
    # DA partners: ansvarsandel "50%" -> 0.5; "halvparten" cannot be read -> empty share + a note
    assert _rel(rel, "999999988") == [
        ("DTPR", "ownership", "partner", -1, False),
        ("DTPR", "ownership", "partner", 0.5, False),
    ]
    assert [n["value"] for n in res.report.notes if "ansvarsandel" in n["note"]] == ["halvparten"]
    # ANS partners: equal shares among the two current partners (the resigned one dropped)
    assert _rel(rel, "999999985") == [("DTSO", "ownership", "partner", 0.5, False)] * 2
    # REGN held by a firm: accounting support
    regn = rel[rel["role_code"] == "REGN"]
    assert regn[["source", "target", "kind", "function"]].values.tolist() == [
        ["999999990", "999999996", "support", "accounting"]
    ]
    assert res.report.filtered["role code KENK (duplicate of HFOR)"] == 1
    skipped = res.report.skipped_frame()
    skipped = skipped[skipped["file"] == "roller_totalbestand.json.gz"]
    # element 8 is the business network 999999993, which is only in the bulk unit file
    assert skipped["location"].tolist() == ["element 2", "element 5", "element 6", "element 8"]
    assert skipped["reason"].tolist()[1:] == [
        "unit not among the imported enheter / underenheter",
        "missing organisation number",
        "unit not among the imported enheter / underenheter",
    ]
    assert skipped["reason"].iloc[0].startswith("broken JSON element")


def test_role_document_without_a_unit(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "roller.json"
    p.write_text(json.dumps({"rollegrupper": []}), encoding="utf-8")
    report = ImportReport()
    assert list(iter_role_units(p, report)) == []
    assert report.skipped_frame()["reason"].iloc[0].startswith("cannot tell which unit")
    p.write_text(json.dumps({"foo": 1}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a roles document"):
        list(iter_role_units(p, ImportReport()))


def test_unit_from_file_name(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "999999999_roller.json"
    p.write_text(json.dumps({"rollegrupper": []}), encoding="utf-8")
    assert [u for _, u, _ in iter_role_units(p, ImportReport())] == ["999999999"]


@pytest.mark.parametrize(
    "text, share",
    [
        ("50%", 0.5),
        ("50 %", 0.5),
        ("33,5%", 0.335),
        ("1/3", 1 / 3),
        ("0.25", 0.25),
        ("25", 0.25),
        ("0%", None),
        ("150%", None),
        ("1/0", None),
        ("halvparten", None),
        (None, None),
        ("", None),
    ],
)
def test_parse_share(text: str | None, share: float | None) -> None:
    got = parse_share(text)
    assert got == (pytest.approx(share) if share is not None else None)


def test_role_table_matches_the_data_sources_note() -> None:
    # data-sources.md §1.4: code -> ecograph edge
    expected = {
        "DAGL": ("management", "ceo"),
        "LEDE": ("board_seat", "chair"),
        "NEST": ("board_seat", "deputy_chair"),
        "MEDL": ("board_seat", "member"),
        "VARA": ("board_seat", "deputy_member"),
        "OBS": ("board_seat", "observer"),
        "INNH": ("ownership", "owner"),
        "REVI": ("support", "auditor"),
        "REGN": ("support", "accountant"),
        "FFØR": ("management", "managing_owner"),
        "HFOR": ("ownership", "parent_company"),
        "EIKM": ("ownership", "owner_municipality"),
    }
    assert {k: (ROLE_MAP[k].kind, ROLE_MAP[k].role) for k in expected} == expected
    assert ROLE_MAP["REVI"].function == "auditing" and ROLE_MAP["REGN"].function == "accounting"
