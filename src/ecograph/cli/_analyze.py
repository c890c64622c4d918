"""``ecograph analyze``."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["analyze"]


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--only", multiple=True, help="Write only these files (repeatable).")
def analyze(path: Path, out: Path, only: tuple[str, ...]) -> None:
    """Run every analysis on the bundle at PATH and write the tables into --out."""
    from ecograph.io.bundle import read_bundle
    from ecograph.outputs import analyze as run

    eco = read_bundle(path, warn=False)
    status = run(eco, out, only=list(only) or None,
                 progress=lambda name: click.echo(f"  computing {name} ...", err=True))
    for rec in status.itertuples():
        mark = "ok   " if rec.status == "ok" else "ERROR"
        line = f"{mark} {rec.file:<28} {rec.rows:>6} rows  {rec.seconds:6.2f} s"
        if rec.status != "ok":
            line += f"  {rec.error}"
        click.echo(line)
    failed = int((status["status"] != "ok").sum())
    if failed:
        raise click.ClickException(f"{failed} analysis output(s) failed; see above")
    click.echo(f"wrote {len(status)} files to {out}")
