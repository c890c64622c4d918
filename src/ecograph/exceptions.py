"""Exceptions and warnings raised by ecograph.

Every error ecograph raises on purpose derives from :class:`EcographError`.
Errors about user input also derive from :class:`ValueError`, so code that
already catches ``ValueError`` keeps working. The tree::

    EcographError(Exception)
     ├─ InputError(EcographError, ValueError)          bad user data
     │   ├─ BundleValidationError                      every problem of a bundle / frame, with locations
     │   ├─ GraphIntegrityError                        dangling endpoints, duplicate ids, ...
     │   ├─ ModelSpecError                             invalid declarative scoring model
     │   ├─ ScenarioError                              invalid scenario file or edit
     │   └─ ImportFormatError                          a registry file that cannot be read
     ├─ ActorNotFound(EcographError, KeyError)         an actor id that is not in the ecosystem
     ├─ EmptyGraphError(EcographError, ValueError)     a measure is undefined on an empty graph
     ├─ ComputationError(EcographError, RuntimeError)  igraph / scipy failure, wrapped ``from exc``
     └─ OptionalDependencyError(EcographError, ImportError)  a missing extra, with the install hint

    EcographWarning(UserWarning)                       legal but suspicious input

``pydantic.ValidationError`` raised by the record models passes through
unchanged: it is already a ``ValueError`` with structured ``.errors()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ActorNotFound",
    "BundleValidationError",
    "ComputationError",
    "EcographError",
    "EcographWarning",
    "EmptyGraphError",
    "GraphIntegrityError",
    "ImportFormatError",
    "InputError",
    "Issue",
    "ModelSpecError",
    "OptionalDependencyError",
    "ScenarioError",
]


class EcographError(Exception):
    """Base class of every error ecograph raises on purpose."""


class InputError(EcographError, ValueError):
    """User data (a file, a frame, an argument) is not acceptable."""


@dataclass(frozen=True)
class Issue:
    """One located problem in user input.

    Attributes
    ----------
    file : str
        File name (``"actors.csv"``) or a frame label (``"<actors>"``).
    row : int or None
        Spreadsheet row number: the header is row 1, the first record row 2.
        For frames that did not come from a file, the 0-based position + 2
        (so a row keeps the same number after ``to_csv``). ``None`` for
        problems that concern the whole file.
    field : str or None
        Column or key name.
    message : str
        What is wrong and what was expected.
    value : object
        The offending value (``None`` when not applicable).
    """

    file: str
    row: int | None
    field: str | None
    message: str
    value: object = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field '{self.field}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        return text


class _IssuesMixin:
    """Carry a list of :class:`Issue` and render them all in the message."""

    issues: tuple[Issue, ...]

    @staticmethod
    def _render(headline: str, issues: Sequence[Issue], limit: int = 50) -> str:
        lines = [f"{headline}: {len(issues)} problem(s)"]
        lines += [f"  - {issue}" for issue in issues[:limit]]
        if len(issues) > limit:
            lines.append(f"  ... and {len(issues) - limit} more (see the .issues attribute)")
        return "\n".join(lines)


class BundleValidationError(_IssuesMixin, InputError):
    """Every problem found while validating actors, relations or metadata.

    Parameters
    ----------
    issues : iterable of Issue
        All problems found; none is dropped.
    headline : str
        First line of the message.
    """

    def __init__(self, issues: Iterable[Issue], headline: str = "invalid ecosystem data") -> None:
        self.issues = tuple(issues)
        super().__init__(self._render(headline, self.issues))


class GraphIntegrityError(BundleValidationError):
    """Graph-level inconsistency: dangling endpoint, duplicate id, share sum above 1."""


class ModelSpecError(InputError):
    """A declarative scoring model is malformed (the message names file and key)."""


class ScenarioError(InputError):
    """A scenario file or a scenario edit is invalid."""


class ImportFormatError(InputError):
    """A registry file (Brønnøysund, shareholder register, ...) cannot be read at all."""


class ActorNotFound(EcographError, KeyError):
    """An actor id that is not in the ecosystem.

    Parameters
    ----------
    actor : object
        The id that was asked for.
    """

    def __init__(self, actor: object) -> None:
        self.actor = actor
        super().__init__(f"actor {actor!r} is not in the ecosystem")

    def __str__(self) -> str:
        return str(self.args[0])


class EmptyGraphError(EcographError, ValueError):
    """A measure is undefined because the (selected) graph has no actors or no relations."""


class ComputationError(EcographError, RuntimeError):
    """A numerical back end (igraph, scipy) failed; the original error is the ``__cause__``."""


class OptionalDependencyError(EcographError, ImportError):
    """An optional dependency is missing; the message says which extra installs it."""


class EcographWarning(UserWarning):
    """Legal but suspicious input (isolated actors, zero intensities, ...)."""
