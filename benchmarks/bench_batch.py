"""Benchmark: batch scoring of every municipality of a synthetic Norway.

:func:`time_batch` generates ``ecograph.synthetic_region(n_orgs)`` over the 357
municipalities of 2024, then times :func:`ecograph.score_municipalities` with a given
executor and number of workers (partition + every municipality + the indices). Each run is
a fresh child process, so peak memory is per run: ``peak_rss_mib`` is the parent process,
``children_peak_rss_mib`` the largest worker process (process pool). :func:`speedup` runs
the same batch with 1 and 2 workers and reports the ratio. The issue-7 target is a
synthetic Norway of 500,000 organisations on 2 cores with the default measures, and the
speed-up from 1 to 2 Dask workers. Run::

    python benchmarks/bench_batch.py                               # quick: 5,000 orgs, fast measure
    python benchmarks/bench_batch.py --orgs 500000 --measures default --executor dask --workers 1 2

``--measures basic`` uses :func:`ecograph.batch.measures.basic_structure` (counts, density,
components; milliseconds per municipality) and isolates the batch machinery;
``--measures default`` runs the thin-and-dense profile (with its 100-graph null model),
the co-opetition summary and the Spigel scores.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

__all__ = ["speedup", "time_batch"]


def _child(n_orgs: int, seed: int, executor: str, workers: int, measures: str, out: str) -> None:
    import ecograph
    from ecograph.batch.measures import basic_structure

    t0 = time.perf_counter()
    eco = ecograph.synthetic_region(n_orgs, seed=seed)
    generate = time.perf_counter() - t0
    spec: Any = {"basic": basic_structure} if measures == "basic" else None
    t0 = time.perf_counter()
    table = ecograph.score_municipalities(
        eco,
        out,
        executor=executor,
        workers=workers,  # type: ignore[arg-type]
        measures=spec,
        progress=False,
        resume=False,
    )
    seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "generate_seconds": generate,
                "batch_seconds": seconds,
                "municipalities": len(table),
                "ok": int((table["status"] == "ok").sum()),
                "actors": len(eco.actors),
                "relations": len(eco.relations),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "children_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                / 1024,
            }
        )
    )


def time_batch(
    n_orgs: int,
    *,
    executor: str = "processes",
    workers: int = 2,
    measures: str = "basic",
    seed: int = 0,
) -> dict[str, Any]:
    """Generate a synthetic Norway and score all its municipalities, in a child process.

    Parameters
    ----------
    n_orgs : int
        Organisations of the synthetic Norway.
    executor : {"serial", "processes", "dask"}
    workers : int
        Worker processes (``processes``) or workers of the local Dask cluster.
    measures : {"basic", "default"}
    seed : int

    Returns
    -------
    dict
        The parameters, ``generate_seconds``, ``batch_seconds`` (the whole
        ``score_municipalities`` call), ``municipalities``, ``ok``, ``actors``, ``relations``,
        ``peak_rss_mib`` and ``children_peak_rss_mib``.
    """
    with tempfile.TemporaryDirectory() as out:
        code = (
            f"import sys; sys.path.insert(0, {str(pathlib.Path(__file__).parent)!r}); "
            f"import bench_batch as b; b._child({n_orgs}, {seed}, {executor!r}, {workers}, "
            f"{measures!r}, {out!r})"
        )
        res = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        )
    record = json.loads(res.stdout.strip().splitlines()[-1])
    return {
        "benchmark": "batch_municipalities",
        "orgs": n_orgs,
        "executor": executor,
        "workers": workers,
        "measures": measures,
        "seed": seed,
        **record,
    }


def speedup(
    n_orgs: int,
    *,
    executor: str = "dask",
    measures: str = "basic",
    workers: tuple[int, ...] = (1, 2),
    seed: int = 0,
) -> dict[str, Any]:
    """Run :func:`time_batch` for each number of workers; ratios to the first.

    Returns
    -------
    dict
        ``runs`` (one record per number of workers) and ``speedup`` (first batch time /
        this batch time, per number of workers).
    """
    runs = [
        time_batch(n_orgs, executor=executor, workers=w, measures=measures, seed=seed)
        for w in workers
    ]
    base = runs[0]["batch_seconds"]
    return {"runs": runs, "speedup": {str(r["workers"]): base / r["batch_seconds"] for r in runs}}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command-line entry: print one JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument("--executor", choices=["serial", "processes", "dask"], default="processes")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--measures", choices=["basic", "default"], default="basic")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    record = speedup(
        args.orgs,
        executor=args.executor,
        measures=args.measures,
        workers=tuple(args.workers),
        seed=args.seed,
    )
    print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
