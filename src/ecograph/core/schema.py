"""Record models (pydantic v2) and the column tables of the bundle format.

The pydantic models :class:`Actor`, :class:`Relation` and
:class:`EcosystemMeta` are the single declaration of every field: its type,
bounds and documentation. The vectorised frame validator reads the bounds
from these models (see :func:`field_bounds`), so a million rows are checked
with numpy while a single record built in Python is checked by pydantic,
against the same rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Annotated, Any, Final

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecograph.core.kinds import (
    RELATION_RULES,
    ActorKind,
    Provenance,
    RelationKind,
)

__all__ = [
    "ACTOR_COLUMNS",
    "ORGANISATION_FIELDS",
    "RELATION_COLUMNS",
    "Actor",
    "ColumnSpec",
    "EcosystemMeta",
    "Relation",
    "SourceRef",
    "field_bounds",
    "suggest_column",
]

ORGANISATION_FIELDS: Final[tuple[str, ...]] = ("org_number", "nace", "legal_form", "employees",
                                               "revenue_nok")
"""Actor fields that apply to organisations only (empty for persons)."""

INT64_MAX: Final[int] = 2**63 - 1
"""Largest integer an ``Int64`` column holds."""

Intensity = Annotated[float, Field(ge=0.0, le=1.0)]
"""A strength in [0, 1] (competitor or partner intensity, confidence)."""

MunicipalityCode = Annotated[str, Field(pattern=r"^\d{4}$")]
"""A 4-digit Norwegian kommunenummer, e.g. ``"5025"`` for Røros."""

NaceCode = Annotated[str, Field(pattern=r"^\d{2}(\.\d{1,3})?$")]
"""An SN2007 / SN2025 industry code: division ``"10"`` down to subclass ``"10.130"``."""

OrgNumber = Annotated[str, Field(pattern=r"^\d{9}$")]
"""A 9-digit Brønnøysund organisasjonsnummer."""


class _Record(BaseModel):
    """Common configuration: finite numbers, stripped strings, extra attributes kept."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
        validate_default=False,
    )

    @model_validator(mode="after")
    def _check_extra_names(self) -> _Record:
        extras = self.model_extra or {}
        problems = []
        for name in extras:
            close = suggest_column(name, type(self).model_fields)
            if close is not None:
                problems.append(f"unknown field {name!r}; did you mean {close!r}?")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Actor(_Record):
    """An actor of the ecosystem: a person or an organisation.

    Any further keyword is kept as an extra attribute (``model_extra``); a
    name that looks like a misspelt known field is an error.

    Examples
    --------
    >>> Actor(id="o1", name="Rørosmat SA", kind="cooperative", municipality="5025").kind
    'cooperative'
    >>> Actor(id="o1", name="x", kind="firm", employes=3)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Actor
    ...
    """

    id: Annotated[str, Field(min_length=1, description="Unique actor id (any string).")]
    name: Annotated[str, Field(min_length=1, description="Display name; persons may be anonymous labels.")]
    kind: Annotated[ActorKind, Field(description="Actor kind; every kind except person is an organisation.")]
    org_number: Annotated[OrgNumber | None, Field(description="Brønnøysund organisasjonsnummer.")] = None
    municipality: Annotated[MunicipalityCode | None, Field(description="4-digit kommunenummer.")] = None
    nace: Annotated[NaceCode | None, Field(description="SN2007 or SN2025 industry code.")] = None
    legal_form: Annotated[str | None, Field(description="Legal form code: AS, ASA, SA, ENK, ...")] = None
    employees: Annotated[int | None, Field(
        ge=0, le=INT64_MAX, description="Employees; empty = unknown, not 0.")] = None
    revenue_nok: Annotated[float | None, Field(ge=0, description="Annual revenue in NOK.")] = None
    founded: Annotated[int | None, Field(ge=1000, le=2100, description="Founding year.")] = None
    external: Annotated[bool, Field(description="True when the actor lies outside the focal region.")] = False
    evidence: Annotated[str | None, Field(description="Source of the record (document section, table, URL).")] = None
    provenance: Annotated[
        Provenance | None, Field(description="stated, inferred, registry, survey or illustrative.")
    ] = None

    @model_validator(mode="after")
    def _check_person_fields(self) -> Actor:
        if self.kind == "person":
            filled = [name for name in ORGANISATION_FIELDS if getattr(self, name) is not None]
            if filled:
                raise ValueError(f"field(s) {filled} apply to organisations, not to persons")
        return self


class Relation(_Record):
    """A relation between two actors.

    Kind-specific fields (``share``, the two intensities, ``function``) may
    only be filled for their kind (see :data:`ecograph.core.kinds.RELATION_RULES`).

    Examples
    --------
    >>> r = Relation(source="p1", target="o1", kind="board_seat", role="chair")
    >>> r.role
    'chair'
    >>> Relation(source="o1", target="o2", kind="coopetition", competitor_intensity=1.5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Relation
    ...
    """

    id: Annotated[str | None, Field(description="Relation id; generated (r1, r2, ...) when empty.")] = None
    source: Annotated[str, Field(min_length=1, description="Actor id at the tail.")]
    target: Annotated[str, Field(min_length=1, description="Actor id at the head.")]
    kind: Annotated[RelationKind, Field(description="Relation kind (also its layer).")]
    role: Annotated[str | None, Field(description="Role; required vocabulary for board_seat and management.")] = None
    share: Annotated[float | None, Field(gt=0, le=1, description="Ownership share in (0, 1].")] = None
    competitor_intensity: Annotated[
        float | None, Field(ge=0, le=1, description="Co-opetition: how much they compete.")
    ] = None
    partner_intensity: Annotated[
        float | None, Field(ge=0, le=1, description="Co-opetition: how much they cooperate.")
    ] = None
    function: Annotated[str | None, Field(description="Support function (accounting, marketing, ...).")] = None
    weight: Annotated[float | None, Field(gt=0, description="Tie strength (> 0); empty means 1.")] = None
    since: Annotated[dt.date | None, Field(description="First day the relation holds.")] = None
    until: Annotated[dt.date | None, Field(description="Last day the relation holds.")] = None
    evidence: Annotated[str | None, Field(description="Source of the record.")] = None
    provenance: Annotated[
        Provenance | None, Field(description="stated, inferred, registry, survey or illustrative.")
    ] = None
    confidence: Annotated[float | None, Field(ge=0, le=1, description="Confidence in [0, 1].")] = None

    @model_validator(mode="after")
    def _check_kind_rules(self) -> Relation:
        rule = RELATION_RULES[self.kind]
        problems = []
        if self.source == self.target:
            problems.append(f"a {self.kind} relation from an actor to itself is meaningless")
        for name in ("share", "competitor_intensity", "partner_intensity", "function"):
            if getattr(self, name) is not None and name not in rule.fields:
                problems.append(f"field {name!r} does not apply to kind {self.kind!r}")
        if rule.roles is not None and self.role is not None and self.role not in rule.roles:
            problems.append(f"role {self.role!r} is not one of {list(rule.roles)} for {self.kind}")
        if rule.roles is not None and self.kind == "board_seat" and self.role is None:
            problems.append("a board_seat needs a role")
        if self.since is not None and self.until is not None and self.until < self.since:
            problems.append("until is before since")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class SourceRef(BaseModel):
    """A source cited by an ecosystem bundle."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Short key used in ``evidence`` cells.")
    title: str = Field(min_length=1)
    author: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None


class EcosystemMeta(BaseModel):
    """Metadata of an ecosystem (the ``[ecosystem]`` table of ``ecosystem.toml``).

    Examples
    --------
    >>> EcosystemMeta(name="Toy", population=1200).population
    1200
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field("unnamed ecosystem", min_length=1)
    description: str | None = None
    region: str | None = None
    municipalities: tuple[MunicipalityCode, ...] = ()
    population: int | None = Field(None, ge=0)
    year: int | None = Field(None, ge=1000, le=2100)
    licence: str | None = None
    sources: tuple[SourceRef, ...] = ()
    indicators: dict[str, float] = Field(
        default_factory=dict,
        description="User-supplied indicator values (survey results) for scoring models.",
    )
    columns: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Declared dtypes of extra columns: {'actors': {'col': 'int'}, 'relations': {...}}.",
    )


@dataclass(frozen=True)
class ColumnSpec:
    """How one column of ``actors.csv`` / ``relations.csv`` is stored.

    Attributes
    ----------
    name : str
        Column name.
    dtype : str
        pandas dtype used in the Ecosystem frames.
    logical : str
        Type as documented for spreadsheet users (text, integer, number, date, boolean).
    required : bool
        Whether every row needs a value.
    """

    name: str
    dtype: str
    logical: str
    required: bool = False


ACTOR_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec("id", "string", "text", True),
    ColumnSpec("name", "string", "text", True),
    ColumnSpec("kind", "string", "text", True),
    ColumnSpec("org_number", "string", "text"),
    ColumnSpec("municipality", "string", "text"),
    ColumnSpec("nace", "string", "text"),
    ColumnSpec("legal_form", "string", "text"),
    ColumnSpec("employees", "Int64", "integer"),
    ColumnSpec("revenue_nok", "float64", "number"),
    ColumnSpec("founded", "Int64", "integer"),
    ColumnSpec("external", "boolean", "boolean"),
    ColumnSpec("evidence", "string", "text"),
    ColumnSpec("provenance", "string", "text"),
)

RELATION_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec("id", "string", "text"),
    ColumnSpec("source", "string", "text", True),
    ColumnSpec("target", "string", "text", True),
    ColumnSpec("kind", "string", "text", True),
    ColumnSpec("role", "string", "text"),
    ColumnSpec("share", "float64", "number"),
    ColumnSpec("competitor_intensity", "float64", "number"),
    ColumnSpec("partner_intensity", "float64", "number"),
    ColumnSpec("function", "string", "text"),
    ColumnSpec("weight", "float64", "number"),
    ColumnSpec("since", "datetime64[s]", "date"),
    ColumnSpec("until", "datetime64[s]", "date"),
    ColumnSpec("evidence", "string", "text"),
    ColumnSpec("provenance", "string", "text"),
    ColumnSpec("confidence", "float64", "number"),
)


def field_bounds(model: type[BaseModel], name: str) -> dict[str, Any]:
    """Numeric bounds and pattern declared on a model field.

    Parameters
    ----------
    model : pydantic model class
    name : str
        Field name.

    Returns
    -------
    dict
        Keys among ``gt``, ``ge``, ``le``, ``pattern``.

    Examples
    --------
    >>> field_bounds(Relation, "share")
    {'gt': 0, 'le': 1}
    >>> field_bounds(Actor, "municipality")
    {'pattern': '^\\\\d{4}$'}
    """
    info = model.model_fields[name]
    out: dict[str, Any] = {}
    metadata = list(info.metadata)
    # Constraints of Optional[Annotated[...]] sit inside the annotation's args.
    for arg in getattr(info.annotation, "__args__", ()):
        metadata.extend(getattr(arg, "__metadata__", ()))
    for item in metadata:
        if isinstance(item, Gt):
            out["gt"] = item.gt
        elif isinstance(item, Ge):
            out["ge"] = item.ge
        elif isinstance(item, Le):
            out["le"] = item.le
        for sub in getattr(item, "metadata", ()):  # FieldInfo nested in Annotated
            if isinstance(sub, Gt):
                out["gt"] = sub.gt
            elif isinstance(sub, Ge):
                out["ge"] = sub.ge
            elif isinstance(sub, Le):
                out["le"] = sub.le
            pattern = getattr(sub, "pattern", None)
            if pattern is not None:
                out["pattern"] = pattern
        pattern = getattr(item, "pattern", None)
        if pattern is not None:
            out["pattern"] = pattern
    return out


def suggest_column(name: str, known: Any) -> str | None:
    """Return the known column ``name`` most likely misspells, or ``None``.

    Parameters
    ----------
    name : str
        A column name that is not a known column.
    known : iterable of str
        Known column names.

    Returns
    -------
    str or None

    Examples
    --------
    >>> suggest_column("competiton_intensity", ["competitor_intensity", "share"])
    'competitor_intensity'
    >>> suggest_column("shoe_size", ["competitor_intensity", "share"]) is None
    True
    """
    known = list(known)
    if name in known:
        return None
    lowered = name.strip().lower()
    for k in known:
        if lowered == str(k).lower():
            return str(k)
    close = difflib.get_close_matches(lowered, known, n=1, cutoff=0.85)
    return close[0] if close else None
