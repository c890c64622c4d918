"""Placement of dyads and actors: categories, exact boundaries, scores, actors, persons.

Boundary rule under test: a value **greater than or equal to** its threshold
is *high*. Expected values are computed by hand in each test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph import Ecosystem
from ecograph.analysis.coopetition import (
    DYAD_COLUMNS,
    coopetition,
    coopetition_persons,
    coopetition_summary,
)
from ecograph.exceptions import InputError, ModelSpecError


def coop(a: str, b: str, c: float | None, p: float | None, **extra: object) -> dict[str, object]:
    return {"source": a, "target": b, "kind": "coopetition", "competitor_intensity": c,
            "partner_intensity": p, **extra}


def orgs(*ids: str) -> list[dict[str, object]]:
    return [{"id": i, "name": i.upper(), "kind": "firm"} for i in ids]


# one dyad per category plus the exact boundaries (threshold 0.5 on both axes)
GRID = [
    # pair, c, p, expected category
    (("a", "b"), 1.0, 0.0, "contending"),
    (("a", "c"), 0.0, 1.0, "partnering"),
    (("a", "d"), 0.9, 0.8, "adapting"),
    (("a", "e"), 0.1, 0.2, "isolating"),
    (("b", "c"), 0.5, 0.5, "adapting"),        # both exactly at the threshold: high / high
    (("b", "d"), 0.5, 0.49, "contending"),     # competitor on the boundary counts high
    (("b", "e"), 0.49, 0.5, "partnering"),     # partner on the boundary counts high
    (("c", "d"), 0.4999999, 0.4999999, "isolating"),  # just below both
]


@pytest.fixture
def grid(build) -> Ecosystem:
    return build(orgs("a", "b", "c", "d", "e"), [coop(a, b, c, p) for (a, b), c, p, _ in GRID])


def test_every_category_and_boundary(grid: Ecosystem) -> None:
    d = coopetition(grid).set_index(["org_a", "org_b"])
    for pair, _, _, want in GRID:
        assert d.loc[pair, "category"] == want, pair
    labels = {"contending": "HC-LP", "partnering": "LC-HP", "adapting": "HC-HP",
              "isolating": "LC-LP"}
    for pair, _, _, want in GRID:
        assert d.loc[pair, "label"] == labels[want]


def test_columns_and_order(grid: Ecosystem) -> None:
    d = coopetition(grid)
    assert list(d.columns) == list(DYAD_COLUMNS)
    assert (d["org_a"] < d["org_b"]).all()
    assert list(zip(d["org_a"], d["org_b"], strict=True)) == sorted(p for p, *_ in GRID)


def test_continuous_scores_by_hand(grid: Ecosystem) -> None:
    d = coopetition(grid).set_index(["org_a", "org_b"])
    # (0.9, 0.8): balance 1 - 0.1 = 0.9, strength 0.85, balanced 0.765, dominance -0.1,
    # margins 0.4 / 0.3, nearest boundary 0.3
    r = d.loc[("a", "d")]
    assert r["balance"] == pytest.approx(0.9)
    assert r["strength"] == pytest.approx(0.85)
    assert r["balanced_strength"] == pytest.approx(0.765)
    assert r["dominance"] == pytest.approx(-0.1)
    assert (r["competitor_margin"], r["partner_margin"]) == pytest.approx((0.4, 0.3))
    assert r["boundary_distance"] == pytest.approx(0.3)
    # (1, 0): balance 0, strength 0.5, boundary distance min(0.5, 0.5)
    r = d.loc[("a", "b")]
    assert (r["balance"], r["strength"], r["boundary_distance"]) == pytest.approx((0.0, 0.5, 0.5))
    # on the boundary
    assert d.loc[("b", "c"), "boundary_distance"] == 0.0
    assert d.loc[("b", "d"), "boundary_distance"] == pytest.approx(0.0)
    assert d.loc[("c", "d"), "boundary_distance"] == pytest.approx(1e-7)


def test_fixed_threshold_override(grid: Ecosystem) -> None:
    d = coopetition(grid, thresholds={"competitor": 0.95, "partner": 0.1})
    d = d.set_index(["org_a", "org_b"])
    # c >= 0.95 only for (a, b); p >= 0.1 for all but (a, b) (p = 0)
    assert d.loc[("a", "b"), "category"] == "contending"
    assert d.loc[("a", "d"), "category"] == "partnering"
    assert d.loc[("a", "e"), "category"] == "partnering"
    assert (d["competitor_threshold"] == 0.95).all() and (d["partner_threshold"] == 0.1).all()
    d = coopetition(grid, thresholds=0.9).set_index(["org_a", "org_b"])
    assert d.loc[("a", "d"), "category"] == "contending"  # 0.9 >= 0.9, 0.8 < 0.9


def test_median_and_quantile_thresholds(build) -> None:
    # c = 0.1, 0.2, 0.3, 0.4 and p = 0.4, 0.3, 0.2, 0.1 (n = 4)
    eco = build(orgs("a", "b", "c", "d", "e"),
                [coop("a", "b", 0.1, 0.4), coop("a", "c", 0.2, 0.3),
                 coop("a", "d", 0.3, 0.2), coop("a", "e", 0.4, 0.1)])
    d = coopetition(eco, thresholds="median").set_index(["org_a", "org_b"])
    # median: k = floor(0.5 * 4) = 2 -> third smallest: t_c = 0.3, t_p = 0.3
    assert d["competitor_threshold"].iloc[0] == 0.3 and d["partner_threshold"].iloc[0] == 0.3
    assert d["category"].to_dict() == {("a", "b"): "partnering", ("a", "c"): "partnering",
                                       ("a", "d"): "contending", ("a", "e"): "contending"}
    q = {"method": "quantile", "q": 0.75}
    d = coopetition(eco, thresholds={"competitor": q, "partner": q}).set_index(["org_a", "org_b"])
    # q = 0.75: k = 3 -> the largest value: t = 0.4 on both axes, one high value per axis
    assert d["category"].to_dict() == {("a", "b"): "partnering", ("a", "c"): "isolating",
                                       ("a", "d"): "isolating", ("a", "e"): "contending"}


def test_bad_threshold_override(grid: Ecosystem) -> None:
    with pytest.raises(ModelSpecError, match=r"thresholds\.competitor/partner'.*'mean'"):
        coopetition(grid, thresholds="mean")
    with pytest.raises(ModelSpecError, match=r"key 'thresholds\.competitor'.*\[0, 1\], got 2\.0$"):
        coopetition(grid, thresholds={"competitor": 2.0})
    with pytest.raises(ModelSpecError, match="'quantile' needs 'q'"):
        coopetition(grid, thresholds={"partner": {"method": "quantile"}})
    with pytest.raises(InputError, match="level"):
        coopetition(grid, level="pair")  # type: ignore[arg-type]


def test_missing_values_under_stated_only(build) -> None:
    eco = build(orgs("a", "b", "c"), [coop("a", "b", 0.7, None), coop("a", "c", 0.2, 0.9)])
    d = coopetition(eco, stated_only=True).set_index(["org_a", "org_b"])
    assert pd.isna(d.loc[("a", "b"), "category"])
    assert np.isnan(d.loc[("a", "b"), "balance"])
    assert np.isnan(d.loc[("a", "b"), "boundary_distance"])
    assert d.loc[("a", "c"), "category"] == "partnering"
    # default: the missing partner value is inferred (nothing shared: 0) -> contending
    d = coopetition(eco).set_index(["org_a", "org_b"])
    assert d.loc[("a", "b"), "category"] == "contending"
    assert d.loc[("a", "b"), "provenance"] == "partly_inferred"


def test_latest_relation_of_a_pair_is_used(build) -> None:
    eco = build(orgs("a", "b", "c"), [
        coop("a", "b", 0.9, 0.1, since="2018-01-01", until="2019-12-31", id="old"),
        coop("b", "a", 0.2, 0.8, since="2020-01-01", id="new"),
        # two undated relations of one pair are averaged: (0.2 + 0.6) / 2, (0.4 + 0.8) / 2
        coop("a", "c", 0.2, 0.4, evidence="x"), coop("c", "a", 0.6, 0.8, evidence="y"),
    ])
    d = coopetition(eco).set_index(["org_a", "org_b"])
    ab = d.loc[("a", "b")]
    assert (ab["competitor_intensity"], ab["partner_intensity"]) == (0.2, 0.8)
    assert d.loc[("a", "b"), "n_relations"] == 2
    assert d.loc[("a", "b"), "relation_ids"] == "new;old"
    assert d.loc[("a", "c"), "competitor_intensity"] == pytest.approx(0.4)
    assert d.loc[("a", "c"), "partner_intensity"] == pytest.approx(0.6)
    assert d.loc[("a", "c"), "evidence"] == "x; y"


def test_person_mediated_flag_and_listing(build) -> None:
    actors = orgs("a", "b", "c") + [{"id": f"p{i}", "name": f"P{i}", "kind": "person"}
                                    for i in (1, 2, 3)]
    rel = [coop("a", "b", 0.8, 0.3), coop("b", "c", 0.2, 0.9), coop("a", "c", 0.7, 0.7),
           {"source": "p1", "target": "a", "kind": "board_seat", "role": "chair"},
           {"source": "p1", "target": "b", "kind": "board_seat", "role": "member"},
           {"source": "p1", "target": "c", "kind": "management", "role": "ceo"},
           {"source": "p2", "target": "a", "kind": "management", "role": "ceo"},
           {"source": "p2", "target": "b", "kind": "board_seat", "role": "deputy_member"},
           {"source": "p3", "target": "c", "kind": "board_seat", "role": "member"},
           # an owner is not a board member or manager
           {"source": "p3", "target": "b", "kind": "ownership", "share": 0.3}]
    eco = build(actors, rel)
    d = coopetition(eco).set_index(["org_a", "org_b"])
    assert d.loc[("a", "b"), "mediating_persons"] == "p1;p2"
    assert d.loc[("a", "c"), "mediating_persons"] == "p1"
    assert d.loc[("b", "c"), "mediating_persons"] == "p1"
    assert d["person_mediated"].all()
    assert d.loc[("a", "b"), "shared_persons"] == 2

    per = coopetition_persons(eco)
    assert list(per.index) == ["p1", "p2"]  # p1: 3 pairs, p2: 1 pair
    assert per.index.name == "actor_id"
    assert per.loc["p1", "n_pairs"] == 3
    assert per.loc["p1", "pairs"] == "a|b;a|c;b|c"
    assert per.loc["p1", "organisations"] == "a;b;c"
    assert per.loc["p1", "roles"] == "a:board_seat:chair;b:board_seat:member;c:management:ceo"
    assert per.loc["p1", "mean_competitor_intensity"] == pytest.approx((0.8 + 0.2 + 0.7) / 3)
    assert (per.loc["p1", "n_contending"], per.loc["p1", "n_partnering"],
            per.loc["p1", "n_adapting"]) == (1, 1, 1)
    assert per.loc["p2", "roles"] == "a:management:ceo;b:board_seat:deputy_member"
    # only competitor pairs (c >= 0.5): b-c (c = 0.2) is left out
    strict = coopetition_persons(eco, high_competition_only=True)
    assert strict.loc["p1", "pairs"] == "a|b;a|c"


def test_persons_empty(grid: Ecosystem) -> None:
    per = coopetition_persons(grid)
    assert per.empty and per.index.name == "actor_id"
    assert "n_pairs" in per.columns


# ------------------------------------------------------------------ actors
def test_actor_level_by_hand(build) -> None:
    actors = [{"id": i, "name": i.upper(), "kind": "firm", "municipality": m}
              for i, m in [("a", "5025"), ("b", "5025"), ("c", "5021"), ("d", "5022"), ("e", None)]]
    rel = [coop("a", "b", 0.8, 0.2), coop("a", "c", 0.6, 0.6), coop("a", "d", 0.4, 0.9),
           coop("b", "c", 0.3, 0.3), coop("a", "e", 0.2, 0.1)]
    eco = build(actors, rel)
    act = coopetition(eco, level="actor")
    assert act.index.name == "actor_id"
    assert list(act.index) == ["a", "b", "c", "d", "e"]
    # a: dyads (0.8,0.2) (0.6,0.6) (0.4,0.9) (0.2,0.1): mean c = 0.5, mean p = 0.45 -> contending
    assert act.loc["a", "competitor_position"] == pytest.approx(0.5)
    assert act.loc["a", "partner_position"] == pytest.approx(0.45)
    assert act.loc["a", "category"] == "contending"
    assert act.loc["a", "n_rivals"] == 4
    # markets of a: own 5025, rivals 5025, 5021, 5022, (e unknown) -> 3 distinct
    assert act.loc["a", "n_markets"] == 3
    # 4 rivals >= 3 (many), 3 markets >= 2 (many) -> networking
    assert act.loc["a", "diversity"] == "networking"
    # b: rivals a, c -> few; markets 5025, 5021 -> many -> dispersing
    assert (act.loc["b", "n_rivals"], act.loc["b", "n_markets"]) == (2, 2)
    assert act.loc["b", "diversity"] == "dispersing"
    # d: rival a -> few; markets 5022, 5025 -> many
    assert act.loc["d", "diversity"] == "dispersing"
    # e: rival a, own market unknown -> 1 market (5025) -> concentrating
    assert (act.loc["e", "n_markets"], act.loc["e", "diversity"]) == (1, "concentrating")
    assert (act.loc["a", "n_contending"], act.loc["a", "n_adapting"], act.loc["a", "n_partnering"],
            act.loc["a", "n_isolating"]) == (1, 1, 1, 1)
    # c: (0.6, 0.6), (0.3, 0.3): mean (0.45, 0.45) -> isolating
    assert act.loc["c", "category"] == "isolating"


def test_actor_diversity_connecting_and_model_options(build) -> None:
    actors = [{"id": i, "name": i, "kind": "firm", "municipality": "5025"} for i in "abcd"]
    rel = [coop("a", "b", 0.8, 0.9), coop("a", "c", 0.9, 0.1), coop("a", "d", 0.1, 0.1)]
    eco = build(actors, rel)
    act = coopetition(eco, level="actor")
    assert (act.loc["a", "n_rivals"], act.loc["a", "n_markets"]) == (3, 1)
    assert act.loc["a", "diversity"] == "connecting"
    # a model that counts only adapting and contending dyads as rivals, aggregates by max
    spec = ecograph.load_coopetition_model().model_dump(exclude={"source"})
    spec["diversity"]["rival_categories"] = ["adapting", "contending"]
    spec["actor"]["aggregate"] = "max"
    act = coopetition(eco, level="actor", model=spec)
    assert act.loc["a", "n_rivals"] == 2
    assert act.loc["a", "diversity"] == "concentrating"
    assert (act.loc["a", "competitor_position"], act.loc["a", "partner_position"]) == (0.9, 0.9)
    assert act.loc["d", "n_rivals"] == 0


def test_actor_level_of_nace_markets(build) -> None:
    actors = [{"id": i, "name": i, "kind": "firm", "nace": n}
              for i, n in [("a", "55.101"), ("b", "56.101"), ("c", "55.300")]]
    eco = build(actors, [coop("a", "b", 0.5, 0.5), coop("a", "c", 0.5, 0.5)])
    spec = ecograph.load_coopetition_model().model_dump(exclude={"source"})
    spec["diversity"]["market"] = "nace_division"
    act = coopetition(eco, level="actor", model=spec)
    assert act.loc["a", "n_markets"] == 2  # 55 and 56


# ------------------------------------------------------------------ summary
def test_summary_by_hand(build) -> None:
    actors = [{"id": i, "name": i, "kind": "firm", "nace": n}
              for i, n in [("a", "55.101"), ("b", "55.102"), ("c", "47.111"), ("d", None)]]
    rel = [coop("a", "b", 0.8, 0.6), coop("a", "c", 0.9, 0.1), coop("b", "c", 0.2, 0.7),
           coop("c", "d", 0.1, 0.2)]
    eco = build(actors, rel)
    s = coopetition_summary(eco)
    assert s.name == "toy"
    assert (s["n_dyads"], s["n_placed"]) == (4, 4)
    assert (s["n_adapting"], s["n_contending"], s["n_partnering"], s["n_isolating"]) == (1, 1, 1, 1)
    assert s["share_adapting"] == 0.25
    assert s["mean_competitor_intensity"] == pytest.approx((0.8 + 0.9 + 0.2 + 0.1) / 4)
    # same industry at division level: only a-b (55); c-d unknown
    assert s["n_same_industry"] == 1
    assert s["mean_partner_intensity_same_industry"] == pytest.approx(0.6)
    # competitor pairs (c >= 0.5): a-b, a-c; of those a-b cooperates -> 1/2
    assert s["n_competitor_pairs"] == 2
    assert s["share_competitors_cooperating"] == 0.5
    # any rivalry (c > 0): all four pairs; all four also cooperate a little (p > 0) -> 4/4
    assert s["n_rival_pairs"] == 4
    assert s["share_rivals_cooperating"] == 1.0
    s = coopetition_summary(eco, industry_level="class")
    assert s["n_same_industry"] == 1  # 55.10 == 55.10
    s = coopetition_summary(eco, industry_level="subclass")
    assert s["n_same_industry"] == 0 and math.isnan(s["mean_competitor_intensity_same_industry"])


def test_summary_without_dyads(build) -> None:
    eco = build(orgs("a", "b"), [{"source": "a", "target": "b", "kind": "supply"}])
    s = coopetition_summary(eco)
    assert s["n_dyads"] == 0 and s["n_placed"] == 0
    assert math.isnan(s["share_adapting"]) and math.isnan(s["share_competitors_cooperating"])
    assert coopetition(eco).empty
    act = coopetition(eco, level="actor")
    assert act.empty and act.index.name == "actor_id"


def test_candidates_place_inferred_pairs(toy_region: Ecosystem) -> None:
    d = coopetition(toy_region, candidates=True).set_index(["org_a", "org_b"])
    # inference test: h1-h2 (0.951, 0.55) -> adapting, h1-h3 (0.372, 0.15) -> isolating,
    # g1-g3 (0.6, 0.3) -> contending, h2-h3 (0.384, stated 0.7) -> partnering,
    # g1-g2 (stated 0.6, 0) -> contending
    assert d["category"].to_dict() == {
        ("g1", "g2"): "contending", ("g1", "g3"): "contending", ("h1", "h2"): "adapting",
        ("h1", "h3"): "isolating", ("h2", "h3"): "partnering"}
    assert d.loc[("h1", "h2"), "mediating_persons"] == "p1;p2"
    assert bool(d.loc[("h1", "h2"), "same_industry"]) is True
    only_stated = coopetition(toy_region)
    assert len(only_stated) == 2


def test_public_name_is_callable_after_subpackage_import() -> None:
    import subprocess
    import sys

    code = ("import importlib, ecograph; importlib.import_module('ecograph.analysis.coopetition_model'); "
            "eco = ecograph.Ecosystem.from_frames(__import__('pandas').DataFrame("
            "{'id': ['a', 'b'], 'name': ['A', 'B'], 'kind': 'firm'}), warn=False); "
            "print(len(ecograph.coopetition(eco)), callable(ecograph.coopetition))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "True"]


def test_unplaced_dyads_at_actor_level(build) -> None:
    eco = build(orgs("a", "b", "c"), [coop("a", "b", None, None), coop("a", "c", 0.9, 0.9)])
    act = coopetition(eco, level="actor", stated_only=True)
    # a: (NaN, NaN) is ignored by the mean -> position (0.9, 0.9), adapting; b: nothing placed
    assert (act.loc["a", "competitor_position"], act.loc["a", "category"]) == (0.9, "adapting")
    assert act.loc["a", "n_dyads"] == 2 and act.loc["a", "n_adapting"] == 1
    assert np.isnan(act.loc["b", "competitor_position"]) and pd.isna(act.loc["b", "category"])
    s = coopetition_summary(eco, stated_only=True)
    assert (s["n_dyads"], s["n_placed"], s["share_adapting"]) == (2, 1, 1.0)


def test_empty_ecosystem(build) -> None:
    eco = Ecosystem.from_frames(pd.DataFrame({"id": pd.Series([], dtype=str),
                                              "name": pd.Series([], dtype=str),
                                              "kind": pd.Series([], dtype=str)}), warn=False)
    assert coopetition(eco, candidates=True).empty
    assert coopetition(eco, level="actor").empty
    assert coopetition_summary(eco)["n_dyads"] == 0
    assert coopetition_persons(eco).empty
