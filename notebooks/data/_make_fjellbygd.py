"""Write the invented register extract of ``notebooks/data/fjellbygd/``.

Fjellbygd (kommunenummer 9901) and its neighbour Dalbygd (9902) are
**fictional** municipalities. Every unit, person, role and shareholding below
is invented for the notebook ``02-from-the-registers.ipynb``; the files have
the real formats of the public registers:

* ``enheter.json``: a search page of Enhetsregisteret's API v2
  (``_embedded.enheter[]``, as ``/enhetsregisteret/api/enheter?kommunenummer=...``);
* ``underenheter.json``: a search page of sub-units (``_embedded.underenheter[]``);
* ``roller_totalbestand.json.gz``: the bulk roles file (``/roller/totalbestand``),
  a gzip-compressed JSON array of per-unit ``rollegrupper``;
* ``aksjonaerer_2023.csv``: Skatteetaten's shareholder-register extract
  (``;``-separated, no quoting, the 9-column layout with ``Landkode``).

The organisation numbers fail the modulus-11 check of real
organisasjonsnumre, so they can never belong to a real unit. Birth dates and
names are invented. Run ``python notebooks/data/_make_fjellbygd.py`` to
rewrite the files; the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

__all__ = ["OUT", "main"]

OUT = Path(__file__).with_name("fjellbygd")

_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def _invalid_orgnr(stem: int) -> str:
    """A 9-digit number whose last digit fails the modulus-11 check."""
    base = f"{stem:08d}"
    total = sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True))
    check = 11 - total % 11
    valid = {11: 0, 10: None}.get(check, check)  # None: no valid number has this stem
    return base + ("1" if valid == 0 else "0")


PLACES = {
    "9901": ("FJELLBYGD", "7399"),
    "9902": ("DALBYGD", "7398"),
}

FORMS = {
    "AS": "Aksjeselskap",
    "ENK": "Enkeltpersonforetak",
    "SA": "Samvirkeforetak",
    "KOMM": "Kommune",
    "FYLK": "Fylkeskommune",
    "FLI": "Forening/lag/innretning",
    "STI": "Stiftelse",
    "BEDR": "Underenhet til næringsdrivende og offentlig forvaltning",
}

# key: (name, form, nace, municipality, employees or None, founded)
UNITS: dict[str, tuple[str, str, str, str, int | None, str]] = {
    "kommune": ("FJELLBYGD KOMMUNE", "KOMM", "84.110", "9901", 210, "1838-01-01"),
    "meieri": ("FJELLBYGD MEIERI SA", "SA", "10.510", "9901", 14, "1931-05-02"),
    "kjott": ("FJELLBYGD KJØTT AS", "AS", "10.130", "9901", 8, "2004-03-15"),
    "ysteri": ("STORLIA GÅRDSYSTERI Marit Storlien", "ENK", "10.510", "9901", None, "2012-06-01"),
    "bjorkli": ("BJØRKLI GÅRD Ola Bjørkli", "ENK", "01.410", "9901", None, "1995-01-01"),
    "nordvang": ("NORDVANG GÅRD Kari Nordvang", "ENK", "01.450", "9901", None, "2008-04-01"),
    "ovreas": ("ØVRE ÅS GÅRD Ingrid Fjellstad", "ENK", "01.450", "9901", None, "1990-01-01"),
    "brygg": ("FJELLBRYGG AS", "AS", "11.050", "9901", 3, "2016-09-01"),
    "bakst": ("FJELLBAKST AS", "AS", "10.710", "9901", 5, "2011-02-01"),
    "vilt": ("VIDDA VILT AS", "AS", "10.130", "9901", 2, "2018-08-20"),
    "hotell": ("FJELLBYGD HOTELL AS", "AS", "55.101", "9901", 22, "1979-05-01"),
    "camping": ("FJELLBYGD CAMPING AS", "AS", "55.300", "9901", 2, "1998-04-01"),
    "guide": ("VIDDAGUIDEN Nils Rønning", "ENK", "79.902", "9901", None, "2015-05-01"),
    "opplevelser": ("FJELLBYGD OPPLEVELSER AS", "AS", "93.299", "9901", 4, "2017-01-10"),
    "kafe": ("KAFÉ TORGET AS", "AS", "56.101", "9901", 6, "2010-03-01"),
    "destinasjon": ("FJELLBYGD DESTINASJON AS", "AS", "79.909", "9901", 3, "2009-11-01"),
    "solvsmie": ("FJELLBYGD SØLVSMIE Guri Myhre", "ENK", "32.120", "9901", None, "2006-01-01"),
    "ullveveri": ("ULLVEVERIET Bente Kvam", "ENK", "13.200", "9901", None, "2019-10-01"),
    "handel": ("FJELLBYGD HANDEL AS", "AS", "47.111", "9901", 11, "1987-01-01"),
    "regnskap": ("FJELLBYGD REGNSKAP AS", "AS", "69.201", "9901", 4, "2001-01-01"),
    "forening": ("FJELLBYGD NÆRINGSFORENING", "FLI", "94.110", "9901", None, "1992-01-01"),
    "hage": ("FJELLBYGD NÆRINGSHAGE", "STI", "70.220", "9901", 3, "2014-01-01"),
    "invest": ("FJELLBYGD INVEST AS", "AS", "64.200", "9901", None, "2005-01-01"),
    "bergholding": ("BERG HOLDING AS", "AS", "64.200", "9901", None, "1999-01-01"),
    "dal_kommune": ("DALBYGD KOMMUNE", "KOMM", "84.110", "9902", 330, "1838-01-01"),
    "fagskole": ("FJELLREGIONEN FAGSKOLE", "FYLK", "85.422", "9902", 25, "2003-08-01"),
    "dal_hotell": ("DALBYGD HOTELL AS", "AS", "55.101", "9902", 15, "1985-01-01"),
    "dal_mat": ("DALBYGD MAT AS", "AS", "10.850", "9902", 6, "2013-01-01"),
    "revisjon": ("FJELLREVISJON AS", "AS", "69.202", "9902", 5, "1996-01-01"),
    "samvirkelag": ("DALBYGD SAMVIRKELAG SA", "SA", "47.111", "9902", 12, "1946-01-01"),
}

# Sub-units: key -> (name, nace, municipality, employees, start, parent key)
SUB_UNITS = {
    "samvirkelag_avd": (
        "DALBYGD SAMVIRKELAG SA AVD FJELLBYGD", "47.111", "9901", 7, "2002-01-01", "samvirkelag"
    ),
}

ORGNR = {key: _invalid_orgnr(98_100_000 + 10 * i) for i, key in enumerate([*UNITS, *SUB_UNITS])}

# Persons: key -> (first name, last name, birth date)
PERSONS: dict[str, tuple[str, str, str]] = {
    "ingrid": ("Ingrid", "Fjellstad", "1962-04-11"),
    "lars": ("Lars", "Bergum", "1958-09-23"),
    "kari": ("Kari", "Nordvang", "1975-02-07"),
    "ola_b": ("Ola", "Bjørkli", "1970-12-01"),
    "marit": ("Marit", "Storlien", "1980-06-30"),
    "per": ("Per", "Haugen", "1966-03-18"),
    "anne": ("Anne", "Lie", "1972-08-09"),
    "jon": ("Jon", "Aasen", "1969-01-25"),
    "siri": ("Siri", "Moen", "1985-10-14"),
    "erik": ("Erik", "Dahl", "1960-05-05"),
    "hanne": ("Hanne", "Vik", "1983-11-22"),
    "tor": ("Tor", "Sæther", "1977-07-03"),
    "liv": ("Liv", "Brå", "1968-02-28"),
    "arne": ("Arne", "Lien", "1955-12-12"),
    "guri": ("Guri", "Myhre", "1979-09-09"),
    "bente": ("Bente", "Kvam", "1987-04-04"),
    "nils": ("Nils", "Rønning", "1974-01-16"),
    "eva": ("Eva", "Dalen", "1981-03-03"),
    "knut": ("Knut", "Ås", "1964-06-21"),
    "randi": ("Randi", "Sletten", "1971-10-10"),
    "hans": ("Hans", "Berg", "1950-08-08"),
    "tone": ("Tone", "Berg", "1982-05-17"),
    "geir": ("Geir", "Fossum", "1967-07-07"),
    "mona": ("Mona", "Engen", "1976-01-30"),
    "svein": ("Svein", "Krog", "1961-11-11"),
    "heidi": ("Heidi", "Rye", "1973-02-14"),
    "trond": ("Trond", "Lund", "1959-04-24"),
    "ola_v": ("Ola", "Vik", "1990-09-19"),
    "astrid": ("Astrid", "Holm", "1984-12-24"),
    "magnus": ("Magnus", "Tangen", "1988-06-06"),
    "sigrid": ("Sigrid", "Aune", "1965-03-27"),
    "bjorn": ("Bjørn", "Hagen", "1957-10-02"),
}

# Roles per unit: (role code, person key or unit key, resigned?)
ROLES: dict[str, list[tuple[str, str, bool]]] = {
    "kommune": [("DAGL", "jon", False)],
    "meieri": [("DAGL", "liv", False), ("LEDE", "ingrid", False), ("NEST", "ola_b", False),
               ("MEDL", "kari", False), ("MEDL", "marit", False), ("MEDL", "geir", False),
               ("VARA", "astrid", False), ("REVI", "revisjon", False)],
    "kjott": [("DAGL", "tor", False), ("LEDE", "lars", False), ("MEDL", "ola_b", False),
              ("MEDL", "tor", False), ("REVI", "revisjon", False), ("REGN", "regnskap", False)],
    "ysteri": [("INNH", "marit", False), ("REGN", "regnskap", False)],
    "bjorkli": [("INNH", "ola_b", False), ("REGN", "regnskap", False)],
    "nordvang": [("INNH", "kari", False), ("REGN", "regnskap", False)],
    "ovreas": [("INNH", "ingrid", False)],
    "brygg": [("DAGL", "hanne", False), ("LEDE", "lars", False), ("MEDL", "hanne", False),
              ("REGN", "regnskap", False)],
    "bakst": [("DAGL", "tone", False), ("LEDE", "hans", False), ("MEDL", "tone", False),
              ("REGN", "regnskap", False)],
    "vilt": [("DAGL", "tor", False), ("LEDE", "lars", False), ("REGN", "regnskap", False)],
    "hotell": [("DAGL", "per", False), ("LEDE", "lars", False), ("MEDL", "arne", False),
               ("MEDL", "sigrid", False), ("MEDL", "bjorn", True), ("VARA", "magnus", False),
               ("REVI", "revisjon", False)],
    "camping": [("DAGL", "tone", False), ("LEDE", "hans", False), ("REGN", "regnskap", False)],
    "guide": [("INNH", "nils", False)],
    "opplevelser": [("DAGL", "eva", False), ("LEDE", "eva", False), ("MEDL", "nils", False),
                    ("REGN", "regnskap", False)],
    "kafe": [("DAGL", "ola_v", False), ("LEDE", "per", False), ("MEDL", "ola_v", False)],
    "destinasjon": [("DAGL", "anne", False), ("LEDE", "jon", False), ("MEDL", "ingrid", False),
                    ("MEDL", "per", False), ("MEDL", "marit", False), ("MEDL", "mona", False),
                    ("VARA", "sigrid", False), ("REVI", "revisjon", False)],
    "solvsmie": [("INNH", "guri", False)],
    "ullveveri": [("INNH", "bente", False)],
    "handel": [("DAGL", "knut", False), ("LEDE", "knut", False), ("MEDL", "astrid", False),
               ("REGN", "regnskap", False)],
    "regnskap": [("DAGL", "randi", False), ("LEDE", "randi", False)],
    "forening": [("LEDE", "ingrid", False), ("MEDL", "kari", False), ("MEDL", "per", False),
                 ("MEDL", "guri", False), ("MEDL", "knut", False), ("MEDL", "eva", False)],
    "hage": [("DAGL", "siri", False), ("LEDE", "ingrid", False), ("MEDL", "jon", False),
             ("MEDL", "erik", False), ("MEDL", "randi", False)],
    "invest": [("DAGL", "lars", False), ("LEDE", "lars", False)],
    "bergholding": [("LEDE", "hans", False), ("MEDL", "tone", False)],
    "dal_kommune": [("DAGL", "heidi", False)],
    "fagskole": [("DAGL", "erik", False)],
    "dal_hotell": [("DAGL", "mona", False), ("LEDE", "arne", False), ("MEDL", "svein", False)],
    "dal_mat": [("DAGL", "geir", False), ("LEDE", "svein", False), ("MEDL", "geir", False)],
    "revisjon": [("DAGL", "trond", False), ("LEDE", "trond", False)],
    "samvirkelag": [("DAGL", "svein", False), ("LEDE", "heidi", False), ("MEDL", "geir", False),
                    ("MEDL", "magnus", False)],
}

ROLE_NAMES = {
    "DAGL": ("DAGL", "Daglig leder/ adm.direktør", "Daglig leder/ adm.direktør"),
    "LEDE": ("STYR", "Styre", "Styrets leder"),
    "NEST": ("STYR", "Styre", "Nestleder"),
    "MEDL": ("STYR", "Styre", "Styremedlem"),
    "VARA": ("STYR", "Styre", "Varamedlem"),
    "INNH": ("INNH", "Innehaver", "Innehaver"),
    "REVI": ("REVI", "Revisor", "Revisor"),
    "REGN": ("REGN", "Regnskapsfører", "Regnskapsfører"),
}

# Shareholdings 2023 (one share class): company key -> [(holder key, shares)], total shares
SHARES: dict[str, tuple[int, list[tuple[str, int]]]] = {
    "hotell": (1000, [("invest", 600), ("per", 100), ("arne", 100), ("kommune", 200)]),
    "destinasjon": (100, [("kommune", 34), ("dal_kommune", 16), ("hotell", 10),
                          ("dal_hotell", 10), ("meieri", 10), ("camping", 5),
                          ("opplevelser", 5), ("handel", 10)]),
    "brygg": (200, [("invest", 100), ("hanne", 100)]),
    "vilt": (100, [("invest", 70), ("tor", 30)]),
    "kjott": (400, [("ola_b", 100), ("kari", 100), ("tor", 200)]),
    "bakst": (100, [("bergholding", 100)]),
    "camping": (100, [("bergholding", 100)]),
    "kafe": (30, [("per", 15), ("ola_v", 15)]),
    "opplevelser": (100, [("eva", 60), ("nils", 40)]),
    "handel": (1000, [("knut", 1000)]),
    "regnskap": (100, [("randi", 100)]),
    "invest": (1000, [("lars", 1000)]),
    "bergholding": (500, [("hans", 400), ("tone", 100)]),
    "dal_hotell": (300, [("arne", 210), ("mona", 90)]),
    "dal_mat": (100, [("samvirkelag", 40), ("geir", 60)]),
    "revisjon": (100, [("trond", 100)]),
}


def _address(municipality: str, key: str = "forretningsadresse") -> dict[str, Any]:
    place, postcode = PLACES[municipality]
    return {key: {"adresse": ["Storgata 1"], "postnummer": postcode, "poststed": place,
                  "kommunenummer": municipality, "kommune": place, "landkode": "NO",
                  "land": "Norge"}}


def _unit(key: str) -> dict[str, Any]:
    name, form, nace, municipality, employees, founded = UNITS[key]
    orgnr = ORGNR[key]
    unit: dict[str, Any] = {
        "organisasjonsnummer": orgnr,
        "navn": name,
        "organisasjonsform": {"kode": form, "beskrivelse": FORMS[form]},
        **_address(municipality),
        "naeringskode1": {"kode": nace, "beskrivelse": ""},
        "harRegistrertAntallAnsatte": employees is not None,
        "stiftelsesdato": founded,
        "registreringsdatoEnhetsregisteret": "1995-02-20",
        "konkurs": False,
        "underAvvikling": False,
        "_links": {"self": {
            "href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}"}},
    }
    if employees is not None:
        unit["antallAnsatte"] = employees
    return unit


def _sub_unit(key: str) -> dict[str, Any]:
    name, nace, municipality, employees, start, parent = SUB_UNITS[key]
    orgnr = ORGNR[key]
    return {
        "organisasjonsnummer": orgnr,
        "navn": name,
        "organisasjonsform": {"kode": "BEDR", "beskrivelse": FORMS["BEDR"]},
        **_address(municipality, "beliggenhetsadresse"),
        "naeringskode1": {"kode": nace, "beskrivelse": ""},
        "harRegistrertAntallAnsatte": True,
        "antallAnsatte": employees,
        "oppstartsdato": start,
        "overordnetEnhet": ORGNR[parent],
        "_links": {"self": {
            "href": f"https://data.brreg.no/enhetsregisteret/api/underenheter/{orgnr}"}},
    }


def _holder(ref: str) -> dict[str, Any]:
    if ref in PERSONS:
        first, last, born = PERSONS[ref]
        return {"person": {"fodselsdato": born, "navn": {"fornavn": first, "etternavn": last},
                           "erDoed": False}}
    name, form = UNITS[ref][0], UNITS[ref][1]
    return {"enhet": {"organisasjonsnummer": ORGNR[ref],
                      "organisasjonsform": {"kode": form, "beskrivelse": FORMS[form]},
                      "navn": name.split(" ", 1), "erSlettet": False}}


def _roles(key: str) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for order, (code, ref, resigned) in enumerate(ROLES[key]):
        group_code, group_name, role_name = ROLE_NAMES[code]
        group = groups.setdefault(group_code, {
            "type": {"kode": group_code, "beskrivelse": group_name},
            "sistEndret": "2023-06-01", "roller": []})
        group["roller"].append({"type": {"kode": code, "beskrivelse": role_name},
                                **_holder(ref), "avregistrert": resigned, "rekkefolge": order})
    orgnr = ORGNR[key]
    return {"organisasjonsnummer": orgnr, "rollegrupper": list(groups.values()),
            "_links": {"enhet": {
                "href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}"}}}


def _shareholder_lines() -> list[str]:
    lines = ["Orgnr;Selskap;Aksjeklasse;Navn aksjonær;Fødselsår/orgnr;Postnr/sted;Landkode;"
             "Antall aksjer;Antall aksjer selskap"]
    for company, (total, holders) in SHARES.items():
        for ref, shares in holders:
            if ref in PERSONS:
                first, last, born = PERSONS[ref]
                holder, ident = f"{last.upper()} {first.upper()}", born[:4]
                municipality = UNITS[company][3]
            else:
                holder, ident, municipality = UNITS[ref][0], ORGNR[ref], UNITS[ref][3]
            place, postcode = PLACES[municipality]
            lines.append(";".join([ORGNR[company], UNITS[company][0], "Ordinære aksjer", holder,
                                   ident, f"{postcode} {place}", "NO", str(shares), str(total)]))
    return lines


def main() -> None:
    """Write the four files into :data:`OUT`."""
    OUT.mkdir(exist_ok=True)
    enheter = {"_embedded": {"enheter": [_unit(k) for k in UNITS]},
               "page": {"size": len(UNITS), "totalElements": len(UNITS), "totalPages": 1,
                        "number": 0}}
    (OUT / "enheter.json").write_text(
        json.dumps(enheter, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    under = {"_embedded": {"underenheter": [_sub_unit(k) for k in SUB_UNITS]},
             "page": {"size": len(SUB_UNITS), "totalElements": len(SUB_UNITS),
                      "totalPages": 1, "number": 0}}
    (OUT / "underenheter.json").write_text(
        json.dumps(under, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    roles = [_roles(k) for k in ROLES]
    payload = json.dumps(roles, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(OUT / "roller_totalbestand.json.gz", "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0
    ) as gz:
        gz.write(payload)
    (OUT / "aksjonaerer_2023.csv").write_text(
        "\n".join(_shareholder_lines()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
