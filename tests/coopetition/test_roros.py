"""The Røros hotels and grocers, placed where the thesis-coded intensities put them.

Thesis §5.2 (seed digest §3.5, §4.7): the three hotels and the two grocers of
Best Lokalt are same-industry competitors, yet "do not see each other as
competitors ... but as partners" ("we compete with meat producers in
Argentina"). The dataset codes competitor intensity low-medium (0.3-0.4) and
partner intensity high (0.8). Under Luo's typology with the default fixed
thresholds (0.5, value >= threshold is high): competitor low, partner high,
so every one of the four pairs is *partnering*.

Reference values are read straight from ``datasets/roros/relations.csv`` with
pandas, not from ecograph's output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ecograph
from ecograph.analysis.coopetition import coopetition, coopetition_summary
from ecograph.analysis.coopetition_inference import infer_coopetition
from ecograph.outputs import analyze

HOTELS = {"bergstadens_hotell", "roros_hotell", "vauldalen_fjellhotell"}
GROCERS = {"coop_roros", "rema_roros"}


@pytest.fixture(scope="module")
def roros() -> ecograph.Ecosystem:
    try:
        return ecograph.load_roros()
    except FileNotFoundError:  # pragma: no cover - the dataset is built in parallel
        pytest.skip("datasets/roros is not available")


@pytest.fixture(scope="module")
def coded() -> dict[tuple[str, str], tuple[float, float]]:
    """(competitor, partner) per pair, read with pandas from the dataset's relations.csv."""
    from ecograph.datasets import dataset_path

    rel = pd.read_csv(Path(dataset_path("roros")) / "relations.csv", dtype=str)
    rel = rel[rel["kind"] == "coopetition"]
    return {tuple(sorted((s, t))): (float(c), float(p))  # type: ignore[misc]
            for s, t, c, p in zip(rel["source"], rel["target"], rel["competitor_intensity"],
                                  rel["partner_intensity"], strict=True)}


def test_the_four_pairs_are_coded(coded: pd.DataFrame) -> None:
    pairs = set(coded)
    hotel_pairs = {tuple(sorted((a, b))) for a in HOTELS for b in HOTELS if a < b}
    assert hotel_pairs <= pairs
    assert tuple(sorted(GROCERS)) in pairs
    # the thesis passage: low-medium competition, high partnership
    for pair in [*hotel_pairs, tuple(sorted(GROCERS))]:
        c, p = coded[pair]
        assert c < 0.5 <= p, pair


Coded = dict[tuple[str, str], tuple[float, float]]


def test_hotels_and_grocers_are_partnering(roros: ecograph.Ecosystem, coded: Coded) -> None:
    d = coopetition(roros).set_index(["org_a", "org_b"])
    hotel_pairs = [tuple(sorted((a, b))) for a in HOTELS for b in HOTELS if a < b]
    for pair in [*hotel_pairs, tuple(sorted(GROCERS))]:
        row = d.loc[pair]
        c, p = coded[pair]
        assert (row["competitor_intensity"], row["partner_intensity"]) == (c, p)
        assert row["category"] == "partnering", pair
        assert row["label"] == "LC-HP"
        assert (row["competitor_source"], row["partner_source"]) == ("relation", "relation")
        # boundary distance by hand: min(|c - 0.5|, |p - 0.5|)
        assert row["boundary_distance"] == pytest.approx(min(abs(c - 0.5), abs(p - 0.5)))
        assert bool(row["same_industry"]) is True


def test_market_commonality_disagrees_with_the_informants(roros: ecograph.Ecosystem) -> None:
    """Chen-style inference sees the hotels as strong competitors (same class, same
    municipality); the stated coding wins, which is the point of keeping both."""
    t = infer_coopetition(roros, pairs="stated").set_index(["org_a", "org_b"])
    pair = ("bergstadens_hotell", "roros_hotell")
    assert t.loc[pair, "competitor_inferred"] >= 0.9  # 0.6 (same class) + 0.3 (same municipality)
    assert t.loc[pair, "competitor_intensity"] < 0.5


def test_summary(roros: ecograph.Ecosystem,
                 coded: dict[tuple[str, str], tuple[float, float]]) -> None:
    s = coopetition_summary(roros)
    assert s["n_dyads"] == len(coded)
    assert s["n_partnering"] == sum(c < 0.5 <= p for c, p in coded.values())
    assert s["mean_partner_intensity"] == pytest.approx(
        sum(p for _, p in coded.values()) / len(coded))


def test_analyze_writes_the_coopetition_tables(roros: ecograph.Ecosystem, tmp_path: Path) -> None:
    report = analyze(roros, tmp_path, only=["coopetition_dyads.csv", "coopetition_actors.csv"])
    assert report["status"].tolist() == ["ok", "ok"], report["error"].tolist()
    dyads = pd.read_csv(tmp_path / "coopetition_dyads.csv")
    assert set(dyads["category"]) == {"partnering"}
    actors = pd.read_csv(tmp_path / "coopetition_actors.csv", index_col="actor_id")
    assert set(actors.index) >= HOTELS | GROCERS
    assert actors.loc["roros_hotell", "n_rivals"] == 2
