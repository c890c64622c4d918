"""Benchmark: Spigel scoring of one ecosystem, and the multi-region indices.

:func:`time_spigel` times :func:`ecograph.spigel_scores` on a given ecosystem (the suite calls
it on generated regions of every size); :func:`time_indices` times :func:`ecograph.ee_index`,
:func:`ecograph.bottleneck_simulation` and :func:`ecograph.score_uncertainty` on a table of
regions x indicators. Run::

    python benchmarks/bench_scoring.py                      # 1e3 and 1e4 organisations
    python benchmarks/bench_scoring.py --n 1000 10000 100000 --repeats 3

Each size runs in a fresh child process so that peak memory (``ru_maxrss``) is per size.
Spigel scoring is dominated by the graph-derived indicators it calls (thin-and-dense profile,
reachability, co-opetition summary); ``breakdown`` reports their share.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["time_indices", "time_spigel"]


def _median_time(func: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_spigel(eco: Any, *, repeats: int = 3, model: str = "spigel2017") -> dict[str, Any]:
    """Median wall time of ``spigel_scores(eco)`` and of its providers.

    Parameters
    ----------
    eco : Ecosystem
    repeats : int, default 3
    model : str, default "spigel2017"

    Returns
    -------
    dict
        ``actors``, ``relations``, ``spigel_s`` (median seconds of the whole call, each
        repeat with fresh memoisation) and ``breakdown``: median seconds of
        ``thin_dense_profile`` (``n_null=0``), ``reachability`` and ``coopetition_summary``
        called directly.
    """
    import ecograph

    out: dict[str, Any] = {"actors": len(eco.actors), "relations": len(eco.relations)}
    ecograph.spigel_scores(eco, model=model)  # warm-up: imports and the cached igraph graphs
    out["spigel_s"] = _median_time(lambda: ecograph.spigel_scores(eco, model=model), repeats)
    out["breakdown"] = {
        "thin_dense_profile": _median_time(lambda: ecograph.thin_dense_profile(eco, n_null=0),
                                           repeats),
        "reachability": _median_time(lambda: ecograph.reachability(eco), repeats),
        "coopetition_summary": _median_time(lambda: ecograph.coopetition_summary(eco), repeats),
    }
    return out


def time_indices(n_regions: int = 357, n_indicators: int = 27, n_elements: int = 11, *,
                 n_draws: int = 1000, repeats: int = 3, seed: int = 0) -> dict[str, Any]:
    """Median wall times of the indices on a random (gamma) table of regions x indicators."""
    import ecograph

    rng = np.random.default_rng(seed)
    table = pd.DataFrame(rng.gamma(2.0, 1.0, size=(n_regions, n_indicators)),
                         columns=[f"i{j}" for j in range(n_indicators)])
    groups = {f"e{k}": [f"i{j}" for j in range(n_indicators) if j % n_elements == k]
              for k in range(n_elements)}
    res: dict[str, Any] = {"regions": n_regions, "indicators": n_indicators,
                           "elements": n_elements, "n_draws": n_draws}
    for method in ("stam", "gei"):
        res[f"ee_index_{method}_s"] = _median_time(
            lambda m=method: ecograph.ee_index(table, method=m, groups=groups), repeats)
        res[f"uncertainty_{method}_s"] = _median_time(
            lambda m=method: ecograph.score_uncertainty(table, method=m, groups=groups,
                                                        n_draws=n_draws), repeats)
    res["bottleneck_simulation_s"] = _median_time(
        lambda: ecograph.bottleneck_simulation(table, groups=groups), repeats)
    return res


def _child(n: int, repeats: int) -> dict[str, Any]:
    import ecograph

    t0 = time.perf_counter()
    eco = ecograph.synthetic_region(n, municipalities=8, seed=0)
    out = {"n_orgs": n, "generate_s": time.perf_counter() - t0, **time_spigel(eco, repeats=repeats)}
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the sizes in child processes and print one JSON line per result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_child(args.child, args.repeats)))
        return
    for n in args.n:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--repeats",
                               str(args.repeats)], capture_output=True, text=True, check=True)
        print(proc.stdout.strip().splitlines()[-1])
    print(json.dumps(time_indices(repeats=args.repeats)))


if __name__ == "__main__":
    main()
