"""The Røros case: the resource and support facts of the thesis, and what the analyses make of them.

Expected values are read off the thesis (seed digest §3-§4), not off our output:

* Tabell 4: informant 1 is the producer association's general manager, informant 2 its
  board chair; both hold a seat on the network board -> Rørosmat and Best Lokalt share two
  board members.
* §5.1, §5.2: no formal R&D link -> the network's need for R&D has no provider.
* Tabell 1: 28 member-owners of Rørosmat; employees of Galåvolden 10, Rørosmeieriet 40,
  Stensaas 20, Røroskjøtt 15, the brewery not given.
* §5.1: Rørosmat's main task is joint distribution, sales and market services for its owners.
* §4.5 / Tabell 9: contract production at each other's sites and joint investment in plants
  and equipment, proposed for the five producers together.
"""

from __future__ import annotations

import hashlib
import pathlib
import tomllib

import pandas as pd
import pytest

import ecograph
from ecograph.analysis.resources import (
    match_resources,
    self_map,
    simulate_substitution,
    support_coverage,
    support_indicators,
)
from ecograph.datasets import dataset_path

PRODUCERS = ["galavolden_gard", "rorosmeieriet", "stensaas", "roroskjott", "roros_bryggeri"]


@pytest.fixture(scope="module")
def eco() -> ecograph.Ecosystem:
    return ecograph.load_roros()


@pytest.fixture(scope="module")
def matches(eco: ecograph.Ecosystem) -> pd.DataFrame:
    return match_resources(eco)


def test_tables_are_loaded_with_evidence(eco: ecograph.Ecosystem) -> None:
    res, sup = eco.tables["resources"], eco.tables["support"]
    assert len(res) == 64 and len(sup) == 100
    meta = tomllib.loads((dataset_path("roros") / "ecosystem.toml").read_text(encoding="utf-8"))
    keys = {s["id"] for s in meta["ecosystem"]["sources"]}
    for table in (res, sup):
        assert table["provenance"].isin(["stated", "inferred", "illustrative"]).all()
        assert table["evidence"].notna().all()
        assert table["evidence"].str.split(" ").str[0].isin(keys).all()
    # the informants' letters A-F are kept as text, never mapped to an informant (a person):
    # the thesis does not say which of informants 1-6 is A-F
    assert set(res["informant"].dropna()) == {"A", "B", "C", "D", "E", "F", "A|F", "E|F"}
    assert not res["actor"].isin(eco.persons).any()
    # needs of single producers are stated only for the producers together: illustrative
    prod_needs = res[res["actor"].isin(PRODUCERS) & (res["direction"] == "needs")
                     & res["item"].isin(["production_capacity", "production_equipment"])]
    assert len(prod_needs) == 10 and (prod_needs["provenance"] == "illustrative").all()


def test_manifest_lists_the_tables() -> None:
    folder = dataset_path("roros")
    manifest = folder / "SHA256SUMS"
    if not manifest.exists():
        pytest.skip("no SHA256SUMS in this copy of the bundle")
    sums = dict(reversed(line.split("  ", 1)) for line in manifest.read_text().splitlines() if line)
    for name in ("resources.csv", "support.csv"):
        assert sums[name] == hashlib.sha256((folder / name).read_bytes()).hexdigest()


def test_rd_need_has_no_provider(matches: pd.DataFrame) -> None:
    row = matches[(matches["actor"] == "best_lokalt")
                  & (matches["item"] == "research_and_development")]
    assert row["status"].tolist() == ["unmatched"]


def test_network_needs_met_by_its_own_member(matches: pd.DataFrame) -> None:
    wanted = matches["item"].isin(["sales", "marketing"])
    rows = matches[(matches["actor"] == "best_lokalt") & wanted]
    assert rows["provider"].tolist() == ["rorosmat", "rorosmat"]
    assert rows["distance"].tolist() == [1, 1]
    # informants 1 (manager) and 2 (chair) of Rørosmat both sit on the network board
    assert rows["shared_boards"].tolist() == [2, 2]
    assert rows["direct_tie"].all()


def test_producers_find_test_arenas_in_the_shops(matches: pd.DataFrame) -> None:
    for producer in PRODUCERS:
        rows = matches[(matches["actor"] == producer) & (matches["item"] == "test_arena")]
        assert rows["provider"].tolist()[:2] == ["coop_roros", "rema_roros"]
        # the hotel/restaurant of informant 3 is reached through the network board
        assert rows["provider"].tolist()[2] == "informant_3_firm"
        assert rows["via"].tolist()[2] == ["membership", "board_seat", "management"]


def test_shared_production_among_producers(matches: pd.DataFrame) -> None:
    cap = matches[matches["item"] == "production_capacity"]
    assert len(cap) == 5 * 4
    assert (cap["opportunity"] == "contract_production").all()
    # every pair of producers shares two memberships: Best Lokalt and Rørosmat (inferred)
    assert (cap["joint_memberships"] == 2).all() and (cap["distance"] == 2).all()
    equipment = matches[matches["item"] == "production_equipment"]
    assert (equipment["opportunity"] == "joint_investment").all()
    assert equipment["co_needers"].map(len).tolist() == [4] * 5


def test_support_coverage_is_the_cooperative(eco: ecograph.Ecosystem) -> None:
    cov = support_coverage(eco)
    assert cov.index.tolist() == ["distribution", "marketing", "sales"]
    # 28 owners of unknown size and the brewery (size not given); the four producers with
    # 10-40 employees are not micro-businesses
    assert cov["firms"].tolist() == [29, 29, 29]
    assert cov["cooperative"].tolist() == [29, 29, 29]
    assert (cov["not_done_rate"] == 0).all() and (cov["shared_share"] == 1).all()
    everyone = support_coverage(eco, micro_max_employees=None)
    assert everyone["firms"].tolist() == [33, 33, 33]
    # nothing is done alone or left undone, so there is nothing to move
    assert simulate_substitution(eco).loc["(all)", "firms_moved"] == 0


def test_indicators(eco: ecograph.Ecosystem) -> None:
    ind = support_indicators(eco)
    assert ind["support_firms"] == 29
    assert ind["support_network_share"] == 1.0 and ind["support_not_done_rate"] == 0.0
    assert pd.isna(ind["providers_within_reach_share"])  # no open pair
    # 22 needs; unmatched: the network's R&D, product development and development capital,
    # Rørosmat's development capital, and the five producers' equipment
    assert ind["resource_needs"] == 22
    assert ind["resource_needs_matched_share"] == pytest.approx(13 / 22)


def test_self_map_of_rorosmat(eco: ecograph.Ecosystem) -> None:
    sm = self_map(eco, "rorosmat")
    roles = sm.roles
    held_in = roles[roles["direction"] == "in"]
    assert set(held_in.loc[held_in["kind"] == "board_seat", "other"]) == {"informant_2"}
    assert set(held_in.loc[held_in["kind"] == "management", "other"]) == {"informant_1"}
    assert (held_in["kind"] == "membership").sum() == 33
    assert sm.resources.loc[sm.resources["direction"] == "needs", "item"].tolist() == [
        "development_capital"]
    assert not sm.reachable_resources["meets_need"].any()


def test_analyze_writes_the_files(eco: ecograph.Ecosystem, tmp_path: pathlib.Path) -> None:
    from ecograph.outputs import analyze

    status = analyze(eco, tmp_path, only=["resources_matches.csv", "support_coverage.csv"])
    assert status["status"].tolist() == ["ok", "ok"], status["error"].tolist()
    written = pd.read_csv(tmp_path / "resources_matches.csv")
    assert len(written) == len(match_resources(eco))
    assert "best_lokalt;rorosmat" in set(written["path"].dropna())
    cov = pd.read_csv(tmp_path / "support_coverage.csv", index_col="function")
    assert cov["cooperative"].tolist() == [29, 29, 29]
