"""Score one ecosystem with a declarative model: Spigel layers, Miles & Morrison conditions.

:func:`model_scores` evaluates any :class:`~ecograph.scoring.spec.ScoringModel`
and returns a :class:`ModelScores` object with one table per level.
:func:`spigel_scores` and :func:`miles_morrison_scores` run the two shipped
models and return one tidy DataFrame (what ``ecograph analyze`` writes as
``spigel.csv`` and ``miles_morrison.csv``); their ``level`` option returns a
single level instead.

Aggregation, for an attribute ``a`` with indicators ``i`` and a layer ``L``
with attributes ``a``::

    n_i  = t_i(x_i)                 (direction positive)
    n_i  = 1 - t_i(x_i)             (direction negative)
    S_a  = sum_i w_i n_i / sum_i w_i          over the indicators with a value
    S_L  = sum_a v_a S_a / sum_a v_a          over the attributes with a score

``t_i`` is the indicator's transformation (identity, goalpost, log goalpost,
saturating, presence; see :mod:`ecograph.scoring.spec`), ``w_i`` and ``v_a``
the declared weights. Every normalised value and score lies in [0, 1]. The
*contribution* of an indicator is ``w_i n_i / sum_i w_i``: the contributions
of an attribute's indicators add up to its score, and likewise for the
attributes of a layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ecograph.exceptions import InputError, ModelSpecError
from ecograph.scoring.indicators import INDICATORS, IndicatorContext, _evaluate
from ecograph.scoring.spec import (
    GoalpostTransform,
    IdentityTransform,
    IndicatorSpec,
    LogGoalpostTransform,
    PresenceTransform,
    SaturatingTransform,
    ScoringModel,
    load_model,
)

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "MISSING_POLICIES",
    "ModelScores",
    "miles_morrison_scores",
    "model_scores",
    "normalise",
    "spigel_scores",
]

MissingPolicy = Literal["raise", "skip", "impute-mean", "impute-zero"]
Level = Literal["all", "indicator", "attribute", "layer", "pyramid", "missing"]

MISSING_POLICIES: tuple[str, ...] = ("raise", "skip", "impute-mean", "impute-zero")
"""Policies for indicators without a value:

``raise``
    :class:`~ecograph.exceptions.ModelSpecError` naming the model file and
    every missing indicator's key, with the reason.
``skip`` (default)
    The indicator gets weight 0; the weights of the attribute's other
    indicators are renormalised. Reported (``missing`` true) in every table.
``impute-mean``
    The missing normalised value is set to the mean normalised value of the
    *same attribute's* indicators that have a value (skipped when none has).
    Reported (``imputed`` true).
``impute-zero``
    The missing normalised value is set to 0, the worst value (absence of
    evidence counted as absence). Reported (``imputed`` true).

Indicators declared ``required = true`` raise whatever the policy.
"""

_INDICATOR_COLUMNS = ["layer", "attribute", "input_kind", "input", "raw", "unit",
                      "transformation", "direction", "normalised", "weight", "effective_weight",
                      "contribution", "missing", "imputed", "note", "source"]
_FRAME_COLUMNS = ["level", "name", "layer", "attribute", "indicator", "check", "input_kind",
                  "input", "raw", "unit",
                  "transformation", "direction", "normalised", "weight", "effective_weight",
                  "contribution", "score", "missing", "imputed", "n_missing", "drivers",
                  "supply", "external_only", "holds", "note", "source"]


# ----------------------------------------------------------------------------- normalisation
def _describe(t: Any) -> str:
    if isinstance(t, GoalpostTransform | LogGoalpostTransform):
        return f"{t.kind}({t.lower:g}, {t.upper:g})"
    if isinstance(t, SaturatingTransform):
        return f"saturating(half={t.half:g})"
    return str(t.kind)


def normalise(spec: IndicatorSpec, raw: float, *, key: str = "<indicator>") -> tuple[float, str]:
    """Normalise one raw value with an indicator's transformation and direction.

    Parameters
    ----------
    spec : IndicatorSpec
    raw : float
        The raw value (finite).
    key : str
        Indicator id, for messages.

    Returns
    -------
    (float, str)
        The normalised value in [0, 1] and a note (e.g. that it was clipped).

    Raises
    ------
    InputError
        When the value is outside the transformation's domain: an
        ``identity`` value outside [0, 1], a negative value for
        ``log_goalpost`` or ``saturating``.

    Notes
    -----
    ``identity``: ``x``; ``goalpost``: ``clip((x - lo) / (hi - lo), 0, 1)``;
    ``log_goalpost``: ``clip((ln(1+x) - ln(1+lo)) / (ln(1+hi) - ln(1+lo)), 0, 1)``;
    ``saturating``: ``x / (x + half)``; ``presence``: ``1 if x > 0 else 0``.
    A ``negative`` direction returns ``1 - t(x)``.

    Examples
    --------
    >>> from ecograph.scoring.spec import IndicatorSpec
    >>> spec = IndicatorSpec(attribute="a", user_input="k", source="s",
    ...                      transformation={"kind": "goalpost", "lower": 1, "upper": 5})
    >>> normalise(spec, 4.0)
    (0.75, '')
    >>> normalise(spec, 7.0)
    (1.0, 'clipped: 7 is above the upper goalpost 5')
    """
    t = spec.transformation
    note = ""
    if isinstance(t, IdentityTransform):
        if not 0.0 <= raw <= 1.0:
            raise InputError(f"indicator {key!r} uses the identity transformation and needs a "
                             f"value in [0, 1] (a share), got {raw!r}; declare goalposts if it "
                             "is on another scale")
        value = raw
    elif isinstance(t, GoalpostTransform):
        value = (raw - t.lower) / (t.upper - t.lower)
    elif isinstance(t, LogGoalpostTransform):
        if raw < 0:
            raise InputError(f"indicator {key!r} uses log_goalpost and needs a value >= 0, "
                             f"got {raw!r}")
        lo, hi = math.log1p(t.lower), math.log1p(t.upper)
        value = (math.log1p(raw) - lo) / (hi - lo)
    elif isinstance(t, SaturatingTransform):
        if raw < 0:
            raise InputError(f"indicator {key!r} uses saturating and needs a value >= 0, "
                             f"got {raw!r}")
        value = raw / (raw + t.half)
    elif isinstance(t, PresenceTransform):
        value = 1.0 if raw > 0 else 0.0
    else:  # pragma: no cover - exhaustive over the Transformation union
        raise InputError(f"unknown transformation {t!r}")
    if value > 1.0:
        note = f"clipped: {raw:g} is above the upper goalpost {getattr(t, 'upper', 1):g}"
        value = 1.0
    elif value < 0.0:
        note = f"clipped: {raw:g} is below the lower goalpost {getattr(t, 'lower', 0):g}"
        value = 0.0
    if spec.direction == "negative":
        value = 1.0 - value
    return float(value), note


# ----------------------------------------------------------------------------- result object
@dataclass(frozen=True)
class ModelScores:
    """Scores of one ecosystem under one model, at every level.

    Attributes
    ----------
    model : ScoringModel
        The model used.
    indicators : DataFrame
        One row per indicator (index ``indicator``): ``layer``, ``attribute``,
        ``input_kind`` (``attribute``, ``graph`` or ``user``), ``input`` (the
        registered indicator or the ``[ecosystem.indicators]`` key), ``raw``,
        ``unit``, ``transformation``, ``direction``, ``normalised``,
        ``weight`` (declared), ``effective_weight`` (after missing values),
        ``contribution`` (to the attribute score), ``missing``, ``imputed``,
        ``note`` (why missing, clipping), ``source``.
    attributes : DataFrame
        One row per attribute (index ``attribute``): ``layer``, ``title``,
        ``weight``, ``effective_weight``, ``score``, ``contribution`` (to the
        layer score), ``n_indicators``, ``n_missing``, ``drivers`` (indicator
        ids by decreasing contribution, ``;``-separated), ``suppliers_internal``,
        ``suppliers_external``, ``supply`` (``absent``, ``external only``,
        ``internal``, ``internal and external``) and ``external_only``, for
        attributes that declare suppliers.
    layers : DataFrame
        One row per layer (index ``layer``): ``title``, ``score``,
        ``n_attributes``, ``n_missing`` (attributes without a score), ``drivers``.
    pyramid : DataFrame
        One row per check ``"lower >= upper"`` (index ``check``): ``lower``,
        ``upper``, ``lower_score``, ``upper_score``, ``margin`` (lower - upper),
        ``holds``, ``role`` (``base``: the base supports this layer;
        ``order``: consecutive layers). Empty when the model has no pyramid.
    missing : DataFrame
        The indicators without a value (index ``indicator``): ``attribute``,
        ``input``, ``reason``, ``action`` (``skipped``, ``imputed (...)``).
    """

    model: ScoringModel
    indicators: pd.DataFrame
    attributes: pd.DataFrame
    layers: pd.DataFrame
    pyramid: pd.DataFrame
    missing: pd.DataFrame

    @property
    def pyramid_holds(self) -> bool | None:
        """Whether the base layer is at least as strong as every layer above it.

        ``None`` when the model has no pyramid or a layer has no score.
        """
        if self.pyramid.empty:
            return None
        base = self.pyramid[self.pyramid["role"] == "base"]["holds"]
        if base.isna().any():
            return None
        return bool(base.all())

    def to_frame(self) -> pd.DataFrame:
        """All levels in one tidy frame with a ``level`` column.

        ``level`` is ``indicator``, ``attribute``, ``layer`` or ``pyramid``;
        the other columns are documented in :func:`spigel_scores`.
        """
        ind = self.indicators.reset_index().assign(level="indicator")
        att = self.attributes.reset_index().assign(level="attribute")
        att["note"] = att.pop("title")
        lay = self.layers.reset_index().assign(level="layer")
        lay["note"] = lay.pop("title")
        parts = [ind, att, lay]
        if not self.pyramid.empty:
            pyr = self.pyramid.reset_index().assign(level="pyramid")
            pyr = pyr.rename(columns={"margin": "score"})
            pyr["note"] = np.where(pyr["holds"].fillna(False).to_numpy(dtype=bool), "holds",
                                   np.where(pyr["holds"].isna().to_numpy(dtype=bool),
                                            "undefined: a layer has no score", "violated"))
            parts.append(pyr)
        frame = pd.concat(parts, ignore_index=True, sort=False)
        key_col = frame["level"].map({"indicator": "indicator", "attribute": "attribute",
                                      "layer": "layer", "pyramid": "check"})
        frame["name"] = pd.Series([frame.at[i, c] for i, c in zip(frame.index, key_col,
                                                                  strict=True)],
                                  index=frame.index, dtype="str")
        for col in _FRAME_COLUMNS:
            if col not in frame.columns:
                frame[col] = pd.NA
        frame = frame[_FRAME_COLUMNS]
        for col in ("missing", "imputed", "external_only", "holds"):
            frame[col] = frame[col].astype("boolean")
        frame["n_missing"] = frame["n_missing"].astype("Int64")
        for col in ("raw", "normalised", "weight", "effective_weight", "contribution", "score"):
            frame[col] = pd.to_numeric(frame[col]).astype("float64")
        frame.attrs = {}
        return frame


# ----------------------------------------------------------------------------- computation
def _suppliers(eco: Ecosystem, kinds: tuple[str, ...], relations: tuple[str, ...]) -> pd.Index:
    a = eco.actors
    ids = a.index[a["kind"].isin(list(kinds)).to_numpy(dtype=bool)] if kinds else pd.Index([])
    if relations:
        ext = a["external"].fillna(False).to_numpy(dtype=bool)
        inside_orgs = a.index[(~ext) & (a["kind"] != "person").to_numpy(dtype=bool)]
        rel = eco.relations
        sel = rel["kind"].isin(list(relations)) & rel["target"].isin(inside_orgs)
        ids = ids.union(pd.Index(rel.loc[sel.to_numpy(dtype=bool), "source"].unique()))
    return ids


def _supply_status(n_int: int, n_ext: int) -> str:
    if n_int == 0 and n_ext == 0:
        return "absent"
    if n_int == 0:
        return "external only"
    if n_ext == 0:
        return "internal"
    return "internal and external"


def _weighted(values: np.ndarray, weights: np.ndarray,
              keys: list[str]) -> tuple[float, np.ndarray, np.ndarray, str]:
    """Weighted mean over the entries with a value.

    Returns the score (NaN when no entry has a value), the effective weights
    (0 where missing), the contributions (NaN where missing) and the drivers:
    the keys with a positive contribution, largest first.
    """
    have = ~np.isnan(values)
    total = float(weights[have].sum())
    eff = np.where(have, weights / total, 0.0) if total > 0 else np.zeros(len(values))
    contrib = np.where(have, eff * np.where(have, values, 0.0), np.nan)
    score = float(contrib[have].sum()) if have.any() else math.nan
    order = sorted((i for i in range(len(keys)) if have[i] and contrib[i] > 0),
                   key=lambda i: -contrib[i])
    return score, eff, contrib, ";".join(keys[i] for i in order)


def model_scores(
    eco: Ecosystem,
    *,
    model: str | Path | ScoringModel = "spigel2017",
    missing: MissingPolicy = "skip",
) -> ModelScores:
    """Score an ecosystem with a declarative model, at every level.

    Parameters
    ----------
    eco : Ecosystem
    model : str, Path or ScoringModel, default "spigel2017"
        A shipped model name, a ``.toml`` path or a loaded model (:func:`ecograph.load_model`).
    missing : {"skip", "raise", "impute-mean", "impute-zero"}, default "skip"
        What to do with indicators that have no value (:data:`MISSING_POLICIES`).
        Nothing is ever imputed silently: skipped and imputed indicators are
        flagged and listed in ``.missing``.

    Returns
    -------
    ModelScores
        ``.indicators``, ``.attributes``, ``.layers``, ``.pyramid``,
        ``.missing``; ``.to_frame()`` gives all in one tidy frame.

    Raises
    ------
    ModelSpecError
        When the model is invalid, when a ``required`` indicator has no value,
        or when any indicator has none and ``missing="raise"``; the message
        names the model file and each indicator's key with the reason.
    InputError
        For an unknown policy, or a raw value outside its transformation's
        domain (an identity share outside [0, 1], a negative count).

    Notes
    -----
    See the module docstring for the formulas. An attribute whose indicators
    all lack a value has no score (NaN, ``n_missing`` equal to its number of
    indicators) and its layer's weights are renormalised over the other
    attributes; a layer without any attribute score is NaN, and so are the
    pyramid checks that involve it.

    The pyramid check (thesis §5.1, after Stam & Spigel 2016): with layers
    ordered from base to top, the base *supports* every layer above it when
    ``S_base >= S_upper - tolerance``; ``pyramid_holds`` is true when this is
    so for every upper layer. Consecutive layers are compared too (role
    ``order``), for information.

    The supply check (Miles & Morrison 2018): for attributes that declare
    ``suppliers``, the supplying actors are counted inside and outside the
    ecosystem; ``external only`` means every supplier is external, the
    situation in which Miles & Morrison warn that the system is not led by
    its own entrepreneurs.

    References
    ----------
    .. [1] Spigel, B. (2017). The Relational Organization of Entrepreneurial
       Ecosystems. Entrepreneurship Theory and Practice 41(1), 49-72.
    .. [2] Stam, E. & Spigel, B. (2016). Entrepreneurial Ecosystems. U.S.E.
       Discussion Paper 16-13.
    .. [3] Miles, M. P. & Morrison, M. (2018). An effectual leadership
       perspective for developing rural entrepreneurial ecosystems. Small
       Business Economics 54, 933-949.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph.core.ecosystem import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "b", "s"], "name": ["A", "B", "S"],
    ...                   "kind": ["firm", "firm", "support_organisation"]}),
    ...     pd.DataFrame({"source": ["s"], "target": ["a"], "kind": ["support"],
    ...                   "function": ["accounting"]}),
    ...     meta={"name": "Toy", "indicators": {"supportive_culture_survey": 4.0}}, warn=False)
    >>> res = model_scores(eco, model="spigel2017")
    >>> res.indicators.loc["culture_survey", ["raw", "normalised"]].tolist()
    [4.0, 0.75]
    >>> float(res.indicators.loc["supported_share", "normalised"])
    0.5
    >>> bool(res.indicators.loc["broadband_coverage", "missing"])
    True
    """
    if missing not in MISSING_POLICIES:
        raise InputError(f"missing must be one of {list(MISSING_POLICIES)}, got {missing!r}")
    m = load_model(model)
    ctx = IndicatorContext(eco)
    user_values = dict(eco.meta.indicators)

    rows: list[dict[str, Any]] = []
    for key, spec in m.indicators.items():
        attr = m.attributes[spec.attribute]
        if spec.indicator is not None:
            reg = INDICATORS[spec.indicator]
            raw, reason = _evaluate(ctx, spec.indicator, dict(spec.params))
            input_kind, input_name, unit = reg.kind, spec.indicator, reg.unit
        else:
            user_key = spec.user_input or ""
            value = user_values.get(user_key)
            raw = math.nan if value is None else float(value)
            reason = "" if value is not None else (
                f"no value for {user_key!r} in [ecosystem.indicators] of ecosystem.toml")
            input_kind, input_name, unit = "user", user_key, "as supplied"  # type: ignore[assignment]
        if math.isnan(raw):
            normalised, note = math.nan, reason
        else:
            normalised, clip_note = normalise(spec, raw, key=key)
            note = "; ".join(n for n in (reason, clip_note) if n)
        rows.append({"indicator": key, "layer": attr.layer, "attribute": spec.attribute,
                     "input_kind": input_kind, "input": input_name, "raw": raw, "unit": unit,
                     "transformation": _describe(spec.transformation),
                     "direction": spec.direction, "normalised": normalised,
                     "weight": 1.0 if spec.weight is None else spec.weight,
                     "missing": math.isnan(raw), "imputed": False, "note": note,
                     "source": spec.source})
    ind = pd.DataFrame(rows).set_index("indicator")

    miss = ind[ind["missing"]]
    required = [k for k in miss.index if m.indicators[k].required]
    if required or (missing == "raise" and len(miss)):
        keys = required if required and missing != "raise" else list(miss.index)
        lines = [f"{m.source}: key 'indicators.{k}': "
                 f"{'required input' if m.indicators[k].required else 'input'} is missing: "
                 f"{miss.loc[k, 'note']}" for k in keys]
        raise ModelSpecError(lines[0] if len(lines) == 1 else
                             f"{len(lines)} scoring input(s) missing\n" +
                             "\n".join(f"  - {line}" for line in lines))

    actions: dict[str, str] = {k: "skipped" for k in miss.index}
    if missing in ("impute-mean", "impute-zero") and len(miss):
        for k in miss.index:
            if missing == "impute-zero":
                ind.loc[k, "normalised"] = 0.0
                actions[k] = "imputed (0, the worst value)"
            else:
                peers = ind[(ind["attribute"] == ind.loc[k, "attribute"]) & ~ind["missing"]]
                if len(peers):
                    ind.loc[k, "normalised"] = float(peers["normalised"].mean())
                    actions[k] = (f"imputed (mean of {len(peers)} other indicator(s) of the "
                                  "attribute)")
            ind.loc[k, "imputed"] = actions[k].startswith("imputed")

    ind_keys = list(ind.index)
    ind_attr = ind["attribute"].to_numpy(dtype=object)
    ind_norm = ind["normalised"].to_numpy(dtype=float)
    ind_weight = ind["weight"].to_numpy(dtype=float)
    ind_eff = np.zeros(len(ind_keys))
    ind_contrib = np.full(len(ind_keys), np.nan)
    att_rows: list[dict[str, Any]] = []
    for a_key, attr in m.attributes.items():
        pos = np.flatnonzero(ind_attr == a_key)
        score, eff, contrib, drivers = _weighted(ind_norm[pos], ind_weight[pos],
                                                 [ind_keys[i] for i in pos])
        ind_eff[pos] = eff
        ind_contrib[pos] = contrib
        row: dict[str, Any] = {
            "attribute": a_key, "layer": attr.layer, "title": attr.title,
            "weight": 1.0 if attr.weight is None else attr.weight, "score": score,
            "n_indicators": len(pos), "n_missing": int(np.isnan(ind_norm[pos]).sum()),
            "drivers": drivers, "suppliers_internal": pd.NA, "suppliers_external": pd.NA,
            "supply": pd.NA, "external_only": pd.NA,
        }
        if attr.suppliers is not None:
            ids = _suppliers(eco, attr.suppliers.kinds, attr.suppliers.relations)
            ext = eco.actors.loc[ids, "external"].fillna(False).to_numpy(dtype=bool)
            n_ext, n_int = int(ext.sum()), int((~ext).sum())
            row.update(suppliers_internal=n_int, suppliers_external=n_ext,
                       supply=_supply_status(n_int, n_ext), external_only=n_int == 0 and n_ext > 0)
        att_rows.append(row)
    ind["effective_weight"] = ind_eff
    ind["contribution"] = ind_contrib
    att = pd.DataFrame(att_rows).set_index("attribute")

    att_keys = list(att.index)
    att_layer = att["layer"].to_numpy(dtype=object)
    att_score = att["score"].to_numpy(dtype=float)
    att_weight = att["weight"].to_numpy(dtype=float)
    att_eff = np.zeros(len(att_keys))
    att_contrib = np.full(len(att_keys), np.nan)
    lay_rows = []
    for l_key, layer in m.layers.items():
        pos = np.flatnonzero(att_layer == l_key)
        score, eff, contrib, drivers = _weighted(att_score[pos], att_weight[pos],
                                                 [att_keys[i] for i in pos])
        att_eff[pos] = eff
        att_contrib[pos] = contrib
        lay_rows.append({"layer": l_key, "title": layer.title, "score": score,
                         "n_attributes": len(pos), "n_missing": int(np.isnan(att_score[pos]).sum()),
                         "drivers": drivers})
    att["effective_weight"] = att_eff
    att["contribution"] = att_contrib
    lay = pd.DataFrame(lay_rows).set_index("layer")

    for col in ("suppliers_internal", "suppliers_external"):
        att[col] = att[col].astype("Int64")
    att["external_only"] = att["external_only"].astype("boolean")
    att = att[["layer", "title", "weight", "effective_weight", "score", "contribution",
               "n_indicators", "n_missing", "drivers", "suppliers_internal",
               "suppliers_external", "supply", "external_only"]]
    ind["missing"] = ind["missing"].astype(bool)
    ind["imputed"] = ind["imputed"].astype(bool)
    ind = ind[_INDICATOR_COLUMNS]

    pyr = _pyramid(m, lay["score"])
    miss_table = pd.DataFrame(
        {"attribute": ind.loc[list(actions), "attribute"],
         "input": ind.loc[list(actions), "input"],
         "reason": ind.loc[list(actions), "note"],
         "action": pd.Series(actions, dtype=object)},
        index=pd.Index(list(actions), name="indicator"))
    return ModelScores(m, ind, att, lay, pyr, miss_table)


def _pyramid(m: ScoringModel, layer_scores: pd.Series) -> pd.DataFrame:
    cols = ["lower", "upper", "lower_score", "upper_score", "margin", "holds", "role"]
    if m.pyramid is None:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="check"))
    order = m.pyramid.order
    tol = m.pyramid.tolerance
    pairs = [(order[0], up, "base") for up in order[1:]]
    pairs += [(order[i], order[i + 1], "order") for i in range(1, len(order) - 1)]
    rows = []
    for lower, upper, role in pairs:
        lo, up = float(layer_scores[lower]), float(layer_scores[upper])
        margin = lo - up
        holds: bool | Any = pd.NA if math.isnan(margin) else bool(margin >= -tol)
        rows.append({"check": f"{lower} >= {upper}", "lower": lower, "upper": upper,
                     "lower_score": lo, "upper_score": up, "margin": margin, "holds": holds,
                     "role": role})
    out = pd.DataFrame(rows).set_index("check")
    out["holds"] = out["holds"].astype("boolean")
    return out[cols]


def _select(res: ModelScores, level: Level) -> pd.DataFrame:
    if level == "all":
        return res.to_frame()
    tables = {"indicator": res.indicators, "attribute": res.attributes, "layer": res.layers,
              "pyramid": res.pyramid, "missing": res.missing}
    if level not in tables:
        raise InputError(f"level must be one of {['all', *tables]}, got {level!r}")
    return tables[level]


def spigel_scores(
    eco: Ecosystem,
    *,
    model: str | Path | ScoringModel = "spigel2017",
    missing: MissingPolicy = "skip",
    level: Level = "all",
) -> pd.DataFrame:
    """Spigel's cultural, social and material layer scores, with every indicator.

    Parameters
    ----------
    eco : Ecosystem
    model : str, Path or ScoringModel, default "spigel2017"
        The shipped Spigel (2017) model, or any other model.
    missing : {"skip", "raise", "impute-mean", "impute-zero"}, default "skip"
        Policy for indicators without a value (see :data:`MISSING_POLICIES`).
    level : {"all", "indicator", "attribute", "layer", "pyramid", "missing"}, default "all"
        ``"all"`` returns one tidy frame with every level; the others return
        that level's table from :class:`ModelScores` (indexed by its key).

    Returns
    -------
    DataFrame
        With ``level="all"``, one row per indicator, attribute, layer and
        pyramid check (RangeIndex), columns:

        * ``level``: ``indicator``, ``attribute``, ``layer`` or ``pyramid``;
        * ``name``: the row's own key at its level (indicator id, attribute,
          layer or check);
        * ``layer``, ``attribute``, ``indicator``: the keys of the row (empty
          above the row's level); ``check``: ``"cultural >= social"`` etc.;
        * ``input``: the registered indicator or the ``[ecosystem.indicators]`` key;
        * ``raw``, ``unit``, ``transformation``, ``direction``, ``normalised``;
        * ``weight`` (declared), ``effective_weight`` (after missing values),
          ``contribution`` (to the score one level up);
        * ``score``: attribute and layer score; for pyramid rows the margin
          (lower minus upper layer score);
        * ``missing``, ``imputed``, ``n_missing``;
        * ``drivers``: the items below, by decreasing contribution (``;``-separated);
        * ``supply``, ``external_only``: who supplies the attribute (when declared);
        * ``holds``: pyramid rows; ``note``: why a value is missing, clipping,
          the attribute or layer title, or the pyramid verdict; ``source``.

    Raises
    ------
    ModelSpecError
        Invalid model, a required input missing, or any input missing with
        ``missing="raise"`` (the message names the model file and key).
    InputError
        Unknown ``missing`` or ``level``; a raw value outside its
        transformation's domain.

    See Also
    --------
    model_scores : the same as an object with one table per level.
    miles_morrison_scores : the Miles & Morrison (2018) conditions.

    Notes
    -----
    Formulas, the missing-value policies, the pyramid check and the supply
    check are described in :func:`model_scores`. Spigel (2017) names the
    attributes but gives no scoring method; the indicators, transformations
    and weights of the shipped model are stated and sourced in
    ``models/spigel2017.toml`` and ``docs/analysis/scores.md``.

    References
    ----------
    .. [1] Spigel, B. (2017). The Relational Organization of Entrepreneurial
       Ecosystems. Entrepreneurship Theory and Practice 41(1), 49-72.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph.core.ecosystem import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "k"], "name": ["A", "Uni"],
    ...                   "kind": ["firm", "knowledge_institution"]}),
    ...     pd.DataFrame({"source": ["a"], "target": ["k"], "kind": ["knowledge_link"]}))
    >>> table = spigel_scores(eco)
    >>> sorted(table["level"].unique())
    ['attribute', 'indicator', 'layer', 'pyramid']
    >>> row = table[(table["level"] == "indicator") & (table["name"] == "knowledge_link_share")]
    >>> float(row["normalised"].iloc[0])
    1.0
    >>> spigel_scores(eco, level="layer")["n_attributes"].tolist()
    [2, 4, 5]
    """
    return _select(model_scores(eco, model=model, missing=missing), level)


def miles_morrison_scores(
    eco: Ecosystem,
    *,
    model: str | Path | ScoringModel = "miles_morrison2018",
    missing: MissingPolicy = "skip",
    level: Level = "all",
) -> pd.DataFrame:
    """Miles & Morrison's framework and systemic conditions (thesis Tabell 2).

    Parameters
    ----------
    eco : Ecosystem
    model : str, Path or ScoringModel, default "miles_morrison2018"
    missing : {"skip", "raise", "impute-mean", "impute-zero"}, default "skip"
        Policy for indicators without a value (see :data:`MISSING_POLICIES`).
    level : {"all", "indicator", "attribute", "layer", "pyramid", "missing"}, default "all"

    Returns
    -------
    DataFrame
        As :func:`spigel_scores`; the layers are ``framework`` and
        ``systemic``, the attributes are the eleven conditions. For conditions
        that declare suppliers, ``supply`` says who supplies them and
        ``external_only`` flags those supplied only by actors outside the
        ecosystem. The model has no pyramid, so there are no pyramid rows.

    Raises
    ------
    ModelSpecError
        Invalid model, a required input missing, or any input missing with
        ``missing="raise"``.
    InputError
        Unknown ``missing`` or ``level``; a raw value outside its
        transformation's domain.

    Notes
    -----
    Miles & Morrison stress that rural regions may fill gaps with external
    resources (public sector, educational institutions) but that the system
    must be led by its own entrepreneurs (thesis §2.2.3, seed-digest §2.6):
    the ``external only`` flag marks where it is not. Formulas as in
    :func:`model_scores`.

    References
    ----------
    .. [1] Miles, M. P. & Morrison, M. (2018). An effectual leadership
       perspective for developing rural entrepreneurial ecosystems. Small
       Business Economics 54, 933-949.

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph.core.ecosystem import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["a", "u"], "name": ["A", "University"],
    ...                   "kind": ["firm", "knowledge_institution"], "external": [False, True]}),
    ...     pd.DataFrame({"source": ["a"], "target": ["u"], "kind": ["knowledge_link"]}))
    >>> conditions = miles_morrison_scores(eco, level="attribute")
    >>> conditions.loc["knowledge", "supply"], bool(conditions.loc["knowledge", "external_only"])
    ('external only', True)
    """
    return _select(model_scores(eco, model=model, missing=missing), level)
