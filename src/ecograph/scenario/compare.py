"""Compare two ecosystems: baseline vs scenario, or the same network on two dates.

:func:`compare` runs the analyses of ecograph on both ecosystems and returns
a :class:`Comparison` of tidy delta tables, one per *section*:

==============  ==========================================================
section         what it compares
==============  ==========================================================
summary         actor and relation counts, components, largest component,
                isolates, density (computed here with igraph)
profile         every entry of :func:`ecograph.thin_dense_profile`
key_persons     ranks of :func:`ecograph.key_persons` (new, gone, moved)
interlocks      organisation pairs of :func:`ecograph.interlocks` gained,
                lost or changed
coopetition     dyads of :func:`ecograph.coopetition` (``level="dyad"``)
                that moved category, appeared or disappeared
scores          layer and attribute scores of the Spigel model with the
                intervals of :func:`ecograph.score_uncertainty`
reachability    organisations that gained or lost a path, or got closer /
                farther, in :func:`ecograph.reachability`
==============  ==========================================================

Each section is computed through the registry :data:`SECTIONS`. A section
whose analysis is not installed or fails is recorded in
:attr:`Comparison.status` (``"not available: <error>"``) and the others still
run.
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.core.ecosystem import Ecosystem
from ecograph.core.kinds import ACTOR_KINDS, RELATION_KINDS
from ecograph.exceptions import ComputationError, InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["SECTIONS", "Comparison", "Section", "compare"]

_NOT_PLOTTED: Final = r"^(null_|n_null|z\.|.*\.sources$)"
_RESERVED: Final = frozenset({
    "metric", "delta", "relative_change", "change", "person_id", "org_a", "org_b", "actor_id",
    "measure", "level", "name", "inside_interval", "verdict",
})


# ------------------------------------------------------------------ registry
@dataclass(frozen=True)
class Section:
    """One section of a comparison.

    Attributes
    ----------
    name : str
        Key of the section (file ``<name>.csv``).
    title : str
        Heading in the report.
    description : str
        One or two sentences saying what the table shows.
    compute : callable
        ``compute(a, b, labels) -> DataFrame``: the tidy delta table.
    """

    name: str
    title: str
    description: str
    compute: Callable[[Ecosystem, Ecosystem, tuple[str, str]], pd.DataFrame]


def _public(name: str) -> Callable[..., Any]:
    """The public ecograph function ``name``; ImportError/AttributeError when absent."""
    module = importlib.import_module("ecograph")
    return getattr(module, name)  # type: ignore[no-any-return]


class _NotAvailable(Exception):
    """The analysis a section needs is not installed or not implemented."""


def _call(name: str, eco: Ecosystem, **kwargs: Any) -> Any:
    try:
        func = _public(name)
    except (ImportError, AttributeError) as exc:
        raise _NotAvailable(f"ecograph.{name}: {type(exc).__name__}: {exc}") from exc
    return func(eco, **kwargs)


def _sides(labels: tuple[str, str], col: str) -> tuple[str, str]:
    return f"{col}_{labels[0]}", f"{col}_{labels[1]}"


# ------------------------------------------------------------------- summary
def _structure(eco: Ecosystem) -> dict[str, float]:
    """Counts and connectivity of the combined (all layers, undirected) graph."""
    n = len(eco.actors)
    out: dict[str, float] = {"actors": n}
    kinds = eco.actors["kind"].value_counts()
    out["persons"] = int(kinds.get("person", 0))
    out["organisations"] = n - out["persons"]
    for kind in ACTOR_KINDS:
        out[f"actors.{kind}"] = int(kinds.get(kind, 0))
    out["relations"] = len(eco.relations)
    rkinds = eco.relations["kind"].value_counts()
    for kind in RELATION_KINDS:
        out[f"relations.{kind}"] = int(rkinds.get(kind, 0))
    src, dst, _ = eco.edge_arrays()
    if n:
        g = eco.to_igraph()
        sizes = np.asarray(g.connected_components().sizes())
        degree = np.bincount(np.concatenate([src, dst]), minlength=n) if len(src) else np.zeros(n)
        out["components"] = len(sizes)
        out["largest_component"] = int(sizes.max())
        out["largest_component_share"] = float(sizes.max() / n)
        out["isolates"] = int((degree == 0).sum())
    else:
        out.update(components=0, largest_component=0, largest_component_share=math.nan,
                   isolates=0)
    if n >= 2:
        lo = np.minimum(src, dst)
        hi = np.maximum(src, dst)
        pairs = _arrays.unique(lo * n + hi).size if len(lo) else 0
        out["density"] = pairs / (n * (n - 1) / 2)
    else:
        out["density"] = math.nan
    return out


def _metric_table(va: Mapping[str, Any], vb: Mapping[str, Any], labels: tuple[str, str],
                  drop_zero: Iterable[str] = ()) -> pd.DataFrame:
    """Tidy ``metric, <a>, <b>, delta, relative_change`` from two mappings."""
    keys = list(dict.fromkeys([*va.keys(), *vb.keys()]))
    skip = set(drop_zero)
    rows = []
    for key in keys:
        x, y = va.get(key), vb.get(key)
        if key in skip and not x and not y:
            continue
        delta = rel = math.nan
        if _is_number(x) and _is_number(y):
            fx, fy = float(x), float(y)  # type: ignore[arg-type]
            # rounding noise of recomputed floats is not a change
            delta = 0.0 if math.isclose(fx, fy, rel_tol=1e-12, abs_tol=1e-15) else fy - fx
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = delta / abs(fx) if fx != 0 else (0.0 if delta == 0 else math.nan)
        rows.append({"metric": str(key), labels[0]: _plain(x), labels[1]: _plain(y),
                     "delta": delta, "relative_change": rel})
    return pd.DataFrame(rows, columns=["metric", labels[0], labels[1], "delta", "relative_change"])


def _is_number(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return True
    if isinstance(value, int | float | np.integer | np.floating):
        return math.isfinite(float(value))
    return False


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _summary(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    sa, sb = _structure(a), _structure(b)
    per_kind = [k for k in sa if k.startswith(("actors.", "relations."))]
    return _metric_table(sa, sb, labels, drop_zero=per_kind)


# ------------------------------------------------------------------- profile
def _as_mapping(result: Any, what: str) -> Mapping[str, Any]:
    if isinstance(result, pd.Series):
        return {str(k): v for k, v in result.items()}
    if isinstance(result, Mapping):
        return {str(k): v for k, v in result.items()}
    if isinstance(result, pd.DataFrame) and result.shape[1] == 1:
        return {str(k): v for k, v in result.iloc[:, 0].items()}
    raise ComputationError(f"{what} returned {type(result).__name__}; expected a Series or dict")


def _flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, pd.Series):
            out.update(_flatten({str(k): v for k, v in value.items()}, f"{name}."))
        else:
            out[name] = value
    return out


def _profile(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    pa = _flatten(_as_mapping(_call("thin_dense_profile", a), "thin_dense_profile"))
    pb = _flatten(_as_mapping(_call("thin_dense_profile", b), "thin_dense_profile"))
    return _metric_table(pa, pb, labels)


# --------------------------------------------------------------- key persons
KEY_PERSON_COLUMNS: Final = ("delta_largest_component", "delta_fragmentation", "interlocks_lost")
"""Impact columns of :func:`ecograph.key_persons` carried into the comparison (when present)."""


def _id_frame(frame: Any, id_col: str, what: str) -> pd.DataFrame:
    """A copy of ``frame`` with the actor id as column ``id_col``."""
    if not isinstance(frame, pd.DataFrame):
        raise ComputationError(f"{what} returned {type(frame).__name__}; expected a DataFrame")
    out = frame.copy()
    if id_col not in out.columns:
        if out.index.name in (id_col, "actor_id", "id", "person_id"):
            out = out.reset_index().rename(columns={out.index.name: id_col})
        else:
            raise ComputationError(f"{what} has no {id_col!r} column or index "
                                   f"(columns {list(out.columns)})")
    return out


def _key_persons(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    ka = _id_frame(_call("key_persons", a), "person_id", "key_persons")
    kb = _id_frame(_call("key_persons", b), "person_id", "key_persons")
    for frame in (ka, kb):
        if "rank" not in frame.columns:
            raise ComputationError("key_persons has no 'rank' column "
                                   f"(columns {list(frame.columns)})")
    ra, rb = _sides(labels, "rank")
    impact = [c for c in KEY_PERSON_COLUMNS if c in ka.columns and c in kb.columns]
    merged = pd.merge(ka[["person_id", "rank", *impact]].rename(columns={"rank": ra}),
                      kb[["person_id", "rank", *impact]].rename(columns={"rank": rb}),
                      on="person_id", how="outer", suffixes=(f"_{labels[0]}", f"_{labels[1]}"))
    x = pd.to_numeric(merged[ra], errors="coerce").astype("float64")
    y = pd.to_numeric(merged[rb], errors="coerce").astype("float64")
    merged[ra], merged[rb] = _whole(x), _whole(y)
    # rank 1 is the most critical: a positive rank_change means the person became more critical
    merged["rank_change"] = _whole(x - y)
    change = np.where(x.isna(), "new", np.where(y.isna(), "gone", np.where(
        x > y, "more critical", np.where(x < y, "less critical", "same rank"))))
    merged["change"] = change
    order = merged[[rb, ra]].min(axis=1)
    merged = merged.assign(_o=order).sort_values(["_o", "person_id"]).drop(columns="_o")
    extra = [c for col in impact for c in _sides(labels, col)]
    return merged.reset_index(drop=True)[["person_id", ra, rb, "rank_change", "change", *extra]]


def _whole(values: pd.Series) -> pd.Series:
    """Float values as nullable integers when every present value is whole."""
    v = values.to_numpy(dtype=float)
    present = np.isfinite(v)
    if np.all(np.floor(v[present]) == v[present]):
        return pd.Series(pd.array(np.where(present, v, 0).astype("int64"), dtype="Int64"),
                         index=values.index).mask(~present)
    return values


# --------------------------------------------------------------- interlocks
def _pair_frame(frame: Any, what: str, needed: Sequence[str]) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ComputationError(f"{what} returned {type(frame).__name__}; expected a DataFrame")
    out = frame.reset_index(drop=frame.index.name is None) if frame.index.name else frame.copy()
    missing = [c for c in needed if c not in out.columns]
    if missing:
        raise ComputationError(f"{what} lacks column(s) {missing} (columns {list(out.columns)})")
    a = out["org_a"].astype(str)
    b = out["org_b"].astype(str)
    swap = (a > b).to_numpy()
    out["org_a"] = np.where(swap, b, a)
    out["org_b"] = np.where(swap, a, b)
    return out


def _persons(value: Any) -> frozenset[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    if isinstance(value, str):
        return frozenset(p for p in value.split(";") if p)
    return frozenset(str(p) for p in value)


def _interlocks(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    need = ("org_a", "org_b", "shared_persons")
    ia = _pair_frame(_call("interlocks", a), "interlocks", need)
    ib = _pair_frame(_call("interlocks", b), "interlocks", need)
    keep = [c for c in ("org_a", "org_b", "shared_persons", "weight", "persons")
            if c in ia.columns and c in ib.columns]
    merged = pd.merge(ia[keep], ib[keep], on=["org_a", "org_b"], how="outer",
                      suffixes=(f"_{labels[0]}", f"_{labels[1]}"), indicator=True)
    sa, sb = _sides(labels, "shared_persons")
    x = pd.to_numeric(merged[sa], errors="coerce").fillna(0).astype("int64")
    y = pd.to_numeric(merged[sb], errors="coerce").fillna(0).astype("int64")
    merged[sa], merged[sb] = x, y
    cols = ["org_a", "org_b", "change", sa, sb]
    if "weight" in keep:
        cols += list(_sides(labels, "weight"))
    if "persons" in keep:
        pa, pb = _sides(labels, "persons")
        before = merged[pa].map(_persons)
        after = merged[pb].map(_persons)
        merged["persons_gained"] = [";".join(sorted(y_ - x_)) for x_, y_ in zip(before, after)]
        merged["persons_lost"] = [";".join(sorted(x_ - y_)) for x_, y_ in zip(before, after)]
        changed_people = (merged["persons_gained"] != "") | (merged["persons_lost"] != "")
        cols += ["persons_gained", "persons_lost"]
    else:
        changed_people = pd.Series(False, index=merged.index)
    side = merged["_merge"].astype(str).to_numpy()
    changed = (x != y).to_numpy() | changed_people.to_numpy()
    merged["change"] = np.where(side == "right_only", "gained",
                                np.where(side == "left_only", "lost",
                                         np.where(changed, "changed", "unchanged")))
    out = merged.loc[merged["change"] != "unchanged", cols]
    rank = out["change"].map({"lost": 0, "gained": 1, "changed": 2})
    out = out.assign(_r=rank).sort_values(["_r", "org_a", "org_b"]).drop(columns="_r")
    return out.reset_index(drop=True)


# -------------------------------------------------------------- coopetition
def _coopetition(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    need = ("org_a", "org_b", "category")
    ca = _pair_frame(_call("coopetition", a, level="dyad"), "coopetition", need)
    cb = _pair_frame(_call("coopetition", b, level="dyad"), "coopetition", need)
    keep = [c for c in ("org_a", "org_b", "category", "competitor_intensity",
                        "partner_intensity") if c in ca.columns and c in cb.columns]
    ca = ca[keep].drop_duplicates(["org_a", "org_b"])
    cb = cb[keep].drop_duplicates(["org_a", "org_b"])
    merged = pd.merge(ca, cb, on=["org_a", "org_b"], how="outer",
                      suffixes=(f"_{labels[0]}", f"_{labels[1]}"), indicator=True)
    ka, kb = _sides(labels, "category")
    side = merged["_merge"].astype(str).to_numpy()
    moved = (merged[ka].astype("string") != merged[kb].astype("string")).fillna(False)
    shifted = np.zeros(len(merged), dtype=bool)
    for col in ("competitor_intensity", "partner_intensity"):
        if col in keep:
            x, y = _sides(labels, col)
            xa = pd.to_numeric(merged[x], errors="coerce").to_numpy(dtype=float)
            ya = pd.to_numeric(merged[y], errors="coerce").to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                shifted |= ~np.isclose(xa, ya, equal_nan=True)
    merged["change"] = np.where(side == "right_only", "gained",
                                np.where(side == "left_only", "lost",
                                         np.where(moved.to_numpy(dtype=bool), "moved",
                                                  np.where(shifted, "shifted", "unchanged"))))
    cols = ["org_a", "org_b", "change", ka, kb]
    for col in ("competitor_intensity", "partner_intensity"):
        if col in keep:
            cols += list(_sides(labels, col))
    rank = merged["change"].map({"moved": 0, "lost": 1, "gained": 2, "shifted": 3,
                                 "unchanged": 4})
    out = merged.assign(_r=rank).sort_values(["_r", "org_a", "org_b"])
    return out.reset_index(drop=True)[cols]


# ------------------------------------------------------------------- scores
SCORE_MODEL: Final = "spigel2017"
"""The scoring model used by the ``scores`` section."""

UNCERTAINTY_DRAWS: Final = 1000
"""Draws of :func:`ecograph.score_uncertainty` per ecosystem (seed 0, 90 % intervals)."""


def _score_rows(eco: Ecosystem) -> pd.DataFrame:
    """Scores of ``eco`` with their intervals: ``level, name, score, lower, upper``."""
    table = _call("score_uncertainty", eco, model=SCORE_MODEL, n_draws=UNCERTAINTY_DRAWS,
                  seed=0)
    if not isinstance(table, pd.DataFrame):
        raise ComputationError(f"score_uncertainty returned {type(table).__name__}; "
                               "expected a DataFrame")
    t = table.reset_index() if table.index.name in ("level", "name") else table
    lo = next((c for c in ("score_lower", "score_low") if c in t.columns), None)
    hi = next((c for c in ("score_upper", "score_high") if c in t.columns), None)
    if lo is None or hi is None or not {"level", "name", "score"} <= set(t.columns):
        raise ComputationError("score_uncertainty returned no 'level', 'name', 'score' and "
                               f"interval columns (columns {list(t.columns)})")
    t = t[t["level"].astype(str) != "pyramid"]
    return pd.DataFrame({
        "level": t["level"].astype(str).to_numpy(),
        "name": t["name"].astype(str).to_numpy(),
        "score": pd.to_numeric(t["score"], errors="coerce").to_numpy(dtype=float),
        "lower": pd.to_numeric(t[lo], errors="coerce").to_numpy(dtype=float),
        "upper": pd.to_numeric(t[hi], errors="coerce").to_numpy(dtype=float),
    })


_LEVEL_ORDER: Final = {"index": 0, "overall": 0, "layer": 1, "attribute": 2}


def _scores(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    sa, sb = _score_rows(a), _score_rows(b)
    merged = pd.merge(sa, sb, on=["level", "name"], how="outer",
                      suffixes=(f"_{labels[0]}", f"_{labels[1]}"))
    # the model's order (first side, then rows only the second has), layers before attributes
    keys = list(dict.fromkeys([*zip(sa["level"], sa["name"]), *zip(sb["level"], sb["name"])]))
    merged = merged.set_index(["level", "name"]).reindex(keys).reset_index()
    order = merged["level"].map(_LEVEL_ORDER).fillna(len(_LEVEL_ORDER))
    merged = merged.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")
    return _score_verdicts(merged.reset_index(drop=True), labels)


def _score_verdicts(merged: pd.DataFrame, labels: tuple[str, str]) -> pd.DataFrame:
    """Add ``delta``, ``inside_interval`` and ``verdict`` to merged score rows.

    A change is *inside the interval* when the second score lies within the
    first ecosystem's uncertainty interval ``[lower, upper]``.
    """
    xa, xb = _sides(labels, "score")
    la, _ = _sides(labels, "lower")
    ua, _ = _sides(labels, "upper")
    x = merged[xa].to_numpy(dtype=float)
    y = merged[xb].to_numpy(dtype=float)
    lo = merged[la].to_numpy(dtype=float)
    hi = merged[ua].to_numpy(dtype=float)
    merged["delta"] = y - x
    known = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(y)
    with np.errstate(invalid="ignore"):
        inside = (y >= lo) & (y <= hi)
    merged["inside_interval"] = pd.array(np.where(known, inside, False), dtype="boolean")
    merged.loc[~known, "inside_interval"] = pd.NA
    verdict = np.where(~np.isfinite(x) | ~np.isfinite(y), "not comparable",
                       np.where(~known, "no interval",
                                np.where(inside, "inside the interval",
                                         np.where(y > hi, "above the interval",
                                                  "below the interval"))))
    merged["verdict"] = verdict
    cols = ["level", "name", xa, xb, "delta", la, ua, *_sides(labels, "lower")[1:],
            *_sides(labels, "upper")[1:], "inside_interval", "verdict"]
    return merged[[c for c in cols if c in merged.columns]].reset_index(drop=True)


# ------------------------------------------------------------- reachability
def _reach_table(result: Any) -> pd.DataFrame:
    frame = _id_frame(result, "actor_id", "reachability")
    numeric = [c for c in frame.columns if c != "actor_id"
               and pd.api.types.is_numeric_dtype(frame[c].dtype)
               and not pd.api.types.is_bool_dtype(frame[c].dtype)]
    if not numeric:
        raise ComputationError("reachability has no numeric (distance) column "
                               f"(columns {list(frame.columns)})")
    return frame.set_index("actor_id")[numeric].astype("float64")


def _reachability(a: Ecosystem, b: Ecosystem, labels: tuple[str, str]) -> pd.DataFrame:
    ra = _reach_table(_call("reachability", a))
    rb = _reach_table(_call("reachability", b))
    measures = [c for c in ra.columns if c in rb.columns]
    ids = ra.index.union(rb.index)
    rows = []
    for m in measures:
        x = ra[m].reindex(ids).to_numpy(dtype=float)
        y = rb[m].reindex(ids).to_numpy(dtype=float)
        in_a = ids.isin(ra.index)
        in_b = ids.isin(rb.index)
        fx, fy = np.isfinite(x), np.isfinite(y)
        change = np.select(
            [~in_a & fy, ~in_b & fx, in_a & in_b & ~fx & fy, in_a & in_b & fx & ~fy,
             fx & fy & (y < x), fx & fy & (y > x)],
            ["new actor", "removed actor", "gained", "lost", "closer", "farther"],
            default="unchanged")
        with np.errstate(invalid="ignore"):
            delta = np.where(fx & fy, y - x, np.nan)
        part = pd.DataFrame({"actor_id": ids.astype(str), "measure": m, labels[0]: x,
                             labels[1]: y, "delta": delta, "change": change})
        rows.append(part[part["change"] != "unchanged"])
    cols = ["actor_id", "measure", labels[0], labels[1], "delta", "change"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["measure", "change", "actor_id"]).reset_index(drop=True)[cols]


SECTIONS: tuple[Section, ...] = (
    Section("summary", "Size and connectivity",
            "Actors and relations by kind, connected components of the combined graph, the "
            "largest component, isolated actors and the density of actor pairs linked in any "
            "layer.", _summary),
    Section("profile", "Thin-and-dense profile",
            "Every entry of the thin-and-dense profile (ecograph.thin_dense_profile) on both "
            "sides, with the difference.", _profile),
    Section("key_persons", "Key persons",
            "Ranks of the persons whose removal hurts the network most (ecograph.key_persons; "
            "rank 1 = most critical): who is new, gone, or more or less critical.", _key_persons),
    Section("interlocks", "Interlocks gained and lost",
            "Organisation pairs that share board members or managers (ecograph.interlocks) on "
            "one side only, or whose shared persons changed.", _interlocks),
    Section("coopetition", "Co-opetition moves",
            "Co-opetition dyads (ecograph.coopetition) that moved to another category, appeared, "
            "disappeared, or changed intensities within their category.", _coopetition),
    Section("scores", "Layer and attribute scores",
            "Scores of the Spigel (2017) model (ecograph.spigel_scores) with their 90 % "
            "intervals under weight perturbation and indicator bootstrap "
            "(ecograph.score_uncertainty). A change whose new score lies inside the baseline's "
            "interval is reported as inside the interval: it is not a clear change.", _scores),
    Section("reachability", "Reachability changes",
            "Organisations whose shortest person-mediated path to knowledge institutions, public "
            "bodies, support organisations or external actors (ecograph.reachability) appeared, "
            "disappeared, or got shorter or longer.", _reachability),
)
"""The sections of a comparison, in report order."""


# ------------------------------------------------------------------- result
@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`: tidy delta tables, a status table, a plot and HTML.

    Attributes
    ----------
    labels : tuple of str
        Names of the two sides (column names in the tables).
    names : tuple of str
        The two ecosystems' metadata names.
    tables : dict of DataFrame
        Section name -> delta table (empty with no columns when not available).
    status : DataFrame
        One row per section: ``section``, ``title``, ``status`` (``ok``,
        ``not available``, ``error``), ``rows``, ``message``.
    actor_names : Series
        Actor id -> display name over both ecosystems (for reports).
    """

    labels: tuple[str, str]
    names: tuple[str, str]
    tables: dict[str, pd.DataFrame]
    status: pd.DataFrame
    actor_names: pd.Series = field(repr=False)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]  # type: ignore[no-any-return]
        raise AttributeError(f"'Comparison' object has no attribute {name!r}")

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no section {name!r}; sections are {list(self.tables)}") from None

    def __repr__(self) -> str:
        ok = self.status.loc[self.status["status"] == "ok", "section"].tolist()
        missing = self.status.loc[self.status["status"] != "ok", "section"].tolist()
        text = f"<Comparison {self.labels[0]!r} vs {self.labels[1]!r}: {', '.join(ok) or 'nothing'}"
        if missing:
            text += f"; not available: {', '.join(missing)}"
        return text + ">"

    def counts(self) -> dict[str, int]:
        """Headline counts of what changed, for the report and the plot.

        Returns
        -------
        dict of str to int
            ``"<section>: <change>"`` -> number of rows, e.g.
            ``"interlocks: lost"``; only sections that are available contribute.
        """
        out: dict[str, int] = {}
        for section, values in (("interlocks", ("gained", "lost", "changed")),
                                ("coopetition", ("moved", "gained", "lost")),
                                ("key_persons", ("new", "gone", "more critical",
                                                 "less critical")),
                                ("reachability", ("gained", "lost", "closer", "farther"))):
            t = self.tables.get(section)
            if t is None or "change" not in t.columns or self._state(section) != "ok":
                continue
            vc = t["change"].value_counts()
            for v in values:
                out[f"{section}: {v}"] = int(vc.get(v, 0))
        t = self.tables.get("scores")
        if t is not None and "verdict" in t.columns and self._state("scores") == "ok":
            vc = t["verdict"].value_counts()
            for v in ("inside the interval", "above the interval", "below the interval"):
                out[f"scores: {v}"] = int(vc.get(v, 0))
        return out

    def _state(self, section: str) -> str:
        row = self.status.loc[self.status["section"] == section, "status"]
        return str(row.iloc[0]) if len(row) else "absent"

    # ---------------------------------------------------------------- plot
    def plot(self, *, max_metrics: int = 12) -> Figure:
        """A figure of the comparison: structural changes, change counts and scores.

        Parameters
        ----------
        max_metrics : int, default 12
            Most summary/profile metrics shown (largest relative changes first).

        Returns
        -------
        matplotlib.figure.Figure
            Up to four panels: relative change of the summary and profile
            metrics; counts of gained / lost / moved items; layer scores of
            both sides; indices with their uncertainty intervals. Not attached
            to pyplot; save it with ``fig.savefig(path)``.

        Raises
        ------
        OptionalDependencyError
            When matplotlib is not installed (``pip install 'ecograph[viz]'``).
        """
        from ecograph._optional import require

        figure_mod = require("matplotlib.figure", "plotting a comparison")
        metrics = self._plot_metrics(max_metrics)
        counts = {k: v for k, v in self.counts().items() if not k.startswith("scores")}
        scores = self.tables.get("scores")
        if scores is None or self._state("scores") != "ok" or scores.empty:
            scores = pd.DataFrame(columns=["level", "name", "lower_" + self.labels[0]])
        xa, xb = _sides(self.labels, "score")
        finite = scores.reindex(columns=[xa, xb]).apply(pd.to_numeric, errors="coerce")
        scores = scores[np.isfinite(finite.to_numpy(dtype=float)).any(axis=1)]
        lower_a = _sides(self.labels, "lower")[0]
        with_interval = np.isfinite(pd.to_numeric(scores[lower_a], errors="coerce")
                                    .to_numpy(dtype=float))
        points, intervals = scores[~with_interval], scores[with_interval]
        panels = 2 + int(len(points) > 0) + int(len(intervals) > 0)
        rows = 1 if panels <= 2 else 2
        fig: Figure = figure_mod.Figure(figsize=(12.0, 4.6 * rows), layout="constrained")
        axes = list(fig.subplots(rows, 2, squeeze=False).ravel())
        la, lb = (_mpl_text(x) for x in self.labels)
        fig.suptitle(f"{la} vs {lb}")
        self._plot_metrics_panel(axes.pop(0), metrics)
        self._plot_counts_panel(axes.pop(0), counts)
        if len(points):
            self._plot_scores_panel(axes.pop(0), points, "Layer scores", interval=False)
        if len(intervals):
            self._plot_scores_panel(axes.pop(0), intervals, "Scores with 90 % intervals",
                                    interval=True)
        for ax in axes:
            ax.set_axis_off()
        return fig

    @staticmethod
    def _plot_metrics_panel(ax: Any, metrics: pd.DataFrame) -> None:
        if len(metrics):
            y = np.arange(len(metrics))
            values = metrics["relative_change"].to_numpy(dtype=float) * 100
            ax.barh(y, values, color=np.where(values >= 0, "#3b7dd8", "#d8593b"))
            ax.set_yticks(y, [_mpl_text(m) for m in metrics["label"]], fontsize=8)
            ax.axvline(0, color="0.3", lw=0.8)
            ax.invert_yaxis()
            ax.set_xlabel("change (%)")
        else:
            ax.text(0.5, 0.5, "no structural change", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
        ax.set_title("Structure and profile")

    @staticmethod
    def _plot_counts_panel(ax: Any, counts: dict[str, int]) -> None:
        if counts:
            names = list(counts)
            y = np.arange(len(names))
            values = [counts[n] for n in names]
            bars = ax.barh(y, values, color="#6a6a6a")
            ax.bar_label(bars, fontsize=8, padding=2)
            ax.set_yticks(y, [_mpl_text(n) for n in names], fontsize=8)
            ax.set_xlim(0, max(1.0, max(values) * 1.15))
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.invert_yaxis()
            ax.set_xlabel("count")
        else:
            ax.text(0.5, 0.5, "no change tables available", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
        ax.set_title("What changed")

    def _plot_scores_panel(self, ax: Any, scores: pd.DataFrame, title: str, *,
                           interval: bool) -> None:
        names = [_mpl_text(f"{lv}: {nm}") for lv, nm in zip(scores["level"], scores["name"])]
        y = np.arange(len(names))
        for offset, side, colour in ((-0.12, self.labels[0], "#6a6a6a"),
                                     (0.12, self.labels[1], "#3b7dd8")):
            val = pd.to_numeric(scores[f"score_{side}"], errors="coerce").to_numpy(dtype=float)
            ok = np.isfinite(val)
            if interval:
                low = pd.to_numeric(scores[f"lower_{side}"], errors="coerce").to_numpy(dtype=float)
                high = pd.to_numeric(scores[f"upper_{side}"], errors="coerce").to_numpy(
                    dtype=float)
                err = np.vstack([np.nan_to_num(val - low, nan=0.0),
                                 np.nan_to_num(high - val, nan=0.0)]).clip(min=0)
                ax.errorbar(val[ok], (y + offset)[ok], xerr=err[:, ok], fmt="o", color=colour,
                            capsize=3, label=_mpl_text(side))
            else:
                ax.plot(val[ok], (y + offset)[ok], "o", color=colour, label=_mpl_text(side))
                ax.set_xlim(-0.03, 1.03)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlabel("score")
        ax.legend(fontsize=8, loc="best")
        ax.set_title(title)

    def _plot_metrics(self, limit: int) -> pd.DataFrame:
        parts = []
        for section in ("summary", "profile"):
            t = self.tables.get(section)
            if t is None or self._state(section) != "ok" or "relative_change" not in t.columns:
                continue
            # null-model statistics and z-scores have no meaningful relative change
            model_stats = t["metric"].astype(str).str.match(_NOT_PLOTTED).to_numpy(dtype=bool)
            sub = t[np.isfinite(t["relative_change"].to_numpy(dtype=float))
                    & (t["delta"].to_numpy(dtype=float) != 0) & ~model_stats]
            sub = sub.assign(label=[f"{m}: {_fmt(x)} → {_fmt(y)}" for m, x, y in
                                    zip(sub["metric"], sub[self.labels[0]], sub[self.labels[1]])])
            parts.append(sub[["metric", "label", "relative_change"]])
        if not parts:
            return pd.DataFrame(columns=["metric", "label", "relative_change"])
        allm = pd.concat(parts, ignore_index=True).drop_duplicates("metric")
        order = allm["relative_change"].abs().sort_values(ascending=False, kind="stable").index
        return pd.DataFrame(allm.loc[order[:limit]])

    # ---------------------------------------------------------------- HTML
    def to_html(self, *, plot: bool = True, max_rows: int = 25, heading_level: int = 2) -> str:
        """The comparison as an HTML ``<section>`` for the report (all text escaped).

        Parameters
        ----------
        plot : bool, default True
            Embed the plot as a PNG ``data:`` URI (skipped without matplotlib).
        max_rows : int, default 25
            Rows shown per table; the CSV files have them all.
        heading_level : int, default 2
            Level of the section heading (``<h2>``); sub-headings one below.

        Returns
        -------
        str
            Self-contained HTML: no script, no external resource.

        Raises
        ------
        InputError
            When ``heading_level`` is not between 1 and 5.

        Notes
        -----
        Actor names and labels are untrusted data: every string goes through
        :func:`html.escape`.
        """
        if not 1 <= heading_level <= 5:
            raise InputError(f"heading_level must be between 1 and 5, got {heading_level}")
        h, h2 = f"h{heading_level}", f"h{heading_level + 1}"
        esc = html.escape
        la, lb = self.labels
        parts = ['<section class="ecograph-compare">',
                 f"<{h}>Comparison: {esc(la)} vs {esc(lb)}</{h}>",
                 f"<p>{esc(la)}: <em>{esc(self.names[0])}</em>; {esc(lb)}: "
                 f"<em>{esc(self.names[1])}</em>. Positive deltas mean {esc(lb)} has more.</p>"]
        counts = self.counts()
        if counts:
            items = "".join(f"<li>{esc(k)}: {v}</li>" for k, v in counts.items())
            parts.append(f'<ul class="ecograph-compare-counts">{items}</ul>')
        if plot:
            png = self._png()
            if png is not None:
                parts.append(f'<figure><img alt="{esc(f"Comparison of {la} and {lb}")}" '
                             f'src="data:image/png;base64,{png}"></figure>')
        titles = {s.name: s for s in SECTIONS}
        for rec in self.status.itertuples(index=False):
            section = titles.get(str(rec.section))
            parts.append(f"<{h2}>{esc(str(rec.title))}</{h2}>")
            if section is not None:
                parts.append(f"<p>{esc(section.description)}</p>")
            if rec.status != "ok":
                parts.append(f'<p class="ecograph-unavailable">{esc(str(rec.message))}</p>')
                continue
            table = self.tables[str(rec.section)]
            note = ""
            if "metric" in table.columns and "delta" in table.columns:
                same = (table["delta"].to_numpy(dtype=float) == 0)
                if same.any():
                    note = (f"<p>{int(same.sum())} unchanged metric(s) not shown; every metric "
                            f"is in {esc(str(rec.section))}.csv.</p>")
                table = table[~same]
            if table.empty:
                parts.append(note + "<p>No differences.</p>")
                continue
            parts.append(self._html_table(table, max_rows) + note)
        parts.append("</section>")
        return "\n".join(parts)

    def _html_table(self, table: pd.DataFrame, max_rows: int) -> str:
        esc = html.escape
        names = self.actor_names
        id_cols = {"org_a", "org_b", "person_id", "actor_id"}
        head = "".join(f"<th>{esc(str(c))}</th>" for c in table.columns)
        body = []
        for row in table.head(max_rows).itertuples(index=False):
            cells = []
            for col, value in zip(table.columns, row):
                text = _fmt(value)
                if col in id_cols and isinstance(value, str) and value in names.index:
                    text = f"{names[value]} ({value})"
                cells.append(f"<td>{esc(text)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = ""
        if len(table) > max_rows:
            more = f"<p>{len(table) - max_rows} more row(s) in the CSV file.</p>"
        return (f'<table class="ecograph-compare-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>{more}")

    def _png(self) -> str | None:
        from ecograph.exceptions import OptionalDependencyError

        try:
            fig = self.plot()
        except OptionalDependencyError:
            return None
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        return base64.b64encode(buf.getvalue()).decode("ascii")

    # --------------------------------------------------------------- write
    def write(self, out: str | Path, *, plot: bool = True) -> dict[str, Path]:
        """Write every available table as CSV, the status, the plot and an HTML page.

        Parameters
        ----------
        out : str or Path
            Output folder (created if needed).
        plot : bool, default True
            Also write ``compare.png`` (skipped, with a note in the status
            file, when matplotlib is missing).

        Returns
        -------
        dict of str to Path
            File key (section name, ``status``, ``plot``, ``html``) -> path.

        Notes
        -----
        Files: ``<section>.csv`` for every available section, ``status.csv``,
        ``compare.png`` and ``compare.html`` (the report section as a page).
        """
        from ecograph.exceptions import OptionalDependencyError
        from ecograph.outputs import write_table

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for rec in self.status.itertuples(index=False):
            if rec.status == "ok":
                name = str(rec.section)
                written[name] = write_table(self.tables[name], folder / f"{name}.csv")
        status = self.status.copy()
        if plot:
            try:
                fig = self.plot()
            except OptionalDependencyError as exc:
                note = pd.DataFrame([("plot", "Plot", "not available", 0,
                                      f"not available: {exc}")], columns=status.columns)
                status = pd.concat([status, note], ignore_index=True)
            else:
                path = folder / "compare.png"
                fig.savefig(path, dpi=110)
                written["plot"] = path
        written["status"] = write_table(status, folder / "status.csv")
        page = folder / "compare.html"
        page.write_text(_PAGE.format(title=html.escape(f"{self.labels[0]} vs {self.labels[1]}"),
                                     body=self.to_html(plot=plot)), encoding="utf-8")
        written["html"] = page
        return written


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>ecograph comparison: {title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; font-size: 0.85rem; margin-bottom: 1rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; }}
.ecograph-unavailable {{ color: #8a4b00; }}
img {{ max-width: 100%; }}
</style></head>
<body>
{body}
</body></html>
"""


def _fmt(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        if number.is_integer() and abs(number) < 1e12:
            return str(int(number))
        return f"{number:.4g}"
    return str(value)


def _mpl_text(text: str) -> str:
    """Text safe for matplotlib (no mathtext from ``$``)."""
    return str(text).replace("$", r"\$")


# ------------------------------------------------------------------ compare
def _check_labels(labels: Sequence[str]) -> tuple[str, str]:
    if isinstance(labels, str) or len(labels) != 2:
        raise InputError(f"labels must be two names, got {labels!r}")
    la, lb = (str(x).strip() for x in labels)
    if not la or not lb or la == lb:
        raise InputError(f"labels must be two different non-empty names, got {labels!r}")
    bad = [x for x in (la, lb) if x in _RESERVED]
    if bad:
        raise InputError(f"labels {bad} clash with column names; choose others")
    return la, lb


def compare(
    a: Ecosystem,
    b: Ecosystem,
    *,
    labels: Sequence[str] = ("baseline", "scenario"),
    sections: Iterable[str] | None = None,
) -> Comparison:
    """Compare two ecosystems section by section.

    Parameters
    ----------
    a, b : Ecosystem
        Baseline and scenario (``scenario.apply(a)``), or two snapshots
        (``eco.as_of(d1)``, ``eco.as_of(d2)``). Neither is changed.
    labels : pair of str, default ("baseline", "scenario")
        Names of the two sides; used as column names (``rank_baseline``,
        ``baseline``, ...) and in the plot and report.
    sections : iterable of str, optional
        Names from :data:`SECTIONS` to compute (all by default).

    Returns
    -------
    Comparison
        ``.tables[name]`` per section (also ``.summary``, ``.interlocks``,
        ...), ``.status``, ``.plot()``, ``.to_html()``, ``.write(out)``.

    Raises
    ------
    InputError
        For bad labels or an unknown section name.

    Notes
    -----
    Deltas are ``b - a``; ``relative_change = (b - a) / |a|`` (NaN when
    ``a == 0`` and ``b != 0``). Tables list differences only, except
    ``summary`` and ``profile`` which list every metric, and ``coopetition``
    which lists every dyad with its ``change``:

    * ``summary``/``profile``: ``metric, <a>, <b>, delta, relative_change``.
      Components are those of the combined undirected graph of all layers,
      isolated actors included (each is a component); density is the share
      of actor pairs linked in at least one layer.
    * ``key_persons``: ``person_id, rank_<a>, rank_<b>, rank_change,
      change``; ``rank_change = rank_<a> - rank_<b>`` (positive: more
      critical in ``b``); ``change`` in new, gone, more critical, less
      critical, same rank.
    * ``interlocks``: ``org_a, org_b, change`` (gained, lost, changed),
      the shared-person counts and weights of both sides, and
      ``persons_gained`` / ``persons_lost`` (``;``-separated ids).
    * ``coopetition``: ``org_a, org_b, change`` (moved, lost, gained,
      shifted = intensities changed within the category, unchanged), the
      categories and intensities of both sides.
    * ``scores``: ``level`` (layer, attribute), ``name``, ``score_<a>``,
      ``score_<b>``, ``delta``, the 90 % intervals ``lower_*``/``upper_*`` of
      :func:`ecograph.score_uncertainty` (model ``spigel2017``, 1000 draws,
      seed 0), ``inside_interval`` (the new score lies in the baseline's
      closed interval) and ``verdict`` (inside / above / below the interval,
      no interval, not comparable = a score missing on a side).
    * ``reachability``: ``actor_id, measure, <a>, <b>, delta, change``
      (gained = unreachable -> reachable, lost, closer, farther, new actor,
      removed actor); unreachable is NaN or infinite.

    A section whose analysis is missing or fails does not stop the others:
    its status is ``not available`` or ``error`` with the message, and its
    table is empty.

    References
    ----------
    .. [1] Spigel, B. (2017). The relational organization of entrepreneurial
       ecosystems. *Entrepreneurship Theory and Practice* 41(1), 49-72.
    .. [2] Borgatti, S. P. (2006). Identifying sets of key players in a social
       network. *Computational and Mathematical Organization Theory* 12, 21-34.

    Examples
    --------
    >>> import ecograph
    >>> eco = ecograph.load_roros()
    >>> leaves = ecograph.Scenario.remove_actor("rorosmeieriet", name="rorosmeieriet-leaves")
    >>> result = compare(eco, leaves.apply(eco), sections=["summary"])
    >>> result.status[["section", "status"]].values.tolist()
    [['summary', 'ok']]
    >>> int(result.summary.set_index("metric").loc["actors", "delta"])
    -1
    """
    la, lb = _check_labels(labels)
    wanted = list(sections) if sections is not None else [s.name for s in SECTIONS]
    known = {s.name for s in SECTIONS}
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise InputError(f"unknown section(s) {unknown}; expected some of {sorted(known)}")
    tables: dict[str, pd.DataFrame] = {}
    records = []
    for section in SECTIONS:
        if section.name not in wanted:
            continue
        try:
            table = section.compute(a, b, (la, lb))
        except _NotAvailable as exc:
            tables[section.name] = pd.DataFrame()
            records.append((section.name, section.title, "not available", 0,
                            f"not available: {exc}"))
        except Exception as exc:  # one failing section must not stop the others
            tables[section.name] = pd.DataFrame()
            records.append((section.name, section.title, "error", 0,
                            f"not available: {type(exc).__name__}: {exc}"))
        else:
            tables[section.name] = table
            records.append((section.name, section.title, "ok", len(table), ""))
    status = pd.DataFrame(records, columns=["section", "title", "status", "rows", "message"])
    names = pd.concat([b.actors["name"], a.actors["name"]])
    names = names[~names.index.duplicated()].astype(str)
    return Comparison((la, lb), (a.meta.name, b.meta.name), tables, status, names)
