"""support_coverage, simulate_substitution and support_indicators on a hand-built survey.

Firms (micro rule: 0-4 employees): a (1), b (2), c (4), e (size unknown); d has 10
employees (not micro); acc (an accountant, 5), net (a network) and dest (a destination
company) are providers. Relations (undirected view)::

    e -- a -- net -- b        a, b, c are members of net
         |     \\
        acc     c -- dest     acc supports a (and d); net supports b; dest supports c
         |
         d

Hop distances used below: a-net 1, a-acc 1, b-acc 3 (b-net-a-acc), b-dest 3, c-dest 1.

Answers (support.csv rows; relations add b/marketing and c/marketing; the relation
acc -> a (annual_accounts) is overridden by a's own answer):

    a: bookkeeping self good (50 h), marketing not_done, annual_accounts bought (acc) good
    b: bookkeeping self poor, sales not_done, [marketing network medium: relation]
    c: bookkeeping bought (acc) good, sales self medium, [marketing intermediary good: relation]
    d: marketing not_done                       (not micro)
    e: social_media not_done, knitting circle self   (a function outside the catalogue)

Providers of a function: anyone named as provider of it, plus anyone who *has* a resource of
that name (dest has "Sales").
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.analysis.resources import (
    DEFAULT_HOURS,
    INDICATOR_NAMES,
    simulate_substitution,
    support_coverage,
    support_indicators,
)
from ecograph.exceptions import ActorNotFound, BundleValidationError, InputError

ACTORS = pd.DataFrame({
    "id": ["a", "b", "c", "d", "e", "acc", "net", "dest"],
    "name": ["Farm A", "Farm B", "Studio C", "Hotel D", "Craft E", "Accountant", "Network",
             "Destination"],
    "kind": ["firm"] * 6 + ["business_network", "support_organisation"],
    "employees": [1, 2, 4, 10, None, 5, None, None],
})
RELATIONS = pd.DataFrame({
    "source": ["a", "b", "c", "acc", "net", "dest", "acc", "e"],
    "target": ["net", "net", "net", "a", "b", "c", "d", "a"],
    "kind": ["membership"] * 3 + ["support"] * 4 + ["tie"],
    "function": [None] * 3 + ["annual_accounts", "marketing", "marketing", "annual_accounts", None],
    "mode": [None] * 4 + ["network", "intermediary", None, None],
    "quality": [None] * 4 + ["medium", "good", None, None],
})
SUPPORT = pd.DataFrame({
    "actor": ["a", "a", "a", "b", "b", "c", "c", "d", "e", "e"],
    "function": ["bookkeeping", "marketing", "annual_accounts", "bookkeeping", "sales",
                 "bookkeeping", "sales", "marketing", "social_media", "Knitting circle"],
    "mode": ["self", "not_done", "bought", "self", "not_done", "bought", "self", "not_done",
             "not_done", "self"],
    "quality": ["good", None, "good", "poor", None, "good", "medium", None, None, None],
    "provider": [None, None, "acc", None, None, "acc", None, None, None, None],
    "hours_per_year": [50, None, None, None, None, None, None, None, None, None],
})
RESOURCES = pd.DataFrame({"actor": ["dest"], "direction": ["has"], "category": ["human"],
                          "item": ["Sales"]})


@pytest.fixture(scope="module")
def eco() -> ecograph.Ecosystem:
    return ecograph.Ecosystem.from_frames(
        ACTORS, RELATIONS, {"name": "Survey"},
        tables={"support": SUPPORT, "resources": RESOURCES}, warn=False)


# --------------------------------------------------------------------------- coverage
def test_function_by_mode_matrix(eco: ecograph.Ecosystem) -> None:
    cov = support_coverage(eco)
    assert cov.index.name == "function"
    # ordered by group (economy, marketing_sales, other), then name
    assert cov.index.tolist() == ["annual_accounts", "bookkeeping", "marketing", "sales",
                                  "social_media", "knitting_circle"]
    modes = ["self", "bought", "network", "cooperative", "intermediary", "not_done"]
    assert cov[["answered", *modes]].values.tolist() == [
        [1, 0, 1, 0, 0, 0, 0],   # annual_accounts: a bought (relation acc -> a overridden)
        [3, 2, 1, 0, 0, 0, 0],   # bookkeeping: a, b self; c bought
        [3, 0, 0, 1, 0, 1, 1],   # marketing: a not done; b network; c intermediary (d excluded)
        [2, 1, 0, 0, 0, 0, 1],   # sales: c self; b not done
        [1, 0, 0, 0, 0, 0, 1],   # social_media: e not done
        [1, 1, 0, 0, 0, 0, 0],   # knitting circle: e self
    ]
    assert cov["group"].tolist() == ["economy", "economy", "marketing_sales", "marketing_sales",
                                     "marketing_sales", "other"]
    assert cov[["good", "medium", "poor"]].values.tolist() == [
        [1, 0, 0], [2, 0, 1], [1, 1, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    np.testing.assert_allclose(cov["quality_score"], [1.0, 2 / 3, 0.75, 0.5, np.nan, np.nan])
    np.testing.assert_allclose(cov["not_done_rate"], [0, 0, 1 / 3, 1 / 2, 1, 0])
    np.testing.assert_allclose(cov["self_rate"], [0, 2 / 3, 0, 1 / 2, 0, 1])
    np.testing.assert_allclose(cov["shared_share"], [0, 0, 2 / 3, 0, 0, 0])
    np.testing.assert_allclose(cov["gap_rate"], [0, 1 / 3, 1 / 3, 1 / 2, 1, 0])
    assert cov["providers"].tolist() == [1, 1, 2, 0, 0, 0]
    # open pairs (self or not done) with a provider of the function within 2 hops:
    #   bookkeeping: a (acc at 1) yes, b (acc at 3) no      -> 1/2
    #   marketing:   a (net at 1) yes                        -> 1
    #   sales:       b (dest at 3) no, c (dest at 1) yes     -> 1/2
    #   social_media, knitting circle: no provider at all    -> 0; annual_accounts: no open pair
    np.testing.assert_allclose(cov["providers_within_reach_share"],
                               [np.nan, 0.5, 1.0, 0.5, 0.0, 0.0])


def test_reach_widens_providers(eco: ecograph.Ecosystem) -> None:
    cov = support_coverage(eco, reach=3)
    np.testing.assert_allclose(cov.loc[["bookkeeping", "sales"], "providers_within_reach_share"],
                               [1.0, 1.0])


def test_group_level(eco: ecograph.Ecosystem) -> None:
    grp = support_coverage(eco, level="group")
    assert grp.index.tolist() == ["economy", "marketing_sales", "other"]
    assert grp["firms"].tolist() == [3, 4, 1]
    assert grp["answered"].tolist() == [4, 6, 1]
    assert grp["not_done"].tolist() == [0, 3, 0]
    np.testing.assert_allclose(grp["not_done_rate"], [0, 0.5, 0])
    np.testing.assert_allclose(grp["quality_score"], [0.75, 2 / 3, np.nan])
    np.testing.assert_allclose(grp["gap_rate"], [0.25, 0.5, 0])
    np.testing.assert_allclose(grp["shared_share"], [0, 2 / 6, 0])
    np.testing.assert_allclose(grp["providers_within_reach_share"], [0.5, 0.5, 0.0])


def test_firm_gap_list(eco: ecograph.Ecosystem) -> None:
    firms = support_coverage(eco, level="firm")
    assert firms.index.tolist() == ["b", "a", "e", "c"]  # most gaps first
    assert firms.loc["b", "gaps"] == 2  # sales not done, bookkeeping poor
    assert firms.loc["b", "gaps_with_provider_in_reach"] == 0
    assert firms.loc["b", "not_done_functions"] == ["sales"]
    assert firms.loc["b", "poor_functions"] == ["bookkeeping"]
    assert firms.loc["a", "gaps"] == 1 and firms.loc["a", "gaps_with_provider_in_reach"] == 1
    assert firms.loc["a", "self_functions"] == ["bookkeeping"]
    assert firms.loc["e", "self_functions"] == ["knitting_circle"]
    assert firms.loc["c", "gaps"] == 0
    assert firms.loc["c", ["bought", "self", "intermediary"]].tolist() == [1, 1, 1]
    assert firms.loc["a", "name"] == "Farm A" and pd.isna(firms.loc["e", "employees"])


def test_pair_level(eco: ecograph.Ecosystem) -> None:
    pairs = support_coverage(eco, level="pair")
    assert len(pairs) == 11
    assert set(pairs["actor"]) == {"a", "b", "c", "e"}
    a_mkt = pairs[(pairs["actor"] == "a") & (pairs["function"] == "marketing")].iloc[0]
    assert a_mkt["gap"] == "not_done"
    assert a_mkt["providers_within_reach"] == ["net"]  # dest is 3 hops away
    assert (a_mkt["nearest_provider"], a_mkt["nearest_distance"]) == ("net", 1)
    b_mkt = pairs[(pairs["actor"] == "b") & (pairs["function"] == "marketing")].iloc[0]
    assert (b_mkt["source"], b_mkt["mode"], b_mkt["provider"], b_mkt["quality"]) == \
        ("relation", "network", "net", "medium")
    a_acc = pairs[(pairs["actor"] == "a") & (pairs["function"] == "annual_accounts")]
    assert a_acc["source"].tolist() == ["table"]
    b_bk = pairs[(pairs["actor"] == "b") & (pairs["function"] == "bookkeeping")].iloc[0]
    assert b_bk["gap"] == "poor" and b_bk["providers_within_reach"] == []


def test_size_rule(eco: ecograph.Ecosystem) -> None:
    everyone = support_coverage(eco, micro_max_employees=None)
    # d (10 employees) adds marketing not done and annual accounts bought from acc (relation,
    # mode inferred from the provider's kind: a firm sells it)
    assert everyone.loc["marketing", ["answered", "not_done"]].tolist() == [4, 2]
    assert everyone.loc["annual_accounts", ["answered", "bought"]].tolist() == [2, 2]
    known = support_coverage(eco, include_unknown_size=False, level="firm")
    assert "e" not in known.index
    tiny = support_coverage(eco, micro_max_employees=1, include_unknown_size=False, level="firm")
    assert tiny.index.tolist() == ["a"]


def test_empty_and_errors() -> None:
    plain = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS.iloc[[0, 1, 2, 7]], warn=False)
    for level in ("function", "group", "firm", "pair"):
        out = support_coverage(plain, level=level)  # type: ignore[arg-type]
        assert out.empty and len(out.columns) > 5
    assert simulate_substitution(plain).empty
    eco = ecograph.Ecosystem.from_frames(ACTORS, RELATIONS, tables={"support": SUPPORT}, warn=False)
    with pytest.raises(InputError, match="level must be one of"):
        support_coverage(eco, level="actor")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="micro_max_employees"):
        support_coverage(eco, micro_max_employees=-1)
    with pytest.raises(InputError, match="kinds must be organisation kinds"):
        support_coverage(eco, kinds=["person"])
    with pytest.raises(InputError, match="reach"):
        support_coverage(eco, reach=-1)
    bad = RELATIONS.copy()
    bad.loc[4, "mode"] = "not_done"
    broken = ecograph.Ecosystem.from_frames(ACTORS, bad, warn=False)
    with pytest.raises(BundleValidationError, match="row 6, field 'mode'"):
        support_coverage(broken)


# --------------------------------------------------------------------------- substitution
def test_substitution_to_an_open_network(eco: ecograph.Ecosystem) -> None:
    sim = simulate_substitution(eco)
    # moved: a bookkeeping (self, 50 h from the table), b bookkeeping (self, 37.5 h assumed),
    # a marketing (not done), b sales (not done), c sales (self, 37.5 h), e social_media
    # (not done), e knitting circle (self, DEFAULT_HOURS); annual accounts (bought) stays
    assert sim.index.tolist() == ["annual_accounts", "bookkeeping", "marketing", "sales",
                                  "social_media", "knitting_circle", "(all)"]
    assert sim["firms_moved"].tolist() == [0, 2, 1, 2, 1, 1, 4]
    assert sim["newly_covered"].tolist() == [0, 0, 1, 1, 1, 0, 3]
    assert sim["moved_from_self"].tolist() == [0, 2, 0, 1, 0, 1, 4]
    assert sim["moved_from_other"].tolist() == [0] * 7
    np.testing.assert_allclose(sim["hours_freed"],
                               [0, 50 + 37.5, 0, 37.5, 0, DEFAULT_HOURS, 50 + 37.5 * 3])
    np.testing.assert_allclose(sim["not_done_rate_before"], [0, 0, 1 / 3, 1 / 2, 1, 0, 3 / 11])
    np.testing.assert_allclose(sim["not_done_rate_after"], [0] * 7)
    np.testing.assert_allclose(sim["shared_share_before"], [0, 0, 2 / 3, 0, 0, 0, 2 / 11])
    np.testing.assert_allclose(sim["shared_share_after"], [0, 2 / 3, 1, 1, 1, 1, 9 / 11])


def test_substitution_by_a_provider_within_reach(eco: ecograph.Ecosystem) -> None:
    # the accountant reaches only a within one hop: a's bookkeeping (50 h) and marketing move
    sim = simulate_substitution(eco, provider="acc", reach=1, to_mode="intermediary",
                                coordination_share=0.2)
    total = sim.loc["(all)"]
    assert (total["firms_moved"], total["newly_covered"], total["moved_from_self"]) == (1, 1, 1)
    assert math.isclose(total["hours_freed"], 50 * 0.8)
    # capacity of one firm per function, nearest first then by id: a before b for bookkeeping
    one = simulate_substitution(eco, provider="net", functions=["Bookkeeping"], max_firms=1)
    assert one.loc["bookkeeping", "firms_moved"] == 1
    assert one.loc["bookkeeping", "hours_freed"] == 50.0
    assert one.loc["(all)", "firms_moved"] == 1


def test_substitution_hours_and_modes(eco: ecograph.Ecosystem) -> None:
    # the table's 50 h win over the argument; b's bookkeeping takes the given hours
    flat = simulate_substitution(eco, functions=["bookkeeping"], hours=10)
    assert flat.loc["bookkeeping", "hours_freed"] == 60.0
    per = simulate_substitution(eco, functions=["bookkeeping"], hours={"Bookkeeping": 20})
    assert per.loc["bookkeeping", "hours_freed"] == 70.0
    # moving bought functions too: c's bookkeeping and a's annual accounts
    wide = simulate_substitution(eco, from_modes=["bought"], to_mode="cooperative")
    assert wide.loc["(all)", "moved_from_other"] == 2
    assert wide.loc["(all)", "hours_freed"] == 0.0
    with pytest.raises(InputError, match="to_mode must be one of"):
        simulate_substitution(eco, to_mode="bought")
    with pytest.raises(InputError, match="must not contain to_mode"):
        simulate_substitution(eco, from_modes=["network"])
    with pytest.raises(InputError, match="unknown mode"):
        simulate_substitution(eco, from_modes=["sometimes"])
    with pytest.raises(InputError, match="coordination_share"):
        simulate_substitution(eco, coordination_share=1.0)
    with pytest.raises(InputError, match="max_firms"):
        simulate_substitution(eco, max_firms=-1)
    with pytest.raises(InputError, match="hours"):
        simulate_substitution(eco, hours=-5)
    with pytest.raises(ActorNotFound):
        simulate_substitution(eco, provider="ghost")


# --------------------------------------------------------------------------- indicators
def test_indicators(eco: ecograph.Ecosystem) -> None:
    ind = support_indicators(eco)
    assert ind.index.tolist() == list(INDICATOR_NAMES)
    assert ind.name == "Survey"
    expected = {
        "support_firms": 4, "support_answers": 11,
        "support_not_done_rate": 3 / 11,
        "support_not_done_rate_economy": 0.0,
        "support_not_done_rate_marketing_sales": 0.5,
        "support_self_rate": 4 / 11,
        "support_network_share": 2 / 11,
        # rated answers: good a/bk, a/aa, c/bk, c/mkt; medium b/mkt, c/sales; poor b/bk
        "support_quality_score": (4 * 1 + 2 * 0.5 + 0) / 7,
        "support_marketing_gap": 0.5,
        "providers_within_reach_share": 3 / 7,
        "resource_needs": 0,
    }
    for key, value in expected.items():
        assert math.isclose(ind[key], value), key
    for key in ("support_not_done_rate_development_org", "resource_needs_matched_share",
                "resource_needs_within_reach_share"):
        assert math.isnan(ind[key]), key


def test_indicators_with_needs() -> None:
    needs = pd.DataFrame({"actor": ["a", "b", "e"], "direction": ["needs"] * 3,
                          "category": ["human"] * 3, "item": ["sales", "sales", "premises"]})
    eco = ecograph.Ecosystem.from_frames(
        ACTORS, RELATIONS, tables={"resources": pd.concat([RESOURCES, needs])}, warn=False)
    ind = support_indicators(eco)
    # a and b need sales, which dest has (a-net-c-dest: 3 hops, b likewise); nobody has premises
    assert ind["resource_needs"] == 3
    assert math.isclose(ind["resource_needs_matched_share"], 2 / 3)
    assert ind["resource_needs_within_reach_share"] == 0.0
    assert math.isclose(support_indicators(eco, reach=3)["resource_needs_within_reach_share"],
                        2 / 3)
    # no support table here: the three support relations alone answer for a, b and c
    assert support_indicators(eco)["support_firms"] == 3


def test_sub_ecosystem_without_the_provider(eco: ecograph.Ecosystem) -> None:
    # Ecosystem.select keeps the answers of kept firms; a provider that was dropped (acc)
    # stays named in the answer but is no candidate provider any more
    sub = eco.select(actors=["a", "b", "c", "e", "net"])
    cov = support_coverage(sub)
    assert cov.loc["bookkeeping", ["answered", "bought"]].tolist() == [3, 1]
    assert cov.loc["bookkeeping", "providers_within_reach_share"] == 0.0  # acc is gone
    assert cov.loc["marketing", "providers_within_reach_share"] == 1.0  # net is still there
