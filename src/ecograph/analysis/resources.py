"""Resources and capacity: who am I, what can I do, whom do I know; complementary partners; support.

The Røros thesis answers its third research question ("how can a rural
business network acquire resources?") with Miles & Morrison's three
questions and an informant's "what we lack ourselves, the neighbour may
have"; the report on micro-businesses shows firms of 0-4 employees short of
capacity for accounting, marketing, sales and development, and networks,
cooperatives and intermediaries that can take these tasks over (seed digest
§2.6, §4.8, §5). This module puts both on the ecosystem graph.

Two optional bundle tables feed it:

``resources.csv``
    ``actor``, ``direction`` (has / needs), ``category`` (human,
    organisational, physical, technological, financial, reputation),
    ``item``, ``quantity``, ``unit``, ``evidence``, ``provenance``
    (:func:`validate_resources_table`, vocabulary in
    :func:`resource_vocabulary`).
``support.csv``
    ``actor``, ``function``, ``mode`` (self, bought, network, cooperative,
    intermediary, not_done), ``quality`` (good, medium, poor),
    ``provider``, ``hours_per_year``, ``evidence``, ``provenance``
    (:func:`validate_support_table`, catalogue in :func:`support_catalogue`).
    ``support`` relations (provider -> firm with a ``function``) count too.

Functions:

* :func:`self_map`: identity, roles, resources and ego network of one actor;
* :func:`match_resources`: each need matched to the actors that have it,
  ranked by distance, trust proxies and low rivalry, with shared-production
  opportunities (``ecograph analyze`` -> ``resources_matches.csv``);
* :func:`support_coverage`: the function x mode matrix of micro-businesses,
  gaps per firm and per group, providers within reach
  (-> ``support_coverage.csv``);
* :func:`simulate_substitution`: moving self-done and undone functions to
  a shared provider: firms covered, hours freed;
* :func:`support_indicators`: ecosystem-level numbers for the scoring models.
"""

from __future__ import annotations

from ecograph.analysis._resources_match import MATCH_COLUMNS, SelfMap, match_resources, self_map
from ecograph.analysis._resources_support import (
    DEFAULT_HOURS,
    INDICATOR_NAMES,
    simulate_substitution,
    support_coverage,
    support_indicators,
)
from ecograph.analysis._resources_tables import (
    OPPORTUNITIES,
    QUALITY_SCORES,
    RESOURCE_CATEGORIES,
    RESOURCE_COLUMNS,
    RESOURCE_DIRECTIONS,
    SHARED_MODES,
    SUPPORT_COLUMNS,
    SUPPORT_GROUPS,
    SUPPORT_MODES,
    SUPPORT_QUALITIES,
    item_key,
    resource_vocabulary,
    support_catalogue,
    support_records,
    validate_resources_table,
    validate_support_table,
)

__all__ = [
    "DEFAULT_HOURS",
    "INDICATOR_NAMES",
    "MATCH_COLUMNS",
    "OPPORTUNITIES",
    "QUALITY_SCORES",
    "RESOURCE_CATEGORIES",
    "RESOURCE_COLUMNS",
    "RESOURCE_DIRECTIONS",
    "SHARED_MODES",
    "SUPPORT_COLUMNS",
    "SUPPORT_GROUPS",
    "SUPPORT_MODES",
    "SUPPORT_QUALITIES",
    "SelfMap",
    "item_key",
    "match_resources",
    "resource_vocabulary",
    "self_map",
    "simulate_substitution",
    "support_catalogue",
    "support_coverage",
    "support_indicators",
    "support_records",
    "validate_resources_table",
    "validate_support_table",
]
