"""``ecograph compare``: baseline vs scenario, two bundles, or one bundle on two dates."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["compare"]


def _scenario_file(bundle: Path, spec: str) -> Path:
    """A scenario file path, or the NAME of ``<bundle>/scenarios/NAME.toml``."""
    direct = Path(spec)
    if direct.is_file():
        return direct
    if len(direct.parts) > 1:
        raise click.BadParameter(f"no scenario file {spec}", param_hint="'--scenario'")
    folder = bundle.parent if bundle.name == "ecosystem.toml" else bundle
    name = spec if spec.endswith(".toml") else f"{spec}.toml"
    candidate = folder / "scenarios" / name
    if candidate.is_file():
        return candidate
    available = sorted(p.stem for p in (folder / "scenarios").glob("*.toml"))
    hint = f"; scenarios of this bundle: {', '.join(available)}" if available else ""
    raise click.BadParameter(f"no file {spec!r} and no {candidate}{hint}",
                             param_hint="'--scenario'")


@click.command()
@click.argument("a", type=click.Path(exists=True, path_type=Path))
@click.argument("b", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--scenario", "scenario", metavar="FILE|NAME",
              help="Apply this scenario to A (a .toml file, or NAME of A/scenarios/NAME.toml).")
@click.option("--dates", "dates", nargs=2, metavar="DATE1 DATE2",
              help="Compare A as of two dates (YYYY-MM-DD).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Output folder.")
@click.option("--labels", "labels", nargs=2, metavar="LABEL1 LABEL2",
              help="Names of the two sides in tables and plots.")
@click.option("--section", "sections", multiple=True,
              help="Compute only these sections (repeatable).")
@click.option("--no-plot", "no_plot", is_flag=True, help="Do not draw the plot.")
def compare(a: Path, b: Path | None, scenario: str | None, dates: tuple[str, str] | None,
            out: Path, labels: tuple[str, str] | None, sections: tuple[str, ...],
            no_plot: bool) -> None:
    """Compare two ecosystems and write delta tables, a plot and an HTML page into --out.

    \b
    ecograph compare A B --out DIR                 two bundle folders
    ecograph compare A --scenario FILE --out DIR   A vs A with the scenario applied
    ecograph compare A --dates 2018-06-01 2020-06-01 --out DIR
    """
    from ecograph.io.bundle import read_bundle
    from ecograph.scenario.compare import compare as run
    from ecograph.scenario.model import Scenario
    from ecograph.scenario.time import snapshots

    modes = [x for x in (b is not None, scenario is not None, bool(dates)) if x]
    if len(modes) != 1:
        raise click.UsageError("give exactly one of: a second bundle B, --scenario or --dates")
    base = read_bundle(a, warn=False)
    chosen: Scenario | None = None
    if b is not None:
        other = read_bundle(b, warn=False)
        default = (a.resolve().name, b.resolve().name)
        if default[0] == default[1]:
            default = ("a", "b")
    elif scenario is not None:
        chosen = Scenario.read(_scenario_file(a, scenario))
        other = chosen.apply(base)
        default = ("baseline", chosen.name if chosen.name != "baseline" else "scenario")
    else:
        views = snapshots(base, list(dates or ()))
        if len(views) != 2:
            raise click.BadParameter("the two dates must differ", param_hint="'--dates'")
        (d1, first), (d2, second) = views.items()
        base, other = first, second
        default = (str(d1.date()), str(d2.date()))
    result = run(base, other, labels=labels or default, sections=list(sections) or None)
    written = result.write(out, plot=not no_plot)
    if chosen is not None:
        written["scenario"] = chosen.write(out / "scenario.toml")
        edits = chosen.to_frame()
        edits.to_csv(out / "edits.csv", encoding="utf-8", lineterminator="\n")
        written["edits"] = out / "edits.csv"
    for rec in result.status.itertuples(index=False):
        if rec.status == "ok":
            click.echo(f"ok    {rec.section:<13} {rec.rows:>5} rows")
        else:
            click.echo(f"--    {rec.section:<13} {rec.message}")
    for key, value in result.counts().items():
        click.echo(f"      {key}: {value}")
    click.echo(f"wrote {len(written)} files to {out}")
