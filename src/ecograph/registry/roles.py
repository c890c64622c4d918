"""Read Brønnøysund roles: per-unit ``roller`` JSON and the bulk ``roller/totalbestand``.

Role codes become relations (:data:`ROLE_MAP`); role holders that are
persons get a salted-hash id from :class:`~ecograph.registry.identity.PersonIndex`;
role holders that are organisations are linked by organisation number.
The bulk file (a gzipped JSON array of about 2.8 GB uncompressed) is
streamed in constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd
import pyarrow as pa

from ecograph.exceptions import ImportFormatError
from ecograph.registry._stream import (
    BrokenElement,
    iter_json_array,
    load_json_document,
    open_text,
    peek,
)
from ecograph.registry.enheter import UnitTable, actor_kind
from ecograph.registry.identity import PersonIndex, person_key
from ecograph.registry.report import ImportReport

__all__ = [
    "IGNORED_ROLES",
    "ROLE_MAP",
    "RelationTable",
    "RoleSpec",
    "iter_role_units",
    "parse_share",
    "read_roles",
]

ResignedPolicy = Literal["drop", "keep"]


@dataclass(frozen=True)
class RoleSpec:
    """How one Brønnøysund role code becomes an ecograph relation (holder -> unit).

    Attributes
    ----------
    kind : str
        Relation kind.
    role : str or None
        ``role`` of the relation.
    share : {"one", "ansvarsandel", "equal", None}
        How the ownership share is set: 1.0, parsed from ``ansvarsandel``,
        equal among the unit's partners with this code, or left empty.
    function : str or None
        Support function (REVI, REGN).
    weight : float or None
        Tie weight (deputies and contact persons are weaker ties).
    person_only : bool
        Whether only a person can hold it (board seats, management).
    """

    kind: str
    role: str | None
    share: str | None = None
    function: str | None = None
    weight: float | None = None
    person_only: bool = False


ROLE_MAP: Final[dict[str, RoleSpec]] = {
    "DAGL": RoleSpec("management", "ceo", person_only=True),
    "LEDE": RoleSpec("board_seat", "chair", person_only=True),
    "NEST": RoleSpec("board_seat", "deputy_chair", person_only=True),
    "MEDL": RoleSpec("board_seat", "member", person_only=True),
    "VARA": RoleSpec("board_seat", "deputy_member", weight=0.5, person_only=True),
    "OBS": RoleSpec("board_seat", "observer", weight=0.5, person_only=True),
    "KONT": RoleSpec("tie", "contact_person", weight=0.5),
    "INNH": RoleSpec("ownership", "owner", share="one"),
    "DTPR": RoleSpec("ownership", "partner", share="ansvarsandel"),
    "DTSO": RoleSpec("ownership", "partner", share="equal"),
    "KOMP": RoleSpec("ownership", "general_partner"),
    "HFOR": RoleSpec("ownership", "parent_company"),
    "EIKM": RoleSpec("ownership", "owner_municipality"),
    "REVI": RoleSpec("support", "auditor", function="auditing"),
    "REGN": RoleSpec("support", "accountant", function="accounting"),
    "FFØR": RoleSpec("management", "managing_owner", person_only=True),
    "BEST": RoleSpec("management", "manager", person_only=True),
}
"""Role code -> relation (the table of the data-sources note §1.4). The holder is the
source, the unit the target: a person holds a board seat *in* the firm, an audit firm
supports (``function="auditing"``) the firm it audits."""

IGNORED_ROLES: Final[dict[str, str]] = {
    "KENK": "duplicate of HFOR",
    "KDEB": "duplicate of KOMP",
    "REPR": "Norwegian representative of a foreign unit (no ecograph relation)",
}
"""Role codes that are counted but give no relation."""

_ORGNR = re.compile(r"^\d{9}$")
_HREF_ORGNR = re.compile(r"/(?:enheter|underenheter)/(\d{9})(?:/|$)")
_FILE_ORGNR = re.compile(r"(?<!\d)(\d{9})(?!\d)")
_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")
_FRACTION = re.compile(r"^(\d+)\s*/\s*(\d+)$")
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)$")


def parse_share(text: object) -> float | None:
    """Parse a partner's ``ansvarsandel`` (``"50%"``, ``"33,33 %"``, ``"1/3"``, ``"0.5"``).

    Parameters
    ----------
    text : object

    Returns
    -------
    float or None
        The share in (0, 1], or ``None`` when it cannot be read.

    Examples
    --------
    >>> parse_share("50%"), parse_share("33,5 %"), parse_share("1/4"), parse_share("x")
    (0.5, 0.335, 0.25, None)
    """
    if text is None:
        return None
    s = str(text).strip().replace("\u00a0", " ")
    value: float | None = None
    if m := _PERCENT.match(s):
        value = float(m.group(1).replace(",", ".")) / 100.0
    elif m := _FRACTION.match(s):
        den = int(m.group(2))
        value = int(m.group(1)) / den if den else None
    elif m := _NUMBER.match(s):
        value = float(m.group(1).replace(",", "."))
        if value > 1:
            value /= 100.0
    if value is None or not 0 < value <= 1:
        return None
    return round(value, 10)


_RELATION_TYPES: Final[dict[str, pa.DataType]] = {
    "source": pa.string(),
    "target": pa.string(),
    "kind": pa.string(),
    "role": pa.string(),
    "share": pa.float64(),
    "function": pa.string(),
    "weight": pa.float64(),
    "evidence": pa.string(),
    "provenance": pa.string(),
    "role_code": pa.string(),
    "resigned": pa.bool_(),
    "shares_held": pa.int64(),
}


class RelationTable:
    """Relation rows, appended one at a time and stored compactly.

    Rows are collected in Python lists and moved to Arrow arrays every
    ``chunk`` rows, so a national import holds its relations as Arrow data
    (a few bytes per value) rather than as Python objects.

    Parameters
    ----------
    chunk : int, default 65536
        Rows per Arrow chunk.
    """

    def __init__(self, chunk: int = 65_536) -> None:
        self._chunk = chunk
        self._rows: dict[str, list[Any]] = {c: [] for c in _RELATION_TYPES}
        self._chunks: dict[str, list[pa.Array]] = {c: [] for c in _RELATION_TYPES}
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def add(self, **row: Any) -> None:
        """Append one relation row (missing keys are empty; provenance "registry")."""
        row.setdefault("provenance", "registry")
        for k, col in self._rows.items():
            col.append(row.get(k))
        self._n += 1
        if len(self._rows["source"]) >= self._chunk:
            self._flush()

    def _flush(self) -> None:
        for k, col in self._rows.items():
            if col:
                self._chunks[k].append(pa.array(col, type=_RELATION_TYPES[k], from_pandas=True))
                col.clear()

    def frame(self) -> pd.DataFrame:
        """All rows as a DataFrame (Arrow-backed strings, float, boolean, Int64 columns)."""
        self._flush()
        out: dict[str, Any] = {}
        for k, typ in _RELATION_TYPES.items():
            data = pa.chunked_array(self._chunks[k], type=typ)
            if typ == pa.string():
                out[k] = pd.array(data, dtype="string")
            elif typ == pa.float64():
                out[k] = data.to_numpy()
            elif typ == pa.bool_():
                out[k] = (
                    pd.array(data.to_pandas(), dtype="boolean")
                    if len(data)
                    else pd.array([], dtype="boolean")
                )
            else:
                out[k] = (
                    pd.array(data.to_pandas(), dtype="Int64")
                    if len(data)
                    else pd.array([], dtype="Int64")
                )
        return pd.DataFrame(out)

    def clear(self) -> None:
        """Free the stored rows."""
        self._rows = {c: [] for c in _RELATION_TYPES}
        self._chunks = {c: [] for c in _RELATION_TYPES}
        self._n = 0


def _unit_of_document(doc: Mapping[str, Any], file: str) -> str | None:
    orgnr = doc.get("organisasjonsnummer")
    if isinstance(orgnr, str) and _ORGNR.match(orgnr.strip()):
        return orgnr.strip()
    links = doc.get("_links")
    if isinstance(links, Mapping):
        for key in ("enhet", "self"):
            href = links.get(key, {}).get("href") if isinstance(links.get(key), Mapping) else None
            if isinstance(href, str) and (m := _HREF_ORGNR.search(href)):
                return m.group(1)
    found = _FILE_ORGNR.findall(file)
    return found[0] if len(found) == 1 else None


def iter_role_units(
    path: str | Path, report: ImportReport
) -> Iterator[tuple[str, str, Sequence[Any]]]:
    """Yield ``(location, unit orgnr, rollegrupper)`` from a roles file.

    Parameters
    ----------
    path : str or Path
        A per-unit ``/enheter/{orgnr}/roller`` response (the unit is read
        from ``organisasjonsnummer``, the ``_links`` or a 9-digit number in
        the file name), or a bulk ``/roller/totalbestand`` array (gzipped or
        not; streamed).
    report : ImportReport
        Broken elements and elements without a unit are reported there.

    Yields
    ------
    (str, str, list)

    Raises
    ------
    ImportFormatError
        When the file is not a roles document.
    """
    p = Path(path)
    file = p.name
    head = peek(p).lstrip()
    if head.startswith("["):
        with open_text(p, encoding="utf-8-sig") as fh:
            for index, value in iter_json_array(fh):
                loc = f"element {index}"
                if isinstance(value, BrokenElement):
                    report.skip(file, loc, f"broken JSON element: {value.message}", value.snippet)
                    continue
                if not isinstance(value, Mapping):
                    report.skip(file, loc, "array element is not a JSON object", value)
                    continue
                orgnr = value.get("organisasjonsnummer")
                orgnr = orgnr.strip() if isinstance(orgnr, str) else None
                if not orgnr:
                    report.skip(file, loc, "missing organisation number", None)
                    continue
                if not _ORGNR.match(orgnr):
                    report.skip(file, loc, "invalid organisation number (expected 9 digits)", orgnr)
                    continue
                groups = value.get("rollegrupper")
                if not isinstance(groups, list):
                    report.skip(file, loc, "no 'rollegrupper' list", orgnr)
                    continue
                yield loc, orgnr, groups
        return
    if head.startswith("{"):
        doc = load_json_document(p, file)
        if not isinstance(doc, Mapping) or not isinstance(doc.get("rollegrupper"), list):
            raise ImportFormatError(f"{file}: not a roles document (no 'rollegrupper' list)")
        orgnr = _unit_of_document(doc, file)
        if orgnr is None:
            report.skip(
                file,
                "object",
                "cannot tell which unit the roles belong to (no "
                "organisasjonsnummer, no _links, no 9-digit number in the file name)",
            )
            return
        yield "object", orgnr, doc["rollegrupper"]
        return
    raise ImportFormatError(f"{file}: not a JSON roles file (starts with {head[:20]!r})")


@dataclass
class RoleContext:
    """Everything :func:`read_roles` needs besides the file."""

    units: UnitTable
    relations: RelationTable
    persons: PersonIndex
    report: ImportReport
    resigned: ResignedPolicy = "drop"
    middle_names: bool = True
    filtered_units: set[str] = field(default_factory=set)
    holder_units: dict[str, dict[str, Any]] = field(default_factory=dict)


def _holder_unit(enhet: Mapping[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    orgnr = enhet.get("organisasjonsnummer")
    orgnr = orgnr.strip() if isinstance(orgnr, str) else None
    if not orgnr or not _ORGNR.match(orgnr):
        return None, None
    names = enhet.get("navn")
    name = " ".join(str(n) for n in names if n) if isinstance(names, list) else (names or "")
    form = enhet.get("organisasjonsform")
    form_code = form.get("kode") if isinstance(form, Mapping) else None
    return orgnr, {
        "id": orgnr,
        "name": str(name).strip() or orgnr,
        "org_number": orgnr,
        "legal_form": form_code,
        "kind": actor_kind(form_code, None),
        "deleted": bool(enhet.get("erSlettet")),
    }


def read_roles(path: str | Path, ctx: RoleContext) -> None:
    """Read one roles file into ``ctx.relations``, reporting every skipped role.

    Parameters
    ----------
    path : str or Path
    ctx : RoleContext

    Notes
    -----
    For each role: the code is looked up in :data:`ROLE_MAP` (unknown codes
    are skipped and reported; :data:`IGNORED_ROLES` are counted); a resigned
    role (``avregistrert``, before mid-2026 ``fratraadt``) is dropped or kept
    with ``resigned=True``; the holder is a person (``person``) or an
    organisation (``enhet``); roles that only a person can hold are skipped
    when an organisation holds them. ``DTSO`` partners get equal shares,
    ``DTPR`` partners their ``ansvarsandel`` (kept empty with a note when it
    cannot be read), ``INNH`` owners share 1; a kept resigned ownership has
    no share (it is not held any more). The same holder with the same code
    twice in one unit is kept once (counted as filtered).
    """
    file = Path(path).name
    report = ctx.report
    known = ctx.units.where
    for loc, orgnr, groups in iter_role_units(path, report):
        if orgnr not in known:
            if orgnr in ctx.filtered_units:
                report.filtered["roles of units outside the selected municipalities"] += 1
            else:
                report.skip(file, loc, "unit not among the imported enheter / underenheter", orgnr)
            continue
        pending: list[dict[str, Any]] = []
        for g, group in enumerate(groups):
            roles = group.get("roller") if isinstance(group, Mapping) else None
            if not isinstance(roles, list):
                report.skip(file, f"{loc}, rollegrupper[{g}]", "role group without a 'roller' list")
                continue
            for r, role in enumerate(roles):
                where = f"{loc}, rollegrupper[{g}].roller[{r}]"
                if not isinstance(role, Mapping):
                    report.skip(file, where, "role is not a JSON object", role)
                    continue
                rtype = role.get("type")
                code = rtype.get("kode") if isinstance(rtype, Mapping) else None
                if not isinstance(code, str) or not code.strip():
                    report.skip(file, where, "role without a type code", None)
                    continue
                code = code.strip().upper()
                if code in IGNORED_ROLES:
                    report.filtered[f"role code {code} ({IGNORED_ROLES[code]})"] += 1
                    continue
                spec = ROLE_MAP.get(code)
                if spec is None:
                    report.skip(file, where, "unknown role code", code)
                    continue
                resigned = bool(role.get("avregistrert") or role.get("fratraadt"))
                if resigned and ctx.resigned == "drop":
                    report.filtered["resigned roles (avregistrert / fratraadt) dropped"] += 1
                    continue
                person = role.get("person")
                enhet = role.get("enhet")
                if isinstance(person, Mapping):
                    raw_navn = person.get("navn")
                    navn: Mapping[str, Any] = raw_navn if isinstance(raw_navn, Mapping) else {}
                    first, middle, last = (
                        navn.get("fornavn"),
                        navn.get("mellomnavn"),
                        navn.get("etternavn"),
                    )
                    birth = person.get("fodselsdato")
                    birth = birth.strip() if isinstance(birth, str) and birth.strip() else None
                    key = person_key(first, middle, last, birth, middle_names=ctx.middle_names)
                    if key is None:
                        report.skip(file, where, "person without a name", code)
                        continue
                    if birth is None:
                        key = f"{key}|{orgnr}"  # never merged across units
                    full = " ".join(str(x) for x in (first, middle, last) if x)
                    holder = ctx.persons.id_for(key, name=full, birth=birth)
                elif isinstance(enhet, Mapping):
                    if spec.person_only:
                        report.skip(
                            file,
                            where,
                            f"role {code} ({spec.kind}) held by an organisation",
                            enhet.get("organisasjonsnummer"),
                        )
                        continue
                    holder_id, info = _holder_unit(enhet)
                    if holder_id is None or info is None:
                        report.skip(
                            file,
                            where,
                            "role holder organisation without a valid organisation number",
                            enhet.get("organisasjonsnummer"),
                        )
                        continue
                    holder = holder_id
                    if holder not in known and holder not in ctx.holder_units:
                        info["where"] = f"{file} {where}"
                        ctx.holder_units[holder] = info
                else:
                    report.skip(file, where, "role without a person or an enhet holder", code)
                    continue
                if holder == orgnr:
                    report.skip(file, where, f"role {code} held by the unit itself", orgnr)
                    continue
                share: float | None = None
                if resigned:
                    pass  # a resigned owner holds no current share
                elif spec.share == "one":
                    share = 1.0
                elif spec.share == "ansvarsandel":
                    raw = role.get("ansvarsandel")
                    share = parse_share(raw)
                    if share is None and raw not in (None, ""):
                        report.note(
                            file, where, "ansvarsandel cannot be read; share left empty", raw
                        )
                pending.append(
                    {
                        "source": holder,
                        "target": orgnr,
                        "kind": spec.kind,
                        "role": spec.role,
                        "share": share,
                        "function": spec.function,
                        "weight": spec.weight,
                        "role_code": code,
                        "resigned": resigned,
                        "evidence": f"brreg roller {file} {loc} [{g}][{r}]",
                        "_equal": spec.share == "equal",
                    }
                )
        # duplicates (same holder, unit, code): keep the first
        seen: set[tuple[str, str]] = set()
        equal = [row for row in pending if row["_equal"] and not row["resigned"]]
        for row in pending:
            dup_key = (row["source"], row["role_code"])
            if dup_key in seen:
                report.filtered["duplicate roles (same holder, unit and code)"] += 1
                continue
            seen.add(dup_key)
            if row.pop("_equal") and not row["resigned"]:
                row["share"] = round(1.0 / len({r["source"] for r in equal}), 10)
            ctx.relations.add(**row)
            report.imported[f"relations.{row['kind']}"] += 1
