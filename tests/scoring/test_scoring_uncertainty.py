"""score_uncertainty: reproducibility, degenerate cases computed by hand, Dirichlet moments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecograph.exceptions import InputError
from ecograph.scoring.indices import ee_index
from ecograph.scoring.layers import model_scores
from ecograph.scoring.uncertainty import _draw_plan, score_uncertainty


@pytest.fixture
def regions() -> pd.DataFrame:
    return pd.DataFrame({"finance": [1.0, 2.0, 3.0, 2.0, 2.5],
                         "talent": [1.0, 2.5, 3.0, 1.5, 2.0],
                         "networks": [1.0, 1.0, 3.0, 2.0, 3.0]},
                        index=pd.Index(["A", "B", "C", "D", "E"], name="kommune"))


def test_seeded_and_reproducible(regions) -> None:
    a = score_uncertainty(regions, n_draws=200, seed=7)
    b = score_uncertainty(regions, n_draws=200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = score_uncertainty(regions, n_draws=200, seed=8)
    assert not a["score_mean"].equals(c["score_mean"])
    assert a.index.name == "kommune"
    assert a.attrs == {"n_draws": 200, "concentration": 50.0, "level": 0.9, "seed": 7,
                       "bootstrap": "elements", "dropped_indicators": [],
                       "dropped_elements": [], "dropped_regions": []}


@pytest.mark.parametrize("method", ["stam", "gei"])
def test_no_perturbation_collapses_to_the_point_estimate(regions, method) -> None:
    out = score_uncertainty(regions, method=method, n_draws=20, concentration=None,
                            bootstrap=None, cap_quantile=None)
    point = ee_index(regions, method=method, cap_quantile=None)
    for col in ("score_mean", "score_lower", "score_upper"):
        assert out[col].to_numpy() == pytest.approx(point["score"].to_numpy(), rel=1e-9)
    assert (out["rank_lower"] == point["rank"].to_numpy()).all()
    assert (out["rank_upper"] == point["rank"].to_numpy()).all()
    assert (out["p_rank"] == 1.0).all()


def test_dominant_region_is_always_first(regions) -> None:
    """C is strictly best on every indicator: no weights or indicator subset can demote it."""
    for method in ("stam", "gei"):
        out = score_uncertainty(regions, method=method, n_draws=300, seed=1)
        assert out.loc["C", "p_top"] == 1.0
        assert out.loc["C", "rank_upper"] == 1
        # A is weakly worst everywhere (ties on networks with B): never above rank 4
        assert out.loc["A", "rank_lower"] >= 4


def test_dirichlet_weights_are_centred_on_the_declared_weights() -> None:
    """E[w] = w0 and Var[w_k] = w0_k (1 - w0_k) / (c + 1)."""
    rng = np.random.default_rng(0)
    groups = {"a": ["a"], "b": ["b"], "c": ["c"]}
    w0 = np.array([0.5, 0.3, 0.2])
    _, a, mode = _draw_plan(rng, groups, ["a", "b", "c"], w0, 20000, 50.0, None)
    assert mode == "none"
    assert a.mean(axis=0) == pytest.approx(w0, abs=0.003)
    assert a.var(axis=0) == pytest.approx(w0 * (1 - w0) / 51, rel=0.05)


def test_element_bootstrap_multiplicities() -> None:
    """Drawing K of K elements with replacement: every draw has K draws in total; each
    element is left out with probability (1 - 1/K)^K."""
    rng = np.random.default_rng(0)
    groups = {k: [k] for k in "abcd"}
    w0 = np.full(4, 0.25)
    _, a, mode = _draw_plan(rng, groups, list("abcd"), w0, 20000, None, "elements")
    assert mode == "elements"
    counts = np.rint(a * 4)                      # equal weights: a = multiplicity / 4
    assert (counts.sum(axis=1) == 4).all()
    assert (counts == 0).mean() == pytest.approx((3 / 4) ** 4, abs=0.01)


def test_indicator_bootstrap_within_elements() -> None:
    rng = np.random.default_rng(0)
    groups = {"x": ["a", "b"], "y": ["c"]}
    mix, a, mode = _draw_plan(rng, groups, ["a", "b", "c"], np.array([0.5, 0.5]), 5000, None,
                              "auto")
    assert mode == "indicators"
    assert mix[:, :, 0].sum(axis=1) == pytest.approx(np.ones(5000))   # a mean of 2 draws
    assert set(np.unique(mix[:, 0, 0])) == {0.0, 0.5, 1.0}
    assert (mix[:, 2, 1] == 1.0).all()                                # a single indicator
    assert (a == 0.5).all()


def test_intervals_widen_with_lower_concentration(regions) -> None:
    tight = score_uncertainty(regions, n_draws=500, concentration=1000.0, bootstrap=None, seed=2)
    loose = score_uncertainty(regions, n_draws=500, concentration=2.0, bootstrap=None, seed=2)
    width = lambda u: (u["score_upper"] - u["score_lower"]).mean()  # noqa: E731
    assert width(loose) > 3 * width(tight)


def test_multiplicative_and_groups(regions) -> None:
    groups = {"money": ["finance"], "people": ["talent", "networks"]}
    out = score_uncertainty(regions, groups=groups, aggregate="multiplicative", n_draws=100,
                            concentration=None, bootstrap=None)
    point = ee_index(regions, groups=groups, aggregate="multiplicative")
    assert out["score_mean"].to_numpy() == pytest.approx(point["multiplicative"].to_numpy())


# ----------------------------------------------------------------------------- one ecosystem
def test_ecosystem_mode_without_perturbation_is_the_point(toy_region) -> None:
    out = score_uncertainty(toy_region, n_draws=20, concentration=None, bootstrap=None)
    res = model_scores(toy_region)
    rows = out.set_index(["level", "name"])
    for a, score in res.attributes["score"].dropna().items():
        assert rows.loc[("attribute", a), "score_lower"] == pytest.approx(score)
        assert rows.loc[("attribute", a), "score_upper"] == pytest.approx(score)
    for layer, score in res.layers["score"].items():
        assert rows.loc[("layer", layer), "score_mean"] == pytest.approx(score)
    assert set(out["level"]) == {"attribute", "layer", "pyramid"}
    checks = out[out["level"] == "pyramid"]
    assert (checks["p_holds"].isin([0.0, 1.0])).all()


def test_ecosystem_mode_by_hand(write_model, user_eco) -> None:
    """Toy model: b2 has minutes = 0.7 (weight 0.4) and present = 0 (weight 0.6); a Dirichlet
    draw w gives b2 = 0.7 w, so b2 spans (0, 0.7) and its mean is 0.7 * 0.4 = 0.28."""
    eco = user_eco({"survey": 4.0, "share": 0.3, "count": 6.0, "minutes": 30.0, "present": 0.0})
    out = score_uncertainty(eco, model=write_model(), n_draws=4000, concentration=10.0,
                            bootstrap=None, seed=3).set_index(["level", "name"])
    assert out.loc[("attribute", "b2"), "score_mean"] == pytest.approx(0.28, abs=0.01)
    assert 0 < out.loc[("attribute", "b2"), "score_lower"] < 0.28
    assert 0.28 < out.loc[("attribute", "b2"), "score_upper"] < 0.7
    assert out.loc[("attribute", "b1"), "score_lower"] == out.loc[("attribute", "b1"),
                                                                  "score_upper"] == 0.75
    assert 0 < out.loc[("pyramid", "base >= top"), "p_holds"] <= 1


def test_errors(regions, toy_region) -> None:
    with pytest.raises(InputError, match="n_draws must be an integer >= 10"):
        score_uncertainty(regions, n_draws=5)
    with pytest.raises(InputError, match=r"level must be in \(0, 1\)"):
        score_uncertainty(regions, level=1.0)
    with pytest.raises(InputError, match="concentration must be positive"):
        score_uncertainty(regions, concentration=0)
    with pytest.raises(InputError, match="bootstrap must be"):
        score_uncertainty(regions, bootstrap="rows")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="applies to a table of regions"):
        score_uncertainty(toy_region, bootstrap="elements")
    with pytest.raises(InputError, match="must be a DataFrame of regions x indicators"):
        score_uncertainty([1, 2, 3])  # type: ignore[arg-type]
