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
    "coopetition_drift",
    "coopetition_periods",
    "coopetition_persons",
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
    "load_coopetition_model",
    "load_inference_model",
    "load_model",
    "load_roros",
    "match_resources",
    "miles_morrison_scores",
    "model_scores",
    "network_map",
    "node_metrics",
    "person_projection",
    "plot_layers",
    "plot_quadrants",
    "plot_ranking",
    "plot_robustness",
    "plot_role_concentration",
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
    "with_inferred_coopetition",
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


def test_every_public_name_resolves_in_a_fresh_interpreter_after_all_modules_are_imported():
    """A flat name must never be shadowed by a subpackage or module of the same name."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, ecograph, types\n"
        "for m in sorted({v for v in ecograph._LAZY.values()}):\n"
        "    importlib.import_module(m)\n"
        "bad = [n for n in ecograph._LAZY if isinstance(getattr(ecograph, n), types.ModuleType)]\n"
        "wrong = [n for n in ecograph._LAZY\n"
        "         if getattr(ecograph, n) is not getattr(importlib.import_module(ecograph._LAZY[n]), n)]\n"
        "print(bad, wrong)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


def test_no_public_name_equals_a_submodule_name():
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(ecograph.__path__)}
    assert not (set(ecograph._LAZY) & submodules)


@pytest.mark.parametrize("name", sorted(ecograph._LAZY))
def test_each_public_name_is_in_its_module_all(name):
    module = importlib.import_module(ecograph._LAZY[name])
    assert name in module.__all__
