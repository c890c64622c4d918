"""Role concentration: how many roles, organisations, sectors and kinds each person spans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from ecograph import _arrays
from ecograph.analysis._graphs import (
    check_positive_int,
    object_values,
    person_org_ends,
    resolve_layers,
)

if TYPE_CHECKING:
    from ecograph.core.ecosystem import Ecosystem

__all__ = ["ROLE_LAYERS", "role_concentration"]

ROLE_LAYERS: Final[tuple[str, ...]] = ("board_seat", "management", "ownership", "membership")
"""Default layers whose person–organisation relations count as roles."""


def _distinct_per_person(person: np.ndarray, code: np.ndarray, n: int) -> np.ndarray:
    """Number of distinct non-negative ``code`` values per person (``code < 0`` is missing)."""
    ok = code >= 0
    if not ok.any():
        return np.zeros(n, dtype=np.int64)
    width = np.int64(code[ok].max() + 1)
    pairs = _arrays.unique(person[ok] * width + code[ok])
    return np.bincount(pairs // width, minlength=n).astype(np.int64)


def role_concentration(
    eco: Ecosystem,
    *,
    layers: str | Iterable[str] = ROLE_LAYERS,
    big_linker: int = 3,
) -> pd.DataFrame:
    """Roles, organisations, sectors and actor kinds per person: the "big linkers".

    A *role* is one relation between a person and an organisation in
    ``layers`` (a board seat, a management post, a shareholding, a
    membership). The thesis's "dense" side of thin-and-dense networks is
    that the same persons hold many such roles across many organisations.

    Parameters
    ----------
    eco : Ecosystem
    layers : str or iterable of str, default ("board_seat", "management", "ownership", "membership")
        Relation kinds counted as roles; only relations with exactly one
        person end count (person-to-person ties are not roles).
    big_linker : int, default 3
        A person is flagged a big linker when they hold roles in at least
        this many distinct organisations.

    Returns
    -------
    DataFrame
        One row per person (every person of the ecosystem, also those
        without roles), index ``actor_id``, sorted by ``n_organisations``
        then ``n_roles`` (both descending), then id. Columns:

        * ``n_roles`` (int): number of role relations;
        * ``n_organisations`` (int): distinct organisations;
        * ``n_sectors`` (int): distinct NACE divisions (the first two
          digits of ``nace``) of those organisations; organisations
          without a NACE code are not counted;
        * ``n_kinds`` (int): distinct actor kinds of those organisations;
        * ``n_municipalities`` (int): distinct municipalities of those
          organisations (missing municipality not counted);
        * ``chairs`` (int): board-chair seats (``board_seat`` with role
          ``chair``); ``ceos`` (int): ``management`` relations with role
          ``ceo``;
        * ``roles.<layer>`` (int): roles per selected layer;
        * ``big_linker`` (bool): ``n_organisations >= big_linker``.

    Raises
    ------
    InputError
        For an unknown layer or a ``big_linker`` below 1.

    Notes
    -----
    A person who is both chair and CEO of one firm has two roles in one
    organisation. All counts are vectorised (``numpy.unique`` /
    ``bincount`` over person–organisation codes).

    References
    ----------
    .. [1] F. N. Stokman, R. Ziegler and J. Scott (eds.), Networks of
       Corporate Power: A Comparative Analysis of Ten Countries, Polity
       Press (1985) (multiple directorship holders as "big linkers").
    .. [2] M. Useem, The Inner Circle, Oxford University Press (1984).

    Examples
    --------
    >>> import pandas as pd
    >>> import ecograph
    >>> actors = pd.DataFrame({"id": ["p1", "p2", "a", "b", "c"],
    ...                        "name": ["P1", "P2", "Dairy", "Hotel", "Coop"],
    ...                        "kind": ["person", "person", "firm", "firm", "cooperative"],
    ...                        "nace": ["", "", "10.510", "55.101", "46.320"]})
    >>> relations = pd.DataFrame({"source": ["p1", "p1", "p1", "p2", "p1"],
    ...                           "target": ["a", "b", "c", "b", "a"],
    ...                           "kind": ["board_seat"] * 4 + ["management"],
    ...                           "role": ["chair", "member", "member", "chair", "ceo"]})
    >>> eco = ecograph.Ecosystem.from_frames(actors, relations)
    >>> ecograph.role_concentration(eco)[["n_roles", "n_organisations", "n_sectors", "big_linker"]]
              n_roles  n_organisations  n_sectors  big_linker
    actor_id
    p1              4                3          3        True
    p2              1                1          1       False
    """
    lay = resolve_layers(layers)
    bl = check_positive_int(big_linker, "big_linker")
    actors = eco.actors
    kinds = actors["kind"].to_numpy(dtype=object)
    is_person = kinds == "person"
    p_vert = np.flatnonzero(is_person)
    n_p = len(p_vert)
    prow = np.full(len(actors), -1, dtype=np.int64)
    prow[p_vert] = np.arange(n_p)

    person_vertex, org, rows = person_org_ends(eco, lay)
    person = prow[person_vertex]
    rel = eco.relations
    rel_kind = rel["kind"].to_numpy(dtype=object)[rows]
    role = object_values(rel["role"])[rows]

    def codes(values: pd.Series) -> np.ndarray:
        cat = pd.Categorical(values)
        return np.asarray(cat.codes, dtype=np.int64)

    nace = actors["nace"].astype("string")
    division = codes(nace.str.slice(0, 2).where(nace.str.len().fillna(0) >= 2))
    municipality = codes(actors["municipality"])
    kind_code = codes(actors["kind"])

    out: dict[str, np.ndarray] = {
        "n_roles": np.bincount(person, minlength=n_p).astype(np.int64),
        "n_organisations": _distinct_per_person(person, org, n_p),
        "n_sectors": _distinct_per_person(person, division[org], n_p),
        "n_kinds": _distinct_per_person(person, kind_code[org], n_p),
        "n_municipalities": _distinct_per_person(person, municipality[org], n_p),
        "chairs": np.bincount(person[(rel_kind == "board_seat") & (role == "chair")],
                              minlength=n_p).astype(np.int64),
        "ceos": np.bincount(person[(rel_kind == "management") & (role == "ceo")],
                            minlength=n_p).astype(np.int64),
    }
    for layer in lay:
        out[f"roles.{layer}"] = np.bincount(person[rel_kind == layer],
                                            minlength=n_p).astype(np.int64)
    out["big_linker"] = out["n_organisations"] >= bl
    index = pd.Index(actors.index[p_vert], name="actor_id", dtype="string")
    frame = pd.DataFrame(out, index=index)
    order = np.lexsort((np.asarray(index, dtype=str), -out["n_roles"], -out["n_organisations"]))
    return frame.iloc[order]
