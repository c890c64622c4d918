"""Placement per period and drift between periods, computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecograph import Ecosystem
from ecograph.analysis.coopetition import coopetition, coopetition_drift, coopetition_periods
from ecograph.exceptions import InputError


def coop(a: str, b: str, c: float, p: float, since: str | None, until: str | None) -> dict:
    return {"source": a, "target": b, "kind": "coopetition", "competitor_intensity": c,
            "partner_intensity": p, "since": since, "until": until}


@pytest.fixture
def timeline(build) -> Ecosystem:
    actors = [{"id": i, "name": i, "kind": "firm"} for i in "abc"]
    rel = [
        # a-b: rivals in 2018-2019, partners from 2020 (the Røros story in miniature)
        coop("a", "b", 0.8, 0.2, "2018-01-01", "2019-12-31"),
        coop("a", "b", 0.4, 0.7, "2020-01-01", None),
        # a-c: always there, unchanged
        coop("a", "c", 0.6, 0.6, None, None),
        # b-c: only in 2019
        coop("b", "c", 0.1, 0.1, "2019-01-01", "2019-12-31"),
    ]
    return build(actors, rel)


def test_default_dates_are_change_points(timeline: Ecosystem) -> None:
    per = coopetition_periods(timeline)
    # change points: 2018-01-01 (since), 2019-01-01 (since), 2020-01-01 (since, and the day
    # after both 2019-12-31 ends); a relation has an open since -> also 2017-12-31
    want = ["2017-12-31", "2018-01-01", "2019-01-01", "2020-01-01"]
    assert sorted(per["period"].unique()) == [pd.Timestamp(d) for d in want]
    cats = {(str(r.period.date()), r.org_a, r.org_b): r.category for r in per.itertuples()}
    assert cats == {
        ("2017-12-31", "a", "c"): "adapting",
        ("2018-01-01", "a", "b"): "contending", ("2018-01-01", "a", "c"): "adapting",
        ("2019-01-01", "a", "b"): "contending", ("2019-01-01", "a", "c"): "adapting",
        ("2019-01-01", "b", "c"): "isolating",
        ("2020-01-01", "a", "b"): "partnering", ("2020-01-01", "a", "c"): "adapting",
    }


def test_drift_by_hand(timeline: Ecosystem) -> None:
    d = coopetition_drift(timeline, dates=["2018-06-01", "2019-06-01", "2020-06-01"])
    rows = {(str(r.period_from.date()), r.org_a, r.org_b): r for r in d.itertuples()}
    assert set(rows) == {("2018-06-01", "a", "b"), ("2018-06-01", "a", "c"),
                         ("2018-06-01", "b", "c"), ("2019-06-01", "a", "b"),
                         ("2019-06-01", "a", "c"), ("2019-06-01", "b", "c")}
    ab = rows[("2019-06-01", "a", "b")]
    # (0.8, 0.2) -> (0.4, 0.7): d_c = -0.4, d_p = +0.5, drift = sqrt(0.16 + 0.25)
    assert (ab.d_competitor, ab.d_partner) == pytest.approx((-0.4, 0.5))
    assert ab.drift == pytest.approx(np.sqrt(0.41))
    assert (ab.category_from, ab.category_to) == ("contending", "partnering")
    assert ab.category_changed
    assert ab.status == "continuing"
    ac = rows[("2019-06-01", "a", "c")]
    assert (ac.drift, ac.category_changed) == (0.0, False)
    assert rows[("2018-06-01", "b", "c")].status == "entered"
    bc = rows[("2019-06-01", "b", "c")]
    assert bc.status == "exited" and np.isnan(bc.drift) and pd.isna(bc.category_changed)
    assert pd.isna(bc.category_to)


def test_placement_at_a_date(timeline: Ecosystem) -> None:
    d = coopetition(timeline, date="2019-06-01")
    assert list(zip(d["org_a"], d["org_b"], strict=True)) == [("a", "b"), ("a", "c"), ("b", "c")]
    # without a date the latest relation of a-b is used
    d = coopetition(timeline).set_index(["org_a", "org_b"])
    assert d.loc[("a", "b"), "category"] == "partnering"


def test_no_dates(build) -> None:
    eco = build([{"id": i, "name": i, "kind": "firm"} for i in "ab"],
                [{"source": "a", "target": "b", "kind": "coopetition",
                  "competitor_intensity": 0.5, "partner_intensity": 0.5}])
    assert coopetition_periods(eco).empty
    assert "period" in coopetition_periods(eco).columns
    drift = coopetition_drift(eco)
    assert drift.empty and "drift" in drift.columns
    actors = coopetition_periods(eco, dates=["2020-01-01"], level="actor")
    assert list(actors["actor_id"]) == ["a", "b"]


def test_bad_dates(timeline: Ecosystem) -> None:
    with pytest.raises(InputError, match="single value"):
        coopetition_drift(timeline, dates="2019-01-01")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="dates must be dates"):
        coopetition_drift(timeline, dates=["not a date"])
