"""Shared test configuration: the Hypothesis profile and a bundle-folder factory."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest
from hypothesis import settings

# deadline=None: the machine is shared and timings are noisy; print_blob: a failing
# example can be replayed with @reproduce_failure.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.load_profile("ci")

BASE_ACTORS = (
    "id,name,kind,municipality,employees\n"
    "p1,Informant 1,person,,\n"
    "o1,Røros Hotell,firm,5025,12\n"
    "o2,Rørosmat SA,cooperative,5025,\n"
    "n1,Best Lokalt,business_network,5025,\n"
)
"""A small valid actors.csv: header = row 1, p1 = row 2, o1 = row 3, o2 = row 4, n1 = row 5."""


@pytest.fixture
def make_bundle(tmp_path: pathlib.Path) -> Callable[..., pathlib.Path]:
    """Write a bundle folder from CSV / TOML text (or bytes) and return its path.

    ``make_bundle(actors=..., relations=..., toml=..., name="bundle")``; ``actors``
    defaults to :data:`BASE_ACTORS`; ``None`` leaves a file out.
    """

    def make(actors: str | bytes | None = BASE_ACTORS, relations: str | bytes | None = None,
             toml: str | None = None, name: str = "bundle") -> pathlib.Path:
        folder = tmp_path / name
        folder.mkdir()
        for file, content in (("actors.csv", actors), ("relations.csv", relations),
                              ("ecosystem.toml", toml)):
            if content is None:
                continue
            if isinstance(content, bytes):
                (folder / file).write_bytes(content)
            else:
                (folder / file).write_text(content, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def base_actors() -> str:
    """The text of :data:`BASE_ACTORS` (to extend in a test)."""
    return BASE_ACTORS
