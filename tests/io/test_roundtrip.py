"""write_bundle / read_bundle lose nothing: the Røros bundle, a hand-made edge case, Hypothesis."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.testing import assert_ecosystem_equal
from ecograph.testing.strategies import ecosystems


@pytest.fixture(scope="module")
def roros() -> Ecosystem:
    return ecograph.load_roros()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_roros_round_trip(roros, tmp_path, fmt):
    ecograph.write_bundle(roros, tmp_path, format=fmt)
    assert (tmp_path / f"actors.{fmt}").exists()
    assert (tmp_path / f"relations.{fmt}").exists()
    again = ecograph.read_bundle(tmp_path, warn=False)
    assert_ecosystem_equal(roros, again)
    assert again == roros


def test_switching_format_removes_stale_files(roros, tmp_path):
    ecograph.write_bundle(roros, tmp_path, format="csv")
    ecograph.write_bundle(roros, tmp_path, format="parquet")
    assert not (tmp_path / "actors.csv").exists()
    assert_ecosystem_equal(roros, ecograph.read_bundle(tmp_path, warn=False))


def test_overwrite_false_refuses(roros, tmp_path):
    ecograph.write_bundle(roros, tmp_path)
    with pytest.raises(ecograph.exceptions.InputError, match="already holds a bundle"):
        ecograph.write_bundle(roros, tmp_path, overwrite=False)


def test_written_csv_is_plain_utf8_for_spreadsheets(roros, tmp_path):
    ecograph.write_bundle(roros, tmp_path)
    raw = (tmp_path / "actors.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.splitlines()[0].startswith("id,name,kind,")
    assert "Rørosmat SA" in text
    rel = (tmp_path / "relations.csv").read_text(encoding="utf-8")
    assert "2018-01-01" in rel and "00:00:00" not in rel


def edge_case_ecosystem() -> Ecosystem:
    """Everything that tends to get lost: Norwegian letters, quotes, commas, semicolons, line
    breaks, numeric-looking text, large integers, empty cells of every type, dates, booleans."""
    actors = pd.DataFrame({
        "id": ["ø1", "å2", "p3"],
        "name": ['Ærlige "Øl" AS', "Smør, ost; og brød\nfra Røros", "Person Å"],
        "kind": ["firm", "cooperative", "person"],
        "org_number": ["012345678", None, None],
        "employees": pd.array([9007199254740993, None, None], dtype="Int64"),
        "revenue_nok": [1.5e6, np.nan, np.nan],
        "founded": pd.array([1999, None, None], dtype="Int64"),
        "external": [True, False, False],
        "postnummer": ["0150", "7374", None],           # text that looks like a number
        "årsverk": [2.5, np.nan, 0.1 + 0.2],             # floats incl. a non-terminating binary one
        "aktiv": pd.array([True, None, False], dtype="boolean"),
        "registrert": pd.to_datetime(["1989-11-20", None, "2000-02-29"]),
        "antall": pd.array([None, -3, 0], dtype="Int64"),
        "tom": pd.Series([None, None, None], dtype="string"),
    })
    relations = pd.DataFrame({
        "source": ["p3", "ø1", "ø1"],
        "target": ["å2", "å2", "å2"],
        "kind": ["board_seat", "membership", "coopetition"],
        "role": ["chair", None, None],
        "competitor_intensity": [np.nan, np.nan, 0.0],
        "partner_intensity": [np.nan, np.nan, 1.0],
        "since": pd.to_datetime(["2018-01-01", None, "1900-01-01"]),
        "until": pd.to_datetime(["2100-12-31", None, None]),
        "evidence": ['thesis "Tabell 4"', None, "§5.2; «vi konkurrerer ikke»"],
        "notat": ["", "   ", "æ"],
    })
    meta = {"name": "Kantilfeller på Røros", "municipalities": ["5025"], "population": 0,
            "sources": [{"id": "thesis", "title": "Best Lokalt også best nasjonalt?"}],
            "columns": {"actors": {"postnummer": "text"}}}
    return Ecosystem.from_frames(actors, relations, meta, warn=False)


def test_edge_case_frames_are_typed_as_declared():
    eco = edge_case_ecosystem()
    assert eco.extra_dtypes == {
        "actors": {"postnummer": "text", "årsverk": "float", "aktiv": "bool", "registrert": "date",
                   "antall": "int", "tom": "text"},
        "relations": {"notat": "text"},
    }
    assert eco.actors.loc["ø1", "postnummer"] == "0150"
    assert eco.relations["notat"].isna().tolist() == [True, True, False]  # empty = missing


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_edge_case_round_trip(tmp_path, fmt):
    eco = edge_case_ecosystem()
    ecograph.write_bundle(eco, tmp_path, format=fmt)
    again = ecograph.read_bundle(tmp_path, warn=False)
    assert_ecosystem_equal(eco, again)
    assert again.actors.loc["ø1", "employees"] == 2**53 + 1
    assert again.actors.loc["p3", "årsverk"] == 0.1 + 0.2
    assert again.actors.loc["å2", "name"] == "Smør, ost; og brød\nfra Røros"
    assert again.relations.loc[0, "since"] == pd.Timestamp(dt.date(2018, 1, 1))


def test_pickle_round_trip(roros):
    roros.to_igraph()  # fill the cache; it must not be pickled
    again = pickle.loads(pickle.dumps(roros))
    assert_ecosystem_equal(roros, again)
    assert again._cache == {}
    assert again.to_igraph().ecount() == roros.to_igraph().ecount()
    eco = edge_case_ecosystem()
    assert_ecosystem_equal(eco, pickle.loads(pickle.dumps(eco)))


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture])
@given(eco=ecosystems())
def test_hypothesis_round_trip_csv(eco, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    ecograph.write_bundle(eco, folder)
    assert_ecosystem_equal(eco, ecograph.read_bundle(folder, warn=False))


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture])
@given(eco=ecosystems())
def test_hypothesis_round_trip_parquet(eco, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pq")
    ecograph.write_bundle(eco, folder, format="parquet")
    assert_ecosystem_equal(eco, ecograph.read_bundle(folder, warn=False))


@settings(max_examples=10)
@given(eco=ecosystems())
def test_hypothesis_pickle_round_trip(eco):
    assert_ecosystem_equal(eco, pickle.loads(pickle.dumps(eco)))


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture])
@given(eco=ecosystems(max_actors=20, max_relations=40))
def test_hypothesis_round_trip_many(eco, tmp_path_factory):
    for fmt in ("csv", "parquet"):
        folder = tmp_path_factory.mktemp(fmt)
        ecograph.write_bundle(eco, folder, format=fmt)
        assert_ecosystem_equal(eco, ecograph.read_bundle(folder, warn=False))
    assert_ecosystem_equal(eco, Ecosystem.from_networkx(eco.to_networkx()))
