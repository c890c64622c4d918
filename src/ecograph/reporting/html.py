"""The one-command HTML report of an ecosystem (``ecograph report``).

:func:`report` runs the analyses, draws the map and the plots and writes one
self-contained ``index.html``: no network access, nothing to install to
read it, safe to e-mail. Each section says what it shows and which source
it follows; a section whose analysis fails shows the error and the report
goes on.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import importlib
import io
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ecograph._optional import require
from ecograph.exceptions import EcographWarning, InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ecograph.core.ecosystem import Ecosystem

__all__ = ["SECTIONS", "Section", "report"]

_TARGETS: dict[str, str | Callable[..., Any]] = {
    "profile": "ecograph.analysis.profile:thin_dense_profile",
    "role_concentration": "ecograph.analysis.roles:role_concentration",
    "key_persons": "ecograph.analysis.vulnerability:key_persons",
    "robustness_curve": "ecograph.analysis.vulnerability:robustness_curve",
    "interlocks": "ecograph.analysis.interlocks:interlocks",
    "coopetition": "ecograph.analysis.coopetition:coopetition",
    "coopetition_summary": "ecograph.analysis.coopetition:coopetition_summary",
    "spigel_scores": "ecograph.scoring.layers:spigel_scores",
    "miles_morrison_scores": "ecograph.scoring.layers:miles_morrison_scores",
    "support_coverage": "ecograph.analysis.resources:support_coverage",
}
"""Analysis name -> ``"module:function"`` (or a callable) used by the report."""


@dataclass
class Section:
    """One section of the report (filled by a builder, rendered by the template).

    Attributes
    ----------
    key : str
        Anchor id.
    title : str
    what : str
        Plain words: what the section shows and how to read it.
    source : str
        The literature or data it follows.
    blocks : list of dict
        Content blocks (``kind`` = table, figure, map, facts, text, notice, list).
    error : str or None
        ``"<ErrorType>: <message>"`` when the analysis failed.
    """

    key: str
    title: str
    what: str
    source: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("summary", "Summary"),
    ("map", "Network map"),
    ("profile", "Thin and dense: the structure"),
    ("key_persons", "Key persons and vulnerability"),
    ("interlocks", "Board interlocks"),
    ("coopetition", "Co-opetition"),
    ("spigel", "Spigel's cultural, social and material layers"),
    ("miles_morrison", "Miles & Morrison's framework and systemic conditions"),
    ("resources", "Resources and support coverage"),
    ("provenance", "Data provenance"),
    ("warnings", "Warnings and gaps"),
)
"""Report sections in order: ``(anchor, title)``."""


# ---------------------------------------------------------------------- public
def report(
    eco: Ecosystem,
    out_dir: str | Path,
    *,
    progress: bool = True,
    title: str | None = None,
    map_options: Mapping[str, Any] | None = None,
    max_rows: int = 25,
) -> Path:
    """Write the self-contained HTML report of an ecosystem into ``out_dir``.

    Parameters
    ----------
    eco : Ecosystem
    out_dir : str or Path
        Output folder (created if needed). It receives ``index.html`` (the
        report, self-contained) and ``map.html`` (the same map for a full
        browser window).
    progress : bool, default True
        Show progress on stderr (a tqdm bar when tqdm is installed, else one
        line per step).
    title : str, optional
        Report title; default ``eco.meta.name``.
    map_options : mapping, optional
        Keyword arguments for :func:`ecograph.network_map` (``size_by``,
        ``layers``, ``physics``, ``layout``, ``seed``).
    max_rows : int, default 25
        Rows shown per table (``ecograph analyze`` writes the full tables).

    Returns
    -------
    Path
        The path of ``index.html``.

    Raises
    ------
    InputError
        When ``out_dir`` is an existing file, or ``max_rows`` < 1.
    OptionalDependencyError
        When matplotlib, pyvis or jinja2 is missing (``pip install 'ecograph[viz]'``).

    Notes
    -----
    Sections: summary; the interactive map; the thin-and-dense profile (the
    thesis's *tynne og tette nettverk*) with roles per person; key persons
    and the robustness curve (Borgatti 2006); board interlocks (Mizruchi
    1996); the co-opetition table and quadrant plot (Chin, Chan & Lam 2008;
    Luo 2007); Spigel (2017) layer scores with the pyramid; Miles & Morrison
    (2020) conditions; resources and support coverage when the bundle has
    support data; data provenance (counts by provenance, the sources of
    ``eco.meta.sources``); warnings. Every section states what it shows and
    its source. An analysis that raises is reported in a "could not
    compute" box and listed at the end; the other sections are unaffected.

    The file is safe with untrusted data: every value is escaped by the
    template (Jinja2 autoescape), plots are PNG images, the map is an
    isolated ``<iframe srcdoc>`` (sandboxed) and a Content-Security-Policy
    forbids any network request and any script without the page's nonce.

    References
    ----------
    .. [1] B. Spigel, "The relational organization of entrepreneurial
       ecosystems", Entrepreneurship Theory and Practice 41(1), 49-72, 2017.
    .. [2] M. P. Miles and M. Morrison, "An effectual leadership perspective
       for developing rural entrepreneurial ecosystems", Small Business
       Economics 54, 933-949, 2020.
    .. [3] S. P. Borgatti, "Identifying sets of key players in a social
       network", Computational and Mathematical Organization Theory 12,
       21-34, 2006.
    .. [4] Y. Luo, "A coopetition perspective of global competition",
       Journal of World Business 42(2), 129-144, 2007.
    .. [5] K.-S. Chin, B. L. Chan and P.-K. Lam, "Identifying and
       prioritizing critical success factors for coopetition strategy",
       Industrial Management & Data Systems 108(4), 437-454, 2008.
    .. [6] M. S. Mizruchi, "What do interlocks do? An analysis, critique,
       and assessment of research on interlocking directorates", Annual
       Review of Sociology 22, 271-298, 1996.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     actors=pd.DataFrame({"id": ["p1", "o1", "o2"], "name": ["Person 1", "Dairy", "Hotel"],
    ...                          "kind": ["person", "cooperative", "firm"]}),
    ...     relations=pd.DataFrame({"source": ["p1", "p1"], "target": ["o1", "o2"],
    ...                             "kind": ["board_seat", "board_seat"],
    ...                             "role": ["chair", "member"]}),
    ...     meta={"name": "Toy"})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = report(eco, tmp, progress=False)
    ...     sorted(p.name for p in pathlib.Path(tmp).iterdir()), path.stat().st_size > 100_000
    (['index.html', 'map.html'], True)

    On the bundled case: ``report(ecograph.load_roros(), "roros-report")``.
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"out_dir {str(folder)!r} is a file; expected a folder for index.html")
    if not isinstance(max_rows, int) or max_rows < 1:
        raise InputError(f"max_rows must be a positive integer; got {max_rows!r}")
    require("matplotlib", "the HTML report")
    require("jinja2", "the HTML report")
    require("pyvis", "the HTML report")
    from ecograph.viz.pyvis_map import _csp, _nonce

    ctx = _Context(eco=eco, max_rows=max_rows, map_options=dict(map_options or {}))
    ctx.nonce = _nonce(_fingerprint(eco), title or eco.meta.name)
    started = time.perf_counter()
    sections: list[Section] = []
    builders = _BUILDERS
    with _progress(len(builders), progress) as bar:
        for key, section_title in SECTIONS:
            bar.start(section_title)
            section = _make_section(key, section_title)
            t0 = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", EcographWarning)
                try:
                    builders[key](ctx, section)
                except Exception as exc:  # a failing analysis must not kill the report
                    section.error = f"{type(exc).__name__}: {exc}"
                    section.blocks = []
                    ctx.failures.append((section_title, section.error))
            section.seconds = time.perf_counter() - t0
            _sort_warnings(caught, ctx, section_title)
            sections.append(section)
            bar.done()

    folder.mkdir(parents=True, exist_ok=True)
    if ctx.map_html is not None:
        (folder / "map.html").write_text(ctx.map_html, encoding="utf-8")
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title or eco.meta.name,
            meta=eco.meta,
            sections=sections,
            failures=ctx.failures,
            nonce=ctx.nonce,
            csp=_csp(ctx.nonce),
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            version=_version(),
            seconds=time.perf_counter() - started,
            has_map_file=ctx.map_html is not None,
        )
    )
    path = folder / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


# ---------------------------------------------------------------------- machinery
@dataclass
class _Context:
    eco: Ecosystem
    max_rows: int
    map_options: dict[str, Any]
    nonce: str = ""
    map_html: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    def run(self, name: str, **kwargs: Any) -> Any:
        """Call an analysis once (cached by name and arguments)."""
        key = name + repr(sorted(kwargs.items()))
        if key not in self.cache:
            target = _TARGETS[name]
            if callable(target):
                func = target
            else:
                module, attr = target.split(":")
                func = getattr(importlib.import_module(module), attr)
            self.cache[key] = func(self.eco, **kwargs)
        return self.cache[key]

    @property
    def names(self) -> pd.Series:
        return self.eco.actors["name"].astype("string")


def _fingerprint(eco: Ecosystem) -> str:
    """A digest of the content (the CSP nonce derives from it: deterministic, not guessable)."""
    parts = [eco.meta.model_dump_json()]
    for frame in (eco.actors, eco.relations):
        hashed = pd.util.hash_pandas_object(frame.astype("string"), index=True)
        parts.append(str(int(hashed.sum())) + ":" + str(len(frame)))
    return "|".join(parts)


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    jinja2 = require("jinja2", "the HTML report")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ecograph.reporting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "allow_nan": False}
    return env


def _version() -> str:
    try:
        from ecograph import __version__
    except ImportError:  # pragma: no cover
        return "?"
    return __version__


def _sort_warnings(caught: Sequence[warnings.WarningMessage], ctx: _Context, where: str) -> None:
    """Keep ecograph's warnings for the report; re-emit every other warning."""
    for w in caught:
        if issubclass(w.category, EcographWarning):
            ctx.warnings.append((where, str(w.message)))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


class _progress:
    """Progress on stderr: a tqdm bar when tqdm is installed, else one line per step."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.bar: Any = None
        self.index = 0

    def __enter__(self) -> _progress:
        if self.enabled:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(
                    total=self.total,
                    file=sys.stderr,
                    unit="section",
                    leave=True,
                    bar_format="{desc:<50.50} {bar} {n_fmt}/{total_fmt} [{elapsed}]",
                )
        return self

    def start(self, label: str) -> None:
        """Announce the step that begins now."""
        self.index += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_description_str(f"report: {label}")
        else:
            print(f"[{self.index}/{self.total}] {label} ...", file=sys.stderr, flush=True)

    def done(self) -> None:
        """Count the current step as finished."""
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.set_description_str("report: done")
            self.bar.close()


# ---------------------------------------------------------------------- formatting
def _fmt(value: Any) -> str:
    """One cell as text: numbers rounded, missing as an en dash, lists joined."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(_fmt(v) for v in value) or "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, np.integer | int):
        return _int_text(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if not np.isfinite(v):
            return "–"
        if v == int(v) and abs(v) < 1e15:
            return _int_text(int(v))
        if abs(v) >= 1000:
            return _int_text(round(v))
        return f"{v:.3g}" if abs(v) >= 1e-4 else f"{v:.2e}"
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return str(value)


def _int_text(v: int) -> str:
    """Integers with a thin space as thousands separator from 10 000 on (years stay 2019)."""
    return f"{v:,}".replace(",", "\u202f") if abs(v) >= 10_000 else str(v)


def _pct(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if not np.isfinite(v) else f"{100 * v:.0f} %"


def _is_numeric(series: pd.Series) -> bool:
    return bool(
        pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    )


def _table(
    frame: pd.DataFrame,
    *,
    max_rows: int,
    caption: str = "",
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """A table block: header labels, formatted rows, numeric columns right-aligned."""
    labels = dict(labels or {})
    shown = frame.head(max_rows)
    columns = [str(c) for c in shown.columns]
    numeric = [_is_numeric(shown[c]) for c in shown.columns]
    rows = [[_fmt(v) for v in rec] for rec in shown.itertuples(index=False, name=None)]
    more = ""
    if len(frame) > max_rows:
        more = f"Showing {max_rows} of {len(frame)} rows; `ecograph analyze` writes the full table."
    return {
        "kind": "table",
        "caption": caption,
        "columns": [labels.get(c, c.replace("_", " ")) for c in columns],
        "numeric": numeric,
        "rows": rows,
        "note": " ".join(x for x in (note, more) if x),
    }


def _facts(items: Sequence[tuple[str, Any, str]], *, percent: Sequence[str] = ()) -> dict[str, Any]:
    """Key figures ``(label, value, explanation)``; labels in ``percent`` show shares as %."""
    return {
        "kind": "facts",
        "items": [
            {"label": a, "value": _pct(b) if a in percent else _fmt(b), "hint": c}
            for a, b, c in items
        ],
    }


def _pretty(series: pd.Series) -> pd.Series:
    """Identifiers for reading: ``a_b;c_d`` -> ``a b; c d``."""
    return series.map(lambda v: v.replace(";", "; ").replace("_", " ") if isinstance(v, str) else v)


def _figure_block(fig: Figure, alt: str, caption: str = "") -> dict[str, Any]:
    """A PNG (base64 data URI), shown at 96 CSS px per inch and at most the column width."""
    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", dpi=144, facecolor="white"
    )  # margins: the figures' constrained layout
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * 96)
    return {
        "kind": "figure",
        "src": f"data:image/png;base64,{data}",
        "alt": alt,
        "caption": caption,
        "width": width,
    }


def _name_of(ctx: _Context, ids: Any) -> Any:
    names = ctx.names
    if isinstance(ids, list | tuple | np.ndarray):
        return [str(names.get(i, i)) for i in ids]
    if ids is None or (not isinstance(ids, str) and pd.isna(ids)):
        return ids
    return str(names.get(ids, ids))


def _name_column(ctx: _Context, series: pd.Series) -> pd.Series:
    return series.map(lambda v: _name_of(ctx, v))


def _make_section(key: str, title: str) -> Section:
    what, source = _TEXTS[key]
    return Section(key=key, title=title, what=what, source=source)


# ---------------------------------------------------------------------- texts
_TEXTS: Final[dict[str, tuple[str, str]]] = {
    "summary": (
        "What the data covers: the ecosystem's name, region and year, and how many actors and "
        "relations of each kind it holds. Every number below is computed from these.",
        "The bundle's metadata (ecosystem.toml) and its actors and relations tables.",
    ),
    "map": (
        "Every actor and relation. Shape and colour show the kind of actor, size its number of "
        "relations; line colour and dash show the kind of relation and line width its strength. "
        "Tick the boxes to show or hide actor kinds and layers, type a name to find an actor, "
        "hover or click for details. Parallel relations of different kinds are drawn as separate "
        "curves.",
        "Layout computed with igraph (Fruchterman & Reingold 1991; DrL for large maps); drawn with "
        "vis-network, offline.",
    ),
    "profile": (
        "Whether the ecosystem is thin (few people, few organisations per inhabitant) and at the "
        "same time dense (the same people hold many roles in each other's organisations). "
        "Densities, shares of multi-role persons and interlocks are compared with random "
        "networks of the same size and degrees (z-scores): a z-score above 2 means denser than "
        "chance, below -2 sparser.",
        "The thesis's 'thin and dense networks' (tynne og tette nettverk, §5.2 and §6); network "
        "measures after Wasserman & Faust (1994); degree-preserving null models of the "
        "person-organisation graph.",
    ),
    "key_persons": (
        "Which persons the network depends on: each person is removed with all their roles and "
        "the table shows what breaks (the largest connected part shrinks, fragmentation rises, "
        "interlocks are lost, organisations lose their chair or CEO, or their only path to a "
        "knowledge institution or to the outside). Rank 1 is the most critical. The curve "
        "compares removing the most critical persons first with removing persons at random.",
        "Borgatti (2006), key-player problem (KPP-Neg, fragmentation); the thesis §5.2: "
        "'individuals become more important' in small, dense systems.",
    ),
    "interlocks": (
        "Pairs of organisations that share at least one board member or manager. Interlocks carry "
        "information, trust and influence between organisations; many interlocks among few "
        "people is the 'dense' side of a thin network.",
        "Mizruchi (1996) on interlocking directorates; the person-organisation projection after "
        "Breiger (1974).",
    ),
    "coopetition": (
        "Pairs of organisations that compete and cooperate at the same time, placed by how much "
        "they compete (competitor intensity) and how much they cooperate (partner intensity), "
        "each between 0 and 1. The dashed lines are the thresholds of the four cells; positions "
        "stay continuous because a high/low split is too coarse where the same people sit on "
        "competing firms' boards.",
        "Chin, Chan & Lam (2008), the model used in the thesis (§2.4, §5.2); cell names after "
        "Luo (2007): adapting, contending, partnering, isolating; Bengtsson & Kock (2000).",
    ),
    "spigel": (
        "Scores from 0 to 1 for the cultural, social and material attributes of the ecosystem, "
        "each built from indicators in the scoring model, with the indicators that drive each "
        "score. The pyramid follows the thesis: culture is the base that supports the social and "
        "the material layers; the checks say whether the base is at least as strong. Missing "
        "inputs are listed, never silently filled in.",
        "Spigel (2017), 'The relational organization of entrepreneurial ecosystems'; the "
        "pyramid after Stam & Spigel (2016) as drawn in the thesis (§5.1).",
    ),
    "miles_morrison": (
        "The framework conditions (natural capital, local government, culture, local market, "
        "infrastructure) and systemic conditions (enterprising individuals, social infrastructure, "
        "financial and human capital, knowledge, support systems) of a rural ecosystem, scored "
        "from 0 to 1. Conditions supplied only by external actors are flagged: the system should "
        "be led by its own entrepreneurs.",
        "Miles & Morrison (2020, online 2018), as summarised in the thesis's Tabell 2 (§2.2.3, "
        "§5.3).",
    ),
    "resources": (
        "How the micro-businesses' support functions (accounting, marketing, sales, product "
        "development, ...) are covered: done by the firm itself, bought, shared through a network "
        "or cooperative, through an intermediary, or not done; and the gaps.",
        "Østlandsforskning (2016), 'Hvordan lykkes stort som små?' (the micro-business report); "
        "Miles & Morrison's support systems.",
    ),
    "provenance": (
        "Where each record comes from: stated in a source, read from a public register, "
        "collected in a survey, inferred, or illustrative. Results resting on inferred or "
        "illustrative records deserve less weight.",
        "The provenance, evidence and sources fields of the bundle.",
    ),
    "warnings": (
        "Warnings raised while computing the report (suspicious input, sparse data) and the "
        "sections that could not be computed.",
        "ecograph's checks.",
    ),
}


# ---------------------------------------------------------------------- builders
def _build_summary(ctx: _Context, sec: Section) -> None:
    eco = ctx.eco
    m = eco.meta
    n_person = int((eco.actors["kind"] == "person").sum())
    items: list[tuple[str, Any, str]] = [
        (
            "Actors",
            len(eco.actors),
            f"{n_person} persons, {len(eco.actors) - n_person} organisations",
        ),
        ("Relations", len(eco.relations), f"{eco.relations['kind'].nunique()} kinds"),
    ]
    if m.population is not None:
        items.append(("Population", m.population, "inhabitants"))
    if m.municipalities:
        items.append(("Municipalities", len(m.municipalities), _municipality_text(m.municipalities)))
    if m.year is not None:
        items.append(("Year", str(m.year), ""))
    sec.blocks.append(_facts(items))
    pairs = [("Name", m.name)]
    if m.region:
        pairs.append(("Region", m.region))
    if m.licence:
        pairs.append(("Licence", m.licence))
    sec.blocks.append({"kind": "dl", "items": pairs})
    if m.description:
        sec.blocks.append({"kind": "text", "text": m.description})
    uncertain = _uncertain_records_text(eco.actors, eco.relations)
    if uncertain:
        sec.blocks.append({"kind": "notice", "text": uncertain})
    from ecograph.viz._style import actor_style, relation_style

    a = eco.actors["kind"].value_counts()
    r = eco.relations["kind"].value_counts()
    actors = pd.DataFrame(
        {"kind": [actor_style(str(k)).label for k in a.index], "count": a.to_numpy()}
    )
    rels = pd.DataFrame(
        {"kind": [relation_style(str(k)).label for k in r.index], "count": r.to_numpy()}
    )
    sec.blocks.append(
        {
            "kind": "pair",
            "left": _table(actors, max_rows=50, caption="Actors by kind"),
            "right": _table(rels, max_rows=50, caption="Relations by kind"),
        }
    )


def _municipality_text(codes: Sequence[str]) -> str:
    """``'Røros - Rossen (5025), Holtålen (5026)'``: names from the shipped 2024 list, where known.

    Codes not in the list (other countries, old codes) are shown as given.
    """
    from ecograph.registry.tables import municipalities

    try:
        names = municipalities()["name"]
    except (OSError, ValueError):  # a damaged installation should not cost the summary
        return ", ".join(codes)
    return ", ".join(
        f"{names[c]} ({c})" if c in names.index else str(c) for c in (str(c) for c in codes)
    )


def _uncertain_records_text(actors: pd.DataFrame, relations: pd.DataFrame) -> str:
    """A reader's warning: how many records are inferred or illustrative ('' if none)."""
    parts = []
    n_records = n_illustrative = 0
    for what, frame in (("actors", actors), ("relations", relations)):
        n_records += len(frame)
        if "provenance" not in frame.columns or len(frame) == 0:
            continue
        prov = frame["provenance"].astype("string")
        n_inf = int((prov == "inferred").sum())
        n_ill = int((prov == "illustrative").sum())
        n_illustrative += n_ill
        if n_inf or n_ill:
            kinds = " and ".join(
                f"{n} {label}" for n, label in ((n_inf, "inferred"), (n_ill, "illustrative")) if n
            )
            parts.append(f"{kinds} of the {len(frame)} {what}")
    if not parts:
        return ""
    if n_illustrative == n_records:
        return (
            "Every actor and relation is illustrative: this is made-up data (for example a "
            "synthetic region), so the results describe no real ecosystem."
        )
    return (
        "Not every record is a stated fact: "
        + "; ".join(parts)
        + ". Inferred records are the compiler's reading of the sources; illustrative records "
        "are made up to illustrate a pattern the sources state. Results resting on them deserve less "
        "weight (see Data provenance)."
    )


def _build_map(ctx: _Context, sec: Section) -> None:
    from ecograph.viz.pyvis_map import _render_map

    opts = dict(ctx.map_options)
    height = str(opts.pop("height", "680px"))
    allowed = {"size_by", "layers", "physics", "title", "layout", "seed"}
    unknown = sorted(set(opts) - allowed)
    if unknown:
        raise InputError(f"unknown map option(s) {unknown}; expected some of {sorted(allowed)}")
    html, n_nodes, n_edges = _render_map(
        ctx.eco,
        size_by=opts.get("size_by"),
        layers=opts.get("layers"),
        physics=opts.get("physics"),
        height=height,
        title=opts.get("title"),
        layout=opts.get("layout", "auto"),
        seed=int(opts.get("seed", 0)),
        nonce=ctx.nonce,
    )
    ctx.map_html = html
    sec.blocks.append(
        {"kind": "map", "srcdoc": html, "height": height, "n_nodes": n_nodes, "n_edges": n_edges}
    )


_PROFILE_ROWS: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "persons_per_1000",
        "Persons per 1,000 inhabitants",
        "persons recorded in the data, not everyone living in the region",
    ),
    (
        "organisations_per_1000",
        "Organisations per 1,000 inhabitants",
        "organisations recorded in the data",
    ),
    ("density", "Density (all layers)", "share of possible links present"),
    (
        "two_mode_density",
        "Person-organisation density",
        "share of possible person-organisation roles present",
    ),
    ("interlocks", "Interlocks", "organisation pairs sharing a person"),
    ("interlock_density", "Interlock density", "share of organisation pairs sharing a person"),
    ("mean_roles_per_person", "Roles per person (mean)", "dense: the same people in many roles"),
    ("share_persons_2plus_roles", "Persons with 2+ roles", "share of persons"),
    ("share_persons_3plus_roles", "Persons with 3+ roles", "share of persons"),
    ("components", "Connected parts", "1 = everyone is reachable"),
    ("largest_component_share", "Largest connected part", "share of actors"),
    ("transitivity", "Transitivity", "share of closed triangles"),
    ("degree_centralisation", "Degree centralisation", "1 = a star around one actor"),
    ("average_path_length", "Average path length", "steps between two actors"),
    ("multiplexity", "Multiplexity", "share of linked pairs linked in 2+ layers"),
    (
        "external_bridging_share",
        "External bridging",
        "share of relations to actors outside the region",
    ),
)


def _build_profile(ctx: _Context, sec: Section) -> None:
    profile = ctx.run("profile")
    if isinstance(profile, pd.DataFrame):
        profile = profile.iloc[:, 0]
    values = pd.Series(profile)
    items = [
        (label, values[key], hint) for key, label, hint in _PROFILE_ROWS if key in values.index
    ]
    if items:
        sec.blocks.append(
            _facts(
                items,
                percent=(
                    "Persons with 2+ roles",
                    "Persons with 3+ roles",
                    "Largest connected part",
                    "External bridging",
                ),
            )
        )
    z_keys = [k for k in values.index if str(k).startswith("z.")]
    if z_keys:
        rows = []
        for k in z_keys:
            base = str(k)[2:]
            z = pd.to_numeric(pd.Series([values[k]]), errors="coerce").iloc[0]
            verdict = (
                "–"
                if pd.isna(z)
                else (
                    "denser than chance"
                    if z > 2
                    else "sparser than chance"
                    if z < -2
                    else "as expected by chance"
                )
            )
            rows.append(
                {
                    "measure": base.replace("_", " "),
                    "observed": values.get(base, np.nan),
                    "null mean": values.get(f"null_mean.{base}", np.nan),
                    "null sd": values.get(f"null_sd.{base}", np.nan),
                    "z": z,
                    "reading": verdict,
                }
            )
        n_null = values.get("n_null", None)
        note = (
            f"{_fmt(n_null)} random networks with the same degrees." if n_null is not None else ""
        )
        sec.blocks.append(
            _table(
                pd.DataFrame(rows),
                max_rows=ctx.max_rows,
                caption="Compared with random networks of the same size and degrees",
                note=note,
            )
        )
    full = pd.DataFrame(
        {"measure": [str(k) for k in values.index], "value": list(values.to_numpy())}
    )
    sec.blocks.append(
        {
            "kind": "details",
            "summary": f"All {len(full)} profile values",
            "table": _table(full, max_rows=10_000),
        }
    )
    roles = ctx.run("role_concentration")
    if isinstance(roles, pd.DataFrame) and len(roles):
        column = next(
            (c for c in ("n_roles", "roles", "n_organisations") if c in roles.columns), None
        )
        if column is not None:
            from ecograph.viz.plots import plot_role_concentration

            fig = plot_role_concentration(roles, column=column, names=ctx.names)
            sec.blocks.append(
                _figure_block(
                    fig,
                    "Bar chart of roles per person and the persons with the most roles",
                    "Roles per person. Orange: two roles; red: three or more (the 'dense' side).",
                )
            )
            top = roles.sort_values(column, ascending=False, kind="stable")
            table = top.reset_index()
            id_col = table.columns[0]
            table.insert(1, "name", _name_column(ctx, table[id_col]))
            keep = [
                c
                for c in (
                    "name",
                    "n_roles",
                    "n_organisations",
                    "n_sectors",
                    "n_kinds",
                    "chairs",
                    "ceos",
                    "big_linker",
                )
                if c in table.columns
            ]
            sec.blocks.append(
                _table(
                    table[keep],
                    max_rows=min(ctx.max_rows, 15),
                    caption="Persons with the most roles",
                    labels={
                        id_col: "id",
                        "n_roles": "roles",
                        "n_organisations": "organisations",
                        "n_sectors": "sectors",
                        "n_kinds": "actor kinds",
                        "big_linker": "big linker",
                    },
                )
            )


def _build_key_persons(ctx: _Context, sec: Section) -> None:
    table = ctx.run("key_persons")
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"key_persons returned {type(table).__name__}, expected a DataFrame")
    frame = table.reset_index() if table.index.name is not None else table.copy()
    id_col = "person_id" if "person_id" in frame.columns else frame.columns[0]
    if "rank" in frame.columns:
        frame = frame.sort_values("rank", kind="stable")
    frame.insert(1, "name", _name_column(ctx, frame[id_col]))
    preferred = [
        "rank",
        "name",
        "roles",
        "delta_largest_component",
        "delta_fragmentation",
        "interlocks_lost",
        "orgs_without_chair",
        "orgs_without_ceo",
        "orgs_cut_from_knowledge",
        "orgs_cut_from_external",
    ]
    keep = [c for c in preferred if c in frame.columns] or list(frame.columns)
    sec.blocks.append(
        _table(
            frame[keep],
            max_rows=ctx.max_rows,
            caption="Impact of removing each person",
            labels={
                id_col: "id",
                "delta_largest_component": "Δ largest part",
                "delta_fragmentation": "Δ fragmentation",
                "interlocks_lost": "interlocks lost",
                "orgs_without_chair": "orgs without chair",
                "orgs_without_ceo": "orgs without CEO",
                "orgs_cut_from_knowledge": "orgs cut from knowledge",
                "orgs_cut_from_external": "orgs cut from outside",
            },
        )
    )
    curve = ctx.run("robustness_curve")
    if isinstance(curve, pd.DataFrame) and len(curve):
        from ecograph.viz.plots import plot_robustness

        sec.blocks.append(
            _figure_block(
                plot_robustness(_robustness_frame(curve), x="share of persons removed"),
                "Line chart: share of actors still connected as persons are removed, "
                "targeted vs random",
                "Solid red: the most critical person removed first; dashed grey: random order "
                "(band: ± one standard deviation over the random runs).",
            )
        )


def _robustness_frame(curve: pd.DataFrame) -> pd.DataFrame:
    """Adapt a robustness curve to :func:`plot_robustness`'s wide form."""
    frame = curve.copy()
    if "share_removed" in frame.columns:
        x = frame["share_removed"]
    elif "removed" in frame.columns:
        x = frame["removed"]
    else:
        x = pd.Series(frame.index, index=frame.index)
    out = pd.DataFrame({"share of persons removed": pd.to_numeric(x, errors="coerce").to_numpy()})
    for name in ("targeted", "random"):
        if name in frame.columns:
            out[name] = pd.to_numeric(frame[name], errors="coerce").to_numpy()
            sd = f"{name}_sd"
            if sd in frame.columns:
                s = pd.to_numeric(frame[sd], errors="coerce").fillna(0.0).to_numpy()
                out[f"{name}_low"] = np.clip(out[name].to_numpy() - s, 0.0, None)
                out[f"{name}_high"] = np.clip(out[name].to_numpy() + s, None, 1.0)
    if len(out.columns) == 1:
        raise ValueError(
            f"robustness curve has no 'targeted' or 'random' column: {list(curve.columns)}"
        )
    return out


def _build_interlocks(ctx: _Context, sec: Section) -> None:
    table = ctx.run("interlocks")
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"interlocks returned {type(table).__name__}, expected a DataFrame")
    if len(table) == 0:
        sec.blocks.append(
            {"kind": "notice", "text": "No two organisations share a board member or manager."}
        )
        return
    frame = table.copy()
    sort_col = "shared_persons" if "shared_persons" in frame.columns else None
    if sort_col:
        frame = frame.sort_values(sort_col, ascending=False, kind="stable")
    out = pd.DataFrame(
        {
            "organisation A": _name_column(ctx, frame["org_a"]),
            "organisation B": _name_column(ctx, frame["org_b"]),
        }
    )
    if "shared_persons" in frame.columns:
        out["shared persons"] = frame["shared_persons"].to_numpy()
    if "persons" in frame.columns:
        out["who"] = [
            _name_of(ctx, list(v)) if isinstance(v, list | tuple | np.ndarray) else _name_of(ctx, v)
            for v in frame["persons"]
        ]
    if "weight" in frame.columns:
        out["weight"] = frame["weight"].to_numpy()
    sec.blocks.append(_table(out, max_rows=ctx.max_rows, caption=f"{len(frame)} interlocked pairs"))


def _build_coopetition(ctx: _Context, sec: Section) -> None:
    dyads = ctx.run("coopetition", level="dyad")
    if not isinstance(dyads, pd.DataFrame):
        raise TypeError(f"coopetition returned {type(dyads).__name__}, expected a DataFrame")
    if len(dyads) == 0:
        sec.blocks.append(
            {"kind": "notice", "text": "No pair of organisations has a co-opetition relation."}
        )
        return
    try:
        summary = ctx.run("coopetition_summary")
    except Exception as exc:  # the table and plot are still useful without the summary
        summary = None
        sec.blocks.append(
            {"kind": "notice", "text": f"Summary not available: {type(exc).__name__}: {exc}"}
        )
    if isinstance(summary, pd.Series):
        keys = [
            ("n_dyads", "Pairs", ""),
            ("share_adapting", "Adapting", "high competition, high cooperation"),
            ("share_contending", "Contending", "high competition, low cooperation"),
            ("share_partnering", "Partnering", "low competition, high cooperation"),
            ("share_isolating", "Isolating", "low competition, low cooperation"),
            (
                "share_competitors_cooperating",
                "Competitors that also cooperate",
                "of the pairs at or above the competitor threshold (– if there is none)",
            ),
            ("share_person_mediated", "Person-mediated", "pairs sharing a board member or manager"),
        ]
        items = [(label, summary[k], hint) for k, label, hint in keys if k in summary.index]
        if items:
            sec.blocks.append(
                _facts(items, percent=[label for k, label, _ in keys if k.startswith("share_")])
            )
    thresholds: tuple[float, float] = (0.5, 0.5)
    if {"competitor_threshold", "partner_threshold"} <= set(dyads.columns):
        tx = pd.to_numeric(dyads["competitor_threshold"], errors="coerce").dropna()
        ty = pd.to_numeric(dyads["partner_threshold"], errors="coerce").dropna()
        if len(tx) and len(ty):
            thresholds = (float(tx.iloc[0]), float(ty.iloc[0]))
    from ecograph.viz.plots import plot_quadrants

    fig = plot_quadrants(
        dyads,
        names=ctx.names,
        thresholds=thresholds,
        category="category" if "category" in dyads.columns else None,
    )
    sec.blocks.append(
        _figure_block(
            fig,
            "Scatter plot of co-opetition pairs by competitor and partner intensity",
            f"Thresholds: competitor {thresholds[0]:g}, partner {thresholds[1]:g}.",
        )
    )
    out = pd.DataFrame(
        {
            "organisation A": _name_column(ctx, dyads["org_a"]),
            "organisation B": _name_column(ctx, dyads["org_b"]),
        }
    )
    for col in (
        "competitor_intensity",
        "partner_intensity",
        "category",
        "balance",
        "person_mediated",
        "provenance",
    ):
        if col in dyads.columns:
            out[col] = dyads[col].to_numpy()
    if "mediating_persons" in dyads.columns:
        out["via persons"] = [
            _name_of(ctx, list(v))
            if isinstance(v, list | tuple | np.ndarray)
            else (_name_of(ctx, v.split(";")) if isinstance(v, str) else v)
            for v in dyads["mediating_persons"]
        ]
    sec.blocks.append(
        _table(
            out,
            max_rows=ctx.max_rows,
            caption="Co-opetition pairs",
            labels={
                "competitor_intensity": "competitor",
                "partner_intensity": "partner",
                "boundary_distance": "distance to threshold",
                "person_mediated": "person-mediated",
            },
        )
    )


def _score_tables(ctx: _Context, sec: Section, scores: pd.DataFrame, *, layers_plot: bool) -> None:
    if "level" not in scores.columns:
        sec.blocks.append(_table(scores, max_rows=ctx.max_rows, caption="Scores"))
        return
    level = scores["level"].astype("string")
    scores = scores.copy()
    for col in ("layer", "attribute", "indicator", "drivers", "supply"):
        if col in scores.columns:
            scores[col] = _pretty(scores[col])
    attrs = scores[(level == "attribute").to_numpy(dtype=bool)]
    layer_rows = scores[(level == "layer").to_numpy(dtype=bool)]
    if layers_plot:
        from ecograph.viz.plots import plot_layers

        data = pd.concat([layer_rows, attrs])
        sub = pd.DataFrame(
            {
                "layer": data["layer"].to_numpy(),
                "attribute": data["attribute"]
                .where((data["level"].astype("string") == "attribute").to_numpy(dtype=bool))
                .to_numpy(),
                "score": pd.to_numeric(data["score"], errors="coerce").to_numpy(),
            }
        )
        fig = plot_layers(sub)
        sec.blocks.append(
            _figure_block(
                fig,
                "Pyramid of Spigel's layers with attribute scores",
                "Layer scores (pyramid) and attribute scores (bars), 0 to 1.",
            )
        )
    if len(layer_rows):
        cols = [
            c for c in ("layer", "score", "n_missing", "drivers", "note") if c in layer_rows.columns
        ]
        sec.blocks.append(
            _table(
                layer_rows[cols],
                max_rows=ctx.max_rows,
                caption="Layers",
                labels={"n_missing": "missing inputs", "note": "description"},
            )
        )
    if len(attrs):
        cols = [
            c
            for c in (
                "layer",
                "attribute",
                "score",
                "drivers",
                "n_missing",
                "supply",
                "external_only",
            )
            if c in attrs.columns
        ]
        sec.blocks.append(
            _table(
                attrs[cols],
                max_rows=max(ctx.max_rows, 40),
                caption="Attributes",
                labels={
                    "n_missing": "missing inputs",
                    "external_only": "external only",
                    "drivers": "driven by",
                },
            )
        )
    checks = scores[(level == "pyramid").to_numpy(dtype=bool)]
    if len(checks):
        cols = [c for c in ("check", "holds", "score", "note") if c in checks.columns]
        sec.blocks.append(
            _table(
                checks[cols],
                max_rows=ctx.max_rows,
                caption="Pyramid checks",
                labels={"score": "margin"},
            )
        )
    indicators = scores[(level == "indicator").to_numpy(dtype=bool)]
    if len(indicators) and "missing" in indicators.columns:
        missing = indicators[indicators["missing"].fillna(False).astype(bool).to_numpy()]
        if len(missing):
            cols = [c for c in ("indicator", "attribute", "note") if c in missing.columns]
            sec.blocks.append(
                _table(
                    missing[cols],
                    max_rows=max(ctx.max_rows, 40),
                    caption="Inputs missing (not imputed)",
                    labels={"note": "why"},
                )
            )
        cols = [
            c
            for c in (
                "layer",
                "attribute",
                "indicator",
                "raw",
                "unit",
                "normalised",
                "weight",
                "contribution",
                "source",
            )
            if c in indicators.columns
        ]
        sec.blocks.append(
            {
                "kind": "details",
                "summary": f"All {len(indicators)} indicators",
                "table": _table(indicators[cols], max_rows=10_000),
            }
        )


def _build_spigel(ctx: _Context, sec: Section) -> None:
    scores = ctx.run("spigel_scores")
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"spigel_scores returned {type(scores).__name__}, expected a DataFrame")
    _score_tables(ctx, sec, scores, layers_plot=True)


def _build_miles_morrison(ctx: _Context, sec: Section) -> None:
    scores = ctx.run("miles_morrison_scores")
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(
            f"miles_morrison_scores returned {type(scores).__name__}, expected a DataFrame"
        )
    if "external_only" in scores.columns and "level" in scores.columns:
        attrs = scores[(scores["level"].astype("string") == "attribute").to_numpy(dtype=bool)]
        ext = attrs[attrs["external_only"].fillna(False).astype(bool).to_numpy()]
        if len(ext):
            names = ", ".join(str(a).replace("_", " ") for a in ext["attribute"])
            sec.blocks.append(
                {"kind": "notice", "text": f"Supplied only by external actors: {names}."}
            )
    _score_tables(ctx, sec, scores, layers_plot=False)


def _build_resources(ctx: _Context, sec: Section) -> None:
    eco = ctx.eco
    has_support = bool((eco.relations["kind"] == "support").any())
    if not has_support and "resources" not in eco.tables:
        sec.blocks.append(
            {
                "kind": "notice",
                "text": "This bundle has no support relations and no resources table, so "
                "support coverage cannot be shown.",
            }
        )
        return
    table = ctx.run("support_coverage")
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"support_coverage returned {type(table).__name__}, expected a DataFrame")
    frame = table.reset_index() if table.index.name is not None else table
    if "group" in frame.columns:
        frame = frame.assign(group=_pretty(frame["group"]))
    # Two narrower tables instead of one with twenty columns: who does the work (counts of
    # firms), then quality and gaps (shares from 0 to 1).
    key = [c for c in ("function", "group") if c in frame.columns]
    how_all = ("firms", "answered", "self", "bought", "network", "cooperative", "intermediary")
    how = [c for c in (*how_all, "not_done") if c in frame.columns]
    rest = [c for c in frame.columns if c not in key and c not in how]
    labels = {
        "not_done": "not done",
        "quality_score": "quality score",
        "not_done_rate": "not done (share)",
        "self_rate": "self (share)",
        "shared_share": "shared (share)",
        "gap_rate": "gap (share)",
        "providers_within_reach_share": "provider within reach (share)",
    }
    blocks = [(key + how, "Support functions of micro-businesses: who does the work (firms)")]
    if rest:
        first = key[:1]  # the group is in the first table already
        blocks.append(
            (first + rest, "Support functions: quality ratings (firms) and gaps (shares from 0 to 1)")
        )
    for cols, caption in blocks:
        sec.blocks.append(
            _table(
                frame[cols],
                max_rows=max(ctx.max_rows, 30),
                caption=caption,
                labels=labels,
            )
        )
    if "resources" in eco.tables:
        res = eco.tables["resources"]
        if "direction" in res.columns:
            counts = res.groupby(
                ["direction"] + (["category"] if "category" in res.columns else [])
            ).size()
            sec.blocks.append(
                _table(
                    counts.rename("items").reset_index(),
                    max_rows=50,
                    caption="Resources table: items by direction and category",
                )
            )


def _build_provenance(ctx: _Context, sec: Section) -> None:
    from ecograph.viz._style import actor_style, relation_style

    eco = ctx.eco
    for frame, what, style in ((eco.actors, "Actors", actor_style),
                               (eco.relations, "Relations", relation_style)):
        if "provenance" not in frame.columns or len(frame) == 0:
            continue
        prov = frame["provenance"].astype("string").fillna("(not given)")
        kinds = frame["kind"].astype("string").map(lambda k, st=style: st(str(k)).label)
        table = pd.crosstab(kinds, prov)
        table.index.name = "kind"
        table.columns.name = None
        table["total"] = table.sum(axis=1)
        sec.blocks.append(
            _table(table.reset_index(), max_rows=50, caption=f"{what} by kind and provenance")
        )
    sources = eco.meta.sources
    if sources:
        items = []
        for src in sources:
            head = ", ".join(x for x in (src.author, str(src.year) if src.year else None) if x)
            items.append(
                {
                    "key": src.id,
                    "title": src.title,
                    "head": head,
                    "url": src.url or "",
                    "note": src.note or "",
                }
            )
        sec.blocks.append(
            {
                "kind": "sources",
                "items": items,
                "note": "Addresses are shown as text: this report makes no network requests.",
            }
        )
    else:
        sec.blocks.append(
            {
                "kind": "notice",
                "text": "The bundle lists no sources (ecosystem.toml, [[ecosystem.sources]]).",
            }
        )
    if eco.meta.licence:
        sec.blocks.append({"kind": "text", "text": f"Licence: {eco.meta.licence}"})


def _build_warnings(ctx: _Context, sec: Section) -> None:
    if ctx.warnings:
        sec.blocks.append(
            {
                "kind": "list",
                "caption": "Warnings",
                "items": [f"{where}: {msg}" for where, msg in ctx.warnings],
                "alert": False,
            }
        )
    if ctx.failures:
        sec.blocks.append(
            {
                "kind": "list",
                "caption": "Sections that could not be computed",
                "items": [f"{where}: {err}" for where, err in ctx.failures],
                "alert": True,
            }
        )
    if not ctx.warnings and not ctx.failures:
        sec.blocks.append({"kind": "notice", "text": "No warnings; every section was computed."})


_BUILDERS: Final[dict[str, Callable[[_Context, Section], None]]] = {
    "summary": _build_summary,
    "map": _build_map,
    "profile": _build_profile,
    "key_persons": _build_key_persons,
    "interlocks": _build_interlocks,
    "coopetition": _build_coopetition,
    "spigel": _build_spigel,
    "miles_morrison": _build_miles_morrison,
    "resources": _build_resources,
    "provenance": _build_provenance,
    "warnings": _build_warnings,
}
