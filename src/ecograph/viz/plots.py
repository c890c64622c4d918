"""matplotlib plots of ecograph's results, each returning a ``Figure``.

Every function takes a plain DataFrame (or Series) with documented column
names, so it works on the output of ecograph's analyses or on any table
with the same columns. The figures are built without pyplot (no global
state, no GUI backend needed); in notebooks they display as images, and
``fig.savefig("plot.png")`` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ecograph._optional import require
from ecograph.exceptions import EmptyGraphError, InputError
from ecograph.viz._style import PALETTE, rc_context

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LUO_QUADRANTS",
    "plot_layers",
    "plot_quadrants",
    "plot_ranking",
    "plot_robustness",
    "plot_role_concentration",
    "repel_labels",
]

LUO_QUADRANTS: Final[dict[str, str]] = {
    "high_high": "adapting",
    "high_low": "contending",
    "low_high": "partnering",
    "low_low": "isolating",
}
"""Luo (2007)'s names of the four cells, keyed ``<competition>_<cooperation>``."""

_CATEGORY_COLORS: Final[dict[str, str]] = {
    "adapting": "#7B3294",
    "contending": "#D7301F",
    "partnering": "#1A9850",
    "isolating": "#8C8C8C",
}
_CYCLE: Final[tuple[str, ...]] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#7F7F7F",
    "#8C564B",
)
_LAYER_ORDER: Final[tuple[str, ...]] = ("cultural", "social", "material")
_LAYER_ALIASES: Final[dict[str, str]] = {"structural": "material"}
_LAYER_COLORS: Final[dict[str, str]] = {
    "cultural": "#B5651D",
    "social": "#2E86AB",
    "material": "#4F772D",
}


# ---------------------------------------------------------------------- helpers
def _figure(width: float, height: float) -> Figure:
    """A pyplot-free Figure with an Agg canvas (text extents need a renderer)."""
    require("matplotlib", "plotting")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} needs column(s) {missing}; the table has {list(frame.columns)}")


def _numeric(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    values = (
        pd.to_numeric(frame[column], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    )
    if np.isinf(values).any():
        raise InputError(f"{what}: column {column!r} has infinite values; expected finite numbers")
    return values


def _frame(data: Any, what: str) -> pd.DataFrame:
    if isinstance(data, pd.Series):
        return data.to_frame()
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{what} expects a pandas DataFrame; got {type(data).__name__}")
    return data


def _display(names: Mapping[str, str] | pd.Series | None, key: Any) -> str:
    if names is None:
        return str(key)
    try:
        value = names[key]
    except (KeyError, IndexError, TypeError):
        return str(key)
    return (
        str(value)
        if value is not None and not (isinstance(value, float) and np.isnan(value))
        else str(key)
    )


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def repel_labels(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    labels: Sequence[str],
    *,
    fontsize: float = 8.0,
    max_rings: int = 40,
    color: str = "#1F2933",
) -> list[Any]:
    """Place text labels next to points without overlaps and draw them.

    Greedy placement in display coordinates: labels are placed one after
    the other, each at the free candidate position nearest to its point.
    The candidates are the eight positions touching the point (right, left,
    above, below and the corners), then rings farther out. A position is
    free when the label's box overlaps no label placed before, no point
    marker, and stays inside the axes. A thin leader line joins a label to
    its point when it does not touch it. Deterministic; no dependency.

    Parameters
    ----------
    ax : Axes
        Axes whose limits are final (set them before calling).
    x, y : ndarray
        Point coordinates in data units.
    labels : sequence of str
        One label per point, placed in this order (put the important ones first).
    fontsize : float, default 8
    max_rings : int, default 40
        How far out to search; a label with no free position within this
        search goes to the candidate with the least overlap.
    color : str

    Returns
    -------
    list of matplotlib.text.Annotation
        One per label, in the order given.

    Examples
    --------
    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = Figure(figsize=(4, 3))
    >>> _ = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> _ = ax.set(xlim=(0, 1), ylim=(0, 1))
    >>> texts = repel_labels(ax, np.full(5, 0.5), np.full(5, 0.5), list("abcde"))
    >>> len(texts)
    5
    """
    fig = ax.figure
    n = len(labels)
    if n == 0:
        return []
    fig.canvas.draw()  # settle the layout engine and the axes aspect before measuring
    root = fig.get_figure(root=True)
    if root is not None and root.get_layout_engine() is not None:
        root.set_layout_engine("none")  # freeze: labels are placed for these axes positions
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    pts = ax.transData.transform(np.column_stack([x, y]))
    half = np.zeros((n, 2))
    for i, text in enumerate(labels):
        t = ax.text(0, 0, text, fontsize=fontsize)
        bb = t.get_window_extent(renderer)
        half[i] = ((bb.width + 4.0) / 2.0, (bb.height + 2.0) / 2.0)
        t.remove()
    box = ax.get_window_extent(renderer)
    marker_r = 5.0
    gap = 4.0
    placed = np.zeros((0, 4))  # cx, cy, hw, hh
    centres = np.zeros((n, 2))
    for i in range(n):
        hw, hh = half[i]
        cand = _label_candidates(hw, hh, gap, max_rings) + pts[i]
        inside = (
            (cand[:, 0] - hw >= box.x0)
            & (cand[:, 0] + hw <= box.x1)
            & (cand[:, 1] - hh >= box.y0)
            & (cand[:, 1] + hh <= box.y1)
        )
        ov_pts = _box_overlap(
            cand, hw, hh, pts, np.full(len(pts), marker_r), np.full(len(pts), marker_r)
        )
        ov_lab = _box_overlap(cand, hw, hh, placed[:, :2], placed[:, 2], placed[:, 3])
        cost = ov_pts + ov_lab
        free = inside & (cost == 0)
        if free.any():
            k = int(np.argmax(free))  # candidates are sorted nearest first
        else:
            k = int(np.argmin(np.where(inside, cost, np.inf))) if inside.any() else 0
        centres[i] = cand[k]
        placed = np.vstack([placed, [cand[k, 0], cand[k, 1], hw, hh]])
    label_xy = ax.transData.inverted().transform(centres)
    out = []
    for i, text in enumerate(labels):
        gap_x = max(abs(centres[i, 0] - pts[i, 0]) - half[i, 0], 0.0)
        gap_y = max(abs(centres[i, 1] - pts[i, 1]) - half[i, 1], 0.0)
        arrow = None
        if np.hypot(gap_x, gap_y) > marker_r + gap + 2.0:  # not touching its point
            arrow = {
                "arrowstyle": "-",
                "color": "#9AA5B1",
                "lw": 0.6,
                "shrinkA": 0.0,
                "shrinkB": 3.0,
            }
        ann = ax.annotate(
            text,
            xy=(float(x[i]), float(y[i])),
            xytext=(float(label_xy[i, 0]), float(label_xy[i, 1])),
            textcoords="data",
            ha="center",
            va="center",
            fontsize=fontsize,
            color=color,
            arrowprops=arrow,
            annotation_clip=False,
            zorder=5,
        )
        out.append(ann)
    return out


def _label_candidates(hw: float, hh: float, gap: float, rings: int) -> np.ndarray:
    """Offsets (display px) of a label centre around its point, nearest first."""
    dx = hw + gap + 3.0
    dy = hh + gap + 1.0
    offsets = [
        (dx, 0.0),
        (-dx, 0.0),
        (0.0, dy),
        (0.0, -dy),
        (dx, dy),
        (-dx, dy),
        (dx, -dy),
        (-dx, -dy),
    ]
    step_y = 2.0 * hh + 2.0
    step_x = hw
    for k in range(1, rings + 1):
        for sx in (0.0, dx, -dx):
            offsets += [(sx, dy + k * step_y), (sx, -dy - k * step_y)]
        offsets += [(dx + k * step_x, 0.0), (-dx - k * step_x, 0.0)]
        for sy in (dy, -dy):
            offsets += [(dx + k * step_x, sy), (-dx - k * step_x, sy)]
    arr = np.asarray(offsets, dtype=np.float64)
    order = np.argsort(np.hypot(arr[:, 0], arr[:, 1] * 1.5), kind="stable")
    return arr[order]


def _box_overlap(
    cand: np.ndarray,
    hw: float,
    hh: float,
    centres: np.ndarray,
    other_hw: np.ndarray,
    other_hh: np.ndarray,
) -> np.ndarray:
    """Total overlap area of each candidate box with the given boxes."""
    if len(centres) == 0:
        return np.zeros(len(cand))
    ox = (hw + other_hw[None, :]) - np.abs(cand[:, None, 0] - centres[None, :, 0])
    oy = (hh + other_hh[None, :]) - np.abs(cand[:, None, 1] - centres[None, :, 1])
    area = np.clip(ox, 0.0, None) * np.clip(oy, 0.0, None)
    return area.sum(axis=1)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------- quadrants
def plot_quadrants(
    data: pd.DataFrame,
    *,
    x: str = "competitor_intensity",
    y: str = "partner_intensity",
    category: str | None = "category",
    label: str | None = None,
    names: Mapping[str, str] | pd.Series | None = None,
    thresholds: tuple[float, float] | str = (0.5, 0.5),
    max_labels: int = 30,
    title: str | None = None,
) -> Figure:
    """Co-opetition quadrant scatter of dyads or actors (Luo 2007; Chin et al. 2008).

    Each point is a pair of organisations (a dyad table with ``org_a`` and
    ``org_b``) or an organisation (an actor table indexed by actor id),
    placed by how much it competes (x) and how much it cooperates (y). The
    thresholds split the plane into Luo's four cells, named in the corners.

    Parameters
    ----------
    data : DataFrame
        One row per dyad or actor with the columns named by ``x`` and ``y``
        (values in [0, 1]); rows with a missing intensity are left out.
    x, y : str
        Competitor and partner intensity columns.
    category : str or None, default "category"
        Column used to colour the points (``None`` or absent: one colour).
    label : str, optional
        Column with point labels. Default: ``"<org_a> – <org_b>"`` for a
        dyad table, else the index; ids are replaced by ``names`` when given.
    names : mapping or Series, optional
        Actor id -> display name.
    thresholds : (float, float) or "median", default (0.5, 0.5)
        Competitor and partner thresholds, drawn as dashed lines; "median"
        uses the medians of the plotted points.
    max_labels : int, default 30
        Label at most this many points (the ones farthest from the
        thresholds' crossing, i.e. the clearest cases).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes; the points are its first collection and the threshold
        lines are the axes' lines with ``gid`` ``"threshold-x"`` and
        ``"threshold-y"``.

    Raises
    ------
    InputError
        When a required column is missing, a value is infinite or outside
        [0, 1], or ``thresholds`` is malformed.
    EmptyGraphError
        When no row has both intensities.

    Notes
    -----
    Luo (2007) names the cells by competition x cooperation intensity:
    *adapting* (high, high), *contending* (high, low), *partnering* (low,
    high) and *isolating* (low, low). The thesis (Chin, Chan & Lam 2008's
    model) uses the same two axes; it objects that a high/low split is too
    coarse for thin rural networks, which is why the points keep their
    continuous position. A point exactly on a threshold counts as high.
    Labels are placed by :func:`repel_labels` so they do not overlap; the
    clearest cases are placed first.

    References
    ----------
    .. [1] Y. Luo, "A coopetition perspective of global competition",
       Journal of World Business 42(2), 129-144, 2007.
    .. [2] K.-S. Chin, B. L. Chan and P.-K. Lam, "Identifying and
       prioritizing critical success factors for coopetition strategy",
       Industrial Management & Data Systems 108(4), 437-454, 2008.

    Examples
    --------
    >>> import pandas as pd
    >>> dyads = pd.DataFrame({"org_a": ["h1", "g1"], "org_b": ["h2", "g2"],
    ...                       "competitor_intensity": [0.9, 0.6], "partner_intensity": [0.7, 0.2],
    ...                       "category": ["adapting", "contending"]})
    >>> fig = plot_quadrants(dyads, names={"h1": "Hotel A", "h2": "Hotel B"})
    >>> len(fig.axes[0].collections[0].get_offsets())
    2
    """
    frame = _frame(data, "plot_quadrants")
    _require_columns(frame, [x, y], "plot_quadrants")
    xs = _numeric(frame, x, "plot_quadrants")
    ys = _numeric(frame, y, "plot_quadrants")
    keep = ~(np.isnan(xs) | np.isnan(ys))
    if not keep.any():
        raise EmptyGraphError("plot_quadrants: no row has both intensities; nothing to plot")
    bad = keep & ((xs < 0) | (xs > 1) | (ys < 0) | (ys > 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"plot_quadrants: intensities must lie in [0, 1]; row {i} has ({xs[i]!r}, {ys[i]!r})"
        )
    sub = frame[keep]
    xs, ys = xs[keep], ys[keep]
    if isinstance(thresholds, str):
        if thresholds != "median":
            raise InputError(
                f"thresholds must be a pair of numbers or 'median'; got {thresholds!r}"
            )
        tx, ty = float(np.median(xs)), float(np.median(ys))
    else:
        try:
            tx, ty = (float(v) for v in thresholds)
        except (TypeError, ValueError):
            raise InputError(
                f"thresholds must be a pair of numbers or 'median'; got {thresholds!r}"
            ) from None
        if not (0 <= tx <= 1 and 0 <= ty <= 1):
            raise InputError(f"thresholds must lie in [0, 1]; got {(tx, ty)!r}")

    if label is not None:
        _require_columns(sub, [label], "plot_quadrants")
        texts = [str(v) for v in sub[label].tolist()]
    elif {"org_a", "org_b"} <= set(sub.columns):
        texts = [
            f"{_shorten(_display(names, a), 26)} –\n{_shorten(_display(names, b), 26)}"
            for a, b in zip(sub["org_a"].tolist(), sub["org_b"].tolist(), strict=True)
        ]
    else:
        texts = [_shorten(_display(names, k), 30) for k in sub.index.tolist()]

    cats: list[str] | None = None
    if category is not None and category in sub.columns:
        cats = ["(none)" if pd.isna(c) else str(c) for c in sub[category].tolist()]

    with rc_context():
        fig = _figure(6.6, 5.4)
        ax = fig.add_subplot()
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.03, 1.03)
        ax.set_aspect("equal")
        # quadrant shading and names
        from matplotlib.patches import Rectangle

        shade = {(1, 1): "#F3ECF7", (1, 0): "#FBECEA", (0, 1): "#EAF5EC", (0, 0): "#F4F5F6"}
        for (hx, hy), colour in shade.items():
            x0, x1 = (tx, 1.03) if hx else (-0.03, tx)
            y0, y1 = (ty, 1.03) if hy else (-0.03, ty)
            ax.add_patch(
                Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=colour, edgecolor="none", zorder=0)
            )
        corner = {
            "high_high": (1.0, 1.0, "right", "top"),
            "high_low": (1.0, 0.0, "right", "bottom"),
            "low_high": (0.0, 1.0, "left", "top"),
            "low_low": (0.0, 0.0, "left", "bottom"),
        }
        for key, (cx, cy, ha, va) in corner.items():
            ax.text(
                cx,
                cy,
                LUO_QUADRANTS[key],
                ha=ha,
                va=va,
                fontsize=10,
                fontweight="bold",
                color=_CATEGORY_COLORS[LUO_QUADRANTS[key]],
                alpha=0.55,
                zorder=1,
            )
        vline = ax.axvline(
            tx, color=PALETTE["muted"], linestyle=(0, (4, 3)), linewidth=1.0, zorder=2
        )
        hline = ax.axhline(
            ty, color=PALETTE["muted"], linestyle=(0, (4, 3)), linewidth=1.0, zorder=2
        )
        vline.set_gid("threshold-x")
        hline.set_gid("threshold-y")
        if cats is not None:
            palette = dict(_CATEGORY_COLORS)
            present = [c for c in _CATEGORY_COLORS if c in cats]
            extra = [c for c in dict.fromkeys(cats) if c not in palette]
            legend_order = present + extra
            for i, c in enumerate(extra):
                palette[c] = _CYCLE[i % len(_CYCLE)]
            colours = [palette[c] for c in cats]
        else:
            colours = [PALETTE["accent"]] * len(xs)
        ax.scatter(
            xs, ys, s=46, c=colours, edgecolors="white", linewidths=0.8, zorder=4, gid="points"
        )
        if cats is not None:
            from matplotlib.lines import Line2D

            handles = [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=7,
                    color=palette[c],
                    markeredgecolor="white",
                    label=c,
                )
                for c in legend_order
            ]
            ax.legend(
                handles=handles,
                title=category,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                title_fontsize=8.5,
            )
        ax.set_xlabel("Competitor intensity (how much they compete)")
        ax.set_ylabel("Partner intensity (how much they cooperate)")
        ax.set_title(
            title or f"Co-opetition: {len(xs)} {'pairs' if 'org_a' in sub.columns else 'actors'}"
        )
        if max_labels > 0:
            clarity = np.hypot(xs - tx, ys - ty)
            chosen = np.argsort(-clarity, kind="stable")[:max_labels]
            repel_labels(ax, xs[chosen], ys[chosen], [texts[i] for i in chosen], fontsize=7.5)
    return fig


# ---------------------------------------------------------------------- layers
def plot_layers(
    scores: pd.DataFrame | pd.Series,
    *,
    layer: str = "layer",
    score: str = "score",
    attribute: str = "attribute",
    vmin: float | None = None,
    vmax: float | None = None,
    title: str | None = None,
) -> Figure:
    """Spigel's three layers as a pyramid, with the attribute scores beside it.

    Parameters
    ----------
    scores : DataFrame or Series
        A Series indexed by layer name, or a DataFrame with a ``layer`` and a
        ``score`` column and optionally an ``attribute`` column. Rows whose
        attribute is missing (or a frame without the column) are layer
        scores; rows with an attribute are drawn as bars. A layer without a
        layer-score row gets the mean of its attribute scores.
    layer, score, attribute : str
        Column names.
    vmin, vmax : float, optional
        Colour scale; default [0, 1] when every score lies there, else the
        data range.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the pyramid (one patch per layer, bottom to top: cultural,
        social, material) and the bars (one per attribute, or per layer).

    Raises
    ------
    InputError
        For a missing column, an unknown layer name, or infinite scores.
    EmptyGraphError
        When no layer has a score.

    Notes
    -----
    Spigel (2017) describes an ecosystem by cultural, social and material
    attributes; the thesis draws them as a pyramid after Stam & Spigel
    (2016), with the cultural conditions as the base that supports the
    social and then the material (structural) conditions. ``"structural"``
    is accepted as another name for ``"material"``. A layer without any
    score is drawn hatched and labelled "no score".

    References
    ----------
    .. [1] B. Spigel, "The relational organization of entrepreneurial
       ecosystems", Entrepreneurship Theory and Practice 41(1), 49-72, 2017.
    .. [2] E. Stam and B. Spigel, "Entrepreneurial ecosystems", USE
       Discussion Paper 16-13, Utrecht University, 2016.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_layers(pd.Series({"cultural": 0.4, "social": 0.7, "material": 0.5}))
    >>> len(fig.axes)
    2
    """
    require("matplotlib", "plotting")
    if isinstance(scores, pd.Series):
        frame = pd.DataFrame({layer: scores.index.astype(str), score: scores.to_numpy()})
    else:
        frame = _frame(scores, "plot_layers")
        _require_columns(frame, [layer, score], "plot_layers")
    names = frame[layer].astype("string").str.strip().str.lower()
    names = names.replace(_LAYER_ALIASES)
    unknown = sorted(set(names.dropna()) - set(_LAYER_ORDER))
    if unknown:
        raise InputError(
            f"plot_layers: unknown layer(s) {unknown}; expected {list(_LAYER_ORDER)} "
            "(or 'structural' for material)"
        )
    values = _numeric(frame, score, "plot_layers")
    if attribute in frame.columns:
        attrs = frame[attribute].astype("string")
        is_attr = attrs.notna().to_numpy(dtype=bool) & (attrs.fillna("").str.len() > 0).to_numpy(
            dtype=bool
        )
    else:
        attrs = pd.Series(pd.NA, index=frame.index, dtype="string")
        is_attr = np.zeros(len(frame), dtype=bool)
    layer_score: dict[str, float] = {}
    for name in _LAYER_ORDER:
        sel = (names == name).to_numpy(dtype=bool)
        direct = values[sel & ~is_attr]
        direct = direct[~np.isnan(direct)]
        from_attrs = values[sel & is_attr]
        from_attrs = from_attrs[~np.isnan(from_attrs)]
        if len(direct):
            layer_score[name] = float(direct[0])
        elif len(from_attrs):
            layer_score[name] = float(from_attrs.mean())
    if not layer_score:
        raise EmptyGraphError("plot_layers: no layer has a score; nothing to plot")
    finite = values[~np.isnan(values)]
    lo = (
        vmin
        if vmin is not None
        else (0.0 if finite.min() >= 0 and finite.max() <= 1 else float(finite.min()))
    )
    hi = (
        vmax
        if vmax is not None
        else (1.0 if finite.min() >= 0 and finite.max() <= 1 else float(finite.max()))
    )
    if hi <= lo:
        hi = lo + 1.0

    with rc_context():
        from matplotlib import colormaps
        from matplotlib.colors import Normalize
        from matplotlib.patches import Polygon

        cmap = colormaps["YlGnBu"]
        norm = Normalize(lo, hi)
        fig = _figure(9.6, 4.6)
        grid = fig.add_gridspec(1, 2, width_ratios=[1.0, 1.25])
        ax_p = fig.add_subplot(grid[0, 0])
        ax_b = fig.add_subplot(grid[0, 1])
        ax_p.set_axis_off()
        ax_p.set_xlim(-1.05, 1.05)
        ax_p.set_ylim(-0.05, 1.08)
        bands = {"cultural": (0.0, 0.34), "social": (0.35, 0.67), "material": (0.68, 1.0)}

        def half_width(h: float) -> float:
            return 1.0 - 0.82 * h

        for name in _LAYER_ORDER:
            y0, y1 = bands[name]
            poly = [
                (-half_width(y0), y0),
                (half_width(y0), y0),
                (half_width(y1), y1),
                (-half_width(y1), y1),
            ]
            if name in layer_score:
                face = cmap(norm(layer_score[name]))
                patch = Polygon(poly, closed=True, facecolor=face, edgecolor="white", linewidth=2.0)
                dark = norm(layer_score[name]) > 0.55
                text = f"{name.capitalize()}\n{layer_score[name]:.2f}"
            else:
                patch = Polygon(
                    poly,
                    closed=True,
                    facecolor="#F0F2F4",
                    edgecolor="white",
                    hatch="///",
                    linewidth=2.0,
                )
                dark = False
                text = f"{name.capitalize()}\nno score"
            patch.set_gid(f"layer-{name}")
            ax_p.add_patch(patch)
            ax_p.text(
                0,
                (y0 + y1) / 2,
                text,
                ha="center",
                va="center",
                fontsize=10,
                fontweight="bold",
                color="white" if dark else PALETTE["ink"],
            )
        ax_p.set_title(title or "Spigel's ecosystem layers", loc="left")
        ax_p.text(
            -1.02,
            -0.04,
            "Base: culture supports the social and material layers (Stam & Spigel 2016)",
            fontsize=7.5,
            color=PALETTE["muted"],
            ha="left",
            va="top",
        )

        # bars: attributes grouped by layer (top = material, as in the pyramid), else layers
        labels: list[str] = []
        vals: list[float] = []
        colours: list[str] = []
        if is_attr.any():
            for name in reversed(_LAYER_ORDER):
                sel = (names == name).to_numpy(dtype=bool) & is_attr
                for a, v in zip(attrs[sel].tolist(), values[sel].tolist(), strict=True):
                    labels.append(_shorten(str(a).replace("_", " "), 32))
                    vals.append(v)
                    colours.append(_LAYER_COLORS[name])
        else:
            for name in reversed(_LAYER_ORDER):
                if name in layer_score:
                    labels.append(name.capitalize())
                    vals.append(layer_score[name])
                    colours.append(_LAYER_COLORS[name])
        ypos = np.arange(len(labels))[::-1]
        shown = np.nan_to_num(np.asarray(vals, dtype=np.float64), nan=0.0)
        ax_b.barh(ypos, shown - lo, left=lo, color=colours, height=0.66)
        for yy, v in zip(ypos, vals, strict=True):
            ax_b.text(
                (lo if np.isnan(v) else v) + 0.01 * (hi - lo),
                yy,
                "n/a" if np.isnan(v) else f"{v:.2f}",
                va="center",
                fontsize=8,
                color=PALETTE["ink"],
            )
        ax_b.set_yticks(ypos, labels)
        ax_b.set_xlim(lo, hi + 0.08 * (hi - lo))
        ax_b.grid(axis="y", visible=False)
        ax_b.set_xlabel("score")
        ax_b.set_title("Attributes" if is_attr.any() else "Layers", loc="left")
        from matplotlib.patches import Patch

        present = [n for n in reversed(_LAYER_ORDER) if n in set(names.dropna())]
        ax_b.legend(
            handles=[Patch(color=_LAYER_COLORS[n], label=n) for n in present],
            loc="lower right",
            fontsize=8,
        )
    return fig


# ---------------------------------------------------------------------- robustness
def plot_robustness(
    curve: pd.DataFrame,
    *,
    x: str | None = None,
    y: str | None = None,
    strategy: str | None = None,
    title: str | None = None,
) -> Figure:
    """Robustness curves: how the network falls apart as persons are removed.

    Parameters
    ----------
    curve : DataFrame
        *Wide*: ``x`` (a column, or the index when ``x`` is None) is the
        number or share removed and every other numeric column is one curve
        (e.g. ``targeted`` and ``random``); columns ``<curve>_low`` and
        ``<curve>_high`` give a band around a curve (e.g. the spread of the
        random removals). *Long*: with ``strategy`` set, one row per point
        with columns ``x``, ``y`` and ``strategy``.
    x, y : str, optional
        Column names (``y`` only for the long form).
    strategy : str, optional
        Column naming the curve of each row (long form).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per curve (``Line2D`` labelled with the curve
        name) and one filled band per curve that has bounds.

    Raises
    ------
    InputError
        For a missing column, no numeric curve, or infinite values.
    EmptyGraphError
        When the table has no row.

    Notes
    -----
    A steep fall of the targeted curve compared with the random one means
    a few persons hold the network together: Borgatti's (2006) key-player
    problem, here as the thesis's "individuals become more important" in
    thin and dense networks. The y axis is drawn from 0.

    References
    ----------
    .. [1] S. P. Borgatti, "Identifying sets of key players in a social
       network", Computational and Mathematical Organization Theory 12,
       21-34, 2006.
    .. [2] R. Albert, H. Jeong and A.-L. Barabási, "Error and attack
       tolerance of complex networks", Nature 406, 378-382, 2000.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"removed": [0, 1, 2], "targeted": [1.0, 0.5, 0.2],
    ...                       "random": [1.0, 0.9, 0.8]})
    >>> fig = plot_robustness(curve, x="removed")
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['targeted', 'random']
    """
    frame = _frame(curve, "plot_robustness")
    if len(frame) == 0:
        raise EmptyGraphError("plot_robustness: the curve table has no row; nothing to plot")
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    bands: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    if strategy is not None:
        if x is None or y is None:
            raise InputError("plot_robustness: the long form needs x, y and strategy column names")
        _require_columns(frame, [x, y, strategy], "plot_robustness")
        for name, group in frame.groupby(strategy, sort=False):
            group = group.sort_values(x)
            series[str(name)] = (
                _numeric(group, x, "plot_robustness"),
                _numeric(group, y, "plot_robustness"),
            )
        x_label = x
    else:
        if x is None:
            xs = (
                pd.to_numeric(pd.Series(frame.index), errors="coerce")
                .astype("float64")
                .to_numpy(na_value=np.nan)
            )
            x_label = str(frame.index.name or "removed")
            rest = frame
        else:
            _require_columns(frame, [x], "plot_robustness")
            xs = _numeric(frame, x, "plot_robustness")
            x_label = x
            rest = frame.drop(columns=[x])
        numeric_cols = [
            c
            for c in rest.columns
            if pd.api.types.is_numeric_dtype(rest[c].dtype)
            and not pd.api.types.is_bool_dtype(rest[c].dtype)
        ]
        bound_cols = {
            c
            for c in numeric_cols
            if any(str(c).endswith(sfx) for sfx in ("_low", "_high", "_lo", "_hi"))
        }
        for c in numeric_cols:
            if c in bound_cols:
                continue
            ys = _numeric(rest, c, "plot_robustness")
            order = np.argsort(xs, kind="stable")
            series[str(c)] = (xs[order], ys[order])
            for lo_sfx, hi_sfx in (("_low", "_high"), ("_lo", "_hi")):
                if f"{c}{lo_sfx}" in bound_cols and f"{c}{hi_sfx}" in bound_cols:
                    bands[str(c)] = (
                        xs[order],
                        _numeric(rest, f"{c}{lo_sfx}", "plot_robustness")[order],
                        _numeric(rest, f"{c}{hi_sfx}", "plot_robustness")[order],
                    )
    if not series:
        raise InputError(f"plot_robustness: no numeric curve column in {list(frame.columns)}")
    with rc_context():
        fig = _figure(7.0, 4.4)
        ax = fig.add_subplot()
        styles = {"targeted": (PALETTE["alert"], "-"), "random": ("#52606D", (0, (5, 3)))}
        for i, (name, (xs_, ys_)) in enumerate(series.items()):
            colour, ls = styles.get(name.lower(), (_CYCLE[i % len(_CYCLE)], "-"))
            if name in bands:
                bx, blo, bhi = bands[name]
                ax.fill_between(
                    bx, blo, bhi, color=colour, alpha=0.15, linewidth=0, label=f"{name} (range)"
                )
            ax.plot(
                xs_,
                ys_,
                color=colour,
                linestyle=ls,
                linewidth=2.0,
                marker="o",
                markersize=3.5,
                label=name,
            )
        ax.set_ylim(bottom=0)
        ax.set_xlabel(x_label.replace("_", " "))
        ax.set_ylabel("share still connected (largest component)")
        ax.set_title(title or "Robustness: targeted vs random removal of persons")
        ax.legend(loc="best")
    return fig


# ---------------------------------------------------------------------- roles
def plot_role_concentration(
    data: pd.DataFrame,
    *,
    column: str = "n_roles",
    names: Mapping[str, str] | pd.Series | None = None,
    top: int = 10,
    title: str | None = None,
) -> Figure:
    """Distribution of roles per person, and the persons with the most roles.

    Parameters
    ----------
    data : DataFrame
        One row per person (index: person id) with a count column.
    column : str, default "n_roles"
        The count to show (``n_roles``, ``n_organisations``, ...).
    names : mapping or Series, optional
        Person id -> display name for the ranking.
    top : int, default 10
        How many persons to rank in the right panel (0: no ranking panel).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Left axes: one bar per count value from the minimum to the maximum
        (height = number of persons). Right axes (if ``top``): one bar per
        ranked person.

    Raises
    ------
    InputError
        For a missing or non-numeric column, negative or infinite counts.
    EmptyGraphError
        When no person has a count.

    Notes
    -----
    The thesis's "dense" networks are those where the same persons hold
    many roles in each other's organisations; the share of persons with at
    least two and at least three roles is written on the left panel.
    Missing counts are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> roles = pd.DataFrame({"n_roles": [1, 1, 2, 4]}, index=["p1", "p2", "p3", "p4"])
    >>> fig = plot_role_concentration(roles, top=2)
    >>> len(fig.axes[0].patches), len(fig.axes[1].patches)
    (4, 2)
    """
    frame = _frame(data, "plot_role_concentration")
    _require_columns(frame, [column], "plot_role_concentration")
    values = _numeric(frame, column, "plot_role_concentration")
    keep = ~np.isnan(values)
    if not keep.any():
        raise EmptyGraphError("plot_role_concentration: no person has a count; nothing to plot")
    if (values[keep] < 0).any():
        raise InputError(f"plot_role_concentration: column {column!r} has negative counts")
    vals = values[keep]
    ids = frame.index[keep]
    with rc_context():
        fig = _figure(9.6 if top > 0 else 5.6, 4.2)
        if top > 0:
            grid = fig.add_gridspec(1, 2, width_ratios=[1.0, 1.1])
            ax = fig.add_subplot(grid[0, 0])
        else:
            ax = fig.add_subplot()
        ints = np.round(vals).astype(np.int64)
        lo, hi = int(ints.min()), int(ints.max())
        xs = np.arange(lo, hi + 1)
        counts = np.array([(ints == v).sum() for v in xs])
        colours = [
            PALETTE["alert"] if v >= 3 else ("#E69F00" if v == 2 else PALETTE["accent"]) for v in xs
        ]
        ax.bar(xs, counts, color=colours, width=0.75)
        for xv, c in zip(xs, counts, strict=True):
            if c:
                ax.text(float(xv), float(c), str(int(c)), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(xs if len(xs) <= 20 else xs[:: max(1, len(xs) // 10)])
        ax.set_xlabel(column.replace("_", " ").replace("n ", "number of ", 1))
        ax.set_ylabel("persons")
        ax.grid(axis="x", visible=False)
        share2 = float((vals >= 2).mean())
        share3 = float((vals >= 3).mean())
        ax.text(
            0.98,
            0.97,
            f"{len(vals)} persons\n≥ 2: {share2:.0%}\n≥ 3: {share3:.0%}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8.5,
            color=PALETTE["muted"],
        )
        ax.set_title(title or "Roles per person")
        if top > 0:
            ax_r = fig.add_subplot(grid[0, 1])
            order = np.argsort(-vals, kind="stable")[:top]
            labels = [_shorten(_display(names, ids[i]), 30) for i in order]
            ypos = np.arange(len(order))[::-1]
            ax_r.barh(ypos, vals[order], color=PALETTE["accent"], height=0.65)
            for yy, v in zip(ypos, vals[order], strict=True):
                ax_r.text(v, yy, f" {v:g}", va="center", fontsize=8)
            ax_r.set_yticks(ypos, labels)
            ax_r.grid(axis="y", visible=False)
            ax_r.set_xlabel(column.replace("_", " "))
            ax_r.set_title(f"Top {len(order)} (big linkers)")
            ax_r.set_xlim(0, float(vals[order].max()) * 1.15 + 0.5)
    return fig


# ---------------------------------------------------------------------- ranking
def plot_ranking(
    data: pd.DataFrame,
    *,
    score: str = "score",
    low: str | None = "score_low",
    high: str | None = "score_high",
    label: str | None = None,
    rank_low: str | None = "rank_low",
    rank_high: str | None = "rank_high",
    highlight: Sequence[str] = (),
    top: int | None = 40,
    title: str | None = None,
) -> Figure:
    """Municipalities (or any units) ranked by score, with uncertainty intervals.

    Parameters
    ----------
    data : DataFrame
        One row per unit (index or ``label`` column = name) with a score and
        optionally the interval bounds.
    score : str, default "score"
    low, high : str or None, default "score_low", "score_high"
        Interval bounds; drawn as horizontal error bars when both columns
        exist.
    label : str, optional
        Column with unit names (default: the index).
    rank_low, rank_high : str or None
        Rank interval columns; when present, written right of each row as
        "rank a-b".
    highlight : sequence of str
        Units drawn in the accent colour (e.g. the analyst's municipality).
    top : int or None, default 40
        Show only the best ``top`` units (None: all).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes; the points are its first collection (one per unit shown,
        best at the top) and the error bars a ``LineCollection``.

    Raises
    ------
    InputError
        For missing columns, infinite values, or intervals that do not
        contain the score.
    EmptyGraphError
        When no unit has a score.

    Notes
    -----
    Overlapping intervals mean the data cannot tell the units apart: a
    ranking of thin rural ecosystems is only as sharp as its intervals
    (e.g. from :func:`ecograph.score_uncertainty`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"score": [0.4, 0.7, 0.5], "score_low": [0.3, 0.5, 0.45],
    ...                   "score_high": [0.6, 0.8, 0.55]}, index=["Os", "Røros", "Tolga"])
    >>> fig = plot_ranking(t, highlight=["Røros"])
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # top to bottom
    ['Røros', 'Tolga', 'Os']
    """
    frame = _frame(data, "plot_ranking")
    _require_columns(frame, [score], "plot_ranking")
    values = _numeric(frame, score, "plot_ranking")
    keep = ~np.isnan(values)
    if not keep.any():
        raise EmptyGraphError("plot_ranking: no unit has a score; nothing to plot")
    sub = frame[keep]
    vals = values[keep]
    names = (
        [str(v) for v in (sub[label] if label is not None else sub.index).tolist()]
        if label is None or label in sub.columns
        else None
    )
    if names is None:
        raise InputError(
            f"plot_ranking needs column {label!r}; the table has {list(frame.columns)}"
        )
    low_col = low if low is not None and low in sub.columns else None
    high_col = high if high is not None and high in sub.columns else None
    has_ci = low_col is not None and high_col is not None
    lo_v = (
        _numeric(sub, low_col, "plot_ranking") if low_col is not None else np.full(len(sub), np.nan)
    )
    hi_v = (
        _numeric(sub, high_col, "plot_ranking")
        if high_col is not None
        else np.full(len(sub), np.nan)
    )
    if has_ci:
        bad = ~np.isnan(lo_v) & ~np.isnan(hi_v) & ((lo_v > vals + 1e-12) | (hi_v < vals - 1e-12))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"plot_ranking: the interval [{lo_v[i]}, {hi_v[i]}] of {names[i]!r} "
                f"does not contain its score {vals[i]}"
            )
    order = np.argsort(-vals, kind="stable")
    if top is not None:
        order = order[:top]
    n = len(order)
    with rc_context():
        fig = _figure(7.2, max(2.6, 0.28 * n + 1.3))
        ax = fig.add_subplot()
        ypos = np.arange(n)[::-1]
        marked = {str(h) for h in highlight}
        colours = [PALETTE["alert"] if names[i] in marked else PALETTE["accent"] for i in order]
        ax.scatter(vals[order], ypos, s=34, c=colours, zorder=4, edgecolors="white", linewidths=0.6)
        if has_ci:
            from matplotlib.collections import LineCollection

            segs = [
                [(lo_v[i], yy), (hi_v[i], yy)]
                for i, yy in zip(order, ypos, strict=True)
                if not (np.isnan(lo_v[i]) or np.isnan(hi_v[i]))
            ]
            ax.add_collection(LineCollection(segs, colors="#9AA5B1", linewidths=2.2, zorder=3))
        ax.set_yticks(ypos, [_shorten(names[i], 28) for i in order])
        for tick, i in zip(ax.get_yticklabels(), order, strict=True):
            if names[i] in marked:
                tick.set_fontweight("bold")
                tick.set_color(PALETTE["alert"])
        if (
            rank_low is not None
            and rank_high is not None
            and rank_low in sub.columns
            and rank_high in sub.columns
        ):
            rl = _numeric(sub, rank_low, "plot_ranking")
            rh = _numeric(sub, rank_high, "plot_ranking")
            trans = ax.get_yaxis_transform()
            for i, yy in zip(order, ypos, strict=True):
                if not (np.isnan(rl[i]) or np.isnan(rh[i])):
                    text = (
                        f"rank {rl[i]:.0f}" if rl[i] == rh[i] else f"rank {rl[i]:.0f}–{rh[i]:.0f}"
                    )
                    ax.text(
                        1.01,
                        yy,
                        text,
                        transform=trans,
                        va="center",
                        fontsize=7.5,
                        color=PALETTE["muted"],
                    )
        ax.grid(axis="y", visible=False)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(score.replace("_", " "))
        ax.set_title(
            title or (f"Ranking ({n} shown)" + (" with uncertainty intervals" if has_ci else ""))
        )
        ax.autoscale(axis="x")
    return fig
