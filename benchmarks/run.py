"""Run the ecograph benchmark suite: ecograph vs raw igraph / scipy vs networkx.

Usage::

    python benchmarks/run.py                                   # 1e3 .. 1e6, 3 repeats
    python benchmarks/run.py --sizes 1e3,1e4,1e5 --repeats 3   # without the 1e6 ecosystem
    python benchmarks/run.py --smoke --out "$(mktemp -d)"      # CI: 1e3, 1 repeat, < 60 s

Writes ``results.csv``, ``results.json``, ``summary.md`` and ``plot.png`` to ``--out``
(default ``benchmarks/results/YYYY-MM-DD``). Every (operation, implementation, size) runs in
its own child process (``--child``), so its time and peak memory are its own; see
``benchmarks/README.md`` for what each operation measures and how to read the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _common import (  # noqa: E402
    TreeWatcher,
    extrapolate,
    fmt_seconds,
    machine,
    median,
    run_child,
    time_repeats,
)

__all__ = ["IMPLS", "child", "main", "plan", "run_suite"]

IMPLS = ("ecograph", "raw", "networkx")

CHILD_ENV = {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
             "MPLBACKEND": "Agg"}
"""Environment of every child. One OpenMP thread: igraph's PRPACK PageRank is built with
OpenMP, and its spinning threads made a 2,500-vertex PageRank take 1.3 s instead of 6 ms on
the shared 2-core machine; igraph, networkx and scipy are otherwise single-threaded here."""
DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)


# ----------------------------------------------------------------------------- child
def child(op_name: str, impl: str, size: int, *, repeats: int, cache: Path | None,
          budget: float, smoke: bool = False) -> dict[str, Any]:
    """Run one (operation, implementation, size) in this process and return its record.

    Untimed: the input is loaded (``Op.setup``) and the implementation runs once on a tiny
    input (imports, lazy loading). Timed: ``repeats`` calls (fewer once ``budget`` seconds
    are spent), each after ``Op.before``.
    """
    import resource

    from _ops import OPS, resident_probe

    op = OPS[op_name]
    func = op.impls[impl]
    if func is None:
        raise SystemExit(f"{op_name} has no {impl} implementation")
    t0 = time.perf_counter()
    state = op.setup(size, cache, impl, smoke)
    if smoke:
        state["nx_budget"] = 0.0
    setup_s = time.perf_counter() - t0
    if (op.sized or op_name == "map") and not smoke:  # warm-up on a tiny input (not timed)
        tiny = op.setup(200, None, impl, smoke)
        if op.before is not None:
            op.before(tiny)
        func(tiny)
        del tiny
    captured: list[dict[str, Any]] = []

    def call() -> Any:
        result = func(state)
        if isinstance(result, dict) and ("__seconds__" in result or "__info__" in result):
            captured.append({k: v for k, v in result.items() if k.startswith("__")})
        return result

    probe = resident_probe(impl, state) if op_name == "build" else {}
    before = (lambda: op.before(state)) if op.before is not None else None  # type: ignore[misc]
    with TreeWatcher() as tree:
        times, memory = time_repeats(call, repeats, before=before, budget=budget)
    record: dict[str, Any] = {"op": op_name, "impl": impl, "size": size, "status": "ok",
                              "setup_s": setup_s, **memory, **probe}
    if any("__seconds__" in c for c in captured):  # it timed itself (import, batch)
        times = [float(c["__seconds__"]) for c in captured]
        record["extrapolated"] = any(c.get("__extrapolated__", False) for c in captured)
    if captured:
        if "__note__" in captured[-1]:
            record["note"] = captured[-1]["__note__"]
        infos = [c["__info__"] for c in captured if "__info__" in c]
        for key in infos[0] if infos else ():
            record[key] = median([float(i[key]) for i in infos])
    record["times"] = times
    record["median_s"] = median(times)
    record["repeats"] = len(times)
    record["process_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    record["children_peak"] = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
                                  tree.children_peak)
    record["tree_peak"] = tree.tree_peak
    eco = state.get("eco")
    if eco is not None and op.sized:
        record["actors"] = len(eco.actors)
        record["relations"] = len(eco.relations)
    elif "relations" in state:
        record["actors"] = len(state["actors"])
        record["relations"] = len(state["relations"])
    return record


def _prepare(kind: str, size: int, cache: Path, smoke: bool = False) -> dict[str, Any]:
    """Generate and pickle one input; return its counts."""
    from _ops import SMOKE_ORGS_PER_MUNI, load_region, national

    t0 = time.perf_counter()
    eco = (national(size, cache, orgs_per_muni=SMOKE_ORGS_PER_MUNI if smoke else 800)
           if kind == "national" else load_region(size, cache))
    kinds = eco.relations["kind"].value_counts().to_dict()
    person = int((eco.actors["kind"] == "person").sum())
    return {"kind": kind, "size": size, "actors": len(eco.actors), "persons": person,
            "organisations": len(eco.actors) - person, "relations": len(eco.relations),
            "board_seats": int(kinds.get("board_seat", 0)),
            "relations_by_kind": {str(k): int(v) for k, v in kinds.items()},
            "seconds": time.perf_counter() - t0}


# ----------------------------------------------------------------------------- plan
def plan(ops: list[str], sizes: list[int], smoke: bool) -> list[tuple[str, int]]:
    """(operation, size) cells in run order: sized operations at every size, the others once."""
    from _ops import OPS

    cells: list[tuple[str, int]] = []
    for name in ops:
        op = OPS[name]
        if op.sized:
            cells.extend((name, s) for s in sizes)
        else:
            cells.append((name, op.smoke_size if smoke else op.full_size))
    return cells


def _limit(impl: str, nx_limit: float, max_seconds: float) -> float:
    return nx_limit if impl == "networkx" else max_seconds


def run_suite(args: argparse.Namespace) -> dict[str, Any]:
    """Run every cell in child processes, skipping what would take too long; return results."""
    from _ops import OPS

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(args.cache) if args.cache else Path(tempfile.mkdtemp(prefix="ecograph-bench-"))
    cache.mkdir(parents=True, exist_ok=True)
    info = machine()
    results: dict[str, Any] = {"machine": info, "command": " ".join(sys.argv),
                               "smoke": args.smoke, "repeats": args.repeats,
                               "sizes": args.sizes, "nx_limit_s": args.nx_limit,
                               "max_seconds": args.max_seconds, "timeout_s": args.timeout,
                               "workloads": [], "records": []}
    ops = args.ops
    cells = plan(ops, args.sizes, args.smoke)
    log = print if not args.quiet else (lambda *a, **k: None)
    t_start = time.perf_counter()

    # inputs: generated once, pickled in the cache
    inputs: set[tuple[str, int]] = set()
    for name, size in cells:
        op = OPS[name]
        if op.sized:
            inputs.add(("region", size))
        elif name == "batch":
            inputs.add(("national", size))
        elif name == "map":
            inputs.add(("region", max(size * 2 // 5, 20)))
    def prepare(item: tuple[str, int]) -> dict[str, Any]:
        kind, size = item
        cmd = [str(Path(__file__)), "--prepare", kind, str(size), "--cache", str(cache)]
        rec = run_child(cmd + (["--smoke"] if args.smoke else []), timeout=args.timeout,
                        env=CHILD_ENV)
        if rec.get("status") != "ok":
            raise SystemExit(f"could not generate the {kind} input of size {size}: {rec}")
        rec.pop("status", None)
        return rec

    with ThreadPoolExecutor(args.jobs) as pool:
        for rec in pool.map(prepare, sorted(inputs)):
            results["workloads"].append(rec)
            log(f"input {rec['kind']} {rec['size']:,}: {rec['actors']:,} actors, "
                f"{rec['relations']:,} relations ({rec['seconds']:.1f} s)", flush=True)

    measured: dict[tuple[str, str], list[tuple[float, float]]] = {}
    stopped: set[tuple[str, str]] = set()
    done: dict[tuple[str, int, str], dict[str, Any]] = {}
    if args.merge:  # cells of an earlier run: kept, and they seed the extrapolation
        earlier = json.loads(Path(args.merge).read_text())
        results["earlier_runs"] = [{"path": str(args.merge), "command": earlier.get("command"),
                                    "machine": earlier["machine"]}]
        known = {(w["kind"], w["size"]) for w in results["workloads"]}
        results["workloads"] += [w for w in earlier.get("workloads", [])
                                 if (w["kind"], w["size"]) not in known]
        for rec in earlier["records"]:
            done[(rec["op"], int(rec["size"]), rec["impl"])] = rec
            if rec["status"] == "ok" and not rec.get("extrapolated"):
                measured.setdefault((rec["op"], rec["impl"]), []).append(
                    (rec["size"], rec["median_s"]))
            elif rec["status"] in ("timeout", "error"):
                stopped.add((rec["op"], rec["impl"]))

    def run_cell(name: str, size: int, impl: str) -> dict[str, Any]:
        op = OPS[name]
        base = {"op": name, "impl": impl, "size": size}
        if (name, size, impl) in done:
            if done[(name, size, impl)]["status"] != "skipped":
                return {**done.pop((name, size, impl)), "merged": True}
            del done[(name, size, impl)]  # skipped before: still missing, decided anew
        if op.impls.get(impl) is None:
            return {**base, "status": "n/a", "note": op.missing}
        limit = _limit(impl, args.nx_limit, args.max_seconds)
        pts = measured.get((name, impl), [])
        guess = extrapolate(pts, size, op.exponent.get(impl, 1.0)) if pts else None
        if (name, impl) in stopped or (guess is not None and guess[0] > limit):
            pred = guess[0] if guess else None
            return {**base, "status": "skipped", "predicted_s": pred,
                    "exponent": guess[1] if guess else None,
                    "note": f"predicted {fmt_seconds(pred)} > {limit:.0f} s limit "
                            f"(scaling exponent {guess[1]:.2f} from the smaller sizes)"
                    if guess else "skipped after a timeout or error at a smaller size"}
        budget = args.budget if not args.smoke else 0.0
        cmd = [str(Path(__file__)), "--child", name, impl, str(size), "--repeats",
               str(args.repeats), "--cache", str(cache), "--budget", str(budget)]
        if args.smoke:
            cmd.append("--smoke")
        rec = run_child(cmd, timeout=args.timeout, env=CHILD_ENV)
        rec = {**base, **rec}
        if rec["status"] == "ok":
            if not rec.get("extrapolated"):
                measured.setdefault((name, impl), []).append((size, rec["median_s"]))
        else:
            stopped.add((name, impl))
        return rec

    def report(rec: dict[str, Any]) -> None:
        results["records"].append(rec)
        if rec.get("merged"):
            return
        what = (fmt_seconds(rec.get("median_s")) if rec["status"] == "ok"
                else f"{rec['status']}: {rec.get('note') or rec.get('error', '')}")
        log(f"[{time.perf_counter() - t_start:6.0f} s] {rec['op']:<12} {rec['impl']:<9} "
            f"{rec['size']:>9,}  {what}", flush=True)

    impls = [i for i in IMPLS if i in args.impls]
    if args.jobs > 1:  # children side by side (timings less reliable)
        with ThreadPoolExecutor(args.jobs) as pool:
            if len(args.sizes) == 1:  # nothing to extrapolate from: every cell at once
                jobs = [(n, s, i) for n, s in cells for i in impls]
                for rec in pool.map(lambda job: run_cell(*job), jobs):
                    report(rec)
            else:
                for name, size in cells:
                    for rec in pool.map(lambda i, n=name, s=size: run_cell(n, s, i), impls):
                        report(rec)
    else:
        for name, size in cells:
            for impl in impls:
                report(run_cell(name, size, impl))
    results["records"] += list(done.values())  # earlier cells outside this run's plan
    results["total_s"] = time.perf_counter() - t_start
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    if not args.cache and not args.keep_cache:
        shutil.rmtree(cache, ignore_errors=True)
    return results


# ----------------------------------------------------------------------------- main
def _sizes(text: str) -> list[int]:
    try:
        return sorted({int(float(s)) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: expected e.g. 1e3,1e4") from None


def _names(valid: tuple[str, ...]) -> Any:
    def parse(text: str) -> list[str]:
        names = [s.strip() for s in text.split(",") if s.strip()]
        bad = [n for n in names if n not in valid]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {bad}; expected some of {list(valid)}")
        return names

    return parse


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    from _ops import OPS

    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See benchmarks/README.md for the operations and how to read the results.")
    p.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES),
                   help="organisations of the generated ecosystems, comma-separated "
                        "(default 1e3,1e4,1e5,1e6)")
    p.add_argument("--repeats", type=int, default=3, help="timed repeats per cell (median)")
    p.add_argument("--smoke", action="store_true",
                   help="smallest size only, 1 repeat, small batch and map, 2 jobs (< 60 s)")
    p.add_argument("--out", default=None,
                   help="output folder (default benchmarks/results/YYYY-MM-DD)")
    p.add_argument("--ops", type=_names(tuple(OPS)), default=list(OPS),
                   help=f"operations, comma-separated (default all: {','.join(OPS)})")
    p.add_argument("--impls", type=_names(IMPLS), default=list(IMPLS),
                   help="implementations (default ecograph,raw,networkx)")
    p.add_argument("--nx-limit", type=float, default=120.0,
                   help="networkx cells predicted above this many seconds are extrapolated, "
                        "not run (default 120)")
    p.add_argument("--max-seconds", type=float, default=600.0,
                   help="the same limit for ecograph and raw cells (default 600)")
    p.add_argument("--budget", type=float, default=180.0,
                   help="stop repeating a cell once its timed repeats exceed this many seconds "
                        "(default 180; at least one repeat always runs)")
    p.add_argument("--timeout", type=float, default=1800.0,
                   help="kill a child after this many seconds (default 1800)")
    p.add_argument("--jobs", type=int, default=None,
                   help="children run side by side (default 1; 2 with --smoke)")
    p.add_argument("--cache", default=None, help="keep generated inputs here (default: a "
                                                 "temporary folder, deleted at the end)")
    p.add_argument("--keep-cache", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--notes", default=None,
                   help="a Markdown file appended to summary.md (e.g. profiling findings)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--child", nargs=3, metavar=("OP", "IMPL", "SIZE"), help=argparse.SUPPRESS)
    p.add_argument("--prepare", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    p.add_argument("--merge", default=None, metavar="RESULTS_JSON",
                   help="keep the cells of an earlier run (e.g. 1e3-1e5) and run only the "
                        "missing ones (e.g. --sizes 1e3,1e4,1e5,1e6; a skipped cell counts as "
                        "missing and is decided anew with this run's limits); the earlier times "
                        "seed the extrapolation")
    p.add_argument("--from-json", default=None,
                   help="rewrite the reports from an earlier results.json (no measuring)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point: the suite, a child cell (``--child``) or an input (``--prepare``)."""
    args = parser().parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    if args.child:
        op, impl, size = args.child
        rec = child(op, impl, int(size), repeats=args.repeats, cache=cache,
                    budget=args.budget, smoke=args.smoke)
        print(json.dumps(rec))
        return 0
    if args.prepare:
        if cache is None:
            raise SystemExit("--prepare needs --cache")
        print(json.dumps({"status": "ok", **_prepare(args.prepare[0], int(args.prepare[1]),
                                                     cache, args.smoke)}))
        return 0
    from _report import write_reports

    if args.smoke:
        args.sizes = args.sizes[:1]
        args.repeats = 1
        args.jobs = args.jobs or 2
        args.timeout = min(args.timeout, 300.0)
    args.jobs = args.jobs or 1
    if args.out is None:
        args.out = str(HERE / "results" / dt.date.today().isoformat())
    results = (json.loads(Path(args.from_json).read_text()) if args.from_json
               else run_suite(args))
    notes = Path(args.notes).read_text() if args.notes else None
    paths = write_reports(results, Path(args.out), notes=notes)
    if not args.quiet:
        print(f"total {results.get('total_s', 0):.0f} s; wrote "
              + ", ".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
