"""Snapshots at change dates, hand-checked on a toy with since/until.

The toy (conftest ``timed``):

====  ======  ===========  ===========
id    kind    since        until
====  ======  ===========  ===========
r1    supply  2018-03-01   (open)
r2    supply  (open)       2019-12-31
r3    supply  2019-01-01   2019-06-30
r4    coop.   (open)       (open)
====  ======  ===========  ===========

``until`` is the last day a relation holds, so r2 stops on 2020-01-01 and r3
on 2019-07-01. Change dates: 2018-03-01, 2019-01-01, 2019-07-01, 2020-01-01.
Valid relations (since <= d <= until):

* 2018-03-01: r1, r2, r4          (r3 not yet)
* 2019-01-01: r1, r2, r3, r4
* 2019-07-01: r1, r2, r4          (r3 ended 2019-06-30)
* 2020-01-01: r1, r4              (r2 ended 2019-12-31)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecograph import Ecosystem, compare, snapshots
from ecograph.exceptions import InputError
from ecograph.scenario.time import change_dates

EXPECTED = {
    "2018-03-01": ["r1", "r2", "r4"],
    "2019-01-01": ["r1", "r2", "r3", "r4"],
    "2019-07-01": ["r1", "r2", "r4"],
    "2020-01-01": ["r1", "r4"],
}


def _ids(views: dict[pd.Timestamp, Ecosystem]) -> dict[str, list[str]]:
    return {str(d.date()): sorted(v.relations["id"]) for d, v in views.items()}


def test_snapshots_at_every_change(timed: Ecosystem) -> None:
    views = snapshots(timed)
    assert _ids(views) == EXPECTED
    assert list(views) == sorted(views)
    for view in views.values():
        assert len(view.actors) == 4  # every actor is kept


def test_change_dates_table(timed: Ecosystem) -> None:
    table = change_dates(timed)
    assert [str(d.date()) for d in table.index] == list(EXPECTED)
    assert table["started"].tolist() == [1, 1, 0, 0]
    assert table["ended"].tolist() == [0, 0, 1, 1]
    assert table["active"].tolist() == [len(v) for v in EXPECTED.values()]


def test_until_is_inclusive(timed: Ecosystem) -> None:
    views = snapshots(timed, ["2019-06-30", "2019-07-01"])
    assert _ids(views) == {"2019-06-30": ["r1", "r2", "r3", "r4"],
                           "2019-07-01": ["r1", "r2", "r4"]}


def test_chosen_dates_any_type_sorted_and_deduplicated(timed: Ecosystem) -> None:
    views = snapshots(timed, [dt.date(2020, 6, 1), "2017-01-01", pd.Timestamp("2017-01-01")])
    # before r1 starts: r2 (open since) and r4
    assert _ids(views) == {"2017-01-01": ["r2", "r4"], "2020-06-01": ["r1", "r4"]}
    assert _ids(snapshots(timed, "2017-01-01")) == {"2017-01-01": ["r2", "r4"]}


def test_years(timed: Ecosystem) -> None:
    # first change 2018, last 2020: the state on 31 December of each year
    assert _ids(snapshots(timed, at="years")) == {
        "2018-12-31": ["r1", "r2", "r4"],
        "2019-12-31": ["r1", "r2", "r4"],
        "2020-12-31": ["r1", "r4"],
    }


def test_start_and_end(timed: Ecosystem) -> None:
    views = snapshots(timed, start="2019-01-01", end=dt.date(2019, 12, 31))
    assert list(_ids(views)) == ["2019-01-01", "2019-07-01"]


def test_no_dates(bridge: Ecosystem) -> None:
    assert snapshots(bridge) == {}
    assert change_dates(bridge).empty
    assert len(snapshots(bridge, ["2020-01-01"])) == 1


def test_original_unchanged(timed: Ecosystem) -> None:
    before = timed.relations.copy(deep=True)
    snapshots(timed)
    pd.testing.assert_frame_equal(timed.relations, before)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"at": "months"}, "at must be 'changes' or 'years'"),
    ({"dates": ["2019-13-01"]}, "dates: expected a date"),
    ({"dates": ["not a date"]}, "dates: expected a date"),
    ({"start": "2020-01-01", "end": "2019-01-01"}, "end 2019-01-01 is before start 2020-01-01"),
])
def test_bad_arguments(timed: Ecosystem, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        snapshots(timed, **kwargs)  # type: ignore[arg-type]


def test_compare_two_dates(timed: Ecosystem) -> None:
    views = snapshots(timed, ["2019-01-01", "2020-01-01"])
    (d1, a), (d2, b) = views.items()
    result = compare(a, b, labels=(str(d1.date()), str(d2.date())), sections=["summary"])
    table = result.summary.set_index("metric")
    # supply: r1, r2, r3 on 2019-01-01; r1 only on 2020-01-01
    assert table.loc["relations.supply", ["2019-01-01", "2020-01-01", "delta"]].tolist() == \
        [3, 1, -2]
    # components: a-b-c-d linked on 2019-01-01; on 2020-01-01 a-b, a-d and c alone
    assert table.loc["components", "delta"] == 1
    assert table.loc["largest_component", ["2019-01-01", "2020-01-01"]].tolist() == [4, 3]
