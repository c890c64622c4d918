"""Run every analysis on an ecosystem and write its tables (``ecograph analyze``)."""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecograph.core.ecosystem import Ecosystem

__all__ = ["OUTPUTS", "AnalysisOutput", "analyze", "jsonable", "write_table"]


@dataclass(frozen=True)
class AnalysisOutput:
    """One file written by :func:`analyze`.

    Attributes
    ----------
    filename : str
        File name in the output folder (``.csv`` or ``.json``).
    target : str
        ``"module:function"`` computing it from an Ecosystem.
    kwargs : dict
        Keyword arguments for the function.
    description : str
        One line for the documentation of the output folder.
    """

    filename: str
    target: str
    kwargs: tuple[tuple[str, Any], ...] = ()
    description: str = ""

    def function(self) -> Callable[..., Any]:
        """Import and return the function."""
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


OUTPUTS: tuple[AnalysisOutput, ...] = (
    AnalysisOutput("profile.json", "ecograph.analysis.profile:thin_dense_profile",
                   description="Thin-and-dense profile of the whole ecosystem."),
    AnalysisOutput("node_metrics.csv", "ecograph.analysis.centrality:node_metrics",
                   description="Centralities, clustering, k-core and articulation points per actor."),
    AnalysisOutput("interlocks.csv", "ecograph.analysis.interlocks:interlocks",
                   description="Organisation pairs sharing board members or managers."),
    AnalysisOutput("role_concentration.csv", "ecograph.analysis.roles:role_concentration",
                   description="Roles, organisations, sectors and kinds per person."),
    AnalysisOutput("brokerage.csv", "ecograph.analysis.brokerage:brokerage",
                   description="Burt's structural holes and Gould-Fernandez brokerage roles."),
    AnalysisOutput("key_persons.csv", "ecograph.analysis.vulnerability:key_persons",
                   description="Impact of removing each person, ranked."),
    AnalysisOutput("reachability.csv", "ecograph.analysis.reachability:reachability",
                   description="Shortest person-mediated paths to knowledge, public, support and external actors."),
    AnalysisOutput("coopetition_dyads.csv", "ecograph.analysis.coopetition:coopetition",
                   (("level", "dyad"),), "Co-opetition placement of every pair."),
    AnalysisOutput("coopetition_actors.csv", "ecograph.analysis.coopetition:coopetition",
                   (("level", "actor"),), "Co-opetition position and diversity per organisation."),
    AnalysisOutput("spigel.csv", "ecograph.scoring.layers:spigel_scores",
                   description="Spigel cultural / social / material scores with every indicator."),
    AnalysisOutput("miles_morrison.csv", "ecograph.scoring.layers:miles_morrison_scores",
                   description="Miles & Morrison framework and systemic conditions."),
    AnalysisOutput("resources_matches.csv", "ecograph.analysis.resources:match_resources",
                   description="Needs matched to actors that have the resource."),
    AnalysisOutput("support_coverage.csv", "ecograph.analysis.resources:support_coverage",
                   description="Support-function coverage of micro-businesses."),
)
"""Every file ``analyze`` writes, in order."""


def jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types: NaN, inf, NA and NaT become ``None``, dates ISO text.

    Examples
    --------
    >>> jsonable({"a": np.float64("nan"), "b": [np.int64(2), pd.Timestamp("2020-01-02")]})
    {'a': None, 'b': [2, '2020-01-02T00:00:00']}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_table(result: Any, path: Path) -> Path:
    """Write a Series, DataFrame or dict as CSV or JSON (by the suffix of ``path``).

    A frame or Series with a named index is written with the index as its
    first column. JSON has no NaN: missing values are written as ``null``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        payload: Any
        if isinstance(result, pd.Series):
            payload = result.to_dict()
        elif isinstance(result, pd.DataFrame):
            payload = result.reset_index().to_dict(orient="records")
        else:
            payload = result
        path.write_text(json.dumps(jsonable(payload), indent=2, ensure_ascii=False), encoding="utf-8")
        return path
    if isinstance(result, pd.Series):
        result = result.to_frame()
    frame = result if isinstance(result, pd.DataFrame) else pd.DataFrame(result)
    named = any(n is not None for n in frame.index.names)
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
    # 12 significant digits: enough for any analysis, free of float noise (15.100000000000001)
    out.to_csv(path, index=named, encoding="utf-8", lineterminator="\n", float_format="%.12g")
    return path


def analyze(
    eco: Ecosystem,
    out: str | Path,
    *,
    only: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Run every analysis of :data:`OUTPUTS` and write its file into ``out``.

    An analysis that fails is recorded (the others still run) and the
    returned table says which and why.

    Parameters
    ----------
    eco : Ecosystem
    out : str or Path
        Output folder (created if needed).
    only : list of str, optional
        File names to restrict to.
    progress : callable, optional
        Called with each file name before it is computed.

    Returns
    -------
    DataFrame
        One row per output: ``file``, ``status`` (``ok`` or ``error``),
        ``rows``, ``seconds``, ``error``.

    Raises
    ------
    OSError
        When the output folder cannot be created. Errors inside an analysis
        do not raise: they are recorded in the returned table.

    Notes
    -----
    Each file is computed by calling its function with the ecosystem and the
    keyword arguments of :data:`OUTPUTS`; ``ecograph analyze`` prints the
    returned table and exits with status 1 when any output failed.

    Examples
    --------
    >>> import ecograph, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     status = analyze(ecograph.load_roros(), d, only=["interlocks.csv", "role_concentration.csv"])
    >>> status[["file", "status"]].to_dict("records")
    [{'file': 'interlocks.csv', 'status': 'ok'}, {'file': 'role_concentration.csv', 'status': 'ok'}]
    """
    import time

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for item in OUTPUTS:
        if only is not None and item.filename not in only:
            continue
        if progress is not None:
            progress(item.filename)
        t0 = time.perf_counter()
        try:
            result = item.function()(eco, **dict(item.kwargs))
            write_table(result, folder / item.filename)
            rows = len(result) if hasattr(result, "__len__") else 1
            records.append({"file": item.filename, "status": "ok", "rows": rows,
                            "seconds": time.perf_counter() - t0, "error": ""})
        except Exception as exc:  # one failing analysis must not stop the others
            records.append({"file": item.filename, "status": "error", "rows": 0,
                            "seconds": time.perf_counter() - t0,
                            "error": f"{type(exc).__name__}: {exc}"})
    return pd.DataFrame(records)
