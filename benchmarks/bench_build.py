"""Benchmark: validate and build an ecosystem with many relations, then its igraph graph.

Generates a synthetic, *valid* ecosystem as raw frames (vectorised with numpy; relation
kinds obey ``RELATION_RULES``), then times

* ``Ecosystem.from_frames`` (typing + every validation rule), and
* ``eco.to_igraph()`` (the combined graph, built once per ecosystem),

repeating each ``--repeat`` times (a fresh Ecosystem each time, so no cache is reused) and
printing the median, plus the process's peak resident memory.

Usage::

    python benchmarks/bench_build.py                    # 1,000,000 relations
    python benchmarks/bench_build.py --relations 100000 --as-text

``--as-text`` passes every cell as text, as read from a CSV file (parsing included).
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd

from ecograph.core.ecosystem import Ecosystem

# share of relations per kind (sums to 1)
MIX = {
    "board_seat": 0.15, "management": 0.05, "ownership": 0.10, "membership": 0.10,
    "coopetition": 0.05, "supply": 0.30, "support": 0.05, "funding": 0.02,
    "knowledge_link": 0.03, "tie": 0.15,
}


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 ** 2 if sys.platform == "darwin" else peak / 1024


def make_frames(n_relations: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw actor and relation frames of a valid ecosystem with ``n_relations`` relations."""
    rng = np.random.default_rng(seed)
    n_actors = max(20, n_relations // 5)
    n_persons = n_actors // 5
    n_networks = max(2, n_actors // 1000)
    kinds = np.full(n_actors, "firm", dtype=object)
    kinds[:n_persons] = "person"
    kinds[n_persons:n_persons + n_networks] = "business_network"
    kinds[n_persons + n_networks:n_persons + 2 * n_networks] = "cooperative"
    ids = np.array([f"a{i}" for i in range(n_actors)], dtype=object)
    org_lo = n_persons
    hubs_lo, hubs_hi = n_persons, n_persons + 2 * n_networks
    actors = pd.DataFrame({
        "id": ids,
        "name": np.char.add("Actor ", np.arange(n_actors).astype(str)).astype(object),
        "kind": kinds,
        "municipality": rng.choice(["5025", "5026", "3430", "3426", "3427", "3428"], n_actors),
        "employees": np.where(kinds == "person", np.nan, rng.integers(0, 200, n_actors)),
    })
    actors["employees"] = actors["employees"].astype("Int64")

    counts = {k: round(share * n_relations) for k, share in MIX.items()}
    counts["supply"] += n_relations - sum(counts.values())
    parts = []
    for kind, n in counts.items():
        if kind in ("board_seat", "management"):
            src = rng.integers(0, n_persons, n)
            dst = rng.integers(org_lo, n_actors, n)
        elif kind == "membership":
            src = rng.integers(org_lo, n_actors, n)
            dst = rng.integers(hubs_lo, hubs_hi, n)
        elif kind in ("ownership", "support"):
            src = rng.integers(0, n_actors, n)
            dst = rng.integers(org_lo, n_actors, n)
        elif kind in ("coopetition", "supply"):
            src = rng.integers(org_lo, n_actors, n)
            dst = rng.integers(org_lo, n_actors, n)
        else:
            src = rng.integers(0, n_actors, n)
            dst = rng.integers(0, n_actors, n)
        same = src == dst
        dst[same] = np.where(dst[same] + 1 < n_actors, dst[same] + 1, org_lo)  # no self-relations
        part = pd.DataFrame({"source": ids[src], "target": ids[dst], "kind": kind})
        if kind == "board_seat":
            part["role"] = rng.choice(["chair", "member", "deputy_member"], n)
        elif kind == "management":
            part["role"] = "ceo"
        elif kind == "coopetition":
            part["competitor_intensity"] = rng.random(n).round(3)
            part["partner_intensity"] = rng.random(n).round(3)
        elif kind == "support":
            part["function"] = rng.choice(["accounting", "marketing", "sales"], n)
        parts.append(part)
    relations = pd.concat(parts, ignore_index=True)
    relations["weight"] = rng.uniform(0.5, 3.0, len(relations)).round(3)
    days = rng.integers(0, 3650, len(relations))
    relations["since"] = (pd.Timestamp("2010-01-01")
                          + pd.to_timedelta(days, unit="D")).astype("datetime64[s]")
    relations["provenance"] = "registry"
    return actors, relations


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, empty cells as missing (what the CSV reader hands over)."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s.dt.strftime("%Y-%m-%d")
        else:
            out[col] = s.astype("string").astype(object)
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-text", action="store_true", help="pass cells as text (CSV-like)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    actors, relations = make_frames(args.relations)
    if args.as_text:
        actors, relations = as_text(actors), as_text(relations)
    print(f"generated {len(actors):,} actors, {len(relations):,} relations "
          f"in {time.perf_counter() - t0:.1f} s ({'text' if args.as_text else 'typed'} cells); "
          f"peak RSS so far {peak_rss_mib():.0f} MiB")

    build, graph, build_cpu, graph_cpu = [], [], [], []
    for _ in range(args.repeat):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        eco = Ecosystem.from_frames(actors, relations, warn=False)
        build.append(time.perf_counter() - t)
        build_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        g = eco.to_igraph()
        graph.append(time.perf_counter() - t)
        graph_cpu.append(time.process_time() - c)
        if g.ecount() != len(relations):  # pragma: no cover - a benchmark sanity check
            raise RuntimeError("graph lost edges")
        del eco, g
    for label, wall, cpu in (("Ecosystem.from_frames", build, build_cpu),
                             ("to_igraph()", graph, graph_cpu)):
        print(f"{label:<22} median {statistics.median(wall):6.2f} s wall, "
              f"{statistics.median(cpu):6.2f} s CPU (wall runs: "
              f"{', '.join(f'{x:.2f}' for x in wall)})")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
