"""Shared visual vocabulary of ecograph's maps and plots.

One place says how an actor kind or a relation kind looks, so the
interactive map, the matplotlib plots and the HTML report agree. Colours are
chosen to stay distinguishable for the common colour-vision deficiencies
(Okabe & Ito 2008 for actor kinds, Tableau 10 for relation kinds); every
relation kind also has its own dash pattern, so colour is never the only cue.

This module imports nothing heavy; :func:`rc_context` imports matplotlib
lazily.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from ecograph.core.kinds import ACTOR_KINDS, RELATION_KINDS

__all__ = [
    "ACTOR_STYLES",
    "FALLBACK_ACTOR",
    "FALLBACK_RELATION",
    "PALETTE",
    "RELATION_STYLES",
    "ActorStyle",
    "RelationStyle",
    "actor_style",
    "darken",
    "rc_context",
    "relation_style",
]


@dataclass(frozen=True)
class ActorStyle:
    """How one actor kind is drawn.

    Attributes
    ----------
    label : str
        Human-readable name (legend text).
    color : str
        Fill colour, ``#rrggbb``.
    vis_shape : str
        vis-network shape with the label outside the glyph.
    marker : str
        matplotlib marker.
    """

    label: str
    color: str
    vis_shape: str
    marker: str


@dataclass(frozen=True)
class RelationStyle:
    """How one relation kind (layer) is drawn.

    Attributes
    ----------
    label : str
        Human-readable name (legend text).
    color : str
        Line colour, ``#rrggbb``.
    dashes : tuple of int
        vis-network dash pattern (dash, gap, ...) in pixels; empty = solid.
    linestyle : str or tuple
        matplotlib line style equivalent to ``dashes``.
    roundness : float
        Curvature used when this relation runs parallel to relations of other
        kinds between the same two actors (vis ``smooth.roundness``). Distinct
        per kind, so parallel relations never overlap.
    """

    label: str
    color: str
    dashes: tuple[int, ...]
    linestyle: Any
    roundness: float


ACTOR_STYLES: Final[dict[str, ActorStyle]] = {
    "person": ActorStyle("Person", "#E69F00", "dot", "o"),
    "firm": ActorStyle("Firm", "#0072B2", "square", "s"),
    "cooperative": ActorStyle("Cooperative", "#009E73", "hexagon", "h"),
    "business_network": ActorStyle("Business network", "#CC79A7", "star", "*"),
    "public_body": ActorStyle("Public body", "#D55E00", "triangle", "^"),
    "support_organisation": ActorStyle("Support organisation", "#56B4E9", "diamond", "D"),
    "knowledge_institution": ActorStyle("Knowledge institution", "#F0E442", "triangleDown", "v"),
}
"""Style per actor kind (keys are :data:`ecograph.core.kinds.ACTOR_KINDS`)."""

RELATION_STYLES: Final[dict[str, RelationStyle]] = {
    "board_seat": RelationStyle("Board seat", "#4E79A7", (), "-", 0.15),
    "management": RelationStyle("Management", "#B07AA1", (), "-", 0.30),
    "ownership": RelationStyle("Ownership", "#9C755F", (), "-", 0.45),
    "membership": RelationStyle("Membership", "#76B7B2", (), "-", 0.60),
    "coopetition": RelationStyle("Co-opetition", "#E15759", (10, 6), (0, (5, 3)), 0.25),
    "supply": RelationStyle("Supply", "#F28E2B", (), "-", 0.40),
    "support": RelationStyle("Support", "#59A14F", (4, 4), (0, (2, 2)), 0.55),
    "funding": RelationStyle("Funding", "#B8860B", (12, 4, 2, 4), (0, (6, 2, 1, 2)), 0.70),
    "knowledge_link": RelationStyle("Knowledge link", "#D37295", (2, 6), (0, (1, 3)), 0.35),
    "tie": RelationStyle("Social tie", "#8C8C8C", (1, 4), (0, (1, 2)), 0.50),
}
"""Style per relation kind (keys are :data:`ecograph.core.kinds.RELATION_KINDS`)."""

FALLBACK_ACTOR: Final = ActorStyle("Other", "#9E9E9E", "dot", "o")
FALLBACK_RELATION: Final = RelationStyle("Other", "#9E9E9E", (), "-", 0.2)

PALETTE: Final[dict[str, str]] = {
    "ink": "#1F2933",
    "muted": "#616E7C",
    "grid": "#E4E7EB",
    "accent": "#0B6E99",
    "alert": "#C0392B",
    "band": "#CBD2D9",
}
"""Neutral colours shared by plots and the report."""

if set(ACTOR_STYLES) != set(ACTOR_KINDS) or set(RELATION_STYLES) != set(RELATION_KINDS):
    raise RuntimeError(  # pragma: no cover - keeps the styles in sync with the vocabulary
        "ecograph.viz._style is out of sync with ecograph.core.kinds"
    )


def actor_style(kind: str) -> ActorStyle:
    """Style of an actor kind (a grey fallback for unknown kinds).

    Examples
    --------
    >>> actor_style("firm").label
    'Firm'
    >>> actor_style("alien").label
    'Other'
    """
    return ACTOR_STYLES.get(kind, FALLBACK_ACTOR)


def relation_style(kind: str) -> RelationStyle:
    """Style of a relation kind (a grey fallback for unknown kinds).

    Examples
    --------
    >>> relation_style("coopetition").dashes
    (10, 6)
    """
    return RELATION_STYLES.get(kind, FALLBACK_RELATION)


@functools.lru_cache(maxsize=256)
def darken(color: str, factor: float = 0.65) -> str:
    """Multiply the RGB channels of ``#rrggbb`` by ``factor`` (border colours).

    Examples
    --------
    >>> darken("#FFFFFF", 0.5)
    '#7f7f7f'
    """
    value = color.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{max(0, min(255, int(c * factor))):02x}" for c in channels)


_RC: Final[dict[str, Any]] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10.0,
    "axes.labelsize": 9.5,
    "axes.labelcolor": PALETTE["ink"],
    "axes.edgecolor": "#9AA5B1",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": PALETTE["grid"],
    "grid.linewidth": 0.8,
    "xtick.color": PALETTE["muted"],
    "ytick.color": PALETTE["muted"],
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "text.color": PALETTE["ink"],
    "figure.facecolor": "white",
    "figure.dpi": 100.0,
    "savefig.dpi": 150.0,
    "savefig.facecolor": "white",
    "svg.fonttype": "path",
}


@contextlib.contextmanager
def rc_context() -> Iterator[None]:
    """matplotlib ``rc_context`` with ecograph's plot style (imports matplotlib lazily).

    Examples
    --------
    >>> with rc_context():
    ...     import matplotlib
    ...     matplotlib.rcParams["axes.spines.top"]
    False
    """
    from ecograph._optional import require

    mpl = require("matplotlib", "plotting")
    with mpl.rc_context(_RC):
        yield
