"""Who am I / what can I do / whom do I know, and complementary-resource matching.

Private module behind :mod:`ecograph.analysis.resources`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from ecograph.analysis._graphs import pair_values
from ecograph.analysis._resources_graph import (
    PathFinder,
    check_distance,
    distances,
    graph,
    pair_features,
    shortest_paths,
    within_reach,
)
from ecograph.analysis._resources_tables import item_key, resource_vocabulary, resources_table
from ecograph.core._lookup import positions
from ecograph.core.kinds import RELATION_RULES
from ecograph.exceptions import InputError

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["MATCH_COLUMNS", "SelfMap", "match_resources", "self_map"]

MATCH_COLUMNS: Final[dict[str, str]] = {
    "actor": "string",
    "actor_name": "string",
    "item": "string",
    "category": "string",
    "quantity_needed": "float64",
    "status": "string",
    "provider": "string",
    "provider_name": "string",
    "quantity_available": "float64",
    "distance": "Int64",
    "path": "object",
    "via": "object",
    "direct_tie": "boolean",
    "shared_boards": "Int64",
    "joint_memberships": "Int64",
    "competitor_intensity": "float64",
    "trust": "float64",
    "score": "float64",
    "rank": "Int64",
    "opportunity": "string",
    "co_needers": "object",
}
"""Columns of :func:`match_resources` and their dtypes."""

_DEFAULT_WEIGHTS: Final[dict[str, float]] = {"proximity": 1.0, "trust": 1.0, "competition": 1.0}
_JOINT_INVESTMENT_TAGS: Final[tuple[str, ...]] = ("shared_equipment", "contract_production")


# --------------------------------------------------------------------------- self map
@dataclass(frozen=True, eq=False, repr=False)
class SelfMap:
    """The answer to "who am I, what can I do, whom do I know" for one actor.

    Made by :func:`self_map`. Every attribute is a pandas object; the
    ecosystem is not kept.

    Attributes
    ----------
    actor : str
        The actor id.
    distance : int
        How far the ego network reaches (in relations).
    identity : Series
        Who am I: every non-missing attribute of the actor (``name``,
        ``kind``, ``municipality``, ``employees``, ...).
    roles : DataFrame
        Roles held and by whom: every relation touching the actor, one row
        each, with ``relation`` (id), ``kind``, ``role``, ``direction``
        (``out``: the actor is the source and holds the role, e.g. its board
        seat or membership; ``in``: another actor holds a role in or towards
        it; ``mutual`` for co-opetition and ties), ``other``,
        ``other_name``, ``other_kind``, ``share``, ``function``,
        ``competitor_intensity``, ``partner_intensity``, ``since``, ``until``.
    resources : DataFrame
        What can I do: the actor's rows of the ``resources`` table (has and needs).
    network : DataFrame
        Whom do I know: the actors within ``distance``, indexed by
        ``actor_id``, with ``name``, ``kind``, ``distance``, ``first_hop``
        (the neighbour the path starts with), ``path`` (actor ids from the
        actor to the contact) and ``via`` (the relation kinds walked).
    reachable_resources : DataFrame
        The resources the contacts have, with ``holder``, ``holder_name``,
        ``holder_kind``, ``item``, ``category``, ``quantity``, ``unit``,
        ``distance``, ``path``, ``via``, ``meets_need`` (the item is one of
        the actor's needs), ``evidence`` and ``provenance``; needs met first,
        then nearest first.
    """

    actor: str
    distance: int
    identity: pd.Series
    roles: pd.DataFrame
    resources: pd.DataFrame
    network: pd.DataFrame
    reachable_resources: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per actor within reach, the actor itself first.

        Returns
        -------
        DataFrame
            Indexed by ``actor_id``; columns ``name``, ``kind``, ``distance``
            (0 for the actor), ``first_hop``, ``path``, ``via``, ``has`` and
            ``needs`` (lists of items) and ``meets_needs`` (the items among
            ``has`` that the actor needs).
        """
        own = self.resources
        own_needs = own.loc[own["direction"] == "needs", "item"].tolist()
        ego = pd.DataFrame({
            "name": [self.identity.get("name")], "kind": [self.identity.get("kind")],
            "distance": [0], "first_hop": [pd.NA], "path": [[self.actor]], "via": [[]],
        }, index=pd.Index([self.actor], name="actor_id"))
        frame = pd.concat([ego, self.network]) if len(self.network) else ego
        rr = self.reachable_resources
        has = rr.groupby("holder")["item"].agg(list) if len(rr) else pd.Series(dtype=object)
        meets = (rr[rr["meets_need"]].groupby("holder")["item"].agg(list)
                 if len(rr) else pd.Series(dtype=object))
        frame = frame.astype({"distance": "int64"})
        frame["has"] = [has.get(a, []) for a in frame.index]
        frame.loc[self.actor, "has"] = own.loc[own["direction"] == "has", "item"].tolist()
        frame["needs"] = [[] for _ in frame.index]
        frame.loc[self.actor, "needs"] = own_needs
        frame["meets_needs"] = [meets.get(a, []) for a in frame.index]
        frame["first_hop"] = frame["first_hop"].astype("string")
        frame.index.name = "actor_id"
        return frame

    def describe(self) -> str:
        """The three questions answered in a few lines of text."""
        ident = self.identity
        facts = [f"{k}={ident[k]}" for k in ("municipality", "legal_form", "employees", "founded")
                 if k in ident.index]
        roles = self.roles
        held = roles[roles["direction"] == "out"]
        held_in = roles[roles["direction"] == "in"]
        lines = [
            f"Who am I: {ident.get('name')} ({self.actor}), {ident.get('kind')}"
            + (f"; {', '.join(facts)}" if facts else ""),
            f"  roles held: {_role_summary(held)}",
            f"  roles held in it: {_role_summary(held_in)}",
        ]
        own = self.resources
        parts = []
        for direction in ("has", "needs"):
            items = [str(x) for x in own.loc[own["direction"] == direction, "item"]]
            parts.append(f"{direction} {len(items)}" + (f" ({', '.join(items)})" if items else ""))
        lines.append("What can I do: " + "; ".join(parts))
        net = self.network
        counts = net["distance"].value_counts().sort_index() if len(net) else pd.Series(dtype=int)
        rings = ", ".join(f"{c} at distance {d}"
                          for d, c in zip(counts.index.tolist(), counts.tolist(), strict=True))
        rr = self.reachable_resources
        lines.append(f"Whom do I know: {len(net)} actors within {self.distance}"
                     + (f" ({rings})" if rings else "")
                     + f"; they have {len(rr)} resources")
        met = rr[rr["meets_need"]] if len(rr) else rr
        for rec in met.head(10).to_dict("records"):
            route = " - ".join(str(x) for x in rec["path"])
            lines.append(f"  need met: {rec['item']} from {rec['holder']} "
                         f"(distance {rec['distance']}, via {route})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        own = self.resources
        n_has = int((own["direction"] == "has").sum())
        n_needs = int((own["direction"] == "needs").sum())
        rr = self.reachable_resources
        met = int(rr["meets_need"].sum()) if len(rr) else 0
        who = f"{self.identity.get('name')}, {self.identity.get('kind')}"
        return (f"<SelfMap {self.actor!r} ({who}): {len(self.roles)} roles, "
                f"{n_has} has / {n_needs} needs; {len(self.network)} actors within "
                f"{self.distance} having {len(rr)} resources, {met} meeting a need>")


def _role_summary(frame: pd.DataFrame) -> str:
    if not len(frame):
        return "none"
    parts = []
    for (kind, role), group in frame.groupby(["kind", frame["role"].fillna("")], sort=True):
        others = group["other"].tolist()
        shown = ", ".join(others[:4]) + (f" and {len(others) - 4} more" if len(others) > 4 else "")
        label = f"{kind}" + (f" ({role})" if role else "")
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def self_map(eco: Ecosystem, actor: str, *, distance: int = 2,
             layers: str | Iterable[str] | None = None) -> SelfMap:
    """Map an actor's identity, resources and ego network (Miles & Morrison's three questions).

    Parameters
    ----------
    eco : Ecosystem
    actor : str
        Actor id (a firm, a cooperative, a network, a person, ...).
    distance : int, default 2
        Radius of the ego network in relations (every layer by default).
        At 2 an organisation reaches the organisations that share a board
        member, a network or a supplier with it.
    layers : str or iterable of str, optional
        Relation kinds to walk (default: all).

    Returns
    -------
    SelfMap
        ``identity`` (who am I), ``roles`` (roles held and by whom),
        ``resources`` (what can I do), ``network`` and
        ``reachable_resources`` (whom do I know, what they have and through
        whom); ``.to_frame()`` gives one row per actor within reach and
        ``.describe()`` a short text.

    Raises
    ------
    ActorNotFound
        When ``actor`` is not in the ecosystem.
    InputError
        When ``distance`` is not a whole number >= 0, or a layer is unknown.

    Notes
    -----
    The ego network is the set of actors at hop distance ``1..distance`` in
    the undirected multiplex graph (a relation of any kind is one hop;
    parallel relations do not shorten anything). Persons are vertices like
    organisations, so two firms whose boards share a member are at
    distance 2. For each contact one shortest path is reported (igraph's
    breadth-first choice among equally short paths, deterministic for a
    given ecosystem). An isolated actor has an empty network. Without a
    ``resources`` table the resource frames are empty.

    The three questions are Sarasvathy's (2001) means of the effectual
    entrepreneur as used by Miles & Morrison (2018) for rural ecosystems and
    extended by the Røros thesis to the collective ("who are we, what can we
    do, whom do we know", seed digest §2.6, §4.8).

    References
    ----------
    .. [1] Sarasvathy, S. D. (2001). Causation and effectuation. *Academy of
       Management Review* 26(2), 243-263.
    .. [2] Miles, M. P. and Morrison, M. (2018). An effectual leadership
       perspective for developing rural entrepreneurial ecosystems. *Small
       Business Economics* 54, 933-949.

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import self_map
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["dairy", "farm", "net", "p1"],
    ...                   "name": ["Dairy", "Farm", "Network", "Person 1"],
    ...                   "kind": ["firm", "firm", "business_network", "person"]}),
    ...     pd.DataFrame({"source": ["dairy", "farm", "p1"], "target": ["net", "net", "dairy"],
    ...                   "kind": ["membership", "membership", "board_seat"],
    ...                   "role": [None, None, "chair"]}),
    ...     tables={"resources": pd.DataFrame({
    ...         "actor": ["dairy", "farm"], "direction": ["needs", "has"],
    ...         "category": ["physical", "physical"], "item": ["raw_materials", "raw_materials"]})})
    >>> sm = self_map(eco, "dairy")
    >>> sm  # doctest: +NORMALIZE_WHITESPACE
    <SelfMap 'dairy' (Dairy, firm): 2 roles, 0 has / 1 needs;
     3 actors within 2 having 1 resources, 1 meeting a need>
    >>> sm.network[["distance", "path"]]
             distance               path
    actor_id
    net             1        [dairy, net]
    p1              1         [dairy, p1]
    farm            2  [dairy, net, farm]
    >>> sm.reachable_resources[["holder", "item", "distance", "meets_need"]]
      holder           item  distance  meets_need
    0   farm  raw_materials         2        True
    """
    eco.actor(actor)
    check_distance(distance, "distance")
    g = graph(eco, layers)
    v = int(eco.vertices_of([actor])[0])
    ball = within_reach(eco, layers, [v], distance)
    keep = ball.indices != v
    cols = ball.indices[keep].astype(np.int64)
    dist = (ball.data[keep] - 1).astype(np.int64)
    ids = eco.actors.index.to_numpy(dtype=object)[cols]
    order = np.lexsort((np.unique(ids.astype(str), return_inverse=True)[1], dist))
    cols, dist, ids = cols[order], dist[order], ids[order]
    finder = PathFinder(eco, layers)
    walks = [finder.describe(p) for p in shortest_paths(g, v, cols.tolist())]
    network = pd.DataFrame({
        "name": eco.actors["name"].to_numpy()[cols],
        "kind": eco.actors["kind"].to_numpy()[cols],
        "distance": dist.astype(np.int64),
        "first_hop": [w[0][1] for w in walks],
        "path": [w[0] for w in walks],
        "via": [w[1] for w in walks],
    }, index=pd.Index(ids, name="actor_id", dtype="string"))
    network = network.astype({"name": "string", "kind": "string", "first_hop": "string"})

    row = eco.actor(actor)
    identity = row[row.notna().to_numpy(dtype=bool)].rename(actor)

    roles = _roles(eco, actor)
    res = resources_table(eco)
    own = res[(res["actor"] == actor).to_numpy(dtype=bool)].reset_index(drop=True)
    need_keys = set(item_key(own.loc[own["direction"] == "needs", "item"]).tolist())
    has = res[(res["direction"] == "has").to_numpy(dtype=bool)
              & res["actor"].isin(network.index).to_numpy(dtype=bool)]
    held = network.reindex(has["actor"].to_numpy())
    reachable = pd.DataFrame({
        "holder": has["actor"].to_numpy(),
        "holder_name": held["name"].to_numpy(),
        "holder_kind": held["kind"].to_numpy(),
        "item": has["item"].to_numpy(),
        "category": has["category"].to_numpy(),
        "quantity": has["quantity"].to_numpy(dtype="float64"),
        "unit": has["unit"].to_numpy(),
        "distance": held["distance"].to_numpy(dtype=np.int64),
        "path": held["path"].to_numpy(),
        "via": held["via"].to_numpy(),
        "meets_need": item_key(has["item"]).isin(need_keys).to_numpy(dtype=bool),
        "evidence": has["evidence"].to_numpy(),
        "provenance": has["provenance"].to_numpy(),
    })
    text = ("holder", "holder_name", "holder_kind", "item", "category", "unit", "evidence",
            "provenance")
    reachable = reachable.astype(dict.fromkeys(text, "string"))
    reachable = reachable.sort_values(["meets_need", "distance", "holder", "item"],
                                      ascending=[False, True, True, True], kind="stable")
    return SelfMap(actor=actor, distance=distance, identity=identity, roles=roles, resources=own,
                   network=network, reachable_resources=reachable.reset_index(drop=True))


def _roles(eco: Ecosystem, actor: str) -> pd.DataFrame:
    rel = eco.relations
    out_mask = (rel["source"] == actor).to_numpy(dtype=bool)
    in_mask = (rel["target"] == actor).to_numpy(dtype=bool)
    sub = rel[out_mask | in_mask]
    is_out = out_mask[out_mask | in_mask]
    other = np.where(is_out, sub["target"].to_numpy(dtype=object),
                     sub["source"].to_numpy(dtype=object))
    symmetric = sub["kind"].map(lambda k: not RELATION_RULES[k].directed).to_numpy(dtype=bool)
    direction = np.where(symmetric, "mutual", np.where(is_out, "out", "in"))
    others = eco.actors.reindex(other)
    frame = pd.DataFrame({
        "relation": sub["id"].to_numpy(), "kind": sub["kind"].to_numpy(),
        "role": sub["role"].to_numpy(),
        "direction": direction, "other": other, "other_name": others["name"].to_numpy(),
        "other_kind": others["kind"].to_numpy(), "share": sub["share"].to_numpy(dtype="float64"),
        "function": sub["function"].to_numpy(),
        "competitor_intensity": sub["competitor_intensity"].to_numpy(dtype="float64"),
        "partner_intensity": sub["partner_intensity"].to_numpy(dtype="float64"),
        "since": sub["since"].to_numpy(), "until": sub["until"].to_numpy(),
    })
    text = ("relation", "kind", "role", "direction", "other", "other_name", "other_kind",
            "function")
    return frame.astype(dict.fromkeys(text, "string"))


# --------------------------------------------------------------------------- matching
def _empty_matches() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in MATCH_COLUMNS.items()})


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(_DEFAULT_WEIGHTS)
    if weights is None:
        return out
    unknown = sorted(set(weights) - set(out))
    if unknown:
        raise InputError(f"unknown weight(s) {unknown}; expected some of {sorted(out)}")
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value) \
                or value < 0:
            raise InputError(f"weight {key!r} must be a finite number >= 0, got {value!r}")
        out[key] = float(value)
    return out


def match_resources(
    eco: Ecosystem,
    *,
    actors: Iterable[str] | None = None,
    items: Iterable[str] | None = None,
    layers: str | Iterable[str] | None = None,
    max_distance: int | None = None,
    top: int | None = 10,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Match each need to the actors that have it ("what we lack, the neighbour may have").

    Parameters
    ----------
    eco : Ecosystem
        With a ``resources`` table (see
        :func:`~ecograph.analysis.resources.validate_resources_table`).
    actors : iterable of str, optional
        Only the needs of these actors (default: all).
    items : iterable of str, optional
        Only these items (matched after normalisation, see ``item_key``).
    layers : str or iterable of str, optional
        Relation kinds used for distances and paths (default: all).
    max_distance : int, optional
        Drop providers farther away than this (or not connected). A need
        whose providers are all dropped gets one ``out_of_reach`` row.
    top : int or None, default 10
        Keep the ``top`` best-ranked providers of each need (``None``: all).
    weights : mapping, optional
        Weights of the score terms ``proximity``, ``trust`` and
        ``competition`` (default 1 each).

    Returns
    -------
    DataFrame
        One row per need and provider (RangeIndex), best first within each
        need, with the columns of :data:`MATCH_COLUMNS`:

        * ``actor``, ``actor_name``, ``item``, ``category``,
          ``quantity_needed``: the need;
        * ``status``: ``matched``; ``unmatched`` (nobody has the item: one
          row, no provider) or ``out_of_reach`` (providers exist only beyond
          ``max_distance``: one row, no provider);
        * ``provider``, ``provider_name``, ``quantity_available``;
        * ``distance`` (hops, ``<NA>`` when not connected), ``path`` (actor
          ids from the actor to the provider) and ``via`` (relation kinds
          along it);
        * trust proxies ``direct_tie``, ``shared_boards``,
          ``joint_memberships``; ``competitor_intensity`` (from co-opetition
          relations between the two, NaN when none); ``trust``;
        * ``score`` and ``rank`` (1 = best for this need);
        * ``opportunity``: ``contract_production``, ``shared_equipment`` or
          ``raw_material_exchange`` when the item is tagged so in the
          vocabulary and both actors are organisations; ``joint_investment``
          for an unmatched or out-of-reach plant, equipment or production
          capacity that other actors need too;
        * ``co_needers``: the other actors that need the same item.

        Without a ``resources`` table, or without needs, the frame is empty
        with these columns.

    Raises
    ------
    ActorNotFound
        When an id in ``actors`` is not in the ecosystem.
    InputError
        For a bad ``max_distance``, ``top``, ``weights`` or layer.

    Notes
    -----
    Items match when their normalised names are equal; an actor never
    matches itself. The score of a provider ``b`` for a need of ``a`` is

    .. math::

        s = w_p \\frac{1}{d(a, b)} + w_t \\, t(a, b) - w_c \\, c(a, b)

    where :math:`d` is the hop distance in the undirected multiplex graph
    (:math:`1/d = 0` when not connected), :math:`c \\in [0, 1]` the
    largest competitor intensity of a co-opetition relation between the two
    (0 when none) and the trust proxy

    .. math::

        t = \\tfrac13 \\left( [\\text{direct tie}] + [\\text{shared board} > 0]
            + [\\text{joint membership} > 0] \\right)

    counts the three trust signals the thesis names (existing partner
    ties, the same persons on each other's boards, a shared network or
    cooperative; seed digest §2.11, §4.7). A direct tie is any relation
    between the two except a co-opetition whose partner intensity is below
    0.5 or missing. Ties in the score are broken by distance, then provider
    id. The weights are a transparent default, not an estimate: every term
    is in the output, so the ranking can be redone by other rules.

    Paths: one shortest path per pair, read off one breadth-first-search
    tree per actor with needs (between two actors joined by several
    relations, the first listed relation's kind is shown). Cost: one
    breadth-first search (igraph, in C) per distinct actor with needs, plus
    vectorised pair features; paths are built only for the kept rows.

    References
    ----------
    .. [1] Miles, M. P. and Morrison, M. (2018). An effectual leadership
       perspective for developing rural entrepreneurial ecosystems. *Small
       Business Economics* 54, 933-949.
    .. [2] Chin, K.-S., Chan, B. L. and Lam, P.-K. (2008). Identifying and
       prioritizing critical success factors for coopetition strategy.
       *Industrial Management & Data Systems* 108(4), 437-454.

    Examples
    --------
    >>> import pandas as pd, ecograph
    >>> from ecograph.analysis.resources import match_resources
    >>> eco = ecograph.Ecosystem.from_frames(
    ...     pd.DataFrame({"id": ["dairy", "meat", "brew", "net"],
    ...                   "name": ["Dairy", "Meat", "Brewery", "Network"],
    ...                   "kind": ["firm", "firm", "firm", "business_network"]}),
    ...     pd.DataFrame({"source": ["dairy", "meat", "brew", "dairy"],
    ...                   "target": ["net", "net", "net", "meat"],
    ...                   "kind": ["membership", "membership", "membership", "coopetition"],
    ...                   "competitor_intensity": [None, None, None, 0.9],
    ...                   "partner_intensity": [None, None, None, 0.1]}),
    ...     tables={"resources": pd.DataFrame({
    ...         "actor": ["brew", "dairy", "meat"], "direction": ["needs", "has", "has"],
    ...         "category": ["physical"] * 3, "item": ["production_capacity"] * 3})})
    >>> m = match_resources(eco)
    >>> m[["actor", "provider", "distance", "trust", "score", "rank", "opportunity"]]
      actor provider  distance     trust     score  rank          opportunity
    0  brew    dairy         2  0.333333  0.833333     1  contract_production
    1  brew     meat         2  0.333333  0.833333     2  contract_production
    >>> m.loc[0, "path"]
    ['brew', 'net', 'dairy']
    """
    w = _check_weights(weights)
    check_distance(max_distance, "max_distance", allow_none=True)
    check_distance(top, "top", allow_none=True)
    if top == 0:
        raise InputError("top must be at least 1 or None")
    res = resources_table(eco)
    if actors is not None:
        wanted = eco.check_actors(actors)
    g = graph(eco, layers)  # validates the layers even when there is nothing to match
    if not len(res):
        return _empty_matches()
    res = res.assign(key=item_key(res["item"]).to_numpy())
    needs = res[(res["direction"] == "needs").to_numpy(dtype=bool)]
    has = res[(res["direction"] == "has").to_numpy(dtype=bool)]
    co_needers_of = {str(k): sorted(v.tolist()) for k, v in needs.groupby("key")["actor"]}
    if actors is not None:
        needs = needs[needs["actor"].isin(wanted).to_numpy(dtype=bool)]
    if items is not None:
        keys = item_key(pd.Series(list(items), dtype="string"))
        needs = needs[needs["key"].isin(keys).to_numpy(dtype=bool)]
    if not len(needs):
        return _empty_matches()
    needs = needs.reset_index(drop=True)
    needs["need_id"] = np.arange(len(needs))
    pairs = needs.merge(has, on="key", suffixes=("", "_has"))
    other = (pairs["actor"] != pairs["actor_has"]).to_numpy(dtype=bool)
    pairs = pairs[other].reset_index(drop=True)

    index = eco.actors.index
    a = positions(pairs["actor"], index)
    b = positions(pairs["actor_has"], index)

    # hop distances of every pair: one C breadth-first search per actor with needs, or a
    # bounded sparse search when max_distance is given (then farther pairs are dropped)
    sources, a_row = np.unique(a, return_inverse=True)
    if max_distance is None:
        targets, b_col = np.unique(b, return_inverse=True)
        d = (distances(g, sources.tolist(), targets.tolist())[a_row, b_col] if len(a)
             else np.zeros(0))
    else:
        found = pair_values(within_reach(eco, layers, sources.tolist(), max_distance), a_row, b)
        d = np.where(found > 0, found - 1, np.inf)
        near = np.flatnonzero(found > 0)
        pairs, a, b, d = pairs.iloc[near].reset_index(drop=True), a[near], b[near], d[near]
    finite = np.isfinite(d)
    need_id = pairs["need_id"].to_numpy(dtype=np.int64)
    id_rank = np.argsort(np.argsort(index.to_numpy(dtype=object).astype(str), kind="stable"))
    provider_code = id_rank[b]
    feats = pair_features(eco, a, b)
    trust = (feats["direct_tie"].to_numpy(dtype=float) + (feats["shared_boards"].to_numpy() > 0)
             + (feats["joint_memberships"].to_numpy() > 0)) / 3.0
    rivalry = np.nan_to_num(feats["competitor_intensity"].to_numpy(dtype=float), nan=0.0)
    proximity = np.zeros(len(d))
    np.divide(1.0, d, out=proximity, where=finite & (d > 0))
    score = w["proximity"] * proximity + w["trust"] * trust - w["competition"] * rivalry
    # rank within each need: score, then distance, then provider id
    rows = np.arange(len(d))
    rows = rows[np.lexsort((provider_code[rows], d[rows], -score[rows], need_id[rows]))]
    ids = need_id[rows]
    starts = np.flatnonzero(np.diff(ids, prepend=-1) != 0)
    sizes = np.diff(np.concatenate([starts, [len(rows)]]))
    rank = np.arange(len(rows)) - np.repeat(starts, sizes) + 1
    if top is not None:
        rows, rank = rows[rank <= top], rank[rank <= top]
    d = d[rows]

    # one shortest path per kept and connected pair; igraph stops once the targets are found
    finder = PathFinder(eco, layers)
    path_col: list[list[str]] = [[] for _ in range(len(rows))]
    via_col: list[list[str]] = [[] for _ in range(len(rows))]
    connected = np.flatnonzero(np.isfinite(d))
    if len(connected):
        by_source = connected[np.argsort(a[rows[connected]], kind="stable")]
        src_of = a[rows[by_source]]
        bounds = [*np.flatnonzero(np.diff(src_of, prepend=-1) != 0).tolist(), len(by_source)]
        for lo, hi in itertools.pairwise(bounds):
            block = by_source[lo:hi]
            found_paths = shortest_paths(g, int(src_of[lo]), b[rows[block]].tolist())
            for k, vpath in zip(block.tolist(), found_paths, strict=True):
                path_col[k], via_col[k] = finder.describe(vpath)
    vocabulary = resource_vocabulary()
    tags = vocabulary["opportunity"].reindex(pairs["key"].to_numpy()[rows]).to_numpy(dtype=object)
    actor_kind = eco.actors["kind"].to_numpy()
    both_orgs = (actor_kind[a[rows]] != "person") & (actor_kind[b[rows]] != "person")
    finite = np.isfinite(d)
    matched = pd.DataFrame({
        "need_id": need_id[rows],
        "status": "matched",
        "provider": pairs["actor_has"].to_numpy()[rows],
        "provider_name": eco.actors["name"].to_numpy()[b[rows]],
        "quantity_available": pairs["quantity_has"].to_numpy(dtype="float64")[rows],
        "distance": pd.array(np.where(finite, d, 0).astype(np.int64), dtype="Int64"),
        "path": path_col,
        "via": via_col,
        "direct_tie": feats["direct_tie"].to_numpy(dtype=bool)[rows],
        "shared_boards": feats["shared_boards"].to_numpy()[rows],
        "joint_memberships": feats["joint_memberships"].to_numpy()[rows],
        "competitor_intensity": feats["competitor_intensity"].to_numpy(dtype=float)[rows],
        "trust": trust[rows],
        "score": score[rows],
        "rank": rank,
        "opportunity": pd.Series(tags, dtype=object).where(both_orgs & pd.notna(tags)).to_numpy(),
    })
    matched.loc[~finite, "distance"] = pd.NA

    # needs without a (reachable) provider
    missing = needs[~needs["need_id"].isin(matched["need_id"]).to_numpy(dtype=bool)]
    holders = {str(k): set(v.tolist()) for k, v in has.groupby("key")["actor"]}
    other_has = [bool(holders.get(str(k), set()) - {n})
                 for k, n in zip(missing["key"], missing["actor"], strict=True)]
    lonely = pd.DataFrame({"need_id": missing["need_id"].to_numpy(),
                           "status": np.where(other_has, "out_of_reach", "unmatched")})
    out = pd.concat([matched, lonely], ignore_index=True) if len(lonely) else matched
    out = needs.set_index("need_id").loc[out["need_id"].to_numpy()].reset_index().join(
        out.drop(columns="need_id").reset_index(drop=True))
    out["actor_name"] = eco.actors["name"].reindex(out["actor"].to_numpy()).to_numpy()
    out["quantity_needed"] = out["quantity"]
    out["co_needers"] = [[x for x in co_needers_of.get(str(k), []) if x != n]
                         for k, n in zip(out["key"], out["actor"], strict=True)]
    tag_need = vocabulary["opportunity"].reindex(out["key"].to_numpy()).to_numpy(dtype=object)
    joint = ((out["status"] != "matched").to_numpy(dtype=bool)
             & np.isin(tag_need.astype(str), _JOINT_INVESTMENT_TAGS)
             & (out["co_needers"].map(len).to_numpy() > 0))
    out.loc[joint, "opportunity"] = "joint_investment"
    for col in ("path", "via"):
        out[col] = [v if isinstance(v, list) else [] for v in out[col]]
    out = out.sort_values(["need_id", "rank"], na_position="last", kind="stable")
    out = out[list(MATCH_COLUMNS)].reset_index(drop=True)
    return out.astype(MATCH_COLUMNS)

