"""The :class:`Ecosystem`: typed actor and relation frames plus metadata.

An Ecosystem is immutable by convention: every method that changes the
content (:meth:`Ecosystem.select`, :meth:`Ecosystem.as_of`, scenarios)
returns a new object. Graph views are built on demand, vectorised, and cached.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.core._lookup import isin, positions
from ecograph.core.kinds import ACTOR_KINDS, ORGANISATION_KINDS, RELATION_KINDS, RELATION_RULES
from ecograph.core.schema import ACTOR_COLUMNS, RELATION_COLUMNS, EcosystemMeta
from ecograph.core.validate import validate_frames
from ecograph.exceptions import (
    ActorNotFound,
    BundleValidationError,
    EcographWarning,
    GraphIntegrityError,
    InputError,
)

if TYPE_CHECKING:
    import igraph as ig
    import networkx as nx

__all__ = ["Ecosystem"]

_INTEGRITY_FIELDS = ("source", "target", "id")


def _layers_key(layers: str | Iterable[str] | None) -> tuple[str, ...]:
    if layers is None:
        return tuple(RELATION_KINDS)
    if isinstance(layers, str):
        layers = (layers,)
    key = tuple(dict.fromkeys(layers))
    unknown = [k for k in key if k not in RELATION_KINDS]
    if unknown:
        raise InputError(f"unknown layer(s) {unknown}; expected some of {list(RELATION_KINDS)}")
    return key


_EVERY_EDGE = ("edges", tuple(RELATION_KINDS))
"""Cache key of :meth:`Ecosystem.edge_arrays` over every relation."""


class Ecosystem:
    """A typed, multi-layer graph of an entrepreneurial ecosystem.

    Build it with :meth:`from_frames`, :func:`ecograph.read_bundle` or
    :func:`ecograph.load_roros`; do not call the constructor with untrusted
    data (it does not validate).

    Attributes
    ----------
    actors : DataFrame
        One row per actor, indexed by actor id (index name ``id``); columns
        ``name``, ``kind``, ``org_number``, ``municipality``, ``nace``,
        ``legal_form``, ``employees``, ``revenue_nok``, ``founded``,
        ``external``, ``evidence``, ``provenance`` and any extra attribute.
    relations : DataFrame
        One row per relation (RangeIndex); columns ``id``, ``source``,
        ``target``, ``kind``, ``role``, ``share``, ``competitor_intensity``,
        ``partner_intensity``, ``function``, ``weight``, ``since``, ``until``,
        ``evidence``, ``provenance``, ``confidence`` and any extra attribute.
    meta : EcosystemMeta
        Name, region, municipalities, population, year, sources, ...
    tables : dict of DataFrame
        Optional further tables of the bundle, e.g. ``"resources"``
        (validated by their own modules), keyed by table name.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = Ecosystem.from_frames(
    ...     actors=pd.DataFrame({"id": ["p1", "o1", "o2"], "name": ["Person 1", "Dairy", "Hotel"],
    ...                          "kind": ["person", "firm", "firm"]}),
    ...     relations=pd.DataFrame({"source": ["p1", "p1"], "target": ["o1", "o2"],
    ...                             "kind": ["board_seat", "management"], "role": ["chair", "ceo"]}),
    ...     meta={"name": "Toy"})
    >>> eco
    <Ecosystem 'Toy': 3 actors (1 persons, 2 organisations), 2 relations>
    >>> eco.to_igraph().vcount()
    3
    """

    __slots__ = ("_cache", "_extra_dtypes", "actors", "meta", "relations", "tables")

    def __init__(
        self,
        actors: pd.DataFrame,
        relations: pd.DataFrame,
        meta: EcosystemMeta,
        extra_dtypes: dict[str, dict[str, str]] | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> None:
        self.actors = actors
        self.relations = relations
        self.meta = meta
        self._extra_dtypes = extra_dtypes or {"actors": {}, "relations": {}}
        self.tables: dict[str, pd.DataFrame] = dict(tables or {})
        self._cache: dict[Any, Any] = {}

    # ------------------------------------------------------------------ build
    @classmethod
    def from_frames(
        cls,
        actors: pd.DataFrame,
        relations: pd.DataFrame | None = None,
        meta: EcosystemMeta | Mapping[str, Any] | None = None,
        *,
        tables: Mapping[str, pd.DataFrame] | None = None,
        actors_file: str = "<actors>",
        relations_file: str = "<relations>",
        warn: bool = True,
    ) -> Ecosystem:
        """Validate raw frames and build an Ecosystem.

        Parameters
        ----------
        actors : DataFrame
            One row per actor with at least ``id``, ``name``, ``kind``. An
            ``id`` index is accepted in place of the column.
        relations : DataFrame, optional
            One row per relation with at least ``source``, ``target``, ``kind``.
        meta : EcosystemMeta or dict, optional
            Metadata.
        actors_file, relations_file : str
            Names used in error locations.
        tables : dict of DataFrame, optional
            Further tables (``"resources"``, ...), validated against the actors
            by the module that owns each table.
        warn : bool, default True
            Emit :class:`~ecograph.exceptions.EcographWarning` for suspicious input.

        Returns
        -------
        Ecosystem

        Raises
        ------
        BundleValidationError
            With every problem found (file, row, field), when the data is invalid.
        GraphIntegrityError
            When only graph-level problems (dangling endpoints, duplicate ids,
            share sums) were found.
        """
        if "id" not in actors.columns and actors.index.name == "id":
            actors = actors.reset_index()
        if relations is None:
            relations = pd.DataFrame({c.name: pd.Series(dtype="string") for c in RELATION_COLUMNS
                                      if c.required})
        if meta is None:
            meta = EcosystemMeta()
        elif not isinstance(meta, EcosystemMeta):
            meta = EcosystemMeta.model_validate(dict(meta))
        report = validate_frames(
            actors, relations, actors_file=actors_file, relations_file=relations_file,
            declared=meta.columns,
        )
        if report.issues:
            issues = sorted(report.issues, key=lambda i: (i.file, i.row or 0))
            graph_level = all(
                ("actor" in i.message and "id" in i.message) or "sum to" in i.message
                or "duplicate" in i.message or "itself" in i.message
                for i in issues
            )
            exc = GraphIntegrityError if graph_level else BundleValidationError
            raise exc(issues)
        if warn and report.warnings:
            _warn_grouped(report.warnings)
        declared = {k: dict(v) for k, v in report.extra_dtypes.items()}
        meta = meta.model_copy(update={"columns": {k: v for k, v in declared.items() if v}})
        eco = cls(report.actors, report.relations, meta, declared)
        if report.endpoints is not None:  # the checks looked up every endpoint already
            src, dst = report.endpoints
            eco._cache[_EVERY_EDGE] = (src.astype(np.int64), dst.astype(np.int64),
                                       np.arange(len(src), dtype=np.int64))
        if tables:
            from ecograph.core.tables import validate_tables

            eco.tables = validate_tables(eco, tables)
        return eco

    @classmethod
    def from_records(
        cls,
        actors: Iterable[Mapping[str, Any] | Any],
        relations: Iterable[Mapping[str, Any] | Any] = (),
        meta: EcosystemMeta | Mapping[str, Any] | None = None,
    ) -> Ecosystem:
        """Build from :class:`~ecograph.core.schema.Actor` / ``Relation`` objects or dicts.

        Examples
        --------
        >>> from ecograph.core.schema import Actor, Relation
        >>> eco = Ecosystem.from_records(
        ...     [Actor(id="a", name="A", kind="firm"), Actor(id="b", name="B", kind="firm")],
        ...     [Relation(source="a", target="b", kind="supply")])
        >>> len(eco.relations)
        1
        """
        def rows(items: Iterable[Any]) -> list[dict[str, Any]]:
            out = []
            for it in items:
                if hasattr(it, "model_dump"):
                    d = it.model_dump(exclude_none=True)
                    d.update(it.model_extra or {})
                    out.append(d)
                else:
                    out.append(dict(it))
            return out

        a = pd.DataFrame(rows(actors))
        r_rows = rows(relations)
        r = pd.DataFrame(r_rows) if r_rows else None
        return cls.from_frames(a, r, meta)

    # --------------------------------------------------------------- basics
    def __repr__(self) -> str:
        n_person = int((self.actors["kind"] == "person").sum())
        return (
            f"<Ecosystem {self.meta.name!r}: {len(self.actors)} actors ({n_person} persons, "
            f"{len(self.actors) - n_person} organisations), {len(self.relations)} relations>"
        )

    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor: object) -> bool:
        return actor in self.actors.index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ecosystem):
            return NotImplemented
        try:
            pd.testing.assert_frame_equal(self.actors, other.actors, check_like=True)
            pd.testing.assert_frame_equal(self.relations, other.relations, check_like=True)
            if sorted(self.tables) != sorted(other.tables):
                return False
            for name, table in self.tables.items():
                pd.testing.assert_frame_equal(table, other.tables[name], check_like=True)
        except AssertionError:
            return False
        return self.meta == other.meta

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {"actors": self.actors, "relations": self.relations, "meta": self.meta,
                "extra_dtypes": self._extra_dtypes, "tables": self.tables}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.actors = state["actors"]
        self.relations = state["relations"]
        self.meta = state["meta"]
        self._extra_dtypes = state["extra_dtypes"]
        self.tables = state.get("tables", {})
        self._cache = {}

    @property
    def extra_dtypes(self) -> dict[str, dict[str, str]]:
        """Logical types of the extra columns, per table."""
        return {k: dict(v) for k, v in self._extra_dtypes.items()}

    @property
    def persons(self) -> pd.Index:
        """Ids of the actors of kind ``person``."""
        return self.actors.index[(self.actors["kind"] == "person").to_numpy()]

    @property
    def organisations(self) -> pd.Index:
        """Ids of every actor that is not a person."""
        return self.actors.index[(self.actors["kind"] != "person").to_numpy()]

    def actor(self, actor_id: str) -> pd.Series:
        """Return one actor's row.

        Raises
        ------
        ActorNotFound
            When ``actor_id`` is not in the ecosystem.
        """
        try:
            row = self.actors.loc[actor_id]
        except KeyError:
            raise ActorNotFound(actor_id) from None
        if isinstance(row, pd.DataFrame):  # pragma: no cover - ids are unique
            row = row.iloc[0]
        return row

    def check_actors(self, ids: Iterable[str]) -> list[str]:
        """Return ``ids`` as a list, raising :class:`ActorNotFound` for the first unknown one."""
        ids = list(ids)
        missing = pd.Index(ids).difference(self.actors.index)
        if len(missing):
            raise ActorNotFound(missing[0])
        return ids

    def summary(self) -> pd.Series:
        """Counts of actors by kind and relations by kind, as one Series.

        Examples
        --------
        >>> import ecograph
        >>> bool(ecograph.load_roros().summary()["actors"] > 50)
        True
        """
        out: dict[str, Any] = {"actors": len(self.actors), "relations": len(self.relations)}
        counts_a = self.actors["kind"].value_counts()
        counts_r = self.relations["kind"].value_counts()
        for k in ACTOR_KINDS:
            out[f"actors.{k}"] = int(counts_a.get(k, 0))
        for k in RELATION_KINDS:
            out[f"relations.{k}"] = int(counts_r.get(k, 0))
        return pd.Series(out, name=self.meta.name)

    # --------------------------------------------------------------- id map
    @property
    def vertex_index(self) -> pd.Series:
        """Map actor id -> igraph vertex index (the actors' row position).

        Stable for a given Ecosystem; a sub-ecosystem has its own map.
        """
        key = ("vertex_index",)
        if key not in self._cache:
            self._cache[key] = pd.Series(np.arange(len(self.actors)), index=self.actors.index,
                                         name="vertex")
        return self._cache[key]  # type: ignore[no-any-return]

    def vertices_of(self, ids: Iterable[str]) -> np.ndarray:
        """Vertex indices of actor ids (raises :class:`ActorNotFound`)."""
        ids = list(ids)
        pos = positions(np.asarray(ids, dtype=object), self.actors.index)
        if (pos < 0).any():
            raise ActorNotFound(ids[int(np.flatnonzero(pos < 0)[0])])
        return pos

    def edge_arrays(self, layers: str | Iterable[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertex arrays of the relations in ``layers``.

        Returns
        -------
        (src, dst, rows) : tuple of ndarray
            Source and target vertex indices and the relations' row positions.
        """
        key = ("edges", _layers_key(layers))
        if key not in self._cache:
            every = _EVERY_EDGE
            if every not in self._cache:  # from_frames seeds it with the validation's look-ups
                index = self.actors.index
                self._cache[every] = (positions(self.relations["source"], index).astype(np.int64),
                                      positions(self.relations["target"], index).astype(np.int64),
                                      np.arange(len(self.relations), dtype=np.int64))
            src, dst, rows = self._cache[every]
            if key != every:
                rows = np.flatnonzero(isin(self.relations["kind"], list(key[1])))
                src, dst = src[rows], dst[rows]
            self._cache[key] = (src, dst, rows)
        return self._cache[key]  # type: ignore[no-any-return]

    # --------------------------------------------------------------- graphs
    def to_igraph(self, layers: str | Iterable[str] | None = None, *, directed: bool = False) -> ig.Graph:
        """The igraph graph of ``layers`` (all by default), built once and cached.

        Vertex ``i`` is actor ``actors.index[i]`` (see :attr:`vertex_index`).
        Vertex attributes: ``name`` (actor id), ``label`` (actor name),
        ``kind``. Edge attributes: ``kind``, ``weight`` (empty weight -> 1.0),
        ``row`` (position in :attr:`relations`). Parallel relations of
        different kinds stay distinct edges. Symmetric kinds (co-opetition,
        tie) are stored once; with ``directed=True`` they are kept in their
        stored orientation.

        Parameters
        ----------
        layers : str or iterable of str, optional
            Relation kinds to include.
        directed : bool, default False

        Returns
        -------
        igraph.Graph
            Treat it as read-only: it is shared by every caller.
        """
        import igraph as ig

        key = ("igraph", _layers_key(layers), directed)
        if key not in self._cache:
            src, dst, rows = self.edge_arrays(key[1])
            g = ig.Graph(n=len(self.actors), edges=_arrays.pairs(src, dst),
                         directed=directed)
            g.vs["name"] = self.actors.index.tolist()
            g.vs["label"] = self.actors["name"].tolist()
            g.vs["kind"] = _shared_strings(self.actors["kind"])
            rel = self.relations
            g.es["kind"] = _shared_strings(rel["kind"], rows)
            g.es["weight"] = np.nan_to_num(rel["weight"].to_numpy(dtype="float64")[rows], nan=1.0).tolist()
            g.es["row"] = rows.tolist()
            self._cache[key] = g
        return self._cache[key]

    def to_networkx(self) -> nx.MultiDiGraph:
        """Convert to a networkx ``MultiDiGraph`` keeping every attribute.

        Nodes are actor ids with every non-missing actor column as attribute;
        edges carry every non-missing relation column, keyed by relation id.
        Dates become ``datetime.date``. The metadata is in ``G.graph``, with
        the extra column types in ``G.graph["extra_dtypes"]`` and the relation
        order in ``G.graph["relation_ids"]``. :meth:`from_networkx` inverts it.

        Examples
        --------
        >>> import ecograph
        >>> eco = ecograph.load_roros()
        >>> G = eco.to_networkx()
        >>> G.number_of_nodes() == len(eco.actors), G.number_of_edges() == len(eco.relations)
        (True, True)
        """
        import networkx as nx

        G = nx.MultiDiGraph()
        G.graph.update(self.meta.model_dump(mode="json"))
        G.graph["extra_dtypes"] = self.extra_dtypes
        if self.tables:
            G.graph["tables"] = {name: _records(t) for name, t in self.tables.items()}
        G.graph["relation_ids"] = self.relations["id"].tolist()
        a = self.actors.reset_index()
        for rec in _records(a):
            node = rec.pop("id")
            G.add_node(node, **rec)
        for rec in _records(self.relations):
            s = rec.pop("source")
            t = rec.pop("target")
            G.add_edge(s, t, key=rec["id"], **rec)
        return G

    @classmethod
    def from_networkx(cls, G: nx.Graph) -> Ecosystem:
        """Build an Ecosystem from a networkx graph made by :meth:`to_networkx`.

        Any networkx graph works if its nodes carry ``name`` and ``kind`` and
        its edges ``kind``; node keys become actor ids.
        """
        graph = dict(G.graph)
        extra_dtypes = graph.pop("extra_dtypes", None) or {}
        raw_tables = graph.pop("tables", None) or {}
        # dtype=object: a column with gaps must not pass through float64 (loses digits above 2**53)
        actors = pd.DataFrame([{"id": str(n), **d} for n, d in G.nodes(data=True)], dtype=object)
        if G.is_multigraph():
            edges = [{"source": str(u), "target": str(v), **d} for u, v, _, d in G.edges(keys=True, data=True)]
        else:
            edges = [{"source": str(u), "target": str(v), **d} for u, v, d in G.edges(data=True)]
        relations = pd.DataFrame(edges, dtype=object) if edges else pd.DataFrame(
            {c.name: pd.Series(dtype="string") for c in RELATION_COLUMNS if c.required})
        order = graph.pop("relation_ids", None)
        if order is not None and "id" in relations.columns and len(order) == len(relations):
            # networkx iterates edges by node; restore the relations' row order
            ids = pd.Index(relations["id"].astype(str))
            pos = pd.Index([str(i) for i in order]).get_indexer(ids)
            if (pos >= 0).all():
                relations = relations.iloc[np.argsort(pos, kind="stable")].reset_index(drop=True)
        for table, frame in (("actors", actors), ("relations", relations)):
            for col in extra_dtypes.get(table, {}):
                if col not in frame.columns:  # no node / edge carries it: every value missing
                    frame[col] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        meta_fields = set(EcosystemMeta.model_fields)
        meta = {k: v for k, v in graph.items() if k in meta_fields}
        meta["columns"] = extra_dtypes
        tables = {name: pd.DataFrame(rows) for name, rows in raw_tables.items()}
        return cls.from_frames(actors, relations, meta, tables=tables or None, warn=False)

    # --------------------------------------------------------------- views
    def _subset(self, actor_mask: np.ndarray, relation_mask: np.ndarray) -> Ecosystem:
        actors = self.actors[actor_mask]
        rel = self.relations[relation_mask]
        keep = isin(rel["source"], actors.index) & isin(rel["target"], actors.index)
        rel = rel[keep].reset_index(drop=True)
        tables = {}
        for name, table in self.tables.items():
            if "actor" in table.columns:
                kept = table[isin(table["actor"], actors.index)].reset_index(drop=True)
                if "provider" in kept.columns:  # a provider outside the view becomes unknown
                    gone = kept["provider"].notna().to_numpy() & ~isin(kept["provider"], actors.index)
                    if gone.any():
                        kept = kept.copy()
                        kept.loc[gone, "provider"] = pd.NA
                tables[name] = kept
            else:
                tables[name] = table
        return Ecosystem(actors.copy(), rel.copy(), self.meta, self._extra_dtypes, tables)

    def select(
        self,
        *,
        municipalities: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        layers: str | Iterable[str] | None = None,
        actors: Iterable[str] | None = None,
        include_linked_persons: bool = True,
    ) -> Ecosystem:
        """A sub-ecosystem (a new object; this one is unchanged).

        Parameters
        ----------
        municipalities : iterable of str, optional
            Keep organisations located in these kommunenummer; persons follow
            their roles (kept when linked to a kept organisation, if
            ``include_linked_persons``).
        kinds : iterable of str, optional
            Keep actors of these kinds.
        layers : str or iterable of str, optional
            Keep relations of these kinds.
        actors : iterable of str, optional
            Keep exactly these actor ids (intersected with the other filters).
        include_linked_persons : bool, default True

        Returns
        -------
        Ecosystem
            Its own actor-id <-> vertex map (:attr:`vertex_index`).

        Examples
        --------
        >>> import ecograph
        >>> eco = ecograph.load_roros()
        >>> sub = eco.select(layers=["board_seat", "management"])
        >>> set(sub.relations["kind"]) <= {"board_seat", "management"}
        True
        """
        a = self.actors
        mask = np.ones(len(a), dtype=bool)
        if kinds is not None:
            kinds = list(kinds)
            bad = [k for k in kinds if k not in ACTOR_KINDS]
            if bad:
                raise InputError(f"unknown actor kind(s) {bad}; expected some of {list(ACTOR_KINDS)}")
            mask &= a["kind"].isin(kinds).to_numpy(dtype=bool)
        if actors is not None:
            wanted = self.check_actors(actors)
            mask &= a.index.isin(wanted)
        rel_mask = np.ones(len(self.relations), dtype=bool)
        if layers is not None:
            rel_mask &= isin(self.relations["kind"], list(_layers_key(layers)))
        if municipalities is not None:
            munis = [str(m) for m in municipalities]
            is_org = a["kind"].to_numpy() != "person"
            in_muni = a["municipality"].isin(munis).fillna(False).to_numpy(dtype=bool)
            org_keep = is_org & in_muni & mask
            person_keep = np.zeros(len(a), dtype=bool)
            if include_linked_persons:
                rel = self.relations[rel_mask]
                kept_orgs = a.index[org_keep]
                touching = isin(rel["source"], kept_orgs) | isin(rel["target"], kept_orgs)
                linked = pd.concat([rel.loc[touching, "source"], rel.loc[touching, "target"]])
                person_keep = (~is_org) & isin(a.index, linked) & mask
            mask = org_keep | person_keep
        return self._subset(mask, rel_mask)

    def as_of(self, date: str | dt.date | pd.Timestamp) -> Ecosystem:
        """The relations valid on ``date`` (``since <= date <= until``; empty bounds are open).

        Examples
        --------
        >>> import ecograph
        >>> eco = ecograph.load_roros()
        >>> len(eco.as_of("2018-06-01").relations) <= len(eco.relations)
        True
        """
        try:
            ts = pd.Timestamp(date)
        except (TypeError, ValueError) as exc:
            raise InputError(f"cannot read {date!r} as a date; expected YYYY-MM-DD") from exc
        if pd.isna(ts):
            raise InputError(f"cannot read {date!r} as a date; expected YYYY-MM-DD")
        rel = self.relations
        since = rel["since"]
        until = rel["until"]
        valid = (since.isna() | (since <= ts)) & (until.isna() | (until >= ts))
        return self._subset(np.ones(len(self.actors), dtype=bool), valid.to_numpy(dtype=bool))

    def with_frames(self, actors: pd.DataFrame | None = None,
                    relations: pd.DataFrame | None = None,
                    meta: EcosystemMeta | None = None) -> Ecosystem:
        """A validated copy with replaced frames (used by scenarios and importers)."""
        a = (self.actors if actors is None else actors)
        a = a.reset_index() if "id" not in a.columns else a
        r = self.relations if relations is None else relations
        return Ecosystem.from_frames(a, r, meta or self.meta, tables=self.tables or None, warn=False)


def _shared_strings(column: pd.Series, rows: np.ndarray | None = None) -> list[Any]:
    """``column[rows]`` as a list of Python objects, one object per distinct value.

    A categorical column (a kind) then costs a pointer per element in an igraph
    attribute, not a string each, and converts without a per-row string copy.
    """
    codes, uniques = pd.factorize(column)
    values = np.empty(len(uniques) + 1, dtype=object)  # the trailing None answers code -1
    values[:-1] = np.asarray(uniques, dtype=object)
    out: list[Any] = values[codes if rows is None else codes[rows]].tolist()
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts without missing values; dates as ``datetime.date``, numpy scalars as Python."""
    cols = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            cols[c] = [None if pd.isna(v) else v.date() for v in s]
        else:
            cols[c] = s.astype(object).where(s.notna(), None).tolist()
    out = []
    names = list(cols)
    for values in zip(*cols.values(), strict=True):
        out.append({k: (v.item() if isinstance(v, np.generic) else v)
                    for k, v in zip(names, values, strict=True) if v is not None})
    return out


def _warn_grouped(issues: Sequence[Any]) -> None:
    by_message: dict[str, list[Any]] = {}
    for issue in issues:
        by_message.setdefault(f"{issue.file}: {issue.message}", []).append(issue)
    for message, group in by_message.items():
        where = ", ".join(f"row {i.row}" + (f" ({i.value!r})" if i.value is not None else "")
                          for i in group[:8])
        more = f" and {len(group) - 8} more" if len(group) > 8 else ""
        warnings.warn(f"{message}: {where}{more}", EcographWarning, stacklevel=3)


# referenced for documentation tables
_ = (ACTOR_COLUMNS, ORGANISATION_KINDS, RELATION_RULES, _INTEGRITY_FIELDS)
