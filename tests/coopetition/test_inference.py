"""Inference of co-opetition intensities, explained on a toy region.

The toy region (fixture ``toy_region`` in conftest.py), all in Røros (5025)
unless said otherwise:

====  ==========  =======  =========  ============================================
id    NACE        muni     employees  ties
====  ==========  =======  =========  ============================================
h1    55.101      5025     40         p1 chair, p2 member; member of net and sa;
                                      h3 supplies h1
h2    55.101      5025     20         p1 ceo, p2 member; member of net and sa
h3    55.300      5025     4          stated relation h3-h2: partner 0.7 (no competitor)
g1    47.111      5025     30         member of net; supports g3; p3 owns 50 %;
                                      stated relation g1-g2: competitor 0.6 (no partner)
g2    47.111      5021     25
g3    47.190      5025     -          p3 owns 100 %
====  ==========  =======  =========  ============================================

Default model (``models/coopetition/inference.toml``):

* competitor = 0.6 * industry + 0.3 * same municipality + 0.1 * size similarity,
  industry = 1.0 same class (55.10), 0.5 same group (55.1), 0.1 same division (55);
  size similarity = (min(e) + 1) / (max(e) + 1), 0 when unknown;
* partner = 0.3 * min(shared persons / 2, 1) + 0.25 * min(joint memberships / 2, 1)
  + 0.15 * supply + 0.1 * support + 0.2 * min(shared owners / 1, 1).

Candidate pairs (blocking NACE division x municipality): {h1, h2, h3} (55 in
5025) and {g1, g3} (47 in 5025); g2 is alone in 5021 but its pair with g1 is
stated. Five pairs in all:

====== ===================================================  ====================
pair   competitor                                           partner
====== ===================================================  ====================
g1-g2  stated 0.6 (model: .6 + 0 + .1 * 26/31 = 0.683871)   0 (nothing shared)
g1-g3  .6 * .5 + .3 + 0 (size unknown) = 0.6                .1 + .2 = 0.3
h1-h2  .6 + .3 + .1 * 21/41 = 0.951220                      .3 * 2/2 + .25 * 2/2 = 0.55
h1-h3  .6 * .1 + .3 + .1 * 5/41 = 0.372195                  .15 (supply)
h2-h3  .6 * .1 + .3 + .1 * 5/21 = 0.383810                  stated 0.7 (model: 0)
====== ===================================================  ====================
"""

from __future__ import annotations

import itertools
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from ecograph import Ecosystem
from ecograph.analysis.coopetition_inference import INFERENCE_COLUMNS, infer_coopetition, with_inferred_coopetition
from ecograph.exceptions import ActorNotFound, EcographWarning, InputError

EXPECTED = {
    # pair: (competitor used, partner used, competitor model, partner model)
    ("g1", "g2"): (0.6, 0.0, 0.6 + 0.1 * 26 / 31, 0.0),
    ("g1", "g3"): (0.6, 0.3, 0.6, 0.3),
    ("h1", "h2"): (0.6 + 0.3 + 0.1 * 21 / 41, 0.55, 0.6 + 0.3 + 0.1 * 21 / 41, 0.55),
    ("h1", "h3"): (0.06 + 0.3 + 0.1 * 5 / 41, 0.15, 0.06 + 0.3 + 0.1 * 5 / 41, 0.15),
    ("h2", "h3"): (0.06 + 0.3 + 0.1 * 5 / 21, 0.7, 0.06 + 0.3 + 0.1 * 5 / 21, 0.0),
}


def test_toy_region_pairs_and_intensities(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region)
    assert list(t.columns) == list(INFERENCE_COLUMNS)
    assert list(zip(t["org_a"], t["org_b"], strict=True)) == sorted(EXPECTED)
    for row in t.itertuples():
        c, p, cm, pm = EXPECTED[(row.org_a, row.org_b)]
        assert row.competitor_intensity == pytest.approx(c, abs=1e-12), (row.org_a, row.org_b)
        assert row.partner_intensity == pytest.approx(p, abs=1e-12), (row.org_a, row.org_b)
        assert row.competitor_inferred == pytest.approx(cm, abs=1e-12), (row.org_a, row.org_b)
        assert row.partner_inferred == pytest.approx(pm, abs=1e-12), (row.org_a, row.org_b)


def test_toy_region_features(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region).set_index(["org_a", "org_b"])
    assert t.loc[("h1", "h2"), "industry_level"] == "class"
    assert t.loc[("g1", "g3"), "industry_level"] == "group"
    assert t.loc[("h1", "h3"), "industry_level"] == "division"
    assert bool(t.loc[("g1", "g2"), "same_area"]) is False
    assert bool(t.loc[("h1", "h2"), "same_area"]) is True
    assert np.isnan(t.loc[("g1", "g3"), "size_similarity"])
    assert t.loc[("h1", "h2"), "size_similarity"] == pytest.approx(21 / 41)
    assert t.loc[("h1", "h2"), "shared_persons"] == 2
    assert t.loc[("h1", "h2"), "joint_membership"] == 2
    assert t.loc[("h1", "h3"), "supply"] == 1
    assert t.loc[("g1", "g3"), "support"] == 1
    assert t.loc[("g1", "g3"), "shared_owners"] == 1
    assert t.loc[("g1", "g2"), "joint_membership"] == 0


def test_stated_values_win_axis_by_axis(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region).set_index(["org_a", "org_b"])
    g = t.loc[("g1", "g2")]
    assert (g["competitor_source"], g["partner_source"]) == ("relation", "model")
    assert g["provenance"] == "partly_inferred"
    assert g["evidence"].startswith("interview G | inferred by ecograph model 'inference'")
    h = t.loc[("h2", "h3")]
    assert (h["competitor_source"], h["partner_source"]) == ("model", "relation")
    i = t.loc[("h1", "h2")]
    assert (i["provenance"], i["competitor_source"]) == ("inferred", "model")
    assert not i["stated"]
    assert "shared_persons=2" in i["evidence"] and "industry=class" in i["evidence"]


def test_fully_stated_pair_keeps_relation_provenance(build) -> None:
    eco = build([{"id": "a", "name": "A", "kind": "firm"},
                 {"id": "b", "name": "B", "kind": "firm"}],
                [{"source": "b", "target": "a", "kind": "coopetition", "competitor_intensity": 0.2,
                  "partner_intensity": 0.9, "provenance": "survey", "evidence": "Q7"}])
    row = infer_coopetition(eco).iloc[0]
    assert (row["org_a"], row["org_b"]) == ("a", "b")
    assert (row["competitor_intensity"], row["partner_intensity"]) == (0.2, 0.9)
    assert (row["provenance"], row["evidence"]) == ("survey", "Q7")


def test_stated_only(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region, stated_only=True).set_index(["org_a", "org_b"])
    assert t.loc[("g1", "g2"), "competitor_intensity"] == 0.6
    assert np.isnan(t.loc[("g1", "g2"), "partner_intensity"])
    assert pd.isna(t.loc[("g1", "g2"), "partner_source"])
    assert np.isnan(t.loc[("h1", "h2"), "competitor_intensity"])
    # the features are still there, as evidence
    assert t.loc[("h1", "h2"), "competitor_inferred"] == pytest.approx(EXPECTED[("h1", "h2")][2])
    assert t.loc[("g1", "g2"), "evidence"] == "interview G"


def test_pairs_stated_only_stated_pairs(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region, pairs="stated")
    assert list(zip(t["org_a"], t["org_b"], strict=True)) == [("g1", "g2"), ("h2", "h3")]


def test_user_pairs(toy_region: Ecosystem) -> None:
    pairs = pd.DataFrame({"org_a": ["h3", "g2"], "org_b": ["g2", "h1"]})
    t = infer_coopetition(toy_region, pairs=pairs)
    assert list(zip(t["org_a"], t["org_b"], strict=True)) == [("g2", "h1"), ("g2", "h3")]
    assert t["industry_level"].isna().all()
    with pytest.raises(ActorNotFound, match="'zz'"):
        infer_coopetition(toy_region, pairs=pd.DataFrame({"org_a": ["zz"], "org_b": ["h1"]}))
    with pytest.raises(InputError, match="person"):
        infer_coopetition(toy_region, pairs=pd.DataFrame({"org_a": ["p1"], "org_b": ["h1"]}))
    with pytest.raises(InputError, match="itself"):
        infer_coopetition(toy_region, pairs=pd.DataFrame({"org_a": ["h1"], "org_b": ["h1"]}))
    with pytest.raises(InputError, match="org_b"):
        infer_coopetition(toy_region, pairs=pd.DataFrame({"org_a": ["h1"]}))
    with pytest.raises(InputError, match="'blocking', 'stated'"):
        infer_coopetition(toy_region, pairs="all")  # type: ignore[arg-type]


def test_min_competitor_drops_only_unstated_pairs(toy_region: Ecosystem) -> None:
    t = infer_coopetition(toy_region, min_competitor=0.5)
    # h1-h3 (0.372) goes; h2-h3 (0.384) has a stated relation and stays
    assert list(zip(t["org_a"], t["org_b"], strict=True)) == [
        ("g1", "g2"), ("g1", "g3"), ("h1", "h2"), ("h2", "h3")]


def test_model_mapping_changes_weights(toy_region: Ecosystem) -> None:
    from ecograph.analysis.coopetition_model import load_inference_model

    spec = load_inference_model().model_dump(exclude={"source"})
    spec["competitor"]["weights"] = {"industry": 1.0}
    spec["partner"]["weights"] = {"supply": 1.0}
    t = infer_coopetition(toy_region, model=spec).set_index(["org_a", "org_b"])
    assert t.loc[("h1", "h3"), "competitor_inferred"] == pytest.approx(0.1)
    assert t.loc[("h1", "h3"), "partner_inferred"] == 1.0
    assert t.loc[("h1", "h2"), "partner_inferred"] == 0.0


def test_date_uses_relations_valid_then(build) -> None:
    actors = [{"id": i, "name": i, "kind": k, "nace": n, "municipality": "5025"}
              for i, k, n in [("a", "firm", "10.110"), ("b", "firm", "10.110"),
                              ("p", "person", None)]]
    rel = [{"source": "p", "target": "a", "kind": "board_seat", "role": "chair"},
           {"source": "p", "target": "b", "kind": "board_seat", "role": "member",
            "since": "2020-01-01"}]
    eco = build(actors, rel)
    assert infer_coopetition(eco, date="2019-06-01")["shared_persons"].tolist() == [0]
    assert infer_coopetition(eco, date="2021-06-01")["shared_persons"].tolist() == [1]


def test_empty_ecosystem_gives_empty_table(build) -> None:
    eco = build([{"id": "a", "name": "A", "kind": "firm"}])
    t = infer_coopetition(eco)
    assert t.empty and list(t.columns) == list(INFERENCE_COLUMNS)


def test_unknown_size_column_is_an_input_error(toy_region: Ecosystem) -> None:
    from ecograph.analysis.coopetition_model import load_inference_model

    spec = load_inference_model().model_dump(exclude={"source"})
    spec["competitor"]["size_column"] = "turnover"
    with pytest.raises(InputError, match="'turnover'"):
        infer_coopetition(toy_region, model=spec)
    spec["competitor"]["size_column"] = "name"
    with pytest.raises(InputError, match="numeric"):
        infer_coopetition(toy_region, model=spec)


# ------------------------------------------------------------------ blocking vs brute force
def _random_region(seed: int, n: int = 60) -> Ecosystem:
    rng = np.random.default_rng(seed)
    nace = rng.choice(["55.101", "55.102", "55.300", "56.101", "47.111", "47.190", "47.2", "47"], n)
    muni = rng.choice(["5025", "5021", None], n, p=[0.5, 0.4, 0.1])
    kinds = rng.choice(["firm", "cooperative", "public_body"], n, p=[0.8, 0.1, 0.1])
    actors = pd.DataFrame({"id": [f"o{i:02d}" for i in range(n)], "name": "x", "kind": kinds,
                           "nace": nace, "municipality": muni,
                           "employees": rng.integers(0, 50, n)})
    persons = pd.DataFrame({"id": [f"p{i:02d}" for i in range(n)], "name": "p", "kind": "person"})
    seats = pd.DataFrame({"source": rng.choice(persons["id"], 3 * n),
                          "target": rng.choice(actors["id"], 3 * n)}).drop_duplicates()
    seats = seats.assign(kind="board_seat", role="member")
    owners = pd.DataFrame({"source": rng.choice(persons["id"], n),
                           "target": rng.choice(actors["id"], n)}).drop_duplicates()
    owners = owners.assign(kind="ownership")
    rel = pd.concat([seats, owners], ignore_index=True)
    return Ecosystem.from_frames(pd.concat([actors, persons]), rel, warn=False)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_blocking_equals_brute_force(seed: int) -> None:
    eco = _random_region(seed)
    a = eco.actors
    t = infer_coopetition(eco)
    got = set(zip(t["org_a"], t["org_b"], strict=True))
    orgs = a[a["kind"].isin(["firm", "cooperative"])]
    want = set()
    for (i, x), (j, y) in itertools.combinations(orgs.iterrows(), 2):
        mx, my = x["municipality"], y["municipality"]
        if pd.notna(mx) and pd.notna(my) and mx == my and x["nace"][:2] == y["nace"][:2]:
            want.add((min(i, j), max(i, j)))
    assert got == want


@pytest.mark.parametrize("seed", [0, 1])
def test_shared_counts_match_networkx_projection(seed: int) -> None:
    eco = _random_region(seed)
    t = infer_coopetition(eco)
    rel = eco.relations
    for kind, col in [("board_seat", "shared_persons"), ("ownership", "shared_owners")]:
        r = rel[rel["kind"] == kind]
        B = nx.Graph()
        B.add_nodes_from(r["source"], bipartite=0)
        B.add_nodes_from(eco.organisations, bipartite=1)
        B.add_edges_from(zip(r["source"], r["target"], strict=True))
        P = nx.bipartite.weighted_projected_graph(B, list(eco.organisations))
        want = [P[x][y]["weight"] if P.has_edge(x, y) else 0
                for x, y in zip(t["org_a"], t["org_b"], strict=True)]
        assert t[col].tolist() == want, col


def test_oversize_blocks_are_refined() -> None:
    eco = _random_region(3, n=80)
    from ecograph.analysis.coopetition_model import load_inference_model

    spec = load_inference_model().model_dump(exclude={"source"})
    spec["candidates"]["max_block_size"] = 4
    spec["candidates"]["refine"] = ["group", "class", "subclass"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = infer_coopetition(eco, model=spec)
    a = eco.actors
    # Reference: the same blocks, split level by level while larger than 4
    orgs = a[a["kind"].isin(["firm", "cooperative"]) & a["municipality"].notna()].copy()
    orgs["key"] = orgs["nace"].str[:2] + "|" + orgs["municipality"]
    want: set[tuple[str, str]] = set()
    skipped = 0
    pending = [list(g.index) for _, g in orgs.groupby("key")]
    for depth in (4, 5, 6, None):
        nxt = []
        for members in pending:
            if len(members) <= 4:
                want |= {(min(x, y), max(x, y)) for x, y in itertools.combinations(members, 2)}
            elif depth is None:
                skipped += len(members)
            else:
                codes = [c[:depth] if len(c) >= depth else "<none>"
                         for c in orgs.loc[members, "nace"].astype(object)]
                for code in sorted(set(codes)):
                    nxt.append([m for m, c in zip(members, codes, strict=True) if c == code])
        pending = nxt
    assert set(zip(t["org_a"], t["org_b"], strict=True)) == want
    warned = [w for w in caught if issubclass(w.category, EcographWarning)]
    assert bool(warned) == (skipped > 0)
    if skipped:
        assert f"their {skipped} organisations" in str(warned[0].message)


# ------------------------------------------------------------------ with_inferred_coopetition
def test_with_inferred_coopetition_adds_inferred_relations(toy_region: Ecosystem) -> None:
    new = with_inferred_coopetition(toy_region)
    assert len(toy_region.relations) == 15  # unchanged
    added = new.relations[new.relations["provenance"] == "inferred"]
    pairs = set(zip(added["source"], added["target"], strict=True))
    assert pairs == {("g1", "g3"), ("h1", "h2"), ("h1", "h3")}
    row = added[added["source"] == "h1"].set_index("target").loc["h2"]
    assert row["competitor_intensity"] == pytest.approx(EXPECTED[("h1", "h2")][0])
    assert row["partner_intensity"] == pytest.approx(0.55)
    assert row["id"] == "inferred-coopetition:h1:h2"
    assert "shared_persons=2" in row["evidence"]
    # the stated relations are untouched
    stated = new.relations[(new.relations["kind"] == "coopetition")
                           & (new.relations["provenance"] != "inferred")]
    assert len(stated) == 2
    # inferring again adds nothing: every candidate pair now has a relation
    again = with_inferred_coopetition(new)
    assert len(again.relations) == len(new.relations)
