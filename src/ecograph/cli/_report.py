"""``ecograph report`` and ``ecograph map``."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

__all__ = ["map_command", "report"]


def _layers(values: tuple[str, ...]) -> list[str] | None:
    """``--layers a,b --layers c`` -> ``["a", "b", "c"]`` (None when not given)."""
    out = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return out or None


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; receives index.html (and map.html).",
)
@click.option("--open", "open_", is_flag=True, help="Open the report in the web browser when done.")
@click.option(
    "--progress/--no-progress", default=True, show_default=True, help="Show progress on stderr."
)
@click.option("--title", default=None, help="Report title (default: the ecosystem's name).")
@click.option(
    "--max-rows",
    default=25,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows shown per table.",
)
def report(
    path: Path, out: Path, open_: bool, progress: bool, title: str | None, max_rows: int
) -> None:
    """Write the self-contained HTML report of the bundle at PATH into --out.

    The report has the summary, the interactive map, the thin-and-dense
    profile, key persons, interlocks, co-opetition, the Spigel and Miles &
    Morrison scores, support coverage, data provenance and warnings. It works
    offline and can be e-mailed as one file (index.html).
    """
    from ecograph.io.bundle import read_bundle
    from ecograph.reporting.html import report as write_report

    eco = read_bundle(path, warn=False)
    index = write_report(eco, out, progress=progress, title=title, max_rows=max_rows)
    click.echo(f"wrote {index}")
    if open_:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())


@click.command("map")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output HTML file.",
)
@click.option(
    "--size-by",
    "size_by",
    default=None,
    help="Node size: an actor column (employees, ...), 'degree' or a node metric "
    "(betweenness_norm, ...).",
)
@click.option(
    "--layers",
    "layers",
    multiple=True,
    help="Relation kinds to draw, comma-separated or repeated (default: all).",
)
@click.option(
    "--physics/--no-physics",
    "physics",
    default=None,
    help="Force the browser-side physics on or off (default: on up to 500 actors).",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "fr", "drl", "kk"]),
    default="auto",
    show_default=True,
    help="igraph layout.",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Layout seed.")
@click.option("--title", default=None, help="Page title (default: the ecosystem's name).")
@click.option("--open", "open_", is_flag=True, help="Open the map in the web browser when done.")
def map_command(
    path: Path,
    out: Path,
    size_by: str | None,
    layers: tuple[str, ...],
    physics: bool | None,
    layout: str,
    seed: int,
    title: str | None,
    open_: bool,
) -> None:
    """Write the interactive network map of the bundle at PATH to --out (one offline HTML file)."""
    from ecograph.io.bundle import read_bundle
    from ecograph.viz.pyvis_map import LayoutName, network_map

    eco = read_bundle(path, warn=False)
    written = network_map(
        eco,
        out,
        size_by=size_by,
        layers=_layers(layers),
        physics=physics,
        layout=cast("LayoutName", layout),
        seed=seed,
        title=title,
    )
    click.echo(f"wrote {written} ({len(eco.actors)} actors)")
    if open_:
        import webbrowser

        webbrowser.open(written.resolve().as_uri())
