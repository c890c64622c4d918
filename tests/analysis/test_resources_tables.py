"""The resources and support tables: vocabulary, validation with locations, round trips."""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ecograph
from ecograph.analysis.resources import (
    RESOURCE_CATEGORIES,
    SUPPORT_GROUPS,
    item_key,
    resource_vocabulary,
    support_catalogue,
    support_records,
    validate_resources_table,
    validate_support_table,
)
from ecograph.core.kinds import SUPPORT_FUNCTIONS
from ecograph.exceptions import BundleValidationError, Issue

ACTORS = pd.DataFrame({
    "id": ["farm", "dairy", "acc", "p1", "net"],
    "name": ["Gård", "Meieri", "Regnskapsbyrå", "Person 1", "Nettverk"],
    "kind": ["firm", "firm", "firm", "person", "business_network"],
    "employees": [1, 3, 6, None, None],
})
RELATIONS = pd.DataFrame({
    "source": ["farm", "dairy", "p1"],
    "target": ["net", "net", "dairy"],
    "kind": ["membership", "membership", "board_seat"],
    "role": [None, None, "chair"],
})


@pytest.fixture
def eco() -> ecograph.Ecosystem:
    return ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, {"name": "Toy"}, warn=False)


def _issues(excinfo: pytest.ExceptionInfo[BundleValidationError]) -> set[tuple[object, ...]]:
    return {(i.file, i.row, i.field, i.value) for i in excinfo.value.issues}


# --------------------------------------------------------------------------- vocabulary
def test_vocabulary_is_well_formed() -> None:
    voc = resource_vocabulary()
    assert voc.index.is_unique
    assert set(voc["category"]) == set(RESOURCE_CATEGORIES)
    assert set(voc["opportunity"].dropna()) == {"contract_production", "shared_equipment",
                                                "raw_material_exchange"}
    # every item is in normalised form and cites a seed source
    assert (item_key(pd.Series(voc.index)) == pd.Series(voc.index)).all()
    assert voc["seed_reference"].str.match(r"^(000|004) ").all()
    # the Tabell 7 resources of the thesis are covered
    for item in ("enthusiasm", "external_network", "hosting", "customer_insight",
                 "multigenerational_know_how", "regional_brand"):
        assert item in voc.index


def test_catalogue_covers_core_functions_and_groups() -> None:
    cat = support_catalogue()
    assert set(SUPPORT_FUNCTIONS) <= set(cat.index)
    assert set(cat["group"]) == set(SUPPORT_GROUPS) - {"other"}
    # report 004 §2.1: annual accounts and bookkeeping are economy tasks, marketing is not
    assert cat.loc["annual_accounts", "group"] == "economy"
    assert cat.loc["social_media", "group"] == "marketing_sales"
    assert cat.loc["strategic_planning", "group"] == "development_org"
    # the hours are a labelled assumption, one Norwegian 37.5-hour working week
    assert (cat["hours_per_year"] == 37.5).all()
    assert cat["hours_basis"].str.startswith("assumption").all()


def test_item_key_normalises() -> None:
    keys = item_key(pd.Series([" Production capacity", "production-capacity",
                               "PRODUCTION_CAPACITY"]))
    assert keys.nunique() == 1 and keys.iloc[0] == "production_capacity"


# --------------------------------------------------------------------------- resources.csv
def test_resources_every_problem_located(eco: ecograph.Ecosystem) -> None:
    raw = pd.DataFrame({
        "actor": ["farm", "ghost", "dairy", "dairy", None, "farm"],
        "direction": ["has", "has", "offers", "needs", "has", "has"],
        "category": ["physical", "human", "physical", "money", "human", "physical"],
        "item": ["cold_storage", "x", "y", "z", "w", "Cold storage"],
        "quantity": ["2", "-1", "abc", "0", "inf", ""],
        "provenance": ["stated", "rumour", None, None, None, None],
    })
    with pytest.raises(BundleValidationError) as excinfo:
        validate_resources_table(eco, raw, "resources.csv")
    assert _issues(excinfo) == {
        ("resources.csv", 3, "actor", "ghost"),
        ("resources.csv", 3, "quantity", -1.0),
        ("resources.csv", 3, "provenance", "rumour"),
        ("resources.csv", 4, "direction", "offers"),
        ("resources.csv", 4, "quantity", "abc"),
        ("resources.csv", 5, "category", "money"),
        ("resources.csv", 5, "quantity", 0.0),
        ("resources.csv", 6, "actor", None),
        ("resources.csv", 6, "quantity", "inf"),
        ("resources.csv", 7, "item", "Cold storage"),
    }
    text = str(excinfo.value)
    assert "resources.csv, row 7, field 'item': the same actor, direction and item appear twice, " \
           "first given in row 2" in text
    assert "row 4, field 'direction': expected one of ['has', 'needs']" in text


def test_resources_missing_and_misspelt_columns(eco: ecograph.Ecosystem) -> None:
    raw = pd.DataFrame({"actor": ["farm"], "direction": ["has"], "provenanse": ["stated"]})
    with pytest.raises(BundleValidationError) as excinfo:
        validate_resources_table(eco, raw, "resources.csv")
    assert _issues(excinfo) == {
        ("resources.csv", 1, "provenanse", None),  # did you mean 'provenance'?
        ("resources.csv", 1, "category", None),
        ("resources.csv", 1, "item", None),
    }
    assert "did you mean 'provenance'" in str(excinfo.value)
    assert "field 'item': required column is missing" in str(excinfo.value)


def test_resources_typed_output(eco: ecograph.Ecosystem) -> None:
    raw = pd.DataFrame({"actor": [" farm "], "direction": ["has"], "category": ["physical"],
                        "item": ["Kjølelager"], "quantity": ["12.5"], "unit": ["m²"],
                        "note": ["0123"]})
    out = validate_resources_table(eco, raw)
    assert list(out.columns) == ["actor", "direction", "category", "item", "quantity", "unit",
                                 "evidence", "provenance", "note"]
    assert out.loc[0, "actor"] == "farm"
    assert out.loc[0, "quantity"] == 12.5
    assert out["quantity"].dtype == np.float64
    # extra columns stay text: "0123" keeps its leading zero
    assert out.loc[0, "note"] == "0123"
    # validating a validated table changes nothing (Ecosystem.with_frames re-validates)
    pd.testing.assert_frame_equal(validate_resources_table(eco, out), out)


def test_from_frames_runs_the_validator() -> None:
    with pytest.raises(BundleValidationError) as excinfo:
        ecograph.Ecosystem.from_frames(
            ACTORS, RELATIONS,
            tables={"resources": pd.DataFrame({"actor": ["farm"], "direction": ["has"],
                                               "category": ["vibes"], "item": ["x"]})},
            warn=False)
    assert _issues(excinfo) == {("<resources>", 2, "category", "vibes")}


# --------------------------------------------------------------------------- support.csv
def test_support_every_problem_located(eco: ecograph.Ecosystem) -> None:
    raw = pd.DataFrame({
        "actor": ["farm", "p1", "farm", "farm", "dairy", "dairy", "farm", "nobody", "farm"],
        "function": ["marketing", "sales", "bookkeeping", "sales", "sales", "budgeting",
                     "Marketing", "it", "pricing"],
        "mode": ["not_done", "self", "self", "bought", "outsourced", "self", "self", "self",
                 "network"],
        "quality": ["poor", None, "great", None, None, None, None, None, None],
        "provider": [None, None, None, "farm", None, "acc", None, None, "ghost"],
        "hours_per_year": [None, None, "-3", None, None, None, None, None, None],
    })
    with pytest.raises(BundleValidationError) as excinfo:
        validate_support_table(eco, raw, "support.csv")
    assert _issues(excinfo) == {
        ("support.csv", 2, "quality", "poor"),          # not done, so not rated
        ("support.csv", 3, "actor", "p1"),              # a person
        ("support.csv", 4, "quality", "great"),
        ("support.csv", 4, "hours_per_year", -3.0),
        ("support.csv", 5, "provider", "farm"),         # provider is the actor itself
        ("support.csv", 6, "mode", "outsourced"),
        ("support.csv", 7, "provider", "acc"),          # provider with mode self
        ("support.csv", 8, "function", "Marketing"),    # same actor and function as row 2
        ("support.csv", 9, "actor", "nobody"),
        ("support.csv", 10, "provider", "ghost"),
    }
    assert "use mode 'self' and leave provider empty" in str(excinfo.value)


def test_support_records_merge_table_and_relations() -> None:
    relations = pd.concat([RELATIONS, pd.DataFrame({
        "source": ["acc", "acc", "net"], "target": ["farm", "dairy", "dairy"],
        "kind": ["support"] * 3, "function": ["annual_accounts", "annual_accounts", "marketing"],
        "mode": [None, None, "network"], "quality": [None, "good", None]})], ignore_index=True)
    table = pd.DataFrame({"actor": ["farm"], "function": ["Annual accounts"], "mode": ["self"]})
    eco = ecograph.Ecosystem.from_frames(ACTORS, relations, tables={"support": table}, warn=False)
    rec = support_records(eco).set_index(["actor", "function_key"])
    # the firm's own answer wins over the relation acc -> farm for the same function
    assert rec.loc[("farm", "annual_accounts"), "mode"] == "self"
    assert rec.loc[("farm", "annual_accounts"), "source"] == "table"
    assert len(rec) == 3
    # a firm provider without a mode column value means 'bought' (inferred)
    row = rec.loc[("dairy", "annual_accounts")]
    assert (row["mode"], row["mode_inferred"], row["quality"], row["relation"]) == \
        ("bought", True, "good", "r5")
    row = rec.loc[("dairy", "marketing")]
    assert (row["mode"], row["mode_inferred"]) == ("network", False)
    assert row["group"] == "marketing_sales"


def test_support_relation_with_bad_mode_is_located() -> None:
    relations = pd.concat([RELATIONS, pd.DataFrame({
        "source": ["acc", "acc"], "target": ["farm", "dairy"], "kind": ["support"] * 2,
        "function": ["bookkeeping", "sales"], "mode": ["self", None],
        "quality": [None, "excellent"]})], ignore_index=True)
    eco = ecograph.Ecosystem.from_frames(ACTORS, relations, warn=False)
    with pytest.raises(BundleValidationError) as excinfo:
        support_records(eco)
    assert _issues(excinfo) == {("<relations>", 5, "mode", "self"),
                                ("<relations>", 6, "quality", "excellent")}


# --------------------------------------------------------------------------- round trips
RESOURCES_CSV = (
    "actor,direction,category,item,quantity,unit,informant,evidence,provenance\n"
    "farm,has,physical,Kjølelager,12.5,m²,,\"thesis §4.5, 'leieproduksjon'\",stated\n"
    "dairy,needs,financial,development_capital,,,A|F,,inferred\n"
    "p1,has,human,enthusiasm,0.1,,A,thesis Tabell 7 (A),stated\n"
)
SUPPORT_CSV = (
    "actor,function,mode,quality,provider,hours_per_year,evidence,provenance\n"
    "farm,bookkeeping,self,good,,52,survey 2024,survey\n"
    "farm,annual_accounts,bought,good,acc,,,survey\n"
    "dairy,marketing,not_done,,,,,survey\n"
)


def _write_bundle(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir()
    ACTORS.to_csv(folder / "actors.csv", index=False)
    RELATIONS.to_csv(folder / "relations.csv", index=False)
    (folder / "resources.csv").write_text(RESOURCES_CSV, encoding="utf-8")
    (folder / "support.csv").write_text(SUPPORT_CSV, encoding="utf-8")
    return folder


def test_read_bundle_reads_both_tables(tmp_path: pathlib.Path) -> None:
    eco = ecograph.read_bundle(_write_bundle(tmp_path / "b"), warn=False)
    res = eco.tables["resources"]
    assert res["item"].tolist() == ["Kjølelager", "development_capital", "enthusiasm"]
    assert res["quantity"].tolist()[0] == 12.5 and np.isnan(res["quantity"].iloc[1])
    assert res["informant"].isna().iloc[0] and res["informant"].tolist()[1:] == ["A|F", "A"]
    sup = eco.tables["support"]
    assert sup["hours_per_year"].iloc[0] == 52.0
    assert sup["provider"].iloc[1] == "acc"


def test_read_bundle_locates_errors_in_the_file(tmp_path: pathlib.Path) -> None:
    folder = _write_bundle(tmp_path / "b")
    (folder / "support.csv").write_text(SUPPORT_CSV + "dairy,sales,sometimes,,,,,\n",
                                        encoding="utf-8")
    with pytest.raises(BundleValidationError) as excinfo:
        ecograph.read_bundle(folder, warn=False)
    assert excinfo.value.issues == (
        Issue("support.csv", 5, "mode",
              "expected one of ['self', 'bought', 'network', 'cooperative', 'intermediary', "
              "'not_done']", "sometimes"),)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_is_lossless(tmp_path: pathlib.Path, fmt: str) -> None:
    eco = ecograph.read_bundle(_write_bundle(tmp_path / "b"), warn=False)
    out = ecograph.write_bundle(eco, tmp_path / "out", format=fmt)  # type: ignore[arg-type]
    again = ecograph.read_bundle(out, warn=False)
    assert again == eco
    assert set(again.tables) == {"resources", "support"}
    for name in ("resources", "support"):
        pd.testing.assert_frame_equal(again.tables[name], eco.tables[name])
    # and a second round changes nothing either (the files are byte-identical for CSV)
    if fmt == "csv":
        out2 = ecograph.write_bundle(again, tmp_path / "out2", format="csv")
        for name in ("resources.csv", "support.csv"):
            assert (out / name).read_bytes() == (out2 / name).read_bytes()


def test_select_keeps_rows_of_kept_actors(tmp_path: pathlib.Path) -> None:
    eco = ecograph.read_bundle(_write_bundle(tmp_path / "b"), warn=False)
    sub = eco.select(actors=["farm", "net", "acc"])
    assert sub.tables["resources"]["actor"].tolist() == ["farm"]
    assert sub.tables["support"]["actor"].tolist() == ["farm", "farm"]


# --------------------------------------------------------------------------- property
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def _tables(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    n = draw(st.integers(0, 6))
    actors = ACTORS["id"].tolist()
    res = pd.DataFrame({
        "actor": draw(st.lists(st.sampled_from(actors), min_size=n, max_size=n)),
        "direction": draw(st.lists(st.sampled_from(["has", "needs"]), min_size=n, max_size=n)),
        "category": draw(st.lists(st.sampled_from(RESOURCE_CATEGORIES), min_size=n, max_size=n)),
        "item": [f"item {i}" for i in range(n)],
        "quantity": draw(st.lists(st.none() | st.floats(1e-9, 1e12), min_size=n, max_size=n)),
        "evidence": draw(st.lists(st.none() | _TEXT, min_size=n, max_size=n)),
        "note": draw(st.lists(st.none() | _TEXT, min_size=n, max_size=n)),
    })
    firms = ["farm", "dairy", "acc", "net"]
    m = draw(st.integers(0, 4))
    sup = pd.DataFrame({
        "actor": draw(st.lists(st.sampled_from(firms), min_size=m, max_size=m)),
        "function": [f"function {i}" for i in range(m)],
        "mode": draw(st.lists(st.sampled_from(["self", "not_done"]), min_size=m, max_size=m)),
        "hours_per_year": draw(st.lists(st.none() | st.floats(0.5, 5000), min_size=m, max_size=m)),
        "evidence": draw(st.lists(st.none() | _TEXT, min_size=m, max_size=m)),
    })
    return {"resources": res, "support": sup}


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=_tables(), fmt=st.sampled_from(["csv", "parquet"]))
def test_round_trip_property(tmp_path: pathlib.Path, tables: dict[str, pd.DataFrame],
                             fmt: str) -> None:
    eco = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, tables=tables, warn=False)
    folder = tmp_path / f"rt-{fmt}"
    ecograph.write_bundle(eco, folder, format=fmt)  # type: ignore[arg-type]
    again = ecograph.read_bundle(folder, warn=False)
    for name in ("resources", "support"):
        pd.testing.assert_frame_equal(again.tables[name], eco.tables[name])
