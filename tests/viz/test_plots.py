"""matplotlib plots: each returns a Figure with the expected artists, from hand-made frames."""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from ecograph.exceptions import EmptyGraphError, InputError
from ecograph.viz.plots import (
    plot_layers,
    plot_quadrants,
    plot_ranking,
    plot_robustness,
    plot_role_concentration,
    repel_labels,
)

matplotlib.use("Agg")


def dyads(n: int = 6) -> pd.DataFrame:
    ci = [0.9, 0.8, 0.2, 0.1, 0.5, 0.6][:n]
    pi = [0.9, 0.1, 0.8, 0.1, 0.5, np.nan][:n]
    return pd.DataFrame(
        {
            "org_a": [f"a{i}" for i in range(n)],
            "org_b": [f"b{i}" for i in range(n)],
            "competitor_intensity": ci,
            "partner_intensity": pi,
            "category": [
                "adapting",
                "contending",
                "partnering",
                "isolating",
                "adapting",
                "contending",
            ][:n],
        }
    )


def threshold_positions(ax):
    lines = {line.get_gid(): line for line in ax.get_lines()}
    return lines["threshold-x"].get_xdata()[0], lines["threshold-y"].get_ydata()[0]


def label_boxes(fig: Figure):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # the text boxes only (an Annotation's own extent includes its leader line)
    return [
        Text.get_window_extent(t, renderer) for t in fig.axes[0].texts if isinstance(t, Annotation)
    ]


# ---------------------------------------------------------------- quadrants
def test_quadrants_points_thresholds_and_labels():
    fig = plot_quadrants(dyads(), names={"a0": "Røros Hotell"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == 5  # the row without partner intensity is left out
    assert threshold_positions(ax) == (0.5, 0.5)
    labels = [t.get_text() for t in ax.texts if isinstance(t, Annotation)]
    assert len(labels) == 5
    assert "Røros Hotell –\nb0" in labels
    corners = {t.get_text() for t in ax.texts if not isinstance(t, Annotation)}
    assert corners == {"adapting", "contending", "partnering", "isolating"}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "adapting",
        "contending",
        "partnering",
        "isolating",
    ]


def test_quadrants_median_thresholds_and_actor_tables():
    actors = pd.DataFrame(
        {"competitor_intensity": [0.1, 0.3, 0.9], "partner_intensity": [0.2, 0.6, 0.7]},
        index=pd.Index(["o1", "o2", "o3"], name="actor_id"),
    )
    fig = plot_quadrants(actors, thresholds="median", category=None)
    ax = fig.axes[0]
    assert threshold_positions(ax) == (np.median([0.1, 0.3, 0.9]), np.median([0.2, 0.6, 0.7]))
    assert sorted(t.get_text() for t in ax.texts if isinstance(t, Annotation)) == ["o1", "o2", "o3"]
    assert ax.get_legend() is None


def test_quadrant_labels_do_not_overlap_even_for_coincident_points():
    n = 12
    frame = pd.DataFrame(
        {"competitor_intensity": [0.8] * n, "partner_intensity": [0.3] * n},
        index=[f"Organisation number {i}" for i in range(n)],
    )
    fig = plot_quadrants(frame, category=None)
    boxes = label_boxes(fig)
    assert len(boxes) == n
    for a, b in itertools.combinations(boxes, 2):
        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_x <= 1.0 or overlap_y <= 1.0  # at most a pixel of anti-aliasing


def test_quadrants_max_labels_picks_clearest_cases():
    fig = plot_quadrants(dyads(5), max_labels=2, category=None)
    labels = sorted(t.get_text() for t in fig.axes[0].texts if isinstance(t, Annotation))
    # distance to (0.5, 0.5): rows 0 and 3 are farthest (0.566), row 4 sits on the crossing
    assert labels == ["a0 –\nb0", "a3 –\nb3"]


def test_quadrants_bad_input():
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        plot_quadrants(pd.DataFrame({"competitor_intensity": [1.5], "partner_intensity": [0.2]}))
    with pytest.raises(InputError, match="infinite"):
        plot_quadrants(pd.DataFrame({"competitor_intensity": [np.inf], "partner_intensity": [0.2]}))
    with pytest.raises(InputError, match="needs column"):
        plot_quadrants(pd.DataFrame({"x": [0.1]}))
    with pytest.raises(EmptyGraphError):
        plot_quadrants(pd.DataFrame({"competitor_intensity": [np.nan], "partner_intensity": [0.2]}))
    with pytest.raises(InputError, match="thresholds"):
        plot_quadrants(dyads(), thresholds="mean")
    with pytest.raises(InputError, match="thresholds"):
        plot_quadrants(dyads(), thresholds=(0.5, 2.0))
    with pytest.raises(InputError, match="DataFrame"):
        plot_quadrants([1, 2])  # type: ignore[arg-type]


def test_repel_labels_returns_annotations_inside_axes():
    from ecograph.viz.plots import _figure

    fig = _figure(4, 3)
    ax = fig.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    texts = repel_labels(
        ax, np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0, 0.5]), ["corner", "far corner", "mid"]
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax_box = ax.get_window_extent(renderer)
    for t in texts:
        bb = t.get_window_extent(renderer)
        assert ax_box.x0 - 1 <= bb.x0 and bb.x1 <= ax_box.x1 + 1


# ---------------------------------------------------------------- layers
def test_layers_pyramid_colours_follow_scores():
    from matplotlib import colormaps

    scores = pd.Series({"cultural": 0.2, "social": 0.5, "material": 0.9})
    fig = plot_layers(scores)
    assert len(fig.axes) == 2
    patches = {p.get_gid(): p for p in fig.axes[0].patches}
    assert set(patches) == {"layer-cultural", "layer-social", "layer-material"}
    cmap = colormaps["YlGnBu"]
    for name, value in scores.items():
        assert to_hex(patches[f"layer-{name}"].get_facecolor()) == to_hex(cmap(value))
    # the pyramid: cultural at the bottom and widest, material on top
    ys = {k: p.get_xy()[:, 1].min() for k, p in patches.items()}
    widths = {k: np.ptp(p.get_xy()[:, 0]) for k, p in patches.items()}
    assert ys["layer-cultural"] < ys["layer-social"] < ys["layer-material"]
    assert widths["layer-cultural"] > widths["layer-social"] > widths["layer-material"]
    assert len(fig.axes[1].patches) == 3  # one bar per layer


def test_layers_from_attributes_and_missing_layer():
    frame = pd.DataFrame(
        {
            "layer": ["social", "social", "material", "Structural", "social"],
            "attribute": [
                "networks",
                "mentors_and_role_models",
                "universities",
                "open_markets",
                None,
            ],
            "score": [0.8, 0.4, 0.0, 0.3, np.nan],
        }
    )
    fig = plot_layers(frame)
    patches = {p.get_gid(): p for p in fig.axes[0].patches}
    assert patches["layer-cultural"].get_hatch() == "///"  # no score for the base
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Social\n0.60" in texts  # mean of the attributes (0.8 + 0.4) / 2
    assert "Material\n0.15" in texts  # 'structural' is another name for material: (0.0 + 0.3) / 2
    assert len(fig.axes[1].patches) == 4  # one bar per attribute
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert "mentors and role models" in labels


def test_layers_bad_input():
    with pytest.raises(InputError, match="unknown layer"):
        plot_layers(pd.Series({"economic": 0.3}))
    with pytest.raises(EmptyGraphError):
        plot_layers(pd.Series({"cultural": np.nan}))
    with pytest.raises(InputError, match="needs column"):
        plot_layers(pd.DataFrame({"layer": ["social"]}))


# ---------------------------------------------------------------- robustness
def test_robustness_wide_with_band():
    curve = pd.DataFrame(
        {
            "share_removed": [0.0, 0.5, 1.0],
            "targeted": [1.0, 0.3, 0.0],
            "random": [1.0, 0.8, 0.5],
            "random_low": [1.0, 0.7, 0.4],
            "random_high": [1.0, 0.9, 0.6],
        }
    )
    fig = plot_robustness(curve, x="share_removed")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"targeted", "random"}
    assert list(lines["targeted"].get_ydata()) == [1.0, 0.3, 0.0]
    assert len(ax.collections) == 1  # the band around random
    assert ax.get_ylim()[0] == 0


def test_robustness_long_form_and_index_form():
    long = pd.DataFrame(
        {
            "k": [0, 1, 0, 1],
            "lcc": [1.0, 0.4, 1.0, 0.9],
            "how": ["targeted", "targeted", "random", "random"],
        }
    )
    fig = plot_robustness(long, x="k", y="lcc", strategy="how")
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["targeted", "random"]
    wide = pd.DataFrame({"targeted": [1.0, 0.5]}, index=pd.Index([0, 1], name="removed"))
    fig = plot_robustness(wide)
    assert fig.axes[0].get_xlabel() == "removed"


def test_robustness_bad_input():
    with pytest.raises(EmptyGraphError):
        plot_robustness(pd.DataFrame({"targeted": []}))
    with pytest.raises(InputError, match="no numeric curve"):
        plot_robustness(pd.DataFrame({"name": ["a"]}))
    with pytest.raises(InputError, match="long form"):
        plot_robustness(pd.DataFrame({"k": [0]}), strategy="how")


# ---------------------------------------------------------------- roles
def test_role_concentration_bars_match_hand_counts():
    roles = pd.DataFrame({"n_roles": [1, 1, 1, 2, 4, np.nan]}, index=[f"p{i}" for i in range(6)])
    fig = plot_role_concentration(roles, names={"p4": "Big Linker"}, top=3)
    left, right = fig.axes
    heights = [p.get_height() for p in left.patches]
    assert heights == [3, 1, 0, 1]  # counts of 1, 2, 3, 4 roles among the five known persons
    assert len(right.patches) == 3
    assert right.get_yticklabels()[0].get_text() == "Big Linker"
    assert any("≥ 2: 40%" in t.get_text() for t in left.texts)  # 2 of 5


def test_role_concentration_bad_input():
    with pytest.raises(InputError, match="negative"):
        plot_role_concentration(pd.DataFrame({"n_roles": [-1]}))
    with pytest.raises(InputError, match="needs column"):
        plot_role_concentration(pd.DataFrame({"roles": [1]}))
    with pytest.raises(EmptyGraphError):
        plot_role_concentration(pd.DataFrame({"n_roles": [np.nan]}))
    assert len(plot_role_concentration(pd.DataFrame({"n_roles": [2]}), top=0).axes) == 1


# ---------------------------------------------------------------- ranking
def test_ranking_order_intervals_and_highlight():
    t = pd.DataFrame(
        {
            "score": [0.4, 0.7, 0.5, np.nan],
            "score_low": [0.3, 0.5, 0.45, 0.1],
            "score_high": [0.6, 0.8, 0.55, 0.2],
            "rank_low": [2, 1, 1, 4],
            "rank_high": [3, 1, 3, 4],
        },
        index=["Os", "Røros", "Tolga", "Holtålen"],
    )
    fig = plot_ranking(t, highlight=["Tolga"])
    ax = fig.axes[0]
    assert [x.get_text() for x in ax.get_yticklabels()] == ["Røros", "Tolga", "Os"]  # top to bottom
    points = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert len(points.get_offsets()) == 3
    bars = next(c for c in ax.collections if isinstance(c, LineCollection))
    assert len(bars.get_segments()) == 3
    colours = [to_hex(c) for c in points.get_facecolors()]
    assert colours.count(colours[1]) == 1  # Tolga (second best) stands out
    assert {"rank 1", "rank 1–3", "rank 2–3"} <= {x.get_text() for x in ax.texts}


def test_ranking_top_and_bad_interval():
    t = pd.DataFrame({"score": np.arange(10.0)}, index=[f"k{i}" for i in range(10)])
    fig = plot_ranking(t, top=3)
    assert [x.get_text() for x in fig.axes[0].get_yticklabels()] == ["k9", "k8", "k7"]
    bad = pd.DataFrame({"score": [0.5], "score_low": [0.6], "score_high": [0.9]}, index=["x"])
    with pytest.raises(InputError, match="does not contain"):
        plot_ranking(bad)
    with pytest.raises(InputError, match="needs column"):
        plot_ranking(pd.DataFrame({"value": [1.0]}))
    with pytest.raises(EmptyGraphError):
        plot_ranking(pd.DataFrame({"score": [np.nan]}))
