"""Declarative co-opetition models: the placement typology and the inference weights.

Two kinds of TOML file live in ``models/coopetition/``:

* a **placement model** (``luo2007.toml``, the default): the thresholds that
  split competitor and partner intensity into *high* and *low*, the four
  categories of the 2 x 2 grid, how an organisation's dyads are aggregated
  into its own position, and the diversity grid (number of rivals x number
  of markets);
* an **inference model** (``inference.toml``, the default): how candidate
  pairs are found (blocking keys), and which features with which weights
  produce an inferred competitor and partner intensity.

Both are parsed into frozen pydantic models (:class:`PlacementModel`,
:class:`InferenceModel`). Every problem in a file is raised as one
:class:`~ecograph.exceptions.ModelSpecError` whose message names the file and
the dotted key (``thresholds.competitor.value``) of each problem.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ecograph.exceptions import ModelSpecError

__all__ = [
    "COMPETITOR_FEATURES",
    "NACE_LEVELS",
    "PARTNER_FEATURES",
    "ActorAggregation",
    "CandidateSpec",
    "Cell",
    "CompetitorSpec",
    "DiversityCell",
    "DiversitySpec",
    "InferenceModel",
    "IntensityThresholds",
    "PartnerSpec",
    "PlacementModel",
    "Threshold",
    "load_coopetition_model",
    "load_inference_model",
    "resolve_thresholds",
    "shipped_models",
]

Level = Literal["high", "low"]
NaceLevel = Literal["division", "group", "class", "subclass"]
CompetitorFeature = Literal["industry", "area", "size"]
PartnerFeature = Literal["shared_persons", "joint_membership", "supply", "support", "shared_owners"]

NACE_LEVELS: Final[dict[str, int]] = {"division": 2, "group": 4, "class": 5, "subclass": 6}
"""NACE / SN2007 level -> length of its code prefix (``"55"``, ``"55.1"``, ``"55.10"``, ...)."""

COMPETITOR_FEATURES: Final[tuple[str, ...]] = ("industry", "area", "size")
"""Features of inferred competitor intensity (market commonality and resource similarity)."""

PARTNER_FEATURES: Final[tuple[str, ...]] = (
    "shared_persons", "joint_membership", "supply", "support", "shared_owners",
)
"""Features of inferred partner intensity (ties that carry cooperation)."""

_WEIGHT_TOLERANCE = 1e-9


class _Spec(BaseModel):
    """Strict configuration: unknown keys are errors, no NaN, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- thresholds
class Threshold(_Spec):
    """How one axis is split into *low* and *high*.

    The boundary rule is the same for every method: a value **greater than or
    equal to** the threshold is *high*, a smaller value is *low*.

    Attributes
    ----------
    method : {"fixed", "median", "quantile"}
        ``fixed`` uses ``value``; ``quantile`` the ``q``-quantile of the
        observed values; ``median`` is ``quantile`` with ``q = 0.5``.
    value : float, optional
        The fixed threshold.
    q : float, optional
        Quantile level in (0, 1) for ``method = "quantile"``.

    Notes
    -----
    Quantiles are taken on the observed (non-missing) values ``x`` sorted as
    ``x_(0) <= ... <= x_(n-1)``: the threshold is ``x_(k)`` with
    ``k = floor(q * n)``. With distinct values exactly the ``k`` smallest
    values are *low* and the rest *high*; tied values share a side (ties at
    the threshold go *high*). Because the threshold is an observed value
    chosen by rank, any strictly increasing rescaling of the values leaves
    every low/high assignment unchanged. The median split is
    ``k = floor(n / 2)``: with an even ``n`` the upper half is *high*, with an
    odd ``n`` the middle value is *high* too. With no observed value the
    threshold is NaN.

    Examples
    --------
    >>> Threshold(method="fixed", value=0.5).resolve([0.1, 0.9])
    0.5
    >>> Threshold(method="median").resolve([0.4, 0.1, 0.3, 0.2])
    0.3
    >>> Threshold(method="quantile", q=0.75).resolve([1, 2, 3, 4])
    4.0
    """

    method: Literal["fixed", "median", "quantile"] = "fixed"
    value: float | None = None
    q: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None

    @model_validator(mode="after")
    def _check_method(self) -> Threshold:
        if self.method == "fixed" and (self.value is None or self.q is not None):
            raise ValueError("method 'fixed' needs 'value' (and no 'q')")
        if self.method == "quantile" and (self.q is None or self.value is not None):
            raise ValueError("method 'quantile' needs 'q' in (0, 1) (and no 'value')")
        if self.method == "median" and (self.q is not None or self.value is not None):
            raise ValueError("method 'median' takes neither 'value' nor 'q'")
        return self

    def resolve(self, values: Any = ()) -> float:
        """The threshold for these observed values (ignored by ``fixed``).

        Parameters
        ----------
        values : array-like of float
            Observed values of the axis; NaN are ignored.

        Returns
        -------
        float
        """
        if self.method == "fixed":
            return float(self.value)  # type: ignore[arg-type]
        q = 0.5 if self.method == "median" else float(self.q)  # type: ignore[arg-type]
        x = np.asarray(values, dtype="float64")
        x = np.sort(x[~np.isnan(x)])
        if len(x) == 0:
            return math.nan
        k = min(math.floor(q * len(x) + 1e-9), len(x) - 1)
        return float(x[k])

    def describe(self) -> str:
        """One-word description: ``fixed``, ``median`` or ``quantile(0.75)``."""
        if self.method == "quantile":
            return f"quantile({self.q:g})"
        return self.method


ThresholdInput = float | int | str | Threshold | Mapping[str, Any]


def _as_threshold(spec: ThresholdInput, where: str) -> Threshold:
    if isinstance(spec, Threshold):
        return spec
    if isinstance(spec, bool):
        raise ModelSpecError(f"thresholds argument: key 'thresholds.{where}': expected a "
                             f"number, 'median' or a table, got {spec!r}")
    if isinstance(spec, int | float):
        return Threshold(method="fixed", value=float(spec))
    if isinstance(spec, str):
        if spec == "median":
            return Threshold(method="median")
        raise ModelSpecError(
            f"thresholds argument: key 'thresholds.{where}': unknown threshold {spec!r}; "
            "expected a number, 'median' "
            "or a table such as {'method': 'quantile', 'q': 0.75}")
    if isinstance(spec, Mapping):
        try:
            return Threshold.model_validate(dict(spec))
        except ValidationError as exc:
            raise ModelSpecError(_render_errors("thresholds argument", exc,
                                                prefix=f"thresholds.{where}")) from None
    raise ModelSpecError(f"thresholds argument: key 'thresholds.{where}': unsupported "
                         f"threshold {spec!r}")


class IntensityThresholds(_Spec):
    """Thresholds of the two intensity axes (each in [0, 1] when fixed)."""

    competitor: Threshold = Threshold(method="fixed", value=0.5)
    partner: Threshold = Threshold(method="fixed", value=0.5)

    @field_validator("competitor", "partner")
    @classmethod
    def _check_range(cls, t: Threshold) -> Threshold:
        if t.method == "fixed" and not 0.0 <= float(t.value) <= 1.0:  # type: ignore[arg-type]
            raise ValueError(f"a fixed intensity threshold must lie in [0, 1], got {t.value}")
        return t


def resolve_thresholds(
    model: PlacementModel, thresholds: ThresholdInput | Mapping[str, ThresholdInput] | None
) -> IntensityThresholds:
    """Combine the model's thresholds with a user override.

    Parameters
    ----------
    model : PlacementModel
    thresholds : float, "median", Threshold, mapping or None
        ``None`` keeps the model's thresholds. A number, ``"median"``, a
        :class:`Threshold` or a threshold table (``{"method": "quantile",
        "q": 0.75}``) applies to both axes. A mapping with keys
        ``competitor`` and/or ``partner`` overrides each axis separately.

    Returns
    -------
    IntensityThresholds

    Raises
    ------
    ModelSpecError
        When an override is malformed.

    Examples
    --------
    >>> m = load_coopetition_model()
    >>> resolve_thresholds(m, {"partner": 0.7}).partner.value
    0.7
    >>> resolve_thresholds(m, "median").competitor.method
    'median'
    """
    base = model.thresholds
    if thresholds is None:
        return base
    if isinstance(thresholds, Mapping) and thresholds and set(thresholds) <= {"competitor",
                                                                               "partner"}:
        comp = thresholds.get("competitor")
        part = thresholds.get("partner")
        update = {
            "competitor": base.competitor if comp is None else _as_threshold(comp, "competitor"),
            "partner": base.partner if part is None else _as_threshold(part, "partner"),
        }
    else:
        t = _as_threshold(thresholds, "competitor/partner")  # type: ignore[arg-type]
        update = {"competitor": t, "partner": t}
    try:
        return IntensityThresholds.model_validate(update)
    except ValidationError as exc:
        raise ModelSpecError(_render_errors("thresholds argument", exc,
                                            prefix="thresholds")) from None


# --------------------------------------------------------------------------- placement model
class Cell(_Spec):
    """One category of the intensity grid.

    Attributes
    ----------
    competitor, partner : {"high", "low"}
        The cell.
    label : str, optional
        A neutral short label (``"HC-LP"``).
    description : str
    """

    competitor: Level
    partner: Level
    label: str | None = None
    description: str = ""


class DiversityCell(_Spec):
    """One position of the diversity grid (number of rivals x number of markets)."""

    rivals: Level
    markets: Level
    description: str = ""


class DiversitySpec(_Spec):
    """Luo's diversity grid.

    Attributes
    ----------
    market : str
        What a *market* is: an actor column (``municipality``, default) or a
        NACE level (``nace_division``, ``nace_group``, ``nace_class``,
        ``nace_subclass``).
    rivals, markets : Threshold
        Splits of the two counts (``>=`` threshold is *many* = high).
    rival_categories : tuple of str, optional
        Dyad categories counted as co-opetitive rivals; ``None`` counts
        every dyad.
    positions : dict of str to DiversityCell
        The four positions; must cover the grid exactly once.
    note : str
        Free text (e.g. what could not be verified).
    """

    market: str = "municipality"
    rivals: Threshold = Threshold(method="fixed", value=3)
    markets: Threshold = Threshold(method="fixed", value=2)
    rival_categories: tuple[str, ...] | None = None
    positions: dict[str, DiversityCell]
    note: str = ""

    @field_validator("positions")
    @classmethod
    def _check_grid(cls, positions: dict[str, DiversityCell]) -> dict[str, DiversityCell]:
        cells = [(c.rivals, c.markets) for c in positions.values()]
        if sorted(cells) != sorted((r, m) for r in ("high", "low") for m in ("high", "low")):
            raise ValueError("positions must cover each (rivals, markets) cell exactly once; "
                             f"got {dict(zip(positions, cells, strict=True))}")
        return positions

    def position_of(self, rivals_high: bool, markets_high: bool) -> str:
        """Name of the position of a (rivals, markets) cell."""
        want = ("high" if rivals_high else "low", "high" if markets_high else "low")
        for name, cell in self.positions.items():
            if (cell.rivals, cell.markets) == want:
                return name
        raise AssertionError("unreachable: the grid is validated")  # pragma: no cover


class ActorAggregation(_Spec):
    """How an organisation's dyads are combined into its own position."""

    aggregate: Literal["mean", "median", "max"] = "mean"


class PlacementModel(_Spec):
    """A co-opetition placement model (e.g. ``models/coopetition/luo2007.toml``).

    Attributes
    ----------
    schema_version : int
        Always 1.
    name, title, description : str
    references : tuple of str
    thresholds : IntensityThresholds
        Splits of competitor and partner intensity.
    categories : dict of str to Cell
        The four categories; must cover the 2 x 2 grid exactly once.
    same_industry_level : {"division", "group", "class", "subclass"}
        NACE level at which two organisations count as the *same industry*
        in :func:`~ecograph.analysis.coopetition.coopetition_summary`.
    actor : ActorAggregation
    diversity : DiversitySpec
    source : str, optional
        The file it was read from (set by the loader).
    """

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    references: tuple[str, ...] = ()
    thresholds: IntensityThresholds = IntensityThresholds()
    categories: dict[str, Cell]
    same_industry_level: NaceLevel = "division"
    actor: ActorAggregation = ActorAggregation()
    diversity: DiversitySpec
    source: str | None = None

    @field_validator("categories")
    @classmethod
    def _check_grid(cls, categories: dict[str, Cell]) -> dict[str, Cell]:
        cells = [(c.competitor, c.partner) for c in categories.values()]
        if sorted(cells) != sorted((c, p) for c in ("high", "low") for p in ("high", "low")):
            raise ValueError("categories must cover each (competitor, partner) cell exactly once; "
                             f"got {dict(zip(categories, cells, strict=True))}")
        return categories

    @model_validator(mode="after")
    def _check_rival_categories(self) -> PlacementModel:
        unknown = [c for c in (self.diversity.rival_categories or ()) if c not in self.categories]
        if unknown:
            raise ValueError(f"diversity.rival_categories names unknown categories {unknown}; "
                             f"expected some of {list(self.categories)}")
        return self

    def category_of(self, competitor_high: bool, partner_high: bool) -> str:
        """Name of the category of a (competitor, partner) cell.

        Examples
        --------
        >>> load_coopetition_model().category_of(True, False)
        'contending'
        """
        want = ("high" if competitor_high else "low", "high" if partner_high else "low")
        for name, cell in self.categories.items():
            if (cell.competitor, cell.partner) == want:
                return name
        raise AssertionError("unreachable: the grid is validated")  # pragma: no cover


# --------------------------------------------------------------------------- inference model
class CandidateSpec(_Spec):
    """How candidate competitor pairs are generated (blocking).

    Attributes
    ----------
    kinds : tuple of str
        Actor kinds that can be competitors.
    blocks : tuple of tuple of str
        Each inner tuple is one blocking rule: two organisations are a
        candidate pair when they agree (non-missing, equal) on every key of
        at least one rule. Keys are actor columns or NACE levels
        (``nace_division``, ``nace_group``, ``nace_class``, ``nace_subclass``).
    max_block_size : int
        A block larger than this is split by the next level of ``refine``.
    refine : tuple of str
        NACE levels used, in turn, to split oversize blocks. A block still
        too large after the last level is skipped with a warning.
    """

    kinds: tuple[str, ...] = ("firm", "cooperative")
    blocks: tuple[tuple[str, ...], ...] = (("nace_division", "municipality"),)
    max_block_size: int = Field(1000, ge=2)
    refine: tuple[NaceLevel, ...] = ("group", "class", "subclass")

    @model_validator(mode="after")
    def _check(self) -> CandidateSpec:
        from ecograph.core.kinds import ORGANISATION_KINDS

        bad = [k for k in self.kinds if k not in ORGANISATION_KINDS]
        if bad:
            raise ValueError(f"kinds {bad} are not organisation kinds {list(ORGANISATION_KINDS)}")
        if not self.blocks or any(len(b) == 0 for b in self.blocks):
            raise ValueError("blocks needs at least one non-empty list of keys")
        return self


class CompetitorSpec(_Spec):
    """Features and weights of inferred competitor intensity.

    Attributes
    ----------
    weights : dict
        Weight of ``industry``, ``area`` and ``size`` (each >= 0, sum in (0, 1]).
    industry_levels : dict
        Score of the deepest NACE level two organisations share (in [0, 1]).
    area_column : str
        Actor column that defines a market area (default ``municipality``).
    size_column : str
        Numeric actor column used for size similarity (default ``employees``).
    """

    weights: dict[CompetitorFeature, Annotated[float, Field(ge=0.0)]]
    industry_levels: dict[NaceLevel, Annotated[float, Field(ge=0.0, le=1.0)]] = {
        "class": 1.0, "group": 0.5, "division": 0.1,
    }
    area_column: str = "municipality"
    size_column: str = "employees"

    @field_validator("weights")
    @classmethod
    def _check_sum(cls, weights: dict[CompetitorFeature, float]) -> dict[CompetitorFeature, float]:
        _check_weight_sum(weights)
        return weights


class PartnerSpec(_Spec):
    """Features and weights of inferred partner intensity.

    Attributes
    ----------
    weights : dict
        Weight of ``shared_persons``, ``joint_membership``, ``supply``,
        ``support`` and ``shared_owners`` (each >= 0, sum in (0, 1]).
    saturation : dict
        Count at which a feature reaches 1 (``min(count / saturation, 1)``);
        default 1 for every feature.
    person_kinds : tuple of str
        Relation kinds that make a person *shared* (``board_seat``, ``management``).
    """

    weights: dict[PartnerFeature, Annotated[float, Field(ge=0.0)]]
    saturation: dict[PartnerFeature, Annotated[float, Field(gt=0.0)]] = {}
    person_kinds: tuple[Literal["board_seat", "management"], ...] = ("board_seat", "management")

    @field_validator("weights")
    @classmethod
    def _check_sum(cls, weights: dict[PartnerFeature, float]) -> dict[PartnerFeature, float]:
        _check_weight_sum(weights)
        return weights

    @field_validator("person_kinds")
    @classmethod
    def _check_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        if not kinds:
            raise ValueError("person_kinds needs at least one of 'board_seat', 'management'")
        return kinds

    def saturation_of(self, feature: str) -> float:
        """Saturation count of a feature (1 when not given)."""
        return float(self.saturation.get(feature, 1.0))  # type: ignore[call-overload]


class InferenceModel(_Spec):
    """A co-opetition inference model (e.g. ``models/coopetition/inference.toml``).

    Attributes
    ----------
    schema_version : int
        Always 1.
    name, title, description : str
    references : tuple of str
    candidates : CandidateSpec
    competitor : CompetitorSpec
    partner : PartnerSpec
    min_competitor : float
        Inferred candidate pairs (without a stated relation) whose inferred
        competitor intensity is below this are dropped.
    source : str, optional
        The file it was read from (set by the loader).
    """

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    references: tuple[str, ...] = ()
    candidates: CandidateSpec = CandidateSpec()
    competitor: CompetitorSpec
    partner: PartnerSpec
    min_competitor: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    source: str | None = None


def _check_weight_sum(weights: Mapping[Any, float]) -> None:
    total = float(sum(weights.values()))
    if not 0.0 < total <= 1.0 + _WEIGHT_TOLERANCE:
        raise ValueError(f"weights must sum to a value in (0, 1] so intensities stay in [0, 1]; "
                         f"they sum to {total:g}")


# --------------------------------------------------------------------------- loading
def _models_dir() -> Path:
    from ecograph.datasets import models_path

    return models_path() / "coopetition"


def shipped_models() -> list[str]:
    """Names of the shipped co-opetition model files.

    Examples
    --------
    >>> "luo2007" in shipped_models() and "inference" in shipped_models()
    True
    """
    try:
        folder = _models_dir()
    except FileNotFoundError:  # pragma: no cover - broken installation
        return []
    return sorted(p.stem for p in folder.glob("*.toml"))


def _render_errors(file: str, exc: ValidationError, prefix: str | None = None) -> str:
    lines = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if p != "[key]"]
        if prefix:
            loc = [prefix, *loc]
        key = ".".join(loc) if loc else "<top level>"
        msg = err["msg"]
        value = err.get("input")
        text = f"{file}: key '{key}': {msg}"
        if err["type"] != "missing" and not isinstance(value, dict | BaseModel):
            text += f" (got {value!r})"
        lines.append(text)
    return "\n".join(lines)


M = TypeVar("M", PlacementModel, InferenceModel)


def _load(cls: type[M], model: str | Path | M | Mapping[str, Any] | None, default: str) -> M:
    if isinstance(model, cls):
        return model
    if isinstance(model, BaseModel):
        raise ModelSpecError(f"expected a {cls.__name__}, got a {type(model).__name__}")
    if isinstance(model, Mapping):
        return _validate(cls, dict(model), "<mapping>")
    path = _model_file(default if model is None else model)
    loaded: M = _load_file(cls, str(path), path.stat().st_mtime_ns)
    return loaded


def _validate(cls: type[M], data: dict[str, Any], label: str) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise ModelSpecError(_render_errors(label, exc)) from None


@functools.lru_cache(maxsize=64)
def _load_file(cls: type[M], path: str, mtime_ns: int) -> M:
    """Parse and validate a model file; cached per (class, path, modification time)."""
    from ecograph.datasets import _read_model_toml

    data = _read_model_toml(Path(path))
    data["source"] = path
    return _validate(cls, data, path)


def _model_file(model: str | Path) -> Path:
    text = str(model)
    bare = "/" not in text and "\\" not in text and not text.endswith(".toml")
    if isinstance(model, str) and bare:
        try:
            path = _models_dir() / f"{text}.toml"
        except FileNotFoundError:  # pragma: no cover - broken installation
            path = Path(f"{text}.toml")
        if not path.exists():
            raise ModelSpecError(f"no shipped co-opetition model {text!r}; expected one of "
                                 f"{shipped_models()} or a path to a .toml file")
        return path
    path = Path(model)
    if not path.exists():
        raise ModelSpecError(f"{path}: co-opetition model file not found")
    return path


def load_coopetition_model(
    model: str | Path | PlacementModel | Mapping[str, Any] | None = None,
) -> PlacementModel:
    """Load and validate a co-opetition placement model.

    Parameters
    ----------
    model : str, Path, PlacementModel, mapping or None
        ``None`` loads the default ``luo2007``; a bare name loads a shipped
        model from ``models/coopetition/``; a path loads that TOML file; a
        mapping is validated as the parsed content of a file; a
        :class:`PlacementModel` is returned unchanged.

    Returns
    -------
    PlacementModel

    Raises
    ------
    ModelSpecError
        When the file is missing, is not valid TOML, or breaks the schema;
        the message names the file and the dotted key of every problem.

    Notes
    -----
    The file format is documented in ``docs/analysis/coopetition.md``; the
    JSON Schema is ``models/coopetition/placement.schema.json``.

    References
    ----------
    .. [1] Luo, Y. (2007). A coopetition perspective of global competition.
       *Journal of World Business* 42(2), 129-144.

    Examples
    --------
    >>> m = load_coopetition_model()
    >>> m.name, sorted(m.categories)
    ('luo2007', ['adapting', 'contending', 'isolating', 'partnering'])
    >>> spec = m.model_dump(exclude={"source"})
    >>> spec["thresholds"]["competitor"] = {"method": "fixed", "value": 1.5}
    >>> load_coopetition_model(spec)
    Traceback (most recent call last):
    ...
    ecograph.exceptions.ModelSpecError: <mapping>: key 'thresholds.competitor': Value error, a
    fixed intensity threshold must lie in [0, 1], got 1.5
    """
    return _load(PlacementModel, model, "luo2007")


def load_inference_model(
    model: str | Path | InferenceModel | Mapping[str, Any] | None = None,
) -> InferenceModel:
    """Load and validate a co-opetition inference model.

    Parameters
    ----------
    model : str, Path, InferenceModel, mapping or None
        ``None`` loads the default ``inference``; a bare name loads a
        shipped model from ``models/coopetition/``; a path loads that TOML
        file; a mapping is validated as the parsed content of a file.

    Returns
    -------
    InferenceModel

    Raises
    ------
    ModelSpecError
        When the file is missing, is not valid TOML, or breaks the schema;
        the message names the file and the dotted key of every problem.

    Notes
    -----
    Weights of each axis must be non-negative and sum to at most 1, so that
    every inferred intensity lies in [0, 1]. The JSON Schema is
    ``models/coopetition/inference.schema.json``.

    References
    ----------
    .. [1] Chen, M.-J. (1996). Competitor analysis and interfirm rivalry:
       toward a theoretical integration. *Academy of Management Review*
       21(1), 100-134.

    Examples
    --------
    >>> m = load_inference_model()
    >>> round(sum(m.competitor.weights.values()), 6), round(sum(m.partner.weights.values()), 6)
    (1.0, 1.0)
    """
    return _load(InferenceModel, model, "inference")
