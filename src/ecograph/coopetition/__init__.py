"""Co-opetition: placement of dyads and actors, inference of intensities, models.

* :mod:`~ecograph.coopetition.placement`: :func:`coopetition` (dyad and actor
  level), :func:`coopetition_summary`, :func:`coopetition_persons`,
  :func:`coopetition_periods`, :func:`coopetition_drift`;
* :mod:`~ecograph.coopetition.inference`: :func:`infer_coopetition`,
  :func:`with_inferred_coopetition`;
* :mod:`~ecograph.coopetition.model`: the declarative model files
  (``models/coopetition/*.toml``), :func:`load_coopetition_model`,
  :func:`load_inference_model`.
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any

from ecograph.coopetition.inference import infer_coopetition, with_inferred_coopetition
from ecograph.coopetition.model import (
    InferenceModel,
    PlacementModel,
    Threshold,
    load_coopetition_model,
    load_inference_model,
)
from ecograph.coopetition.placement import (
    coopetition,
    coopetition_drift,
    coopetition_periods,
    coopetition_persons,
    coopetition_summary,
)

__all__ = [
    "InferenceModel",
    "PlacementModel",
    "Threshold",
    "coopetition",
    "coopetition_drift",
    "coopetition_periods",
    "coopetition_persons",
    "coopetition_summary",
    "infer_coopetition",
    "load_coopetition_model",
    "load_inference_model",
    "with_inferred_coopetition",
]


class _CallableModule(types.ModuleType):
    """This subpackage, callable as :func:`coopetition`.

    ``ecograph.coopetition`` is both the public function (``ecograph._LAZY``)
    and this subpackage. Importing a submodule (``ecograph.coopetition.model``)
    before the function was first looked up makes Python bind the *package*
    to ``ecograph.coopetition``; making the package callable keeps
    ``ecograph.coopetition(eco, ...)`` working in every import order.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return coopetition(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
__signature__ = inspect.signature(coopetition)
