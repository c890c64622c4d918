"""The public API is pinned: adding or removing a name must be a deliberate change here."""

from __future__ import annotations

import importlib

import pytest

import ecograph

PUBLIC_API = [
    "Actor",
    "Ecosystem",
    "EcosystemMeta",
    "Relation",
    "Scenario",
    "__version__",
    "analyze",
    "bottleneck_simulation",
    "brokerage",
    "compare",
    "coopetition",
    "coopetition_summary",
    "ee_index",
    "export_graph",
    "import_brreg",
    "indicator_catalogue",
    "infer_coopetition",
    "interlocks",
    "key_persons",
    "key_player_set",
    "list_models",
    "load_model",
    "load_roros",
    "match_resources",
    "miles_morrison_scores",
    "model_scores",
    "network_map",
    "node_metrics",
    "person_projection",
    "reachability",
    "read_bundle",
    "report",
    "robustness_curve",
    "role_concentration",
    "score_municipalities",
    "score_uncertainty",
    "self_map",
    "simulate_substitution",
    "snapshots",
    "spigel_scores",
    "support_coverage",
    "support_indicators",
    "synthetic_region",
    "thin_dense_profile",
    "write_bundle",
]


def test_public_names_are_pinned():
    assert sorted(ecograph.__all__) == PUBLIC_API


def test_dir_lists_every_public_name():
    assert set(PUBLIC_API) <= set(dir(ecograph))


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        ecograph.nonexistent  # noqa: B018


@pytest.mark.parametrize("name", ["Actor", "Ecosystem", "EcosystemMeta", "Relation",
                                  "export_graph", "load_roros", "read_bundle", "write_bundle"])
def test_core_names_resolve_to_the_module_that_lists_them(name):
    module = importlib.import_module(ecograph._LAZY[name])
    assert getattr(ecograph, name) is getattr(module, name)
    assert name in module.__all__
