"""Scoring one ecosystem: normalisation, aggregation, missing policies, pyramid, supply check.

The toy model of conftest.py, with user inputs survey=4, share=0.3, count=6, minutes=30,
present=0, worked out by hand:

* survey: goalpost(1, 5): (4 - 1) / 4 = 0.75; share: identity 0.3
  -> a1 = 0.5 * 0.75 + 0.5 * 0.3 = 0.525 -> layer base = 0.525
* count: saturating(half=2): 6 / (6 + 2) = 0.75 -> b1 = 0.75
* minutes: negative goalpost(0, 100): 1 - 30/100 = 0.7; present: presence(0) = 0
  -> b2 = 0.4 * 0.7 + 0.6 * 0 = 0.28
* layer top = 0.25 * 0.75 + 0.75 * 0.28 = 0.3975
* pyramid: base - top = 0.525 - 0.3975 = 0.1275 >= 0 -> holds
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecograph.exceptions import InputError, ModelSpecError
from ecograph.scoring.layers import (
    miles_morrison_scores,
    model_scores,
    normalise,
    spigel_scores,
)
from ecograph.scoring.spec import IndicatorSpec, load_model

VALUES = {"survey": 4.0, "share": 0.3, "count": 6.0, "minutes": 30.0, "present": 0.0}


@pytest.fixture
def toy_model(write_model):
    return load_model(write_model())


# ----------------------------------------------------------------------------- normalise
@pytest.mark.parametrize(("transformation", "direction", "raw", "expected"), [
    ("identity", "positive", 0.3, 0.3),
    ("identity", "negative", 0.3, 0.7),
    ({"kind": "goalpost", "lower": 1, "upper": 5}, "positive", 2.0, 0.25),
    ({"kind": "goalpost", "lower": 1, "upper": 5}, "positive", 0.0, 0.0),   # clipped
    ({"kind": "goalpost", "lower": 0, "upper": 240}, "negative", 60.0, 0.75),
    ({"kind": "log_goalpost", "lower": 0, "upper": 99}, "positive", 9.0, 0.5),  # ln10/ln100
    ({"kind": "saturating", "half": 2}, "positive", 2.0, 0.5),
    ({"kind": "saturating", "half": 2}, "positive", 0.0, 0.0),
    ("presence", "positive", 3.0, 1.0),
    ("presence", "positive", 0.0, 0.0),
])
def test_normalise_by_hand(transformation, direction, raw, expected) -> None:
    spec = IndicatorSpec(attribute="a", user_input="k", source="s",
                         transformation=transformation, direction=direction)
    value, _ = normalise(spec, raw)
    assert value == pytest.approx(expected)


def test_normalise_reports_clipping_and_rejects_out_of_domain() -> None:
    spec = IndicatorSpec(attribute="a", user_input="k", source="s",
                         transformation={"kind": "goalpost", "lower": 1, "upper": 5})
    assert normalise(spec, 0.0) == (0.0, "clipped: 0 is below the lower goalpost 1")
    ident = IndicatorSpec(attribute="a", user_input="k", source="s")
    with pytest.raises(InputError, match=r"'x' uses the identity transformation.*got 55"):
        normalise(ident, 55.0, key="x")
    sat = IndicatorSpec(attribute="a", user_input="k", source="s",
                        transformation={"kind": "saturating", "half": 1})
    with pytest.raises(InputError, match="needs a value >= 0"):
        normalise(sat, -1.0)


# ----------------------------------------------------------------------------- aggregation
def test_scores_by_hand(toy_model, user_eco) -> None:
    res = model_scores(user_eco(VALUES), model=toy_model)
    ind = res.indicators
    assert ind["normalised"].to_dict() == pytest.approx(
        {"survey": 0.75, "share": 0.3, "count": 0.75, "minutes": 0.7, "present": 0.0})
    assert res.attributes["score"].to_dict() == pytest.approx({"a1": 0.525, "b1": 0.75,
                                                               "b2": 0.28})
    assert res.layers["score"].to_dict() == pytest.approx({"base": 0.525, "top": 0.3975})
    assert res.pyramid.loc["base >= top", "margin"] == pytest.approx(0.1275)
    assert bool(res.pyramid.loc["base >= top", "holds"]) and res.pyramid_holds is True
    assert res.missing.empty


def test_contributions_add_up_and_drivers_are_ordered(toy_model, user_eco) -> None:
    res = model_scores(user_eco(VALUES), model=toy_model)
    ind, att = res.indicators, res.attributes
    for a, score in att["score"].items():
        assert ind.loc[ind["attribute"] == a, "contribution"].sum() == pytest.approx(score)
    assert att["contribution"].groupby(att["layer"]).sum().to_dict() == pytest.approx(
        res.layers["score"].to_dict())
    # a1: survey 0.375 > share 0.15; b2: only minutes contributes (present is 0)
    assert att.loc["a1", "drivers"] == "survey;share"
    assert att.loc["b2", "drivers"] == "minutes"
    # top: b2 contributes 0.21 > b1 0.1875
    assert res.layers.loc["top", "drivers"] == "b2;b1"


def test_tidy_frame(toy_model, user_eco) -> None:
    frame = spigel_scores(user_eco(VALUES), model=toy_model)
    assert frame["level"].value_counts().to_dict() == {"indicator": 5, "attribute": 3,
                                                       "layer": 2, "pyramid": 1}
    assert frame.index.equals(pd.RangeIndex(len(frame)))
    rows = frame.set_index(["level", "name"])
    assert rows.loc[("indicator", "minutes"), "raw"] == 30.0
    assert rows.loc[("indicator", "minutes"), "transformation"] == "goalpost(0, 100)"
    assert rows.loc[("indicator", "minutes"), "direction"] == "negative"
    assert rows.loc[("attribute", "b2"), "score"] == pytest.approx(0.28)
    assert rows.loc[("layer", "top"), "score"] == pytest.approx(0.3975)
    assert rows.loc[("pyramid", "base >= top"), "score"] == pytest.approx(0.1275)
    assert bool(rows.loc[("pyramid", "base >= top"), "holds"])
    assert rows.loc[("attribute", "b2"), "layer"] == "top"
    for level in ("indicator", "attribute", "layer", "pyramid", "missing"):
        assert isinstance(spigel_scores(user_eco(VALUES), model=toy_model, level=level),
                          pd.DataFrame)
    with pytest.raises(InputError, match="level must be one of"):
        spigel_scores(user_eco(VALUES), model=toy_model, level="indicators")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- missing
def test_skip_renormalises_and_reports(toy_model, user_eco) -> None:
    values = {k: v for k, v in VALUES.items() if k != "share"}
    res = model_scores(user_eco(values), model=toy_model)
    assert res.attributes.loc["a1", "score"] == pytest.approx(0.75)  # survey alone
    assert res.indicators.loc["survey", "effective_weight"] == 1.0
    assert res.indicators.loc["share", "missing"]
    assert res.attributes.loc["a1", "n_missing"] == 1
    assert res.missing.loc["share", "action"] == "skipped"
    assert "no value for 'share'" in res.missing.loc["share", "reason"]


THREE = """
[indicators.extra]
attribute = "a1"
user_input = "extra"
transformation = "identity"
weight = 0.25
source = "test"
"""


@pytest.mark.parametrize(("policy", "expected", "action"), [
    # x = survey (weight 0.5) = 1.0, y = share (0.25) = 0.0, z = extra (0.25) missing
    ("skip", (0.5 * 1.0 + 0.25 * 0.0) / 0.75, "skipped"),
    ("impute-mean", 0.5 * 1.0 + 0.25 * 0.0 + 0.25 * 0.5, "imputed (mean of 2 other"),
    ("impute-zero", 0.5 * 1.0 + 0.25 * 0.0 + 0.25 * 0.0, "imputed (0, the worst value)"),
])
def test_missing_policies_by_hand(write_model, toy_text, user_eco, policy, expected,
                                  action) -> None:
    text = toy_text.replace('user_input = "share"\ntransformation = "identity"\nweight = 0.5',
                            'user_input = "share"\ntransformation = "identity"\nweight = 0.25')
    model = load_model(write_model(text + THREE, name="three"))
    values = {**VALUES, "survey": 5.0, "share": 0.0}
    res = model_scores(user_eco(values), model=model, missing=policy)
    assert res.attributes.loc["a1", "score"] == pytest.approx(expected)
    assert res.missing.loc["extra", "action"].startswith(action)
    assert bool(res.indicators.loc["extra", "imputed"]) == (policy != "skip")


def test_impute_mean_without_peers_skips(toy_model, user_eco) -> None:
    values = {k: v for k, v in VALUES.items() if k != "count"}  # b1's only indicator
    res = model_scores(user_eco(values), model=toy_model, missing="impute-mean")
    assert math.isnan(res.attributes.loc["b1", "score"])
    assert res.missing.loc["count", "action"] == "skipped"
    # the layer renormalises over b2 alone
    assert res.layers.loc["top", "score"] == pytest.approx(0.28)
    assert res.layers.loc["top", "n_missing"] == 1


def test_raise_policy_names_every_missing_key(toy_model, user_eco) -> None:
    values = {k: v for k, v in VALUES.items() if k not in ("share", "count")}
    with pytest.raises(ModelSpecError) as info:
        model_scores(user_eco(values), model=toy_model, missing="raise")
    msg = str(info.value)
    assert toy_model.source in msg
    assert "key 'indicators.share'" in msg and "key 'indicators.count'" in msg


def test_unknown_policy(toy_model, user_eco) -> None:
    with pytest.raises(InputError, match="missing must be one of"):
        model_scores(user_eco(VALUES), model=toy_model, missing="impute")  # type: ignore[arg-type]


def test_out_of_range_user_value_is_an_error(toy_model, user_eco) -> None:
    with pytest.raises(InputError, match="'share' uses the identity transformation"):
        model_scores(user_eco({**VALUES, "share": 30.0}), model=toy_model)


# ----------------------------------------------------------------------------- pyramid
def test_pyramid_violated(toy_model, user_eco) -> None:
    res = model_scores(user_eco({**VALUES, "survey": 1.0, "share": 0.0}), model=toy_model)
    assert res.layers.loc["base", "score"] == 0.0
    assert res.pyramid.loc["base >= top", "margin"] == pytest.approx(-0.3975)
    assert res.pyramid_holds is False
    frame = res.to_frame()
    assert frame.loc[frame["level"] == "pyramid", "note"].tolist() == ["violated"]


def test_pyramid_tolerance(write_model, toy_text, user_eco) -> None:
    model = load_model(write_model(toy_text.replace('order = ["base", "top"]',
                                                    'order = ["base", "top"]\ntolerance = 0.4')))
    res = model_scores(user_eco({**VALUES, "survey": 1.0, "share": 0.0}), model=model)
    assert res.pyramid_holds is True  # -0.3975 >= -0.4


def test_pyramid_undefined_when_a_layer_has_no_score(toy_model, user_eco) -> None:
    values = {k: v for k, v in VALUES.items() if k not in ("survey", "share")}
    res = model_scores(user_eco(values), model=toy_model)
    assert math.isnan(res.layers.loc["base", "score"])
    assert res.pyramid["holds"].isna().all() and res.pyramid_holds is None


def test_three_layer_pyramid_checks() -> None:
    """Spigel: the base is checked against both upper layers, plus social >= material."""
    m = load_model("spigel2017")
    from ecograph.scoring.layers import _pyramid

    res = _pyramid(m, pd.Series({"cultural": 0.5, "social": 0.6, "material": 0.4}))
    assert res["holds"].tolist() == [False, True, True]
    assert res["role"].tolist() == ["base", "base", "order"]
    assert res.index.tolist() == ["cultural >= social", "cultural >= material",
                                  "social >= material"]


# ----------------------------------------------------------------------------- supply check
def test_supply_status_by_hand(toy_region) -> None:
    att = spigel_scores(toy_region, level="attribute")
    # universities: the only knowledge institution u1 is outside
    assert att.loc["universities", "supply"] == "external only"
    assert bool(att.loc["universities", "external_only"])
    # support services: s1 inside
    assert att.loc["support_services", "supply"] == "internal"
    assert att.loc["support_services", "suppliers_internal"] == 1
    # investment capital: funders g1 (outside) and m1 (inside)
    assert att.loc["investment_capital", "supply"] == "internal and external"
    assert (att.loc["investment_capital", ["suppliers_internal", "suppliers_external"]]
            .tolist() == [1, 1])
    # attributes without a supplier declaration: no verdict
    assert pd.isna(att.loc["networks", "supply"])


def test_supply_absent(user_eco) -> None:
    att = spigel_scores(user_eco({}), level="attribute")
    assert att.loc["universities", "supply"] == "absent"
    assert not bool(att.loc["universities", "external_only"])


def test_miles_morrison_flags_external_only(toy_region) -> None:
    frame = miles_morrison_scores(toy_region)
    att = frame[frame["level"] == "attribute"].set_index("name")
    assert len(att) == 11 and set(frame["level"]) == {"indicator", "attribute", "layer"}
    assert att.loc["knowledge", "supply"] == "external only"
    assert att.loc["support_systems", "supply"] == "internal"
    # knowledge: knowledge_institutions (0 inside -> 0), knowledge_reach 2/5, link share 1/5
    assert att.loc["knowledge", "score"] == pytest.approx((0 + 0.4 + 0.2) / 3)


def test_spigel_on_toy_region_by_hand(toy_region) -> None:
    """A few attribute scores of the shipped Spigel model, from the indicator values in
    test_scoring_indicators.py (the graph-derived profile indicators are excluded)."""
    ind = spigel_scores(toy_region, level="indicator")
    att = spigel_scores(toy_region, level="attribute")
    # histories: median age 19 -> goalpost(0, 30) = 19/30; established share 0.6
    assert att.loc["histories_of_entrepreneurship", "score"] == pytest.approx(
        0.5 * 19 / 30 + 0.5 * 0.6)
    # investment capital: funding sources 2 -> 2/(2+2) = 0.5; funded share 0.4
    assert att.loc["investment_capital", "score"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.4)
    # support: 1/(1+2), 2/24, 0.4, reach 0 -> equal weights 0.25
    assert att.loc["support_services", "score"] == pytest.approx(
        0.25 * (1 / 3 + 2 / 24 + 0.4 + 0.0))
    # open markets: external supply share 0.5, external reach 0.4
    assert att.loc["open_markets", "score"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.4)
    # user inputs are missing in this bundle, and say so
    assert bool(ind.loc["broadband_coverage", "missing"])


def test_scoring_does_not_modify_the_ecosystem(toy_region) -> None:
    actors, relations, meta = (toy_region.actors.copy(), toy_region.relations.copy(),
                               toy_region.meta)
    spigel_scores(toy_region)
    miles_morrison_scores(toy_region)
    pd.testing.assert_frame_equal(toy_region.actors, actors)
    pd.testing.assert_frame_equal(toy_region.relations, relations)
    assert toy_region.meta == meta


def test_deterministic(toy_region) -> None:
    pd.testing.assert_frame_equal(spigel_scores(toy_region), spigel_scores(toy_region))


# ----------------------------------------------------------------------------- properties
_inputs = st.fixed_dictionaries({
    "survey": st.floats(0, 10), "share": st.floats(0, 1), "count": st.floats(0, 1e6),
    "minutes": st.floats(0, 1e4), "present": st.floats(0, 5)})


# the fixtures only write the same model file and build fresh ecosystems: safe to share
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=_inputs, bump=st.floats(0.001, 100))
def test_scores_are_bounded_and_monotone(write_model, user_eco, values, bump) -> None:
    model = load_model(write_model())
    res = model_scores(user_eco(values), model=model)
    scores = pd.concat([res.indicators["normalised"], res.attributes["score"],
                        res.layers["score"]])
    assert ((scores >= 0) & (scores <= 1)).all()
    # raising a positive-direction input never lowers its attribute; a negative one never raises it
    up = model_scores(user_eco({**values, "count": values["count"] + bump}), model=model)
    assert up.attributes.loc["b1", "score"] >= res.attributes.loc["b1", "score"]
    down = model_scores(user_eco({**values, "minutes": values["minutes"] + bump}), model=model)
    assert down.attributes.loc["b2", "score"] <= res.attributes.loc["b2", "score"]
