"""Partition a national (or any) ecosystem into one ecosystem per municipality.

The membership of every actor and relation in every municipality is
computed once, with vectorised joins on integer codes; a sub-ecosystem is
then a cheap row selection, built only when it is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError

__all__ = ["ExternalPolicy", "Partition", "partition_by_municipality"]

ExternalPolicy = Literal["actors", "drop"]
"""What happens to a tie that leaves the municipality (see :func:`partition_by_municipality`)."""

_CORE, _PERSON, _EXTERNAL = 0, 1, 2


class Partition(Mapping[str, Ecosystem]):
    """The per-municipality ecosystems of one ecosystem, built lazily.

    A read-only mapping ``kommunenummer -> Ecosystem``; iterate it, index it
    or call :meth:`sizes`. Made by :func:`partition_by_municipality`.

    Attributes
    ----------
    codes : tuple of str
        The municipalities, sorted by code.
    unplaced : Index
        Organisations without a municipality: they belong to no partition
        (they still appear as external actors where they are tied to one).
    """

    def __init__(
        self,
        eco: Ecosystem,
        codes: tuple[str, ...],
        actor_rows: list[np.ndarray],
        actor_role: list[np.ndarray],
        relation_rows: list[np.ndarray],
        unplaced: pd.Index,
        names: Mapping[str, str],
    ) -> None:
        self._eco = eco
        self.codes = codes
        self._pos = {c: i for i, c in enumerate(codes)}
        self._actor_rows = actor_rows
        self._actor_role = actor_role
        self._relation_rows = relation_rows
        self._names = dict(names)
        self.unplaced = unplaced

    def __getitem__(self, code: str) -> Ecosystem:
        try:
            i = self._pos[str(code)]
        except KeyError:
            raise KeyError(f"municipality {code!r} is not in this partition") from None
        eco = self._eco
        rows = self._actor_rows[i]
        actors = eco.actors.iloc[rows].copy()
        ext = self._actor_role[i] == _EXTERNAL
        actors["external"] = pd.array(
            actors["external"].fillna(False).to_numpy(dtype=bool) | ext, dtype="boolean"
        )
        relations = eco.relations.iloc[self._relation_rows[i]].reset_index(drop=True)
        tables = {}
        for name, table in eco.tables.items():
            if "actor" in table.columns:
                keep = table["actor"].isin(actors.index).to_numpy(dtype=bool)
                tables[name] = table[keep].reset_index(drop=True)
            else:
                tables[name] = table
        label = self._names.get(code, code)
        meta = eco.meta.model_copy(
            update={
                "name": f"{eco.meta.name} / {code} {label}".strip(),
                "municipalities": (code,),
                "population": None,
            }
        )
        return Ecosystem(actors, relations, meta, eco.extra_dtypes, tables)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"<Partition of {self._eco.meta.name!r} into {len(self.codes)} municipalities>"

    def sizes(self) -> pd.DataFrame:
        """Counts per municipality, without building the sub-ecosystems.

        Returns
        -------
        DataFrame
            Indexed by ``municipality``; columns ``organisations`` (located
            there), ``persons``, ``external`` (external organisations) and
            ``relations``.
        """
        rows = []
        for code, role, rel in zip(self.codes, self._actor_role, self._relation_rows, strict=True):
            rows.append(
                {
                    "municipality": code,
                    "organisations": int((role == _CORE).sum()),
                    "persons": int((role == _PERSON).sum()),
                    "external": int((role == _EXTERNAL).sum()),
                    "relations": len(rel),
                }
            )
        frame = pd.DataFrame(
            rows, columns=["municipality", "organisations", "persons", "external", "relations"]
        )
        return frame.set_index("municipality")


def _unique_pairs(
    actor: np.ndarray, muni: np.ndarray, role: np.ndarray, n_muni: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique (actor, municipality) pairs keeping the strongest role (core < person < external)."""
    key = actor.astype(np.int64) * n_muni + muni
    order = np.lexsort((role, key))
    key, role = key[order], role[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, role = key[first], role[first]
    return key // n_muni, key % n_muni, role


def partition_by_municipality(
    eco: Ecosystem,
    *,
    municipalities: Iterable[str] | None = None,
    external: ExternalPolicy = "actors",
) -> Partition:
    """Split an ecosystem into one ecosystem per municipality.

    Parameters
    ----------
    eco : Ecosystem
        Usually a national ecosystem (from :func:`ecograph.import_brreg` or
        :func:`ecograph.synthetic_region`).
    municipalities : iterable of str, optional
        Municipality codes to build (default: every code found on an
        organisation). A code without organisations gives an empty ecosystem.
    external : {"actors", "drop"}, default "actors"
        ``"actors"``: an organisation of another municipality that is tied
        to the municipality (directly to one of its organisations, or
        through a person who holds a role there, e.g. a board seat that
        spans two municipalities) is kept with ``external=True``, with its
        ties to the municipality's actors. ``"drop"``: such organisations and
        their ties are left out; only the municipality's organisations, their
        persons and the ties among them remain.

    Returns
    -------
    Partition
        A lazy mapping ``kommunenummer -> Ecosystem``.

    Raises
    ------
    InputError
        For an unknown ``external`` policy.

    Notes
    -----
    Membership rules, for a municipality *m*:

    * **organisations** whose ``municipality`` is *m* (the business address
      for registry data) are its core;
    * **persons follow their roles**: a person belongs to *m* when any
      relation joins the person to a core organisation of *m* (a person may
      belong to several municipalities);
    * with ``external="actors"``, an organisation located elsewhere belongs
      to *m* as an external actor when a relation joins it to a core
      organisation of *m* or to a person of *m*;
    * a **relation** belongs to *m* when both ends belong to *m* and at least
      one end is not external (ties between two external actors are left
      out, so an external actor only brings its ties into *m*).

    Organisations without a municipality belong to no partition (listed in
    ``Partition.unplaced``) but still appear as external actors. The
    partition is computed with joins on integer codes: O(relations x
    memberships per actor), no loop over municipalities except to slice.

    Examples
    --------
    >>> import ecograph
    >>> eco = ecograph.synthetic_region(300, municipalities=3, seed=2)
    >>> parts = partition_by_municipality(eco)
    >>> sorted(parts)
    ['3430', '5025', '5026']
    >>> sub = parts["5025"]
    >>> set(sub.actors.loc[~sub.actors["external"] & (sub.actors["kind"] != "person"),
    ...                    "municipality"])
    {'5025'}
    """
    if external not in ("actors", "drop"):
        raise InputError(f"external={external!r}: expected 'actors' or 'drop'")
    actors = eco.actors
    is_person = (actors["kind"] == "person").to_numpy(dtype=bool)
    muni_text = actors["municipality"].where(~is_person, other=pd.NA)
    found = sorted(muni_text.dropna().unique().tolist())
    codes = (
        tuple(found)
        if municipalities is None
        else tuple(dict.fromkeys(str(c) for c in municipalities))
    )
    n_muni = max(len(codes), 1)
    lookup = pd.Index(codes)
    muni = lookup.get_indexer(pd.Index(muni_text.fillna("").to_numpy(dtype=object)))
    muni[is_person] = -1
    org_no_muni = ~is_person & muni_text.isna().to_numpy(dtype=bool)
    unplaced = actors.index[org_no_muni]

    src, dst, rows = eco.edge_arrays()
    # core memberships
    core = np.flatnonzero(muni >= 0)
    parts_actor = [core]
    parts_muni = [muni[core]]
    parts_role = [np.full(len(core), _CORE)]
    # persons follow their roles: person end + org end in a municipality
    s_person, d_person = is_person[src], is_person[dst]
    p1 = s_person & ~d_person & (muni[dst] >= 0)
    p2 = d_person & ~s_person & (muni[src] >= 0)
    person_actor = np.concatenate([src[p1], dst[p2]])
    person_muni = np.concatenate([muni[dst[p1]], muni[src[p2]]])
    parts_actor.append(person_actor)
    parts_muni.append(person_muni)
    parts_role.append(np.full(len(person_actor), _PERSON))
    if external == "actors":
        # organisation ends of relations touching a core organisation of another municipality
        org_org = ~s_person & ~d_person
        e1 = org_org & (muni[src] >= 0) & (muni[dst] != muni[src])
        e2 = org_org & (muni[dst] >= 0) & (muni[src] != muni[dst])
        parts_actor += [dst[e1], src[e2]]
        parts_muni += [muni[src[e1]], muni[dst[e2]]]
        parts_role += [np.full(int(e1.sum()), _EXTERNAL), np.full(int(e2.sum()), _EXTERNAL)]
        # organisations reached through a person of the municipality
        pa_, pm_, _ = _unique_pairs(
            person_actor, person_muni, np.zeros(len(person_actor), np.int64), n_muni
        )
        for p_end, o_end in ((src, dst), (dst, src)):
            sel = is_person[p_end] & ~is_person[o_end]
            rel_p, rel_o = p_end[sel], o_end[sel]
            # every (person, municipality) pair of the person end
            order = np.argsort(pa_, kind="stable")
            starts = np.searchsorted(pa_[order], rel_p, "left")
            ends = np.searchsorted(pa_[order], rel_p, "right")
            reps = ends - starts
            if not reps.sum():
                continue
            idx = np.repeat(starts, reps) + (
                np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
            )
            m_ = pm_[order][idx]
            o_ = np.repeat(rel_o, reps)
            far = muni[o_] != m_
            parts_actor.append(o_[far])
            parts_muni.append(m_[far])
            parts_role.append(np.full(int(far.sum()), _EXTERNAL))
    m_actor, m_muni, m_role = _unique_pairs(
        np.concatenate(parts_actor), np.concatenate(parts_muni), np.concatenate(parts_role), n_muni
    )
    # relations: both ends members of m, not both external
    member_key = m_actor * n_muni + m_muni
    key_index = pd.Index(member_key)
    order = np.argsort(m_actor, kind="stable")
    sorted_actor = m_actor[order]
    starts = np.searchsorted(sorted_actor, src, "left")
    reps = np.searchsorted(sorted_actor, src, "right") - starts
    total = int(reps.sum())
    idx = np.repeat(starts, reps) + (np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps))
    cand_rel = np.repeat(np.arange(len(src)), reps)
    cand_muni = m_muni[order][idx]
    cand_src_role = m_role[order][idx]
    dst_pos = key_index.get_indexer(dst[cand_rel].astype(np.int64) * n_muni + cand_muni)
    ok = dst_pos >= 0
    dst_role = np.where(ok, m_role[np.maximum(dst_pos, 0)], _EXTERNAL)
    ok &= ~((cand_src_role == _EXTERNAL) & (dst_role == _EXTERNAL))
    r_muni = cand_muni[ok]
    r_rows = rows[cand_rel[ok]]

    actor_rows: list[np.ndarray] = []
    actor_role: list[np.ndarray] = []
    relation_rows: list[np.ndarray] = []
    a_order = np.lexsort((m_actor, m_muni))
    a_split = np.searchsorted(m_muni[a_order], np.arange(len(codes) + 1))
    r_order = np.lexsort((r_rows, r_muni))
    r_split = np.searchsorted(r_muni[r_order], np.arange(len(codes) + 1))
    for i in range(len(codes)):
        sel = a_order[a_split[i] : a_split[i + 1]]
        actor_rows.append(m_actor[sel])
        actor_role.append(m_role[sel])
        relation_rows.append(r_rows[r_order[r_split[i] : r_split[i + 1]]])
    try:
        from ecograph.registry.tables import municipalities as shipped

        names = shipped()["name"].to_dict()
    except Exception:  # pragma: no cover - the shipped table is part of the package
        names = {}
    return Partition(
        eco,
        codes,
        actor_rows,
        actor_role,
        relation_rows,
        unplaced,
        {c: str(names.get(c, "")) for c in codes},
    )
