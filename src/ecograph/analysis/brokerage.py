"""Brokerage: Burt's structural holes and Gould–Fernandez brokerage roles."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ecograph import _arrays
from ecograph.analysis._graphs import (
    relation_strengths,
    resolve_layers,
    safe_divide,
    simple_graph,
    wsum,
)
from ecograph.core.kinds import RELATION_RULES
from ecograph.exceptions import EmptyGraphError, InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["GF_ROLES", "TWO_WAY_LAYERS", "brokerage", "gould_fernandez", "structural_holes"]

GF_ROLES: Final[tuple[str, ...]] = (
    "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
)
"""The five Gould–Fernandez brokerage roles."""

TWO_WAY_LAYERS: Final[tuple[str, ...]] = (
    "board_seat", "management", "membership", "coopetition", "tie",
)
"""Layers whose relations carry flows both ways in :func:`brokerage` by default."""

_WORK_PER_CHUNK = 4_000_000  # products / two-paths materialised at once


def _row_chunks(work: np.ndarray) -> list[tuple[int, int]]:
    """Split rows into consecutive ranges of bounded total ``work``."""
    n = len(work)
    if n == 0:
        return []
    cum = np.cumsum(work)
    bounds = [0]
    while bounds[-1] < n:
        start = bounds[-1]
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + _WORK_PER_CHUNK, side="right"))
        bounds.append(max(stop, start + 1))
    bounds[-1] = n
    return list(itertools.pairwise(bounds))


def _masked_product(X: sp.csr_matrix, Y: sp.csr_matrix, mask: sp.csr_matrix) -> np.ndarray:
    """``(X @ Y)[i, j]`` for every stored entry ``(i, j)`` of ``mask``, in ``mask.data`` order.

    Computed in row chunks so the fill-in of ``X @ Y`` never sits in memory at once.
    """
    out = np.zeros(mask.nnz)
    y_len = np.diff(Y.indptr)
    work = np.asarray(sp.csr_matrix((y_len[X.indices], X.indices, X.indptr), shape=X.shape)
                      .sum(axis=1)).ravel() + 1
    width = np.int64(max(mask.shape[1], 1))
    for lo, hi in _row_chunks(work):
        Z = (X[lo:hi] @ Y).tocsr()
        Z.sort_indices()
        zrow = np.repeat(np.arange(lo, hi, dtype=np.int64), np.diff(Z.indptr))
        zkey = zrow * width + Z.indices
        s, e = mask.indptr[lo], mask.indptr[hi]
        mrow = np.repeat(np.arange(lo, hi, dtype=np.int64), np.diff(mask.indptr[lo:hi + 1]))
        mkey = mrow * width + mask.indices[s:e]
        if len(zkey) == 0 or len(mkey) == 0:
            continue
        pos = np.minimum(np.searchsorted(zkey, mkey), len(zkey) - 1)
        hit = zkey[pos] == mkey
        vals = np.zeros(len(mkey))
        vals[hit] = Z.data[pos[hit]]
        out[s:e] = vals
    return out


def structural_holes(A: sp.csr_matrix) -> dict[str, np.ndarray]:
    r"""Burt's constraint, effective size, efficiency and hierarchy from a symmetric adjacency.

    Parameters
    ----------
    A : csr_matrix
        Symmetric, non-negative tie strengths, zero diagonal.

    Returns
    -------
    dict of ndarray
        ``contacts``, ``constraint``, ``effective_size``, ``efficiency``,
        ``hierarchy`` (see :func:`brokerage`).

    Notes
    -----
    The formulas and the NaN conventions are those of :func:`brokerage`,
    which calls this on the merged graph of an ecosystem. The products
    :math:`P^2` are only evaluated at the stored entries of ``A``
    (row-chunked), so memory stays linear in the number of ties.

    References
    ----------
    .. [1] R. S. Burt, Structural Holes: The Social Structure of
       Competition, Harvard University Press (1992).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> star = sp.csr_matrix(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    >>> holes = structural_holes(star)
    >>> holes["constraint"].tolist(), holes["effective_size"].tolist()
    ([0.5, 1.0, 1.0], [2.0, 1.0, 1.0])
    """
    A = sp.csr_matrix(A, dtype=np.float64)
    A.eliminate_zeros()
    A.sort_indices()
    n = A.shape[0]
    deg = np.diff(A.indptr).astype(np.float64)
    s = np.asarray(A.sum(axis=1)).ravel()
    inv_s = safe_divide(1.0, s, 0.0)
    P = sp.diags(inv_s) @ A
    P = sp.csr_matrix(P)
    P.sort_indices()
    rowmax = np.zeros(n)
    nonempty = deg > 0
    if nonempty.any():
        rowmax[nonempty] = np.maximum.reduceat(A.data, A.indptr[:-1][nonempty])
    inv_max = safe_divide(1.0, rowmax, 0.0)
    M = sp.csr_matrix(sp.diags(inv_max) @ A)
    M.sort_indices()
    pattern = sp.csr_matrix((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    indirect = _masked_product(P, P, P)
    dyadic = (P.data + indirect) ** 2
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    constraint = wsum(row, dyadic, n)
    redundancy = wsum(row, P.data * _masked_product(pattern, M, P), n)
    isolate = deg == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = deg - redundancy
        efficiency = effective / deg
        share = dyadic / (constraint[row] / deg[row])
        terms = np.where(share > 0, share * np.log(np.where(share > 0, share, 1.0)), 0.0)
        hierarchy = wsum(row, terms, n) / (deg * np.log(deg))
    constraint[isolate] = np.nan
    effective[isolate] = np.nan
    efficiency[isolate] = np.nan
    hierarchy[deg <= 1] = np.nan
    return {"contacts": deg.astype(np.int64), "constraint": constraint,
            "effective_size": effective, "efficiency": efficiency, "hierarchy": hierarchy}


def gould_fernandez(n: int, src: np.ndarray, dst: np.ndarray, group: np.ndarray) -> np.ndarray:
    r"""Gould–Fernandez role counts per broker on a directed graph.

    Parameters
    ----------
    n : int
        Number of vertices.
    src, dst : ndarray of int
        Directed edges (duplicates and self-loops are ignored).
    group : ndarray of int
        Group code per vertex; negative = missing (two-paths touching such
        a vertex are not counted).

    Returns
    -------
    ndarray, shape (n, 5)
        Counts per broker in the order of :data:`GF_ROLES`.

    Notes
    -----
    Two-paths are enumerated in chunks of bounded size (numpy only); an
    open two-path :math:`a \to b \to c` (no tie :math:`a \to c`, :math:`a \ne c`)
    is classified by the groups as in :func:`brokerage`.

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a
       formal approach to brokerage in transaction networks", Sociological
       Methodology 19 (1989) 89-126.

    Examples
    --------
    >>> gould_fernandez(3, np.array([0, 1]), np.array([1, 2]), np.array([0, 0, 1]))[1].tolist()
    [0, 0, 1, 0, 0]
    """
    counts = np.zeros((n, len(GF_ROLES)), dtype=np.int64)
    keep = src != dst
    width = np.int64(max(n, 1))
    key = _arrays.unique(src[keep] * width + dst[keep])
    if len(key) == 0:
        return counts
    a_all = key // width
    b_all = key % width
    # out-adjacency CSR (sorted by source) and in-edges grouped by broker
    out_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a_all, minlength=n), out=out_ptr[1:])
    out_idx = b_all  # key sorted => grouped by source, targets ascending
    order = np.argsort(b_all, kind="stable")
    in_a, in_b = a_all[order], b_all[order]
    outdeg = np.diff(out_ptr)
    work = outdeg[in_b]
    for lo, hi in _row_chunks(work):
        ea, eb = in_a[lo:hi], in_b[lo:hi]
        cnt = work[lo:hi]
        total = int(cnt.sum())
        if total == 0:
            continue
        A = np.repeat(ea, cnt)
        B = np.repeat(eb, cnt)
        offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        C = out_idx[out_ptr[B] + offset]
        direct = key[np.minimum(np.searchsorted(key, A * width + C), len(key) - 1)] == A * width + C
        ok = (A != C) & ~direct
        ga, gb, gc = group[A[ok]], group[B[ok]], group[C[ok]]
        brokers = B[ok]
        known = (ga >= 0) & (gb >= 0) & (gc >= 0)
        ga, gb, gc, brokers = ga[known], gb[known], gc[known], brokers[known]
        role = np.full(len(brokers), 4, dtype=np.int64)  # liaison: all differ
        role[(ga == gc) & (ga != gb)] = 1  # itinerant
        role[(ga == gb) & (gb != gc)] = 2  # representative
        role[(gb == gc) & (ga != gb)] = 3  # gatekeeper
        role[(ga == gb) & (gb == gc)] = 0  # coordinator
        counts += np.bincount(brokers * len(GF_ROLES) + role,
                              minlength=n * len(GF_ROLES)).reshape(n, len(GF_ROLES))
    return counts


def _groups(eco: Ecosystem, groups: str | pd.Series | Mapping[str, Any]) -> pd.Series:
    if isinstance(groups, str):
        if groups not in eco.actors.columns:
            raise InputError(f"groups {groups!r} is not an actor column; expected one of "
                             f"{list(eco.actors.columns)} or a Series indexed by actor id")
        return eco.actors[groups]
    series = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups), dtype=object)
    unknown = series.index.difference(eco.actors.index)
    if len(unknown):
        raise InputError(f"groups names actors that are not in the ecosystem, e.g. {unknown[0]!r}")
    return series.reindex(eco.actors.index)


def brokerage(
    eco: Ecosystem,
    *,
    groups: str | pd.Series | Mapping[str, Any] = "kind",
    layers: str | Iterable[str] | None = None,
    two_way: str | Iterable[str] | None = TWO_WAY_LAYERS,
    weighted: bool = True,
    weight: str | None = "weight",
) -> pd.DataFrame:
    r"""Burt's structural holes and Gould–Fernandez brokerage roles per actor.

    Parameters
    ----------
    eco : Ecosystem
    groups : str, Series or mapping, default "kind"
        Actor column (``"kind"``, ``"municipality"``, any extra attribute)
        or a Series / dict from actor id to group for the Gould–Fernandez
        roles. Actors without a group (missing value) are left out of
        every two-path they take part in.
    layers : str or iterable of str, optional
        Relation kinds to use; every kind by default.
    two_way : str, iterable of str or None, default :data:`TWO_WAY_LAYERS`
        For the Gould–Fernandez roles: layers (by default ``board_seat``,
        ``management``, ``membership``, ``coopetition``, ``tie``) whose relations carry flows
        in both directions (a board member passes information both ways);
        relations of the other selected layers keep their stored direction
        (ownership, supply, support, funding, knowledge links flow from
        source to target). Symmetric kinds are always two-way.
    weighted : bool, default True
        Burt's measures with tie strengths :math:`a_{ij}` (the summed
        strength of the relations between :math:`i` and :math:`j`);
        ``False`` gives every linked pair strength 1.
    weight : str or None, default "weight"
        Numeric relation column read as strength (empty cell = 1).

    Returns
    -------
    DataFrame
        One row per actor, index ``actor_id``, in the order of
        ``eco.actors``. Columns:

        * ``group`` (str): the actor's group;
        * ``contacts`` (int): distinct linked actors;
        * ``constraint`` (float): Burt's aggregate constraint
          :math:`C_i = \sum_{j} c_{ij}`; NaN for isolates;
        * ``effective_size`` (float): Burt's effective size; NaN for isolates;
        * ``efficiency`` (float): ``effective_size / contacts``; NaN for isolates;
        * ``hierarchy`` (float): Burt's hierarchy; NaN for fewer than two
          contacts;
        * ``gf_coordinator``, ``gf_itinerant``, ``gf_representative``,
          ``gf_gatekeeper``, ``gf_liaison`` (int): number of brokered
          two-paths :math:`a \to b \to c` by role, and ``gf_total`` (int).

    Raises
    ------
    EmptyGraphError
        When the ecosystem has no actors.
    InputError
        For an unknown layer, group column or weight column.

    Notes
    -----
    **Structural holes** (Burt 1992) on the undirected graph of ``layers``
    with :math:`p_{ij} = a_{ij} / \sum_k a_{ik}` (for symmetric ties this
    equals Burt's :math:`(a_{ij}+a_{ji})/\sum_k (a_{ik}+a_{ki})`; merging
    the two directions of a directed relation into one tie of summed
    strength reproduces Burt's directed formula):

    * dyadic constraint :math:`c_{ij} = (p_{ij} + \sum_{q \ne i,j} p_{iq} p_{qj})^2`
      for contacts :math:`j`, aggregate :math:`C_i = \sum_j c_{ij}`;
    * effective size :math:`\sum_j (1 - \sum_{q \ne i,j} p_{iq} m_{jq})`
      with :math:`m_{jq} = a_{jq} / \max_k a_{jk}`; unweighted it is
      Borgatti's :math:`N - 2t/N` (:math:`t` ties among the :math:`N` contacts);
    * hierarchy :math:`H_i = \frac{\sum_j r_{ij} \ln r_{ij}}{N \ln N}` with
      :math:`r_{ij} = c_{ij} / (C_i / N)`: 0 when every contact constrains
      equally, 1 when one contact holds all the constraint.

    The products :math:`P^2` are only evaluated at the :math:`m` stored
    ties (row-chunked sparse products), so memory stays linear.

    **Gould–Fernandez roles** (Gould & Fernandez 1989) count, for a broker
    :math:`b`, the ordered pairs :math:`(a, c)`, :math:`a \ne c`, with ties
    :math:`a \to b \to c` and **no** tie :math:`a \to c`, by the groups of
    :math:`a, b, c`: coordinator (all three in one group), itinerant /
    consultant (:math:`a, c` in one group, :math:`b` outside), representative
    (:math:`a, b` together, :math:`c` outside), gatekeeper (:math:`b, c`
    together, :math:`a` outside), liaison (all three differ). A two-way
    relation is a pair of opposite ties, so an open undirected triad
    :math:`a - b - c` is counted for :math:`(a, c)` and for :math:`(c, a)`
    (as in UCINET and R ``sna::brokerage``).

    References
    ----------
    .. [1] R. S. Burt, Structural Holes: The Social Structure of
       Competition, Harvard University Press (1992).
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy
       measures", Connections 20(1) (1997) 35-38.
    .. [3] R. V. Gould and R. M. Fernandez, "Structures of mediation: a
       formal approach to brokerage in transaction networks", Sociological
       Methodology 19 (1989) 89-126.

    Examples
    --------
    >>> import pandas as pd
    >>> import ecograph
    >>> actors = pd.DataFrame({"id": ["p1", "a", "b", "c"], "name": ["P1", "A", "B", "C"],
    ...                        "kind": ["person", "firm", "firm", "cooperative"]})
    >>> relations = pd.DataFrame({"source": ["p1", "p1", "p1"], "target": ["a", "b", "c"],
    ...                           "kind": "board_seat", "role": ["chair", "member", "member"]})
    >>> eco = ecograph.Ecosystem.from_frames(actors, relations)
    >>> b = ecograph.brokerage(eco)
    >>> b[["contacts", "constraint", "effective_size", "gf_itinerant", "gf_liaison"]]
              contacts  constraint  effective_size  gf_itinerant  gf_liaison
    actor_id
    p1               3    0.333333             3.0             2           4
    a                1    1.000000             1.0             0           0
    b                1    1.000000             1.0             0           0
    c                1    1.000000             1.0             0           0
    """
    lay = resolve_layers(layers)
    n = len(eco.actors)
    if n == 0:
        raise EmptyGraphError("brokerage is undefined for an ecosystem without actors")
    both: tuple[str, ...] = ()
    if two_way is not None and (isinstance(two_way, str) or list(two_way)):
        both = resolve_layers(two_way)
    group = _groups(eco, groups)
    sg = simple_graph(eco, lay, weight)
    holes = structural_holes(sg.adjacency(weighted))

    src, dst, rows = eco.edge_arrays(lay)
    strength = relation_strengths(eco, rows, weight)
    live = strength > 0
    src, dst, rows = src[live], dst[live], rows[live]
    kinds = eco.relations["kind"].to_numpy(dtype=object)[rows]
    symmetric = {k for k, rule in RELATION_RULES.items() if not rule.directed}
    two = np.isin(kinds, np.asarray(sorted(set(both) | symmetric), dtype=object))
    d_src = np.concatenate([src, dst[two]])
    d_dst = np.concatenate([dst, src[two]])
    codes = np.asarray(pd.Categorical(group.astype(object).where(group.notna(), None)).codes,
                       dtype=np.int64)
    gf = gould_fernandez(n, d_src, d_dst, codes)

    out: dict[str, Any] = {"group": pd.array(group.astype("string").to_numpy(), dtype="string")}
    out.update(holes)
    for j, role in enumerate(GF_ROLES):
        out[f"gf_{role}"] = gf[:, j]
    out["gf_total"] = gf.sum(axis=1)
    return pd.DataFrame(out, index=pd.Index(eco.actors.index, name="actor_id", dtype="string"))
