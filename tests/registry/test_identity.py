"""Person identity across companies and the privacy of birth dates."""

from __future__ import annotations

import hashlib
import pathlib

import pytest

import ecograph
from ecograph.registry.build import import_brreg
from ecograph.registry.identity import PersonIndex, normalise_name, person_key


def _files(brreg: pathlib.Path) -> tuple[list[pathlib.Path], list[pathlib.Path]]:
    units = [
        brreg / "enhet_999999999.json",
        brreg / "enheter_search_page.json",
        brreg / "enheter_bulk.json.gz",
        brreg / "enheter_2025.csv",
    ]
    roles = [
        brreg / "roller_999999999.json",
        brreg / "roller_hotell.json",
        brreg / "roller_totalbestand.json.gz",
    ]
    return units, roles


def _holders(eco: ecograph.Ecosystem, role_code: str, target: str) -> list[str]:
    r = eco.relations
    return r.loc[(r["role_code"] == role_code) & (r["target"] == target), "source"].tolist()


def test_same_name_and_birth_date_merge_across_companies(brreg: pathlib.Path) -> None:
    units, roles = _files(brreg)
    eco = import_brreg(units, roles, salt="s").ecosystem
    # "Ola Nordmann" 1970-01-01 is CEO of 999999999; "OLA NORDMANN" 1970-01-01 CEO of 999999996
    ceo_a = _holders(eco, "DAGL", "999999999")
    ceo_b = _holders(eco, "DAGL", "999999996")
    assert ceo_a == ceo_b
    # same name, other birth date (1971-02-02): another person
    chair_b = _holders(eco, "LEDE", "999999996")
    assert chair_b != ceo_a
    # Kari Testesen 1965-05-05 chairs 999999999 and 999999998 and sits on 999999996's board
    kari = _holders(eco, "LEDE", "999999999")
    assert kari == _holders(eco, "LEDE", "999999998") == _holders(eco, "MEDL", "999999996")


def test_middle_name_rule_trades_splits_for_merges(brreg: pathlib.Path) -> None:
    units, roles = _files(brreg)
    # "Per Olav Eksempel" (member at 999999999) and "Per Eksempel" (chair of 999999993, only in
    # the bulk unit file) share a birth date: split by default, merged without middle names
    with_middle = import_brreg(units, roles, salt="s").ecosystem
    without = import_brreg(units, roles, salt="s", middle_names=False).ecosystem
    a = _holders(with_middle, "MEDL", "999999999")
    b = _holders(with_middle, "LEDE", "999999993")
    assert a != b
    assert _holders(without, "MEDL", "999999999") == _holders(without, "LEDE", "999999993")
    assert len(without.persons) == len(with_middle.persons) - 1


def test_ids_are_salted_hashes_and_stable_per_salt(brreg: pathlib.Path) -> None:
    units, roles = _files(brreg)
    one = import_brreg(units, roles, salt="s").ecosystem
    two = import_brreg(units, roles, salt="s").ecosystem
    other = import_brreg(units, roles, salt="t").ecosystem
    assert list(one.persons) == list(two.persons)
    assert set(one.persons).isdisjoint(other.persons)
    ceo = _holders(one, "DAGL", "999999999")[0]
    key = "nordmann ola|1970-01-01"
    assert ceo == "p_" + hashlib.sha256(b"s\x00" + key.encode()).hexdigest()[:16]
    # without a salt a random one is drawn: ids differ between imports
    r1 = import_brreg(units, roles).ecosystem
    r2 = import_brreg(units, roles).ecosystem
    assert set(r1.persons).isdisjoint(r2.persons)


def test_birth_dates_are_not_written_unless_asked(
    brreg: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    units, roles = _files(brreg)
    eco = import_brreg(units, roles, salt="s").ecosystem
    folder = ecograph.write_bundle(eco, tmp_path / "plain")
    text = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    for date in ("1970-01-01", "1965-05-05", "1980-09-09", "1971-02-02"):
        assert date not in text
    kept = import_brreg(units, roles, salt="s", keep_birth_dates=True).ecosystem
    folder = ecograph.write_bundle(kept, tmp_path / "kept")
    assert "1970-01-01" in (folder / "actors.csv").read_text(encoding="utf-8")
    again = ecograph.read_bundle(folder, warn=False)
    assert again.extra_dtypes["actors"]["birth_date"] == "text"


def test_person_without_birth_date_is_never_merged(
    tmp_path: pathlib.Path, brreg: pathlib.Path
) -> None:
    import json

    for orgnr in ("999999999", "999999998"):
        (tmp_path / f"roller_{orgnr}.json").write_text(
            json.dumps(
                {
                    "rollegrupper": [
                        {
                            "type": {"kode": "DAGL"},
                            "roller": [
                                {
                                    "type": {"kode": "DAGL"},
                                    "avregistrert": False,
                                    "person": {"navn": {"fornavn": "Ola", "etternavn": "Nordmann"}},
                                }
                            ],
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
    eco = import_brreg(
        [brreg / "enhet_999999999.json", brreg / "enheter_search_page.json"],
        sorted(tmp_path.glob("roller_*.json")),
        salt="s",
    ).ecosystem
    assert _holders(eco, "DAGL", "999999999") != _holders(eco, "DAGL", "999999998")


@pytest.mark.parametrize(
    "a, b, same",
    [
        (("Anne-Lise", None, "Prøve"), ("Anne Lise", None, "PRØVE"), True),
        (("Ola", None, "Nordmann"), ("NORDMANN OLA", None, None), True),
        (("Øyvind", None, "Ås"), ("Oyvind", None, "As"), False),  # Ø is not O
        (("Jean", None, "Dupont"), ("Jean", None, "Dupont."), True),
    ],
)
def test_normalise_name(a: tuple[str | None, ...], b: tuple[str | None, ...], same: bool) -> None:
    assert (normalise_name(*a) == normalise_name(*b)) is same


def test_person_key_and_index() -> None:
    assert person_key(None, None, None, "1970-01-01") is None
    assert person_key("Ola", None, "Nordmann", None) == "nordmann ola|?"
    ix = PersonIndex(salt=b"k")
    a = ix.id_for("x|1", name="X", birth="1")
    assert ix.get("x|1") == a and ix.get("y") is None and ix.names[a] == "X"
