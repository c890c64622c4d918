"""Read Enhetsregisteret units (``enheter``) and sub-units (``underenheter``).

Accepted formats (recognised from the content, gzip from its magic bytes):

* one unit as JSON (``/enheter/{orgnr}``, API v2);
* a search page (``{"_embedded": {"enheter": [...]}, "page": {...}}``);
* the bulk JSON array (``/enheter/lastned``, usually gzipped), streamed in
  constant memory;
* the bulk CSV (``/enheter/lastned/csv``), in both the 2024 and the 2025
  header spellings (headers are matched case-insensitively without dots, so
  ``registrertIMvaRegisteret`` and ``registrertIMvaregisteret`` are the same).

Each record becomes one actor row; bad records are skipped and reported with
their file and element / row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from ecograph.exceptions import ImportFormatError
from ecograph.registry._stream import (
    BrokenElement,
    iter_json_array,
    load_json_document,
    open_text,
    peek,
)
from ecograph.registry.report import ImportReport

__all__ = ["FORM_KINDS", "UnitTable", "actor_kind", "iter_unit_records", "read_units"]

UnitType = Literal["enhet", "underenhet"]

FORM_KINDS: Final[dict[str, str]] = {
    **dict.fromkeys(
        [
            "AS",
            "ASA",
            "ANS",
            "DA",
            "KS",
            "NUF",
            "ENK",
            "SPA",
            "PK",
            "ESEK",
            "SAM",
            "KBO",
            "BO",
            "UTLA",
            "PRE",
            "GFS",
            "OPMV",
            "TVAM",
            "VPFO",
            "EOFG",
            "EØFG",
            "BRL",
        ],
        "firm",
    ),
    **dict.fromkeys(["SA", "BBL"], "cooperative"),
    **dict.fromkeys(
        ["KOMM", "FYLK", "STAT", "ORGL", "KF", "IKS", "SF", "KIRK", "FKF", "ADOS"], "public_body"
    ),
    **dict.fromkeys(["FLI", "STI", "AAFY"], "support_organisation"),
    "BEDR": "firm",
}
"""Actor kind per Brønnøysund ``organisasjonsform`` code (before the industry overrides)."""

_NACE_KINDS: Final[tuple[tuple[str, str], ...]] = (
    ("94.1", "business_network"),  # business, employers' and professional organisations
    ("85.4", "knowledge_institution"),  # higher education
    ("72.", "knowledge_institution"),  # scientific research and development
    ("84.", "public_body"),  # public administration
)

_ORGNR = re.compile(r"^\d{9}$")
_KOMMUNE = re.compile(r"^\d{4}$")
_NACE = re.compile(r"^\d{2}(\.\d{1,3})?$")
_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}")


def _key(name: str) -> str:
    """Normalised field key: lower case, no dots, underscores or spaces."""
    return re.sub(r"[._\s]", "", name.strip().lower())


def _flatten(
    obj: Mapping[str, Any], prefix: str = "", out: dict[str, Any] | None = None
) -> dict[str, Any]:
    out = {} if out is None else out
    for k, v in obj.items():
        if k == "_links":
            continue
        name = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, Mapping):
            _flatten(v, name, out)
        else:
            out[_key(name)] = v
    return out


def actor_kind(form: str | None, nace: str | None) -> str:
    """The ecograph actor kind of a unit from its legal form and industry code.

    Parameters
    ----------
    form : str or None
        ``organisasjonsform.kode`` (``"AS"``, ``"SA"``, ``"KOMM"``, ...).
    nace : str or None
        ``naeringskode1.kode`` (SN2007 or SN2025).

    Returns
    -------
    str
        One of the organisation kinds.

    Notes
    -----
    The legal form gives the kind (:data:`FORM_KINDS`; unknown forms are
    firms). The industry code overrides it for four groups that legal form
    cannot tell apart: 94.1 (business and employers' organisations) ->
    ``business_network``; 85.4 (higher education) and 72 (research) ->
    ``knowledge_institution``; 84 (public administration) -> ``public_body``.
    Sole proprietorships and companies keep ``firm`` whatever their code
    except 72 (a research firm is a knowledge actor).

    Examples
    --------
    >>> actor_kind("SA", "10.510"), actor_kind("FLI", "94.110"), actor_kind("STAT", "85.422")
    ('cooperative', 'business_network', 'knowledge_institution')
    """
    kind = FORM_KINDS.get(form or "", "firm")
    if nace:
        for prefix, override in _NACE_KINDS:
            if nace.startswith(prefix):
                if kind == "firm" and override != "knowledge_institution":
                    return kind
                return override
    return kind


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v not in (None, ""))
    text = str(value).strip()
    return text or None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return None
    low = text.lower()
    if low in ("true", "ja", "1"):
        return True
    if low in ("false", "nei", "0"):
        return False
    return None


@dataclass
class UnitTable:
    """Actor rows of the imported units, in columns (append-only while reading)."""

    columns: dict[str, list[Any]] = field(
        default_factory=lambda: {
            c: []
            for c in (
                "id",
                "name",
                "kind",
                "org_number",
                "municipality",
                "nace",
                "legal_form",
                "employees",
                "founded",
                "evidence",
                "unit_type",
                "parent_org_number",
            )
        }
    )
    where: dict[str, str] = field(default_factory=dict)  # orgnr -> "file, location" of first record

    def __len__(self) -> int:
        return len(self.columns["id"])

    def add(self, row: dict[str, Any]) -> None:
        """Append one actor row (missing keys are empty)."""
        for k, col in self.columns.items():
            col.append(row.get(k))

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame."""
        return pd.DataFrame(self.columns)


def _unit_row(
    rec: Mapping[str, Any], unit_type: UnitType, file: str, location: str, report: ImportReport
) -> tuple[dict[str, Any] | None, str | None, Any]:
    """Map one normalised record to an actor row, or return the reason it is skipped."""
    orgnr = _text(rec.get("organisasjonsnummer"))
    if orgnr is None:
        return None, "missing organisation number", None
    if not _ORGNR.match(orgnr):
        return None, "invalid organisation number (expected 9 digits)", orgnr
    name = _text(rec.get("navn"))
    if name is None:
        if _text(rec.get("slettedato")):
            return None, "deleted unit (only slettedato is published)", orgnr
        return None, "missing name", orgnr
    form = _text(rec.get("organisasjonsformkode"))
    nace = _text(rec.get("naeringskode1kode"))
    if nace is not None and not _NACE.match(nace):
        report.note(file, location, "industry code not in the SN form NN.NNN; left empty", nace)
        nace = None
    address = "beliggenhetsadresse" if unit_type == "underenhet" else "forretningsadresse"
    muni = _text(rec.get(f"{address}kommunenummer"))
    if muni is None and unit_type == "underenhet":
        muni = _text(rec.get("forretningsadressekommunenummer"))
    if muni is not None and not _KOMMUNE.match(muni):
        report.note(file, location, "kommunenummer is not 4 digits; left empty", muni)
        muni = None
    employees = None
    has = _bool(rec.get("harregistrertantallansatte"))
    raw_emp = rec.get("antallansatte")
    if has is not False and _text(raw_emp) is not None:
        try:
            employees = int(str(raw_emp).strip())
        except ValueError:
            report.note(file, location, "antallAnsatte is not a whole number; left empty", raw_emp)
        else:
            if employees < 0:
                report.note(file, location, "negative antallAnsatte; left empty", raw_emp)
                employees = None
    founded = None
    date = _text(
        rec.get("oppstartsdato" if unit_type == "underenhet" else "stiftelsesdato")
    ) or _text(rec.get("stiftelsesdato"))
    if date is not None:
        m = _DATE.match(date)
        if m and 1000 <= int(m.group(1)) <= 2100:
            founded = int(m.group(1))
    parent = _text(rec.get("overordnetenhet"))
    if parent is not None and not _ORGNR.match(parent):
        report.note(
            file, location, "overordnetEnhet is not a 9-digit organisation number; ignored", parent
        )
        parent = None
    return (
        {
            "id": orgnr,
            "name": name,
            "kind": actor_kind(form, nace),
            "org_number": orgnr,
            "municipality": muni,
            "nace": nace,
            "legal_form": form,
            "employees": employees,
            "founded": founded,
            "evidence": f"Enhetsregisteret {file} {location}",
            "unit_type": unit_type,
            "parent_org_number": parent,
        },
        None,
        None,
    )


def iter_unit_records(
    path: str | Path, report: ImportReport, *, chunk_rows: int = 50_000
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(location, normalised record)`` from any accepted unit file.

    Keys are normalised (lower case, no dots): ``organisasjonsformkode``,
    ``forretningsadressekommunenummer``, ... Broken JSON elements and
    unreadable CSV rows are reported (``report.skip``) and not yielded.

    Parameters
    ----------
    path : str or Path
    report : ImportReport
    chunk_rows : int
        CSV rows read at a time.

    Yields
    ------
    (str, dict)

    Raises
    ------
    ImportFormatError
        When the file is none of the accepted formats.
    """
    p = Path(path)
    file = p.name
    head = peek(p).lstrip()
    if not head:
        raise ImportFormatError(f"{file}: empty file, or not UTF-8 text")
    if head.startswith("["):
        with open_text(p, encoding="utf-8-sig") as fh:
            for index, value in iter_json_array(fh):
                loc = f"element {index}"
                if isinstance(value, BrokenElement):
                    report.skip(file, loc, f"broken JSON element: {value.message}", value.snippet)
                elif not isinstance(value, Mapping):
                    report.skip(file, loc, "array element is not a JSON object", value)
                else:
                    yield loc, _flatten(value)
        return
    if head.startswith("{"):
        doc = load_json_document(p, file)
        embedded = doc.get("_embedded") if isinstance(doc, Mapping) else None
        if isinstance(embedded, Mapping):
            for key in ("enheter", "underenheter"):
                items = embedded.get(key)
                if isinstance(items, list):
                    for i, item in enumerate(items):
                        loc = f"_embedded.{key}[{i}]"
                        if isinstance(item, Mapping):
                            yield loc, _flatten(item)
                        else:
                            report.skip(file, loc, "search-page entry is not a JSON object", item)
            return
        if (
            isinstance(doc, Mapping)
            and "_embedded" not in doc
            and ("organisasjonsnummer" in doc or "navn" in doc)
        ):
            yield "object", _flatten(doc)
            return
        if isinstance(doc, Mapping) and "page" in doc:
            return  # an empty search page
        raise ImportFormatError(f"{file}: a JSON object that is neither a unit nor a search page")
    # CSV
    with open_text(p, encoding="utf-8-sig") as fh:
        try:
            reader = pd.read_csv(
                fh,
                dtype=str,
                keep_default_na=False,
                chunksize=chunk_rows,
                on_bad_lines="error",
                engine="c",
            )
            offset = 0
            for frame in reader:
                frame.columns = [_key(c) for c in frame.columns]
                if offset == 0 and "organisasjonsnummer" not in frame.columns:
                    raise ImportFormatError(
                        f"{file}: CSV without an 'organisasjonsnummer' column "
                        f"(columns: {list(frame.columns)[:8]} ...)"
                    )
                for i, rec in enumerate(frame.to_dict(orient="records")):
                    yield f"row {offset + i + 2}", {str(k): v for k, v in rec.items()}
                offset += len(frame)
        except pd.errors.ParserError as exc:
            raise ImportFormatError(f"{file}: cannot parse as CSV: {exc}") from exc
        except pd.errors.EmptyDataError as exc:
            raise ImportFormatError(f"{file}: empty CSV file") from exc


def read_units(
    path: str | Path,
    table: UnitTable,
    report: ImportReport,
    *,
    unit_type: UnitType,
    municipalities: frozenset[str] | None = None,
    outside: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Read one unit file into ``table`` (actor rows), reporting skipped records.

    Parameters
    ----------
    path : str or Path
        Any format accepted by :func:`iter_unit_records`.
    table : UnitTable
        Rows are appended; an organisation number already in the table is
        skipped as a duplicate.
    report : ImportReport
    unit_type : {"enhet", "underenhet"}
        Which register the file comes from (sub-units are placed by
        ``beliggenhetsadresse``).
    municipalities : frozenset of str, optional
        Keep only units located in these municipalities (the others are
        counted as filtered, not as errors).
    outside : dict, optional
        Receives a compact row (name, kind, legal form, municipality) of
        every unit left out by ``municipalities``, so that a unit referenced
        from the region (a parent, a role holder, a shareholder) can still
        be added as an external actor with its real data.
    """
    file = Path(path).name
    category = "units" if unit_type == "enhet" else "sub_units"
    for location, rec in iter_unit_records(path, report):
        row, reason, value = _unit_row(rec, unit_type, file, location, report)
        if row is None:
            report.skip(file, location, reason or "invalid record", value)
            continue
        if row["id"] in table.where:
            report.skip(
                file,
                location,
                f"duplicate organisation number (first at {table.where[row['id']]})",
                row["id"],
            )
            continue
        if municipalities is not None and row["municipality"] not in municipalities:
            report.filtered[f"{category} outside the selected municipalities"] += 1
            if outside is not None and row["id"] not in outside:
                outside[row["id"]] = {
                    k: row[k]
                    for k in (
                        "id",
                        "name",
                        "kind",
                        "org_number",
                        "municipality",
                        "nace",
                        "legal_form",
                    )
                }
                outside[row["id"]]["where"] = f"{file} {location}"
            continue
        table.where[row["id"]] = f"{file} {location}"
        table.add(row)
        report.imported[category] += 1
