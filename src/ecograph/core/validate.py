"""Vectorised validation and typing of actor and relation frames.

One pass of numpy / pandas operations per rule, never a Python loop over
rows, so a million relations are checked in seconds. Every problem becomes an
:class:`~ecograph.exceptions.Issue` naming the file, the spreadsheet row (the
header is row 1) and the field; all problems are collected before anything is
raised.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecograph.core._lookup import isin, positions
from ecograph.core.kinds import (
    ACTOR_KINDS,
    LEGAL_FORMS,
    PROVENANCES,
    RELATION_KINDS,
    RELATION_RULES,
    SUPPORT_FUNCTIONS,
)
from ecograph.core.schema import (
    ACTOR_COLUMNS,
    ORGANISATION_FIELDS,
    RELATION_COLUMNS,
    Actor,
    ColumnSpec,
    Relation,
    field_bounds,
    suggest_column,
)
from ecograph.exceptions import Issue

__all__ = ["EXTRA_DTYPES", "ValidationReport", "coerce_extra", "validate_frames"]

_TRUE = {"true", "yes", "ja", "1", "y", "t"}
_FALSE = {"false", "no", "nei", "0", "n", "f"}
_MAX_ISSUES_PER_RULE = 1000

EXTRA_DTYPES: dict[str, str] = {
    "text": "string",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[s]",
}
"""Declarable dtypes of extra columns (``[columns]`` table of ``ecosystem.toml``)."""


@dataclass
class ValidationReport:
    """Typed frames plus the problems and warnings found.

    Attributes
    ----------
    actors, relations : DataFrame
        Typed frames (actors indexed by ``id``).
    issues : list of Issue
        Errors; the data is invalid when non-empty.
    warnings : list of Issue
        Legal but suspicious input.
    extra_dtypes : dict
        The dtype chosen for every extra column, per table.
    endpoints : (ndarray, ndarray) or None
        Row position in ``actors`` of every relation's source and target
        (``-1`` when dangling), as looked up by the checks.
    """

    actors: pd.DataFrame
    relations: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    extra_dtypes: dict[str, dict[str, str]] = field(default_factory=dict)
    endpoints: tuple[np.ndarray, np.ndarray] | None = None


def _rows(mask: np.ndarray | pd.Series) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask, dtype=bool))


def _emit(
    issues: list[Issue], file: str, positions: Iterable[int], fld: str | None, message: str,
    values: Any = None,
) -> None:
    positions = list(positions)
    for k, pos in enumerate(positions[:_MAX_ISSUES_PER_RULE]):
        value = None if values is None else values[k]
        if value is pd.NA or value is pd.NaT:
            value = None
        elif isinstance(value, np.generic):
            value = value.item()
        issues.append(Issue(file, int(pos) + 2, fld, message, value))
    if len(positions) > _MAX_ISSUES_PER_RULE:
        issues.append(
            Issue(file, None, fld, f"{len(positions) - _MAX_ISSUES_PER_RULE} more rows with: {message}")
        )


def _as_text(series: pd.Series) -> pd.Series:
    """Text view of a raw column: stripped strings, empty -> NA."""
    if isinstance(series.dtype, pd.StringDtype):
        out = series.str.strip()
    elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        out = series.astype("string").str.strip()
    else:
        return series
    return out.mask(out == "", pd.NA)


def _coerce(
    raw: pd.Series, dtype: str, file: str, name: str, issues: list[Issue], decimal: str = "."
) -> pd.Series:
    """Convert a raw column to ``dtype``; unparseable non-empty cells become issues.

    With ``decimal=","`` (a semicolon-separated file, as Excel writes it in a
    Norwegian locale) a number written ``0,5`` reads as 0.5.
    """
    text = _as_text(raw)
    present = text.notna().to_numpy()
    if dtype == "string":
        if not (isinstance(text.dtype, pd.StringDtype) or text.dtype == object):
            text = text.astype("string")
        return text.astype("string")
    if dtype in ("float64", "Int64"):
        if pd.api.types.is_bool_dtype(text.dtype):
            bad = _rows(present)
            _emit(issues, file, bad, name, "expected a number, got a boolean")
            return pd.Series(np.nan, index=raw.index, dtype="float64" if dtype == "float64" else "Int64")
        if isinstance(text.dtype, pd.StringDtype) or text.dtype == object:
            text = text.astype("string")  # NA-backed: integer text parses to exact Int64
            if decimal == ",":
                text = text.str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
        parsed = pd.to_numeric(text, errors="coerce")
        # every parsed cell an exact integer: keep it (float64 loses digits above 2**53)
        exact_int = pd.api.types.is_signed_integer_dtype(parsed.dtype)
        num = parsed.astype("float64")
        numv = num.to_numpy(dtype="float64", na_value=np.nan)
        failed = present & np.isnan(numv)
        if isinstance(text.dtype, pd.StringDtype) or text.dtype == object:
            # 'nan' / 'inf' spelled out are parse successes for numpy but invalid for us
            lowered = text.str.lower()
            spelled = lowered.isin(["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"])
            failed |= spelled.fillna(False).to_numpy(dtype=bool)
        inf = np.isinf(numv)
        comma = np.zeros(len(numv), dtype=bool)
        if isinstance(text.dtype, pd.StringDtype):
            comma = text.str.fullmatch(r"[+-]?\d+,\d+").fillna(False).to_numpy(dtype=bool) & failed
        plain = failed & ~inf & ~comma
        word = "a whole number" if dtype == "Int64" else "a finite number"
        _emit(issues, file, _rows(plain), name, f"expected {word}", list(raw.iloc[_rows(plain)]))
        _emit(issues, file, _rows(comma), name,
              "expected a number with a decimal point (0.5, not 0,5); decimal commas are read "
              "only from semicolon-separated files", list(raw.iloc[_rows(comma)]))
        _emit(issues, file, _rows(inf), name, "expected a finite number, got infinity",
              list(raw.iloc[_rows(inf)]))
        numv = numv.copy()
        numv[failed | inf] = np.nan
        if dtype == "Int64":
            frac = ~np.isnan(numv) & (np.floor(numv) != numv)
            _emit(issues, file, _rows(frac), name, "expected a whole number", list(numv[frac]))
            big = ~frac & ~np.isnan(numv) & (np.abs(numv) >= 2.0**63) & (not exact_int)
            _emit(issues, file, _rows(big), name, "expected a whole number of at most 18 digits",
                  list(raw.iloc[_rows(big)]))
            numv[frac | big] = np.nan
            missing = np.isnan(numv)
            ints = (parsed.to_numpy(dtype="int64", na_value=0) if exact_int
                    else np.where(missing, 0, numv).astype("int64"))
            return pd.Series(pd.array(ints, dtype="Int64"), index=raw.index).mask(missing)
        return pd.Series(numv, index=raw.index, dtype="float64")
    if dtype == "boolean":
        if pd.api.types.is_bool_dtype(text.dtype):
            return text.astype("boolean")
        lowered = text.astype("string").str.lower()
        is_true = lowered.isin(list(_TRUE)).fillna(False).to_numpy(dtype=bool)
        is_false = lowered.isin(list(_FALSE)).fillna(False).to_numpy(dtype=bool)
        failed = present & ~is_true & ~is_false
        _emit(issues, file, _rows(failed), name, "expected true or false", list(raw.iloc[_rows(failed)]))
        out = pd.array(is_true, dtype="boolean")
        out[~(is_true | is_false)] = pd.NA
        return pd.Series(out, index=raw.index)
    if dtype.startswith("datetime64"):
        if pd.api.types.is_datetime64_any_dtype(text.dtype):
            return text.astype(dtype)  # type: ignore[call-overload,no-any-return]
        as_str = text.astype("string")
        # strictly YYYY-MM-DD: no times (a CSV cell holds a date) and no guessed partial dates
        parsed = pd.to_datetime(as_str, format="%Y-%m-%d", errors="coerce")
        failed = present & parsed.isna().to_numpy()
        _emit(issues, file, _rows(failed), name, "expected a date as YYYY-MM-DD",
              list(raw.iloc[_rows(failed)]))
        return parsed.astype(dtype)  # type: ignore[call-overload,no-any-return]
    raise ValueError(f"unknown dtype {dtype!r}")  # pragma: no cover - programming error


def _empty_column(dtype: str, index: pd.Index) -> pd.Series:
    """A column of missing values of ``dtype``."""
    if dtype == "float64":
        return pd.Series(np.full(len(index), np.nan), index=index)
    if dtype.startswith("datetime"):
        return pd.Series(np.full(len(index), np.datetime64("NaT"), dtype=dtype), index=index)
    return pd.Series(pd.array([pd.NA] * len(index), dtype=dtype), index=index)  # type: ignore[call-overload]


def coerce_extra(raw: pd.Series, declared: str | None) -> tuple[pd.Series, str]:
    """Type an extra column: the declared type, or the narrowest lossless one.

    Without a declaration a column becomes integer, number or boolean only
    when every non-empty cell parses and no text would change (``"0123"``
    stays text); otherwise it stays text.

    Parameters
    ----------
    raw : Series
        The column as read.
    declared : str or None
        One of :data:`EXTRA_DTYPES` keys.

    Returns
    -------
    (Series, str)
        The typed column and its logical type name.

    Examples
    --------
    >>> s, t = coerce_extra(pd.Series(["1", "2", None]), None)
    >>> t, s.dtype.name
    ('int', 'Int64')
    >>> coerce_extra(pd.Series(["0123", "5"]), None)[1]
    'text'
    """
    if declared is not None:
        scratch: list[Issue] = []
        out = _coerce(raw, EXTRA_DTYPES[declared], "<extra>", str(raw.name), scratch)
        if scratch:
            # Keep the data: fall back to text rather than lose cells.
            return _coerce(raw, "string", "", "", []), "text"
        return out, declared
    if not (raw.dtype == object or isinstance(raw.dtype, pd.StringDtype)):
        if pd.api.types.is_bool_dtype(raw.dtype):
            return raw.astype("boolean"), "bool"
        if pd.api.types.is_integer_dtype(raw.dtype):
            return raw.astype("Int64"), "int"
        if pd.api.types.is_float_dtype(raw.dtype):
            return raw.astype("float64"), "float"
        if pd.api.types.is_datetime64_any_dtype(raw.dtype):
            return raw.astype("datetime64[s]"), "date"
    text = _as_text(raw.astype("string") if raw.dtype == object else raw)
    values = text.dropna()
    if values.empty:
        return text.astype("string"), "text"
    as_str = values.astype(str)
    if as_str.str.fullmatch(r"-?(0|[1-9]\d{0,17})").all():
        return _coerce(raw, "Int64", "", "", []), "int"
    if as_str.str.fullmatch(r"-?(0|[1-9]\d*)(\.\d*[1-9])?([eE][-+]?\d+)?").all():
        return _coerce(raw, "float64", "", "", []), "float"
    if as_str.str.lower().isin(["true", "false"]).all():
        return _coerce(raw, "boolean", "", "", []), "bool"
    return text.astype("string"), "text"


def _type_table(
    raw: pd.DataFrame,
    specs: tuple[ColumnSpec, ...],
    file: str,
    declared: dict[str, str],
    issues: list[Issue],
) -> tuple[pd.DataFrame, dict[str, str]]:
    decimal = str(raw.attrs.get("decimal", "."))
    raw = raw.rename(columns=lambda c: str(c).strip())
    known = {s.name: s for s in specs}
    dup_cols = raw.columns[raw.columns.duplicated()].unique()
    for col in dup_cols:
        issues.append(Issue(file, 1, col, "column appears more than once"))
    raw = raw.loc[:, ~raw.columns.duplicated()]
    for col in raw.columns:
        if col not in known:
            close = suggest_column(col, known)
            if close is not None:
                issues.append(Issue(file, 1, col, f"unknown column; did you mean {close!r}?"))
    for spec in specs:
        if spec.required and spec.name not in raw.columns:
            issues.append(Issue(file, 1, spec.name, "required column is missing"))
    out: dict[str, pd.Series] = {}
    n = len(raw)
    index = pd.RangeIndex(n)
    raw = raw.reset_index(drop=True)
    for spec in specs:
        if spec.name in raw.columns:
            out[spec.name] = _coerce(raw[spec.name], spec.dtype, file, spec.name, issues, decimal)
        else:
            out[spec.name] = _empty_column(spec.dtype, index)
    extra_types: dict[str, str] = {}
    for col in raw.columns:
        if col in known:
            continue
        typed, logical = coerce_extra(raw[col], declared.get(col))
        out[col] = typed.reset_index(drop=True)
        extra_types[col] = logical
    frame = pd.DataFrame(out, index=index)
    return frame, extra_types


def _check_required(frame: pd.DataFrame, specs: tuple[ColumnSpec, ...], file: str,
                    issues: list[Issue], present: set[str]) -> None:
    for spec in specs:
        if spec.required and spec.name in present:
            missing = frame[spec.name].isna().to_numpy()
            _emit(issues, file, _rows(missing), spec.name, "a value is required")


def _check_choices(frame: pd.DataFrame, name: str, choices: Iterable[str], file: str,
                   issues: list[Issue]) -> None:
    col = frame[name]
    choices = list(choices)
    bad = col.notna().to_numpy() & ~isin(col, choices)
    if not bad.any():
        return
    values = col[bad]
    hints = {v: difflib.get_close_matches(str(v).strip().lower(), choices, n=1, cutoff=0.75)
             for v in values.unique()}
    for value, close in hints.items():
        rows = _rows(bad & (col == value).fillna(False).to_numpy(dtype=bool))
        hint = f"; did you mean {close[0]!r}?" if close else ""
        _emit(issues, file, rows, name, f"expected one of {choices}{hint}", [value] * len(rows))


def _check_bounds(frame: pd.DataFrame, model: type, name: str, file: str,
                  issues: list[Issue]) -> None:
    bounds = field_bounds(model, name)
    col = frame[name]
    if "pattern" in bounds:
        ok = col.str.fullmatch(bounds["pattern"]).fillna(True).to_numpy(dtype=bool)
        _emit(issues, file, _rows(~ok), name, f"does not match the pattern {bounds['pattern']}",
              list(col[~ok]))
        return
    values = col.to_numpy(dtype="float64", na_value=np.nan)
    for key, op, word in (("gt", np.less_equal, "greater than"), ("ge", np.less, "at least"),
                          ("le", np.greater, "at most")):
        if key in bounds:
            with np.errstate(invalid="ignore"):
                bad = op(values, bounds[key]) & ~np.isnan(values)
            _emit(issues, file, _rows(bad), name, f"must be {word} {bounds[key]}", list(values[bad]))


def validate_frames(
    actors: pd.DataFrame,
    relations: pd.DataFrame,
    *,
    actors_file: str = "<actors>",
    relations_file: str = "<relations>",
    declared: dict[str, dict[str, str]] | None = None,
) -> ValidationReport:
    """Type and validate raw actor and relation frames.

    Parameters
    ----------
    actors, relations : DataFrame
        Raw frames (strings from a CSV, or typed values).
    actors_file, relations_file : str
        Names used in the issue locations.
    declared : dict, optional
        Declared dtypes of extra columns per table (``{"actors": {...}}``).

    Returns
    -------
    ValidationReport

    Examples
    --------
    >>> a = pd.DataFrame({"id": ["p1", "o1"], "name": ["A", "B"], "kind": ["person", "firm"]})
    >>> r = pd.DataFrame({"source": ["o1"], "target": ["p1"], "kind": ["board_seat"],
    ...                   "role": ["chair"]})
    >>> rep = validate_frames(a, r, relations_file="relations.csv")
    >>> print(rep.issues[0])
    relations.csv, row 2, field 'source': a board_seat must start at a person, not at a firm (got 'o1')
    """
    declared = declared or {}
    issues: list[Issue] = []
    warns: list[Issue] = []
    a_present = {str(c).strip() for c in actors.columns}
    r_present = {str(c).strip() for c in relations.columns}
    a, a_extra = _type_table(actors, ACTOR_COLUMNS, actors_file, declared.get("actors", {}), issues)
    r, r_extra = _type_table(relations, RELATION_COLUMNS, relations_file,
                             declared.get("relations", {}), issues)

    # ---- actors
    _check_required(a, ACTOR_COLUMNS, actors_file, issues, a_present)
    _check_choices(a, "kind", ACTOR_KINDS, actors_file, issues)
    _check_choices(a, "provenance", PROVENANCES, actors_file, issues)
    for name in ("org_number", "municipality", "nace", "employees", "revenue_nok", "founded"):
        _check_bounds(a, Actor, name, actors_file, issues)
    a["external"] = a["external"].fillna(False)
    ids = a["id"]
    dup = ids.duplicated(keep="first").to_numpy() & ids.notna().to_numpy()
    if dup.any():
        first_row = pd.Series(np.arange(len(ids)) + 2, index=ids.to_numpy()).groupby(level=0).min()
        for pos in _rows(dup)[:_MAX_ISSUES_PER_RULE]:
            issues.append(Issue(actors_file, int(pos) + 2, "id",
                                f"duplicate actor id, first used in row {first_row[ids.iloc[pos]]}",
                                ids.iloc[pos]))
    unknown_form = a["legal_form"].notna().to_numpy() & ~isin(a["legal_form"], list(LEGAL_FORMS))
    _emit(warns, actors_file, _rows(unknown_form), "legal_form", "unknown legal form",
          list(a["legal_form"][unknown_form]))
    person_org_fields = a["kind"].eq("person").fillna(False).to_numpy(dtype=bool)
    for name in ORGANISATION_FIELDS:
        bad = person_org_fields & a[name].notna().to_numpy()
        _emit(issues, actors_file, _rows(bad), name, "applies to organisations, not to persons")

    # ---- relations
    _check_required(r, RELATION_COLUMNS, relations_file, issues, r_present)
    _check_choices(r, "kind", RELATION_KINDS, relations_file, issues)
    _check_choices(r, "provenance", PROVENANCES, relations_file, issues)
    for name in ("share", "competitor_intensity", "partner_intensity", "weight", "confidence"):
        _check_bounds(r, Relation, name, relations_file, issues)
    # kinds as integer codes (position in RELATION_KINDS, -1 unknown/missing): one hash
    # lookup instead of an object-array comparison per rule
    rel_kinds = list(RELATION_KINDS)
    kind_code = positions(r["kind"], rel_kinds)

    def of_kind(rel_kind: str) -> np.ndarray:
        mask: np.ndarray = kind_code == rel_kinds.index(rel_kind)
        return mask

    for rel_kind, rule in RELATION_RULES.items():
        is_kind = of_kind(rel_kind)
        if not is_kind.any():
            continue
        for name in ("share", "competitor_intensity", "partner_intensity", "function"):
            if name in rule.fields:
                continue
            bad = is_kind & r[name].notna().to_numpy()
            _emit(issues, relations_file, _rows(bad), name, f"does not apply to kind {rel_kind!r}")
        if rule.roles is not None:
            bad = is_kind & r["role"].notna().to_numpy() & ~isin(r["role"], list(rule.roles))
            _emit(issues, relations_file, _rows(bad), "role",
                  f"expected one of {list(rule.roles)} for {rel_kind}", list(r["role"][bad]))
    missing_role = of_kind("board_seat") & r["role"].isna().to_numpy()
    _emit(issues, relations_file, _rows(missing_role), "role", "a board_seat needs a role")
    is_support = of_kind("support")
    odd_function = is_support & r["function"].notna().to_numpy() & ~isin(
        r["function"], list(SUPPORT_FUNCTIONS))
    _emit(warns, relations_file, _rows(odd_function), "function", "support function not in the "
          "shipped vocabulary", list(r["function"][odd_function]))
    src = r["source"]
    tgt = r["target"]
    selfrel = (src == tgt).fillna(False).to_numpy(dtype=bool)
    _emit(issues, relations_file, _rows(selfrel), "target",
          "a relation from an actor to itself is meaningless", list(tgt[selfrel]))
    both = r["since"].notna().to_numpy() & r["until"].notna().to_numpy()
    backwards = both & (r["until"] < r["since"]).fillna(False).to_numpy(dtype=bool)
    _emit(issues, relations_file, _rows(backwards), "until", "is before since")

    # endpoints
    # positions() returns the first occurrence, so duplicated ids resolve to their first row;
    # an actor's kind as its position in ACTOR_KINDS, -1 for an invalid or missing kind (such
    # an actor is reported once, on its own row) and, via the trailing slot, a dangling end
    actor_kinds = list(ACTOR_KINDS)
    actor_code = np.append(positions(a["kind"], actor_kinds), -1)
    endpoints: list[np.ndarray] = []
    for end, col in (("source", src), ("target", tgt)):
        pos = positions(col, a["id"])
        endpoints.append(pos)
        dangling = (pos < 0) & col.notna().to_numpy()
        _emit(issues, relations_file, _rows(dangling), end, "no actor with this id in the actors table",
              list(col[dangling]))
        end_code = actor_code[pos]  # pos -1 -> the trailing -1
        for rel_kind, rule in RELATION_RULES.items():
            allowed = rule.source_kinds if end == "source" else rule.target_kinds
            if set(allowed) == set(ACTOR_KINDS):
                continue
            is_kind = of_kind(rel_kind)
            if not is_kind.any():
                continue
            # slot -1 (no valid kind) is "allowed": nothing to report here
            ok = np.append(np.isin(actor_kinds, allowed), True)
            bad = is_kind & ~ok[end_code]
            verb = "start at" if end == "source" else "end at"
            what = "a person" if allowed == ("person",) else (
                "an organisation" if "person" not in allowed and len(allowed) > 2
                else " or ".join(allowed))
            for p in _rows(bad)[:_MAX_ISSUES_PER_RULE]:
                issues.append(Issue(relations_file, int(p) + 2, end,
                                    f"a {rel_kind} must {verb} {what}, not at a "
                                    f"{actor_kinds[end_code[p]]}", col.iloc[p]))

    # relation ids
    rid = r["id"]
    rdup = rid.duplicated(keep="first").to_numpy() & rid.notna().to_numpy()
    _emit(issues, relations_file, _rows(rdup), "id", "duplicate relation id", list(rid[rdup]))

    # ownership sums
    share_v = r["share"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        # out-of-range shares are already reported; leave them out of the sums
        own = of_kind("ownership") & (share_v > 0) & (share_v <= 1)
    if own.any():
        shares = r.loc[own, ["target", "share", "since", "until"]]
        totals = shares.groupby("target")["share"].sum()
        for target in totals.index[totals > 1 + 1e-9]:
            sub = shares[shares["target"] == target]
            worst = _max_concurrent_share(sub)
            if worst > 1 + 1e-9:
                rows_ = ", ".join(str(i + 2) for i in sub.index[:20])
                issues.append(Issue(relations_file, int(sub.index[0]) + 2, "share",
                                    f"ownership shares into {target!r} sum to {worst:.4g} > 1 "
                                    f"(rows {rows_})"))

    # warnings: isolates and zero intensities
    if len(a) and not issues:
        linked = pd.concat([src, tgt], ignore_index=True).dropna()
        isolated = ~isin(a["id"], linked)
        if isolated.any():
            _emit(warns, actors_file, _rows(isolated), "id", "isolated actor (no relations)",
                  list(a["id"][isolated]))
    is_coop = of_kind("coopetition")
    zero = is_coop & (r["competitor_intensity"].fillna(1).to_numpy() == 0) & (
        r["partner_intensity"].fillna(1).to_numpy() == 0)
    _emit(warns, relations_file, _rows(zero), "partner_intensity",
          "co-opetition with both intensities zero")

    # generate relation ids
    need = rid.isna().to_numpy()
    if need.any():
        taken = set(rid.dropna().tolist())
        candidates = [f"r{i + 1}" for i in range(len(r))]
        gen = [c for c in candidates if c not in taken][: int(need.sum())]
        new = rid.copy()
        new[need] = gen
        r["id"] = new.astype("string")

    a = a.set_index("id", drop=True) if not a["id"].isna().any() else a.set_index("id")
    a.index = a.index.astype("string")
    a.index.name = "id"
    return ValidationReport(a, r, issues, warns, {"actors": a_extra, "relations": r_extra},
                            (endpoints[0], endpoints[1]))


def _max_concurrent_share(sub: pd.DataFrame) -> float:
    """Largest total of shares valid at the same time (rows without dates always valid)."""
    if sub["since"].isna().all() and sub["until"].isna().all():
        return float(sub["share"].sum())
    points = pd.concat([sub["since"].dropna(), sub["until"].dropna()]).unique()
    best = 0.0
    for t in points if len(points) else [pd.Timestamp("1970-01-01")]:
        valid = (sub["since"].isna() | (sub["since"] <= t)) & (sub["until"].isna() | (sub["until"] >= t))
        best = max(best, float(sub.loc[valid, "share"].sum()))
    return best


_PATTERN_CACHE: dict[str, re.Pattern[str]] = {}
