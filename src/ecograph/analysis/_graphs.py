"""Shared graph building for the thin-and-dense analyses (private).

Everything here is vectorised: numpy arrays of vertex indices in, igraph
graphs or ``scipy.sparse`` matrices out. Vertex ``i`` is always actor
``eco.actors.index[i]``.

Weight semantics (used by every module of :mod:`ecograph.analysis`):

* a relation's **strength** is the value of a numeric relation column
  (``weight`` by default; an empty cell means 1.0). Strengths are additive:
  parallel relations between the same two actors (a chair who is also the
  CEO) form one tie whose strength is the sum.
* path measures need **distances**; a tie of strength ``s`` has distance
  ``1 / s`` (:func:`strength_to_distance`), so a stronger tie is a shorter
  one. A strength of 0 is no tie (distance infinity); such ties are dropped.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ecograph import _arrays
from ecograph.core._lookup import positions
from ecograph.core.kinds import RELATION_KINDS
from ecograph.exceptions import ComputationError, InputError

if TYPE_CHECKING:
    import igraph as ig
    from numpy.typing import ArrayLike

    from ecograph.core.ecosystem import Ecosystem

__all__ = [
    "AFFILIATION_LAYERS",
    "Affiliation",
    "PairTriples",
    "SimpleGraph",
    "affiliation",
    "auto_sources",
    "cached",
    "check_positive_int",
    "component_labels",
    "cooccurrence",
    "igraph_seed",
    "object_values",
    "pair_triples",
    "pair_triples_arrays",
    "pair_values",
    "person_org_ends",
    "project",
    "ratio",
    "relation_kind_codes",
    "relation_strengths",
    "resolve_layers",
    "safe_divide",
    "simple_graph",
    "sorted_order",
    "strength_to_distance",
    "tie_matrix",
    "wsum",
]

AFFILIATION_LAYERS: Final[tuple[str, ...]] = ("board_seat", "management")
"""Default person–organisation layers of the interlock (two-mode) graph."""

AUTO_EXACT_LIMIT: Final[float] = 2e8
"""``"auto"`` path measures are exact while ``n * m`` stays below this (a few seconds)."""

AUTO_SOURCES: Final[int] = 256
"""Number of sampled BFS sources ``"auto"`` uses above :data:`AUTO_EXACT_LIMIT`."""

T = TypeVar("T")


# --------------------------------------------------------------------- small helpers
def cached(eco: Ecosystem, key: Hashable, factory: Callable[[], T]) -> T:
    """Return ``factory()`` cached on the ecosystem under ``("ecograph.analysis", key)``.

    Ecosystems are immutable by convention, so derived graphs can be reused
    by every analysis of the same object.
    """
    full = ("ecograph.analysis", key)
    store: dict[Any, Any] = eco._cache
    if full not in store:
        store[full] = factory()
    return store[full]  # type: ignore[no-any-return]


def relation_kind_codes(eco: Ecosystem) -> np.ndarray:
    """Each relation's kind as its position in ``RELATION_KINDS`` (cached on the ecosystem).

    Masks of one layer are then integer comparisons, ``codes == RELATION_KINDS.index(k)``,
    not string comparisons over every relation.
    """
    return cached(eco, "relation_kind_codes",
                  lambda: positions(eco.relations["kind"], list(RELATION_KINDS)))


def resolve_layers(layers: str | Iterable[str] | None,
                   default: Iterable[str] = RELATION_KINDS) -> tuple[str, ...]:
    """Validate a layer selection; ``None`` means ``default``.

    Raises
    ------
    InputError
        For an unknown layer name or an empty selection.
    """
    if layers is None:
        key = tuple(default)
    else:
        if isinstance(layers, str):
            layers = (layers,)
        key = tuple(dict.fromkeys(str(k) for k in layers))
    unknown = [k for k in key if k not in RELATION_KINDS]
    if unknown:
        raise InputError(f"unknown layer(s) {unknown}; expected some of {list(RELATION_KINDS)}")
    if not key:
        raise InputError(f"empty layer selection; expected some of {list(RELATION_KINDS)}")
    return key


def check_positive_int(value: object, name: str, *, allow_zero: bool = False) -> int:
    """Return ``value`` as int; :class:`InputError` unless it is a positive integer (or 0)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{name} must be an integer, got {value!r}")
    low = 0 if allow_zero else 1
    if int(value) < low:
        raise InputError(f"{name} must be >= {low}, got {value!r}")
    return int(value)


def auto_sources(option: int | str | None, n: int, m: int, name: str) -> int | None:
    """Resolve a ``*_sources`` option to a number of sampled sources, or ``None`` (exact).

    ``None`` means exact; an integer ``k`` means ``min(k, n)`` sampled sources
    (``k >= n`` is exact); ``"auto"`` is exact while ``n * m <=``
    :data:`AUTO_EXACT_LIMIT` and samples :data:`AUTO_SOURCES` sources above.
    """
    if option is None:
        return None
    if isinstance(option, str):
        if option != "auto":
            raise InputError(f"{name} must be None, 'auto' or a positive integer, got {option!r}")
        return None if float(n) * float(max(m, 1)) <= AUTO_EXACT_LIMIT else AUTO_SOURCES
    k = check_positive_int(option, name)
    return None if k >= n else k


@contextlib.contextmanager
def igraph_seed(seed: int | None) -> Iterator[None]:
    """Run igraph's random functions from a private ``random.Random(seed)``.

    igraph draws from the global :mod:`random` module by default; this
    context swaps in a private generator (so results are reproducible and
    the caller's global random state is left untouched) and restores the
    global one afterwards.
    """
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def wsum(index: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """``np.bincount(index, weights, minlength=n)`` as float64 (also when ``index`` is empty)."""
    return np.bincount(index, weights=weights, minlength=n).astype(np.float64, copy=False)


def object_values(series: pd.Series) -> np.ndarray:
    """Values of a column as an object array with ``None`` for missing cells."""
    return np.asarray(series.astype(object).where(series.notna(), None), dtype=object)


def sorted_order(ids: np.ndarray) -> np.ndarray:
    """Rank of every id in lexicographic order (``rank[i] < rank[j]`` iff ``ids[i] < ids[j]``)."""
    order = np.argsort(np.asarray(ids, dtype=str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def component_labels(g: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Connected components labelled by size: 0 is the largest (ties: lowest vertex first).

    Returns
    -------
    (labels, sizes) : tuple of ndarray
        Component label per vertex and the size of each label.
    """
    n = g.vcount()
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    import igraph as ig

    # the C-level call returns the membership list; Graph.connected_components() would also
    # build a VertexClustering with Python-level work per vertex
    membership = np.asarray(ig.GraphBase.connected_components(g), dtype=np.int64)
    sizes = np.bincount(membership)
    first = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first, membership, np.arange(n, dtype=np.int64))
    order = np.lexsort((first, -sizes))
    relabel = np.empty(len(sizes), dtype=np.int64)
    relabel[order] = np.arange(len(sizes))
    return relabel[membership], sizes[order]


# --------------------------------------------------------------------- strengths
def relation_strengths(eco: Ecosystem, rows: np.ndarray, weight: str | None) -> np.ndarray:
    """Strength of the relations at ``rows`` (positions in ``eco.relations``).

    Parameters
    ----------
    eco : Ecosystem
    rows : ndarray of int
    weight : str or None
        Numeric relation column read as strength (empty cell -> 1.0);
        ``None`` gives every relation strength 1.

    Raises
    ------
    InputError
        When the column is missing, not numeric, or holds a negative value.
    """
    if weight is None:
        return np.ones(len(rows), dtype=np.float64)
    rel = eco.relations
    if weight not in rel.columns:
        numeric = [c for c in rel.columns if pd.api.types.is_numeric_dtype(rel[c].dtype)
                   and not pd.api.types.is_bool_dtype(rel[c].dtype)]
        raise InputError(f"weight column {weight!r} is not a relation column; "
                         f"expected one of {numeric} or None")
    col = rel[weight]
    if pd.api.types.is_bool_dtype(col.dtype) or not pd.api.types.is_numeric_dtype(col.dtype):
        raise InputError(f"weight column {weight!r} must be numeric, got dtype {col.dtype}")
    values = col.to_numpy(dtype=np.float64, na_value=np.nan)[rows]
    values = np.where(np.isnan(values), 1.0, values)
    if (values < 0).any():
        bad = float(values[values < 0][0])
        raise InputError(f"weight column {weight!r} holds a negative strength ({bad}); "
                         "strengths must be >= 0")
    return values


def safe_divide(num: ArrayLike, den: ArrayLike, fill: float) -> np.ndarray:
    """Elementwise ``num / den`` where ``den > 0``, ``fill`` elsewhere, without numpy warnings.

    The one NaN-safe division of the analyses (zero or missing denominators
    give ``fill``: ``0.0``, ``nan`` or ``inf`` by the caller's convention).

    Examples
    --------
    >>> safe_divide(np.array([1.0, 1.0, 2.0]), np.array([2.0, 0.0, np.nan]), np.nan)
    array([0.5, nan, nan])
    """
    d = np.asarray(den, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        ok = d > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, np.asarray(num, dtype=np.float64) / np.where(ok, d, 1.0), fill)


def ratio(num: float, den: float) -> float:
    """Scalar ``num / den`` as a Python float; ``nan`` when ``den`` is 0.

    Examples
    --------
    >>> ratio(1, 4), ratio(1, 0)
    (0.25, nan)
    """
    return float(num) / float(den) if den else float("nan")


def strength_to_distance(strength: np.ndarray) -> np.ndarray:
    """Distance of ties with the given strengths: ``1 / strength`` (``inf`` for 0).

    Examples
    --------
    >>> strength_to_distance(np.array([1.0, 2.0, 0.0]))
    array([1. , 0.5, inf])
    """
    return safe_divide(1.0, strength, np.inf)


# --------------------------------------------------------------------- simple graph
@dataclass(frozen=True)
class SimpleGraph:
    """Undirected simple graph of some layers; parallel relations merged.

    Attributes
    ----------
    graph : igraph.Graph
        ``n`` vertices (every actor), edges ``(u, v)`` with ``u < v``, in the
        order of ``src``/``dst``; no attributes (strengths are in ``strength``,
        distances are ``strength_to_distance(strength)``). Shared and cached:
        treat as read-only.
    src, dst : ndarray of int
        Edge endpoints (``src < dst``), in the graph's edge order.
    strength : ndarray of float
        Summed strength per edge (> 0).
    multiplicity : ndarray of int
        Number of relations merged into each edge.
    n : int
        Number of vertices (actors).
    """

    graph: ig.Graph
    src: np.ndarray
    dst: np.ndarray
    strength: np.ndarray
    multiplicity: np.ndarray
    n: int

    def adjacency(self, weighted: bool) -> sp.csr_matrix:
        """Symmetric CSR adjacency (strengths when ``weighted``, else 0/1)."""
        w = self.strength if weighted else np.ones(len(self.src))
        r = np.concatenate([self.src, self.dst])
        c = np.concatenate([self.dst, self.src])
        return sp.csr_matrix((np.concatenate([w, w]), (r, c)), shape=(self.n, self.n))

    @property
    def degree(self) -> np.ndarray:
        """Number of distinct neighbours per vertex."""
        return np.bincount(np.concatenate([self.src, self.dst]), minlength=self.n)


def _build_simple(n: int, src: np.ndarray, dst: np.ndarray, strength: np.ndarray) -> SimpleGraph:
    import igraph as ig

    keep = (src != dst) & (strength > 0)
    u = np.minimum(src[keep], dst[keep])
    v = np.maximum(src[keep], dst[keep])
    key = u * np.int64(max(n, 1)) + v
    uniq, inv = _arrays.unique(key, return_inverse=True)
    s = wsum(inv, strength[keep], len(uniq))
    mult = np.bincount(inv, minlength=len(uniq)).astype(np.int64)
    eu = (uniq // max(n, 1)).astype(np.int64)
    ev = (uniq % max(n, 1)).astype(np.int64)
    try:
        # no edge attributes: strengths stay in numpy (a Python list attribute costs
        # 32 bytes per edge); weighted searches pass them as lists when they run
        g = ig.Graph(n=n, edges=_arrays.pairs(eu, ev), directed=False)
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph could not build the graph: {exc}") from exc
    return SimpleGraph(g, eu, ev, s, mult, n)


def simple_graph(eco: Ecosystem, layers: tuple[str, ...],
                 weight: str | None = "weight") -> SimpleGraph:
    """The undirected simple graph of ``layers`` over every actor (cached).

    Parallel relations (several layers, or several roles in one layer)
    between two actors become one edge whose strength is their summed
    strength (see :func:`relation_strengths`). Relations of strength 0 are
    left out.
    """
    def build() -> SimpleGraph:
        src, dst, rows = eco.edge_arrays(layers)
        return _build_simple(len(eco.actors), src, dst, relation_strengths(eco, rows, weight))

    return cached(eco, ("simple", layers, weight), build)


# --------------------------------------------------------------------- 0/1 matrices
def tie_matrix(eco: Ecosystem, layers: str | Iterable[str] | None,
               dtype: type[np.number[Any]] = np.int32) -> sp.csr_matrix:
    """Symmetric 0/1 actor × actor matrix: 1 when a relation of ``layers`` joins the two either way.

    Parallel relations count once; a self-relation gives a diagonal 1.
    Not cached (cheap); vertex ``i`` is ``eco.actors.index[i]``.
    """
    n = len(eco.actors)
    src, dst, _ = eco.edge_arrays(layers)
    m = sp.csr_matrix((np.ones(2 * len(src), dtype=dtype),
                       (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n))
    m.sum_duplicates()
    m.data[:] = 1
    return m


def cooccurrence(eco: Ecosystem, layers: Iterable[str], *, group: str) -> sp.csr_matrix:
    """Actor × actor int32 matrix of how many ``group`` ends two actors share (cached).

    For relations of ``layers``, ``group="source"`` counts shared sources
    (persons on both boards, owners of both), ``group="target"`` shared
    targets (networks both are members of). Parallel relations between the
    same two actors count once: the result is ``I.T @ I`` for the binary
    incidence ``I[group end, other end]``.
    """
    key = tuple(layers)

    def build() -> sp.csr_matrix:
        n = len(eco.actors)
        src, dst, _ = eco.edge_arrays(list(key))
        if len(src) == 0:
            return sp.csr_matrix((n, n), dtype=np.int32)
        g, m = (src, dst) if group == "source" else (dst, src)
        inc = sp.csr_matrix((np.ones(len(g), dtype=np.int32), (g, m)), shape=(n, n))
        inc.sum_duplicates()
        inc.data[:] = 1
        return sp.csr_matrix(inc.T @ inc)

    return cached(eco, ("cooccurrence", key, group), build)


def pair_values(matrix: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Entries ``matrix[a[k], b[k]]`` (0 where absent) as a flat array of the matrix's dtype."""
    if len(a) == 0:
        return np.zeros(0, dtype=matrix.dtype)
    return np.asarray(matrix[np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)]).ravel()


# --------------------------------------------------------------------- two-mode
def person_org_ends(eco: Ecosystem,
                    layers: str | Iterable[str] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Person and organisation ends of the person–organisation relations of ``layers``.

    A relation counts when exactly one of its ends is a person, whatever its
    stored direction; relations between two persons or two organisations are
    left out.

    Returns
    -------
    (person, org, rows) : tuple of ndarray of int
        Vertex of the person end, vertex of the organisation end and row
        position in ``eco.relations``, one entry per relation, in the order
        of :meth:`Ecosystem.edge_arrays`.
    """
    is_person = eco.actors["kind"].to_numpy(dtype=object) == "person"
    src, dst, rows = eco.edge_arrays(layers)
    keep = is_person[src] != is_person[dst]
    src, dst, rows = src[keep], dst[keep], rows[keep]
    src_is_person = is_person[src]
    return np.where(src_is_person, src, dst), np.where(src_is_person, dst, src), rows


@dataclass(frozen=True)
class Affiliation:
    """The person × organisation incidence matrix of some layers.

    Rows are every person and columns every organisation, both in
    lexicographic order of their ids, so a pair ``(i, j)`` with ``i < j``
    has ``ids[i] < ids[j]``.

    Attributes
    ----------
    B : scipy.sparse.csr_matrix
        ``B[p, o] = 1`` when person ``p`` holds at least one selected role in
        organisation ``o`` (sorted indices, no explicit zeros).
    S : scipy.sparse.csr_matrix
        Same pattern; ``S[p, o]`` is the summed strength of ``p``'s
        relations with ``o``.
    R : scipy.sparse.csr_matrix
        Same pattern; ``R[p, o]`` is the number of ``p``'s relations with ``o``.
    person_vertex, org_vertex : ndarray of int
        Vertex index (row of ``eco.actors``) of each row / column.
    person_ids, org_ids : ndarray of object
        Actor id of each row / column.
    """

    B: sp.csr_matrix
    S: sp.csr_matrix
    R: sp.csr_matrix
    person_vertex: np.ndarray
    org_vertex: np.ndarray
    person_ids: np.ndarray
    org_ids: np.ndarray


def affiliation(eco: Ecosystem, layers: tuple[str, ...] = AFFILIATION_LAYERS,
                roles: tuple[str, ...] | None = None, weight: str | None = "weight") -> Affiliation:
    """Build the person × organisation incidence matrix (cached).

    Only relations of ``layers`` with exactly one person end count (a
    person's tie to an organisation, in either stored direction); with
    ``roles`` only relations whose ``role`` is one of them.
    """
    def build() -> Affiliation:
        is_person = eco.actors["kind"].to_numpy(dtype=object) == "person"
        ids = eco.actors.index.to_numpy(dtype=object)
        p_vert = np.flatnonzero(is_person)
        o_vert = np.flatnonzero(~is_person)
        p_vert = p_vert[np.argsort(np.asarray(ids[p_vert], dtype=str), kind="stable")]
        o_vert = o_vert[np.argsort(np.asarray(ids[o_vert], dtype=str), kind="stable")]
        row_of = np.full(len(ids), -1, dtype=np.int64)
        col_of = np.full(len(ids), -1, dtype=np.int64)
        row_of[p_vert] = np.arange(len(p_vert))
        col_of[o_vert] = np.arange(len(o_vert))
        person, org, rows = person_org_ends(eco, layers)
        if roles is not None:
            keep = np.isin(object_values(eco.relations["role"])[rows], np.asarray(roles, dtype=object))
            person, org, rows = person[keep], org[keep], rows[keep]
        strength = relation_strengths(eco, rows, weight)
        shape = (len(p_vert), len(o_vert))
        key = row_of[person] * np.int64(max(shape[1], 1)) + col_of[org]
        uniq, inv = _arrays.unique(key, return_inverse=True)
        r = uniq // max(shape[1], 1)
        indptr = np.zeros(shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=shape[0]), out=indptr[1:])
        indices = (uniq % max(shape[1], 1)).astype(np.int64)

        def csr(values: np.ndarray) -> sp.csr_matrix:
            m = sp.csr_matrix((values, indices, indptr), shape=shape)
            m.has_sorted_indices = True
            return m

        S = csr(wsum(inv, strength, len(uniq)))
        R = csr(np.bincount(inv, minlength=len(uniq)).astype(np.float64))
        B = csr(np.ones(len(uniq)))
        return Affiliation(B, S, R, p_vert, o_vert, ids[p_vert], ids[o_vert])

    return cached(eco, ("affiliation", layers, roles, weight), build)


@dataclass(frozen=True)
class PairTriples:
    """Every (column pair, shared row) of an incidence matrix.

    For a CSR matrix ``B`` (members × items), one entry per member and per
    pair of its items ``a < b``: ``a``, ``b`` (column indices), ``member``
    (row index) and ``first``, ``second`` (positions of ``(member, a)`` and
    ``(member, b)`` in ``B.data``).
    """

    a: np.ndarray
    b: np.ndarray
    member: np.ndarray
    first: np.ndarray
    second: np.ndarray


def pair_triples(B: sp.csr_matrix) -> PairTriples:
    """Enumerate, without a Python loop, every pair of items sharing a member.

    ``B`` must have sorted indices. The number of triples is
    ``sum_r k_r (k_r - 1) / 2`` for row sizes ``k_r``.
    """
    return pair_triples_arrays(B.indptr, B.indices)


def pair_triples_arrays(indptr: np.ndarray, indices: np.ndarray) -> PairTriples:
    """:func:`pair_triples` on raw CSR arrays (``indices`` ascending within each row)."""
    indptr = np.asarray(indptr, dtype=np.int64)
    k = np.diff(indptr)
    nnz = int(indptr[-1])
    row_of_entry = np.repeat(np.arange(len(k), dtype=np.int64), k)
    pos = np.arange(nnz, dtype=np.int64) - indptr[row_of_entry]
    after = k[row_of_entry] - 1 - pos
    first = np.repeat(np.arange(nnz, dtype=np.int64), after)
    starts = np.cumsum(after) - after
    offset = np.arange(len(first), dtype=np.int64) - np.repeat(starts, after)
    second = first + 1 + offset
    idx = np.asarray(indices, dtype=np.int64)
    return PairTriples(idx[first], idx[second], row_of_entry[first], first, second)


PROJECTION_METHODS: Final[tuple[str, ...]] = ("count", "newman", "jaccard", "overlap", "minimum")


@dataclass(frozen=True)
class Projection:
    """A one-mode projection (upper triangle), in (a, b) lexicographic order.

    Attributes
    ----------
    a, b : ndarray of int
        Column indices of the linked pairs, ``a < b``.
    shared : ndarray of int
        Number of shared members.
    weight : ndarray of float
        Weight by the method.
    members : ndarray of int or None
        When requested: the shared members (row indices) of every pair,
        concatenated pair after pair (``shared[i]`` entries for pair ``i``),
        ascending within a pair.
    """

    a: np.ndarray
    b: np.ndarray
    shared: np.ndarray
    weight: np.ndarray
    members: np.ndarray | None

    def member_lists(self, ids: np.ndarray) -> list[list[Any]]:
        """The shared members of every pair as lists of ``ids[member]``."""
        if self.members is None:
            raise InputError("the projection was computed without members")
        names = np.asarray(ids, dtype=object)[self.members]
        starts = np.cumsum(self.shared) - self.shared
        out: list[list[Any]] = names[starts].reshape(-1, 1).tolist() if len(starts) else []
        for i in np.flatnonzero(self.shared > 1).tolist():  # only pairs sharing >= 2 members
            out[i] = names[starts[i]:starts[i] + self.shared[i]].tolist()
        return out


def project(B: sp.csr_matrix, method: str = "count", S: sp.csr_matrix | None = None,
            with_members: bool = False) -> Projection:
    """Project ``B`` (members × items, 0/1) onto its items: ``triu(Bᵀ B, 1)``.

    Parameters
    ----------
    B : csr_matrix
        0/1 incidence matrix with sorted indices.
    method : {"count", "newman", "jaccard", "overlap", "minimum"}
        See :func:`ecograph.interlocks`.
    S : csr_matrix, optional
        Tie strengths with the pattern of ``B`` (for ``"minimum"``).
    with_members : bool
        Also return the shared members of each pair.
    """
    if method not in PROJECTION_METHODS:
        raise InputError(f"unknown projection method {method!r}; "
                         f"expected one of {list(PROJECTION_METHODS)}")
    BT = B.T.tocsr()
    C = sp.triu(BT @ B, k=1, format="csr")
    C.eliminate_zeros()
    C.sort_indices()
    n_items = B.shape[1]
    a = np.repeat(np.arange(n_items, dtype=np.int64), np.diff(C.indptr))
    b = C.indices.astype(np.int64)
    shared = np.rint(C.data).astype(np.int64)
    if method == "count":
        weight = shared.astype(np.float64)
    elif method == "newman":
        k = np.diff(B.indptr).astype(np.float64)
        inv = safe_divide(1.0, k - 1.0, 0.0)
        W = sp.triu(BT @ sp.diags(inv) @ B, k=1, format="csr")
        W.sort_indices()
        weight = _align(W, a, b, n_items)
    elif method in ("jaccard", "overlap"):
        deg = np.asarray(B.sum(axis=0)).ravel()
        if method == "jaccard":
            weight = shared / (deg[a] + deg[b] - shared)
        else:
            weight = shared / np.minimum(deg[a], deg[b])
    else:  # minimum
        weight = np.empty(0)
    members = None
    if with_members or method == "minimum":
        t = pair_triples(B)
        order = np.argsort(t.a * np.int64(max(n_items, 1)) + t.b, kind="stable")
        if method == "minimum":
            if S is None:
                raise InputError("method 'minimum' needs tie strengths")
            sdata = S.data
            mins = np.minimum(sdata[t.first], sdata[t.second])[order]
            group = np.repeat(np.arange(len(shared), dtype=np.int64), shared)
            weight = wsum(group, mins, len(shared))
        if with_members:
            members = t.member[order]
    return Projection(a, b, shared, np.asarray(weight, dtype=np.float64), members)


def _align(W: sp.csr_matrix, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Values of ``W`` at the pairs ``(a, b)`` (0 where absent); both in CSR order."""
    wa = np.repeat(np.arange(W.shape[0], dtype=np.int64), np.diff(W.indptr))
    wkey = wa * np.int64(max(n, 1)) + W.indices
    key = a * np.int64(max(n, 1)) + b
    pos = np.searchsorted(wkey, key)
    pos = np.minimum(pos, max(len(wkey) - 1, 0))
    out = np.zeros(len(key))
    if len(wkey):
        hit = wkey[pos] == key
        out[hit] = W.data[pos[hit]]
    return out
