"""Registry of the optional tables a bundle may carry besides actors and relations.

Each table is owned by the module that analyses it; that module registers a
validator here. A validator takes the Ecosystem and the raw frame (and the
file name for error locations) and returns the typed frame, raising
:class:`~ecograph.exceptions.BundleValidationError` with every problem.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ecograph.exceptions import InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["TABLES", "validate_tables"]

TABLES: dict[str, str] = {
    "resources": "ecograph.analysis.resources:validate_resources_table",
    "support": "ecograph.analysis.resources:validate_support_table",
}
"""Table name -> ``"module:function"`` of its validator (imported lazily)."""

Validator = Callable[["Ecosystem", pd.DataFrame, str], pd.DataFrame]


def _validator(name: str) -> Validator:
    try:
        target = TABLES[name]
    except KeyError:
        raise InputError(f"unknown bundle table {name!r}; expected one of {sorted(TABLES)}") from None
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def validate_tables(
    eco: Ecosystem, tables: Mapping[str, pd.DataFrame], files: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """Validate every extra table against ``eco``; return the typed frames.

    Parameters
    ----------
    eco : Ecosystem
    tables : mapping of str to DataFrame
    files : mapping of str to str, optional
        File name per table, for error locations (default ``"<name>"``).

    Returns
    -------
    dict of DataFrame
    """
    files = dict(files or {})
    return {name: _validator(name)(eco, frame, files.get(name, f"<{name}>"))
            for name, frame in tables.items()}
