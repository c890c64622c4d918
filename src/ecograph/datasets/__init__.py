"""Bundled datasets: the Best Lokalt network of Røros."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import ModelSpecError

__all__ = ["dataset_path", "load_roros", "models_path"]


def _data_dir(name: str) -> Path:
    """Folder of shipped data: inside the installed package, or the source checkout."""
    packaged = Path(str(resources.files("ecograph"))) / "_data" / name
    if packaged.exists():
        return packaged
    checkout = Path(__file__).resolve().parents[3]
    for candidate in (checkout / "datasets" / name, checkout / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"shipped data {name!r} not found (looked in {packaged} and {checkout})")


def dataset_path(name: str = "roros") -> Path:
    """Folder of a bundled dataset.

    Examples
    --------
    >>> (dataset_path("roros") / "actors.csv").exists()
    True
    """
    return _data_dir(name)


def models_path() -> Path:
    """Folder of the shipped declarative scoring models (``models/``)."""
    return _data_dir("models")


def _read_model_toml(path: Path) -> dict[str, Any]:
    """Parse a declarative model file (scoring or co-opetition) as a TOML document.

    The one reader of model files: its errors are :class:`ModelSpecError`
    naming the file (``"<path>: invalid TOML: ..."``, ``"<path>: file is
    not UTF-8"``).
    """
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ModelSpecError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ModelSpecError(f"{path}: file is not UTF-8") from exc


def load_roros() -> Ecosystem:
    """The Best Lokalt business network of Røros (2018-2020), as an Ecosystem.

    Built from the master's thesis digested in the project documentation:
    the network's 12 member organisations (thesis Tabell 1), Rørosmat SA and
    its 28 anonymous member-owners, Destinasjon Røros and the six
    municipalities of the Røros region, the six anonymous informants with
    their Tabell 4 roles, the competitor pairs the text names, the supply
    ties it describes and Innovasjon Norge's funding. Every row carries its
    ``provenance`` and ``evidence``; see ``datasets/roros/README.md``.

    Returns
    -------
    Ecosystem

    Examples
    --------
    >>> eco = load_roros()
    >>> int((eco.actors["kind"] != "person").sum()) >= 12
    True
    """
    from ecograph.io.bundle import read_bundle

    return read_bundle(dataset_path("roros"), warn=False)
