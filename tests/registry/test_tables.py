"""The shipped municipality list and SN2007 -> SN2025 crosswalk."""

from __future__ import annotations

import pytest

from ecograph.exceptions import InputError
from ecograph.registry.tables import data_path, municipalities, nace_crosswalk, to_sn2025


def test_2024_structure_357_municipalities_in_15_counties() -> None:
    k = municipalities()
    # SSB KLASS 131 for 2024: 357 kommuner in 15 fylker (data-sources.md §3.1)
    assert len(k) == 357 and k.index.is_unique
    assert k.index.str.fullmatch(r"\d{4}").all()
    assert sorted(k["county_code"].unique()) == [
        "03",
        "11",
        "15",
        "18",
        "31",
        "32",
        "33",
        "34",
        "39",
        "40",
        "42",
        "46",
        "50",
        "55",
        "56",
    ]
    assert (k.index.str[:2] == k["county_code"]).all()
    assert k["county_name"].groupby(k["county_code"]).nunique().eq(1).all()
    assert not k["name"].str.contains("?", regex=False).any()


def test_known_codes_of_the_roros_region() -> None:
    k = municipalities()
    # data-sources.md §3.1: Røros 5025, Holtålen 5026, Os 3430, Tolga 3426, Tynset 3427,
    # Alvdal 3428, Folldal 3429, Rendalen 3424, Engerdal 3425, Midtre Gauldal 5027
    expected = {
        "5025": "Røros - Rossen",
        "5026": "Holtålen",
        "3430": "Os",
        "3426": "Tolga",
        "3427": "Tynset",
        "3428": "Alvdal",
        "3429": "Folldal",
        "3424": "Rendalen",
        "3425": "Engerdal",
        "5027": "Midtre Gauldal",
    }
    assert k.loc[list(expected), "name"].to_dict() == expected
    assert k.loc["5025", "county_name"].startswith("Trøndelag")
    assert k.loc["0301", "name"] == "Oslo"


def test_county_sizes() -> None:
    # counts per county of the 2024 structure (from the source list)
    sizes = municipalities()["county_code"].value_counts().to_dict()
    assert sizes == {
        "34": 46,
        "46": 43,
        "18": 41,
        "50": 38,
        "15": 27,
        "42": 25,
        "11": 23,
        "32": 21,
        "55": 21,
        "33": 18,
        "56": 18,
        "40": 17,
        "31": 12,
        "39": 6,
        "03": 1,
    }


def test_population_column_is_empty_until_filled() -> None:
    k = municipalities()
    assert str(k["population"].dtype) == "Int64"
    assert k["population"].isna().all()


def test_only_2024_is_shipped() -> None:
    with pytest.raises(InputError, match="2024 structure only"):
        municipalities(2020)
    with pytest.raises(InputError, match="no shipped reference file"):
        data_path("nope.csv")


def test_crosswalk_rows_from_the_data_sources_note() -> None:
    cw = nace_crosswalk()
    targets = {k: tuple(v) for k, v in cw.groupby("sn2007")["sn2025"]}
    # data-sources.md §4.2 table rows
    assert targets["46.433"] == ("46.490",)
    assert set(targets["47.914"]) == {"47.400", "47.540", "47.690", "47.790", "47.920"}
    assert set(targets["74.101"]) == {"74.110", "74.140"}
    assert set(targets["79.903"]) == {"79.121", "56.400"}
    assert targets["90.040"] == ("90.310",)
    assert targets["01.490"] == ("01.481",)
    assert set(cw["relation"]) <= {"unchanged", "renumbered", "merged", "split", "partial"}
    assert cw["sn2007"].str.fullmatch(r"\d{2}\.\d{3}").all()
    assert cw["sn2025"].str.fullmatch(r"\d{2}\.\d{3}").all()
    assert not cw.duplicated(["sn2007", "sn2025"]).any()


def test_to_sn2025() -> None:
    assert to_sn2025(["90.012", "99.999", None]).tolist() == [("90.202",), ("99.999",), ()]
