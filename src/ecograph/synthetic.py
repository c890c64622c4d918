"""Seeded synthetic regions and national ecosystems.

:func:`synthetic_region` draws a whole ecosystem (firms, cooperatives,
municipalities, support organisations, knowledge institutions, business
networks, persons and every relation kind) with numpy only: no Python loop
over actors or relations, so a national ecosystem of 10**6 organisations is
generated in seconds. The same arguments and seed always give the same
ecosystem. It is used by the tests at small scale and by the benchmark suite
at 10**3 to 10**6 organisations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ecograph import _arrays
from ecograph.core.ecosystem import Ecosystem
from ecograph.core.schema import ColumnSpec
from ecograph.exceptions import InputError

__all__ = ["SECTOR_CODES", "synthetic_region"]

SECTOR_CODES: Final[dict[str, tuple[str, ...]]] = {
    "food": (
        "01.481",
        "10.110",
        "10.130",
        "10.510",
        "10.710",
        "10.890",
        "11.050",
        "11.070",
        "46.321",
        "47.110",
        "47.220",
    ),
    "tourism": ("55.100", "55.200", "55.300", "56.110", "79.121", "79.901", "79.902", "93.291"),
    "culture": (
        "18.200",
        "32.120",
        "32.130",
        "32.400",
        "58.210",
        "59.110",
        "59.120",
        "59.130",
        "59.140",
        "59.200",
        "74.110",
        "74.120",
        "74.130",
        "74.200",
        "85.529",
        "90.201",
        "90.202",
        "90.209",
        "90.310",
        "90.390",
    ),
}
"""SN2025 codes drawn for firms and cooperatives: the food, tourism / experience and
culture codes of the project's data-sources note §4 (ØF report Tabell 7-1 translated
to SN2025, and the Best Lokalt food and tourism codes)."""

# Preferred order when ``municipalities`` is an int: the Fjellregionen around Røros first.
_REGION_FIRST: Final[tuple[str, ...]] = (
    "5025",
    "5026",
    "3430",
    "3426",
    "3427",
    "3428",
    "3429",
    "3424",
)

# Organisation kinds other than firms and public bodies, with their share of organisations.
_KIND_SHARES: Final[dict[str, float]] = {
    "cooperative": 0.02,
    "support_organisation": 0.01,
    "business_network": 0.004,
    "knowledge_institution": 0.003,
}
# Legal forms of firms and their shares (ENK: sole proprietorship, no board).
_FIRM_FORMS: Final[tuple[tuple[str, float], ...]] = (
    ("ENK", 0.50),
    ("AS", 0.45),
    ("ANS", 0.02),
    ("DA", 0.01),
    ("NUF", 0.02),
)
_FORMS: Final[tuple[str, ...]] = (
    *(f for f, _ in _FIRM_FORMS),
    "SA",
    "KOMM",
    "FLI",
    "STAT",
    "STI",
)
_KIND_CODE: Final[tuple[str, ...]] = (
    "firm",
    "cooperative",
    "support_organisation",
    "business_network",
    "knowledge_institution",
    "public_body",
)
_KIND_LABEL: Final[tuple[str, ...]] = (
    "Firm",
    "Cooperative",
    "Support organisation",
    "Business network",
    "Knowledge institution",
    "Municipality",
)
_FIRM, _COOP, _SUPPORT, _NETWORK, _KNOW, _PUBLIC = range(6)
_SLOT_BOARD, _SLOT_CEO, _SLOT_OWNER, _SLOT_PARTNER = range(4)
_REL_KINDS: Final[tuple[str, ...]] = (
    "board_seat",
    "management",
    "ownership",
    "coopetition",
    "supply",
    "support",
    "membership",
    "funding",
    "knowledge_link",
)
_ROLES: Final[tuple[str, ...]] = (
    "chair",
    "deputy_chair",
    "member",
    "deputy_member",
    "ceo",
    "owner",
    "partner",
)
_SUPPORT_FUNCS: Final[tuple[str, ...]] = (
    "accounting",
    "marketing",
    "competence_development",
    "application_writing",
    "strategic_planning",
    "product_development",
    "sales",
    "legal",
)


def _municipality_table(municipalities: int | str | Sequence[str] | None) -> pd.DataFrame:
    from ecograph.registry.tables import municipalities as shipped

    table = shipped()
    if municipalities is None or (isinstance(municipalities, str) and municipalities == "norway"):
        return table
    if isinstance(municipalities, str):
        raise InputError(
            f"municipalities={municipalities!r}: expected None, 'norway', an int "
            "or a list of 4-digit kommunenummer"
        )
    if isinstance(municipalities, int | np.integer) and not isinstance(municipalities, bool):
        k = int(municipalities)
        if not 1 <= k <= len(table):
            raise InputError(f"municipalities={k}: expected between 1 and {len(table)}")
        order = list(_REGION_FIRST) + [c for c in table.index if c not in _REGION_FIRST]
        return table.loc[order[:k]]
    codes = [str(c) for c in municipalities]  # type: ignore[union-attr]
    unknown = [c for c in codes if c not in table.index]
    if unknown or not codes:
        raise InputError(
            f"unknown municipality code(s) {unknown or codes}; expected 4-digit "
            "kommunenummer of the 2024 list (ecograph.registry.tables.municipalities())"
        )
    return table.loc[list(dict.fromkeys(codes))]


def _pick_in_group(
    query_groups: np.ndarray,
    member_groups: np.ndarray,
    members: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """For each query, a uniformly random member with the same group id (-1 when none)."""
    if len(members) == 0:
        return np.full(len(query_groups), -1, dtype=np.int64)
    order = np.argsort(member_groups, kind="stable")
    sorted_groups = member_groups[order]
    start = np.searchsorted(sorted_groups, query_groups, "left")
    count = np.searchsorted(sorted_groups, query_groups, "right") - start
    offset = np.floor(rng.random(len(query_groups)) * np.maximum(count, 1)).astype(np.int64)
    pos = np.minimum(start + offset, len(order) - 1)
    return np.where(count > 0, members[order][pos], -1).astype(np.int64)


def _pick_nested(
    query_muni: np.ndarray,
    query_county: np.ndarray,
    member_idx: np.ndarray,
    org_muni: np.ndarray,
    org_county: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """A random member in the same municipality, else the same county, else anywhere."""
    out = _pick_in_group(query_muni, org_muni[member_idx], member_idx, rng)
    miss = out < 0
    if miss.any():
        out[miss] = _pick_in_group(query_county[miss], org_county[member_idx], member_idx, rng)
    miss = out < 0
    if miss.any() and len(member_idx):
        out[miss] = member_idx[rng.integers(0, len(member_idx), int(miss.sum()))]
    return out


def _truncated_geometric(mean: float, kmax: int) -> np.ndarray:
    """PMF on 1..kmax proportional to q**(k-1) with the given mean (bisection on q)."""
    k = np.arange(1, kmax + 1, dtype=float)
    lo, hi = 1e-9, 1.0 - 1e-12
    for _ in range(200):
        q = (lo + hi) / 2
        w = q ** (k - 1)
        m = float((k * w).sum() / w.sum())
        if m < mean:
            lo = q
        else:
            hi = q
    pmf = ((lo + hi) / 2) ** (k - 1)
    return np.asarray(pmf / pmf.sum(), dtype=float)


def _employees(
    rng: np.random.Generator, n: int, p0: float, p_small: float, alpha: float, cap: int
) -> np.ndarray:
    """0 with p0, 1-4 with p_small, else 5 + a Pareto(alpha) tail capped at ``cap``."""
    u = rng.random(n)
    small = rng.choice(np.arange(1, 5), size=n, p=[0.4, 0.25, 0.2, 0.15])
    with np.errstate(divide="ignore", over="ignore"):
        tail = np.floor(5.0 * (1.0 - rng.random(n)) ** (-1.0 / alpha))
    tail = np.minimum(tail, cap).astype(np.int64)
    return np.where(u < p0, 0, np.where(u < p0 + p_small, small, tail)).astype(np.int64)


def _pa_strings(codes: np.ndarray, values: Sequence[str]) -> pa.Array:
    """A pyarrow string array from integer codes into ``values`` (-1 = missing)."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(np.maximum(codes, 0), mask=codes < 0)
    dictionary = pa.array(list(values) if len(values) else [""], pa.string())
    return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())


def _strings(codes: np.ndarray, values: Sequence[str]) -> pd.api.extensions.ExtensionArray:
    """The same as a pandas ``string`` array."""
    out: pd.api.extensions.ExtensionArray = pd.array(_pa_strings(codes, values), dtype="string")
    return out


def _pair_roles(
    rng: np.random.Generator,
    slot_org: np.ndarray,
    slot_type: np.ndarray,
    slot_pos: np.ndarray,
    org_muni: np.ndarray,
    n_muni: int,
    n_persons: int,
    seat_exponent: float,
    local_share: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fill role slots with persons (step 5 of :func:`synthetic_region`).

    Returns the kept (person, organisation, slot type, board position) of every role and
    the persons' home municipalities; a helper so that its large temporaries are freed.
    """
    n_slots = len(slot_org)
    # 5. persons: degrees, homes, configuration-model pairing
    k = np.arange(1, 21, dtype=float)
    pk = k ** -float(seat_exponent)
    degree = rng.choice(np.arange(1, 21), size=n_persons, p=pk / pk.sum()).astype(np.int64)
    diff = n_slots - int(degree.sum())
    if diff > 0:
        degree += np.bincount(
            rng.choice(n_persons, size=diff, p=degree / degree.sum()), minlength=n_persons
        )
    elif diff < 0:
        spare = np.repeat(np.arange(n_persons), degree - 1)
        degree -= np.bincount(
            spare[rng.choice(len(spare), size=-diff, replace=False)], minlength=n_persons
        )
    slot_muni = org_muni[slot_org]
    slots_per_muni = np.bincount(slot_muni, minlength=n_muni).astype(float)
    home = rng.choice(n_muni, size=n_persons, p=slots_per_muni / slots_per_muni.sum())
    stub_person = np.repeat(np.arange(n_persons), degree)
    stub_muni = home[stub_person]
    slot_person = np.full(n_slots, -1, dtype=np.int64)
    local = rng.random(n_slots) < local_share
    ls = np.flatnonzero(local)
    ls = ls[np.lexsort((rng.random(len(ls)), slot_muni[ls]))]
    st = np.lexsort((rng.random(len(stub_person)), stub_muni))
    c_slot = np.bincount(slot_muni[ls], minlength=n_muni)
    c_stub = np.bincount(stub_muni[st], minlength=n_muni)
    s_start = np.concatenate([[0], np.cumsum(c_slot)[:-1]])
    p_start = np.concatenate([[0], np.cumsum(c_stub)[:-1]])
    rank = np.arange(len(ls)) - s_start[slot_muni[ls]]
    take = rank < np.minimum(c_slot, c_stub)[slot_muni[ls]]
    matched_stub = st[p_start[slot_muni[ls][take]] + rank[take]]
    slot_person[ls[take]] = stub_person[matched_stub]
    used = np.zeros(len(stub_person), dtype=bool)
    used[matched_stub] = True
    free_slots = np.flatnonzero(slot_person < 0)
    free_stubs = rng.permutation(np.flatnonzero(~used))
    slot_person[free_slots] = stub_person[free_stubs]

    # person -> org role relations, without duplicate (person, org, type)
    order = np.lexsort((slot_pos, slot_org, slot_person, slot_type))
    key = np.stack([slot_type[order], slot_person[order], slot_org[order]])
    first = np.ones(len(order), dtype=bool)
    first[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
    keep = order[first]
    r_src = slot_person[keep]
    r_tgt = slot_org[keep]
    r_type = slot_type[keep]
    r_pos = slot_pos[keep]
    return r_src, r_tgt, r_type, r_pos, home


def synthetic_region(
    n_orgs: int,
    *,
    persons_per_org: float = 1.5,
    seats_per_org: float = 3.0,
    municipalities: int | str | Sequence[str] | None = None,
    seed: int = 0,
    micro_share: float = 0.8,
    local_share: float = 0.85,
    seat_exponent: float = 2.2,
    coopetition_degree: float = 2.0,
    name: str | None = None,
    validate: bool = False,
) -> Ecosystem:
    """Generate a seeded, reproducible synthetic ecosystem (a region or all of Norway).

    Parameters
    ----------
    n_orgs : int
        Number of organisations (firms, cooperatives, municipalities, support
        organisations, business networks, knowledge institutions), at least 1.
    persons_per_org : float, default 1.5
        Target number of persons per organisation. Every person holds at
        least one role, so the realised number is at most the number of role
        slots (board seats, CEO posts, owners of sole proprietorships and
        partnerships).
    seats_per_org : float, default 3.0
        Mean board size of the organisations that have a board (all but sole
        proprietorships, partnerships and municipalities).
    municipalities : None, "norway", int or sequence of str, default None
        Where the organisations are. ``None`` or ``"norway"``: the 357
        municipalities of 2024. An int ``k``: ``k`` municipalities, the
        Fjellregionen around Røros first (5025 Røros, 5026 Holtålen, 3430 Os,
        3426 Tolga, 3427 Tynset, 3428 Alvdal, 3429 Folldal, 3424 Rendalen),
        then the others in code order. A sequence: those kommunenummer.
    seed : int, default 0
        Seed of the numpy random generator; equal arguments give an equal
        ecosystem.
    micro_share : float, default 0.8
        Target share of firms with 0-4 employees (82 % in SSB's 2016 figures
        quoted by the ØF report).
    local_share : float, default 0.85
        Share of roles filled by a person living in the organisation's
        municipality (the others are filled across the country).
    seat_exponent : float, default 2.2
        Exponent of the truncated power law p(k) ~ k**-exponent on 1..20 of
        roles per person.
    coopetition_degree : float, default 2.0
        Mean number of co-opetition ties per firm, drawn among firms of the
        same sector in the same municipality.
    name : str, optional
        Name of the ecosystem (default: a description of the arguments).
    validate : bool, default False
        Run the full frame validation of :meth:`Ecosystem.from_frames`. The
        generator builds typed frames that satisfy every rule by
        construction (the test suite checks that both paths give equal
        ecosystems), so validation is off by default: at 10**6 organisations
        it would take longer than the generation itself.

    Returns
    -------
    Ecosystem
        Validated; ``meta.municipalities`` lists the municipalities used.
        Every relation has provenance ``"illustrative"``. Actor ids are
        ``o1 .. oN`` (organisations, sorted by municipality) and ``p1 ..``
        (persons).

    Raises
    ------
    InputError
        For a non-positive ``n_orgs``, a share outside [0, 1], a non-positive
        ``seats_per_org`` / ``persons_per_org`` or an unknown municipality.

    Notes
    -----
    The generator, step by step (all vectorised):

    1. **Municipality sizes.** Municipality weights are the ``population``
       column of the shipped kommune list when it is filled, else a
       log-normal draw (median 1, sigma 1.1, so the largest of 357 is about
       20-30 times the median: a heavy right tail like Norway's, where half
       the municipalities have fewer than about 5,000 inhabitants). The
       organisation counts are multinomial with these weights.
    2. **Organisations.** Each municipality with organisations has exactly
       one ``public_body`` (the municipality itself, legal form ``KOMM``).
       Other organisations are cooperatives (2 %, ``SA``), support
       organisations (1 %), business networks (0.4 %), knowledge
       institutions (0.3 %) and firms (the rest: ENK 50 %, AS 45 %, ANS 2 %,
       DA 1 %, NUF 2 %). With ``n_orgs >= 20`` every kind occurs at least
       once. Firms and cooperatives get an SN2025 code from
       :data:`SECTOR_CODES` (uniformly).
    3. **Employees.** Sole proprietorships have 0 employees with
       probability 0.9; the other firms' share of 0-4 employees is set so
       that the expected firm-level share is ``micro_share``; 1-4 employees
       has probabilities 0.4 / 0.25 / 0.2 / 0.15; sizes from 5 up follow a
       Pareto tail (alpha 1.1, capped at 20,000).
    4. **Roles.** Boards have 1..12 seats, p(k) proportional to q**(k-1)
       with the mean ``seats_per_org``; the first seat is the chair, the
       second of a board of 3+ is the deputy chair with probability 0.5, and
       other seats are deputy members with probability 0.25. 60 % of the
       organisations with a board, and every municipality, have a CEO. A sole
       proprietorship has one owner (share 1); a partnership two or three
       partners with equal shares.
    5. **Persons.** Roles per person follow the truncated power law, scaled
       so that roles and persons match; persons live in a municipality drawn
       in proportion to its role slots; ``local_share`` of the slots are
       filled within the municipality (a bipartite configuration model),
       the rest at random. A person drawn twice for the same board keeps one
       seat (so realised board sizes are slightly smaller).
    6. **Ownership among firms.** 60 % of the chairs of AS own a share of
       their firm (1.0 for a one-person board with probability 0.7, else
       uniform in [0.2, 1]); 10 % of AS are partly owned (share uniform in
       [0.1, 0.9]) by another AS of the same county; shares into a firm never
       sum above 1.
    7. **Other layers.** Co-opetition among firms of the same sector and
       municipality (intensities Beta(2, 2) and Beta(2, 3)); supply ties
       (0.5 per firm, 80 % within the municipality); support from a support
       organisation of the municipality / county (0.3 per firm, a function
       from the shipped vocabulary); membership of a business network (15 %
       of firms) and of a cooperative (5 % of food firms); municipal funding
       (3 % of firms); knowledge links to a knowledge institution (2 % of
       firms).

    The numbers are stylised assumptions, not estimates: only the micro-firm
    share (ØF report 05/2016, appendix: 82 % with 0-4 employees in 2016) and
    the 2024 municipality list are data.

    References
    ----------
    Østlandsforskning, ØF-rapport 05/2016, "Hvordan lykkes stort som små?".
    Chung, F. and Lu, L. (2002). Connected components in random graphs with
    given expected degree sequences. Annals of Combinatorics 6, 125-145.

    Examples
    --------
    >>> eco = synthetic_region(200, municipalities=3, seed=1)
    >>> sorted(eco.meta.municipalities)
    ['3430', '5025', '5026']
    >>> int((eco.actors["kind"] != "person").sum())
    200
    >>> synthetic_region(200, municipalities=3, seed=1) == eco
    True
    """
    if isinstance(n_orgs, bool) or not isinstance(n_orgs, int | np.integer) or n_orgs < 1:
        raise InputError(f"n_orgs={n_orgs!r}: expected a positive integer")
    for label, value in (("micro_share", micro_share), ("local_share", local_share)):
        if not 0.0 <= float(value) <= 1.0:
            raise InputError(f"{label}={value!r}: expected a share in [0, 1]")
    for label, value in (
        ("persons_per_org", persons_per_org),
        ("seats_per_org", seats_per_org),
        ("seat_exponent", seat_exponent),
    ):
        if not np.isfinite(value) or value <= 0:
            raise InputError(f"{label}={value!r}: expected a positive number")
    if not np.isfinite(coopetition_degree) or coopetition_degree < 0:
        raise InputError(f"coopetition_degree={coopetition_degree!r}: expected a number >= 0")
    if seats_per_org > 12:
        raise InputError(
            f"seats_per_org={seats_per_org!r}: board sizes are drawn on 1..12; expected at most 12"
        )
    n_orgs = int(n_orgs)
    rng = np.random.default_rng(seed)
    kommuner = _municipality_table(municipalities)
    codes = kommuner.index.to_numpy(dtype=object)
    county_of = kommuner["county_code"].to_numpy(dtype=object)
    n_muni = len(codes)

    # 1. municipality sizes
    pop = kommuner["population"]
    if pop.notna().all() and bool((pop > 0).all()):
        weights = pop.to_numpy(dtype=float)
    else:
        weights = rng.lognormal(0.0, 1.1, n_muni)
    counts = rng.multinomial(n_orgs, weights / weights.sum())
    org_muni = np.repeat(np.arange(n_muni), counts)
    _, county_idx = np.unique(county_of, return_inverse=True)
    org_county = county_idx[org_muni]

    # 2. organisations: the first org of each municipality is the municipality itself
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    kind = np.full(n_orgs, _FIRM, dtype=np.int64)
    u = rng.random(n_orgs)
    edge = 0.0
    for code, kind_share in zip(
        (_COOP, _SUPPORT, _NETWORK, _KNOW), _KIND_SHARES.values(), strict=True
    ):
        kind[(u >= edge) & (u < edge + kind_share)] = code
        edge += kind_share
    kind[starts[counts > 0]] = _PUBLIC
    if n_orgs >= 20:
        for code in (_COOP, _SUPPORT, _NETWORK, _KNOW):
            if not (kind == code).any():
                firms = np.flatnonzero(kind == _FIRM)
                kind[firms[rng.integers(0, len(firms))]] = code
    legal = np.full(n_orgs, -1, dtype=np.int64)
    form_p = np.array([p for _, p in _FIRM_FORMS])
    is_firm = kind == _FIRM
    legal[is_firm] = rng.choice(len(_FIRM_FORMS), size=int(is_firm.sum()), p=form_p / form_p.sum())
    legal[kind == _COOP] = _FORMS.index("SA")
    legal[kind == _PUBLIC] = _FORMS.index("KOMM")
    other = (kind == _SUPPORT) | (kind == _NETWORK)
    legal[other] = np.where(
        rng.random(int(other.sum())) < 0.7, _FORMS.index("FLI"), _FORMS.index("AS")
    )
    legal[kind == _KNOW] = np.where(
        rng.random(int((kind == _KNOW).sum())) < 0.5, _FORMS.index("STAT"), _FORMS.index("STI")
    )
    is_enk = legal == _FORMS.index("ENK")
    is_partnership = (legal == _FORMS.index("ANS")) | (legal == _FORMS.index("DA"))
    has_board = ~is_enk & ~is_partnership & (kind != _PUBLIC)

    # sectors
    all_codes = np.array([c for group in SECTOR_CODES.values() for c in group], dtype=object)
    food = np.isin(all_codes, SECTOR_CODES["food"])
    sector = np.full(n_orgs, -1, dtype=np.int64)
    sectored = (kind == _FIRM) | (kind == _COOP)
    sector[sectored] = rng.integers(0, len(all_codes), int(sectored.sum()))
    dest = (kind == _SUPPORT) & (rng.random(n_orgs) < 0.3)

    # 3. employees
    p_enk0, p_enk_small = 0.9, 0.09
    share_enk = dict(_FIRM_FORMS)["ENK"] / form_p.sum()
    p_other_micro = float(
        np.clip((micro_share - share_enk * (p_enk0 + p_enk_small)) / (1 - share_enk), 0.0, 1.0)
    )
    employees = _employees(
        rng, n_orgs, 0.35 * p_other_micro / 0.65, 0.30 * p_other_micro / 0.65, 1.1, 20_000
    )
    employees[is_enk] = _employees(rng, int(is_enk.sum()), p_enk0, p_enk_small, 1.5, 200)
    n_big = int(((kind == _KNOW) | (kind == _PUBLIC)).sum())
    employees[(kind == _KNOW) | (kind == _PUBLIC)] = (
        _employees(rng, n_big, 0.0, 0.0, 0.8, 20_000) + 15
    )
    founded = np.clip(2024 - np.floor(rng.exponential(14.0, n_orgs)), 1900, 2024).astype(np.int64)

    # 4. role slots
    board_p = _truncated_geometric(float(seats_per_org), 12)
    board_size = np.where(has_board, rng.choice(np.arange(1, 13), size=n_orgs, p=board_p), 0)
    has_ceo = (has_board & (rng.random(n_orgs) < 0.6)) | (kind == _PUBLIC)
    n_partners = np.where(is_partnership, rng.integers(2, 4, n_orgs), 0)
    per_org = np.stack([board_size, has_ceo.astype(np.int64), is_enk.astype(np.int64), n_partners])
    slot_org = np.concatenate([np.repeat(np.arange(n_orgs), per_org[t]) for t in range(4)])
    slot_type = np.concatenate([np.full(int(per_org[t].sum()), t) for t in range(4)])
    board_start = np.concatenate([[0], np.cumsum(board_size)[:-1]])
    slot_pos = np.zeros(len(slot_org), dtype=np.int64)
    n_board = int(board_size.sum())
    slot_pos[:n_board] = np.arange(n_board) - board_start[slot_org[:n_board]]
    n_slots = len(slot_org)

    n_persons = min(max(1, round(persons_per_org * n_orgs)), n_slots)
    r_src, r_tgt, r_type, r_pos, home = _pair_roles(
        rng,
        slot_org,
        slot_type,
        slot_pos,
        org_muni,
        n_muni,
        n_persons,
        float(seat_exponent),
        float(local_share),
    )
    del slot_org, slot_type, slot_pos  # free the slot arrays before building the frames
    n_roles = len(r_src)
    r_kind = np.where(
        r_type == _SLOT_BOARD,
        _REL_KINDS.index("board_seat"),
        np.where(
            r_type == _SLOT_CEO, _REL_KINDS.index("management"), _REL_KINDS.index("ownership")
        ),
    )
    role = np.full(n_roles, -1, dtype=np.int64)
    is_board = r_type == _SLOT_BOARD
    big_board = board_size[r_tgt] >= 3
    ru = rng.random(n_roles)
    role[is_board] = np.where(
        r_pos[is_board] == 0,
        _ROLES.index("chair"),
        np.where(
            (r_pos[is_board] == 1) & big_board[is_board] & (ru[is_board] < 0.5),
            _ROLES.index("deputy_chair"),
            np.where(
                rng.random(int(is_board.sum())) < 0.25,
                _ROLES.index("deputy_member"),
                _ROLES.index("member"),
            ),
        ),
    )
    role[r_type == _SLOT_CEO] = _ROLES.index("ceo")
    role[r_type == _SLOT_OWNER] = _ROLES.index("owner")
    role[r_type == _SLOT_PARTNER] = _ROLES.index("partner")
    share = np.full(n_roles, np.nan)
    share[r_type == _SLOT_OWNER] = 1.0
    partner = r_type == _SLOT_PARTNER
    n_kept_partners = np.bincount(r_tgt[partner], minlength=n_orgs)
    share[partner] = 1.0 / n_kept_partners[r_tgt[partner]]

    # 6. ownership among firms and by chairs
    is_as = (legal == _FORMS.index("AS")) & (kind == _FIRM)
    as_idx = np.flatnonzero(is_as)
    held = as_idx[rng.random(len(as_idx)) < 0.10]
    holder = _pick_in_group(org_county[held], org_county[as_idx], as_idx, rng)
    ok = (holder >= 0) & (holder != held)
    held, holder = held[ok], holder[ok]
    held_share = np.round(rng.uniform(0.1, 0.9, len(held)), 2)
    outside = np.zeros(n_orgs)
    outside[held] = held_share
    chair_rows = np.flatnonzero(is_board & (r_pos == 0) & is_as[r_tgt])
    chair_rows = chair_rows[rng.random(len(chair_rows)) < 0.6]
    ct = r_tgt[chair_rows]
    base = np.where(
        (board_size[ct] == 1) & (rng.random(len(ct)) < 0.7), 1.0, rng.uniform(0.2, 1.0, len(ct))
    )
    chair_share = np.floor(base * (1.0 - outside[ct]) * 100) / 100
    chair_ok = chair_share > 0
    chair_rows, chair_share = chair_rows[chair_ok], chair_share[chair_ok]

    # 7. other layers (organisation -> organisation)
    firm_idx = np.flatnonzero(kind == _FIRM)
    n_firm = len(firm_idx)
    pairs: list[tuple[np.ndarray, np.ndarray, str, np.ndarray | None]] = []
    # co-opetition: same sector x municipality
    comp = np.flatnonzero(sectored)
    stubs = rng.poisson(coopetition_degree / 2.0, len(comp))
    a = np.repeat(comp, stubs)
    group = org_muni * len(all_codes) + sector
    b = _pick_in_group(group[a], group[comp], comp, rng)
    ok = (b >= 0) & (b != a)
    lo_, hi_ = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
    uniq = _arrays.unique(lo_ * n_orgs + hi_)
    co_a, co_b = uniq // n_orgs, uniq % n_orgs
    # supply
    src = (
        firm_idx[rng.integers(0, max(n_firm, 1), int(0.5 * n_firm))]
        if n_firm
        else np.empty(0, np.int64)
    )
    loc = rng.random(len(src)) < 0.8
    tgt = np.where(
        loc,
        _pick_in_group(org_muni[src], org_muni, np.arange(n_orgs), rng),
        rng.integers(0, n_orgs, len(src)),
    )
    sel = tgt != src
    pairs.append((src[sel], tgt[sel], "supply", None))
    # support
    sup = np.flatnonzero(kind == _SUPPORT)
    clients = (
        firm_idx[rng.integers(0, max(n_firm, 1), int(0.3 * n_firm))]
        if n_firm and len(sup)
        else np.empty(0, np.int64)
    )
    provider = _pick_nested(org_muni[clients], org_county[clients], sup, org_muni, org_county, rng)
    pairs.append((provider, clients, "support", rng.integers(0, len(_SUPPORT_FUNCS), len(clients))))
    # membership of business networks and cooperatives
    nets = np.flatnonzero(kind == _NETWORK)
    members = firm_idx[rng.random(n_firm) < 0.15] if len(nets) else np.empty(0, np.int64)
    pairs.append(
        (
            members,
            _pick_nested(org_muni[members], org_county[members], nets, org_muni, org_county, rng),
            "membership",
            None,
        )
    )
    coops = np.flatnonzero(kind == _COOP)
    food_firm = firm_idx[(sector[firm_idx] >= 0) & food[np.maximum(sector[firm_idx], 0)]]
    cm = food_firm[rng.random(len(food_firm)) < 0.05] if len(coops) else np.empty(0, np.int64)
    pairs.append(
        (
            cm,
            _pick_nested(org_muni[cm], org_county[cm], coops, org_muni, org_county, rng),
            "membership",
            None,
        )
    )
    # municipal funding: from the public body of the firm's municipality
    funded = firm_idx[rng.random(n_firm) < 0.03]
    muni_body = np.full(n_muni, -1, dtype=np.int64)
    muni_body[org_muni[kind == _PUBLIC]] = np.flatnonzero(kind == _PUBLIC)
    pairs.append((muni_body[org_muni[funded]], funded, "funding", None))
    # knowledge links
    know = np.flatnonzero(kind == _KNOW)
    linked = firm_idx[rng.random(n_firm) < 0.02] if len(know) else np.empty(0, np.int64)
    pairs.append(
        (
            linked,
            _pick_nested(org_muni[linked], org_county[linked], know, org_muni, org_county, rng),
            "knowledge_link",
            None,
        )
    )

    # ---------------------------------------------------------------- frames
    # Every string column is built by pyarrow from integer codes (no Python strings per row).
    n_actors = n_orgs + n_persons
    numbers = pc.cast(
        pa.array(np.concatenate([np.arange(1, n_orgs + 1), np.arange(1, n_persons + 1)])),
        pa.string(),
    )
    prefix = _pa_strings(np.repeat([0, 1], [n_orgs, n_persons]), ("o", "p"))
    ids = pc.binary_join_element_wise(prefix, numbers, "")
    kind_all = np.concatenate([kind, np.full(n_persons, len(_KIND_CODE))])
    names = pc.binary_join_element_wise(
        _pa_strings(kind_all, (*_KIND_LABEL, "Person")), numbers, " "
    )
    public_all = np.concatenate([kind == _PUBLIC, np.zeros(n_persons, dtype=bool)])
    muni_all = np.concatenate([org_muni, home])
    kommune_names = pc.binary_join_element_wise(
        _pa_strings(muni_all, tuple(kommuner["name"].tolist())), pa.scalar(" kommune"), ""
    )
    names = pc.if_else(pa.array(public_all), kommune_names, names)
    legal_code = np.concatenate([legal, np.full(n_persons, -1, dtype=np.int64)])
    nace_code = np.full(n_actors, -1, dtype=np.int64)
    nace_code[:n_orgs] = sector
    nace_code[:n_orgs][dest] = int(np.flatnonzero(all_codes == "79.901")[0])
    missing = np.zeros(n_persons, dtype=bool)
    del public_all, kommune_names, numbers, prefix
    actors: dict[str, Any] = {
        "id": pd.array(ids, dtype="string"),
        "name": pd.array(names, dtype="string"),
        "kind": _strings(kind_all, (*_KIND_CODE, "person")),
        "municipality": _strings(muni_all, tuple(str(c) for c in codes)),
        "nace": _strings(nace_code, tuple(all_codes.tolist())),
        "legal_form": _strings(legal_code, _FORMS),
        "employees": pd.arrays.IntegerArray(
            np.concatenate([employees, np.zeros(n_persons, np.int64)]),
            np.concatenate([np.zeros(n_orgs, bool), ~missing]),
        ),
        "founded": pd.arrays.IntegerArray(
            np.concatenate([founded, np.zeros(n_persons, np.int64)]),
            np.concatenate([np.zeros(n_orgs, bool), ~missing]),
        ),
        "provenance": _strings(np.zeros(n_actors, dtype=np.int64), ("illustrative",)),
    }

    del kind_all, muni_all
    person0 = n_orgs  # persons follow the organisations in the actor table
    src_parts = [person0 + r_src, person0 + r_src[chair_rows], holder]
    tgt_parts = [r_tgt, r_tgt[chair_rows], held]
    own = _REL_KINDS.index("ownership")
    kind_parts = [r_kind, np.full(len(chair_rows), own), np.full(len(held), own)]
    role_parts = [
        role,
        np.full(len(chair_rows), _ROLES.index("owner")),
        np.full(len(held), _ROLES.index("owner")),
    ]
    share_parts = [share, chair_share, held_share]
    n_first = n_roles + len(chair_rows) + len(held)
    func_parts = [np.full(n_first, -1, dtype=np.int64)]
    ci_parts = [np.full(n_first, np.nan)]
    pi_parts = [np.full(n_first, np.nan)]
    src_parts.append(co_a)
    tgt_parts.append(co_b)
    kind_parts.append(np.full(len(co_a), _REL_KINDS.index("coopetition")))
    role_parts.append(np.full(len(co_a), -1))
    share_parts.append(np.full(len(co_a), np.nan))
    func_parts.append(np.full(len(co_a), -1, dtype=np.int64))
    ci_parts.append(np.round(rng.beta(2.0, 2.0, len(co_a)), 3))
    pi_parts.append(np.round(rng.beta(2.0, 3.0, len(co_a)), 3))
    for s_, t_, k_, f_ in pairs:
        okp = (s_ >= 0) & (t_ >= 0) & (s_ != t_)
        s_, t_ = s_[okp], t_[okp]
        first_ = np.unique(s_ * n_orgs + t_, return_index=True)[1]
        s_, t_ = s_[first_], t_[first_]
        src_parts.append(s_)
        tgt_parts.append(t_)
        kind_parts.append(np.full(len(s_), _REL_KINDS.index(k_)))
        role_parts.append(np.full(len(s_), -1))
        share_parts.append(np.full(len(s_), np.nan))
        func_parts.append(
            f_[okp][first_] if f_ is not None else np.full(len(s_), -1, dtype=np.int64)
        )
        ci_parts.append(np.full(len(s_), np.nan))
        pi_parts.append(np.full(len(s_), np.nan))
    del r_src, r_tgt, r_kind, role, share, pairs  # the parts hold what is still needed

    def joined(parts: list[np.ndarray]) -> np.ndarray:
        out = np.concatenate(parts)
        parts.clear()
        return out

    src_all = joined(src_parts)
    n_rel = len(src_all)
    source = pd.array(ids.take(pa.array(src_all)), dtype="string")
    del src_all
    relations: dict[str, Any] = {
        "source": source,
        "target": pd.array(ids.take(pa.array(joined(tgt_parts))), dtype="string"),
        "kind": _strings(joined(kind_parts), _REL_KINDS),
        "role": _strings(joined(role_parts), _ROLES),
        "share": joined(share_parts),
        "competitor_intensity": joined(ci_parts),
        "partner_intensity": joined(pi_parts),
        "function": _strings(joined(func_parts), _SUPPORT_FUNCS),
        "provenance": _strings(np.zeros(n_rel, dtype=np.int64), ("illustrative",)),
    }
    del source, ids
    used_munis = tuple(str(c) for c in codes[counts > 0])
    meta = {
        "name": name or f"synthetic region ({n_orgs} organisations, seed {seed})",
        "description": (
            f"Synthetic ecosystem generated by ecograph.synthetic_region(n_orgs={n_orgs}, "
            f"persons_per_org={persons_per_org}, seats_per_org={seats_per_org}, "
            f"seed={seed}); no real organisation or person."
        ),
        "region": "synthetic",
        "municipalities": used_munis,
        "year": 2024,
        "licence": "CC0-1.0 (synthetic data)",
    }
    if validate:
        return Ecosystem.from_frames(
            pd.DataFrame(actors), pd.DataFrame(relations), meta, warn=False
        )
    return _trusted_ecosystem(actors, relations, meta)


def _trusted_ecosystem(
    actors: dict[str, Any], relations: dict[str, Any], meta: dict[str, object]
) -> Ecosystem:
    """Type columns the way the validator does, without checking them (generator output only).

    The column dicts are emptied as the frames are built, so no column exists twice.
    """
    from ecograph.core.schema import ACTOR_COLUMNS, RELATION_COLUMNS, EcosystemMeta

    def typed(columns: dict[str, Any], specs: tuple[ColumnSpec, ...], n: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in specs:
            if spec.name in columns:
                dtype: Any = spec.dtype
                out[spec.name] = pd.array(columns.pop(spec.name), dtype=dtype, copy=False)
            elif spec.dtype == "float64":
                out[spec.name] = np.full(n, np.nan)
            elif spec.dtype.startswith("datetime"):
                out[spec.name] = np.full(n, np.datetime64("NaT"), dtype=spec.dtype)
            elif spec.dtype == "string":
                out[spec.name] = pd.array(pa.nulls(n, pa.string()), dtype="string")
            elif spec.dtype == "boolean":
                out[spec.name] = pd.arrays.BooleanArray(
                    np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
                )
            else:
                out[spec.name] = pd.arrays.IntegerArray(
                    np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
                )
        return out

    n_actors = len(actors["id"])
    a = typed(actors, ACTOR_COLUMNS, n_actors)
    index = pd.Index(a.pop("id"), dtype="string", name="id")
    a_frame = pd.DataFrame(a, index=index, copy=False)
    del a
    n_rel = len(relations["source"])
    numbers = pc.cast(pa.array(np.arange(1, n_rel + 1)), pa.string())
    relations["id"] = pd.array(pc.binary_join_element_wise("r", numbers, ""), dtype="string")
    r = typed(relations, RELATION_COLUMNS, n_rel)
    r_frame = pd.DataFrame(r, copy=False)
    del r
    return Ecosystem(
        a_frame, r_frame, EcosystemMeta.model_validate(meta), {"actors": {}, "relations": {}}
    )
