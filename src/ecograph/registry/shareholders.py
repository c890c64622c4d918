"""Read Skatteetaten's shareholder register (Aksjonærregisteret) CSV as ownership with shares.

The extract is a ``;``-separated text file with one header row and no
quoting, whose columns and header spelling vary by year (8 to 10 columns:
``Orgnr; Selskap; Aksjeklasse; Navn aksjonær; Fødselsår/orgnr; Postnr/sted;
[Landkode;] Antall aksjer; Antall aksjer selskap[; År]``) and whose encoding
is UTF-8 in recent years and Windows-1252 / Latin-1 in older ones. Numbers
may carry spaces, no-break spaces (U+00A0, U+202F) or dots as thousand
separators. The same owner may appear on several lines for one company and
share class: the lines are summed.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, Literal

from ecograph.core.kinds import LEGAL_FORMS
from ecograph.exceptions import ImportFormatError
from ecograph.registry._stream import is_gzip, open_text
from ecograph.registry.enheter import UnitTable, actor_kind
from ecograph.registry.identity import PersonIndex, normalise_name
from ecograph.registry.report import ImportReport
from ecograph.registry.roles import RelationTable

__all__ = [
    "COLUMN_ALIASES",
    "ShareholderContext",
    "detect_encoding",
    "parse_count",
    "read_shareholders",
]

LinkPolicy = Literal["none", "name_year"]

COLUMN_ALIASES: Final[dict[str, str]] = {
    "orgnr": "orgnr",
    "organisasjonsnummer": "orgnr",
    "selskap": "company",
    "selskapsnavn": "company",
    "aksjeklasse": "share_class",
    "navnaksjonaer": "holder_name",
    "aksjonaer": "holder_name",
    "navnaksjonar": "holder_name",
    "aksjonaernavn": "holder_name",
    "fodselsarorgnr": "holder_id",
    "fodselsaarorgnr": "holder_id",
    "fodselsar": "holder_id",
    "postnrsted": "postal",
    "postnummersted": "postal",
    "landkode": "country",
    "antallaksjer": "shares",
    "antallaksjerselskap": "company_shares",
    "antallaksjeriselskapet": "company_shares",
    "ar": "year",
    "aar": "year",
    "inntektsar": "year",
}
"""Normalised header (case-folded, æ->ae, ø->o, å->a, only letters and digits) -> field."""

_REQUIRED = ("orgnr", "holder_name", "holder_id", "shares", "company_shares")
_ORGNR = re.compile(r"^\d{9}$")
_YEAR = re.compile(r"^\d{4}$")
_SEPARATORS = str.maketrans("", "", " \u00a0\u202f\u2009'")
_DOTTED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMPANY_WORDS = frozenset(
    {
        "as",
        "asa",
        "ab",
        "ltd",
        "limited",
        "inc",
        "gmbh",
        "bv",
        "llc",
        "oy",
        "aps",
        "a/s",
        "sa",
        "sarl",
        "plc",
        "ag",
        "nv",
        "kg",
        "ans",
        "da",
        "ks",
    }
)


def _header_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]", "", text)


def parse_count(text: str) -> int | None:
    """Parse a share count with thousand separators; ``None`` when unreadable.

    Parameters
    ----------
    text : str

    Returns
    -------
    int or None

    Examples
    --------
    >>> parse_count("1 000"), parse_count("1\\u00a0000"), parse_count("12.500"), parse_count("7,5")
    (1000, 1000, 12500, None)
    """
    s = text.strip().translate(_SEPARATORS)
    if _DOTTED.match(s):
        s = s.replace(".", "")
    if s.endswith(",0") or s.endswith(",00"):
        s = s.split(",")[0]
    if not s.isdigit():
        return None
    return int(s)


def detect_encoding(path: str | Path) -> str:
    """The first of UTF-8, Windows-1252 and Latin-1 that decodes the whole file.

    The file is decoded in chunks (constant memory).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"cp1252"`` or ``"latin-1"``.
    """
    p = Path(path)
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open_binary(p) as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):  # type: ignore[misc]
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def open_binary(path: Path) -> IO[bytes]:
    """Open a plain or gzipped file for binary reading."""
    import gzip

    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


@dataclass
class ShareholderContext:
    """Everything :func:`read_shareholders` needs besides the file."""

    units: UnitTable
    relations: RelationTable
    persons: PersonIndex
    report: ImportReport
    link: LinkPolicy = "none"
    year: int | None = None
    filtered_units: set[str] = field(default_factory=set)
    holder_units: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_years: dict[str, str] = field(
        default_factory=dict
    )  # person id -> birth year (kept only if asked)


def _rows(fh: IO[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(fh, delimiter=";", quoting=csv.QUOTE_NONE)
    for fields in reader:
        yield (
            reader.line_num,
            [f[1:-1] if len(f) >= 2 and f[0] == f[-1] == '"' else f for f in fields],
        )


def _records(
    path: Path, encoding: str, report: ImportReport | None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {field: value})``; bad lines are reported when ``report`` is given."""
    file = path.name
    with open_text(path, encoding=encoding) as fh:
        it = _rows(fh)
        try:
            _, header = next(it)
        except StopIteration:
            raise ImportFormatError(f"{file}: empty file") from None
        fields = [COLUMN_ALIASES.get(_header_key(h), f"?{h}") for h in header]
        missing = [f for f in _REQUIRED if f not in fields]
        if missing:
            raise ImportFormatError(
                f"{file}: missing column(s) {missing} in the header {header}; "
                "expected e.g. Orgnr;Selskap;Aksjeklasse;Navn aksjonær;"
                "Fødselsår/orgnr;Postnr/sted;Landkode;Antall aksjer;"
                "Antall aksjer selskap"
            )
        for line, values in it:
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(fields):
                if report is not None:
                    report.skip(
                        file,
                        f"line {line}",
                        f"expected {len(fields)} fields separated by ';', got {len(values)}",
                        ";".join(values),
                    )
                continue
            yield line, {f: v.strip() for f, v in zip(fields, values, strict=True)}


def _brreg_person_index(persons: PersonIndex) -> dict[tuple[str, str], list[str]]:
    """(normalised name, birth year) -> brreg person ids, for ``link="name_year"``."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in persons.keys():  # noqa: SIM118 - PersonIndex is not a dict
        if key.startswith("aksjonaer|"):
            continue
        parts = key.split("|")
        if len(parts) >= 2 and len(parts[1]) >= 4 and parts[1][:4].isdigit():
            pid = persons.get(key)
            if pid is not None:
                out[(parts[0], parts[1][:4])].append(pid)
    return out


def read_shareholders(path: str | Path, ctx: ShareholderContext) -> None:
    """Read one shareholder-register file into ownership relations.

    Parameters
    ----------
    path : str or Path
        The CSV extract (plain or gzipped).
    ctx : ShareholderContext

    Raises
    ------
    ImportFormatError
        When a required column (company orgnr, shareholder name, birth year
        / orgnr, shares, company shares) is missing from the header.

    Notes
    -----
    * ``share = sum of the holder's shares over all share classes / sum of
      the company's shares over its classes`` (duplicate lines summed first;
      a company whose total differs between lines of one class uses the
      largest and gets a note).
    * Holder identity: a 9-digit ``Fødselsår/orgnr`` is an organisation
      (linked to the imported unit, else created from the line's name); a
      4-digit one is a person identified by (normalised name, birth year,
      postcode). Shareholder persons are separate from brreg role holders
      unless ``link="name_year"``: then a shareholder is the brreg person
      with the same normalised name and birth year **when exactly one such
      person exists** (ambiguous and absent matches stay separate). Foreign
      holders without an id are a firm when their name contains a company
      word (AS, AB, LTD, GMBH, ...), else a person.
    * With a ``År`` column, only the requested ``year`` (default: the latest
      in the file) is read; other years are counted as filtered.
    """
    p = Path(path)
    file = p.name
    report = ctx.report
    encoding = detect_encoding(p)
    report.files[file] = f"Aksjonærregisteret CSV ({encoding})"
    holdings: dict[tuple[str, str, str], int] = defaultdict(int)
    company_shares: dict[tuple[str, str], int] = {}
    company_name: dict[str, str] = {}
    holder_info: dict[str, dict[str, Any]] = {}
    lines: dict[tuple[str, str], list[int]] = defaultdict(list)
    wanted: str | None = None
    if ctx.year is not None:
        wanted = str(ctx.year)
    else:  # first pass: the latest year in the file, if it has a year column
        years = {rec.get("year", "") for _, rec in _records(p, encoding, None)}
        valid = sorted(y for y in years if _YEAR.match(y))
        wanted = valid[-1] if valid else None
    for line, rec in _records(p, encoding, report):
        if wanted is not None and "year" in rec and rec["year"] != wanted:
            report.filtered[f"shareholder lines of other years than {wanted}"] += 1
            continue
        _take(file, line, rec, ctx, holdings, company_shares, company_name, holder_info, lines)
    _emit(file, ctx, holdings, company_shares, holder_info, lines)


def _take(
    file: str,
    line: int,
    rec: dict[str, str],
    ctx: ShareholderContext,
    holdings: dict[tuple[str, str, str], int],
    company_shares: dict[tuple[str, str], int],
    company_name: dict[str, str],
    holder_info: dict[str, dict[str, Any]],
    lines: dict[tuple[str, str], list[int]],
) -> None:
    report = ctx.report
    loc = f"line {line}"
    orgnr = rec["orgnr"]
    if not orgnr:
        report.skip(file, loc, "missing organisation number of the company")
        return
    if not _ORGNR.match(orgnr):
        report.skip(
            file, loc, "invalid organisation number of the company (expected 9 digits)", orgnr
        )
        return
    if orgnr not in ctx.units.where:
        if orgnr in ctx.filtered_units:
            report.filtered[
                "shareholder lines of companies outside the selected municipalities"
            ] += 1
        else:
            report.skip(file, loc, "company not among the imported enheter", orgnr)
        return
    shares = parse_count(rec["shares"])
    if shares is None:
        report.skip(file, loc, "unparseable share count (Antall aksjer)", rec["shares"])
        return
    total = parse_count(rec["company_shares"])
    if total is None or total == 0:
        report.skip(
            file,
            loc,
            "unparseable or zero company share count (Antall aksjer selskap)",
            rec["company_shares"],
        )
        return
    if shares > total:
        report.skip(file, loc, "more shares held than the company has", f"{shares} > {total}")
        return
    name = rec["holder_name"]
    if not name:
        report.skip(file, loc, "missing shareholder name")
        return
    if shares == 0:
        report.filtered["shareholder lines with 0 shares"] += 1
        return
    share_class = rec.get("share_class", "") or "(ordinary)"
    hid = rec["holder_id"].strip()
    postal = rec.get("postal", "")
    country = rec.get("country", "")
    if _ORGNR.match(hid):
        holder = hid
        if hid == orgnr:
            report.skip(file, loc, "company listed as its own shareholder (treasury shares)", hid)
            return
        holder_info.setdefault(holder, {"type": "org", "name": name})
    elif _YEAR.match(hid):
        key = f"aksjonaer|{normalise_name(name)}|{hid}|{postal.split(' ')[0] if postal else ''}"
        holder = key
        holder_info.setdefault(holder, {"type": "person", "name": name, "year": hid, "key": key})
    else:
        tokens = set(normalise_name(name).split())
        is_company = bool(tokens & _COMPANY_WORDS)
        key = f"aksjonaer|{normalise_name(name)}|{country}|{postal}"
        holder = key
        holder_info.setdefault(
            holder,
            {
                "type": "foreign_org" if is_company else "person",
                "name": name,
                "year": None,
                "key": key,
            },
        )
    holdings[(orgnr, share_class, holder)] += shares
    lines[(orgnr, holder)].append(line)
    prev = company_shares.get((orgnr, share_class))
    if prev is not None and prev != total:
        report.note(
            file,
            loc,
            "company share count differs from an earlier line of the same class; "
            "the larger is used",
            f"{prev} vs {total}",
        )
        total = max(prev, total)
    company_shares[(orgnr, share_class)] = total
    company_name.setdefault(orgnr, rec.get("company", ""))


def _emit(
    file: str,
    ctx: ShareholderContext,
    holdings: dict[tuple[str, str, str], int],
    company_shares: dict[tuple[str, str], int],
    holder_info: dict[str, dict[str, Any]],
    lines: dict[tuple[str, str], list[int]],
) -> None:
    report = ctx.report
    total_by_company: dict[str, int] = defaultdict(int)
    for (orgnr, _cls), total in company_shares.items():
        total_by_company[orgnr] += total
    held: dict[tuple[str, str], int] = defaultdict(int)
    for (orgnr, _cls, holder), n in holdings.items():
        held[(orgnr, holder)] += n
    brreg = _brreg_person_index(ctx.persons) if ctx.link == "name_year" else {}
    resolved: dict[str, str] = {}
    for holder, info in holder_info.items():
        if info["type"] == "org":
            resolved[holder] = holder
            if holder not in ctx.units.where and holder not in ctx.holder_units:
                tokens = info["name"].split()
                form = tokens[-1].upper() if tokens and tokens[-1].upper() in LEGAL_FORMS else None
                ctx.holder_units[holder] = {
                    "id": holder,
                    "name": info["name"],
                    "org_number": holder,
                    "legal_form": form,
                    "kind": actor_kind(form, None),
                    "where": f"{file} (shareholder)",
                }
            continue
        if info["type"] == "foreign_org":
            oid = ctx.persons.hash(info["key"]).replace("p_", "x_", 1)
            resolved[holder] = oid
            if oid not in ctx.holder_units:
                ctx.holder_units[oid] = {
                    "id": oid,
                    "name": info["name"],
                    "org_number": None,
                    "legal_form": None,
                    "kind": "firm",
                    "where": f"{file} (foreign shareholder)",
                }
            continue
        pid = None
        if brreg and info.get("year"):
            name_key = info["key"].split("|")[1]
            candidates = brreg.get((name_key, info["year"]), [])
            if len(candidates) == 1:
                pid = candidates[0]
                report.imported["shareholders linked to brreg persons"] += 1
        if pid is None:
            pid = ctx.persons.id_for(info["key"], name=info["name"], birth=None)
            if info.get("year"):
                ctx.person_years[pid] = info["year"]
        resolved[holder] = pid
    for (orgnr, holder), n in sorted(held.items()):
        total = total_by_company[orgnr]
        src_lines = lines[(orgnr, holder)]
        where = ", ".join(str(x) for x in src_lines[:10]) + (" ..." if len(src_lines) > 10 else "")
        ctx.relations.add(
            source=resolved[holder],
            target=orgnr,
            kind="ownership",
            role="shareholder",
            share=round(n / total, 10),
            role_code="AKSJ",
            resigned=False,
            evidence=f"Aksjonærregisteret {file} line(s) {where}",
            shares_held=n,
        )
        report.imported["relations.ownership (shareholders)"] += 1
