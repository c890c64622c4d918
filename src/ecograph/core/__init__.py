"""Typed graph core: vocabulary, record models, validation and the Ecosystem."""

from ecograph.core.ecosystem import Ecosystem
from ecograph.core.kinds import (
    ACTOR_KINDS,
    ORGANISATION_KINDS,
    PROVENANCES,
    RELATION_KINDS,
    RELATION_RULES,
)
from ecograph.core.schema import Actor, EcosystemMeta, Relation

__all__ = [
    "ACTOR_KINDS",
    "ORGANISATION_KINDS",
    "PROVENANCES",
    "RELATION_KINDS",
    "RELATION_RULES",
    "Actor",
    "Ecosystem",
    "EcosystemMeta",
    "Relation",
]
