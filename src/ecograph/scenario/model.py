"""What-if scenarios: named, serialisable lists of edits applied to an Ecosystem.

A :class:`Scenario` is a list of edits (add, remove or edit actors and
relations, change co-opetition intensities). :meth:`Scenario.apply` returns a
new, validated :class:`~ecograph.core.ecosystem.Ecosystem`; the original is
never changed. Scenarios live next to a bundle as ``scenarios/NAME.toml``::

    format_version = 1
    name = "rorosmeieriet-leaves"
    description = "What if Rørosmeieriet leaves the network?"
    hypothetical = true

    [[edits]]
    op = "remove_actor"
    actor = "rorosmeieriet"

Every key is checked (``extra="forbid"``): a misspelt key, an unknown
``op`` or a value out of range raises :class:`~ecograph.exceptions.ScenarioError`
naming the file and the key (``edits[2].relation.kind``).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Final, Literal

import numpy as np
import pandas as pd
import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, field_validator

from ecograph.core.ecosystem import Ecosystem
from ecograph.core.kinds import RELATION_RULES, RelationKind
from ecograph.core.schema import Actor, Relation, suggest_column
from ecograph.exceptions import BundleValidationError, Issue, ScenarioError

__all__ = [
    "FORMAT_VERSION",
    "AddActor",
    "AddRelation",
    "Edit",
    "EditActor",
    "EditRelation",
    "RemoveActor",
    "RemoveRelation",
    "Scenario",
    "SetIntensity",
]

FORMAT_VERSION: Final = 1
"""Version of the scenario file format written by :meth:`Scenario.write`."""

_NAME_PATTERN: Final = r"^\w[\w.-]*$"
_ACTOR_FIXED: Final = ("id", "name", "kind")
_RELATION_FIXED: Final = ("id",)
_RELATION_REQUIRED: Final = ("source", "target", "kind")
_SYMMETRIC: Final = tuple(k for k, rule in RELATION_RULES.items() if not rule.directed)


# ----------------------------------------------------------------- helpers
@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A TypeAdapter for one field of a record model, with its bounds."""
    info = model.model_fields[name]
    tp: Any = info.annotation
    if info.metadata:
        tp = Annotated[(tp, *info.metadata)]
    return TypeAdapter(tp, config=ConfigDict(allow_inf_nan=False, str_strip_whitespace=True))


def _check_changes(model: type[BaseModel], changes: Mapping[str, Any],
                   fixed: tuple[str, ...], what: str) -> dict[str, Any]:
    """Validate the values of an edit's ``set`` table against the record model.

    Known fields are converted to their type (``"0.5"`` -> 0.5) and checked
    against their bounds; a key that looks like a misspelt known field is an
    error; any other key becomes an extra attribute.
    """
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in changes.items():
        if key in fixed:
            problems.append(f"{key!r} cannot be edited; remove the {what} and add a new one")
            continue
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{key!r}: expected a finite number, got {value!r}")
            continue
        if key in model.model_fields:
            try:
                out[key] = _adapter(model, key).validate_python(value)
            except pydantic.ValidationError as exc:
                msg = exc.errors(include_url=False)[0]["msg"]
                problems.append(f"{key!r}: {msg} (got {value!r})")
            continue
        close = suggest_column(key, model.model_fields)
        if close is not None:
            problems.append(f"unknown field {key!r}; did you mean {close!r}?")
            continue
        if not isinstance(value, str | int | float | bool | dt.date):
            problems.append(f"{key!r}: expected text, a number, true/false or a date, "
                            f"got {value!r}")
            continue
        out[key] = value
    if problems:
        raise ValueError("; ".join(problems))
    return out


def _check_unset(model: type[BaseModel], names: Iterable[str], fixed: tuple[str, ...]) -> None:
    problems = []
    for name in names:
        if name in fixed:
            problems.append(f"{name!r} is required and cannot be unset")
        elif name not in model.model_fields:
            close = suggest_column(name, model.model_fields)
            if close is not None:
                problems.append(f"unknown field {name!r}; did you mean {close!r}?")
    if problems:
        raise ValueError("; ".join(problems))


# ------------------------------------------------------------------- edits
class _Edit(BaseModel):
    """Common configuration of every edit."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True,
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True,
    )

    note: str | None = Field(None, description="Why this edit; shown in reports.")

    def subject(self) -> str:
        """Short text naming what the edit touches (for tables and messages)."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides


class AddActor(_Edit):
    """Add an actor (a full :class:`~ecograph.core.schema.Actor` record).

    Without ``provenance`` the new actor is marked ``illustrative`` and its
    ``evidence`` names the scenario.
    """

    op: Literal["add_actor"] = "add_actor"
    actor: Actor

    def subject(self) -> str:
        """Short text naming what the edit touches."""
        return self.actor.id


class RemoveActor(_Edit):
    """Remove an actor together with every relation it takes part in."""

    op: Literal["remove_actor"] = "remove_actor"
    actor: str = Field(min_length=1, description="Actor id.")

    def subject(self) -> str:
        """Short text naming what the edit touches."""
        return self.actor


class EditActor(_Edit):
    """Change attributes of an actor (``set``) or clear them (``unset``)."""

    op: Literal["edit_actor"] = "edit_actor"
    actor: str = Field(min_length=1, description="Actor id.")
    changes: dict[str, Any] = Field(default_factory=dict, alias="set",
                                    description="Field -> new value.")
    unset: tuple[str, ...] = Field((), description="Fields to clear (make empty).")

    @field_validator("changes")
    @classmethod
    def _valid_changes(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_changes(Actor, value, ("id",), "actor")

    @field_validator("unset")
    @classmethod
    def _valid_unset(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _check_unset(Actor, value, _ACTOR_FIXED)
        return value

    def subject(self) -> str:
        """Short text naming what the edit touches."""
        return self.actor


class AddRelation(_Edit):
    """Add a relation (a full :class:`~ecograph.core.schema.Relation` record).

    Both ends must be actors at this point of the scenario (add new actors
    first). Without ``provenance`` the relation is marked ``illustrative``.
    """

    op: Literal["add_relation"] = "add_relation"
    relation: Relation

    def subject(self) -> str:
        """Short text naming what the edit touches."""
        r = self.relation
        return r.id or f"{r.source} -> {r.target} ({r.kind})"


class _RelationRef(_Edit):
    """Identify relations by ``id`` or by ``source``, ``target`` and ``kind``.

    Co-opetition and social ties are symmetric: they match in either
    orientation. ``role`` narrows the match. With ``match = "one"`` (the
    default) exactly one relation must match; ``"all"`` accepts any number
    of matches, at least one.
    """

    id: str | None = Field(None, min_length=1, description="Relation id.")
    source: str | None = Field(None, min_length=1)
    target_: str | None = Field(None, alias="target", min_length=1)
    kind: RelationKind | None = None
    role: str | None = None
    match: Literal["one", "all"] = "one"

    _default_kind: ClassVar[str | None] = None

    @pydantic.model_validator(mode="after")
    def _identified(self) -> _RelationRef:
        if self.id is None:
            missing = [n for n, v in (("source", self.source), ("target", self.target_),
                                      ("kind", self.kind or self._default_kind)) if v is None]
            if missing:
                raise ValueError("identify the relation by 'id', or by 'source', 'target' and "
                                 f"'kind' (missing: {', '.join(missing)})")
        return self

    @property
    def ref_kind(self) -> str | None:
        """The kind to match (the class default when not given)."""
        return self.kind or self._default_kind

    def subject(self) -> str:
        """The relation id, or ``source -> target (kind)``."""
        if self.id is not None:
            return self.id
        return f"{self.source} -> {self.target_} ({self.ref_kind})"


class RemoveRelation(_RelationRef):
    """Remove the matching relation(s)."""

    op: Literal["remove_relation"] = "remove_relation"


class EditRelation(_RelationRef):
    """Change attributes of the matching relation(s) (``set``) or clear them (``unset``)."""

    op: Literal["edit_relation"] = "edit_relation"
    changes: dict[str, Any] = Field(default_factory=dict, alias="set",
                                    description="Field -> new value.")
    unset: tuple[str, ...] = Field((), description="Fields to clear (make empty).")

    @field_validator("changes")
    @classmethod
    def _valid_changes(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_changes(Relation, value, _RELATION_FIXED, "relation")

    @field_validator("unset")
    @classmethod
    def _valid_unset(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _check_unset(Relation, value, _RELATION_FIXED + _RELATION_REQUIRED)
        return value


class SetIntensity(_RelationRef):
    """Change the intensities of a relation (by default a co-opetition relation).

    ``competitor_intensity`` and ``partner_intensity`` apply to co-opetition
    only; ``weight`` (tie strength, > 0) to any kind. At least one is needed.
    """

    op: Literal["set_intensity"] = "set_intensity"
    competitor_intensity: float | None = Field(None, ge=0, le=1)
    partner_intensity: float | None = Field(None, ge=0, le=1)
    weight: float | None = Field(None, gt=0)

    _default_kind: ClassVar[str | None] = "coopetition"

    @pydantic.model_validator(mode="after")
    def _something_to_set(self) -> SetIntensity:
        given = self.intensities()
        if not given:
            raise ValueError("give competitor_intensity, partner_intensity or weight")
        kind = self.ref_kind
        if kind is not None and kind != "coopetition":
            wrong = [k for k in given if k != "weight"]
            if wrong:
                raise ValueError(f"{', '.join(wrong)} apply to co-opetition relations, "
                                 f"not to {kind!r}")
        return self

    def intensities(self) -> dict[str, float]:
        """The values to set, by field name."""
        return {k: v for k in ("competitor_intensity", "partner_intensity", "weight")
                if (v := getattr(self, k)) is not None}


Edit = Annotated[
    AddActor | RemoveActor | EditActor | AddRelation | RemoveRelation | EditRelation | SetIntensity,
    Field(discriminator="op"),
]
"""One edit of a scenario, told apart by its ``op`` key."""

_OPS: Final = ("add_actor", "remove_actor", "edit_actor", "add_relation", "remove_relation",
               "edit_relation", "set_intensity")


# --------------------------------------------------------------- scenario
class Scenario(BaseModel):
    """A named what-if scenario: an ordered list of edits to an ecosystem.

    Parameters
    ----------
    name : str
        Identifier, also the file name (``scenarios/NAME.toml``): letters,
        digits, ``_``, ``-`` and ``.``.
    description : str, optional
        What the scenario asks, in plain words.
    hypothetical : bool, default True
        The edits describe a possible future, not observed facts. Rows the
        scenario adds without a ``provenance`` are marked ``illustrative``.
    evidence : str, optional
        Source or reasoning behind the scenario.
    edits : sequence of Edit
        Applied in order; a later edit sees the result of the earlier ones.

    Notes
    -----
    Edits (the ``op`` key of each ``[[edits]]`` table):

    ``add_actor``
        ``actor = {id, name, kind, ...}``: any :class:`~ecograph.core.schema.Actor` field.
    ``remove_actor``
        ``actor = ID``: the actor and every relation it takes part in; rows of
        further tables (``resources``, ``support``) whose ``actor`` it is go
        too, and other cells naming it (a support ``provider``) are emptied.
    ``edit_actor``
        ``actor = ID``, ``set = {field = value}``, ``unset = [field]``. The id
        cannot change (remove and add instead).
    ``add_relation``
        ``relation = {source, target, kind, ...}``: any
        :class:`~ecograph.core.schema.Relation` field.
    ``remove_relation``, ``edit_relation``
        The relation by ``id``, or by ``source``, ``target`` and ``kind``
        (symmetric kinds match either way round; ``role`` narrows),
        ``match = "one"`` (exactly one must match) or ``"all"``.
        ``edit_relation`` takes ``set`` and ``unset`` like ``edit_actor``.
    ``set_intensity``
        Like ``edit_relation`` with ``kind = "coopetition"`` by default, and
        ``competitor_intensity``, ``partner_intensity`` and/or ``weight``.

    Every edit may carry a ``note``. Values are checked when the scenario is
    built or read (types and bounds of the known fields, misspelt keys);
    references (does the actor exist?) and graph rules (a board seat must be
    held by a person) when it is applied, with the edit's index in the message.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["p1", "o1", "o2"], "name": ["P1", "Dairy", "Hotel"],
    ...                   "kind": ["person", "firm", "firm"]}),
    ...     pd.DataFrame({"source": ["p1", "p1"], "target": ["o1", "o2"],
    ...                   "kind": ["board_seat", "board_seat"], "role": ["chair", "member"]}))
    >>> s = Scenario.remove_actor("o1", name="dairy-leaves")
    >>> after = s.apply(eco)
    >>> sorted(after.actors.index), len(after.relations), len(eco.relations)
    (['o2', 'p1'], 1, 2)
    >>> both = s + Scenario.add_actor({"id": "u1", "name": "University",
    ...                                "kind": "knowledge_institution"})
    >>> [e.op for e in both.edits]
    ['remove_actor', 'add_actor']
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)

    name: str = Field("scenario", min_length=1, max_length=120, pattern=_NAME_PATTERN)
    description: str | None = None
    hypothetical: bool = True
    evidence: str | None = None
    edits: tuple[Edit, ...] = ()

    _file: str | None = PrivateAttr(None)

    # ----------------------------------------------------------- identity
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Scenario) -> Scenario:
        """The edits of ``self`` followed by those of ``other`` (name and text of ``self``)."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_copy(update={"edits": (*self.edits, *other.edits)})

    def __len__(self) -> int:
        return len(self.edits)

    def __repr__(self) -> str:
        ops = ", ".join(f"{e.op} {e.subject()}" for e in self.edits[:4])
        more = f", ... ({len(self.edits)} edits)" if len(self.edits) > 4 else ""
        return f"<Scenario {self.name!r}: {ops or 'no edits'}{more}>"

    __str__ = __repr__

    @property
    def file(self) -> str | None:
        """The file the scenario was read from, if any."""
        return self._file

    # ------------------------------------------------------- constructors
    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, file: str | None = None) -> Scenario:
        """Validate a scenario document (the parsed TOML).

        Parameters
        ----------
        doc : mapping
            Top-level keys ``format_version`` (optional), ``name``,
            ``description``, ``hypothetical``, ``evidence``, ``edits``.
        file : str, optional
            File name used in error messages (``"<scenario>"`` when not given).

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            Listing every problem with its key, e.g. ``edits[1].actor.kind``.

        Examples
        --------
        >>> Scenario.from_dict({"name": "x", "edits": [{"op": "remove_actor", "actor": "a"}]})
        <Scenario 'x': remove_actor a>
        >>> Scenario.from_dict({"name": "x", "edits": [{"op": "remove_actr", "actor": "a"}]})
        Traceback (most recent call last):
        ...
        ecograph.exceptions.ScenarioError: invalid scenario: 1 problem(s)
          - <scenario>, field 'edits[0].op': ...
        """
        doc = dict(doc)
        label = file or "<scenario>"
        issues: list[Issue] = []
        if "format_version" in doc:
            version = doc.pop("format_version")
            if version != FORMAT_VERSION:
                issues.append(Issue(label, None, "format_version", "unsupported scenario format "
                                    f"version; this ecograph reads {FORMAT_VERSION}", version))
        try:
            scenario = cls.model_validate(doc)
        except pydantic.ValidationError as exc:
            issues.extend(_issues_from(exc, label))
            scenario = None
        if issues or scenario is None:
            raise ScenarioError(_render("invalid scenario", issues))
        scenario._file = file
        return scenario

    @classmethod
    def _one(cls, edit: dict[str, Any], name: str | None) -> Scenario:
        doc: dict[str, Any] = {"edits": [edit]}
        if name is not None:
            doc["name"] = name
        return cls.from_dict(doc)

    @classmethod
    def add_actor(cls, actor: Actor | Mapping[str, Any], *, name: str | None = None,
                  note: str | None = None) -> Scenario:
        """A one-edit scenario adding an actor.

        Parameters
        ----------
        actor : Actor or mapping
            The new actor's fields (``id``, ``name``, ``kind``, ...).
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When the actor's fields are invalid.

        Examples
        --------
        >>> s = Scenario.add_actor({"id": "ntnu", "name": "NTNU", "kind": "knowledge_institution"})
        >>> s.edits[0].actor.kind
        'knowledge_institution'
        """
        if isinstance(actor, BaseModel):
            fields = actor.model_dump(exclude_none=True)
        else:
            fields = dict(actor)
        return cls._one({"op": "add_actor", "actor": fields, "note": note}, name)

    @classmethod
    def remove_actor(cls, actor: str, *, name: str | None = None,
                     note: str | None = None) -> Scenario:
        """A one-edit scenario removing an actor and every relation it takes part in.

        Parameters
        ----------
        actor : str
            Actor id.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> Scenario.remove_actor("rorosmeieriet", name="rorosmeieriet-leaves")
        <Scenario 'rorosmeieriet-leaves': remove_actor rorosmeieriet>
        """
        return cls._one({"op": "remove_actor", "actor": actor, "note": note}, name)

    @classmethod
    def edit_actor(cls, actor: str, *, set: Mapping[str, Any] | None = None,
                   unset: Iterable[str] = (), name: str | None = None,
                   note: str | None = None) -> Scenario:
        """A one-edit scenario changing an actor's attributes.

        Parameters
        ----------
        actor : str
            Actor id.
        set : mapping, optional
            Field -> new value (known fields are type- and range-checked; other
            names become extra attributes).
        unset : iterable of str
            Fields to clear.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> Scenario.edit_actor("o1", set={"employees": 12}).edits[0].changes
        {'employees': 12}
        """
        return cls._one({"op": "edit_actor", "actor": actor, "set": dict(set or {}),
                         "unset": list(unset), "note": note}, name)

    @classmethod
    def add_relation(cls, source: str, target: str, kind: str, *, name: str | None = None,
                     note: str | None = None, **fields: Any) -> Scenario:
        """A one-edit scenario adding a relation.

        Parameters
        ----------
        source, target : str
            Actor ids at the tail and head.
        kind : str
            Relation kind.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.
        **fields
            Further relation fields (``role``, ``since``, ``provenance``, ...).

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> s = Scenario.add_relation("u1", "o1", "knowledge_link", role="R&D partner")
        >>> s.edits[0].relation.kind
        'knowledge_link'
        """
        relation = {"source": source, "target": target, "kind": kind, **fields}
        return cls._one({"op": "add_relation", "relation": relation, "note": note}, name)

    @classmethod
    def remove_relation(cls, id: str | None = None, *, source: str | None = None,
                        target: str | None = None, kind: str | None = None,
                        role: str | None = None, match: str = "one", name: str | None = None,
                        note: str | None = None) -> Scenario:
        """A one-edit scenario removing a relation (by id or by source, target and kind).

        Parameters
        ----------
        id : str, optional
            Relation id; or identify the relation by ``source``, ``target`` and ``kind``.
        source, target : str, optional
            Actor ids at the two ends (either orientation for symmetric kinds).
        kind : str, optional
            Relation kind.
        role : str, optional
            Only relations with this role.
        match : {"one", "all"}, default "one"
            ``"one"``: exactly one relation must match when applied; ``"all"``: every match.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> Scenario.remove_relation(source="o1", target="o2", kind="coopetition")
        <Scenario 'scenario': remove_relation o1 -> o2 (coopetition)>
        """
        return cls._one(_ref_doc("remove_relation", id, source, target, kind, role, match,
                                 note), name)

    @classmethod
    def edit_relation(cls, id: str | None = None, *, source: str | None = None,
                      target: str | None = None, kind: str | None = None,
                      role: str | None = None, match: str = "one",
                      set: Mapping[str, Any] | None = None,
                      unset: Iterable[str] = (), name: str | None = None,
                      note: str | None = None) -> Scenario:
        """A one-edit scenario changing a relation's attributes.

        Parameters
        ----------
        id : str, optional
            Relation id; or identify the relation by ``source``, ``target`` and ``kind``.
        source, target : str, optional
            Actor ids at the two ends (either orientation for symmetric kinds).
        kind : str, optional
            Relation kind.
        role : str, optional
            Only relations with this role.
        match : {"one", "all"}, default "one"
            ``"one"``: exactly one relation must match when applied; ``"all"``: every match.
        set : mapping, optional
            Field -> new value.
        unset : iterable of str
            Fields to clear.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> Scenario.edit_relation("r3", set={"until": "2019-12-31"}).edits[0].changes
        {'until': datetime.date(2019, 12, 31)}
        """
        doc = _ref_doc("edit_relation", id, source, target, kind, role, match, note)
        doc["set"] = dict(set or {})
        doc["unset"] = list(unset)
        return cls._one(doc, name)

    @classmethod
    def set_intensity(cls, source: str, target: str, *, competitor_intensity: float | None = None,
                      partner_intensity: float | None = None, weight: float | None = None,
                      kind: str = "coopetition", name: str | None = None,
                      note: str | None = None) -> Scenario:
        """A one-edit scenario changing the intensities of the relation between two actors.

        Parameters
        ----------
        source, target : str
            Actor ids (either orientation for co-opetition).
        competitor_intensity, partner_intensity : float, optional
            New intensities in [0, 1] (co-opetition only).
        weight : float, optional
            New tie strength (> 0).
        kind : str, default "coopetition"
            Kind of the relation.
        name : str, optional
            Scenario name (default ``"scenario"``).
        note : str, optional
            Why; shown in reports.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a value is invalid (the message names the key).

        Examples
        --------
        >>> s = Scenario.set_intensity("hotel_a", "hotel_b", partner_intensity=0.7)
        >>> s.edits[0].intensities()
        {'partner_intensity': 0.7}
        """
        doc = _ref_doc("set_intensity", None, source, target, kind, None, "one", note)
        doc.update({k: v for k, v in (("competitor_intensity", competitor_intensity),
                                      ("partner_intensity", partner_intensity),
                                      ("weight", weight)) if v is not None})
        return cls._one(doc, name)

    # ---------------------------------------------------------------- I/O
    @classmethod
    def read(cls, path: str | Path) -> Scenario:
        """Read a scenario TOML file.

        Parameters
        ----------
        path : str or Path
            The ``.toml`` file.

        Returns
        -------
        Scenario

        Raises
        ------
        FileNotFoundError
            When the file does not exist.
        ScenarioError
            Invalid TOML (with the line) or invalid content (with the key).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Scenario.remove_actor("o1", name="dairy-leaves")
        >>> with tempfile.TemporaryDirectory() as d:
        ...     again = Scenario.read(s.write(pathlib.Path(d) / "dairy-leaves.toml"))
        >>> again == s
        True
        """
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            issue = Issue(p.name, None, None, f"invalid TOML: {exc}")
            raise ScenarioError(_render("invalid scenario", [issue])) from exc
        return cls.from_dict(doc, file=p.name)

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a TOML-ready document (no empty values).

        Examples
        --------
        >>> Scenario.remove_actor("o1", name="x").to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'format_version': 1, 'name': 'x', 'hypothetical': True,
         'edits': [{'op': 'remove_actor', 'actor': 'o1'}]}
        """
        body = self.model_dump(mode="python", by_alias=True, exclude_none=True)
        edits = []
        for edit in body.pop("edits", []):
            op = edit.pop("op")
            clean = {"op": op, **{k: v for k, v in edit.items()
                                  if k != "match" or v != "one"}}
            for key in ("actor", "relation"):
                if isinstance(clean.get(key), dict):
                    clean[key] = {k: v for k, v in clean[key].items()
                                  if v is not None and not (k == "external" and v is False)}
            edits.append({k: v for k, v in clean.items() if v not in ({}, [], ())})
        return {"format_version": FORMAT_VERSION, **body, "edits": edits}

    def write(self, path: str | Path) -> Path:
        """Write the scenario as TOML.

        Parameters
        ----------
        path : str or Path
            A ``.toml`` file, or a bundle folder: then the file is
            ``<folder>/scenarios/<name>.toml``.

        Returns
        -------
        Path
            The file written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as d:
        ...     path = Scenario.remove_actor("o1", name="dairy-leaves").write(d)
        ...     print(path.relative_to(d))
        scenarios/dairy-leaves.toml
        """
        import tomli_w

        p = Path(path)
        if p.is_dir():
            p = p / "scenarios" / f"{self.name}.toml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(tomli_w.dumps(self.to_dict()), encoding="utf-8")
        return p

    def to_frame(self) -> pd.DataFrame:
        """The edits as a table, for reports.

        Returns
        -------
        DataFrame
            One row per edit, indexed by ``edit`` (its position): ``op``,
            ``target`` (what it touches), ``details`` (the values it sets),
            ``note``.

        Examples
        --------
        >>> Scenario.remove_actor("o1").to_frame()[["op", "target"]]
                       op target
        edit
        0    remove_actor     o1
        """
        rows = []
        for i, e in enumerate(self.edits):
            d = e.model_dump(mode="json", by_alias=True, exclude_none=True,
                             exclude={"op", "note"})
            if isinstance(e, AddActor | AddRelation):
                details = ", ".join(f"{k}={v}" for k, v in next(iter(d.values())).items()
                                    if v is not None and k != "external")
            elif isinstance(e, EditActor | EditRelation):
                details = ", ".join([f"{k}={v}" for k, v in e.changes.items()]
                                    + [f"{k}=(empty)" for k in e.unset])
            elif isinstance(e, SetIntensity):
                details = ", ".join(f"{k}={v}" for k, v in e.intensities().items())
            else:
                details = ""
            rows.append({"edit": i, "op": e.op, "target": e.subject(), "details": details,
                         "note": e.note or ""})
        frame = pd.DataFrame(rows, columns=["edit", "op", "target", "details", "note"])
        return frame.set_index("edit")

    # -------------------------------------------------------------- apply
    def apply(self, eco: Ecosystem) -> Ecosystem:
        """Apply the edits to ``eco`` and return a new validated Ecosystem.

        ``eco`` is not changed (its frames are copied). The result's
        metadata name is ``"<name> [<scenario>]"``.

        Parameters
        ----------
        eco : Ecosystem

        Returns
        -------
        Ecosystem

        Raises
        ------
        ScenarioError
            When an edit refers to an actor or relation that does not exist
            at that point, adds a duplicate id, matches more than one
            relation with ``match = "one"``, or leaves data that is invalid
            (a board seat held by a firm, an intensity above 1, ...). The
            message names the scenario file and the edit: ``edits[2]``.

        Notes
        -----
        Edits run in order on copies of the frames, each a vectorised
        selection; the whole result is then validated once, like a bundle,
        and every problem is traced back to the edit that caused it.

        Examples
        --------
        >>> import ecograph
        >>> eco = ecograph.load_roros()
        >>> u = Scenario.add_actor({"id": "university", "name": "A university",
        ...                         "kind": "knowledge_institution", "external": True})
        >>> after = u.apply(eco)
        >>> len(after.actors) == len(eco.actors) + 1, "university" in eco
        (True, False)
        """
        work = _Work.start(eco)
        for i, edit in enumerate(self.edits):
            work.current = i
            try:
                _APPLY[edit.op](work, edit, self)
            except _EditProblem as exc:
                raise ScenarioError(self._problems([f"edits[{i}] ({edit.op}): {exc}"])) from None
        meta = eco.meta.model_copy(update={"name": f"{eco.meta.name} [{self.name}]"})
        tables = work.tables(eco)
        try:
            return Ecosystem.from_frames(work.actors, work.relations, meta, tables=tables or None,
                                         actors_file="actors", relations_file="relations",
                                         warn=False)
        except BundleValidationError as exc:
            raise ScenarioError(self._problems(work.explain(exc.issues, self))) from exc

    def _problems(self, lines: list[str]) -> str:
        where = f" ({self._file})" if self._file else ""
        head = f"scenario {self.name!r}{where} cannot be applied: {len(lines)} problem(s)"
        return "\n".join([head, *(f"  - {line}" for line in lines[:50])])


def _ref_doc(op: str, id_: str | None, source: str | None, target: str | None, kind: str | None,
             role: str | None, match: str, note: str | None) -> dict[str, Any]:
    doc = {"op": op, "id": id_, "source": source, "target": target, "kind": kind, "role": role,
           "match": match, "note": note}
    return {k: v for k, v in doc.items() if v is not None}


def _issues_from(exc: pydantic.ValidationError, file: str) -> list[Issue]:
    """Turn pydantic errors into Issues with dotted keys (``edits[2].actor.kind``)."""
    out = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        parts: list[str] = []
        k = 0
        while k < len(loc):
            item = loc[k]
            if isinstance(item, int):
                parts[-1] = f"{parts[-1]}[{item}]" if parts else f"[{item}]"
                # the discriminated union adds the tag after the index: drop it
                if k + 1 < len(loc) and loc[k + 1] in _OPS:
                    k += 1
            else:
                parts.append(str(item))
            k += 1
        key = ".".join(parts) or None
        msg = err["msg"]
        if err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        if err["type"] == "union_tag_invalid":
            key = f"{key}.op" if key else "op"
            msg = f"unknown op; expected one of {list(_OPS)}"
        elif err["type"] == "union_tag_not_found":
            key = f"{key}.op" if key else "op"
            msg = f"every edit needs an 'op', one of {list(_OPS)}"
        elif err["type"] == "extra_forbidden" and parts:
            close = _close_key(parts[-1], len(parts) == 1)
            msg = "unknown key" + (f"; did you mean {close!r}?" if close else "")
        value = err.get("input")
        if err["type"] in ("missing", "union_tag_not_found") or isinstance(value, dict | list):
            value = None
        out.append(Issue(file, None, key, msg, value))
    return out


def _close_key(name: str, top: bool) -> str | None:
    """The known key ``name`` most likely misspells (top-level or edit keys)."""
    import difflib

    if top:
        keys = {*Scenario.model_fields, "format_version"}
    else:
        keys = set()
        for model in (AddActor, RemoveActor, EditActor, AddRelation, RemoveRelation,
                      EditRelation, SetIntensity):
            keys |= {f.alias or n for n, f in model.model_fields.items()}
    close = difflib.get_close_matches(name.lower(), sorted(keys), n=1, cutoff=0.7)
    return close[0] if close else None


def _render(headline: str, issues: list[Issue]) -> str:
    lines = [f"{headline}: {len(issues)} problem(s)"]
    lines += [f"  - {issue}" for issue in issues[:50]]
    if len(issues) > 50:
        lines.append(f"  ... and {len(issues) - 50} more")
    return "\n".join(lines)


# ------------------------------------------------------------- applying
class _EditProblem(Exception):
    """An edit cannot be applied (turned into a ScenarioError with its index)."""


@dataclass
class _Work:
    """Copies of the frames being edited, with the edit that last touched each row."""

    actors: pd.DataFrame
    relations: pd.DataFrame
    actor_edit: np.ndarray
    relation_edit: np.ndarray
    removed: set[str] = field(default_factory=set)
    current: int = -1

    @classmethod
    def start(cls, eco: Ecosystem) -> _Work:
        actors = eco.actors.reset_index()  # a new frame
        relations = eco.relations.copy()
        return cls(actors, relations, np.full(len(actors), -1), np.full(len(relations), -1))

    # -------------------------------------------------------- selections
    def actor_row(self, actor: str) -> np.ndarray:
        mask = (self.actors["id"] == actor).to_numpy(dtype=bool, na_value=False)
        if not mask.any():
            raise _EditProblem(f"actor {actor!r} is not in the ecosystem")
        return mask

    def relation_rows(self, ref: _RelationRef) -> np.ndarray:
        r = self.relations
        mask = np.ones(len(r), dtype=bool)
        if ref.id is not None:
            mask &= (r["id"] == ref.id).to_numpy(dtype=bool, na_value=False)
        kind = ref.ref_kind
        if kind is not None:
            mask &= (r["kind"] == kind).to_numpy(dtype=bool, na_value=False)
        if ref.role is not None:
            mask &= (r["role"] == ref.role).to_numpy(dtype=bool, na_value=False)
        if ref.source is not None or ref.target_ is not None:
            src = r["source"].to_numpy(dtype=object)
            tgt = r["target"].to_numpy(dtype=object)
            forward = np.ones(len(r), dtype=bool)
            backward = np.ones(len(r), dtype=bool)
            if ref.source is not None:
                forward &= src == ref.source
                backward &= tgt == ref.source
            if ref.target_ is not None:
                forward &= tgt == ref.target_
                backward &= src == ref.target_
            symmetric = r["kind"].isin(_SYMMETRIC).to_numpy(dtype=bool, na_value=False)
            mask &= forward | (backward & symmetric)
        n = int(mask.sum())
        if n == 0:
            raise _EditProblem(f"no relation matches {ref.subject()}")
        if n > 1 and ref.match == "one":
            ids = ", ".join(repr(x) for x in r.loc[mask, "id"].head(5))
            more = ", ..." if n > 5 else ""
            raise _EditProblem(f"{n} relations match {ref.subject()} ({ids}{more}); "
                               "give the relation's id, a role, or match = \"all\"")
        return mask

    # ----------------------------------------------------------- changes
    def set_values(self, which: str, mask: np.ndarray, changes: Mapping[str, Any],
                   unset: Iterable[str] = ()) -> None:
        frame = self.actors if which == "actors" else self.relations
        for col, value in [*changes.items(), *((c, None) for c in unset)]:
            if col not in frame.columns:
                if value is None:
                    continue
                frame[col] = pd.Series(pd.NA, index=frame.index, dtype=object)
            column = frame[col]
            new = _typed_value(value, column.dtype)
            try:
                frame.loc[mask, col] = new
            except (TypeError, ValueError):
                frame[col] = column.astype(object)
                frame.loc[mask, col] = new if value is not None else pd.NA
        self.touch(which, mask)

    def touch(self, which: str, mask: np.ndarray) -> None:
        (self.actor_edit if which == "actors" else self.relation_edit)[mask] = self.current

    def append(self, which: str, row: Mapping[str, Any]) -> None:
        frame = self.actors if which == "actors" else self.relations
        cols = {}
        for col in dict.fromkeys([*frame.columns, *row]):
            value = row.get(col)
            if col in frame.columns:
                dtype = frame[col].dtype
                cols[col] = pd.Series([_typed_value(value, dtype)], dtype=dtype)
            else:
                cols[col] = pd.Series([value], dtype=object)
        new = pd.DataFrame(cols)
        for col in new.columns.difference(frame.columns):
            frame[col] = pd.Series(pd.NA, index=frame.index, dtype=object)
        out = pd.concat([frame, new[frame.columns]], ignore_index=True)
        if which == "actors":
            self.actors = out
            self.actor_edit = np.append(self.actor_edit, self.current)
        else:
            self.relations = out
            self.relation_edit = np.append(self.relation_edit, self.current)

    def drop(self, which: str, mask: np.ndarray) -> None:
        keep = ~mask
        if which == "actors":
            self.actors = self.actors[keep].reset_index(drop=True)
            self.actor_edit = self.actor_edit[keep]
        else:
            self.relations = self.relations[keep].reset_index(drop=True)
            self.relation_edit = self.relation_edit[keep]

    # ---------------------------------------------------------- finishing
    def tables(self, eco: Ecosystem) -> dict[str, pd.DataFrame]:
        """Further tables without the removed actors.

        A row whose ``actor`` is removed goes; any other cell naming a removed
        actor (a column whose values are all actor ids, such as a support
        ``provider``) is emptied.
        """
        out = {}
        removed = sorted(self.removed)
        for name, table in eco.tables.items():
            t = table.copy()
            if removed:
                if "actor" in t.columns:
                    keep = ~t["actor"].isin(removed).to_numpy(dtype=bool, na_value=False)
                    t = t[keep].reset_index(drop=True)
                for col in t.columns:
                    if col == "actor" or not pd.api.types.is_string_dtype(t[col].dtype):
                        continue
                    values = t[col].dropna()
                    if len(values) and values.isin(eco.actors.index).all():
                        gone = t[col].isin(removed).to_numpy(dtype=bool, na_value=False)
                        if gone.any():
                            t.loc[gone, col] = pd.NA
            out[name] = t
        return out

    def explain(self, issues: Iterable[Issue], scenario: Scenario) -> list[str]:
        """Trace validation issues of the edited frames back to the edits."""
        actor_pos = pd.Series(np.arange(len(self.actors)), index=self.actors["id"].to_numpy())
        actor_pos = actor_pos[~actor_pos.index.duplicated()]
        lines = []
        for issue in issues:
            edit = -1
            subject = ""
            if issue.row is not None and issue.file == "relations" and \
                    0 <= issue.row - 2 < len(self.relations):
                pos = issue.row - 2
                rel = self.relations.iloc[pos]
                edit = int(self.relation_edit[pos])
                if edit < 0:  # an untouched relation broken by an actor edit
                    for end in ("source", "target"):
                        p = actor_pos.get(rel[end])
                        if p is not None and self.actor_edit[int(p)] >= 0:
                            edit = int(self.actor_edit[int(p)])
                rid = rel["id"]
                subject = (f"relation {rid!r}" if not pd.isna(rid) else
                           f"new relation {rel['source']} -> {rel['target']} ({rel['kind']})")
            elif issue.row is not None and issue.file == "actors" and \
                    0 <= issue.row - 2 < len(self.actors):
                pos = issue.row - 2
                edit = int(self.actor_edit[pos])
                subject = f"actor {self.actors['id'].iloc[pos]!r}"
            where = (f"edits[{edit}] ({scenario.edits[edit].op})" if edit >= 0
                     else "after the edits")
            text = f"{where}, {subject}" if subject else where
            if issue.field:
                text += f", field {issue.field!r}"
            text += f": {issue.message}"
            if issue.value is not None:
                text += f" (got {issue.value!r})"
            lines.append(text)
        return lines


def _typed_value(value: Any, dtype: Any) -> Any:
    """A Python value converted for a column of ``dtype`` (missing -> the dtype's NA)."""
    is_dt = pd.api.types.is_datetime64_any_dtype(dtype)
    if value is None:
        if is_dt:
            return pd.NaT
        if pd.api.types.is_float_dtype(dtype):
            return np.nan
        return None if dtype == np.dtype(object) else pd.NA
    if is_dt and isinstance(value, dt.date | str):
        return pd.Timestamp(value)
    return value


def _provenance_defaults(row: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    if row.get("provenance") is None:
        row["provenance"] = "illustrative"
        if row.get("evidence") is None:
            kind = "hypothetical " if scenario.hypothetical else ""
            row["evidence"] = f"{kind}scenario '{scenario.name}'"
    return row


def _add_actor(work: _Work, edit: AddActor, scenario: Scenario) -> None:
    row = edit.actor.model_dump(exclude_none=True)
    if (work.actors["id"] == row["id"]).any():
        raise _EditProblem(f"an actor with id {row['id']!r} already exists")
    work.append("actors", _provenance_defaults(row, scenario))
    work.removed.discard(row["id"])


def _remove_actor(work: _Work, edit: RemoveActor, scenario: Scenario) -> None:
    mask = work.actor_row(edit.actor)
    r = work.relations
    touching = ((r["source"] == edit.actor) | (r["target"] == edit.actor)).to_numpy(
        dtype=bool, na_value=False)
    work.drop("relations", touching)
    work.drop("actors", mask)
    work.removed.add(edit.actor)


def _edit_actor(work: _Work, edit: EditActor, scenario: Scenario) -> None:
    mask = work.actor_row(edit.actor)
    work.set_values("actors", mask, edit.changes, edit.unset)


def _add_relation(work: _Work, edit: AddRelation, scenario: Scenario) -> None:
    row = edit.relation.model_dump(exclude_none=True)
    for end in ("source", "target"):
        if not (work.actors["id"] == row[end]).any():
            raise _EditProblem(f"{end} {row[end]!r} is not an actor; add it with an add_actor "
                               "edit before this one")
    if row.get("id") is not None and (work.relations["id"] == row["id"]).any():
        raise _EditProblem(f"a relation with id {row['id']!r} already exists")
    work.append("relations", _provenance_defaults(row, scenario))


def _remove_relation(work: _Work, edit: RemoveRelation, scenario: Scenario) -> None:
    work.drop("relations", work.relation_rows(edit))


def _edit_relation(work: _Work, edit: EditRelation, scenario: Scenario) -> None:
    work.set_values("relations", work.relation_rows(edit), edit.changes, edit.unset)


def _set_intensity(work: _Work, edit: SetIntensity, scenario: Scenario) -> None:
    mask = work.relation_rows(edit)
    values = edit.intensities()
    kinds = set(work.relations.loc[mask, "kind"])
    if kinds - {"coopetition"} and set(values) - {"weight"}:
        raise _EditProblem(f"competitor and partner intensities apply to co-opetition, "
                           f"the matched relation is {sorted(kinds)}")
    work.set_values("relations", mask, values)


_APPLY: dict[str, Callable[[_Work, Any, Scenario], None]] = {
    "add_actor": _add_actor,
    "remove_actor": _remove_actor,
    "edit_actor": _edit_actor,
    "add_relation": _add_relation,
    "remove_relation": _remove_relation,
    "edit_relation": _edit_relation,
    "set_intensity": _set_intensity,
}
