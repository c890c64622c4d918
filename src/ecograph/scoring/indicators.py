"""The registry of named indicators a scoring model can use.

Three families:

* **attribute-derived** indicators count and share actors and relations from
  the ecosystem's frames (support organisations, knowledge institutions,
  micro-firm share, firm age, funding, support functions, memberships, ...);
* **graph-derived** indicators read the thin-and-dense profile, the
  reachability table and the co-opetition summary through their public names
  (:func:`ecograph.thin_dense_profile`, :func:`ecograph.reachability`,
  :func:`ecograph.coopetition_summary`), imported lazily and computed once per
  scoring call;
* **user-supplied** values come from ``[ecosystem.indicators]`` in
  ``ecosystem.toml`` (survey results, register statistics); a model refers to
  them with ``user_input = "key"`` and they need no registration.

Conventions shared by every built-in indicator:

* *inside* the ecosystem means ``external`` is false; external actors only
  count where the definition says so;
* *enterprises* are actors of kind ``firm`` or ``cooperative`` (the ``kinds``
  parameter changes that);
* a value that cannot be computed (no population, no founding years, an
  undefined share 0/0, a provider that is not installed) is *missing*, with
  the reason, never 0. The scoring functions then apply their stated
  ``missing`` policy.

Register a custom indicator with :func:`register_indicator`; its function
takes an :class:`IndicatorContext` and keyword-only parameters and returns a
float (or a ``(float, note)`` pair), or ``None`` when the value is missing.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ecograph.core.kinds import ACTOR_KINDS, SUPPORT_FUNCTIONS
from ecograph.exceptions import EmptyGraphError, InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "ENTERPRISE_KINDS",
    "INDICATORS",
    "Indicator",
    "IndicatorContext",
    "compute_indicator",
    "indicator_catalogue",
    "register_indicator",
]

ENTERPRISE_KINDS: tuple[str, ...] = ("firm", "cooperative")
"""Actor kinds counted as enterprises by default."""

IndicatorKind = Literal["attribute", "graph"]
IndicatorResult = float | tuple[float, str] | None
"""What an indicator function returns: a value, a value with a note, or None (missing)."""


class _Unavailable(Exception):
    """Internal signal: the indicator has no value for this ecosystem (with the reason)."""


@dataclass(frozen=True)
class Indicator:
    """A registered indicator.

    Attributes
    ----------
    name : str
        Registry name used in model files (``indicator = "..."``).
    kind : {"attribute", "graph"}
        Attribute-derived (frames) or graph-derived (analysis functions).
    unit : str
        Unit of the raw value (``"count"``, ``"share"``, ``"per 1,000 inhabitants"``, ...).
    definition : str
        Exact definition, with the formula.
    source : str
        What it follows (literature) or which function computes it.
    function : callable
        ``function(ctx, **params)`` returning a float, a ``(float, note)``
        pair (the note, e.g. the data coverage, is shown in the score tables)
        or ``None`` when the value is missing.
    params : dict
        Keyword-only parameters of ``function`` and their defaults.
    """

    name: str
    kind: IndicatorKind
    unit: str
    definition: str
    source: str
    function: Callable[..., IndicatorResult]
    params: dict[str, Any] = field(default_factory=dict)


INDICATORS: dict[str, Indicator] = {}
"""Registry: indicator name -> :class:`Indicator`."""


def register_indicator(
    name: str,
    *,
    kind: IndicatorKind = "attribute",
    unit: str,
    definition: str,
    source: str,
    overwrite: bool = False,
) -> Callable[[Callable[..., IndicatorResult]], Callable[..., IndicatorResult]]:
    """Decorator registering an indicator function under ``name``.

    Parameters
    ----------
    name : str
        Name used in model files.
    kind : {"attribute", "graph"}, default "attribute"
    unit, definition, source : str
        Documentation shown in :func:`indicator_catalogue` and the score tables.
    overwrite : bool, default False
        Replace an existing registration.

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.

    Raises
    ------
    InputError
        When ``name`` is taken (and ``overwrite`` is false) or the function
        has positional parameters besides the context.

    Examples
    --------
    >>> @register_indicator("toy_persons", unit="count", definition="Number of persons.",
    ...                     source="example", overwrite=True)
    ... def _toy(ctx):
    ...     return float(len(ctx.eco.persons))
    >>> "toy_persons" in INDICATORS
    True
    >>> del INDICATORS["toy_persons"]
    """

    def decorate(func: Callable[..., IndicatorResult]) -> Callable[..., IndicatorResult]:
        if name in INDICATORS and not overwrite:
            raise InputError(f"indicator {name!r} is already registered; pass overwrite=True")
        sig = inspect.signature(func)
        positional = [p for p in sig.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(positional) != 1:
            raise InputError(f"indicator function {func.__name__!r} must take exactly one "
                             "positional argument (the IndicatorContext) and keyword-only options")
        params = {p.name: p.default for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY}
        INDICATORS[name] = Indicator(name, kind, unit, definition, source, func, params)
        return func

    return decorate


class IndicatorContext:
    """What an indicator function sees: the ecosystem and memoised analyses.

    One context is made per scoring call, so the thin-and-dense profile, the
    reachability table and the co-opetition summary are computed at most once
    however many indicators read them. The ecosystem is never modified.

    Parameters
    ----------
    eco : Ecosystem
    """

    def __init__(self, eco: Ecosystem) -> None:
        self.eco = eco
        self._memo: dict[str, Any] = {}

    # ------------------------------------------------------------ frames
    @property
    def internal(self) -> pd.DataFrame:
        """Actors inside the ecosystem (``external`` false)."""
        if "internal" not in self._memo:
            a = self.eco.actors
            ext = a["external"].fillna(False).to_numpy(dtype=bool)
            self._memo["internal"] = a[~ext]
        return self._memo["internal"]  # type: ignore[no-any-return]

    def enterprises(self, kinds: Iterable[str] = ENTERPRISE_KINDS) -> pd.DataFrame:
        """Internal actors of ``kinds`` (default firms and cooperatives)."""
        kinds = _check_kinds(kinds)
        a = self.internal
        return a[a["kind"].isin(kinds).to_numpy(dtype=bool)]

    def relations(self, kind: str) -> pd.DataFrame:
        """Relations of one kind."""
        r = self.eco.relations
        return r[(r["kind"] == kind).to_numpy(dtype=bool)]

    @property
    def population(self) -> float:
        """Population from the metadata, or missing."""
        pop = self.eco.meta.population
        if pop is None or pop <= 0:
            raise _Unavailable("population is not given in the ecosystem metadata")
        return float(pop)

    def year(self, reference_year: int | None) -> int:
        """The reference year: the option, else the metadata's ``year``, else missing."""
        if reference_year is not None:
            return int(reference_year)
        if self.eco.meta.year is None:
            raise _Unavailable("no reference year: set [ecosystem] year or the indicator's "
                               "reference_year parameter")
        return int(self.eco.meta.year)

    # ------------------------------------------------------------ analyses (graph-derived)
    def _provider(self, name: str, **options: Any) -> Any:
        if name in self._memo:
            return self._memo[name]
        import ecograph

        try:
            func = getattr(ecograph, name)
        except (ImportError, AttributeError) as exc:
            raise _Unavailable(f"ecograph.{name} is not available in this installation "
                               f"({type(exc).__name__})") from None
        try:
            value = func(self.eco, **options)
        except EmptyGraphError as exc:
            raise _Unavailable(f"ecograph.{name} is undefined here: {exc}") from None
        self._memo[name] = value
        return value

    def profile(self) -> Any:
        """:func:`ecograph.thin_dense_profile` of the ecosystem (memoised).

        Called with ``n_null=0``: no indicator reads the null-model z-scores,
        and skipping them saves the 100 rewired graphs.
        """
        return self._provider("thin_dense_profile", n_null=0)

    def reachability(self) -> pd.DataFrame:
        """:func:`ecograph.reachability` of the ecosystem (memoised)."""
        return self._provider("reachability")  # type: ignore[no-any-return]

    def coopetition_summary(self) -> Any:
        """:func:`ecograph.coopetition_summary` of the ecosystem (memoised)."""
        return self._provider("coopetition_summary")


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    bad = [k for k in kinds if k not in ACTOR_KINDS]
    if bad:
        raise InputError(f"unknown actor kind(s) {bad}; expected some of {list(ACTOR_KINDS)}")
    return kinds


def _share(numerator: int, denominator: int, what: str) -> float:
    if denominator == 0:
        raise _Unavailable(f"undefined share: there are no {what}")
    return numerator / denominator


def compute_indicator(eco: Ecosystem | IndicatorContext, name: str, **params: Any) -> float:
    """Compute one registered indicator.

    Parameters
    ----------
    eco : Ecosystem or IndicatorContext
    name : str
        Registry name.
    **params
        The indicator's options.

    Returns
    -------
    float
        ``nan`` when the value is missing for this ecosystem.

    Raises
    ------
    InputError
        For an unknown indicator or option.

    Notes
    -----
    The definitions are in :func:`indicator_catalogue` and
    ``docs/analysis/scores.md``. Passing an :class:`IndicatorContext` shares
    its memoised analyses between calls.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph.core.ecosystem import Ecosystem
    >>> eco = Ecosystem.from_frames(pd.DataFrame({
    ...     "id": ["a", "b", "s"], "name": ["A", "B", "S"],
    ...     "kind": ["firm", "firm", "support_organisation"], "employees": [2, 12, 5]}), warn=False)
    >>> compute_indicator(eco, "support_organisations")
    1.0
    >>> compute_indicator(eco, "micro_firm_share")
    0.5
    """
    value, _ = _evaluate(eco if isinstance(eco, IndicatorContext) else IndicatorContext(eco),
                         name, params)
    return value


def _evaluate(ctx: IndicatorContext, name: str, params: dict[str, Any]) -> tuple[float, str]:
    """Value (nan when missing) and the reason it is missing (empty when present)."""
    ind = INDICATORS.get(name)
    if ind is None:
        raise InputError(f"unknown indicator {name!r}; registered indicators are "
                         f"{sorted(INDICATORS)}")
    unknown = [p for p in params if p not in ind.params]
    if unknown:
        raise InputError(f"indicator {name!r} has no option(s) {unknown}; it takes "
                         f"{sorted(ind.params)}")
    try:
        result = ind.function(ctx, **params)
    except _Unavailable as exc:
        return math.nan, str(exc)
    note = ""
    if isinstance(result, tuple):
        result, note = result
    if result is None:
        return math.nan, f"indicator {name!r} returned no value"
    value = float(result)
    if not math.isfinite(value):
        return math.nan, f"indicator {name!r} is not finite ({value})"
    return value, str(note)


def indicator_catalogue() -> pd.DataFrame:
    """Every registered indicator with its kind, unit, definition, source and options.

    Returns
    -------
    DataFrame
        Indexed by indicator name (index name ``indicator``).

    Examples
    --------
    >>> cat = indicator_catalogue()
    >>> cat.loc["interlock_density", "kind"]
    'graph'
    """
    rows = [{"indicator": i.name, "kind": i.kind, "unit": i.unit, "definition": i.definition,
             "source": i.source, "params": ", ".join(f"{k}={v!r}" for k, v in i.params.items())}
            for i in INDICATORS.values()]
    return pd.DataFrame(rows).set_index("indicator").sort_index()


# ============================================================================ attribute-derived
_SPIGEL = "Spigel (2017), The Relational Organization of Entrepreneurial Ecosystems, ETP 41(1)"
_THESIS = "Best Lokalt thesis (2019), seed-digest"


def _count_kinds(ctx: IndicatorContext, kinds: Iterable[str], scope: str) -> float:
    kinds = _check_kinds(kinds)
    if scope not in ("internal", "external", "all"):
        raise InputError(f"scope must be 'internal', 'external' or 'all', got {scope!r}")
    a = ctx.eco.actors
    ext = a["external"].fillna(False).to_numpy(dtype=bool)
    mask = a["kind"].isin(kinds).to_numpy(dtype=bool)
    if scope == "internal":
        mask = mask & ~ext
    elif scope == "external":
        mask = mask & ext
    return float(mask.sum())


@register_indicator(
    "actor_count", unit="count", source="ecosystem actors",
    definition="Number of actors of the given kinds inside the ecosystem "
               "(scope 'internal'), outside it ('external') or both ('all').")
def _actor_count(ctx: IndicatorContext, *, kinds: tuple[str, ...] = ENTERPRISE_KINDS,
                 scope: str = "internal") -> float:
    return _count_kinds(ctx, kinds, scope)


def _register_kind_count(name: str, kind: str, source: str, what: str) -> None:
    def count(ctx: IndicatorContext, *, scope: str = "internal") -> float:
        return _count_kinds(ctx, (kind,), scope)

    count.__name__ = f"_{name}"
    register_indicator(name, unit="count", source=source,
                       definition=f"Number of {what} (actors of kind {kind!r}) inside the "
                                  "ecosystem; scope 'external' or 'all' counts outside ones too.",
                       )(count)


_register_kind_count("support_organisations", "support_organisation",
                     f"{_SPIGEL}: support services; Clausen et al. (2019) 'hjelpekorps'",
                     "support organisations")
_register_kind_count("knowledge_institutions", "knowledge_institution",
                     f"{_SPIGEL}: universities", "knowledge institutions")
_register_kind_count("public_bodies", "public_body",
                     f"{_SPIGEL}: policy and governance", "public bodies")
_register_kind_count("business_networks", "business_network",
                     f"{_SPIGEL}: networks; {_THESIS} §2.7", "business networks")
_register_kind_count("cooperatives", "cooperative",
                     f"{_THESIS} §2.12 (samvirke)", "cooperatives")


@register_indicator(
    "organisations_per_1000", unit="per 1,000 inhabitants",
    source=f"{_THESIS} §6.4 (thinness)",
    definition="Enterprises inside the ecosystem per 1,000 inhabitants: "
               "1000 * n_enterprises / population. Missing without a population.")
def _organisations_per_1000(ctx: IndicatorContext, *,
                            kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    return 1000.0 * len(ctx.enterprises(kinds)) / ctx.population


@register_indicator(
    "micro_firm_share", unit="share",
    source="ØF-rapport 05/2016 §7.1.1 (micro = 0-4 employees), seed-digest §5.2",
    definition="Share of enterprises with a known employee count that have at most "
               "max_employees (default 4) employees. Unknown counts are left out, not read as 0; "
               "missing when fewer than min_coverage (default 50%) of enterprises have a count.")
def _micro_firm_share(ctx: IndicatorContext, *, max_employees: int = 4,
                      min_coverage: float = 0.5,
                      kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> tuple[float, str]:
    emp, note = _known(ctx, kinds, "employees", "employee count", min_coverage)
    return float((emp <= max_employees).mean()), note


def _known(ctx: IndicatorContext, kinds: Iterable[str], column: str, what: str,
           min_coverage: float) -> tuple[np.ndarray, str]:
    """Known values of ``column`` over enterprises, if enough of them are known."""
    if not 0 <= min_coverage <= 1:
        raise InputError(f"min_coverage must be in [0, 1], got {min_coverage!r}")
    ent = ctx.enterprises(kinds)
    if len(ent) == 0:
        raise _Unavailable("there are no enterprises")
    known = ent[column].dropna().to_numpy(dtype=float)
    note = f"{what} known for {len(known)} of {len(ent)} enterprises"
    if len(known) == 0 or len(known) < min_coverage * len(ent):
        raise _Unavailable(f"{note} ({len(known) / len(ent):.0%}), below min_coverage "
                           f"{min_coverage:.0%}")
    return known, note


def _ages(ctx: IndicatorContext, kinds: Iterable[str], reference_year: int | None,
          min_coverage: float) -> tuple[np.ndarray, str]:
    year = ctx.year(reference_year)
    founded, note = _known(ctx, kinds, "founded", "founding year", min_coverage)
    return np.maximum(year - founded, 0.0), note


@register_indicator(
    "median_firm_age", unit="years",
    source=f"{_SPIGEL}: histories of entrepreneurship",
    definition="Median of (reference year - founding year) over enterprises with a known "
               "founding year; the reference year is the metadata's year unless given. Missing "
               "when fewer than min_coverage (default 50%) of enterprises have a founding year.")
def _median_firm_age(ctx: IndicatorContext, *, reference_year: int | None = None,
                     min_coverage: float = 0.5,
                     kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> tuple[float, str]:
    ages, note = _ages(ctx, kinds, reference_year, min_coverage)
    return float(np.median(ages)), note


@register_indicator(
    "established_firm_share", unit="share",
    source=f"{_SPIGEL}: histories of entrepreneurship",
    definition="Share of enterprises with a known founding year that are at least min_age "
               "(default 10) years old in the reference year (min_coverage as median_firm_age).")
def _established_firm_share(ctx: IndicatorContext, *, min_age: int = 10,
                            reference_year: int | None = None, min_coverage: float = 0.5,
                            kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> tuple[float, str]:
    ages, note = _ages(ctx, kinds, reference_year, min_coverage)
    return float((ages >= min_age).mean()), note


@register_indicator(
    "recent_foundings_per_1000", unit="per 1,000 inhabitants",
    source=f"{_SPIGEL}: supportive culture (entrepreneurial activity); Stam (2015)",
    definition="Enterprises founded in the window years up to and including the reference "
               "year (year - window < founded <= year), per 1,000 inhabitants; counted among "
               "enterprises with a known founding year (min_coverage as median_firm_age).")
def _recent_foundings(ctx: IndicatorContext, *, window: int = 5,
                      reference_year: int | None = None, min_coverage: float = 0.5,
                      kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> tuple[float, str]:
    year = ctx.year(reference_year)
    founded, note = _known(ctx, kinds, "founded", "founding year", min_coverage)
    recent = int(((founded > year - window) & (founded <= year)).sum())
    return 1000.0 * recent / ctx.population, note


@register_indicator(
    "employees_per_1000", unit="per 1,000 inhabitants",
    source=f"{_SPIGEL}: worker talent (size of the local labour pool in enterprises)",
    definition="Sum of known employee counts of enterprises per 1,000 inhabitants (unknown "
               "counts add nothing); missing when fewer than min_coverage (default 50%) of "
               "enterprises have a count.")
def _employees_per_1000(ctx: IndicatorContext, *, min_coverage: float = 0.5,
                        kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> tuple[float, str]:
    emp, note = _known(ctx, kinds, "employees", "employee count", min_coverage)
    return 1000.0 * float(emp.sum()) / ctx.population, note


def _targets_inside(ctx: IndicatorContext, kind: str) -> pd.DataFrame:
    rel = ctx.relations(kind)
    return rel[rel["target"].isin(ctx.internal.index[ctx.internal["kind"] != "person"])
               .to_numpy(dtype=bool)]


@register_indicator(
    "funding_sources", unit="count",
    source=f"{_SPIGEL}: investment capital",
    definition="Number of distinct actors (inside or outside) that fund at least one "
               "organisation inside the ecosystem (sources of 'funding' relations).")
def _funding_sources(ctx: IndicatorContext) -> float:
    return float(_targets_inside(ctx, "funding")["source"].nunique())


def _share_touched(ctx: IndicatorContext, kinds: Iterable[str], rel: pd.DataFrame,
                   ends: tuple[str, ...], what: str) -> float:
    ent = ctx.enterprises(kinds)
    touched = pd.Index(pd.concat([rel[e] for e in ends]).unique()) if len(rel) else pd.Index([])
    return _share(int(ent.index.isin(touched).sum()), len(ent), what)


@register_indicator(
    "funded_share", unit="share",
    source=f"{_SPIGEL}: investment capital",
    definition="Share of enterprises that receive at least one 'funding' relation.")
def _funded_share(ctx: IndicatorContext, *, kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    return _share_touched(ctx, kinds, ctx.relations("funding"), ("target",), "enterprises")


@register_indicator(
    "support_function_coverage", unit="share",
    source="ØF-rapport 05/2016 §2.1 (support functions); ecograph.core.kinds.SUPPORT_FUNCTIONS",
    definition="Share of the 19 named support functions (SUPPORT_FUNCTIONS) provided by at "
               "least one 'support' relation to an organisation inside the ecosystem.")
def _support_function_coverage(ctx: IndicatorContext) -> float:
    funcs = set(_targets_inside(ctx, "support")["function"].dropna().astype(str))
    return len(funcs & set(SUPPORT_FUNCTIONS)) / len(SUPPORT_FUNCTIONS)


@register_indicator(
    "supported_share", unit="share",
    source=f"{_SPIGEL}: support services; ØF-rapport 05/2016 §2.1",
    definition="Share of enterprises that receive at least one 'support' relation.")
def _supported_share(ctx: IndicatorContext, *, kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    return _share_touched(ctx, kinds, ctx.relations("support"), ("target",), "enterprises")


@register_indicator(
    "network_membership_share", unit="share",
    source=f"{_SPIGEL}: networks; {_THESIS} §2.7, §6.4 (cooperative anchoring)",
    definition="Share of enterprises that are members of at least one business network or "
               "cooperative ('membership' relations; the enterprise is the source).")
def _network_membership_share(ctx: IndicatorContext, *,
                              kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    return _share_touched(ctx, kinds, ctx.relations("membership"), ("source",), "enterprises")


def _supply_from_inside(ctx: IndicatorContext) -> tuple[pd.DataFrame, np.ndarray]:
    rel = ctx.relations("supply")
    rel = rel[rel["source"].isin(ctx.internal.index).to_numpy(dtype=bool)]
    if len(rel) == 0:
        raise _Unavailable("no supply relations from organisations inside the ecosystem")
    external = ctx.eco.actors["external"].fillna(False)
    to_ext = external.reindex(rel["target"]).fillna(False).to_numpy(dtype=bool)
    return rel, to_ext


@register_indicator(
    "external_supply_share", unit="share",
    source=f"{_SPIGEL}: open markets (access to markets beyond the region)",
    definition="Among supply relations whose supplier is inside the ecosystem, the share whose "
               "customer is outside it.")
def _external_supply_share(ctx: IndicatorContext) -> float:
    _, to_ext = _supply_from_inside(ctx)
    return float(to_ext.mean())


@register_indicator(
    "local_supply_share", unit="share",
    source="Miles & Morrison (2018) via thesis Tabell 2: local needs in a market; "
           "Spigel (2017): the local market as test arena",
    definition="Among supply relations whose supplier is inside the ecosystem, the share whose "
               "customer is inside it too (1 - external_supply_share).")
def _local_supply_share(ctx: IndicatorContext) -> float:
    _, to_ext = _supply_from_inside(ctx)
    return float(1.0 - to_ext.mean())


@register_indicator(
    "knowledge_link_share", unit="share",
    source=f"{_SPIGEL}: universities; {_THESIS} §5.1-5.2 (no formal R&D links)",
    definition="Share of enterprises with at least one 'knowledge_link' relation (either end).")
def _knowledge_link_share(ctx: IndicatorContext, *,
                          kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    return _share_touched(ctx, kinds, ctx.relations("knowledge_link"), ("source", "target"),
                          "enterprises")


@register_indicator(
    "public_tie_share", unit="share",
    source=f"{_SPIGEL}: policy and governance",
    definition="Share of enterprises with at least one direct relation (any kind, either end) "
               "to a public body.")
def _public_tie_share(ctx: IndicatorContext, *,
                      kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
    a = ctx.eco.actors
    public = a.index[(a["kind"] == "public_body").to_numpy(dtype=bool)]
    rel = ctx.eco.relations
    s_pub = rel["source"].isin(public).to_numpy(dtype=bool)
    t_pub = rel["target"].isin(public).to_numpy(dtype=bool)
    partners = pd.Index(pd.concat([rel["target"][s_pub], rel["source"][t_pub]]).unique())
    ent = ctx.enterprises(kinds)
    return _share(int(ent.index.isin(partners).sum()), len(ent), "enterprises")


# ============================================================================ graph-derived
_PROFILE_KEYS: dict[str, tuple[str, ...]] = {
    "interlock_density": ("interlock_density",),
    "multi_role_share": ("share_persons_2plus_roles",),
    "mean_roles_per_person": ("mean_roles_per_person",),
    "external_bridging_share": ("external_bridging_share",),
    "multiplexity": ("multiplexity",),
}
"""Indicator -> the entry of :func:`ecograph.thin_dense_profile` it reads."""


def _profile_value(ctx: IndicatorContext, indicator: str) -> float:
    from ecograph.exceptions import ComputationError

    profile = ctx.profile()
    get = profile.get if hasattr(profile, "get") else None
    if get is None:
        raise ComputationError(f"ecograph.thin_dense_profile returned {type(profile).__name__}, "
                               "expected a Series or dict")
    for key in _PROFILE_KEYS[indicator]:
        value = get(key)
        if value is not None:
            if pd.isna(value):
                raise _Unavailable(f"thin_dense_profile[{key!r}] is undefined for this ecosystem")
            return float(value)
    keys = list(profile.keys())
    raise ComputationError(f"ecograph.thin_dense_profile has none of {_PROFILE_KEYS[indicator]} "
                           f"for indicator {indicator!r}; it has {keys}")


def _register_profile(name: str, unit: str, definition: str) -> None:
    def value(ctx: IndicatorContext) -> float:
        return _profile_value(ctx, name)

    value.__name__ = f"_{name}"
    register_indicator(name, kind="graph", unit=unit, definition=definition,
                       source=f"ecograph.thin_dense_profile; {_THESIS} §2.11 (thin and dense)",
                       )(value)


_register_profile("interlock_density", "share",
                  "Share of organisation pairs that share at least one board member or manager: "
                  "interlocked pairs / (o (o - 1) / 2) over all o non-person actors.")
_register_profile("multi_role_share", "share",
                  "Share of persons who hold two or more roles (board seats, management, "
                  "ownership, membership): the thesis's dense networks; experienced multi-role "
                  "persons as mentors and role models.")
_register_profile("mean_roles_per_person", "roles",
                  "Mean number of roles (board seats, management, ownership, membership) per "
                  "person.")
_register_profile("external_bridging_share", "share",
                  "Share of the actors inside the ecosystem with at least one relation to an "
                  "actor outside it.")
_register_profile("multiplexity", "share",
                  "Share of linked actor pairs linked in two or more layers (relation kinds).")

_REACH_TARGETS = {
    "knowledge_reach": ("knowledge_institution", "knowledge", f"{_SPIGEL}: universities; "
                        f"{_THESIS} §5.2 (R&D within reach through board seats)"),
    "support_reach": ("support_organisation", "support", f"{_SPIGEL}: support services"),
    "public_reach": ("public_body", "public", f"{_SPIGEL}: policy and governance"),
    "external_reach": ("external", "external", f"{_SPIGEL}: open markets and outside networks"),
}
"""Indicator -> (reachability target class, short name, source)."""


def _reach_share(ctx: IndicatorContext, name: str, kinds: Iterable[str]) -> float:
    from ecograph.exceptions import ComputationError

    target_kind, _, _ = _REACH_TARGETS[name]
    table = ctx.reachability()
    column = f"{target_kind}_length"
    if not isinstance(table, pd.DataFrame) or column not in table.columns:
        found = list(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise ComputationError(f"ecograph.reachability has no column {column!r} (got {found})")
    ent = ctx.enterprises(kinds)
    dist = pd.to_numeric(table[column].reindex(ent.index), errors="coerce").to_numpy(dtype=float)
    return _share(int(np.isfinite(dist).sum()), len(ent), "enterprises")


def _register_reach(name: str) -> None:
    target_kind, _, source = _REACH_TARGETS[name]

    def value(ctx: IndicatorContext, *, kinds: tuple[str, ...] = ENTERPRISE_KINDS) -> float:
        return _reach_share(ctx, name, kinds)

    value.__name__ = f"_{name}"
    what = "an actor outside the ecosystem" if target_kind == "external" else \
        f"an actor of kind {target_kind!r}"
    register_indicator(name, kind="graph", unit="share", source=f"ecograph.reachability; {source}",
                       definition=f"Share of enterprises with a person-mediated path to {what}: "
                                  f"a finite '{target_kind}_length' in ecograph.reachability "
                                  "(default options: every layer, paths through persons).")(value)


for _name in _REACH_TARGETS:
    _register_reach(_name)


_COOP_KEYS = ("share_competitors_cooperating",)
"""The entry of :func:`ecograph.coopetition_summary` read by coopetition_cooperating_share."""


@register_indicator(
    "coopetition_cooperating_share", kind="graph", unit="share",
    source="ecograph.coopetition_summary; Bengtsson & Kock (2000); thesis §2.9, §5.2",
    definition="Share of competitor pairs that also cooperate (co-opetition summary).")
def _coopetition_cooperating_share(ctx: IndicatorContext) -> float:
    from ecograph.exceptions import ComputationError

    summary = ctx.coopetition_summary()
    get = summary.get if hasattr(summary, "get") else None
    if get is None:
        raise ComputationError(f"ecograph.coopetition_summary returned {type(summary).__name__}")
    for key in _COOP_KEYS:
        value = get(key)
        if value is not None:
            if pd.isna(value):
                raise _Unavailable(f"coopetition_summary[{key!r}] is undefined "
                                   "(no competitor pairs)")
            return float(value)
    raise ComputationError(f"ecograph.coopetition_summary has none of {_COOP_KEYS}; it has "
                           f"{list(summary.keys())}")
