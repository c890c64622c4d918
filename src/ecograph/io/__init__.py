"""Reading and writing bundles, and exports for other tools."""

from ecograph.io.bundle import read_bundle, write_bundle
from ecograph.io.export import export_graph

__all__ = ["export_graph", "read_bundle", "write_bundle"]
