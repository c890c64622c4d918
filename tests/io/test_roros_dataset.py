"""The shipped Røros bundle: integrity, counts and the facts of the thesis.

Reference values are the thesis's own figures (Tabell 1, Tabell 4, as digested in the
project's seed digest §3) and hand counts, never the loader's output.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import warnings
from pathlib import Path

import pandas as pd
import pytest

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.datasets import dataset_path

ROOT = Path(__file__).resolve().parents[2]
FOLDER = dataset_path("roros")

MEMBERS = {
    # id: (name, employees, revenue in NOK) from thesis Tabell 1 (blank = not given)
    "bergstadens_hotell": ("Bergstadens Hotell", None, None),
    "vauldalen_fjellhotell": ("Vauldalen Fjellhotell", None, None),
    "roros_hotell": ("Røros Hotell", None, None),
    "destinasjon_roros": ("Destinasjon Røros", None, None),
    "coop_roros": ("Coop Midt-Norge avd Røros", None, None),
    "rema_roros": ("Rema 1000 Røros", None, None),
    "galavolden_gard": ("Galåvolden Gård", 10, 10e6),
    "rorosmeieriet": ("Rørosmeieriet", 40, 130e6),
    "stensaas": ("Stensaas Reinsdyrslakteri AS", 20, 70e6),
    "roroskjott": ("Røroskjøtt", 15, 25e6),
    "roros_bryggeri": ("Røros Bryggeri og Mineralvannfabrikk", None, 10e6),
    "rorosmat": ("Rørosmat SA", None, None),
}
MUNICIPALITIES = {"5025": "Røros", "5026": "Holtålen", "3430": "Os", "3426": "Tolga",
                  "3427": "Tynset", "3428": "Alvdal"}


@pytest.fixture(scope="module")
def eco() -> Ecosystem:
    return ecograph.load_roros()


def rel(eco: Ecosystem, kind: str, **where: str) -> pd.DataFrame:
    r = eco.relations[eco.relations["kind"] == kind]
    for col, value in where.items():
        r = r[r[col] == value]
    return r


# ---------------------------------------------------------------- integrity
def test_manifest_matches_every_file():
    lines = (FOLDER / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*")
               if p.is_file() and p.name != "SHA256SUMS"}
    assert set(listed) == on_disk, "SHA256SUMS must list every file of the bundle"
    for name, digest in listed.items():
        assert hashlib.sha256((FOLDER / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed: update datasets/roros/SHA256SUMS (sha256sum) with it")


def test_wheel_ships_the_bundle():
    # pyproject maps datasets/roros into the package, so load_roros works after a normal install
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["datasets/roros"] == "ecograph/_data/roros"


def test_readme_states_the_counts(eco):
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert f"**{len(eco.actors)} actors, {len(eco.relations)} relations.**" in text
    for kind, n in eco.relations["kind"].value_counts().items():
        assert re.search(rf"^\| {kind} \| {n} \|", text, flags=re.M), kind
    for kind, n in eco.actors["kind"].value_counts().items():
        assert re.search(rf"^\| {kind} \| {n} \|", text, flags=re.M), kind


def test_every_row_has_provenance_and_a_cited_source(eco):
    sources = {s.id for s in eco.meta.sources}
    assert {"thesis", "report004", "brreg"} <= sources
    for frame in (eco.actors, eco.relations):
        assert frame["provenance"].notna().all()
        assert frame["evidence"].notna().all()
        first_word = frame["evidence"].str.split(" ").str[0]
        assert first_word.isin(sources).all(), set(first_word) - sources
    # confidence is given for inferred relations, never for stated ones
    inferred = eco.relations["provenance"] == "inferred"
    assert eco.relations.loc[inferred, "confidence"].notna().all()
    assert eco.relations.loc[~inferred, "confidence"].isna().all()


# ---------------------------------------------------------------- metadata
def test_metadata(eco):
    m = eco.meta
    assert m.name == "Best Lokalt, Røros"
    assert m.population == 20000                    # thesis §5.3: "only 20,000 inhabitants"
    assert set(m.municipalities) == set(MUNICIPALITIES)
    assert "CC BY 4.0" in (m.licence or "")
    assert "no formal link to an R&D environment" in (m.description or "")


# ---------------------------------------------------------------- Tabell 1
def test_the_twelve_members_with_their_figures(eco):
    members = rel(eco, "membership", target="best_lokalt")
    assert sorted(members["source"]) == sorted(MEMBERS)
    assert (members["provenance"] == "stated").all()
    for actor_id, (name, employees, revenue) in MEMBERS.items():
        row = eco.actors.loc[actor_id]
        assert row["name"] == name
        assert (None if pd.isna(row["employees"]) else row["employees"]) == employees
        assert (None if pd.isna(row["revenue_nok"]) else row["revenue_nok"]) == revenue
    # digest §3.4: the four producers with both figures: 85 employees, 235 mill NOK
    both = [m for m, (_, e, r) in MEMBERS.items() if e is not None and r is not None]
    assert eco.actors.loc[both, "employees"].sum() == 85
    assert eco.actors.loc[both, "revenue_nok"].sum() == 235e6
    assert eco.actors["revenue_nok"].sum() == 245e6
    sectors = eco.actors.loc[list(MEMBERS), "sector"].value_counts().to_dict()
    assert sectors == {"accommodation": 3, "grocery retail": 2, "food producer": 4,
                       "beverage producer": 1, "destination company": 1,
                       "producer cooperative": 1}


def test_registry_facts_carry_their_source(eco):
    st = eco.actors.loc["stensaas"]
    assert (st["org_number"], st["municipality"], st["nace"], st["legal_form"], st["founded"]) == (
        "954463028", "5025", "10.110", "AS", 1989)
    assert "brreg" in st["evidence"]
    # no other organisation number is given anywhere in the sources
    assert eco.actors["org_number"].notna().sum() == 1


def test_network_and_phases(eco):
    bl = eco.actors.loc["best_lokalt"]
    assert (bl["kind"], bl["founded"]) == ("business_network", 2018)
    (funding,) = rel(eco, "funding").itertuples()
    assert (funding.source, funding.target, funding.provenance) == (
        "innovasjon_norge", "best_lokalt", "stated")
    assert funding.since == pd.Timestamp("2019-01-01")
    (support,) = rel(eco, "support").itertuples()
    assert (support.source, support.target, support.function) == (
        "process_facilitator", "best_lokalt", "process_facilitation")
    assert support.since == pd.Timestamp("2018-01-01")
    assert support.until == pd.Timestamp("2019-12-31")
    assert set(eco.actors.index[eco.actors["external"]]) == {
        "innovasjon_norge", "coop_midt_norge", "national_market"}


def test_rorosmat_and_its_member_owners(eco):
    rm = eco.actors.loc["rorosmat"]
    assert (rm["kind"], rm["legal_form"], rm["founded"]) == ("cooperative", "SA", 1999)
    owners = rel(eco, "membership", target="rorosmat")
    placeholders = owners[owners["source"].str.startswith("rorosmat_owner_")]
    assert len(placeholders) == 28                   # thesis: 28 andelseiere
    assert (placeholders["provenance"] == "illustrative").all()
    assert eco.actors.loc[placeholders["source"], "placeholder"].all()
    assert eco.actors.loc["rorosmat_owner_07", "name"] == "Rørosmat member-owner 07 (anonymous)"
    named = owners[~owners["source"].str.startswith("rorosmat_owner_")]
    assert sorted(named["source"]) == ["galavolden_gard", "roros_bryggeri", "roroskjott",
                                       "rorosmeieriet", "stensaas"]
    assert (named["provenance"] == "inferred").all()


def test_destinasjon_roros_owned_by_the_six_municipalities(eco):
    owners = rel(eco, "ownership", target="destinasjon_roros")
    assert sorted(owners["source"]) == sorted(f"kommune_{c}" for c in MUNICIPALITIES)
    assert owners["share"].isna().all()              # shares unknown
    for code, name in MUNICIPALITIES.items():
        row = eco.actors.loc[f"kommune_{code}"]
        assert (row["kind"], row["municipality"], row["name"]) == ("public_body", code,
                                                                   f"{name} kommune")


# ---------------------------------------------------------------- Tabell 4: informants
def test_informants_are_anonymous_with_their_roles(eco):
    persons = eco.actors[eco.actors["kind"] == "person"]
    assert list(persons.index) == [f"informant_{i}" for i in range(1, 7)]
    assert persons["name"].str.fullmatch(r"Informant [1-6] \(anonymous\)").all()
    seats = rel(eco, "board_seat", target="best_lokalt")
    assert sorted(seats["source"]) == ["informant_1", "informant_2", "informant_3",
                                       "informant_4", "informant_6"]
    assert (seats["role"] == "member").all()         # the thesis does not say who chairs it
    assert (seats["provenance"] == "stated").all()
    (chair,) = rel(eco, "board_seat", target="rorosmat").itertuples()
    assert (chair.source, chair.role, chair.provenance) == ("informant_2", "chair", "inferred")
    ceos = rel(eco, "management", role="ceo")
    assert sorted(ceos["source"]) == [f"informant_{i}" for i in (1, 3, 4, 5, 6)]
    # which member firm an informant manages is not stated: never a stated link to a member
    stated_to_members = ceos[(ceos["provenance"] == "stated") & ceos["target"].isin(list(MEMBERS))]
    assert stated_to_members.empty
    assert eco.actors.loc["informant_3_firm", "may_be"].split("|") == [
        "bergstadens_hotell", "vauldalen_fjellhotell", "roros_hotell"]


# ---------------------------------------------------------------- relations coded from the text
def test_coopetition_pairs(eco):
    pairs = rel(eco, "coopetition")
    got = {frozenset(p) for p in zip(pairs["source"], pairs["target"], strict=True)}
    assert got == {frozenset(p) for p in [
        ("bergstadens_hotell", "roros_hotell"), ("bergstadens_hotell", "vauldalen_fjellhotell"),
        ("roros_hotell", "vauldalen_fjellhotell"), ("coop_roros", "rema_roros")]}
    assert pairs["competitor_intensity"].between(0.3, 0.4).all()   # low-medium
    assert pairs["partner_intensity"].between(0.7, 0.8).all()      # high
    assert (pairs["provenance"] == "inferred").all()
    assert pairs["evidence"].str.contains("Argentina").all()


def test_supply_ties_are_never_stated_pairs(eco):
    supply = rel(eco, "supply")
    stated = supply[supply["provenance"] == "stated"]
    assert stated[["source", "target"]].values.tolist() == [["rorosmat", "national_market"]]
    direct = supply[supply["role"] == "direct"]
    assert len(direct) == 25 and (direct["provenance"] == "illustrative").all()


def test_stated_absence_of_rnd_links(eco):
    assert not (eco.actors["kind"] == "knowledge_institution").any()
    assert not (eco.relations["kind"] == "knowledge_link").any()
    assert "knowledge_institution" in (FOLDER / "README.md").read_text(encoding="utf-8")


def test_no_isolated_actors_and_no_warnings(eco):
    linked = set(eco.relations["source"]) | set(eco.relations["target"])
    assert linked == set(eco.actors.index)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecograph.read_bundle(FOLDER, warn=True)
