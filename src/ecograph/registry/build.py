"""Build an Ecosystem from the Brønnøysund registers and the shareholder register."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError
from ecograph.registry.enheter import UnitTable, read_units
from ecograph.registry.identity import PersonIndex
from ecograph.registry.report import ImportReport
from ecograph.registry.roles import RelationTable, ResignedPolicy, RoleContext, read_roles
from ecograph.registry.shareholders import LinkPolicy, ShareholderContext, read_shareholders
from ecograph.registry.tables import nace_crosswalk

__all__ = ["ImportResult", "import_brreg"]

PathSpec = str | Path | Sequence[str | Path]


@dataclass(frozen=True)
class ImportResult:
    """The result of :func:`import_brreg`.

    Attributes
    ----------
    ecosystem : Ecosystem
        The imported ecosystem (validated).
    report : ImportReport
        Counts of what was imported and left out on purpose, and every
        skipped record with its file, element / row and reason.
    """

    ecosystem: Ecosystem
    report: ImportReport


def _paths(spec: PathSpec | None, label: str) -> list[Path]:
    if spec is None:
        return []
    items = [spec] if isinstance(spec, str | Path) else list(spec)
    paths = [Path(p) for p in items]
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"{label} file {p} does not exist")
        if p.is_dir():
            raise InputError(f"{label}: {p} is a folder; pass the file(s)")
    return paths


def _int_column(values: pd.Series) -> pd.Series:
    """Whole numbers with missing values as a nullable ``Int64`` column."""
    as_float = pd.to_numeric(values).astype("float64").to_numpy()
    missing = np.isnan(as_float)
    ints = pd.arrays.IntegerArray(np.where(missing, 0, as_float).astype(np.int64), missing)
    return pd.Series(ints, index=values.index)


def _sn2025(nace: pd.Series, version: str) -> pd.Series:
    cw = nace_crosswalk()
    targets = cw.groupby("sn2007", sort=False)["sn2025"].agg(lambda s: ";".join(s))
    if version == "SN2025":
        return nace.astype("string")
    if version == "auto":
        # only codes that exist in SN2007 but were renumbered / split and are not SN2025 codes
        sn2025_codes = set(cw["sn2025"])
        changed = cw.loc[cw["relation"] != "unchanged", "sn2007"]
        targets = targets[targets.index.isin([c for c in changed if c not in sn2025_codes])]
    mapped = nace.map(targets.to_dict())
    return mapped.fillna(nace).astype("string")


def import_brreg(
    enheter: PathSpec,
    roller: PathSpec | None,
    underenheter: PathSpec | None = None,
    aksjonaerer: PathSpec | None = None,
    *,
    municipalities: Iterable[str] | None = None,
    resigned: ResignedPolicy = "drop",
    salt: str | bytes | None = None,
    middle_names: bool = True,
    keep_birth_dates: bool = False,
    link_shareholders: LinkPolicy = "none",
    shareholder_year: int | None = None,
    nace_version: Literal["auto", "SN2007", "SN2025"] = "auto",
    name: str | None = None,
) -> ImportResult:
    """Import Enhetsregisteret units, their roles and shareholders as an Ecosystem.

    Parameters
    ----------
    enheter : path or list of paths
        Units: one ``/enheter/{orgnr}`` JSON, search pages, the bulk JSON
        array (``/enheter/lastned``, gzipped or not) or the bulk CSV (2024 or
        2025 headers). Several files are read in order.
    roller : path or list of paths, or None
        Roles: per-unit ``/enheter/{orgnr}/roller`` JSON files and / or the
        bulk ``/roller/totalbestand`` (streamed in constant memory).
    underenheter : path or list of paths, optional
        Sub-units (``BEDR`` / ``AAFY``), in any of the unit formats; each is
        placed by its ``beliggenhetsadresse`` and tied to its parent.
    aksjonaerer : path or list of paths, optional
        Skatteetaten shareholder-register CSV extracts.
    municipalities : iterable of str, optional
        Keep the units located in these kommunenummer. Units elsewhere that
        the region refers to (a parent unit, a role-holding firm, a corporate
        shareholder) are kept as ``external=True`` actors.
    resigned : {"drop", "keep"}, default "drop"
        Resigned roles (``avregistrert``, formerly ``fratraadt``): dropped
        (counted in the report) or kept with the relation column
        ``resigned=True``.
    salt : str or bytes, optional
        Secret salt of the person-id hash; random when omitted (ids then
        differ between imports). See :mod:`ecograph.registry.identity`.
    middle_names : bool, default True
        Use middle names in the person key.
    keep_birth_dates : bool, default False
        Write birth dates (brreg) and birth years (shareholder register) to
        the actor column ``birth_date``. Off by default: they are personal data.
    link_shareholders : {"none", "name_year"}, default "none"
        Whether a shareholder person is identified with a brreg role holder
        of the same normalised name and birth year when exactly one exists.
    shareholder_year : int, optional
        Income year to read from shareholder files with a year column
        (default: the latest in each file).
    nace_version : {"auto", "SN2007", "SN2025"}, default "auto"
        How the extra actor column ``nace_sn2025`` is filled from
        ``nace``: ``"SN2025"`` copies it; ``"SN2007"`` translates every code
        of the shipped crosswalk; ``"auto"`` translates only codes that are
        not valid SN2025 (renumbered SN2007 codes such as 90.011), so mixed
        old and new snapshots can be imported together. Split codes give all
        their targets, ``;``-separated.
    name : str, optional
        Name of the ecosystem.

    Returns
    -------
    ImportResult
        ``.ecosystem`` and ``.report``.

    Raises
    ------
    FileNotFoundError
        A file that does not exist.
    ImportFormatError
        A file that is none of the accepted formats (bad *records* inside a
        readable file are skipped and reported instead).
    InputError
        Invalid options.

    Notes
    -----
    **Actors.** Units and sub-units become organisations with
    ``id = org_number`` (the 9-digit organisasjonsnummer), ``name``,
    ``kind`` (:func:`~ecograph.registry.enheter.actor_kind`),
    ``municipality`` (business address; sub-units: location address),
    ``nace`` (``naeringskode1`` as served: SN2007 before autumn 2025, SN2025
    after), ``legal_form``, ``employees`` (``antallAnsatte``; a count that
    brreg withholds is missing, never 0), ``founded`` (year of
    ``stiftelsesdato`` / ``oppstartsdato``), extra columns ``unit_type``,
    ``parent_org_number`` and ``nace_sn2025``. Persons are ``person`` actors
    with a salted-hash id (:mod:`ecograph.registry.identity`).

    **Relations.** Roles per :data:`~ecograph.registry.roles.ROLE_MAP`
    (holder -> unit): DAGL ``management``/ceo; LEDE, NEST, MEDL, VARA, OBS
    ``board_seat``; INNH, DTPR, DTSO, KOMP, HFOR, EIKM ``ownership``; REVI and
    REGN held by a firm ``support`` with function ``auditing`` /
    ``accounting``; KONT a weak ``tie``. A parent unit owns its sub-unit
    (``ownership``, role ``sub_unit``, share 1), and a public parent
    (``overordnetEnhet`` of an enhet) its unit (role ``parent_unit``).
    Shareholders give ``ownership`` with ``share`` and ``shares_held``. Extra
    relation columns: ``role_code`` (``LEDE``, ..., ``AKSJ`` for shareholders)
    and ``resigned``.

    **Nothing is dropped silently.** Every record that cannot be used
    (missing or invalid organisation number, broken JSON element, unknown
    role code, unparseable share count, ...) is in
    ``report.skipped_frame()`` with its file, location and reason; records
    left out on purpose are counted in ``report.filtered``; records kept
    with a caveat are in ``report.notes``. Ownership shares into one
    organisation that sum above 1 (inconsistent registers) are kept empty,
    with a note.

    References
    ----------
    Brønnøysundregistrene, Enhetsregisteret open API v2
    (https://data.brreg.no/enhetsregisteret/api/dokumentasjon), NLOD 2.0.
    Skatteetaten, Aksjonærregisteret (extract by order; personal data).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "enhet.json").write_text(json.dumps({
    ...     "organisasjonsnummer": "999999999", "navn": "EKSEMPEL MAT AS",
    ...     "organisasjonsform": {"kode": "AS"}, "naeringskode1": {"kode": "10.130"},
    ...     "forretningsadresse": {"kommunenummer": "5025"}, "harRegistrertAntallAnsatte": False}))
    >>> _ = (d / "roller_999999999.json").write_text(json.dumps({"rollegrupper": [
    ...     {"type": {"kode": "STYR"}, "roller": [
    ...         {"type": {"kode": "LEDE"}, "avregistrert": False,
    ...          "person": {"fodselsdato": "1965-05-05",
    ...                     "navn": {"fornavn": "Kari", "etternavn": "Testesen"}}}]}]}))
    >>> res = import_brreg(d / "enhet.json", d / "roller_999999999.json", salt="s")
    >>> res.ecosystem
    <Ecosystem 'Brønnøysund import': 2 actors (1 persons, 1 organisations), 1 relations>
    >>> res.ecosystem.actors.loc["999999999", "employees"] is pd.NA
    True
    """
    if resigned not in ("drop", "keep"):
        raise InputError(f"resigned={resigned!r}: expected 'drop' or 'keep'")
    if link_shareholders not in ("none", "name_year"):
        raise InputError(f"link_shareholders={link_shareholders!r}: expected 'none' or 'name_year'")
    if nace_version not in ("auto", "SN2007", "SN2025"):
        raise InputError(f"nace_version={nace_version!r}: expected 'auto', 'SN2007' or 'SN2025'")
    unit_files = _paths(enheter, "enheter")
    if not unit_files:
        raise InputError("enheter: at least one unit file is needed")
    sub_files = _paths(underenheter, "underenheter")
    role_files = _paths(roller, "roller")
    share_files = _paths(aksjonaerer, "aksjonaerer")
    munis = None if municipalities is None else frozenset(str(m) for m in municipalities)

    report = ImportReport()
    units = UnitTable()
    outside: dict[str, dict[str, Any]] = {}
    for p in unit_files:
        report.files[p.name] = "Enhetsregisteret enheter"
        read_units(p, units, report, unit_type="enhet", municipalities=munis, outside=outside)
    for p in sub_files:
        report.files[p.name] = "Enhetsregisteret underenheter"
        read_units(p, units, report, unit_type="underenhet", municipalities=munis, outside=outside)

    persons = PersonIndex(
        salt, keep_births=keep_birth_dates, keep_keys=link_shareholders == "name_year"
    )
    relations = RelationTable()
    holder_units: dict[str, dict[str, Any]] = {}
    filtered_ids = set(outside)
    if role_files:
        ctx = RoleContext(
            units,
            relations,
            persons,
            report,
            resigned=resigned,
            middle_names=middle_names,
            filtered_units=filtered_ids,
            holder_units=holder_units,
        )
        for p in role_files:
            report.files.setdefault(p.name, "Enhetsregisteret roller")
            read_roles(p, ctx)
        del ctx
    person_years: dict[str, str] = {}
    for p in share_files:
        sctx = ShareholderContext(
            units,
            relations,
            persons,
            report,
            link=link_shareholders,
            year=shareholder_year,
            filtered_units=filtered_ids,
            holder_units=holder_units,
            person_years=person_years,
        )
        read_shareholders(p, sctx)
        del sctx

    # ---- actors
    unit_frame = units.frame()
    unit_frame["external"] = False
    kind_of = dict(zip(unit_frame["id"], unit_frame["kind"], strict=True))
    # sub-units take the kind of their parent; parents own their sub-units
    parent_rows: list[dict[str, Any]] = []
    extra_units: dict[str, dict[str, Any]] = {}
    for uid, utype, parent, where in zip(
        unit_frame["id"],
        unit_frame["unit_type"],
        unit_frame["parent_org_number"],
        unit_frame["evidence"],
        strict=True,
    ):
        if parent is None or pd.isna(parent):
            continue
        if parent not in kind_of and parent not in extra_units:
            if parent in outside:
                extra_units[parent] = outside[parent]
            elif parent in holder_units:
                extra_units[parent] = holder_units[parent]
            else:
                report.note(
                    "(units)",
                    where,
                    "parent unit (overordnetEnhet) is not in the input; no parent relation",
                    parent,
                )
                continue
        parent_rows.append(
            {
                "source": parent,
                "target": uid,
                "kind": "ownership",
                "role": "sub_unit" if utype == "underenhet" else "parent_unit",
                "share": 1.0,
                "role_code": "OVERORDNET",
                "resigned": False,
                "evidence": f"overordnetEnhet of {uid} ({where})",
                "provenance": "registry",
            }
        )
    is_sub = (unit_frame["unit_type"] == "underenhet").to_numpy()
    parent_kind = unit_frame["parent_org_number"].map(
        lambda x: kind_of.get(x) or (extra_units.get(x) or {}).get("kind")
    )
    unit_frame.loc[is_sub & parent_kind.notna().to_numpy(), "kind"] = parent_kind[
        is_sub & parent_kind.notna().to_numpy()
    ]
    for hid, info in holder_units.items():
        if hid not in kind_of and hid not in extra_units:
            extra_units[hid] = outside.get(hid, info)
    extra_rows = []
    for uid, info in extra_units.items():
        extra_rows.append(
            {
                "id": uid,
                "name": info["name"],
                "kind": info["kind"],
                "org_number": info.get("org_number"),
                "municipality": info.get("municipality"),
                "nace": info.get("nace"),
                "legal_form": info.get("legal_form"),
                "evidence": f"referenced in {info.get('where', 'the input')}",
                "unit_type": None,
                "parent_org_number": None,
                "external": munis is not None,
            }
        )
        report.imported["organisations referenced from outside the units"] += 1
    person_ids = list(persons.names)
    person_frame = pd.DataFrame(
        {
            "id": person_ids,
            "name": [persons.names[p] for p in person_ids],
            "kind": "person",
            "evidence": "Enhetsregisteret roller / Aksjonærregisteret",
            "external": False,
        }
    )
    report.imported["persons"] += len(person_ids)
    if keep_birth_dates:
        person_frame["birth_date"] = [
            persons.births.get(p) or person_years.get(p) for p in person_ids
        ]
    actors = pd.concat([unit_frame, pd.DataFrame(extra_rows), person_frame], ignore_index=True)
    actors["provenance"] = "registry"
    actors["employees"] = _int_column(actors["employees"])
    actors["founded"] = _int_column(actors["founded"])
    actors["nace_sn2025"] = _sn2025(actors["nace"].astype("string"), nace_version)

    # ---- relations
    for row in parent_rows:
        relations.add(**row)
    report.imported["relations.ownership (parent units)"] += len(parent_rows)
    rel = relations.frame()
    relations.clear()  # the Arrow chunks now live in the frame only
    del units, persons, outside, holder_units
    share = pd.to_numeric(rel["share"]).astype("float64")
    own = (rel["kind"] == "ownership").to_numpy() & share.notna().to_numpy()
    if own.any():
        sums = share[own].groupby(rel.loc[own, "target"]).sum()
        over = sums[sums > 1 + 1e-9]
        for target, total in over.items():
            report.note(
                "(all files)",
                f"ownership of {target}",
                f"ownership shares sum to {total:.4g} > 1 (registers disagree); shares left empty",
                target,
            )
        share[own & rel["target"].isin(over.index).to_numpy()] = np.nan
    rel["share"] = share

    columns = {
        "actors": {"unit_type": "text", "parent_org_number": "text", "nace_sn2025": "text"},
        "relations": {"role_code": "text", "resigned": "bool", "shares_held": "int"},
    }
    if keep_birth_dates:
        columns["actors"]["birth_date"] = "text"
    meta = {
        "name": name or "Brønnøysund import",
        "description": "Imported by ecograph.import_brreg from " + ", ".join(sorted(report.files)),
        "municipalities": tuple(sorted(munis)) if munis else (),
        "licence": "Enhetsregisteret: NLOD 2.0 (personal data excluded from the licence); "
        "Aksjonærregisteret: no open licence",
        "sources": [
            {
                "id": "brreg",
                "title": "Enhetsregisteret (Brønnøysundregistrene), open API v2",
                "url": "https://data.brreg.no/enhetsregisteret/api/dokumentasjon",
            }
        ]
        + (
            [
                {
                    "id": "aksjonaerregisteret",
                    "title": "Aksjonærregisteret (Skatteetaten)",
                    "url": "https://www.skatteetaten.no/deling/aksjonarregisteret/",
                }
            ]
            if share_files
            else []
        ),
        "columns": columns,
    }
    eco = Ecosystem.from_frames(
        actors,
        rel,
        meta,
        actors_file="<imported actors>",
        relations_file="<imported relations>",
        warn=False,
    )
    return ImportResult(eco, report)
