"""ecograph: map and measure entrepreneurial ecosystems as typed graphs.

The public API is flat: ``import ecograph`` then ``ecograph.load_roros()``,
``ecograph.thin_dense_profile(eco)`` and so on. Names are imported lazily on
first use, so ``import ecograph`` stays fast and optional dependencies
(matplotlib, pyvis, dask) are only needed by the functions that use them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it. Grouped as in the documentation.
_LAZY: dict[str, str] = {
    # core
    "Ecosystem": "ecograph.core.ecosystem",
    "Actor": "ecograph.core.schema",
    "Relation": "ecograph.core.schema",
    "EcosystemMeta": "ecograph.core.schema",
    "read_bundle": "ecograph.io.bundle",
    "write_bundle": "ecograph.io.bundle",
    "export_graph": "ecograph.io.export",
    "load_roros": "ecograph.datasets",
    # thin-and-dense structure
    "interlocks": "ecograph.analysis.interlocks",
    "person_projection": "ecograph.analysis.interlocks",
    "role_concentration": "ecograph.analysis.roles",
    "thin_dense_profile": "ecograph.analysis.profile",
    "node_metrics": "ecograph.analysis.centrality",
    "brokerage": "ecograph.analysis.brokerage",
    "key_persons": "ecograph.analysis.vulnerability",
    "key_player_set": "ecograph.analysis.vulnerability",
    "robustness_curve": "ecograph.analysis.vulnerability",
    "reachability": "ecograph.analysis.reachability",
    # co-opetition
    "coopetition": "ecograph.analysis.coopetition",
    "infer_coopetition": "ecograph.analysis.coopetition_inference",
    "coopetition_summary": "ecograph.analysis.coopetition",
    "coopetition_persons": "ecograph.analysis.coopetition",
    "coopetition_periods": "ecograph.analysis.coopetition",
    "coopetition_drift": "ecograph.analysis.coopetition",
    "with_inferred_coopetition": "ecograph.analysis.coopetition_inference",
    "load_coopetition_model": "ecograph.analysis.coopetition_model",
    "load_inference_model": "ecograph.analysis.coopetition_model",
    # scores
    "load_model": "ecograph.scoring.spec",
    "spigel_scores": "ecograph.scoring.layers",
    "miles_morrison_scores": "ecograph.scoring.layers",
    "ee_index": "ecograph.scoring.indices",
    "bottleneck_simulation": "ecograph.scoring.indices",
    "score_uncertainty": "ecograph.scoring.uncertainty",
    "model_scores": "ecograph.scoring.layers",
    "list_models": "ecograph.scoring.spec",
    "indicator_catalogue": "ecograph.scoring.indicators",
    # resources and capacity
    "self_map": "ecograph.analysis.resources",
    "match_resources": "ecograph.analysis.resources",
    "support_coverage": "ecograph.analysis.resources",
    "simulate_substitution": "ecograph.analysis.resources",
    "support_indicators": "ecograph.analysis.resources",
    # maps, plots, report
    "network_map": "ecograph.viz.pyvis_map",
    "plot_quadrants": "ecograph.viz.plots",
    "plot_layers": "ecograph.viz.plots",
    "plot_robustness": "ecograph.viz.plots",
    "plot_role_concentration": "ecograph.viz.plots",
    "plot_ranking": "ecograph.viz.plots",
    "report": "ecograph.reporting.html",
    # registers and batch
    "import_brreg": "ecograph.registry.build",
    "score_municipalities": "ecograph.batch.run",
    "synthetic_region": "ecograph.synthetic",
    # scenarios and time
    "Scenario": "ecograph.scenario.model",
    "snapshots": "ecograph.scenario.time",
    "compare": "ecograph.scenario.compare",
    # everything the CLI's analyze writes
    "analyze": "ecograph.outputs",
}

__all__ = ["__version__", *sorted(_LAZY)]

if TYPE_CHECKING:  # pragma: no cover - names for static type checkers
    from ecograph.core.ecosystem import Ecosystem as Ecosystem
    from ecograph.core.schema import Actor as Actor
    from ecograph.core.schema import EcosystemMeta as EcosystemMeta
    from ecograph.core.schema import Relation as Relation
    from ecograph.datasets import load_roros as load_roros
    from ecograph.io.bundle import read_bundle as read_bundle
    from ecograph.io.bundle import write_bundle as write_bundle
    from ecograph.io.export import export_graph as export_graph


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ecograph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
