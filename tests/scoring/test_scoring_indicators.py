"""Registered indicators on the hand-built toy region of conftest.py.

The toy region (year 2019, population 2,000):

* inside: firms f1 (2 employees, founded 2000), f2 (3, 2016), f3 (10, 1980), f4 (?, 2018),
  cooperative c1 (40, 1995), support organisation s1, public body m1, business network n1,
  persons p1, p2;
* outside: knowledge institution u1, firm x1, public body g1;
* relations: f1, f2 -> n1 and f3 -> c1 (membership); s1 -> f1 (accounting, marketing),
  s1 -> f2 (accounting) (support); g1 -> f3, m1 -> f4 (funding); f1 -> f2, f1 -> x1 (supply);
  f2 -> u1 (knowledge_link); p1 chairs f1 and sits on c1's board; p2 is c1's CEO and has a
  tie to u1.

Enterprises (firms and cooperatives inside) are f1, f2, f3, f4, c1: five.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import ecograph
from ecograph.core.kinds import SUPPORT_FUNCTIONS
from ecograph.exceptions import ComputationError, InputError
from ecograph.scoring.indicators import (
    INDICATORS,
    IndicatorContext,
    compute_indicator,
    indicator_catalogue,
    register_indicator,
)

# name, params, expected value, the hand computation
HAND = [
    ("actor_count", {}, 5.0, "f1 f2 f3 f4 c1"),
    ("actor_count", {"kinds": ("public_body",), "scope": "all"}, 2.0, "m1 and g1"),
    ("support_organisations", {}, 1.0, "s1"),
    ("knowledge_institutions", {}, 0.0, "u1 is outside"),
    ("knowledge_institutions", {"scope": "external"}, 1.0, "u1"),
    ("public_bodies", {}, 1.0, "m1 (g1 is outside)"),
    ("business_networks", {}, 1.0, "n1"),
    ("cooperatives", {}, 1.0, "c1"),
    ("organisations_per_1000", {}, 2.5, "1000 * 5 / 2000"),
    ("micro_firm_share", {}, 0.5, "employees known for f1 f2 f3 c1; <= 4: f1, f2 -> 2/4"),
    ("micro_firm_share", {"max_employees": 10}, 0.75, "f1 f2 f3 -> 3/4"),
    ("median_firm_age", {}, 19.0, "ages 19, 3, 39, 1, 24 -> median 19"),
    ("median_firm_age", {"reference_year": 2020}, 20.0, "ages 20, 4, 40, 2, 25"),
    ("established_firm_share", {}, 0.6, "ages >= 10: 19, 39, 24 -> 3/5"),
    ("recent_foundings_per_1000", {}, 1.0, "2014 < founded <= 2019: 2016, 2018 -> 1000*2/2000"),
    ("recent_foundings_per_1000", {"window": 20}, 1.5, "2000, 2016, 2018 -> 1000*3/2000"),
    ("employees_per_1000", {}, 27.5, "1000 * (2+3+10+40) / 2000"),
    ("funding_sources", {}, 2.0, "g1 and m1 fund inside organisations"),
    ("funded_share", {}, 0.4, "f3, f4 -> 2/5"),
    ("support_function_coverage", {}, 2 / 24, "accounting, marketing of 24 functions"),
    ("supported_share", {}, 0.4, "f1, f2 -> 2/5"),
    ("network_membership_share", {}, 0.6, "f1, f2, f3 -> 3/5"),
    ("external_supply_share", {}, 0.5, "f1 -> f2 inside, f1 -> x1 outside"),
    ("local_supply_share", {}, 0.5, "1 - 0.5"),
    ("knowledge_link_share", {}, 0.2, "f2 -> 1/5"),
    ("public_tie_share", {}, 0.4, "g1 - f3 and m1 - f4 -> 2/5"),
]


@pytest.mark.parametrize(("name", "params", "expected", "why"), HAND,
                         ids=[f"{h[0]}-{i}" for i, h in enumerate(HAND)])
def test_attribute_indicators_by_hand(toy_region, name, params, expected, why) -> None:
    assert compute_indicator(toy_region, name, **params) == pytest.approx(expected), why


def test_support_function_vocabulary_has_24_functions() -> None:
    assert len(SUPPORT_FUNCTIONS) == 24  # the denominator of support_function_coverage


def test_reachability_indicators_by_hand(toy_region) -> None:
    """Person-mediated paths: f1 - p1 - c1 - p2 - u1; f2, f3, f4 have no person."""
    ctx = IndicatorContext(toy_region)
    assert compute_indicator(ctx, "knowledge_reach") == pytest.approx(2 / 5)  # f1, c1
    assert compute_indicator(ctx, "external_reach") == pytest.approx(2 / 5)   # u1 is external
    assert compute_indicator(ctx, "support_reach") == 0.0   # s1 has no person tie
    assert compute_indicator(ctx, "public_reach") == 0.0    # m1, g1 have no person tie


def test_profile_indicators_by_hand(toy_region) -> None:
    """ecograph.thin_dense_profile on the toy region.

    * interlocks (board seats and management): p1 sits on f1 and c1 -> one interlocked pair
      among the 11 organisations (every non-person actor): 1 / 55;
    * roles (board seats, management, ownership, membership of persons): p1 2, p2 1
      -> share with >= 2 roles 1/2, mean 1.5;
    * external bridging: of the 10 regional actors, f3 (funded by g1), f1 (supplies x1),
      f2 (knowledge link to u1) and p2 (tie to u1) touch an external actor: 4/10;
    * multiplexity: no actor pair is linked in two layers: 0.
    """
    ctx = IndicatorContext(toy_region)
    assert compute_indicator(ctx, "interlock_density") == pytest.approx(1 / 55)
    assert compute_indicator(ctx, "multi_role_share") == pytest.approx(0.5)
    assert compute_indicator(ctx, "mean_roles_per_person") == pytest.approx(1.5)
    assert compute_indicator(ctx, "external_bridging_share") == pytest.approx(0.4)
    assert compute_indicator(ctx, "multiplexity") == 0.0


def test_missing_values_have_reasons(toy_region) -> None:
    from ecograph.scoring.indicators import _evaluate

    no_meta = toy_region.__class__(toy_region.actors, toy_region.relations,
                                   toy_region.meta.model_copy(update={"population": None,
                                                                      "year": None}))
    ctx = IndicatorContext(no_meta)
    value, reason = _evaluate(ctx, "organisations_per_1000", {})
    assert math.isnan(value) and "population is not given" in reason
    value, reason = _evaluate(ctx, "median_firm_age", {})
    assert math.isnan(value) and "no reference year" in reason
    value, reason = _evaluate(ctx, "median_firm_age", {"reference_year": 2019})
    assert value == 19.0 and reason == "founding year known for 5 of 5 enterprises"


def test_coverage_rule(toy_region) -> None:
    """Employee counts are known for 4 of 5 enterprises (80 %)."""
    from ecograph.scoring.indicators import _evaluate

    ctx = IndicatorContext(toy_region)
    value, note = _evaluate(ctx, "micro_firm_share", {"min_coverage": 0.8})
    assert value == 0.5 and note == "employee count known for 4 of 5 enterprises"
    value, note = _evaluate(ctx, "micro_firm_share", {"min_coverage": 0.81})
    assert math.isnan(value)
    assert note == "employee count known for 4 of 5 enterprises (80%), below min_coverage 81%"


def test_undefined_share_is_missing_not_zero() -> None:
    from ecograph.core.ecosystem import Ecosystem
    from ecograph.scoring.indicators import _evaluate

    eco = Ecosystem.from_frames(pd.DataFrame({"id": ["s"], "name": ["S"],
                                              "kind": ["support_organisation"]}), warn=False)
    value, reason = _evaluate(IndicatorContext(eco), "supported_share", {})
    assert math.isnan(value) and "there are no enterprises" in reason
    value, reason = _evaluate(IndicatorContext(eco), "external_supply_share", {})
    assert math.isnan(value) and "no supply relations" in reason


def test_unknown_indicator_and_option(toy_region) -> None:
    with pytest.raises(InputError, match="unknown indicator 'nope'"):
        compute_indicator(toy_region, "nope")
    with pytest.raises(InputError, match=r"has no option\(s\) \['windw'\]"):
        compute_indicator(toy_region, "recent_foundings_per_1000", windw=3)
    with pytest.raises(InputError, match="unknown actor kind"):
        compute_indicator(toy_region, "actor_count", kinds=("farm",))
    with pytest.raises(InputError, match="scope must be"):
        compute_indicator(toy_region, "support_organisations", scope="inside")


def test_register_custom_indicator(toy_region) -> None:
    @register_indicator("test_persons", unit="count", definition="persons", source="test")
    def _persons(ctx: IndicatorContext, *, plus: int = 0) -> tuple[float, str]:
        return float(len(ctx.eco.persons) + plus), "counted"

    try:
        assert compute_indicator(toy_region, "test_persons") == 2.0
        assert compute_indicator(toy_region, "test_persons", plus=1) == 3.0
        assert INDICATORS["test_persons"].params == {"plus": 0}
        with pytest.raises(InputError, match="already registered"):
            register_indicator("test_persons", unit="", definition="", source="")(_persons)
    finally:
        del INDICATORS["test_persons"]


def test_register_rejects_positional_options() -> None:
    def bad(ctx, x):  # type: ignore[no-untyped-def]
        return 1.0

    with pytest.raises(InputError, match="exactly one positional argument"):
        register_indicator("test_bad", unit="", definition="", source="")(bad)
    assert "test_bad" not in INDICATORS


def test_catalogue_documents_every_indicator() -> None:
    cat = indicator_catalogue()
    assert set(cat.index) == set(INDICATORS)
    assert (cat["definition"].str.len() > 10).all() and (cat["source"].str.len() > 3).all()
    assert set(cat["kind"]) == {"attribute", "graph"}


# ----------------------------------------------------------------------------- graph providers
def test_profile_indicators_read_the_profile(toy_region, monkeypatch) -> None:
    calls = []

    def fake_profile(eco: object, **options: object) -> pd.Series:
        calls.append(options)
        return pd.Series({"interlock_density": 0.25, "share_persons_2plus_roles": 0.5,
                          "multiplexity": float("nan")})

    monkeypatch.setattr(ecograph, "thin_dense_profile", fake_profile, raising=False)
    ctx = IndicatorContext(toy_region)
    assert compute_indicator(ctx, "interlock_density") == 0.25
    assert compute_indicator(ctx, "multi_role_share") == 0.5
    assert math.isnan(compute_indicator(ctx, "multiplexity"))  # NaN in the profile: missing
    assert calls == [{"n_null": 0}]  # memoised within one context; no null model needed
    with pytest.raises(ComputationError, match="thin_dense_profile has none of"):
        compute_indicator(ctx, "external_bridging_share")


def test_coopetition_indicator_reads_the_summary(toy_region, monkeypatch) -> None:
    monkeypatch.setattr(ecograph, "coopetition_summary",
                        lambda eco: pd.Series({"share_competitors_cooperating": 0.75}),
                        raising=False)
    assert compute_indicator(toy_region, "coopetition_cooperating_share") == 0.75


def test_coopetition_indicator_by_hand() -> None:
    """Two stated pairs, both competitors (0.8 >= the default 0.5); only h1-h2 also
    cooperates (0.9 >= 0.5, while 0.1 < 0.5): 1 of 2 competitor pairs cooperate."""
    from ecograph.core.ecosystem import Ecosystem

    eco = Ecosystem.from_frames(
        pd.DataFrame({"id": ["h1", "h2", "h3"], "name": ["H1", "H2", "H3"], "kind": "firm"}),
        pd.DataFrame({"source": ["h1", "h1"], "target": ["h2", "h3"], "kind": "coopetition",
                      "competitor_intensity": [0.8, 0.8], "partner_intensity": [0.9, 0.1]}),
        warn=False)
    assert compute_indicator(eco, "coopetition_cooperating_share") == 0.5
