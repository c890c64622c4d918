"""Lazy import of optional dependencies with an install hint."""

from __future__ import annotations

import importlib
from types import ModuleType

from ecograph.exceptions import OptionalDependencyError

__all__ = ["require"]

_EXTRA = {
    "matplotlib": "viz",
    "pyvis": "viz",
    "jinja2": "viz",
    "dask": "dask",
    "distributed": "dask",
    "tqdm": "progress",
}


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` or raise :class:`OptionalDependencyError` with the install hint.

    Parameters
    ----------
    module : str
        Importable module name, e.g. ``"pyvis.network"``.
    feature : str
        What the caller wanted to do, used in the message.

    Returns
    -------
    module
        The imported module.

    Examples
    --------
    >>> require("json", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = _EXTRA.get(top, "all")
        raise OptionalDependencyError(
            f"{feature} needs the optional package {top!r}, which is not installed. "
            f"Install it with: pip install 'ecograph[{extra}]'"
        ) from exc
