"""Interactive maps and matplotlib plots (the ``viz`` extra: pyvis, jinja2, matplotlib).

* :func:`network_map` (:mod:`ecograph.viz.pyvis_map`): one offline, safe,
  self-contained HTML map; also ``ecograph.network_map``.
* :mod:`ecograph.viz.plots`: :func:`plot_quadrants`, :func:`plot_layers`,
  :func:`plot_robustness`, :func:`plot_role_concentration`,
  :func:`plot_ranking`, each returning a matplotlib ``Figure``.

Names are imported lazily, so ``import ecograph.viz`` needs none of the
optional packages.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "NetworkMap",
    "network_map",
    "plot_layers",
    "plot_quadrants",
    "plot_ranking",
    "plot_robustness",
    "plot_role_concentration",
]

_LAZY = {
    "NetworkMap": "ecograph.viz.pyvis_map",
    "network_map": "ecograph.viz.pyvis_map",
    "plot_layers": "ecograph.viz.plots",
    "plot_quadrants": "ecograph.viz.plots",
    "plot_ranking": "ecograph.viz.plots",
    "plot_robustness": "ecograph.viz.plots",
    "plot_role_concentration": "ecograph.viz.plots",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ecograph.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
