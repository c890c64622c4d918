"""The thin-and-dense profile of a whole ecosystem, judged against its own null model."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.analysis._graphs import (
    AFFILIATION_LAYERS,
    SimpleGraph,
    affiliation,
    auto_sources,
    check_positive_int,
    component_labels,
    igraph_seed,
    pair_triples_arrays,
    person_org_ends,
    ratio,
    relation_kind_codes,
    resolve_layers,
    simple_graph,
)
from ecograph.analysis._paths import resolve_jobs, sampled_path_length
from ecograph.analysis.roles import ROLE_LAYERS
from ecograph.core.kinds import ACTOR_KINDS, RELATION_KINDS
from ecograph.exceptions import ComputationError, EmptyGraphError

if TYPE_CHECKING:

    from ecograph.core.ecosystem import Ecosystem

__all__ = ["NULL_STATISTICS", "thin_dense_profile"]

NULL_STATISTICS: Final[tuple[str, ...]] = (
    "interlock_density",
    "interlock_repeat_share",
    "interlock_transitivity",
    "affiliation_largest_component_share",
    "multiplexity_organisations",
)
"""Profile entries compared with the degree-preserving two-mode null model."""


def _transitivity(n: int, a: np.ndarray, b: np.ndarray) -> float:
    import igraph as ig

    if len(a) < 2:
        return float("nan")
    g = ig.Graph(n=n, edges=_arrays.pairs(a, b), directed=False)
    return float(g.transitivity_undirected(mode="nan"))


class _AffiliationStats:
    """Compute the null-model statistics from the person–organisation ties of a two-mode graph.

    Works on plain index arrays (person row, organisation column), so the
    hundreds of small null graphs avoid ``scipy.sparse`` construction overhead.
    """

    def __init__(self, n_persons: int, n_orgs: int, org_pair_keys: np.ndarray,
                 org_pair_layers: np.ndarray) -> None:
        self.n_persons = n_persons
        self.n_orgs = n_orgs
        self.keys = org_pair_keys  # sorted keys a * n_orgs + b of org–org pairs linked directly
        self.layers = org_pair_layers  # number of distinct layers linking each such pair

    def __call__(self, person: np.ndarray, org: np.ndarray) -> dict[str, float]:
        import igraph as ig

        p, o = self.n_persons, self.n_orgs
        width = np.int64(max(o, 1))
        order = np.lexsort((org, person))
        person, org = person[order], org[order]
        indptr = np.zeros(p + 1, dtype=np.int64)
        np.cumsum(np.bincount(person, minlength=p), out=indptr[1:])
        t = pair_triples_arrays(indptr, org)
        ikeys, shared = np.unique(t.a * width + t.b, return_counts=True)
        n_links = len(ikeys)
        a, b = ikeys // width, ikeys % width
        out = {
            "interlocks": float(n_links),
            "interlock_density": ratio(n_links, o * (o - 1) / 2.0),
            "interlock_repeat_share": ratio(float((shared >= 2).sum()), n_links),
            "interlock_transitivity": _transitivity(o, a, b),
        }
        active = np.zeros(p + o, dtype=bool)
        active[person] = True
        active[p + org] = True
        if active.any():
            g = ig.Graph(n=p + o, edges=_arrays.pairs(person, p + org))
            labels = np.asarray(ig.GraphBase.connected_components(g), dtype=np.int64)
            out["affiliation_largest_component_share"] = ratio(
                float(np.bincount(labels[active]).max()), float(active.sum()))
        else:
            out["affiliation_largest_component_share"] = float("nan")
        union = _arrays.unique(np.concatenate([self.keys, ikeys]))  # np.union1d, sorting
        count = np.zeros(len(union), dtype=np.int64)
        count[np.searchsorted(union, self.keys)] += self.layers
        count[np.searchsorted(union, ikeys)] += 1
        out["multiplexity_organisations"] = ratio(float((count >= 2).sum()), len(union))
        return out


def _null_model(person: np.ndarray, org: np.ndarray, stats: _AffiliationStats, n_null: int,
                swaps: int, seed: int | None) -> list[dict[str, float]]:
    """Statistics of ``n_null`` degree-preserving rewirings of the two-mode graph."""
    import igraph as ig

    p = stats.n_persons
    m = len(person)
    results: list[dict[str, float]] = []
    if m < 2:  # nothing to rewire: every null graph is the observed one
        return [stats(person, org) for _ in range(n_null)]
    try:
        g = ig.Graph(n=p + stats.n_orgs, edges=_arrays.pairs(person, p + org),
                     directed=True)
        with igraph_seed(seed):
            for _ in range(n_null):  # one rewiring per null graph, each in C
                g.rewire(n=swaps * m, allowed_edge_types="simple")
                e = np.asarray(g.get_edgelist(), dtype=np.int64)
                results.append(stats(e[:, 0], e[:, 1] - p))
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph rewiring failed: {exc}") from exc
    return results


def _finite_mean_sd(values: np.ndarray) -> tuple[float, float]:
    v = values[np.isfinite(values)]
    if len(v) == 0:
        return float("nan"), float("nan")
    mean = float(v.mean())
    sd = float(v.std(ddof=1)) if len(v) > 1 else float("nan")
    return mean, sd


def _average_path_length(eco: Ecosystem, sg: SimpleGraph, key: Any, option: int | str | None,
                         seed: int | None, n_jobs: int) -> tuple[float, int]:
    """Mean shortest-path length (hops) over connected ordered pairs; exact or sampled."""
    n, m = sg.n, len(sg.src)
    k = auto_sources(option, n, m, "path_sources")
    if m == 0:
        return float("nan"), 0 if k is not None else n
    if k is None:
        try:
            return float(sg.graph.average_path_length(directed=False, unconn=True)), n
        except Exception as exc:  # pragma: no cover - igraph failure
            raise ComputationError(f"igraph path lengths failed: {exc}") from exc
    return sampled_path_length(eco, sg, key, k, seed, n_jobs=n_jobs), k


def thin_dense_profile(
    eco: Ecosystem,
    *,
    layers: str | Iterable[str] | None = None,
    interlock_layers: str | Iterable[str] = AFFILIATION_LAYERS,
    role_layers: str | Iterable[str] = ROLE_LAYERS,
    n_null: int = 100,
    null_swaps: int = 10,
    path_sources: int | str | None = "auto",
    seed: int | None = 0,
    n_jobs: int | None = 1,
) -> pd.Series:
    r"""One-line profile of how thin and how dense an ecosystem is.

    The thesis's claim is that rural ecosystems are *thin* (few persons,
    because of demography) and at the same time *dense* (the same persons
    hold many roles in each other's organisations). This profile measures
    both sides and compares the interlock structure with random networks
    that have exactly the same persons, organisations and numbers of roles,
    so a 30-actor network is judged against its own baseline.

    Parameters
    ----------
    eco : Ecosystem
    layers : str or iterable of str, optional
        Relation kinds of the combined graph (density, components,
        transitivity, paths, multiplexity); every kind by default.
    interlock_layers : str or iterable of str, default ("board_seat", "management")
        Person–organisation layers of the two-mode (interlock) graph.
    role_layers : str or iterable of str, default :data:`~ecograph.analysis.roles.ROLE_LAYERS`
        Layers whose person–organisation relations count as roles
        (board seats, management, ownership, membership by default).
    n_null : int, default 100
        Number of null-model graphs; 0 skips the null model (z-scores NaN).
    null_swaps : int, default 10
        Swap trials per person–organisation tie between consecutive null
        graphs (the chain runs on: each null graph starts from the previous
        one). The null model costs about ``n_null * null_swaps * m`` swap
        trials for ``m`` ties, in C.
    path_sources : int, "auto" or None, default "auto"
        Average path length: ``None`` exact; ``k`` estimated from ``k``
        sources drawn in every component of more than ``k`` actors (smaller
        components exact; the same sources, and the same cached searches,
        as ``node_metrics(closeness_sources=k, seed=seed)``); ``"auto"``
        exact while :math:`n m \le 2 \cdot 10^8`, else 256 sources.
    seed : int or None, default 0
        Seed of the null model and of the path sampling.
    n_jobs : int or None, default 1
        Processes for the sampled path searches (``-1``: every core); see
        :func:`~ecograph.node_metrics`.

    Returns
    -------
    Series
        Named after the ecosystem; entries (NaN where undefined, e.g. a
        share of nothing):

        *Counts*

        * ``actors``, ``persons``, ``organisations``, ``relations`` (int);
          ``actors.<kind>`` and ``relations.<kind>`` (int) for every kind;

        *Thinness*

        * ``population`` (int or NaN, from the metadata);
        * ``persons_per_1000``, ``organisations_per_1000`` (float): regional
          (non-``external``) persons / organisations per 1,000 inhabitants;
          NaN when the population is unknown or 0;

        *Density*

        * ``density`` (float): linked actor pairs / :math:`n(n-1)/2` in the
          combined graph; ``density.<layer>`` (float): the same per selected
          layer (all actors in the denominator);
        * ``two_mode_density`` (float): person–organisation ties / (persons
          × organisations) in the interlock graph;
        * ``interlocks`` (int): organisation pairs sharing a person;
          ``interlock_density`` (float): ``interlocks`` / :math:`o(o-1)/2`
          over all :math:`o` organisations;
        * ``interlock_repeat_share`` (float): share of interlocked pairs that
          share two or more persons;
        * ``interlock_transitivity`` (float): transitivity of the
          organisation interlock graph (NaN without a connected triple);
        * ``affiliation_largest_component_share`` (float): share of the
          persons and organisations with an interlock-layer tie that sit in
          the largest component of the two-mode graph;
        * ``mean_roles_per_person``, ``mean_organisations_per_person``
          (float): over every person; ``share_persons_2plus_roles``,
          ``share_persons_3plus_roles`` (float): share of persons with at
          least 2 / 3 roles;

        *Structure of the combined graph* (undirected, parallel relations
        merged)

        * ``components`` (int, isolated actors count);
          ``largest_component_share`` (float);
        * ``transitivity`` (float): global clustering, 3 × triangles /
          connected triples (NaN without any connected triple; networkx
          reports 0);
        * ``degree_centralisation`` (float): Freeman's
          :math:`\sum_i (d_{max} - d_i) / ((n-1)(n-2))` on distinct
          neighbours (NaN for :math:`n < 3`);
        * ``average_path_length`` (float): mean number of steps over ordered
          pairs that are connected (unreachable pairs left out; NaN without
          any relation); ``average_path_length.sources`` (int): BFS sources
          used (:math:`n` = exact);

        *Multiplexity*

        * ``multiplexity`` (float): share of linked actor pairs linked in
          two or more layers;
        * ``layer_overlap.<a>|<b>`` (float): Jaccard overlap
          :math:`|E_a \cap E_b| / |E_a \cup E_b|` of the linked pairs of two
          non-empty layers;
        * ``multiplexity_organisations`` (float): share of organisation
          pairs linked in two or more ways, where sharing a person
          (interlock) counts as one way and each layer of direct
          organisation–organisation relations as another;
        * ``external_bridging_share`` (float): share of regional actors with
          at least one relation to an ``external`` actor;

        *Null model* (for each statistic ``s`` of :data:`NULL_STATISTICS`)

        * ``null_mean.<s>``, ``null_sd.<s>`` (float): mean and standard
          deviation over the null graphs (NaN-valued null graphs skipped);
        * ``z.<s>`` (float): :math:`(s - \bar s_{null}) / sd_{null}`; NaN
          when the standard deviation is 0 or undefined;
        * ``n_null`` (int).

    Raises
    ------
    EmptyGraphError
        When the ecosystem has no actors.
    InputError
        For an unknown layer or a bad option.
    ComputationError
        When igraph fails.

    Notes
    -----
    **Null model.** The person–organisation graph of ``interlock_layers``
    is rewired ``n_null`` times by degree-preserving edge swaps
    :math:`(p_1, o_1), (p_2, o_2) \to (p_1, o_2), (p_2, o_1)` (igraph's
    ``rewire`` on the person → organisation directed graph,
    ``null_swaps`` :math:`\cdot m` swap trials per null graph, no multiple
    ties): every person keeps their
    number of organisations and every organisation its number of persons
    (a bipartite configuration model sampled by MCMC; the swap chain is
    uniform over the graphs with these degrees). A negative
    ``z.interlock_density`` together with a positive
    ``z.interlock_repeat_share`` says that the same persons meet again and
    again on the same boards: dense beyond what the numbers of seats
    imply. Direct organisation–organisation relations stay fixed.

    **Conventions.** Organisations are all non-person actors; ``external``
    actors count in every structural measure but not in the per-1,000
    rates. Paths count steps (unweighted).

    References
    ----------
    .. [1] S. Wasserman and K. Faust, Social Network Analysis: Methods and
       Applications, Cambridge University Press (1994) (density,
       centralisation, transitivity).
    .. [2] L. C. Freeman, "Centrality in social networks: conceptual
       clarification", Social Networks 1 (1979) 215-239.
    .. [3] M. E. J. Newman, S. H. Strogatz and D. J. Watts, "Random graphs
       with arbitrary degree distributions and their applications", Phys.
       Rev. E 64, 026118 (2001) (bipartite configuration model).
    .. [4] S. P. Borgatti and M. G. Everett, "Network analysis of 2-mode
       data", Social Networks 19 (1997) 243-269.
    .. [5] G. Strona, D. Nappo, F. Boccacci, S. Fattorini and J. San-Miguel-Ayanz,
       "A fast and unbiased procedure to randomize ecological binary
       matrices with fixed row and column totals", Nature Communications 5
       (2014) 4114 (fixed-margin null models of two-mode data).

    Examples
    --------
    >>> import pandas as pd
    >>> import ecograph
    >>> actors = pd.DataFrame({"id": ["p1", "p2", "a", "b", "c"],
    ...                        "name": ["P1", "P2", "Dairy", "Hotel", "Coop"],
    ...                        "kind": ["person", "person", "firm", "firm", "cooperative"]})
    >>> relations = pd.DataFrame({"source": ["p1", "p1", "p2", "p2", "a"],
    ...                           "target": ["a", "b", "a", "b", "c"],
    ...                           "kind": ["board_seat"] * 4 + ["supply"],
    ...                           "role": ["chair", "member", "member", "chair", None]})
    >>> eco = ecograph.Ecosystem.from_frames(actors, relations, {"population": 2000})
    >>> profile = ecograph.thin_dense_profile(eco, n_null=10)
    >>> profile[["persons_per_1000", "interlock_density", "interlock_repeat_share"]].tolist()
    [1.0, 0.3333333333333333, 1.0]
    """
    lay = resolve_layers(layers)
    ilay = resolve_layers(interlock_layers)
    rlay = resolve_layers(role_layers)
    nulls = check_positive_int(n_null, "n_null", allow_zero=True)
    swaps = check_positive_int(null_swaps, "null_swaps")
    actors = eco.actors
    n = len(actors)
    if n == 0:
        raise EmptyGraphError("the thin-and-dense profile is undefined for an ecosystem "
                              "without actors")
    kinds = actors["kind"].to_numpy(dtype=object)
    is_person = kinds == "person"
    external = actors["external"].fillna(False).to_numpy(dtype=bool)
    out: dict[str, Any] = {}

    # counts
    out["actors"] = n
    out["persons"] = int(is_person.sum())
    out["organisations"] = int((~is_person).sum())
    out["relations"] = len(eco.relations)
    for k in ACTOR_KINDS:
        out[f"actors.{k}"] = int((kinds == k).sum())
    kind_code = relation_kind_codes(eco)
    per_kind = np.bincount(kind_code[kind_code >= 0], minlength=len(RELATION_KINDS))
    for i, k in enumerate(RELATION_KINDS):
        out[f"relations.{k}"] = int(per_kind[i])

    # thinness
    pop = eco.meta.population
    out["population"] = pop if pop is not None else float("nan")
    out["persons_per_1000"] = ratio(1000.0 * (is_person & ~external).sum(), pop or 0)
    out["organisations_per_1000"] = ratio(1000.0 * (~is_person & ~external).sum(), pop or 0)

    # density per layer, multiplexity
    pairs_total = n * (n - 1) / 2.0
    sg = simple_graph(eco, lay, None)
    out["density"] = ratio(len(sg.src), pairs_total)
    src, dst, rows = eco.edge_arrays(lay)
    width = np.int64(max(n, 1))
    keep = src != dst
    pair_key = np.minimum(src, dst)[keep] * width + np.maximum(src, dst)[keep]
    layer_code = kind_code[rows][keep]
    pl = _arrays.unique(pair_key * len(RELATION_KINDS) + layer_code)
    pl_pair, pl_layer = pl // len(RELATION_KINDS), pl % len(RELATION_KINDS)
    layer_pairs = {k: pl_pair[pl_layer == i] for i, k in enumerate(RELATION_KINDS)}
    for k in lay:
        out[f"density.{k}"] = ratio(len(layer_pairs[k]), pairs_total)

    # two-mode graph and interlocks
    aff = affiliation(eco, ilay, None, None)
    n_p, n_o = aff.B.shape
    out["two_mode_density"] = ratio(aff.B.nnz, n_p * n_o)
    col_of = np.full(n, -1, dtype=np.int64)
    col_of[aff.org_vertex] = np.arange(n_o)
    both_org = ~is_person[src[keep]] & ~is_person[dst[keep]]
    oo = _arrays.unique_rows(np.column_stack([
        np.minimum(col_of[src[keep]], col_of[dst[keep]])[both_org] * np.int64(max(n_o, 1))
        + np.maximum(col_of[src[keep]], col_of[dst[keep]])[both_org],
        layer_code[both_org]]))
    oo_keys, oo_layers = np.unique(oo[:, 0], return_counts=True) if len(oo) else (
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    stats = _AffiliationStats(n_p, n_o, oo_keys.astype(np.int64), oo_layers.astype(np.int64))
    ties = aff.B.tocoo()
    t_person, t_org = ties.row.astype(np.int64), ties.col.astype(np.int64)
    observed = stats(t_person, t_org)
    out["interlocks"] = int(observed["interlocks"])
    for s in NULL_STATISTICS[:4]:
        out[s] = observed[s]

    # roles
    person, org, _ = person_org_ends(eco, rlay)
    n_roles = np.bincount(person, minlength=n)[is_person]
    n_orgs = np.bincount(_arrays.unique(person * width + org) // width, minlength=n)[is_person]
    n_pers = len(n_roles)
    out["mean_roles_per_person"] = ratio(n_roles.sum(), n_pers)
    out["mean_organisations_per_person"] = ratio(n_orgs.sum(), n_pers)
    out["share_persons_2plus_roles"] = ratio((n_roles >= 2).sum(), n_pers)
    out["share_persons_3plus_roles"] = ratio((n_roles >= 3).sum(), n_pers)

    # structure of the combined graph
    g = sg.graph
    _, sizes = component_labels(g)
    out["components"] = len(sizes)
    out["largest_component_share"] = ratio(sizes[0], n)
    try:
        out["transitivity"] = float(g.transitivity_undirected(mode="nan"))
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph transitivity failed: {exc}") from exc
    deg = sg.degree
    out["degree_centralisation"] = (float((deg.max() - deg).sum()) / ((n - 1) * (n - 2))
                                    if n >= 3 else float("nan"))
    apl, used = _average_path_length(eco, sg, (lay, None), path_sources, seed,
                                     resolve_jobs(n_jobs))
    out["average_path_length"] = apl
    out["average_path_length.sources"] = used

    # multiplexity
    linked, n_layers = np.unique(pl_pair, return_counts=True)
    out["multiplexity"] = ratio((n_layers >= 2).sum(), len(linked))
    present = [k for k in lay if len(layer_pairs[k])]
    for a, b in itertools.combinations(present, 2):
        inter = len(np.intersect1d(layer_pairs[a], layer_pairs[b], assume_unique=True))
        union = len(layer_pairs[a]) + len(layer_pairs[b]) - inter
        out[f"layer_overlap.{a}|{b}"] = ratio(inter, union)
    out["multiplexity_organisations"] = observed["multiplexity_organisations"]
    out["affiliation_largest_component_share"] = observed["affiliation_largest_component_share"]
    regional = ~external
    touches = np.zeros(n, dtype=bool)
    cross = external[src] != external[dst]
    touches[src[cross]] = True
    touches[dst[cross]] = True
    out["external_bridging_share"] = ratio((touches & regional).sum(), regional.sum())

    # null model
    out["n_null"] = nulls
    null = _null_model(t_person, t_org, stats, nulls, swaps, seed) if nulls else []
    for s in NULL_STATISTICS:
        values = np.asarray([r[s] for r in null], dtype=np.float64)
        mean, sd = _finite_mean_sd(values)
        obs = observed[s]
        out[f"null_mean.{s}"] = mean
        out[f"null_sd.{s}"] = sd
        ok = np.isfinite(obs) and np.isfinite(sd) and sd > 1e-12
        out[f"z.{s}"] = (obs - mean) / sd if ok else float("nan")
    clean = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in out.items()}
    return pd.Series(clean, name=eco.meta.name, dtype=object)
