"""Reachability: shortest person-mediated paths from organisations to key kinds of actor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.analysis._graphs import resolve_layers
from ecograph.core.kinds import ACTOR_KINDS
from ecograph.exceptions import ComputationError, EmptyGraphError, InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["REACH_TARGETS", "reachability"]

REACH_TARGETS: Final[tuple[str, ...]] = (
    "knowledge_institution", "public_body", "support_organisation", "external",
)
"""Target classes: three actor kinds, and ``external`` (any actor with ``external`` true)."""


def reachability(
    eco: Ecosystem,
    *,
    targets: str | Iterable[str] = REACH_TARGETS,
    layers: str | Iterable[str] | None = None,
    via_persons: bool = True,
) -> pd.DataFrame:
    """Shortest person-mediated path from every organisation to each target class.

    The thesis observes that a rural network without any formal R&D link
    may still have research "within reach through board seats and other
    roles". This measures it: for each organisation, the shortest chain
    organisation – person – organisation – ... to the nearest knowledge
    institution, public body, support organisation and external actor.

    Parameters
    ----------
    eco : Ecosystem
    targets : str or iterable of str, default all of :data:`REACH_TARGETS`
        Target classes: ``"knowledge_institution"``, ``"public_body"``,
        ``"support_organisation"`` (actor kinds; any other actor kind is
        accepted too) and ``"external"`` (every actor whose ``external``
        flag is true, person or organisation).
    layers : str or iterable of str, optional
        Relation kinds that can carry a path; every kind by default.
    via_persons : bool, default True
        Only relations with at least one person end carry a path (a
        person's roles and person-to-person ties), so every step between
        organisations passes through a person. ``False`` lets any relation
        of ``layers`` carry a path (direct organisation links too).

    Returns
    -------
    DataFrame
        One row per organisation (every non-person actor), index
        ``actor_id``, in the order of ``eco.actors``. For each target
        class ``<t>`` three columns:

        * ``<t>_length`` (float): number of relations on the path; 0 when
          the organisation is itself of the class; **NaN when no path
          exists**;
        * ``<t>_target`` (str): id of the nearest target; missing (``<NA>``)
          when unreachable;
        * ``<t>_path`` (list of str): the ids along the path from the
          organisation to the target (both included); an **empty list when
          unreachable**.

    Raises
    ------
    EmptyGraphError
        When the ecosystem has no actors.
    InputError
        For an unknown target class or layer.

    Notes
    -----
    Relations are followed in both directions. One breadth-first search
    per target class from a virtual source joined to every target gives
    all distances at once (:math:`O(n + m)` per class). When several
    shortest paths exist one is reported; ties are broken by igraph's BFS
    order, which is stable for a given ecosystem. With ``via_persons`` a
    path of length :math:`2h` passes :math:`h` persons when it uses no
    person-to-person tie.

    References
    ----------
    .. [1] S. Wasserman and K. Faust, Social Network Analysis: Methods and
       Applications, Cambridge University Press (1994), ch. 2.3 (reachability
       and geodesics in two-mode networks).

    Examples
    --------
    >>> import pandas as pd
    >>> import ecograph
    >>> actors = pd.DataFrame({"id": ["p1", "p2", "dairy", "hotel", "uni"],
    ...                        "name": ["P1", "P2", "Dairy", "Hotel", "University"],
    ...                        "kind": ["person", "person", "firm", "firm",
    ...                                 "knowledge_institution"]})
    >>> relations = pd.DataFrame({"source": ["p1", "p1", "p2", "p2"],
    ...                           "target": ["hotel", "dairy", "dairy", "uni"],
    ...                           "kind": "board_seat", "role": "member"})
    >>> eco = ecograph.Ecosystem.from_frames(actors, relations)
    >>> r = ecograph.reachability(eco, targets="knowledge_institution")
    >>> r.loc["hotel", "knowledge_institution_path"]
    ['hotel', 'p1', 'dairy', 'p2', 'uni']
    >>> r["knowledge_institution_length"].tolist()
    [2.0, 4.0, 0.0]
    """
    import igraph as ig

    lay = resolve_layers(layers)
    classes = (targets,) if isinstance(targets, str) else tuple(dict.fromkeys(targets))
    allowed = (*[k for k in ACTOR_KINDS if k != "person"], "external")
    bad = [t for t in classes if t not in allowed]
    if bad or not classes:
        raise InputError(f"unknown reachability target(s) {bad or list(classes)}; "
                         f"expected some of {list(allowed)}")
    n = len(eco.actors)
    if n == 0:
        raise EmptyGraphError("reachability is undefined for an ecosystem without actors")
    kinds = eco.actors["kind"].to_numpy(dtype=object)
    is_person = kinds == "person"
    external = eco.actors["external"].fillna(False).to_numpy(dtype=bool)
    src, dst, _ = eco.edge_arrays(lay)
    if via_persons:
        keep = is_person[src] | is_person[dst]
        src, dst = src[keep], dst[keep]
    members = {t: np.flatnonzero(external if t == "external" else kinds == t) for t in classes}
    supers = {t: n + i for i, t in enumerate(classes)}
    e_src = np.concatenate([src, dst, *[np.full(len(members[t]), supers[t]) for t in classes]])
    e_dst = np.concatenate([dst, src, *[members[t] for t in classes]])
    try:
        g = ig.Graph(n=n + len(classes), edges=_arrays.pairs(e_src, e_dst),
                     directed=True)
    except Exception as exc:  # pragma: no cover - igraph failure
        raise ComputationError(f"igraph could not build the reachability graph: {exc}") from exc

    orgs = np.flatnonzero(~is_person)
    ids = eco.actors.index.to_numpy(dtype=object)
    out: dict[str, Any] = {}
    for t in classes:
        vids, layer_start, parents = g.bfs(supers[t], mode="out")
        vids_a = np.asarray(vids, dtype=np.int64)
        depth = np.repeat(np.arange(len(layer_start) - 1), np.diff(np.asarray(layer_start)))
        dist = np.full(n + len(classes), -1, dtype=np.int64)
        dist[vids_a] = depth
        parent = np.asarray(parents, dtype=np.int64)
        d_org = dist[orgs]
        reached = d_org >= 1
        length = np.where(reached, d_org - 1, -1)
        max_len = int(length.max()) if reached.any() else -1
        steps = np.full((len(orgs), max_len + 1), -1, dtype=np.int64)
        cur = np.where(reached, orgs, -1)
        for j in range(max_len + 1):  # one numpy step per path position, not per actor
            alive = (cur >= 0) & (cur < n)
            steps[alive, j] = cur[alive]
            cur = np.where(alive, parent[np.where(alive, cur, 0)], -1)
        flat = ids[np.where(steps >= 0, steps, 0)].tolist()
        paths = [row[:ln + 1] for row, ln in zip(flat, length.tolist())]  # output lists
        last = steps[np.arange(len(orgs)), np.maximum(length, 0)] if max_len >= 0 else np.zeros(
            len(orgs), dtype=np.int64)
        out[f"{t}_length"] = np.where(reached, length, np.nan).astype(np.float64)
        target_ids = ids[np.maximum(last, 0)].copy()
        target_ids[~reached] = None
        out[f"{t}_target"] = pd.array(target_ids, dtype="string")
        out[f"{t}_path"] = pd.Series(paths, dtype=object).to_numpy()
    index = pd.Index(eco.actors.index[orgs], name="actor_id", dtype="string")
    return pd.DataFrame(out, index=index)
