"""Interactive network maps: one self-contained, offline, safe HTML file.

:func:`network_map` builds the nodes and edges with pyvis's ``Network`` and
renders them with ecograph's own template, which fixes pyvis's known
pitfalls (see Notes of :func:`network_map`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib
import json
import os
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph._optional import require
from ecograph.core.kinds import ACTOR_KINDS, RELATION_KINDS, RELATION_RULES
from ecograph.exceptions import ComputationError, EmptyGraphError, InputError
from ecograph.viz._style import actor_style, darken, relation_style

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["PHYSICS_THRESHOLD", "NetworkMap", "network_map"]

PHYSICS_THRESHOLD: Final[int] = 500
"""Above this many actors the map is drawn without physics (static igraph layout)."""

LayoutName = Literal["auto", "fr", "drl", "kk"]

_MIN_SIZE: Final[float] = 9.0
_MAX_SIZE: Final[float] = 38.0
_MAX_LABEL: Final[int] = 42
_MAX_LISTED: Final[int] = 8
_VIS_DIR: Final[str] = "templates/lib/vis-9.1.2"
_CSS_LENGTH: Final = re.compile(r"\d{1,5}(\.\d+)?(px|vh|em|rem|%)")


# ---------------------------------------------------------------------- result
@dataclass(frozen=True)
class NetworkMap:
    """A rendered map that is not (yet) saved: displays itself in notebooks.

    ``network_map(eco)`` without a path returns one. In Jupyter, JupyterLab,
    VS Code and Colab it displays as an isolated ``<iframe srcdoc=...>``
    (sandboxed, scripts allowed), which works where pyvis's own notebook
    output stays blank.

    Attributes
    ----------
    html : str
        The complete, self-contained HTML document.
    n_nodes, n_edges : int
        Actors and relations drawn.
    height : str
        CSS height of the frame used by :meth:`_repr_html_`.
    """

    html: str
    n_nodes: int
    n_edges: int
    height: str = "720px"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the HTML document to ``path`` (UTF-8) and return the path."""
        return _write(self.html, path)

    def _repr_html_(self) -> str:
        from markupsafe import escape

        return (
            f'<iframe srcdoc="{escape(self.html)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{escape(self.height)};border:1px solid #d9dee3;'
            f'border-radius:6px" title="ecograph network map" loading="lazy"></iframe>'
        )

    def __repr__(self) -> str:
        return (
            f"<NetworkMap: {self.n_nodes} actors, {self.n_edges} relations, {len(self.html)} bytes>"
        )


# ---------------------------------------------------------------------- public
@overload
def network_map(
    eco: Ecosystem,
    path: None = None,
    *,
    size_by: str | pd.Series | None = None,
    layers: str | Iterable[str] | None = None,
    physics: bool | None = None,
    height: str = "720px",
    title: str | None = None,
    layout: LayoutName | pd.DataFrame = "auto",
    seed: int = 0,
) -> NetworkMap: ...


@overload
def network_map(
    eco: Ecosystem,
    path: str | os.PathLike[str],
    *,
    size_by: str | pd.Series | None = None,
    layers: str | Iterable[str] | None = None,
    physics: bool | None = None,
    height: str = "720px",
    title: str | None = None,
    layout: LayoutName | pd.DataFrame = "auto",
    seed: int = 0,
) -> Path: ...


def network_map(
    eco: Ecosystem,
    path: str | os.PathLike[str] | None = None,
    *,
    size_by: str | pd.Series | None = None,
    layers: str | Iterable[str] | None = None,
    physics: bool | None = None,
    height: str = "720px",
    title: str | None = None,
    layout: LayoutName | pd.DataFrame = "auto",
    seed: int = 0,
) -> Path | NetworkMap:
    """Draw the ecosystem as an interactive map in one self-contained HTML file.

    Actors are nodes whose shape and colour show their kind and whose size
    shows a chosen metric; relations are edges whose colour and dash pattern
    show their kind (layer) and whose width shows their strength. The page
    has a legend, a checkbox per layer and per actor kind, a search box that
    highlights matching actors, and plain-text tooltips; clicking an actor
    shows its details in the side panel, where they can be copied.

    Parameters
    ----------
    eco : Ecosystem
    path : str or path-like, optional
        Where to write the HTML file (parent folders are created). When
        omitted, nothing is written and a :class:`NetworkMap` is returned,
        which displays itself in notebooks.
    size_by : str or Series, optional
        Node size. A Series is keyed by actor id (missing actors get the
        smallest size). A string names a numeric column of ``eco.actors``
        (``"employees"``, ``"revenue_nok"``, ...), ``"degree"`` (relations
        in the shown layers, the default), or a column of
        :func:`ecograph.node_metrics` (``"betweenness"``, ...).
    layers : str or iterable of str, optional
        Relation kinds to draw (default: all). Every actor is drawn.
    physics : bool, optional
        Let vis-network's force simulation refine the layout in the browser.
        Default: on up to :data:`PHYSICS_THRESHOLD` actors, off above. With
        physics off, the igraph layout is final and large maps open in
        seconds. A checkbox on the page switches it.
    height : str, default "720px"
        CSS height of the frame when the map is embedded (notebook output,
        the HTML report). The saved page itself fills the browser window.
    title : str, optional
        Page title; default ``eco.meta.name``.
    layout : {"auto", "fr", "drl", "kk"} or DataFrame, default "auto"
        igraph layout: Fruchterman-Reingold, DrL or Kamada-Kawai. ``"auto"``
        is ``"fr"`` up to 1,000 actors and ``"drl"`` above. A DataFrame
        with columns ``x`` and ``y`` indexed by actor id gives fixed
        positions instead.
    seed : int, default 0
        Seed of the layout; the same input and seed give the same file.

    Returns
    -------
    Path or NetworkMap
        The written path when ``path`` is given, else the rendered map.

    Raises
    ------
    EmptyGraphError
        When the ecosystem has no actors.
    InputError
        For an unknown layer, layout or ``size_by`` column, a non-numeric
        ``size_by`` column, or positions missing actors.
    ComputationError
        When igraph fails to compute the layout.
    OptionalDependencyError
        When pyvis or jinja2 is not installed (``pip install 'ecograph[viz]'``).

    Notes
    -----
    **Sizes and widths.** Node size is
    :math:`s = 9 + 29\\sqrt{(v - v_{min}) / (v_{max} - v_{min})}` pixels, so
    the node *area* grows linearly with the metric :math:`v`; missing, NaN
    and infinite values get the smallest size and show as "n/a" in the
    tooltip; if all values are equal every node gets the middle size. Edge
    width is :math:`0.8 + 4.2\\,x` pixels where :math:`x \\in [0, 1]` is
    the larger of the two intensities for co-opetition, the share for
    ownership, and ``weight / max(weight)`` within the relation kind for
    other kinds whose weights vary; relations without such a value are
    1.6 pixels wide. No NaN or infinity reaches the JavaScript (the JSON is
    written with ``allow_nan=False``).

    **Parallel relations.** A relation that is the only one between its two
    actors is a straight line. When several relations join the same two
    actors, each is curved with a roundness specific to its kind (and, for
    repeated relations of one kind, alternating sides), so none hides
    another.

    **Layout.** Positions are computed by igraph on the shown layers
    (undirected), seeded, and scaled to about 70 pixels per actor on each
    axis. Directed kinds (board seat, ownership, ...) get arrows; symmetric
    kinds (co-opetition, social tie) do not.

    **Safety and offline use** (pyvis issues #36, #159, #174, #228, #229; see
    the house style): the page is rendered by an ecograph template with
    autoescaping; the data is injected once as JSON (``|tojson``, which
    escapes ``<``, ``>``, ``&`` and ``'``) and parsed with ``JSON.parse``;
    tooltips are plain text (vis-network renders a string ``title`` with
    ``innerText``); node ids are generated (``a0``, ``a1``, ...), never user
    names; no ``innerHTML`` is used. vis-network's JavaScript and CSS are
    inlined from the installed pyvis package; there is no CDN, no Bootstrap
    and no request of any kind, enforced by a Content-Security-Policy
    (``default-src 'none'``, scripts only with the page's nonce). Nothing is
    written except ``path``.

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by
       force-directed placement", Software: Practice and Experience 21(11),
       1991.
    .. [2] S. Martin, W. M. Brown, R. Klavans and K. W. Boyack, "OpenOrd / DrL:
       an open-source toolbox for large graph layout", Proc. SPIE 7868, 2011.
    .. [3] vis-network 9.1.2, https://visjs.github.io/vis-network/docs/network/

    Examples
    --------
    >>> import pandas as pd
    >>> from ecograph import Ecosystem
    >>> eco = Ecosystem.from_frames(
    ...     actors=pd.DataFrame({"id": ["p1", "o1", "o2"], "name": ["Person 1", "Dairy", "Hotel"],
    ...                          "kind": ["person", "cooperative", "firm"]}),
    ...     relations=pd.DataFrame({"source": ["p1", "p1"], "target": ["o1", "o2"],
    ...                             "kind": ["board_seat", "management"],
    ...                             "role": ["chair", "ceo"]}),
    ...     meta={"name": "Toy"})
    >>> m = network_map(eco)
    >>> m
    <NetworkMap: 3 actors, 2 relations, ... bytes>
    >>> "cdn.jsdelivr.net" in m.html or "cdnjs.cloudflare.com" in m.html
    False
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = network_map(eco, pathlib.Path(tmp) / "toy.html", size_by="degree")
    ...     out.name, out.stat().st_size > 100_000
    ('toy.html', True)
    """
    html, n_nodes, n_edges = _render_map(
        eco,
        size_by=size_by,
        layers=layers,
        physics=physics,
        height=height,
        title=title,
        layout=layout,
        seed=seed,
    )
    result = NetworkMap(html=html, n_nodes=n_nodes, n_edges=n_edges, height=height)
    if path is None:
        return result
    return result.save(path)


# ---------------------------------------------------------------------- render
def _render_map(
    eco: Ecosystem,
    *,
    size_by: str | pd.Series | None,
    layers: str | Iterable[str] | None,
    physics: bool | None,
    height: str,
    title: str | None,
    layout: LayoutName | pd.DataFrame,
    seed: int,
    nonce: str | None = None,
) -> tuple[str, int, int]:
    """Build the payload and render the page; returns ``(html, n_nodes, n_edges)``."""
    n = len(eco.actors)
    if n == 0:
        raise EmptyGraphError("cannot draw a map of an ecosystem without actors")
    if not isinstance(height, str) or not _CSS_LENGTH.fullmatch(height.strip()):
        raise InputError(f"height must be a CSS length such as '720px' or '80vh'; got {height!r}")
    layer_key = _layer_names(layers)  # once: ``layers`` may be a one-shot iterator
    src, dst, rows = eco.edge_arrays(layer_key)  # validates the layer names
    if physics is None:
        physics = n <= PHYSICS_THRESHOLD
    values, size_label = _size_values(eco, size_by, layer_key, src, dst)
    sizes = _scale_sizes(values)
    pos = _positions(eco, layer_key, layout, seed)
    if not isinstance(layout, pd.DataFrame) and n <= _SPREAD_MAX:
        pos = _spread(pos, sizes + _LABEL_ROOM)
    spring = _median_edge_length(pos, src, dst)

    nodes = _node_records(eco, pos, values, sizes, size_label, src, dst, rows)
    edges = _edge_records(eco, src, dst, rows)
    options = _vis_options(n, physics, seed, spring)

    net = _build_network(nodes, edges, options, height)
    v_nodes, v_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = json.loads(options_json)

    title = eco.meta.name if title is None else str(title)
    kinds_present = eco.actors["kind"].value_counts()
    layers_present = (
        eco.relations["kind"].iloc[rows].value_counts() if len(rows) else pd.Series(dtype=int)
    )
    legend_kinds = [
        {
            "kind": k,
            "label": actor_style(k).label,
            "color": actor_style(k).color,
            "border": darken(actor_style(k).color),
            "glyph": _glyph(actor_style(k).vis_shape),
            "count": int(kinds_present.get(k, 0)),
        }
        for k in ACTOR_KINDS
        if kinds_present.get(k, 0)
    ]
    legend_layers = [
        {
            "kind": k,
            "label": relation_style(k).label,
            "color": relation_style(k).color,
            "dash": " ".join(str(d) for d in relation_style(k).dashes),
            "count": int(layers_present.get(k, 0)),
            "directed": RELATION_RULES[k].directed,
        }
        for k in RELATION_KINDS
        if layers_present.get(k, 0)
    ]
    payload = {"nodes": v_nodes, "edges": v_edges, "options": options, "physics": bool(physics)}
    if nonce is None:
        nonce = _nonce(json.dumps(payload, allow_nan=False, sort_keys=True), title)
    layout_name = (
        "given positions" if isinstance(layout, pd.DataFrame) else _layout_method(layout, n)
    )
    context = {
        "title": title,
        "subtitle": _subtitle(eco),
        "n_nodes": n,
        "n_edges": len(rows),
        "legend_kinds": legend_kinds,
        "legend_layers": legend_layers,
        "size_label": size_label,
        "physics": bool(physics),
        "layout_name": _LAYOUT_NAMES.get(layout_name, layout_name),
        "payload": payload,
        "nonce": nonce,
        "csp": _csp(nonce),
        "vis_css": _vis_asset("vis-network.css"),
        "vis_js": _vis_asset("vis-network.min.js"),
        "layers_note": "all layers"
        if layer_key is None
        else ", ".join(relation_style(k).label for k in layer_key),
    }
    html = _environment().get_template("map.html.j2").render(**context)
    return html, n, len(rows)


def _glyph(shape: str) -> dict[str, Any]:
    """SVG points of a legend glyph for a vis shape, in a 16 x 16 box centred on 0."""
    if shape == "dot":
        return {"circle": True, "points": ""}
    r = 6.0
    if shape == "square":
        pts = [(-5.5, -5.5), (5.5, -5.5), (5.5, 5.5), (-5.5, 5.5)]
    elif shape == "diamond":
        pts = [(0, -r - 0.5), (r + 0.5, 0), (0, r + 0.5), (-r - 0.5, 0)]
    elif shape in ("triangle", "triangleDown"):
        sign = 1.0 if shape == "triangle" else -1.0
        pts = [(0.0, -sign * (r + 0.5)), (r + 0.5, sign * r * 0.75), (-(r + 0.5), sign * r * 0.75)]
    elif shape == "hexagon":
        angles = np.deg2rad(np.arange(0, 360, 60) + 30)
        pts = list(zip(r * np.cos(angles), r * np.sin(angles), strict=True))
    else:  # star
        angles = np.deg2rad(np.arange(0, 360, 36) - 90)
        radii = np.where(np.arange(10) % 2 == 0, r + 1.0, (r + 1.0) * 0.45)
        pts = list(zip(radii * np.cos(angles), radii * np.sin(angles), strict=True))
    return {"circle": False, "points": " ".join(f"{x:.2f},{y:.2f}" for x, y in pts)}


def _layer_names(layers: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if layers is None:
        return None
    if isinstance(layers, str):
        return (layers,)
    return tuple(dict.fromkeys(layers))


def _subtitle(eco: Ecosystem) -> str:
    parts = []
    m = eco.meta
    if m.region:
        parts.append(m.region)
    if m.year is not None:
        parts.append(str(m.year))
    return " · ".join(parts)


def _nonce(payload_json: str, title: str) -> str:
    digest = hashlib.sha256((title + "\x00" + payload_json).encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def _csp(nonce: str) -> str:
    """Content-Security-Policy: no request of any kind; only our own scripts run."""
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _write(html: str, path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    if out.exists() and out.is_dir():
        raise InputError(f"path {str(out)!r} is a folder; expected a file name such as 'map.html'")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


# ---------------------------------------------------------------------- assets
@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    jinja2 = require("jinja2", "rendering the network map")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ecograph.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # |tojson must never write NaN / Infinity (invalid JSON, and a sign of unsanitised data)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "allow_nan": False}
    return env


@functools.lru_cache(maxsize=4)
def _vis_asset(name: str) -> Any:
    """vis-network's JS or CSS from the installed pyvis package, as trusted markup."""
    from importlib import resources

    from markupsafe import Markup

    require("pyvis", "drawing the network map")
    try:
        text = (resources.files("pyvis") / _VIS_DIR / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise ComputationError(
            f"vis-network asset {name!r} not found in the installed pyvis package "
            f"(expected pyvis/{_VIS_DIR}/{name}); reinstall pyvis>=0.3.2"
        ) from exc
    lowered = text.lower()
    # inlined library code must not be able to close its own element
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ComputationError(f"vis-network asset {name!r} cannot be inlined safely")
    return Markup(text)


class _IdList(list[Any]):
    """A list of node ids with O(1) membership (pyvis checks ``id in node_ids``)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Any] = set()

    def append(self, item: Any) -> None:
        self._seen.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._seen


def _build_network(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any], height: str
) -> Any:
    """Build the pyvis ``Network`` (directed: pyvis merges undirected parallel edges)."""
    network_mod = require("pyvis.network", "drawing the network map")
    net = network_mod.Network(
        height=height, width="100%", directed=True, heading="", cdn_resources="in_line"
    )
    net.node_ids = _IdList()
    for rec in nodes:
        rec = dict(rec)
        node_id = rec.pop("id")
        label = rec.pop("label")
        shape = rec.pop("shape")
        color = rec.pop("color")
        net.add_node(node_id, label=label, shape=shape, color=color, **rec)
    for rec in edges:
        rec = dict(rec)
        net.add_edge(rec.pop("from"), rec.pop("to"), **rec)
    net.options = options
    return net


# ---------------------------------------------------------------------- sizes
def _size_values(
    eco: Ecosystem,
    size_by: str | pd.Series | None,
    layers: str | Iterable[str] | None,
    src: np.ndarray,
    dst: np.ndarray,
) -> tuple[np.ndarray, str]:
    """Metric value per vertex (float, NaN where unknown) and its label."""
    n = len(eco.actors)
    if size_by is None or (isinstance(size_by, str) and size_by == "degree"):
        deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
        return deg.astype(np.float64), "Relations shown"
    if isinstance(size_by, pd.Series):
        label = str(size_by.name) if size_by.name is not None else "Size"
        series = size_by
    elif isinstance(size_by, str):
        label = size_by
        if size_by in eco.actors.columns:
            series = eco.actors[size_by]
        else:
            series = _metric_column(eco, size_by, layers)
    else:
        raise InputError(
            f"size_by must be a column name, 'degree' or a Series keyed by actor id; "
            f"got {type(size_by).__name__}"
        )
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise InputError(
            f"size_by Series has a duplicate actor id {dup!r}; expected one value per actor"
        )
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("float64")
    if not pd.api.types.is_numeric_dtype(series.dtype):
        raise InputError(f"size_by {label!r} must be numeric; got dtype {series.dtype}")
    aligned = series.reindex(eco.actors.index)
    values = pd.to_numeric(aligned, errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    values = np.where(np.isfinite(values), values, np.nan)
    return values, label


def _metric_column(eco: Ecosystem, name: str, layers: str | Iterable[str] | None) -> pd.Series:
    """A column of ``node_metrics`` (computed only when asked for by name)."""
    try:
        module: Any = importlib.import_module("ecograph.analysis.centrality")
    except ImportError:
        module = None
    if module is not None:
        metrics = module.node_metrics(eco, layers=layers)
        if name in metrics.columns:
            return metrics[name]  # type: ignore[no-any-return]
        known = sorted(set(eco.actors.columns) | set(metrics.columns) | {"degree"})
    else:
        known = sorted(set(eco.actors.columns) | {"degree"})
    raise InputError(f"unknown size_by column {name!r}; expected one of {known}")


def _scale_sizes(values: np.ndarray) -> np.ndarray:
    finite = np.isfinite(values)
    sizes = np.full(values.shape, _MIN_SIZE)
    if not finite.any():
        return sizes
    lo = float(values[finite].min())
    hi = float(values[finite].max())
    if hi - lo <= 0:
        sizes[finite] = (_MIN_SIZE + _MAX_SIZE) / 2
        return sizes
    frac = (values[finite] - lo) / (hi - lo)
    sizes[finite] = _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * np.sqrt(np.clip(frac, 0.0, 1.0))
    return sizes


# ---------------------------------------------------------------------- layout
_LAYOUT_NAMES: Final[dict[str, str]] = {
    "fr": "Fruchterman-Reingold",
    "drl": "DrL",
    "kk": "Kamada-Kawai",
}


def _layout_method(layout: str, n: int) -> str:
    if layout == "auto":
        return "fr" if n <= 1000 else "drl"
    if layout not in _LAYOUT_NAMES:
        raise InputError(
            f"unknown layout {layout!r}; expected 'auto', {', '.join(map(repr, _LAYOUT_NAMES))} "
            "or a DataFrame with columns x and y"
        )
    return layout


def _positions(
    eco: Ecosystem, layers: tuple[str, ...] | None, layout: LayoutName | pd.DataFrame, seed: int
) -> np.ndarray:
    """Pixel positions (n x 2), centred, finite."""
    n = len(eco.actors)
    if isinstance(layout, pd.DataFrame):
        missing = [c for c in ("x", "y") if c not in layout.columns]
        if missing:
            raise InputError(
                f"layout DataFrame lacks column(s) {missing}; expected columns x and y"
            )
        absent = eco.actors.index.difference(layout.index)
        if len(absent):
            raise InputError(
                f"layout DataFrame has no position for {len(absent)} actor(s), "
                f"e.g. {absent[0]!r}; expected one row per actor id"
            )
        xy = layout.loc[eco.actors.index, ["x", "y"]].to_numpy(dtype=np.float64)
        if not np.isfinite(xy).all():
            raise InputError(
                "layout DataFrame has NaN or infinite positions; expected finite x and y"
            )
        return _normalise_positions(xy, n, rescale=False)
    method = _layout_method(layout, n)
    g = eco.to_igraph(layers)
    rng = np.random.default_rng(seed)
    start = rng.uniform(-1.0, 1.0, size=(n, 2)).tolist()
    state = random.getstate()  # igraph draws from Python's random module
    random.seed(seed)
    coords: Any
    try:
        if n == 1:
            coords = [[0.0, 0.0]]
        elif method == "fr":
            niter = 500 if n <= 500 else 250
            coords = g.layout_fruchterman_reingold(niter=niter, seed=start, grid=False).coords
        elif method == "drl":
            coords = _pack_components(g, _layout_folded(g, start))
        else:
            coords = g.layout_kamada_kawai(seed=start).coords
    except Exception as exc:  # igraph raises InternalError and others
        raise ComputationError(
            f"igraph failed to compute the {_LAYOUT_NAMES[method]} layout: {exc}"
        ) from exc
    finally:
        random.setstate(state)
    xy = np.asarray(coords, dtype=np.float64).reshape(n, 2)
    return _normalise_positions(xy, n, rescale=True)


def _layout_folded(g: Any, start: list[list[float]]) -> np.ndarray:
    """DrL on the graph without its leaves; each leaf is then placed around its neighbour.

    Leaves (actors with exactly one neighbour, e.g. persons with one board
    seat) are a large share of register data. Laying out only the core
    halves DrL's work, and fanning the leaves around their hub reads better
    than DrL's scatter.
    """
    n = g.vcount()
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    edges = edges[edges[:, 0] != edges[:, 1]]
    pairs = _arrays.unique_rows(np.sort(edges, axis=1)) if len(edges) else edges
    nbrs = np.bincount(pairs.ravel(), minlength=n)
    leaf = nbrs == 1
    # the neighbour of each leaf; two leaves joined to each other stay in the core
    a, b = pairs[:, 0], pairs[:, 1]
    parent = np.full(n, -1, dtype=np.int64)
    parent[a[leaf[a]]] = b[leaf[a]]
    parent[b[leaf[b]]] = a[leaf[b]]
    leaf &= ~leaf[np.where(parent >= 0, parent, 0)] | (parent < 0)
    leaf &= parent >= 0
    core = np.flatnonzero(~leaf)
    xy = np.zeros((n, 2))
    if len(core) == 1:
        xy[core] = 0.0
    elif len(core) > 1:
        sub = g.induced_subgraph(core.tolist())
        xy[core] = np.asarray(
            sub.layout_drl(seed=[start[i] for i in core]).coords, dtype=np.float64
        )
    leaves = np.flatnonzero(leaf)
    if len(leaves):
        sub_edges = pairs[~leaf[pairs[:, 0]] & ~leaf[pairs[:, 1]]]
        lengths = np.sqrt(((xy[sub_edges[:, 0]] - xy[sub_edges[:, 1]]) ** 2).sum(axis=1))
        lengths = lengths[lengths > 0]
        radius = 0.35 * float(np.median(lengths)) if len(lengths) else 1.0
        par = parent[leaves]
        frame = pd.DataFrame({"parent": par})
        rank = frame.groupby("parent").cumcount().to_numpy()
        count = frame.groupby("parent")["parent"].transform("size").to_numpy()
        theta = 2 * np.pi * rank / count + par * 2.399963
        r = radius * (1.0 + 0.5 * (count > 12)) * (1.0 + 0.25 * (rank % 2) * (count > 24))
        xy[leaves] = xy[par] + np.column_stack([np.cos(theta), np.sin(theta)]) * r[:, None]
    return xy


def _pack_components(g: Any, xy: np.ndarray) -> np.ndarray:
    """Move every component but the largest onto a ring just outside the largest.

    DrL scatters small components and isolates far away, which squeezes the
    main component into the middle of the view. Each small component keeps
    its shape and its direction from the centre.
    """
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    n_comp = int(membership.max()) + 1 if len(membership) else 0
    if n_comp < 2:
        return xy
    sizes = np.bincount(membership)
    giant = int(np.argmax(sizes))
    in_giant = membership == giant
    centre = xy[in_giant].mean(axis=0)
    radii = np.sqrt(((xy[in_giant] - centre) ** 2).sum(axis=1))
    big_r = float(np.quantile(radii, 0.98)) if in_giant.sum() > 1 else 1.0
    big_r = big_r if big_r > 0 else 1.0
    count = np.bincount(membership, minlength=n_comp).astype(np.float64)
    cx = np.bincount(membership, weights=xy[:, 0], minlength=n_comp) / count
    cy = np.bincount(membership, weights=xy[:, 1], minlength=n_comp) / count
    cent = np.column_stack([cx, cy]) - centre
    dist = np.sqrt((cent**2).sum(axis=1))
    golden = np.arange(n_comp) * 2.399963
    unit = np.where(
        dist[:, None] > 0,
        cent / np.where(dist > 0, dist, 1.0)[:, None],
        np.column_stack([np.cos(golden), np.sin(golden)]),
    )
    others = np.flatnonzero(np.arange(n_comp) != giant)
    # keep the radial order of the small components, within a band outside the giant
    order = np.argsort(np.argsort(dist[others]))
    band = 1.12 + 0.45 * order / max(1, len(others) - 1)
    target = np.zeros((n_comp, 2))
    target[others] = unit[others] * (big_r * band)[:, None]
    shift = np.zeros((n_comp, 2))
    shift[others] = target[others] - cent[others]
    out: np.ndarray = xy - centre + shift[membership]
    return out


_SPREAD_MAX: Final[int] = 1000
_LABEL_ROOM: Final[float] = 18.0
_LABEL_ASPECT: Final[float] = 2.2


def _spread(xy: np.ndarray, radius: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Push overlapping nodes apart until discs of ``radius`` no longer overlap.

    A few vectorised sweeps (O(n^2) memory, so only for maps up to
    :data:`_SPREAD_MAX` actors); keeps the layout's shape, removes the
    pile-ups force-directed layouts leave around hubs.
    """
    n = len(xy)
    if n < 2:
        return xy
    xy = xy.astype(np.float64).copy()
    # coincident points: a deterministic nudge so they have a direction to move apart
    angle = np.arange(n) * 2.399963  # golden angle
    xy += np.column_stack([np.cos(angle), np.sin(angle)]) * 0.5
    need = radius[:, None] + radius[None, :]
    stretch = np.array([_LABEL_ASPECT, 1.0])  # labels sit below nodes and are wider than tall
    xy = xy / stretch
    for _ in range(iterations):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(need - dist, 0.0, None)
        if overlap.max() < 0.5:
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = np.where(np.isfinite(dist)[..., None], d / dist[..., None], 0.0)
        xy += (
            0.5
            * (unit * overlap[..., None]).sum(axis=1)
            / np.maximum(1.0, (overlap > 0).sum(axis=1))[:, None]
        )
    xy = xy * stretch
    out: np.ndarray = np.round(xy - xy.mean(axis=0), 1)
    return out


def _median_edge_length(xy: np.ndarray, src: np.ndarray, dst: np.ndarray) -> float:
    if len(src) == 0:
        return 120.0
    lengths = np.sqrt(((xy[src] - xy[dst]) ** 2).sum(axis=1))
    lengths = lengths[lengths > 0]
    return float(np.clip(np.median(lengths), 80.0, 260.0)) if len(lengths) else 120.0


def _normalise_positions(xy: np.ndarray, n: int, *, rescale: bool) -> np.ndarray:
    xy = np.where(np.isfinite(xy), xy, 0.0)
    xy = xy - xy.mean(axis=0)
    if rescale:
        extent = float(np.abs(xy).max()) if n > 1 else 0.0
        target = 40.0 * np.sqrt(n) + 150.0  # half-width in pixels
        if extent > 0:
            xy = xy * (target / extent)
    return np.round(xy, 1)


# ---------------------------------------------------------------------- records
def _text(series: pd.Series) -> np.ndarray:
    """Strings as an object array, ``""`` for missing values."""
    s = series.astype("string").fillna("")
    return s.to_numpy(dtype=object)


def _municipality_names(codes: pd.Series) -> np.ndarray:
    """``"Røros - Rossen (5025)"`` for codes in the shipped 2024 list, other values as given."""
    from ecograph.registry.tables import municipalities

    text = codes.astype("string").fillna("")
    try:
        names = municipalities()["name"]
    except (OSError, ValueError):  # a damaged installation should not cost the map
        return text.to_numpy(dtype=object)
    named = text.map(names) + " (" + text + ")"
    return named.where(text.isin(names.index), text).to_numpy(dtype=object)


def _line(label: str, values: np.ndarray) -> np.ndarray:
    """``"\\n<label>: <value>"`` where the value is not empty, else ``""``."""
    out = np.full(values.shape, "", dtype=object)
    has = values != ""
    out[has] = "\n" + label + ": " + values[has]
    return out


def _fmt_number(values: np.ndarray, digits: int = 3) -> np.ndarray:
    out = np.full(values.shape, "", dtype=object)
    finite = np.isfinite(values)
    out[finite] = [
        f"{v:,.{digits}g}".replace(",", " ") if abs(v) < 1e6 else f"{v:,.0f}".replace(",", " ")
        for v in values[finite]
    ]
    return out


def _node_records(
    eco: Ecosystem,
    pos: np.ndarray,
    values: np.ndarray,
    sizes: np.ndarray,
    size_label: str,
    src: np.ndarray,
    dst: np.ndarray,
    rows: np.ndarray,
) -> list[dict[str, Any]]:
    a = eco.actors
    n = len(a)
    names = _text(a["name"])
    kinds = a["kind"].astype("string").fillna("").to_numpy(dtype=object)
    external = (
        a["external"].fillna(False).to_numpy(dtype=bool)
        if "external" in a.columns
        else np.zeros(n, dtype=bool)
    )

    kind_label = np.array([actor_style(k).label for k in kinds], dtype=object)
    title = names + "\n" + kind_label + np.where(external, " (outside the region)", "")
    for col, label in (
        ("org_number", "Org. number"),
        ("municipality", "Municipality"),
        ("nace", "Industry (NACE)"),
        ("legal_form", "Legal form"),
    ):
        if col in a.columns:
            text = _text(a[col])
            if col == "municipality":
                text = _municipality_names(a[col])
            title = title + _line(label, text)
    for col, label in (
        ("employees", "Employees"),
        ("revenue_nok", "Revenue (NOK)"),
        ("founded", "Founded"),
    ):
        if col in a.columns:
            nums = (
                pd.to_numeric(a[col], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
            )
            digits = 4 if col == "founded" else 3
            title = title + _line(label, _fmt_number(nums, digits))
    shown = _fmt_number(values)
    shown[shown == ""] = "n/a"
    title = title + "\n" + size_label + ": " + shown
    title = title + _relation_lines(eco, src, dst, rows)
    if "evidence" in a.columns:
        title = title + _line("Source", _text(a["evidence"]))
    if "provenance" in a.columns:
        title = title + _line("Provenance", _text(a["provenance"]))

    labels = np.array(
        [s if len(s) <= _MAX_LABEL else s[: _MAX_LABEL - 1] + "…" for s in names], dtype=object
    )
    records = []
    for i in range(n):
        st = actor_style(kinds[i])
        node: dict[str, Any] = {
            "id": f"a{i}",
            "label": labels[i],
            "shape": st.vis_shape,
            "color": {
                "background": st.color,
                "border": darken(st.color),
                "highlight": {"background": st.color, "border": "#1F2933"},
                "hover": {"background": st.color, "border": "#1F2933"},
            },
            "size": float(sizes[i]),
            "x": float(pos[i, 0]),
            "y": float(pos[i, 1]),
            "title": title[i],
            "kind": kinds[i],
            "search": names[i].lower(),
            "name": names[i],
        }
        if external[i]:
            node["shapeProperties"] = {"borderDashes": [4, 3]}
            node["borderWidth"] = 2.5
        records.append(node)
    return records


def _relation_lines(
    eco: Ecosystem, src: np.ndarray, dst: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Per actor: a count by relation kind and up to eight relations listed."""
    n = len(eco.actors)
    out = np.full(n, "", dtype=object)
    if len(rows) == 0:
        return out
    rel = eco.relations.iloc[rows]
    names = _text(eco.actors["name"])
    kinds = rel["kind"].astype("string").to_numpy(dtype=object)
    klabel = np.array([relation_style(k).label for k in kinds], dtype=object)
    directed = np.array(
        [RELATION_RULES[k].directed if k in RELATION_RULES else True for k in kinds]
    )
    role = _text(rel["role"]) if "role" in rel.columns else np.full(len(rows), "", dtype=object)
    role_sfx = np.where(role != "", " (" + role + ")", "")
    out_arrow = np.where(directed, " → ", " ↔ ")
    in_arrow = np.where(directed, " ← ", " ↔ ")
    ends = pd.DataFrame(
        {
            "actor": np.concatenate([src, dst]),
            "text": np.concatenate(
                [
                    " · " + klabel + out_arrow + names[dst] + role_sfx,
                    " · " + klabel + in_arrow + names[src] + role_sfx,
                ]
            ),
            "kind": np.concatenate([klabel, klabel]),
        }
    )
    counts = pd.crosstab(ends["actor"], ends["kind"])
    count_arr = np.full(len(counts), "", dtype=object)
    for col in counts.columns:
        c = counts[col].to_numpy()
        piece = np.where(c > 0, f"{col} " + c.astype(str), "")
        sep = np.where((count_arr != "") & (piece != ""), ", ", "")
        count_arr = count_arr + sep + piece
    count_text = pd.Series(count_arr, index=counts.index, dtype=object)
    total = counts.sum(axis=1)
    ends["rank"] = ends.groupby("actor").cumcount()
    listed = ends[ends["rank"] < _MAX_LISTED].groupby("actor")["text"].agg("\n".join)
    block = (
        "\nRelations: "
        + total.astype(str)
        + " ("
        + count_text
        + ")\n"
        + listed.reindex(total.index)
    )
    more = total - _MAX_LISTED
    block = block + np.where(more > 0, "\n · … and " + more.astype(str) + " more", "")
    out[block.index.to_numpy(dtype=np.int64)] = block.to_numpy(dtype=object)
    return out


def _edge_strength(rel: pd.DataFrame, kinds: np.ndarray) -> np.ndarray:
    """Strength in [0, 1] per relation, NaN where the relation has none (see Notes)."""
    m = len(rel)
    strength = np.full(m, np.nan)

    def col(name: str) -> np.ndarray:
        if name not in rel.columns:
            return np.full(m, np.nan)
        v = pd.to_numeric(rel[name], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
        return np.where(np.isfinite(v), v, np.nan)

    ci, pi, share, weight = (
        col("competitor_intensity"),
        col("partner_intensity"),
        col("share"),
        col("weight"),
    )
    coop = kinds == "coopetition"
    both = np.vstack([ci, pi])
    has_any = ~np.isnan(both).all(axis=0)
    with np.errstate(invalid="ignore"):
        best = np.where(has_any, np.nanmax(np.where(np.isnan(both), -np.inf, both), axis=0), np.nan)
    strength[coop] = best[coop]
    own = kinds == "ownership"
    strength[own] = share[own]
    for kind in np.unique(kinds):
        if kind in ("coopetition", "ownership"):
            continue
        sel = (kinds == kind) & ~np.isnan(weight)
        if sel.sum() == 0:
            continue
        w = weight[sel]
        if w.max() > w.min():
            strength[sel] = w / w.max()
    out: np.ndarray = np.clip(strength, 0.0, 1.0)
    return out


def _edge_records(
    eco: Ecosystem, src: np.ndarray, dst: np.ndarray, rows: np.ndarray
) -> list[dict[str, Any]]:
    m = len(rows)
    if m == 0:
        return []
    rel = eco.relations.iloc[rows]
    names = _text(eco.actors["name"])
    kinds = rel["kind"].astype("string").to_numpy(dtype=object)
    strength = _edge_strength(rel, kinds)
    width = np.where(np.isnan(strength), 1.6, 0.8 + 4.2 * np.nan_to_num(strength))

    # parallel relations: curved, with a roundness per kind
    lo = np.minimum(src, dst).astype(np.int64)
    hi = np.maximum(src, dst).astype(np.int64)
    pair = lo * len(eco.actors) + hi
    _, pair_inv, pair_count = np.unique(pair, return_inverse=True, return_counts=True)
    multi = pair_count[pair_inv] > 1
    dup_rank = pd.DataFrame({"p": pair, "k": kinds}).groupby(["p", "k"]).cumcount().to_numpy()

    directed = np.array(
        [RELATION_RULES[k].directed if k in RELATION_RULES else True for k in kinds]
    )
    klabel = np.array([relation_style(k).label for k in kinds], dtype=object)
    arrow = np.where(directed, " → ", " ↔ ")
    title = klabel + ": " + names[src] + arrow + names[dst]
    if "role" in rel.columns:
        title = title + _line("Role", _text(rel["role"]))
    if "function" in rel.columns:
        title = title + _line("Function", _text(rel["function"]))
    for col, label, pct in (
        ("share", "Share", True),
        ("competitor_intensity", "Competitor intensity", False),
        ("partner_intensity", "Partner intensity", False),
        ("weight", "Weight", False),
        ("confidence", "Confidence", False),
    ):
        if col in rel.columns:
            v = pd.to_numeric(rel[col], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
            text = _fmt_number(v * 100.0, 3) if pct else _fmt_number(v, 3)
            if pct:
                text = np.where(text != "", text + " %", "")
            title = title + _line(label, text.astype(object))
    for col, label in (("since", "Since"), ("until", "Until")):
        if col in rel.columns:
            d = pd.to_datetime(rel[col], errors="coerce")
            title = title + _line(label, _text(d.dt.strftime("%Y-%m-%d")))
    for col, label in (("provenance", "Provenance"), ("evidence", "Source")):
        if col in rel.columns:
            title = title + _line(label, _text(rel[col]))

    records = []
    for j in range(m):
        st = relation_style(kinds[j])
        edge: dict[str, Any] = {
            "id": f"e{j}",
            "from": f"a{int(src[j])}",
            "to": f"a{int(dst[j])}",
            "kind": kinds[j],
            "title": title[j],
            "width": float(width[j]),
            "color": {
                "color": st.color,
                "highlight": darken(st.color, 0.75),
                "hover": darken(st.color, 0.75),
                "opacity": 0.85,
            },
            "dashes": list(st.dashes) if st.dashes else False,
            "arrows": {"to": {"enabled": bool(directed[j]), "scaleFactor": 0.45}},
        }
        if multi[j]:
            rank = int(dup_rank[j])
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 == 0 else "curvedCCW",
                "roundness": round(st.roundness + 0.1 * (rank // 2), 3),
            }
        else:
            edge["smooth"] = False
        records.append(edge)
    return records


def _vis_options(n: int, physics: bool, seed: int, spring: float) -> dict[str, Any]:
    big = n > PHYSICS_THRESHOLD
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 13,
                "face": font,
                "color": "#1F2933",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {"selectionWidth": 1.5, "hoverWidth": 0.8, "arrowStrikethrough": False},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "multiselect": True,
            "navigationButtons": False,
            "keyboard": False,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
        "layout": {"improvedLayout": False, "randomSeed": int(seed)},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.1,
                "springLength": round(spring, 1),
                "springConstant": 0.02,
                "damping": 0.4,
                "avoidOverlap": 0.5,
            },
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": True,
                "iterations": 150,
                "updateInterval": 50,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options
