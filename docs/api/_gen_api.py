"""Generate the API reference pages ``docs/api/*.md`` from ecograph's public names.

Each page is a list of mkdocstrings ``::: path`` directives, grouped by topic in
:data:`PAGES`. A page entry is either a name of the flat namespace
(``ecograph._LAZY``: ``"thin_dense_profile"``) or an importable dotted path
(``"ecograph.viz.plots.repel_labels"``); functions and classes are written
under the module that defines them (``obj.__module__``), so the reference
follows the code when a name moves. ``index.md`` gets the table of every flat
name. Every name of ``ecograph._LAZY`` must be placed on some page: a new
public name without documentation makes the check fail.

Usage::

    python docs/api/_gen_api.py           # rewrite docs/api/*.md
    python docs/api/_gen_api.py --check   # exit 1 if a page is stale (run by tests/docs)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import ecograph

__all__ = ["API", "PAGES", "main", "render"]

API = Path(__file__).resolve().parent

Section = tuple[str, list[str]]

# file -> (title, introduction, sections)
PAGES: dict[str, tuple[str, str, list[Section]]] = {
    "core.md": (
        "Ecosystem and bundles",
        "The typed ecosystem, its records, reading and writing bundles, exports, the bundled Røros\n"
        "dataset and `ecograph.analyze`. The column-by-column format is in\n"
        "[The bundle format](../bundle-format.md).",
        [
            ("The ecosystem", ["Ecosystem"]),
            ("Records", ["Actor", "Relation", "EcosystemMeta", "ecograph.core.schema.SourceRef"]),
            ("Bundles and exports", ["read_bundle", "write_bundle", "ecograph.io.bundle.read_table",
                                     "export_graph"]),
            ("Datasets", ["load_roros", "ecograph.datasets.dataset_path",
                          "ecograph.datasets.models_path"]),
            ("Every analysis at once", ["analyze", "ecograph.outputs.write_table",
                                        "ecograph.outputs.AnalysisOutput", "ecograph.outputs.OUTPUTS"]),
            ("Testing helpers", ["ecograph.testing.assert_ecosystem_equal", "ecograph.testing.strategies"]),
        ],
    ),
    "structure.md": (
        "Thin-and-dense structure",
        "Interlocks, roles, centralities, brokerage, key persons and reachability. Definitions,\n"
        "conventions for isolates and disconnected graphs, and the Røros results are explained in\n"
        "[Thin and dense structure](../analysis/thin-and-dense.md).",
        [
            ("Profile", ["thin_dense_profile"]),
            ("Interlocks and roles", ["interlocks", "person_projection", "role_concentration"]),
            ("Centrality and brokerage", ["node_metrics", "brokerage",
                                          "ecograph.analysis.brokerage.structural_holes",
                                          "ecograph.analysis.brokerage.gould_fernandez"]),
            ("Key persons", ["key_persons", "key_player_set", "robustness_curve",
                             "ecograph.analysis.vulnerability.removal_impact"]),
            ("Reachability", ["reachability"]),
        ],
    ),
    "coopetition.md": (
        "Co-opetition",
        "Placement of pairs and organisations on continuous competitor and partner intensities,\n"
        "inference where nothing is stated, and the model files. See\n"
        "[Co-opetition](../analysis/coopetition.md).",
        [
            ("Placement", ["coopetition", "coopetition_summary", "coopetition_persons",
                           "coopetition_periods", "coopetition_drift"]),
            ("Inference", ["infer_coopetition", "with_inferred_coopetition"]),
            ("Models", ["load_coopetition_model", "load_inference_model",
                        "ecograph.analysis.coopetition_model.shipped_models",
                        "ecograph.analysis.coopetition_model.PlacementModel",
                        "ecograph.analysis.coopetition_model.InferenceModel",
                        "ecograph.analysis.coopetition_model.Threshold"]),
        ],
    ),
    "scoring.md": (
        "Scores and indices",
        "Declarative scoring models (Spigel, Miles & Morrison), the indicator registry, the Stam and\n"
        "GEI-style indices over many regions, the bottleneck simulation and uncertainty. See\n"
        "[Ecosystem scores](../analysis/scores.md) and\n"
        "[Writing a scoring model](../user-guide/scoring-models.md).",
        [
            ("Scoring one ecosystem", ["spigel_scores", "miles_morrison_scores", "model_scores",
                                       "ecograph.scoring.layers.ModelScores",
                                       "ecograph.scoring.layers.normalise"]),
            ("Models", ["load_model", "list_models", "ecograph.scoring.spec.model_from_dict",
                        "ecograph.scoring.spec.ScoringModel", "ecograph.scoring.spec.json_schema",
                        "ecograph.scoring.spec.write_json_schema"]),
            ("Indicators", ["indicator_catalogue", "ecograph.scoring.indicators.register_indicator",
                            "ecograph.scoring.indicators.compute_indicator",
                            "ecograph.scoring.indicators.IndicatorContext",
                            "ecograph.scoring.indicators.Indicator"]),
            ("Many regions", ["ee_index", "bottleneck_simulation",
                              "ecograph.scoring.indices.ratio_to_mean",
                              "ecograph.scoring.indices.cap_and_normalise",
                              "ecograph.scoring.indices.average_equalisation",
                              "ecograph.scoring.indices.penalty_for_bottleneck"]),
            ("Uncertainty", ["score_uncertainty"]),
        ],
    ),
    "resources.md": (
        "Resources and capacity",
        "\"Who am I, what can I do, whom do I know\", complementary partners and the support functions\n"
        "of micro-businesses. See [Resources and capacity](../analysis/resources.md).",
        [
            ("Self-map and matching", ["self_map", "ecograph.analysis.resources.SelfMap",
                                       "match_resources", "ecograph.analysis.resources.item_key",
                                       "ecograph.analysis.resources.resource_vocabulary"]),
            ("Support functions", ["support_coverage", "simulate_substitution",
                                   "support_indicators",
                                   "ecograph.analysis.resources.support_records",
                                   "ecograph.analysis.resources.support_catalogue"]),
            ("Table validation", ["ecograph.analysis.resources.validate_resources_table",
                                  "ecograph.analysis.resources.validate_support_table"]),
        ],
    ),
    "viz.md": (
        "Maps, plots and the report",
        "The interactive map, the matplotlib plots and the self-contained HTML report (the `viz`\n"
        "extra: `pip install 'ecograph[viz]'`). See [Maps, plots and the report](../maps-and-report.md).",
        [
            ("The map", ["network_map", "ecograph.viz.pyvis_map.NetworkMap"]),
            ("Plots", ["plot_quadrants", "plot_layers", "plot_robustness", "plot_role_concentration",
                       "plot_ranking", "ecograph.viz.plots.repel_labels"]),
            ("The report", ["report"]),
        ],
    ),
    "registry.md": (
        "Registers and reference tables",
        "Importing Enhetsregisteret units, roles and the shareholder register, person identity, and the\n"
        "shipped municipality list and industry-code crosswalk. See\n"
        "[Registers, synthetic data and batch scoring](../registers-and-batch.md).",
        [
            ("Import", ["import_brreg", "ecograph.registry.build.ImportResult",
                        "ecograph.registry.report.ImportReport"]),
            ("Mapping rules", ["ecograph.registry.enheter.actor_kind", "ecograph.registry.roles.parse_share",
                               "ecograph.registry.identity.normalise_name",
                               "ecograph.registry.identity.person_key"]),
            ("Reference tables", ["ecograph.registry.tables.municipalities",
                                  "ecograph.registry.tables.nace_crosswalk",
                                  "ecograph.registry.tables.to_sn2025", "ecograph.registry.tables.data_path"]),
        ],
    ),
    "batch.md": (
        "Synthetic data and batch scoring",
        "Seeded synthetic regions and countries, the per-municipality partition and the batch scorer\n"
        "(serial, local processes or Dask). See\n"
        "[Registers, synthetic data and batch scoring](../registers-and-batch.md) and\n"
        "[Running on a Dask cluster](../dask.md).",
        [
            ("Synthetic ecosystems", ["synthetic_region"]),
            ("Batch scoring", ["score_municipalities"]),
            ("Partition", ["ecograph.batch.partition.partition_by_municipality",
                           "ecograph.batch.partition.Partition"]),
            ("Measures", ["ecograph.batch.measures.basic_structure", "ecograph.batch.measures.profile",
                          "ecograph.batch.measures.coopetition", "ecograph.batch.measures.spigel",
                          "ecograph.batch.measures.resolve", "ecograph.batch.measures.flatten",
                          "ecograph.batch.measures.DEFAULT_MEASURES"]),
        ],
    ),
    "scenario.md": (
        "Scenarios and time",
        "What-if edits, snapshots over time and comparisons. See [Scenarios and time](../scenarios.md).",
        [
            ("Scenarios", ["Scenario"]),
            ("Time", ["snapshots", "ecograph.scenario.time.change_dates"]),
            ("Comparing two ecosystems", ["compare", "ecograph.scenario.compare.Comparison"]),
        ],
    ),
    "exceptions.md": (
        "Errors and warnings",
        "Every error ecograph raises derives from `EcographError`; errors in the input are also\n"
        "`ValueError`s. Warnings are `EcographWarning`.",
        [("", ["ecograph.exceptions"])],
    ),
}

# Extra mkdocstrings options per object path (indented YAML lines).
OPTIONS: dict[str, list[str]] = {
    # A pydantic model: its fields are the constructor's keyword arguments, which griffe's
    # static analysis does not see as parameters of a (generated) __init__.
    "ecograph.scenario.model.Scenario": ["docstring_options:", "  warn_unknown_params: false"],
    "ecograph.exceptions": ["show_root_heading: false"],
}

INDEX_INTRO = """\
# API reference

The reference is generated from the docstrings (numpydoc) by mkdocstrings. Every example in a
docstring is a doctest, run by the test suite (`pytest src/ecograph`).

## The flat namespace

`import ecograph` gives every public function and class below as `ecograph.<name>`. The names
are imported lazily on first use, so `import ecograph` stays fast and the optional dependencies
(matplotlib, pyvis, jinja2, dask, tqdm) are needed only by the functions that use them. Each
name is documented under the module that defines it:

| name | defined in |
|---|---|
"""

INDEX_OUTRO = """
Modules whose name starts with an underscore, and names not listed in a module's `__all__`, are
private and may change without notice.
"""


def _resolve(entry: str) -> str:
    """The documented path of a page entry (flat name or dotted path)."""
    if entry in ecograph._LAZY:
        module, name = ecograph._LAZY[entry], entry
    elif "." in entry:
        try:
            importlib.import_module(entry)
            return entry  # a module
        except ModuleNotFoundError:
            module, name = entry.rsplit(".", 1)
    else:
        raise KeyError(f"{entry!r} is neither in ecograph._LAZY nor a dotted path")
    obj = getattr(importlib.import_module(module), name)
    defined = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(defined, str) and isinstance(qualname, str) and defined.startswith("ecograph"):
        return f"{defined}.{qualname}"
    return f"{module}.{name}"


def render() -> dict[str, str]:
    """The text of every page, by file name (``index.md`` included)."""
    out: dict[str, str] = {}
    documented: dict[str, tuple[str, str]] = {}
    for fname, (title, intro, sections) in PAGES.items():
        lines = [f"# {title}", "", intro, ""]
        for heading, entries in sections:
            if heading:
                lines += [f"## {heading}", ""]
            for entry in entries:
                path = _resolve(entry)
                lines.append(f"::: {path}")
                if path in OPTIONS:
                    lines += ["    options:", *(f"      {o}" for o in OPTIONS[path])]
                lines.append("")
                documented[entry] = (fname, path)
        out[fname] = "\n".join(lines).rstrip() + "\n"
    missing = sorted(set(ecograph._LAZY) - set(documented))
    if missing:
        raise SystemExit(f"public names without an API page (add them to PAGES): {missing}")
    rows = []
    for name in sorted(ecograph._LAZY, key=str.lower):
        fname, path = documented[name]
        module = path.rsplit(".", 1)[0]
        rows.append(f"| [`ecograph.{name}`]({fname}#{path}) | `{module}` |")
    pages = "\n".join(f"* [{title}]({fname})" for fname, (title, _, _) in PAGES.items())
    out["index.md"] = INDEX_INTRO + "\n".join(rows) + "\n\n## Pages\n\n" + pages + "\n" + INDEX_OUTRO
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the pages, or with ``--check`` report the stale ones; return the exit code."""
    parser = argparse.ArgumentParser(description="Generate docs/api/*.md")
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is stale")
    args = parser.parse_args(argv)
    stale = []
    for fname, text in render().items():
        path = API / fname
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(fname)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale API pages (run python docs/api/_gen_api.py): {stale}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
