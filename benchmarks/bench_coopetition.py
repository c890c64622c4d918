"""Benchmark: co-opetition inference over a generated region of N organisations.

Reports the candidate-pair count, the wall time of each step and the peak
memory (``ru_maxrss`` of a fresh child process per size, so sizes do not
share memory). Run::

    python benchmarks/bench_coopetition.py --n 10000            # quick check
    python benchmarks/bench_coopetition.py --n 10000 100000     # design size
    python benchmarks/bench_coopetition.py --n 100000 --min-competitor 0.5

Two generators (``--generator``):

* ``synthetic`` (default): :func:`ecograph.synthetic.synthetic_region` with N
  organisations in 40 municipalities (the Fjellregionen around Røros first);
  it carries about one stated co-opetition relation per firm;
* ``local``: the generator below (numpy, seeded): N organisations (firms, some
  cooperatives) over 40 municipalities with Zipf-like sizes, NACE subclasses
  drawn hierarchically (Zipf over 80 divisions, so far more distinct codes
  than ``synthetic``), log-normal employee counts, 1.5 N persons holding
  about 3 board seats / management roles per organisation (85 % in the home
  municipality), N / 200 business networks with memberships, supply and
  support ties and owners, and stated co-opetition relations for 1 % of the
  organisations.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["generate_region", "make_region", "measure", "run_inference"]


def _zipf_weights(k: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


def generate_region(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actor and relation frames of a synthetic region with ``n`` organisations."""
    rng = np.random.default_rng(seed)
    n_muni = 40
    munis = np.array([f"50{k:02d}" for k in range(1, n_muni + 1)])
    org_muni = rng.choice(n_muni, n, p=_zipf_weights(n_muni, 1.0))
    divisions = np.array([d for d in range(1, 97) if d not in (4, 12, 34, 40, 44, 48, 54, 57, 67,
                                                                76, 83, 89, 98)])[:80]
    div = divisions[rng.choice(len(divisions), n, p=_zipf_weights(len(divisions), 0.9))]
    group = rng.integers(1, 6, n)
    klass = rng.integers(0, 4, n)
    sub = rng.integers(1, 4, n)
    nace = pd.Series(div).map("{:02d}".format) + "." + pd.Series(group).astype(str) + \
        pd.Series(klass).astype(str) + pd.Series(sub).astype(str)
    kind = np.where(rng.random(n) < 0.03, "cooperative", "firm")
    employees = np.floor(rng.lognormal(1.0, 1.2, n)).astype(int)
    orgs = pd.DataFrame({
        "id": [f"o{i}" for i in range(n)], "name": [f"Org {i}" for i in range(n)], "kind": kind,
        "municipality": munis[org_muni], "nace": nace.to_numpy(), "employees": employees,
    })
    n_net = max(n // 200, 1)
    nets = pd.DataFrame({"id": [f"n{i}" for i in range(n_net)], "name": "Network",
                         "kind": "business_network",
                         "municipality": munis[rng.integers(0, n_muni, n_net)]})
    n_pers = int(1.5 * n)
    persons = pd.DataFrame({"id": [f"p{i}" for i in range(n_pers)], "name": "Person",
                            "kind": "person"})
    home = rng.choice(n_muni, n_pers, p=_zipf_weights(n_muni, 1.0))
    # ~3 roles per organisation, by persons; 85 % of a person's roles in the home municipality
    n_roles = 3 * n
    who = rng.integers(0, n_pers, n_roles)
    local = rng.random(n_roles) < 0.85
    by_muni = pd.Series(np.arange(n)).groupby(org_muni).apply(np.asarray)
    sizes = np.array([len(by_muni.get(m, [])) for m in range(n_muni)])
    m_of = home[who]
    pick_local = np.array([0] * n_roles)
    ok = local & (sizes[m_of] > 0)
    offsets = np.floor(rng.random(n_roles) * np.maximum(sizes[m_of], 1)).astype(int)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    flat = np.concatenate([by_muni.get(m, np.zeros(0, int)) for m in range(n_muni)])
    pick_local = np.where(ok, flat[np.minimum(starts[m_of] + offsets, len(flat) - 1)], 0)
    target = np.where(ok, pick_local, rng.integers(0, n, n_roles))
    role_kind = np.where(rng.random(n_roles) < 0.75, "board_seat", "management")
    roles = pd.DataFrame({"source": persons["id"].to_numpy()[who],
                          "target": orgs["id"].to_numpy()[target], "kind": role_kind})
    roles = roles.drop_duplicates(["source", "target", "kind"])
    roles["role"] = np.where(roles["kind"] == "board_seat", "member", "ceo")
    member = rng.random(n) < 0.3
    mem = pd.DataFrame({"source": orgs["id"].to_numpy()[member],
                        "target": nets["id"].to_numpy()[rng.integers(0, n_net, int(member.sum()))],
                        "kind": "membership"})
    n_sup = n
    sup = pd.DataFrame({"source": orgs["id"].to_numpy()[rng.integers(0, n, n_sup)],
                        "target": orgs["id"].to_numpy()[rng.integers(0, n, n_sup)],
                        "kind": rng.choice(["supply", "support"], n_sup)})
    sup = sup[sup["source"] != sup["target"]].drop_duplicates()
    n_own = n // 2
    own = pd.DataFrame({"source": persons["id"].to_numpy()[rng.integers(0, n_pers, n_own)],
                        "target": orgs["id"].to_numpy()[rng.integers(0, n, n_own)],
                        "kind": "ownership"}).drop_duplicates(["source", "target"])
    # stated co-opetition for 1 % of the organisations, with a partner of the same division
    k = max(n // 100, 1)
    a = rng.integers(0, n, k)
    b = rng.integers(0, n, k)
    coop = pd.DataFrame({"source": orgs["id"].to_numpy()[a], "target": orgs["id"].to_numpy()[b],
                         "kind": "coopetition",
                         "competitor_intensity": np.round(rng.random(k), 2),
                         "partner_intensity": np.round(rng.random(k), 2), "provenance": "survey"})
    coop = coop[a != b]
    actors = pd.concat([orgs, nets, persons], ignore_index=True)
    relations = pd.concat([roles, mem, sup, own, coop], ignore_index=True)
    return actors, relations


def _rss_mib() -> float:
    """Current resident set size (Linux ``/proc``; NaN elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return float("nan")


def make_region(n: int, seed: int = 0, generator: str = "synthetic") -> Any:
    """The benchmark region: ``synthetic_region`` (40 municipalities) or :func:`generate_region`."""
    from ecograph import Ecosystem

    if generator == "synthetic":
        from ecograph.synthetic import synthetic_region

        return synthetic_region(n, municipalities=40, seed=seed)
    actors, relations = generate_region(n, seed)
    return Ecosystem.from_frames(actors, relations, warn=False)


def run_inference(n: int, seed: int = 0, evidence: bool = False,
                  min_competitor: float | None = None,
                  generator: str = "synthetic") -> dict[str, Any]:
    """Generate, build and infer; timings in seconds, memory in MiB."""
    from ecograph.analysis.coopetition_inference import infer_coopetition

    t0 = time.perf_counter()
    eco = make_region(n, seed, generator)
    t1 = t2 = time.perf_counter()
    rss_before = _rss_mib()
    table = infer_coopetition(eco, evidence=evidence, min_competitor=min_competitor)
    t3 = time.perf_counter()
    return {
        "n_organisations": n,
        "generator": generator,
        "n_actors": len(eco.actors),
        "n_relations": len(eco.relations),
        "candidate_pairs": len(table),
        "stated_pairs": int(table["stated"].sum()),
        "person_mediated_pairs": int((table["shared_persons"] > 0).sum()),
        "evidence": evidence,
        "min_competitor": min_competitor,
        "generate_and_build_s": round(t1 - t0, 2),
        "infer_s": round(t3 - t2, 2),
        "table_mib": round(table.memory_usage(deep=True).sum() / 2**20, 1),
        "rss_before_infer_mib": rss_before,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure(n: int, seed: int = 0, evidence: bool = False,
            min_competitor: float | None = None, generator: str = "synthetic") -> dict[str, Any]:
    """:func:`run_inference` in a fresh Python process (honest peak memory)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(n), "--seed", str(seed),
         "--generator", generator]
        + (["--evidence"] if evidence else [])
        + ([] if min_competitor is None else ["--min-competitor", str(min_competitor)]),
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[10_000])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--evidence", action="store_true", help="also build the evidence text")
    p.add_argument("--min-competitor", type=float, default=None,
                   help="drop inferred pairs below this competitor intensity")
    p.add_argument("--generator", choices=["synthetic", "local"], default="synthetic")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is not None:
        print(json.dumps(run_inference(args.child, args.seed, args.evidence,
                                       args.min_competitor, args.generator)))
        return
    for n in args.n:
        print(json.dumps(measure(n, args.seed, args.evidence, args.min_competitor,
                                 args.generator)))


if __name__ == "__main__":
    main()
