"""Stam and GEI-style indices: every step by hand, scipy as the root-finding reference,
metamorphic properties with Hypothesis."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import brentq

from ecograph.exceptions import EcographWarning, InputError
from ecograph.scoring.indices import (
    average_equalisation,
    bottleneck_simulation,
    cap_and_normalise,
    ee_index,
    penalty_for_bottleneck,
    ratio_to_mean,
)

# finite, positive tables: 2-8 regions x 1-5 indicators
positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
tables = st.integers(2, 8).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda j: arrays(np.float64, (n, j), elements=positive))).map(
    lambda a: pd.DataFrame(a, index=[f"r{i}" for i in range(a.shape[0])],
                           columns=[f"i{j}" for j in range(a.shape[1])]))


# ----------------------------------------------------------------------------- Stam by hand
@pytest.fixture
def stam_table() -> pd.DataFrame:
    return pd.DataFrame({"f1": [2.0, 4.0, 6.0], "f2": [1.0, 1.0, 4.0], "t1": [1.0, 2.0, 3.0]},
                        index=pd.Index(["A", "B", "C"], name="region"))


def test_ratio_to_mean_by_hand() -> None:
    t = pd.DataFrame({"x": [1.0, 2.0, 3.0, 6.0]})
    assert ratio_to_mean(t)["x"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0, 2.0])  # mean 3


def test_stam_index_by_hand(stam_table) -> None:
    """f1 / 4 = [.5, 1, 1.5]; f2 / 2 = [.5, .5, 2]; t1 / 2 = [.5, 1, 1.5].
    finance = mean(f1, f2) = [.5, .75, 1.75]; talent = [.5, 1, 1.5]."""
    out = ee_index(stam_table, groups={"finance": ["f1", "f2"], "talent": ["t1"]})
    assert out["finance"].tolist() == pytest.approx([0.5, 0.75, 1.75])
    assert out["talent"].tolist() == pytest.approx([0.5, 1.0, 1.5])
    assert out["additive"].tolist() == pytest.approx([1.0, 1.75, 3.25])
    assert out["multiplicative"].tolist() == pytest.approx([0.25, 0.75, 2.625])
    assert out["geometric"].tolist() == pytest.approx([0.5, math.sqrt(0.75), math.sqrt(2.625)])
    assert out["score"].tolist() == out["additive"].tolist()
    assert out["rank"].tolist() == [3, 2, 1]
    assert out.index.equals(stam_table.index)


def test_stam_weights_by_hand(stam_table) -> None:
    """w = (3, 1) / 4: additive = 2 * (0.75 e_f + 0.25 e_t); multiplicative = e_f^1.5 e_t^0.5."""
    out = ee_index(stam_table, groups={"finance": ["f1", "f2"], "talent": ["t1"]},
                   weights={"finance": 3, "talent": 1}, aggregate="multiplicative")
    ef, et = np.array([0.5, 0.75, 1.75]), np.array([0.5, 1.0, 1.5])
    assert out["additive"].to_numpy() == pytest.approx(2 * (0.75 * ef + 0.25 * et))
    assert out["multiplicative"].to_numpy() == pytest.approx(ef ** 1.5 * et ** 0.5)
    assert out["geometric"].to_numpy() == pytest.approx(ef ** 0.75 * et ** 0.25)
    assert out["score"].tolist() == out["multiplicative"].tolist()


def test_stam_ties_share_the_best_rank() -> None:
    out = ee_index(pd.DataFrame({"a": [1.0, 1.0, 2.0]}, index=["x", "y", "z"]))
    assert out["rank"].tolist() == [2, 2, 1]


# ----------------------------------------------------------------------------- Stam properties
@settings(max_examples=25)
@given(tables, st.floats(0.001, 1000.0))
def test_scaling_an_indicator_leaves_ratio_to_mean_unchanged(table, factor) -> None:
    scaled = table.copy()
    scaled.iloc[:, 0] = scaled.iloc[:, 0] * factor
    pd.testing.assert_frame_equal(ratio_to_mean(scaled), ratio_to_mean(table), rtol=1e-9)
    pd.testing.assert_frame_equal(ee_index(scaled), ee_index(table), rtol=1e-9)


@settings(max_examples=25)
@given(tables)
def test_region_at_the_mean_scores_the_number_of_elements(table) -> None:
    """A region equal to the mean of the others is also the mean of all: it scores K."""
    table = pd.concat([table, table.mean().to_frame("mean").T])
    k = table.shape[1]
    out = ee_index(table)
    assert out.loc["mean", "additive"] == pytest.approx(k)
    assert out.loc["mean", "multiplicative"] == pytest.approx(1.0)
    assert out.loc["mean", "geometric"] == pytest.approx(1.0)
    # with two elements over the same indicators too
    cols = list(table.columns)
    half = max(1, len(cols) // 2)
    groups = {"e1": cols[:half], "e2": cols[half:]} if len(cols) > 1 else {"e1": cols}
    assert ee_index(table, groups=groups).loc["mean", "additive"] == pytest.approx(len(groups))


@settings(max_examples=25)
@given(tables)
def test_mean_additive_index_is_k(table) -> None:
    """Every ratio-to-mean column has mean 1, so the additive index averages K."""
    assert ee_index(table)["additive"].mean() == pytest.approx(table.shape[1])


@settings(max_examples=25)
@given(tables, st.randoms(use_true_random=False))
def test_permuting_regions_permutes_the_index(table, rnd) -> None:
    order = list(table.index)
    rnd.shuffle(order)
    for method in ("stam", "gei"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EcographWarning)  # equalisation limits
            a = ee_index(table, method=method, cap_quantile=None)
            b = ee_index(table.loc[order], method=method, cap_quantile=None)
        pd.testing.assert_frame_equal(a.loc[order], b, rtol=1e-7)


# ----------------------------------------------------------------------------- GEI steps
def test_cap_and_normalise_by_hand() -> None:
    """numpy's linear quantile of [0, 1, 2, 3, 100] at 0.95: position 0.95 * 4 = 3.8
    -> 3 + 0.8 * (100 - 3) = 80.6; the capped column divided by 80.6."""
    out = cap_and_normalise(pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 100.0]}))
    assert out["a"].tolist() == pytest.approx([0, 1 / 80.6, 2 / 80.6, 3 / 80.6, 1.0])
    uncapped = cap_and_normalise(pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0, 100.0]}),
                                 cap_quantile=None)
    assert uncapped["a"].tolist() == pytest.approx([0, 0.01, 0.02, 0.03, 1.0])


def test_average_equalisation_by_hand() -> None:
    """a = [.25, 1] (mean .625), b = [.64, 1] (mean .82); target = (.625 + .82) / 2 = .7225.
    (.25^c + 1) / 2 = .7225 -> c = ln(.445) / ln(.25); likewise c_b = ln(.445) / ln(.64)."""
    y, c = average_equalisation(pd.DataFrame({"a": [0.25, 1.0], "b": [0.64, 1.0]}))
    assert c["a"] == pytest.approx(math.log(0.445) / math.log(0.25), rel=1e-9)
    assert c["b"] == pytest.approx(math.log(0.445) / math.log(0.64), rel=1e-9)
    assert y.mean().tolist() == pytest.approx([0.7225, 0.7225], rel=1e-9)
    assert y["a"].tolist() == pytest.approx([0.445, 1.0], rel=1e-9)


def test_average_equalisation_agrees_with_scipy_brentq() -> None:
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(0.05, 1.0, size=(12, 4)), columns=list("abcd"))
    x = x / x.max()
    y, c = average_equalisation(x)
    target = x.mean().mean()
    for col in x.columns:
        v = x[col].to_numpy()
        ref = brentq(lambda k, v=v: np.mean(v ** k) - target, 1e-6, 1e3, xtol=1e-14)
        assert c[col] == pytest.approx(ref, rel=1e-9)
    assert y.mean().to_numpy() == pytest.approx(np.full(4, target), rel=1e-9)


def test_average_equalisation_unreachable_warns() -> None:
    """A column that is 1 everywhere cannot be moved to a mean below 1."""
    with pytest.warns(EcographWarning,
                      match=r"cannot reach the mean 0\.875 for element\(s\) \['b'\]") as rec:
        _, c = average_equalisation(pd.DataFrame({"a": [0.5, 1.0], "b": [1.0, 1.0]}))
    assert len(rec) == 1
    assert c["a"] == pytest.approx(math.log(0.75) / math.log(0.5))  # a still reaches it
    with pytest.raises(InputError, match=r"values in \[0, 1\]"):
        average_equalisation(pd.DataFrame({"a": [0.5, 2.0]}))


def test_penalty_for_bottleneck_by_hand() -> None:
    h = penalty_for_bottleneck(pd.DataFrame({"a": [0.2], "b": [0.7], "c": [0.5]}))
    assert h.iloc[0].tolist() == pytest.approx([0.2, 0.2 + math.log(1.5), 0.2 + math.log(1.3)])


@settings(max_examples=25)
@given(arrays(np.float64, (5, 4), elements=st.floats(0.0, 1.0)))
def test_penalty_properties(y) -> None:
    h = penalty_for_bottleneck(pd.DataFrame(y)).to_numpy()
    assert (h <= y + 1e-12).all()                        # never above the unpenalised value
    m = y.min(axis=1)
    assert h.min(axis=1) == pytest.approx(m)            # the bottleneck is not penalised
    order = np.argsort(y, axis=1, kind="stable")
    h_by_y = np.take_along_axis(h, order, axis=1)
    assert (np.diff(h_by_y, axis=1) >= -1e-12).all()   # the order within a region is kept


# ----------------------------------------------------------------------------- GEI index
def _gei_reference(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Independent computation: capping off, x / max, brentq exponents, PFB formula."""
    x = (table / table.max()).to_numpy()
    target = x.mean(axis=0).mean()
    c = [brentq(lambda k, v=x[:, j]: np.mean(v ** k) - target, 1e-6, 1e3, xtol=1e-14)
         for j in range(x.shape[1])]
    y = x ** np.array(c)
    m = y.min(axis=1, keepdims=True)
    h = m + np.log(1 + y - m)
    return h, 100 * h.mean(axis=1)


def test_gei_index_agrees_with_independent_computation() -> None:
    t = pd.DataFrame({"opportunity": [1.0, 4.0, 2.0, 3.5], "skills": [4.0, 1.0, 3.0, 2.0],
                      "networking": [2.0, 2.0, 5.0, 1.0]}, index=["A", "B", "C", "D"])
    out = ee_index(t, method="gei", cap_quantile=None)
    h, score = _gei_reference(t)
    assert out[list(t.columns)].to_numpy() == pytest.approx(h, rel=1e-9)
    assert out["score"].to_numpy() == pytest.approx(score, rel=1e-9)
    assert out["rank"].tolist() == list(pd.Series(score).rank(ascending=False).astype(int))
    # the bottleneck is the element with the lowest equalised (= penalised) value
    assert out["bottleneck"].tolist() == [t.columns[i] for i in h.argmin(axis=1)]


def test_gei_subindices_by_hand() -> None:
    t = pd.DataFrame({"a": [1.0, 4.0, 2.0, 3.5], "b": [4.0, 1.0, 3.0, 2.0],
                      "c": [2.0, 2.0, 5.0, 1.0]}, index=["A", "B", "C", "D"])
    out = ee_index(t, method="gei", cap_quantile=None, subindices={"att": ["a", "b"], "asp": ["c"]})
    h, _ = _gei_reference(t)
    att, asp = 100 * h[:, :2].mean(axis=1), 100 * h[:, 2]
    assert out["att"].to_numpy() == pytest.approx(att, rel=1e-9)
    assert out["asp"].to_numpy() == pytest.approx(asp, rel=1e-9)
    assert out["score"].to_numpy() == pytest.approx((att + asp) / 2, rel=1e-9)


def test_gei_best_everywhere_scores_100() -> None:
    t = pd.DataFrame({"a": [1.0, 2.0, 5.0], "b": [3.0, 1.0, 4.0]}, index=["x", "y", "best"])
    out = ee_index(t, method="gei", cap_quantile=None)
    assert out.loc["best", "score"] == pytest.approx(100.0)
    assert out.loc["best", "rank"] == 1


@settings(max_examples=25)
@given(tables)
def test_gei_scores_lie_in_0_100(table) -> None:
    with warnings.catch_warnings():
        # random tables may hit the equalisation limits; that warning is tested above
        warnings.simplefilter("ignore", EcographWarning)
        out = ee_index(table, method="gei")
    assert ((out["score"] >= -1e-9) & (out["score"] <= 100 + 1e-9)).all()


# ----------------------------------------------------------------------------- simulation
def test_bottleneck_simulation_by_hand() -> None:
    """finance = [.5, 1], talent = [1, .5]: equal means, so the exponents are 1 and y = x.
    Region A: m = .5, score = 100 (0.5 + 0.5 + ln 1.5) / 2. Raising finance by 0.1:
    y = [.6, 1], score = 100 (0.6 + 0.6 + ln 1.4) / 2; raising talent: capped at 1, gain 0."""
    t = pd.DataFrame({"finance": [0.5, 1.0], "talent": [1.0, 0.5]}, index=["A", "B"])
    sim = bottleneck_simulation(t, cap_quantile=None, increase=0.1)
    a = sim[sim["region"] == "A"].set_index("element")
    before = 100 * (1.0 + math.log(1.5)) / 2
    after = 100 * (1.2 + math.log(1.4)) / 2
    assert a.loc["finance", "score"] == pytest.approx(before)
    assert a.loc["finance", "score_after"] == pytest.approx(after)
    assert a.loc["finance", "gain"] == pytest.approx(after - before)
    assert a.loc["talent", "gain"] == pytest.approx(0.0)
    assert a["priority"].to_dict() == {"finance": 1, "talent": 2}
    assert a["is_bottleneck"].to_dict() == {"finance": True, "talent": False}
    b = sim[sim["region"] == "B"].set_index("element")
    assert b["priority"].to_dict() == {"talent": 1, "finance": 2}
    assert sim["region"].tolist() == ["A", "A", "B", "B"]


def test_bottleneck_gain_formula_for_a_non_bottleneck() -> None:
    """Raising a non-bottleneck element y by d gains 100/K (ln(1+y+d-m) - ln(1+y-m))."""
    t = pd.DataFrame({"a": [0.2, 1.0, 0.6], "b": [0.5, 0.4, 1.0], "c": [1.0, 0.6, 0.4]},
                     index=["x", "y", "z"])
    sim = bottleneck_simulation(t, cap_quantile=None, increase=0.05, regions=["x"])
    y = ee_index(t, method="gei", cap_quantile=None)  # penalised; recover y for region x
    x = sim.set_index("element")
    m = x.loc["a", "value"]
    for e in ("b", "c"):
        v = x.loc[e, "value"]
        if v + 0.05 <= 1:
            expected = 100 / 3 * (math.log(1 + v + 0.05 - m) - math.log(1 + v - m))
            assert x.loc[e, "gain"] == pytest.approx(expected)
    assert x.loc["a", "priority"] == 1  # the bottleneck first
    assert x.loc["a", "gain"] >= 100 * 0.05 / 3 - 1e-12
    assert y.loc["x", "bottleneck"] == "a"


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("table", "kwargs", "match"), [
    (pd.DataFrame({"a": [1.0, np.nan]}), {}, r"1 missing or infinite value\(s\)"),
    (pd.DataFrame({"a": [1.0, -1.0]}), {}, r"negative value"),
    (pd.DataFrame({"a": [0.0, 0.0], "b": [1.0, 2.0]}), {}, r"\['a'\] are 0 in every region"),
    (pd.DataFrame({"a": [1.0]}), {}, "at least 2 regions"),
    (pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]), {}, "duplicate region"),
    (pd.DataFrame({"a": ["1", "2"]}), {}, "not numeric"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"method": "oecd"}, "method must be"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"groups": {"e": ["z"]}}, "unknown indicator column"),
    (pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]}), {"groups": {"e": ["a"]}},
     r"\['b'\] belong to no element"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"groups": {"e": ["a"], "f": ["a"]}}, "in two elements"),
    (pd.DataFrame({"score": [1.0, 2.0]}), {}, "reserved"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"weights": {"z": 1}}, "weights must give every element"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"weights": {"a": 0}}, "finite and positive"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"subindices": {"s": ["a"]}}, "method='gei' only"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"aggregate": "harmonic"}, "aggregate must be"),
    (pd.DataFrame({"a": [1.0, 2.0]}), {"method": "gei", "cap_quantile": 1.5}, "cap_quantile"),
    (pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]}),
     {"method": "gei", "subindices": {"s": ["a"]}}, r"\['b'\] belong to no sub-index"),
])
def test_input_errors(table, kwargs, match) -> None:
    with pytest.raises(InputError, match=match):
        ee_index(table, **kwargs)


def test_simulation_errors() -> None:
    t = pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 1.0]}, index=["x", "y"])
    with pytest.raises(InputError, match="increase must be in"):
        bottleneck_simulation(t, increase=0)
    with pytest.raises(InputError, match="unknown region"):
        bottleneck_simulation(t, regions=["z"])


# ----------------------------------------------------------------------------- missing values
def test_missing_values_can_be_dropped_explicitly() -> None:
    t = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, np.nan, 2.0], "c": [0.0, 0.0, 0.0],
                      "d": [2.0, 2.0, 4.0]}, index=["x", "y", "z"])
    with pytest.raises(InputError, match="missing or infinite"):
        ee_index(t.drop(columns="c"))
    out = ee_index(t, missing="drop-indicators", groups={"e1": ["a", "b"], "e2": ["c"],
                                                         "e3": ["d"]})
    # b has a missing value, c is 0 everywhere: left out; e2 loses its only indicator
    assert out.attrs == {"dropped_indicators": ["b", "c"], "dropped_elements": ["e2"],
                         "dropped_regions": []}
    assert list(out.columns[:2]) == ["e1", "e3"]
    # e1 = a / 2, e3 = d / (8/3); additive = sum of the two
    assert out["additive"].tolist() == pytest.approx([0.5 + 0.75, 1.0 + 0.75, 1.5 + 1.5])
    rows = ee_index(t.drop(columns="c"), missing="drop-regions")
    assert rows.attrs["dropped_regions"] == ["y"]
    assert list(rows.index) == ["x", "z"]


def test_unknown_missing_rule() -> None:
    with pytest.raises(InputError, match="missing must be"):
        ee_index(pd.DataFrame({"a": [1.0, 2.0]}), missing="impute")  # type: ignore[arg-type]
