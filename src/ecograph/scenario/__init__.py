"""Scenarios and time: what-if edits, snapshots over time, and comparisons.

* :class:`~ecograph.scenario.model.Scenario`: a named, serialisable list of
  edits (``scenarios/NAME.toml`` next to a bundle) applied without changing
  the original ecosystem.
* :func:`~ecograph.scenario.time.snapshots`: ``as_of`` views at chosen dates
  or at every change date.
* :func:`~ecograph.scenario.compare.compare`: tidy delta tables, a plot and
  a report section for two ecosystems (baseline vs scenario, or two dates).
"""

from __future__ import annotations

__all__: list[str] = []
