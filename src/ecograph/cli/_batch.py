"""``ecograph batch`` and ``ecograph generate``."""

from __future__ import annotations

import os
from pathlib import Path

import click

__all__ = ["batch", "generate"]


def _measures(specs: tuple[str, ...]) -> dict[str, str] | None:
    if not specs:
        return None
    out = {}
    for spec in specs:
        name, sep, target = spec.partition("=")
        if not sep or not name or ":" not in target:
            raise click.BadParameter(
                f"{spec!r}: expected NAME=module:function", param_hint="--measure"
            )
        out[name.strip()] = target.strip()
    return out


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (municipalities.csv, per-municipality files, manifest.json).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores; 1 runs serially).",
)
@click.option("--dask", "use_dask", is_flag=True, help="Run on a local Dask cluster of --workers.")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://HOST:8786.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="Format of the municipality table.",
)
@click.option(
    "--municipality", "municipalities", multiple=True, help="Only this kommunenummer (repeatable)."
)
@click.option(
    "--measure",
    "measure_specs",
    multiple=True,
    help="NAME=module:function measure (repeatable); default: profile, coopetition, spigel.",
)
@click.option(
    "--external",
    type=click.Choice(["actors", "drop"]),
    default="actors",
    show_default=True,
    help="Keep other-municipality organisations tied in as external actors, or drop them.",
)
@click.option("--no-indices", is_flag=True, help="Do not compute the Stam / GEI indices.")
@click.option("--no-resume", is_flag=True, help="Recompute every municipality.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def batch(
    source: Path,
    out: Path,
    workers: int | None,
    use_dask: bool,
    scheduler: str | None,
    fmt: str,
    municipalities: tuple[str, ...],
    measure_specs: tuple[str, ...],
    external: str,
    no_indices: bool,
    no_resume: bool,
    no_progress: bool,
) -> None:
    """Score every municipality of the bundle SOURCE into --out."""
    from ecograph.batch.run import score_municipalities

    n = workers if workers is not None else (os.cpu_count() or 1)
    if scheduler or use_dask:
        executor = "dask"
    elif n == 1:
        executor = "serial"
    else:
        executor = "processes"
    table = score_municipalities(
        source,
        out,
        workers=n,
        executor=executor,  # type: ignore[arg-type]
        scheduler=scheduler,
        measures=_measures(measure_specs),
        municipalities=list(municipalities) or None,
        external=external,  # type: ignore[arg-type]
        indices=None if no_indices else ("stam", "gei"),
        format=fmt,  # type: ignore[arg-type]
        resume=not no_resume,
        progress=not no_progress,
    )
    ok = int((table["status"] == "ok").sum())
    failed = table.index[table["status"] != "ok"].tolist()
    click.echo(f"scored {ok} of {len(table)} municipalities ({executor}); results in {out}")
    for code in failed:
        click.echo(f"ERROR {code}: {table.loc[code, 'error']}", err=True)
    if failed:
        raise click.ClickException(
            f"{len(failed)} municipalit{'y' if len(failed) == 1 else 'ies'} "
            "failed; rerun to retry them (finished ones are kept)"
        )


@click.command()
@click.option(
    "--orgs", "n_orgs", required=True, type=click.IntRange(min=1), help="Number of organisations."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Bundle folder to write.",
)
@click.option(
    "--municipalities",
    default="norway",
    show_default=True,
    help="'norway' (all 357), a number k (the Røros region first), or comma-separated codes.",
)
@click.option("--persons-per-org", type=float, default=1.5, show_default=True)
@click.option("--seats-per-org", type=float, default=3.0, show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
def generate(
    n_orgs: int,
    seed: int,
    out: Path,
    municipalities: str,
    persons_per_org: float,
    seats_per_org: float,
    fmt: str,
) -> None:
    """Generate a seeded synthetic region or country and write it as a bundle."""
    from ecograph.io.bundle import write_bundle
    from ecograph.synthetic import synthetic_region

    spec: str | int | list[str]
    if municipalities.strip().isdigit() and len(municipalities.strip()) < 4:
        spec = int(municipalities)
    elif municipalities.strip().lower() == "norway":
        spec = "norway"
    else:
        spec = [c.strip() for c in municipalities.split(",") if c.strip()]
    eco = synthetic_region(
        n_orgs,
        persons_per_org=persons_per_org,
        seats_per_org=seats_per_org,
        municipalities=spec,
        seed=seed,
    )
    folder = write_bundle(eco, out, format=fmt)  # type: ignore[arg-type]
    click.echo(f"wrote {folder}: {eco!r}")
