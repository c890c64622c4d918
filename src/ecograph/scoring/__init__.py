"""Ecosystem scores: declarative models, Spigel / Miles & Morrison layers, EE indices.

* :mod:`ecograph.scoring.spec`: the scoring-model format (``models/*.toml``) and
  :func:`~ecograph.scoring.spec.load_model`;
* :mod:`ecograph.scoring.indicators`: the registry of named indicators;
* :mod:`ecograph.scoring.layers`: :func:`~ecograph.scoring.layers.spigel_scores`,
  :func:`~ecograph.scoring.layers.miles_morrison_scores`,
  :func:`~ecograph.scoring.layers.model_scores`;
* :mod:`ecograph.scoring.indices`: :func:`~ecograph.scoring.indices.ee_index` (Stam, GEI)
  and :func:`~ecograph.scoring.indices.bottleneck_simulation`;
* :mod:`ecograph.scoring.uncertainty`: :func:`~ecograph.scoring.uncertainty.score_uncertainty`.

The names are imported lazily, so ``import ecograph.scoring`` stays cheap.
See ``docs/analysis/scores.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "INDICATORS",
    "ModelScores",
    "ScoringModel",
    "bottleneck_simulation",
    "compute_indicator",
    "ee_index",
    "indicator_catalogue",
    "list_models",
    "load_model",
    "miles_morrison_scores",
    "model_scores",
    "register_indicator",
    "score_uncertainty",
    "spigel_scores",
]

_WHERE = {
    "INDICATORS": "indicators", "compute_indicator": "indicators",
    "indicator_catalogue": "indicators", "register_indicator": "indicators",
    "ModelScores": "layers", "miles_morrison_scores": "layers", "model_scores": "layers",
    "spigel_scores": "layers",
    "ScoringModel": "spec", "list_models": "spec", "load_model": "spec",
    "bottleneck_simulation": "indices", "ee_index": "indices",
    "score_uncertainty": "uncertainty",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ecograph.scoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ecograph.scoring.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
