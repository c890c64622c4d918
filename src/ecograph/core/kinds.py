"""Vocabulary of the ecosystem model: actor kinds, relation kinds and their rules.

This module is the single place that says which relation may join which
actors. The pydantic record models (:mod:`ecograph.core.schema`), the
vectorised frame validator (:mod:`ecograph.core.validate`) and the graph
builders all read these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = [
    "ACTOR_KINDS",
    "BOARD_ROLES",
    "LEGAL_FORMS",
    "MANAGEMENT_ROLES",
    "ORGANISATION_KINDS",
    "PROVENANCES",
    "RELATION_KINDS",
    "RELATION_RULES",
    "SUPPORT_FUNCTIONS",
    "ActorKind",
    "Provenance",
    "RelationKind",
    "RelationRule",
]

ActorKind = Literal[
    "person",
    "firm",
    "cooperative",
    "business_network",
    "public_body",
    "support_organisation",
    "knowledge_institution",
]
"""Kinds of actor. Every kind except ``person`` is an organisation."""

RelationKind = Literal[
    "board_seat",
    "management",
    "ownership",
    "membership",
    "coopetition",
    "supply",
    "support",
    "funding",
    "knowledge_link",
    "tie",
]
"""Kinds of relation. Each kind is also a *layer* of the multiplex graph."""

Provenance = Literal["stated", "inferred", "registry", "survey", "illustrative"]
"""Where a record comes from: a source states it, it was inferred, read from a
public register, collected in a survey, or made up to illustrate."""

ACTOR_KINDS: Final[tuple[str, ...]] = get_args(ActorKind)
RELATION_KINDS: Final[tuple[str, ...]] = get_args(RelationKind)
PROVENANCES: Final[tuple[str, ...]] = get_args(Provenance)
ORGANISATION_KINDS: Final[tuple[str, ...]] = tuple(k for k in ACTOR_KINDS if k != "person")

BOARD_ROLES: Final[dict[str, str]] = {
    "chair": "LEDE",
    "deputy_chair": "NEST",
    "member": "MEDL",
    "deputy_member": "VARA",
    "observer": "OBS",
}
"""Board roles and the Brønnøysund role code each corresponds to."""

MANAGEMENT_ROLES: Final[dict[str, str | None]] = {
    "ceo": "DAGL",
    "managing_owner": "FFØR",
    "project_leader": None,
    "manager": None,
    "other": None,
}
"""Management roles (``ceo`` is the Brønnøysund *daglig leder*, DAGL)."""

SUPPORT_FUNCTIONS: Final[tuple[str, ...]] = (
    "accounting",
    "bookkeeping",
    "annual_accounts",
    "purchasing",
    "invoicing",
    "public_reporting",
    "auditing",
    "budgeting",
    "pricing",
    "marketing",
    "social_media",
    "sales",
    "online_sales",
    "trade_fairs",
    "market_days",
    "distribution",
    "product_development",
    "strategic_planning",
    "competence_development",
    "application_writing",
    "process_facilitation",
    "legal",
    "hr",
    "it",
)
"""Named support functions (seed report 004 §2.1). Other strings are accepted with a warning."""

LEGAL_FORMS: Final[dict[str, str]] = {
    "AS": "Aksjeselskap (limited company)",
    "ASA": "Allmennaksjeselskap (public limited company)",
    "SA": "Samvirkeforetak (cooperative)",
    "ENK": "Enkeltpersonforetak (sole proprietorship)",
    "NUF": "Norskregistrert utenlandsk foretak (foreign branch)",
    "DA": "Selskap med delt ansvar (partnership, shared liability)",
    "ANS": "Ansvarlig selskap (general partnership)",
    "KS": "Kommandittselskap (limited partnership)",
    "STI": "Stiftelse (foundation)",
    "FLI": "Forening/lag/innretning (association)",
    "KF": "Kommunalt foretak (municipal enterprise)",
    "IKS": "Interkommunalt selskap (inter-municipal company)",
    "KOMM": "Kommune (municipality)",
    "FYLK": "Fylkeskommune (county authority)",
    "STAT": "Staten (state)",
    "ORGL": "Organisasjonsledd (public body unit)",
    "SF": "Statsforetak (state enterprise)",
    "BEDR": "Underenhet (establishment of another unit)",
    "AAFY": "Underenhet til ikke-næringsdrivende",
    "KIRK": "Den norske kirke",
    "SPA": "Sparebank (savings bank)",
    "PK": "Pensjonskasse",
    "SAM": "Tingsrettslig sameie",
    "ESEK": "Eierseksjonssameie",
    "KBO": "Konkursbo (bankruptcy estate)",
    "UTLA": "Utenlandsk enhet",
}
"""Norwegian legal forms (Brønnøysund ``organisasjonsform``). Others warn, not fail."""


@dataclass(frozen=True)
class RelationRule:
    """Which actors a relation kind may join, and how it behaves in the graph.

    Attributes
    ----------
    source_kinds, target_kinds : tuple of str
        Actor kinds allowed at each end.
    directed : bool
        ``False`` for symmetric relations (co-opetition, social ties).
    roles : tuple of str or None
        Allowed ``role`` values, ``None`` when ``role`` is free text.
    fields : tuple of str
        Kind-specific fields that may be filled for this kind (others must stay empty).
    description : str
        One line for the documentation.
    """

    source_kinds: tuple[str, ...]
    target_kinds: tuple[str, ...]
    directed: bool
    roles: tuple[str, ...] | None
    fields: tuple[str, ...]
    description: str


_ORG = ORGANISATION_KINDS
_ANY = ACTOR_KINDS

RELATION_RULES: Final[dict[str, RelationRule]] = {
    "board_seat": RelationRule(
        ("person",), _ORG, True, tuple(BOARD_ROLES), ("role",),
        "A person holds a seat on an organisation's board (LEDE, NEST, MEDL, VARA, OBS).",
    ),
    "management": RelationRule(
        ("person",), _ORG, True, tuple(MANAGEMENT_ROLES), ("role",),
        "A person manages an organisation (ceo = daglig leder, DAGL).",
    ),
    "ownership": RelationRule(
        _ANY, _ORG, True, None, ("role", "share"),
        "An actor owns a share of an organisation; share in (0, 1], empty when unknown.",
    ),
    "membership": RelationRule(
        _ANY, ("business_network", "cooperative"), True, None, ("role",),
        "An actor is a member of a business network or a member-owner of a cooperative.",
    ),
    "coopetition": RelationRule(
        _ORG, _ORG, False, None, ("role", "competitor_intensity", "partner_intensity"),
        "Two organisations compete and cooperate at once; each intensity in [0, 1].",
    ),
    "supply": RelationRule(
        _ORG, _ORG, True, None, ("role",),
        "The source organisation supplies goods or services to the target.",
    ),
    "support": RelationRule(
        _ANY, _ORG, True, None, ("role", "function"),
        "The source provides a support function (accounting, marketing, ...) to the target.",
    ),
    "funding": RelationRule(
        _ANY, _ANY, True, None, ("role",),
        "The source funds the target (grants, programmes, loans).",
    ),
    "knowledge_link": RelationRule(
        _ANY, _ANY, True, None, ("role",),
        "A knowledge-exchange link, typically to a knowledge institution.",
    ),
    "tie": RelationRule(
        _ANY, _ANY, False, None, ("role",),
        "A generic social tie (acquaintance, advice, external network).",
    ),
}
