"""The golden Røros score, and why each value is what it is.

The golden file ``tests/data/golden/roros_spigel.csv`` is ``ecograph.spigel_scores(load_roros())``
as ``ecograph analyze`` writes it; ``tests/scoring/regenerate_golden.py`` rewrites it. A change
shows up as a diff to review. The hand checks below recompute the headline values from facts
of the thesis and the bundle's README (docs/analysis/scores.md tells the same story in prose):

* 45 enterprises inside the region: 44 firms (45 minus the external market aggregate) and
  Rørosmat SA (Coop Midt-Norge SA is external); population 20,000; year 2019.
* Founding years are known for 2 of 45 enterprises (Stensaas 1989, Rørosmat 1999) and
  employee counts for 4 (thesis Tabell 1): below the 50 % coverage rule, so the firm-age and
  employment indicators are missing, not guessed. The bundle has no survey values.
* Investment capital: Innovasjon Norge (external) is the only funder, and it funds the network
  Best Lokalt, not an enterprise: funding_sources = 1 -> 1 / (1 + 2) = 1/3; funded_share = 0;
  the attribute is (1/3 + 0) / 2 = 1/6, supplied by external actors only.
* Networks: 40 of 45 enterprises are members of Best Lokalt or Rørosmat (all but the five
  anonymous informant firms, which carry no membership row); interlock density: the five
  network board members link Best Lokalt to Rørosmat (informants 1 and 2) and to the firms of
  informants 3, 4 and 6: 4 interlocked pairs of 56 * 55 / 2 = 1540; no competitor pair reaches
  the 0.5 competitor threshold (coded 0.3-0.4), so the co-opetition share is undefined.
* Mentors and role models: five of the six informants hold two or more roles: 5/6.
* Universities: no knowledge institution and no knowledge link (thesis §5.1-5.2): 0.
* Support services: one support organisation (the process facilitator) -> 1/3; one of 24
  support functions (process facilitation) -> 1/24; it supports the network, not an
  enterprise -> 0; no person path to it -> 0.
* Open markets: 1 of 64 supply relations leaves the region (Rørosmat -> the national market).
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.outputs import write_table

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "data" / "golden" / "roros_spigel.csv"
NUMERIC = ["raw", "normalised", "weight", "effective_weight", "contribution", "score"]


@pytest.fixture(scope="module")
def roros_scores() -> pd.DataFrame:
    return ecograph.spigel_scores(ecograph.load_roros())


def _read(path: pathlib.Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_matches_golden_file(roros_scores, tmp_path) -> None:
    now = _read(write_table(roros_scores, tmp_path / "spigel.csv"))
    golden = _read(GOLDEN)
    assert list(now.columns) == list(golden.columns)
    assert now[["level", "name"]].equals(golden[["level", "name"]])
    for col in now.columns:
        if col in NUMERIC:
            a = pd.to_numeric(now[col].replace("", np.nan)).to_numpy(dtype=float)
            b = pd.to_numeric(golden[col].replace("", np.nan)).to_numpy(dtype=float)
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True,
                                       err_msg=f"column {col!r} differs from the golden file; "
                                               "run tests/scoring/regenerate_golden.py and "
                                               "review the diff")
        else:
            diff = now[col] != golden[col]
            assert not diff.any(), (col, now.loc[diff, ["level", "name", col]].to_dict("records"))


def test_roros_values_by_hand(roros_scores) -> None:
    rows = roros_scores.set_index(["level", "name"])
    raw = lambda k: rows.loc[("indicator", k), "raw"]  # noqa: E731
    score = lambda lvl, k: rows.loc[(lvl, k), "score"]  # noqa: E731

    assert raw("funding_sources") == 1 and raw("funded_share") == 0
    assert score("attribute", "investment_capital") == pytest.approx(1 / 6)
    assert rows.loc[("attribute", "investment_capital"), "supply"] == "external only"

    assert raw("network_membership_share") == pytest.approx(40 / 45)
    assert raw("interlock_density") == pytest.approx(4 / 1540)
    assert bool(rows.loc[("indicator", "coopetition_cooperating_share"), "missing"])
    w1, w2 = 0.333334, 0.333333
    assert score("attribute", "networks") == pytest.approx(
        (w1 * 4 / 1540 + w2 * 40 / 45) / (w1 + w2))
    assert raw("multi_role_share") == pytest.approx(5 / 6)
    assert score("attribute", "mentors_and_role_models") == pytest.approx(5 / 6)

    assert score("attribute", "universities") == 0.0
    assert rows.loc[("attribute", "universities"), "supply"] == "absent"
    assert score("attribute", "support_services") == pytest.approx(0.25 * (1 / 3 + 1 / 24))
    assert raw("external_supply_share") == pytest.approx(1 / 64)
    assert score("attribute", "policy_and_governance") == pytest.approx(
        0.3 * 6 / 7 + 0.3 * 1 / 45 + 0.4 * 0)

    social = (1 / 6 + (w1 * 4 / 1540 + w2 * 40 / 45) / (w1 + w2) + 5 / 6) / 3
    assert score("layer", "social") == pytest.approx(social)
    material = (0.3 * 6 / 7 + 0.3 / 45 + 0.25 * (1 / 3 + 1 / 24) + 0.5 / 64) / 4
    assert score("layer", "material") == pytest.approx(material)

    # no survey values, too few founding years: the cultural base cannot be scored
    assert np.isnan(score("layer", "cultural"))
    assert "founding year known for 2 of 45 enterprises" in rows.loc[
        ("indicator", "median_firm_age"), "note"]
    checks = roros_scores[roros_scores["level"] == "pyramid"].set_index("name")
    assert checks["holds"].isna().tolist() == [True, True, False]
    assert bool(checks.loc["social >= material", "holds"])


def test_analyze_writes_the_score_tables(tmp_path) -> None:
    from ecograph.outputs import analyze

    status = analyze(ecograph.load_roros(), tmp_path,
                     only=["spigel.csv", "miles_morrison.csv"])
    assert status["status"].tolist() == ["ok", "ok"], status["error"].tolist()
    mm = _read(tmp_path / "miles_morrison.csv")
    conditions = mm[mm["level"] == "attribute"].set_index("name")
    # Innovasjon Norge, outside the region, is the only funder; there is no knowledge institution
    assert conditions.loc["financial_capital", "supply"] == "external only"
    assert conditions.loc["financial_capital", "external_only"] == "True"
    assert conditions.loc["knowledge", "supply"] == "absent"
    # 63 of the 64 supply relations from inside stay inside
    assert float(conditions.loc["local_market", "score"]) == pytest.approx(63 / 64)
