"""The measure of the batch benchmark: every node metric with exact paths (picklable).

``score_municipalities`` runs it in worker processes as ``"_batch_measure:exact_paths"``;
``benchmarks/`` is on ``sys.path`` there because the workers are forked from the benchmark
child.
"""

from __future__ import annotations

from typing import Any

__all__ = ["exact_paths"]


def exact_paths(eco: Any) -> dict[str, float]:
    """``node_metrics`` with exact betweenness and closeness, summarised to a few scalars."""
    import ecograph

    m = ecograph.node_metrics(eco, betweenness_sources=None, closeness_sources=None)
    return {"betweenness_max": float(m["betweenness_raw"].max()),
            "closeness_mean": float(m["closeness"].mean()),
            "harmonic_mean": float(m["harmonic"].mean()),
            "pagerank_max": float(m["pagerank"].max()),
            "eigenvector_max": float(m["eigenvector"].max()),
            "clustering_mean": float(m["clustering"].mean()),
            "kcore_max": float(m["kcore"].max()),
            "articulation_points": float(m["articulation_point"].sum())}
