"""Tests of the seeded synthetic ecosystem generator (ecograph.synthetic_region)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.exceptions import InputError
from ecograph.registry.tables import municipalities as kommuner
from ecograph.synthetic import SECTOR_CODES, synthetic_region


@pytest.fixture(scope="module")
def eco20k() -> ecograph.Ecosystem:
    return synthetic_region(20_000, seed=7)


def test_public_name_is_registered() -> None:
    assert ecograph.synthetic_region is synthetic_region


def test_same_seed_same_ecosystem_and_other_seed_differs() -> None:
    a = synthetic_region(500, municipalities=5, seed=3)
    b = synthetic_region(500, municipalities=5, seed=3)
    c = synthetic_region(500, municipalities=5, seed=4)
    assert a == b
    assert not a.relations.equals(c.relations)


def test_trusted_frames_equal_validated_frames() -> None:
    # the fast path (no validation) must build exactly what Ecosystem.from_frames builds
    fast = synthetic_region(3_000, seed=11)
    checked = synthetic_region(3_000, seed=11, validate=True)
    pd.testing.assert_frame_equal(fast.actors, checked.actors)
    pd.testing.assert_frame_equal(fast.relations, checked.relations)
    assert fast.meta == checked.meta
    assert fast.extra_dtypes == checked.extra_dtypes


@pytest.mark.slow
def test_trusted_frames_valid_at_larger_scale() -> None:
    fast = synthetic_region(100_000, seed=12)
    checked = synthetic_region(100_000, seed=12, validate=True)
    assert fast == checked


def test_organisation_count_kinds_and_one_municipality_body_each(
    eco20k: ecograph.Ecosystem,
) -> None:
    a = eco20k.actors
    orgs = a[a["kind"] != "person"]
    assert len(orgs) == 20_000
    assert set(orgs["kind"]) == {
        "firm",
        "cooperative",
        "public_body",
        "support_organisation",
        "business_network",
        "knowledge_institution",
    }
    bodies = orgs[orgs["kind"] == "public_body"]
    assert bodies["municipality"].is_unique
    assert set(bodies["municipality"]) == set(orgs["municipality"])
    assert set(eco20k.meta.municipalities) == set(orgs["municipality"])
    assert (bodies["legal_form"] == "KOMM").all()


def test_every_person_has_a_role(eco20k: ecograph.Ecosystem) -> None:
    persons = eco20k.persons
    linked = pd.Index(eco20k.relations["source"]).union(pd.Index(eco20k.relations["target"]))
    assert persons.isin(linked).all()
    assert len(persons) <= round(1.5 * 20_000)


def test_micro_share_matches_the_target(eco20k: ecograph.Ecosystem) -> None:
    # the ØF report's appendix: 82 % of firms have 0-4 employees; the default target is 0.8
    firms = eco20k.actors[eco20k.actors["kind"] == "firm"]
    share = float((firms["employees"] <= 4).mean())
    # n ~ 19,000 firms: binomial sd ~ 0.003; allow the share of forms to vary too
    assert share == pytest.approx(0.8, abs=0.02)
    other = synthetic_region(20_000, seed=7, micro_share=0.6)
    firms = other.actors[other.actors["kind"] == "firm"]
    assert float((firms["employees"] <= 4).mean()) == pytest.approx(0.6, abs=0.02)


def test_board_sizes_and_roles(eco20k: ecograph.Ecosystem) -> None:
    seats = eco20k.relations[eco20k.relations["kind"] == "board_seat"]
    size = seats.groupby("target").size()
    # truncated geometric with mean 3 before a duplicate person is removed from a board
    assert 2.7 <= size.mean() <= 3.05
    assert size.max() <= 12
    chairs = seats[seats["role"] == "chair"].groupby("target").size()
    assert (chairs == 1).all()
    # sole proprietorships have no board and exactly one owner with share 1
    enk = eco20k.actors.index[eco20k.actors["legal_form"] == "ENK"]
    assert not seats["target"].isin(enk).any()
    own = eco20k.relations[
        (eco20k.relations["kind"] == "ownership") & eco20k.relations["target"].isin(enk)
    ]
    assert own.groupby("target")["share"].sum().eq(1.0).all()
    assert set(own["target"]) == set(enk)


def test_roles_per_person_are_heavy_tailed(eco20k: ecograph.Ecosystem) -> None:
    rel = eco20k.relations
    person_roles = rel[rel["source"].isin(eco20k.persons)].groupby("source").size()
    # truncated power law k**-2.2 on 1..20: P(1) = 1 / sum(k**-2.2) = 0.68 before scaling
    k = np.arange(1, 21)
    p1 = 1 / (k**-2.2).sum()
    assert p1 == pytest.approx(0.68, abs=0.01)
    assert 0.45 <= float((person_roles == 1).mean()) <= 0.8
    assert person_roles.max() >= 10


def test_coopetition_only_within_sector_and_municipality(eco20k: ecograph.Ecosystem) -> None:
    a = eco20k.actors
    co = eco20k.relations[eco20k.relations["kind"] == "coopetition"]
    assert len(co) > 0
    src, dst = a.loc[co["source"]], a.loc[co["target"]]
    assert (src["nace"].to_numpy() == dst["nace"].to_numpy()).all()
    assert (src["municipality"].to_numpy() == dst["municipality"].to_numpy()).all()
    pairs = pd.DataFrame(
        {"a": np.minimum(co["source"], co["target"]), "b": np.maximum(co["source"], co["target"])}
    )
    assert not pairs.duplicated().any()
    assert (
        co["competitor_intensity"].between(0, 1).all()
        and co["partner_intensity"].between(0, 1).all()
    )


def test_sectors_come_from_the_nace_list(eco20k: ecograph.Ecosystem) -> None:
    a = eco20k.actors
    codes = {c for group in SECTOR_CODES.values() for c in group}
    sectored = a[a["kind"].isin(["firm", "cooperative"])]
    assert sectored["nace"].notna().all()
    assert set(sectored["nace"]) <= codes


def test_roles_mostly_local(eco20k: ecograph.Ecosystem) -> None:
    a = eco20k.actors
    seats = eco20k.relations[eco20k.relations["kind"] == "board_seat"]
    same = (
        a.loc[seats["source"], "municipality"].to_numpy()
        == a.loc[seats["target"], "municipality"].to_numpy()
    )
    assert float(same.mean()) >= 0.8


def test_other_layers_present(eco20k: ecograph.Ecosystem) -> None:
    kinds = set(eco20k.relations["kind"])
    assert {
        "support",
        "supply",
        "membership",
        "funding",
        "knowledge_link",
        "ownership",
        "management",
        "board_seat",
        "coopetition",
    } <= kinds
    support = eco20k.relations[eco20k.relations["kind"] == "support"]
    assert (eco20k.actors.loc[support["source"], "kind"] == "support_organisation").all()
    funding = eco20k.relations[eco20k.relations["kind"] == "funding"]
    a = eco20k.actors
    assert (
        a.loc[funding["source"], "municipality"].to_numpy()
        == a.loc[funding["target"], "municipality"].to_numpy()
    ).all()


def test_municipality_options() -> None:
    assert synthetic_region(50, municipalities=["5025"], seed=0).meta.municipalities == ("5025",)
    region = synthetic_region(2_000, municipalities=3, seed=0)
    assert set(region.meta.municipalities) == {"5025", "5026", "3430"}
    norway = synthetic_region(5_000, seed=0)
    assert set(norway.meta.municipalities) <= set(kommuner().index)
    assert len(norway.meta.municipalities) > 300
    with pytest.raises(InputError, match="unknown municipality"):
        synthetic_region(10, municipalities=["9999"])
    with pytest.raises(InputError, match="between 1 and 357"):
        synthetic_region(10, municipalities=400)
    with pytest.raises(InputError, match="expected None, 'norway'"):
        synthetic_region(10, municipalities="sweden")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_orgs": 0}, "positive integer"),
        ({"n_orgs": 10, "micro_share": 1.5}, r"share in \[0, 1\]"),
        ({"n_orgs": 10, "seats_per_org": 0}, "positive number"),
        ({"n_orgs": 10, "seats_per_org": 20}, "at most 12"),
        ({"n_orgs": 10, "coopetition_degree": -1}, ">= 0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InputError, match=message):
        synthetic_region(**kwargs)  # type: ignore[arg-type]


def test_tiny_region() -> None:
    eco = synthetic_region(1, municipalities=1, seed=0)
    assert len(eco.organisations) == 1
    assert eco.actors.loc[eco.organisations[0], "kind"] == "public_body"


def test_generation_is_fast_at_1e5() -> None:
    # CPU time, not wall time: the machine is shared. About 1 s on the project machine.
    t0 = time.process_time()
    synthetic_region(100_000, seed=1)
    assert time.process_time() - t0 < 15


@pytest.mark.slow
def test_generation_of_a_million_organisations_under_a_minute() -> None:
    # CPU time (about 8-12 s measured on the shared project machine)
    t0 = time.process_time()
    eco = synthetic_region(1_000_000, seed=1)
    assert time.process_time() - t0 < 60
    assert len(eco.organisations) == 1_000_000
