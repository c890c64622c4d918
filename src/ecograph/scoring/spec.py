"""Declarative scoring models: the pydantic schema of ``models/*.toml`` and its loader.

A scoring model says, in a file a regional analyst can read and edit, how an
ecosystem is scored: its *layers* (Spigel's cultural / social / material, or
Miles & Morrison's framework / systemic conditions), the *attributes* of each
layer, and for every attribute its *indicators* with direction,
transformation, weight and source. :func:`load_model` reads and validates a
model; every problem raises :class:`~ecograph.exceptions.ModelSpecError`
naming the file and the key.

The JSON Schema of the format is exported to
``models/schema/scoring-model.schema.json`` by ``python -m
ecograph.scoring.spec`` (see :func:`write_json_schema`) and snapshot-tested,
so a change of the format is always deliberate.

A minimal model::

    schema_version = 1

    [model]
    name = "toy"
    title = "A toy model"
    weight_rule = "sum_to_one"

    [layers.social]
    title = "Social attributes"

    [attributes.networks]
    layer = "social"
    title = "Networks"
    weight = 1.0

    [indicators.membership]
    attribute = "networks"
    indicator = "network_membership_share"
    transformation = "identity"
    weight = 0.5
    source = "Spigel (2017), networks"

    [indicators.survey]
    attribute = "networks"
    user_input = "network_survey"        # a key of [ecosystem.indicators]
    transformation = { kind = "goalpost", lower = 1, upper = 5 }
    weight = 0.5
    source = "Local survey, 5-point scale"
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from ecograph.core.kinds import ActorKind, RelationKind
from ecograph.exceptions import ModelSpecError

__all__ = [
    "SCHEMA_VERSION",
    "AttributeSpec",
    "GoalpostTransform",
    "IdentityTransform",
    "IndicatorSpec",
    "LayerSpec",
    "LogGoalpostTransform",
    "ModelInfo",
    "PresenceTransform",
    "PyramidSpec",
    "SaturatingTransform",
    "ScoringModel",
    "SupplierSpec",
    "Transformation",
    "json_schema",
    "list_models",
    "load_model",
    "model_from_dict",
    "write_json_schema",
]

SCHEMA_VERSION = 1
"""Version of the model file format this ecograph reads."""

_WEIGHT_TOLERANCE = 1e-6
_TRANSFORM_KINDS = frozenset({"identity", "goalpost", "log_goalpost", "saturating", "presence"})


class _Spec(BaseModel):
    """Strict base: unknown keys are errors, numbers must be finite, objects are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# ----------------------------------------------------------------------------- transformations
class IdentityTransform(_Spec):
    """Use the raw value as it is; it must already lie in [0, 1] (a share)."""

    kind: Literal["identity"] = "identity"


class GoalpostTransform(_Spec):
    """Min-max scaling between fixed goalposts, clipped to [0, 1].

    ``(x - lower) / (upper - lower)``, as in the UNDP Human Development Index.
    """

    kind: Literal["goalpost"] = "goalpost"
    lower: float = Field(description="Raw value that maps to 0.")
    upper: float = Field(description="Raw value that maps to 1.")

    @pydantic.model_validator(mode="after")
    def _check_order(self) -> GoalpostTransform:
        if not self.upper > self.lower:
            raise ValueError(f"upper ({self.upper}) must be greater than lower ({self.lower})")
        return self


class LogGoalpostTransform(_Spec):
    """Goalposts on a log scale, clipped to [0, 1].

    ``(ln(1+x) - ln(1+lower)) / (ln(1+upper) - ln(1+lower))``.
    """

    kind: Literal["log_goalpost"] = "log_goalpost"
    lower: float = Field(ge=0, description="Raw value that maps to 0 (>= 0).")
    upper: float = Field(description="Raw value that maps to 1.")

    @pydantic.model_validator(mode="after")
    def _check_order(self) -> LogGoalpostTransform:
        if not self.upper > self.lower:
            raise ValueError(f"upper ({self.upper}) must be greater than lower ({self.lower})")
        return self


class SaturatingTransform(_Spec):
    """Diminishing returns for counts without a natural maximum: ``x / (x + half)``.

    ``half`` is the raw value scored 0.5; 0 scores 0 and the score tends to 1.
    """

    kind: Literal["saturating"] = "saturating"
    half: float = Field(gt=0, description="Raw value that maps to 0.5.")


class PresenceTransform(_Spec):
    """1 when the raw value is positive, else 0 (is there any ...?)."""

    kind: Literal["presence"] = "presence"


Transformation = Annotated[
    IdentityTransform | GoalpostTransform | LogGoalpostTransform | SaturatingTransform
    | PresenceTransform,
    Field(discriminator="kind"),
]
"""How a raw indicator value becomes a normalised value in [0, 1]."""


# ----------------------------------------------------------------------------- model parts
class ModelInfo(_Spec):
    """The ``[model]`` table: identity, citation and the weight rule."""

    name: str = Field(min_length=1, description="Short name, e.g. 'spigel2017'.")
    title: str = Field(min_length=1)
    version: str = Field("1.0.0", description="Version of this model file.")
    description: str | None = None
    references: tuple[str, ...] = Field((), description="Literature the model follows.")
    weight_rule: Literal["sum_to_one", "positive", "equal"] = Field(
        "sum_to_one",
        description=(
            "sum_to_one: indicator weights within each attribute and attribute weights within "
            "each layer sum to 1; positive: any positive weights (omitted = 1), normalised when "
            "scoring; equal: weights must be omitted (all equal)."
        ),
    )


class LayerSpec(_Spec):
    """One layer (Spigel: cultural, social, material)."""

    title: str = Field(min_length=1)
    description: str | None = None


class SupplierSpec(_Spec):
    """Which actors supply an attribute, for the external-supply check.

    The suppliers are every actor whose kind is in ``kinds``, plus every source
    of a relation of a kind in ``relations`` whose target is an organisation
    inside the ecosystem (``external`` false).
    """

    kinds: tuple[ActorKind, ...] = ()
    relations: tuple[RelationKind, ...] = ()


class AttributeSpec(_Spec):
    """One attribute (Spigel) or condition (Miles & Morrison) of a layer."""

    layer: str = Field(min_length=1, description="Key of the layer it belongs to.")
    title: str = Field(min_length=1)
    description: str | None = None
    weight: float | None = Field(None, gt=0, description="Weight within its layer.")
    suppliers: SupplierSpec | None = Field(
        None, description="Actors supplying it; flags attributes supplied only by external actors.")
    note: str | None = Field(None, description="Modelling choice, e.g. a layer assignment.")


class IndicatorSpec(_Spec):
    """One indicator of an attribute: either a registered indicator or a user-supplied value."""

    attribute: str = Field(min_length=1, description="Key of the attribute it measures.")
    indicator: str | None = Field(
        None, description="Name of a registered indicator (ecograph.scoring.indicators).")
    user_input: str | None = Field(
        None, description="Key of [ecosystem.indicators] in ecosystem.toml holding the value.")
    params: dict[str, float | int | str | bool | tuple[str, ...]] = Field(
        default_factory=dict, description="Keyword arguments of the registered indicator.")
    direction: Literal["positive", "negative"] = Field(
        "positive", description="negative: a high raw value is bad (normalised is 1 - t(x)).")
    transformation: Transformation = Field(default_factory=IdentityTransform)
    weight: float | None = Field(None, gt=0, description="Weight within its attribute.")
    required: bool = Field(False, description="A missing value is an error whatever the policy.")
    source: str = Field(min_length=1, description="Literature or data source of the indicator.")
    description: str | None = None

    @field_validator("transformation", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"kind": value}
        return value

    @pydantic.model_validator(mode="after")
    def _one_input(self) -> IndicatorSpec:
        if (self.indicator is None) == (self.user_input is None):
            raise ValueError("give exactly one of 'indicator' (a registered indicator) or "
                             "'user_input' (a key of [ecosystem.indicators])")
        if self.user_input is not None and self.params:
            raise ValueError("'params' only applies to registered indicators, not to 'user_input'")
        return self


class PyramidSpec(_Spec):
    """The thesis's pyramid: the first layer is the base that supports the others."""

    order: tuple[str, ...] = Field(min_length=2, description="Layer keys from base to top.")
    tolerance: float = Field(0.0, ge=0, description="Allowed shortfall of the lower layer.")


class ScoringModel(_Spec):
    """A declarative scoring model (one ``models/*.toml`` file).

    Build it with :func:`load_model`, which also runs the cross-checks that
    pydantic cannot (unknown layer, attribute or indicator, the weight rule).

    Examples
    --------
    >>> m = load_model("spigel2017")
    >>> list(m.layers)
    ['cultural', 'social', 'material']
    >>> len(m.attributes)
    11
    """

    schema_version: Literal[1] = Field(description="Format version; this ecograph reads 1.")
    model: ModelInfo
    layers: dict[str, LayerSpec] = Field(min_length=1)
    attributes: dict[str, AttributeSpec] = Field(min_length=1)
    indicators: dict[str, IndicatorSpec] = Field(min_length=1)
    pyramid: PyramidSpec | None = None

    _source: str = PrivateAttr(default="<model>")

    @property
    def source(self) -> str:
        """The file the model was read from (``"<model>"`` when built in Python)."""
        return self._source

    def attributes_of(self, layer: str) -> list[str]:
        """Attribute keys of ``layer``, in file order."""
        return [k for k, a in self.attributes.items() if a.layer == layer]

    def indicators_of(self, attribute: str) -> list[str]:
        """Indicator ids of ``attribute``, in file order."""
        return [k for k, i in self.indicators.items() if i.attribute == attribute]

    def indicator_weights(self) -> dict[str, float]:
        """Declared weight of each indicator within its attribute (1.0 when omitted)."""
        return {k: (1.0 if i.weight is None else i.weight) for k, i in self.indicators.items()}

    def attribute_weights(self) -> dict[str, float]:
        """Declared weight of each attribute within its layer (1.0 when omitted)."""
        return {k: (1.0 if a.weight is None else a.weight) for k, a in self.attributes.items()}

    def groups(self) -> dict[str, list[str]]:
        """Attribute -> its indicator ids: the ``groups`` argument of :func:`ecograph.ee_index`.

        Examples
        --------
        >>> load_model("spigel2017").groups()["universities"]
        ['knowledge_institutions', 'knowledge_reach', 'knowledge_link_share']
        """
        return {a: self.indicators_of(a) for a in self.attributes}

    def element_weights(self) -> dict[str, float]:
        """Weight of each attribute in the whole model: layers count equally.

        ``w_a / sum(w of the attributes of its layer) / number of layers``; sums to 1.
        This is the ``weights`` argument of :func:`ecograph.ee_index` and
        :func:`ecograph.score_uncertainty` when attributes are the elements.
        """
        aw = self.attribute_weights()
        out: dict[str, float] = {}
        for layer in self.layers:
            members = self.attributes_of(layer)
            total = sum(aw[a] for a in members)
            for a in members:
                out[a] = aw[a] / total / len(self.layers)
        return out


# ----------------------------------------------------------------------------- loading
def _model_error(source: str, problems: list[tuple[str, str]]) -> ModelSpecError:
    lines = [f"{source}: key '{key}': {msg}" for key, msg in problems]
    if len(lines) == 1:
        return ModelSpecError(lines[0])
    return ModelSpecError(f"invalid scoring model {source}: {len(lines)} problem(s)\n"
                          + "\n".join(f"  - {line}" for line in lines))


def _loc_key(loc: tuple[Any, ...]) -> str:
    parts = []
    for p in loc:
        text = str(p)
        # pydantic adds the discriminator tag / function name for unions; drop those segments
        if text in _TRANSFORM_KINDS or "[" in text:
            continue
        parts.append(text)
    return ".".join(parts) or "<root>"


def _cross_check(m: ScoringModel) -> list[tuple[str, str]]:
    """Checks across tables: references, registry names, parameters, weights."""
    from ecograph.scoring.indicators import INDICATORS

    problems: list[tuple[str, str]] = []
    for key, attr in m.attributes.items():
        if attr.layer not in m.layers:
            problems.append((f"attributes.{key}.layer",
                             f"unknown layer {attr.layer!r}; expected one of {sorted(m.layers)}"))
    for key, ind in m.indicators.items():
        if ind.attribute not in m.attributes:
            problems.append((f"indicators.{key}.attribute",
                             f"unknown attribute {ind.attribute!r}; expected one of "
                             f"{sorted(m.attributes)}"))
        if ind.indicator is not None:
            reg = INDICATORS.get(ind.indicator)
            if reg is None:
                problems.append((f"indicators.{key}.indicator",
                                 f"unknown indicator {ind.indicator!r}; registered indicators are "
                                 f"{sorted(INDICATORS)}"))
            else:
                for pname in ind.params:
                    if pname not in reg.params:
                        problems.append((f"indicators.{key}.params.{pname}",
                                         f"indicator {ind.indicator!r} has no parameter {pname!r}; "
                                         f"it takes {sorted(reg.params) or 'none'}"))
    for layer in m.layers:
        if not m.attributes_of(layer):
            problems.append((f"layers.{layer}", "layer has no attributes"))
    for attr_key in m.attributes:
        if not m.indicators_of(attr_key):
            problems.append((f"attributes.{attr_key}", "attribute has no indicators"))
    if m.pyramid is not None:
        for i, layer in enumerate(m.pyramid.order):
            if layer not in m.layers:
                problems.append((f"pyramid.order.{i}",
                                 f"unknown layer {layer!r}; expected one of {sorted(m.layers)}"))
        if len(set(m.pyramid.order)) != len(m.pyramid.order):
            problems.append(("pyramid.order", "a layer appears twice"))
    problems += _check_weights(m)
    return problems


def _check_weights(m: ScoringModel) -> list[tuple[str, str]]:
    rule = m.model.weight_rule
    problems: list[tuple[str, str]] = []
    groups: list[tuple[str, str, dict[str, float | None]]] = []
    for attr_key in m.attributes:
        groups.append((f"attribute {attr_key!r}", "indicators",
                       {k: m.indicators[k].weight for k in m.indicators_of(attr_key)}))
    for layer in m.layers:
        groups.append((f"layer {layer!r}", "attributes",
                       {k: m.attributes[k].weight for k in m.attributes_of(layer)}))
    for owner, table, weights in groups:
        if not weights:
            continue
        given = {k: w for k, w in weights.items() if w is not None}
        if rule == "equal":
            for k in given:
                problems.append((f"{table}.{k}.weight",
                                 "weight_rule 'equal' does not allow explicit weights; remove it "
                                 "or use weight_rule 'positive'"))
        elif rule == "sum_to_one":
            omitted = [k for k in weights if weights[k] is None]
            for k in omitted:
                problems.append((f"{table}.{k}.weight",
                                 f"weight_rule 'sum_to_one' needs a weight (the weights of "
                                 f"{owner} must sum to 1)"))
            if not omitted:
                total = math.fsum(given.values())
                if abs(total - 1.0) > _WEIGHT_TOLERANCE:
                    keys = ", ".join(f"{table}.{k}.weight" for k in weights)
                    problems.append((keys, f"weights of {owner} sum to {total:.6g}; weight_rule "
                                           "'sum_to_one' needs 1"))
    return problems


def _resolve(name_or_path: str | Path) -> Path:
    from ecograph.datasets import models_path

    path = Path(name_or_path)
    if path.suffix == ".toml" or path.is_file() or len(path.parts) > 1:
        if not path.exists():
            raise ModelSpecError(f"{path}: scoring model file not found")
        if not path.is_file():
            raise ModelSpecError(f"{path}: is not a file; expected a scoring model .toml file")
        return path
    try:
        folder = models_path()
    except FileNotFoundError as exc:  # pragma: no cover - broken installation
        raise ModelSpecError(f"shipped scoring models not found: {exc}") from exc
    candidate = folder / f"{name_or_path}.toml"
    if not candidate.exists():
        raise ModelSpecError(f"unknown scoring model {str(name_or_path)!r}; shipped models are "
                             f"{list_models()} (or give the path of a .toml file)")
    return candidate


def list_models() -> list[str]:
    """Names of the shipped scoring models.

    Returns
    -------
    list of str
        The stems of the ``*.toml`` files in :func:`ecograph.datasets.models_path`,
        sorted; each can be passed to :func:`load_model`.

    Examples
    --------
    >>> list_models()
    ['miles_morrison2018', 'spigel2017']
    """
    from ecograph.datasets import models_path

    return sorted(p.stem for p in models_path().glob("*.toml"))


def model_from_dict(doc: Mapping[str, Any], source: str = "<model>") -> ScoringModel:
    """Validate a parsed model document (the TOML as a dict).

    Parameters
    ----------
    doc : mapping
        The document, as ``tomllib`` returns it.
    source : str
        File name used in error messages.

    Returns
    -------
    ScoringModel

    Raises
    ------
    ModelSpecError
        Naming ``source`` and the key of every problem (see :func:`load_model`).

    Examples
    --------
    >>> m = load_model("spigel2017")
    >>> model_from_dict(m.model_dump(mode="json"), source="copy").source
    'copy'
    >>> model_from_dict({"schema_version": 1})
    Traceback (most recent call last):
    ...
    ecograph.exceptions.ModelSpecError: invalid scoring model <model>: 4 problem(s)
    ...
    """
    version = doc.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        raise _model_error(source, [("schema_version", f"unsupported schema version {version!r}; "
                                                       f"this ecograph reads {SCHEMA_VERSION}")])
    try:
        model = ScoringModel.model_validate(dict(doc))
    except pydantic.ValidationError as exc:
        problems = [(_loc_key(err["loc"]), err["msg"] + (
            f" (got {err['input']!r})" if err["type"] not in {"missing", "extra_forbidden"}
            and not isinstance(err.get("input"), dict) else ""))
            for err in exc.errors(include_url=False)]
        raise _model_error(source, problems) from None
    problems = _cross_check(model)
    if problems:
        raise _model_error(source, problems)
    model._source = source
    return model


def load_model(name_or_path: str | Path | ScoringModel) -> ScoringModel:
    """Read and validate a declarative scoring model.

    Parameters
    ----------
    name_or_path : str, Path or ScoringModel
        The name of a shipped model (``"spigel2017"``, ``"miles_morrison2018"``;
        see :func:`list_models`), or the path of a ``.toml`` file. A
        :class:`ScoringModel` is returned unchanged.

    Returns
    -------
    ScoringModel

    Raises
    ------
    ModelSpecError
        Naming the file and the key: unreadable TOML, an unknown key, a value
        of the wrong type, an unknown layer, attribute or indicator, an unknown
        indicator parameter, or weights that break the declared ``weight_rule``.
        Every problem of the file is listed, not only the first.

    Notes
    -----
    Shipped models are found with :func:`ecograph.datasets.models_path`, so
    they work from a source checkout and from an installed wheel. Indicators
    that need an input the ecosystem does not have (e.g. a ``user_input`` key
    missing from ``ecosystem.toml``) are checked when scoring, not here.

    Examples
    --------
    >>> m = load_model("miles_morrison2018")
    >>> m.model.name, list(m.layers)
    ('miles_morrison2018', ['framework', 'systemic'])
    """
    if isinstance(name_or_path, ScoringModel):
        return name_or_path
    from ecograph.datasets import _read_model_toml

    path = _resolve(name_or_path)
    return model_from_dict(_read_model_toml(path), str(path))


# ----------------------------------------------------------------------------- JSON Schema
def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scoring-model format.

    Returns
    -------
    dict
        ``ScoringModel.model_json_schema()`` with ``$schema`` set to draft 2020-12.

    Notes
    -----
    The shipped copy, ``models/schema/scoring-model.schema.json``, is compared
    with this function by the test suite; editors that understand JSON Schema
    (via a TOML language server) can use it to check model files as they are
    written.

    Examples
    --------
    >>> json_schema()["title"]
    'ScoringModel'
    """
    schema = ScoringModel.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def write_json_schema(path: str | Path | None = None) -> Path:
    """Write :func:`json_schema` to ``models/schema/scoring-model.schema.json``.

    Parameters
    ----------
    path : str or Path, optional
        Target file; default ``<models folder>/schema/scoring-model.schema.json``.

    Returns
    -------
    Path
        The file written (sorted keys, two-space indent, trailing newline).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> out = write_json_schema(pathlib.Path(tempfile.mkdtemp()) / "s.json")
    >>> json.loads(out.read_text(encoding="utf-8"))["title"]
    'ScoringModel'
    """
    from ecograph.datasets import models_path

    default = models_path() / "schema" / "scoring-model.schema.json"
    target = Path(path) if path is not None else default
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    target.write_text(text, encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover - the export script
    print(write_json_schema())
