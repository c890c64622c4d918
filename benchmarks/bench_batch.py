"""Benchmark: batch scoring of every municipality of a synthetic Norway.

:func:`time_batch` generates ``ecograph.synthetic_region(n_orgs)`` over the 357
municipalities of 2024, then times :func:`ecograph.score_municipalities` with a given
executor and number of workers (partition + every municipality + the indices). Each run is
a fresh child process (``OMP_NUM_THREADS=1``), so peak memory is per run:
``peak_rss_mib`` is the parent process (generation, partition, the Dask scheduler and the
collected results), ``workers_peak_rss_mib`` the largest worker process (its ``VmHWM``,
polled from ``/proc``). The per-municipality seconds come from the run's ``manifest.json``.
:func:`speedup` runs the same batch with 1 and 2 workers and reports the ratio. The issue-7
target is a synthetic Norway of 500,000 organisations on 2 cores with the default measures,
and the speed-up from 1 to 2 Dask workers. Run::

    python benchmarks/bench_batch.py                               # quick: 5,000 orgs, fast measure
    python benchmarks/bench_batch.py --orgs 500000 --measures default --executor dask --workers 1 2 \\
        --out benchmarks/results/YYYY-MM-DD

``--measures basic`` uses :func:`ecograph.batch.measures.basic_structure` (counts, density,
components; milliseconds per municipality) and isolates the batch machinery;
``--measures default`` runs the thin-and-dense profile (with its 100-graph null model),
the co-opetition summary and the Spigel scores. ``--executor dask processes`` runs both;
``--runs dask:1 dask:2 processes:2`` lists the runs one by one (a run without a 1-worker run
of its own executor is compared with the first 1-worker run).
With ``--out`` the record is also written as ``batch_national.json`` and
``batch_national.md`` (``--name`` changes the stem).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import shlex
import sys
import tempfile
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from _common import TreeWatcher, machine, run_child

__all__ = ["speedup", "time_batch", "write_report"]

MIB = 1024 * 1024


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _source() -> dict[str, Any]:
    """Where ``ecograph`` is imported from and the git commit of this checkout."""
    import subprocess

    import ecograph

    root = pathlib.Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"path": str(pathlib.Path(ecograph.__file__).parent), "git_commit": commit}


class _CpuWatch:
    """CPU seconds of this process tree and of everything else on the machine during a run.

    A thread reads ``/proc`` every second: the ``utime + stime`` of this process and its
    descendants (the last value seen of each, so workers that exit still count) and the busy
    time of the whole machine from ``/proc/stat``. ``other_cpu_seconds`` (machine busy minus
    this tree) is the CPU that other users took while the batch ran; a run where it is large
    was measured on a busy machine.
    """

    def __init__(self) -> None:
        import threading

        self._tick = os.sysconf("SC_CLK_TCK")
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.tree_cpu_seconds = 0.0
        self.other_cpu_seconds = 0.0

    @staticmethod
    def _busy() -> float:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
        return float(sum(f) - f[3] - (f[4] if len(f) > 4 else 0))  # all but idle and iowait

    def _cpu(self, pid: int) -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / self._tick
        except (OSError, IndexError, ValueError):
            return None

    def _poll(self) -> None:
        me = os.getpid()
        for pid in [me, *TreeWatcher._descendants(me)]:
            cpu = self._cpu(pid)
            if cpu is not None:
                self._seen[pid] = cpu

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self._poll()

    def __enter__(self) -> _CpuWatch:
        if pathlib.Path("/proc/stat").exists():
            self._poll()
            self._start_tree = sum(self._seen.values())
            self._start_busy = self._busy()
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._thread.is_alive():
            return
        self._stop.set()
        self._thread.join()
        self._poll()
        tree = sum(self._seen.values()) - self._start_tree
        busy = (self._busy() - self._start_busy) / self._tick
        self.tree_cpu_seconds = tree
        self.other_cpu_seconds = max(0.0, busy - tree)


def _child(n_orgs: int, seed: int, executor: str, workers: int, measures: str, top: int) -> None:
    import ecograph
    from ecograph.batch.measures import basic_structure

    load_start = _load()
    t0 = time.perf_counter()
    eco = ecograph.synthetic_region(n_orgs, seed=seed)
    generate = time.perf_counter() - t0
    spec: Any = {"basic": basic_structure} if measures == "basic" else None
    with (
        tempfile.TemporaryDirectory() as out,
        TreeWatcher(interval=0.5) as watch,
        _CpuWatch() as cpu,
    ):
        t0 = time.perf_counter()
        table = ecograph.score_municipalities(
            eco,
            out,
            executor=executor,  # type: ignore[arg-type]
            workers=workers,
            measures=spec,
            progress=False,
            resume=False,
        )
        seconds = time.perf_counter() - t0
        cpu.__exit__(None, None, None)  # stop counting before the manifest is read
        manifest = json.loads((pathlib.Path(out) / "manifest.json").read_text(encoding="utf-8"))
    per_muni = {c: float(s) for c, s in manifest["seconds"].items() if s is not None}
    actors = (table["organisations"] + table["persons"] + table["external"]).astype(int)
    largest = actors.sort_values(ascending=False, kind="stable").index[:top]
    slowest = sorted(per_muni, key=lambda c: -per_muni[c])[:top]
    compute = sum(per_muni.values())
    chunks = manifest.get("chunks") or []
    print(
        json.dumps(
            {
                "generate_seconds": generate,
                "batch_seconds": seconds,
                "municipalities": len(table),
                "ok": int((table["status"] == "ok").sum()),
                # a failing measure is recorded per municipality, not raised: show the first
                "first_error": next((str(e) for e in table["error"] if e), None),
                "actors": len(eco.actors),
                "relations": len(eco.relations),
                "municipality_seconds_sum": compute,
                "municipality_seconds_max": max(per_muni.values(), default=0.0),
                # sum of per-municipality seconds / (workers * wall): share of the workers kept busy
                "worker_utilisation": compute / (workers * seconds) if seconds > 0 else None,
                "tasks": len(chunks) or None,
                "largest_task_seconds": max(
                    (sum(per_muni.get(c, 0.0) for c in chunk) for chunk in chunks), default=None
                ),
                "largest_municipalities": [
                    {
                        "municipality": c,
                        "name": str(table.loc[c, "name"]),
                        "actors": int(actors[c]),
                        "relations": int(table.loc[c, "relations"]),
                        "seconds": per_muni.get(c),
                    }
                    for c in largest
                ],
                "slowest_municipalities": [
                    {"municipality": c, "actors": int(actors[c]), "seconds": per_muni[c]}
                    for c in slowest
                ],
                "per_municipality": {
                    c: {"actors": int(actors[c]), "seconds": round(per_muni[c], 4)}
                    for c in sorted(per_muni)
                },
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "workers_peak_rss_mib": watch.children_peak / MIB,
                "tree_peak_rss_mib": watch.tree_peak / MIB,
                "cpu_seconds_batch_tree": cpu.tree_cpu_seconds,
                "cpu_seconds_other_processes": cpu.other_cpu_seconds,
                "load_average_child_start": load_start,
                "load_average_child_end": _load(),
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
    top: int = 5,
    timeout: float = 3600,
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
    top : int
        How many of the largest (and of the slowest) municipalities to report.
    timeout : float
        Seconds before the child and its workers are killed.

    Returns
    -------
    dict
        The parameters, ``generate_seconds``, ``batch_seconds`` (the whole
        ``score_municipalities`` call), ``municipalities``, ``ok``, ``actors``, ``relations``,
        ``municipality_seconds_sum`` / ``_max``, ``worker_utilisation``, ``tasks``,
        ``largest_task_seconds``, ``largest_municipalities`` and ``slowest_municipalities``
        (with their seconds), ``peak_rss_mib`` (parent), ``workers_peak_rss_mib``,
        ``tree_peak_rss_mib`` (sampled sum over parent and workers),
        ``cpu_seconds_batch_tree`` and ``cpu_seconds_other_processes`` (CPU time of the batch's
        processes and of everything else on the machine during the batch), the load averages and
        ``status`` (``ok``, ``error`` or ``timeout``).
    """
    code = (
        f"import sys; sys.path.insert(0, {str(pathlib.Path(__file__).parent)!r}); "
        f"import bench_batch as b; b._child({n_orgs}, {seed}, {executor!r}, {workers}, "
        f"{measures!r}, {top})"
    )
    record = run_child(["-c", code], timeout=timeout, env={"OMP_NUM_THREADS": "1"})
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
    top: int = 5,
    timeout: float = 3600,
) -> dict[str, Any]:
    """Run :func:`time_batch` for each number of workers; ratios to the first.

    Returns
    -------
    dict
        ``runs`` (one record per number of workers) and ``speedup`` (first batch time /
        this batch time, per number of workers; only for runs that finished).
    """
    runs = []
    for w in workers:
        run = time_batch(
            n_orgs, executor=executor, workers=w, measures=measures, seed=seed, top=top,
            timeout=timeout,
        )
        runs.append(run)
        print(f"# {executor} x{w}: {run.get('status')} {run.get('batch_seconds')}", file=sys.stderr)
    _add_speedups(runs)
    ratio = {str(r["workers"]): r["speedup"] for r in runs if r.get("speedup") is not None}
    return {"executor": executor, "runs": runs, "speedup": ratio}


def _add_speedups(runs: list[dict[str, Any]]) -> None:
    """Set ``speedup`` and ``speedup_vs`` of every finished run.

    The base of a run is the run of the same executor with the fewest workers; when that is
    the run itself (or missing) and it has more than one worker, the first finished 1-worker
    run of any executor.
    """
    ok = [r for r in runs if r.get("status") == "ok"]
    one = next((r for r in ok if r["workers"] == 1), None)
    for run in runs:
        run["speedup"] = run["speedup_vs"] = None
        if run.get("status") != "ok":
            continue
        same = [r for r in ok if r["executor"] == run["executor"]]
        base = min(same, key=lambda r: r["workers"])
        if base is run and run["workers"] > 1:
            base = one
        if base is not None:
            run["speedup"] = base["batch_seconds"] / run["batch_seconds"]
            run["speedup_vs"] = f"{base['executor']} x{base['workers']}"


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _rounded(values: Any) -> Any:
    return [round(v, 2) for v in values] if values else values


def write_report(record: dict[str, Any], out: pathlib.Path, name: str = "batch_national") -> None:
    """Write ``record`` as ``<name>.json`` and a short ``<name>.md`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    mach = record["machine"]
    pk = mach.get("packages", {})
    lines = [
        f"# Batch scoring of a synthetic Norway: {record['orgs']:,} organisations",
        "",
        f"* Command: `{record['command']}`",
        f"* Date: {mach['date']}; {mach['cpu']}, {mach['cores']} cores, "
        f"{(mach.get('ram_bytes') or 0) / 1024**3:.1f} GiB RAM; {mach['python']}",
        f"* ecograph {pk.get('ecograph')}, dask {pk.get('dask')}, distributed {pk.get('distributed')}, "
        f"igraph {pk.get('igraph')}, pandas {pk.get('pandas')}",
        f"* ecograph imported from `{record['ecograph_source']['path']}` "
        f"(checkout at commit {record['ecograph_source']['git_commit']})",
        *([f"* {record['note']}"] if record.get("note") else []),
        *[
            f"* Earlier runs appended from `{a.get('command')}` "
            f"({a.get('machine', {}).get('date')}, load at start "
            f"{_rounded(a.get('machine', {}).get('load_average_at_start'))})"
            for a in record.get("appended", [])
        ],
        f"* Measures: {record['measures']} · seed {record['seed']} · each run a fresh process "
        "with `OMP_NUM_THREADS=1`",
        f"* Load average (1, 5, 15 min) at start: {_rounded(mach.get('load_average_at_start'))}, "
        f"at end: {record.get('load_average_at_end')}",
        "",
        "| executor | workers | status | ok | generate s | batch s | speed-up | Σ municipality s "
        "| max municipality s | worker utilisation | tasks | parent peak MiB | worker peak MiB "
        "| load at start | other CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in record["runs"]:
        util = run.get("worker_utilisation")
        ratio = run.get("speedup")
        vs = run.get("speedup_vs")
        same = vs is None or vs.split(" ")[0] == run["executor"]
        lines.append(
            f"| {run['executor']} | {run['workers']} | {run.get('status')} "
            f"| {run.get('ok', '–')}/{run.get('municipalities', '–')} "
            f"| {_fmt(run.get('generate_seconds'))} | {_fmt(run.get('batch_seconds'))} "
            f"| {_fmt(ratio, 2)}{'' if ratio is None or same else f' (vs {vs})'} "
            f"| {_fmt(run.get('municipality_seconds_sum'))} "
            f"| {_fmt(run.get('municipality_seconds_max'))} "
            f"| {'–' if util is None else f'{util:.0%}'} | {_fmt(run.get('tasks'))} "
            f"| {_fmt(run.get('peak_rss_mib'), 0)} | {_fmt(run.get('workers_peak_rss_mib'), 0)} "
            f"| {run.get('load_average_child_start')} "
            f"| {_fmt(run.get('cpu_seconds_other_processes'))} |"
        )
    first = next((r for r in record["runs"] if r.get("largest_municipalities")), None)
    if first is not None:
        runs = [r for r in record["runs"] if r.get("status") == "ok"]
        lines += [
            "",
            f"{record['orgs']:,} organisations give {first['actors']:,} actors and "
            f"{first['relations']:,} relations. Seconds of the largest municipalities "
            "(all measures, as recorded in `manifest.json`), per run:",
            "",
            "| municipality | actors | relations | "
            + " | ".join(f"{r['executor']} ×{r['workers']}" for r in runs)
            + " |",
            "|---|---|---|" + "---|" * len(runs),
        ]
        for i, m in enumerate(first["largest_municipalities"]):
            secs = [r["largest_municipalities"][i].get("seconds") for r in runs]
            lines.append(
                f"| {m['municipality']} {m['name']} | {m['actors']:,} | {m['relations']:,} | "
                + " | ".join(_fmt(s) for s in secs)
                + " |"
            )
    lines += [
        "",
        "*ok* counts the municipalities where every measure succeeded. "
        "*batch s* is the whole `score_municipalities` call (partition, every municipality, "
        "writing the results, the indices), *Σ municipality s* the sum of the per-municipality "
        "times measured inside the workers, *worker utilisation* Σ / (workers × batch s). "
        "*parent peak* is the benchmark process (generation, partition, the Dask scheduler); "
        "*worker peak* the largest worker process. *other CPU s* is the CPU time other processes "
        "on the machine took during the batch (machine busy time minus the batch's process "
        "tree); on 2 cores anything beyond a few seconds slows the run down.",
        "",
    ]
    (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command-line entry: print one JSON record (and write it to ``--out``)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--orgs", type=int, default=5_000)
    parser.add_argument(
        "--executor", choices=["serial", "processes", "dask"], nargs="+", default=["processes"]
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--measures", choices=["basic", "default"], default="basic")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top", type=int, default=5, help="largest municipalities to report")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--out", type=pathlib.Path, default=None, help="folder for the report")
    parser.add_argument("--name", default="batch_national", help="file stem of the report")
    parser.add_argument("--note", default="", help="a sentence added to the Markdown report")
    parser.add_argument(
        "--append",
        action="store_true",
        help="add the runs to an existing <out>/<name>.json of the same workload "
        "(e.g. to repeat a run measured on a busy machine)",
    )
    parser.add_argument(
        "--runs",
        nargs="+",
        default=None,
        metavar="EXECUTOR:WORKERS",
        help="explicit runs in this order, e.g. dask:1 dask:2 processes:2 "
        "(instead of every --executor with every --workers)",
    )
    args = parser.parse_args(argv)
    argv_used = sys.argv[1:] if argv is None else argv
    if args.runs:
        plan = []
        for item in args.runs:
            executor, _, workers = item.partition(":")
            if executor not in ("serial", "processes", "dask") or not workers.isdigit():
                parser.error(f"--runs {item!r}: expected EXECUTOR:WORKERS, e.g. dask:2")
            plan.append((executor, int(workers)))
    else:
        plan = [(e, w) for e in args.executor for w in args.workers]
    record: dict[str, Any] = {
        "benchmark": "batch_national",
        "command": "python benchmarks/bench_batch.py " + shlex.join(argv_used),
        "orgs": args.orgs,
        "measures": args.measures,
        "seed": args.seed,
        "machine": machine(),
        "ecograph_source": _source(),
        "note": args.note,
        "runs": [],
    }
    if args.append and args.out is not None and (args.out / f"{args.name}.json").exists():
        old = json.loads((args.out / f"{args.name}.json").read_text(encoding="utf-8"))
        same = ("orgs", "measures", "seed")
        if any(old.get(k) != record[k] for k in same):
            parser.error(f"--append: {args.out / args.name}.json has another workload")
        record["runs"] = old["runs"]
        record["appended"] = [
            *old.get("appended", []),
            {k: old[k] for k in ("command", "machine", "ecograph_source", "note") if k in old},
        ]
    for executor, workers in plan:
        run = time_batch(
            args.orgs,
            executor=executor,
            workers=workers,
            measures=args.measures,
            seed=args.seed,
            top=args.top,
            timeout=args.timeout,
        )
        record["runs"].append(run)
        print(f"# {executor} x{workers}: {run.get('status')} {run.get('batch_seconds')} "
              f"ok {run.get('ok')}/{run.get('municipalities')} {run.get('first_error') or ''}",
              file=sys.stderr)
        _add_speedups(record["runs"])
        record["load_average_at_end"] = _load()
        if args.out is not None:  # after every run, so an interrupted series keeps its runs
            write_report(record, args.out, args.name)
    print(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
