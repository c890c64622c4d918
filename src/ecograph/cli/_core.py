"""``ecograph validate``, ``info`` and ``export``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

__all__ = ["export", "info", "validate"]


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def validate(path: Path, as_json: bool) -> None:
    """Validate the bundle at PATH: a summary if valid, else every problem (exit 1)."""
    from ecograph.exceptions import EcographWarning
    from ecograph.io.bundle import read_bundle

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EcographWarning)
        eco = read_bundle(path)
    summary = eco.summary()
    notes = [str(w.message) for w in caught if issubclass(w.category, EcographWarning)]
    if as_json:
        click.echo(json.dumps({"valid": True, "summary": summary.to_dict(), "warnings": notes},
                              indent=2, default=int))
        return
    click.echo(f"{path}: valid bundle '{eco.meta.name}'")
    click.echo(f"  {summary['actors']} actors, {summary['relations']} relations")
    for key, value in summary.items():
        if "." in str(key) and value:
            click.echo(f"    {key}: {value}")
    for note in notes:
        click.echo(f"  warning: {note}")


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def info(path: Path) -> None:
    """Show the metadata, sources and counts of the bundle at PATH."""
    from ecograph.io.bundle import read_bundle

    eco = read_bundle(path, warn=False)
    m = eco.meta
    click.echo(f"name:           {m.name}")
    if m.description:
        click.echo(f"description:    {m.description}")
    if m.region:
        click.echo(f"region:         {m.region}")
    if m.municipalities:
        click.echo(f"municipalities: {', '.join(m.municipalities)}")
    if m.population is not None:
        click.echo(f"population:     {m.population}")
    if m.year is not None:
        click.echo(f"year:           {m.year}")
    click.echo(f"actors:         {len(eco.actors)}")
    for kind, n in eco.actors["kind"].value_counts().items():
        click.echo(f"  {kind:<24}{n}")
    click.echo(f"relations:      {len(eco.relations)}")
    for kind, n in eco.relations["kind"].value_counts().items():
        click.echo(f"  {kind:<24}{n}")
    prov = eco.relations["provenance"].fillna("(none)").value_counts()
    click.echo("relation provenance: " + ", ".join(f"{k} {v}" for k, v in prov.items()))
    for name, table in eco.tables.items():
        click.echo(f"table {name}: {len(table)} rows")
    for src in m.sources:
        click.echo(f"source [{src.id}]: {src.title}")


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Output file (.graphml or .gexf).")
def export(path: Path, out: Path) -> None:
    """Export the bundle at PATH to GraphML or GEXF (by the suffix of --out)."""
    from ecograph.io.bundle import read_bundle
    from ecograph.io.export import export_graph

    written = export_graph(read_bundle(path, warn=False), out)
    click.echo(f"wrote {written}")
