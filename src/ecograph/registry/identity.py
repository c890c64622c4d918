"""Person identity across companies: normalised name + birth date, stored as a salted hash.

The open Brønnøysund API gives a role holder's name and birth date but no
national identity number, and the shareholder register gives a name, a birth
*year* and a postcode. ecograph therefore identifies a person by a key built
from the normalised name and the birth date, and stores only a salted hash of
that key as the actor id.

The rule
--------
``key = sorted name tokens + "|" + birth date``, where the name is
``fornavn mellomnavn etternavn`` normalised by Unicode NFKC, case folding,
hyphens, dots, commas and apostrophes read as spaces, and the tokens sorted
(the shareholder register writes ``ETTERNAVN FORNAVN``, brreg the other way
round). Letters are otherwise kept: ``Ø`` is not ``O``.

The trade-off
-------------
*False merges* (two people become one): two persons with the same full name
and the same birth date. With a full date this is rare but not impossible for
common names in a national register; with only a birth year (shareholder
register) it is likely for common names, which is why shareholder persons are
by default **not** merged with brreg persons (see
:func:`ecograph.import_brreg`, ``link_shareholders``).
*False splits* (one person becomes two): a changed surname (marriage), a
middle name written in one record and not another, spelling variants
(``Aa`` / ``Å``), a missing birth date. ``middle_names=False`` drops middle
names from the key: fewer splits, more merges. A record without a birth date
is never merged with another (its key includes the organisation number).

Privacy
-------
Birth dates are personal data. They are used only inside the key; they are
written to the ecosystem only when asked for (``keep_birth_dates=True``).
The hash is salted; without a salt of your own a random one is drawn per
import, so the ids cannot be recomputed from a guessed name and date, but
they also differ between imports. Pass the same secret ``salt`` to get
stable ids across imports.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable

from ecograph.exceptions import InputError

__all__ = ["PersonIndex", "normalise_name", "person_key"]

_SEPARATORS = re.compile(r"[-‐‑‒–—.,'’`´]+")
_SPACE = re.compile(r"\s+")


def normalise_name(*parts: str | None) -> str:
    """Normalise a person's name for matching: NFKC, case-folded, tokens sorted.

    Parameters
    ----------
    *parts : str or None
        Name parts in any order (first, middle, last; or one full name).

    Returns
    -------
    str
        Space-separated tokens in sorted order (empty for no name).

    Examples
    --------
    >>> normalise_name("Anne-Lise", None, "Prøve")
    'anne lise prøve'
    >>> normalise_name("NORDMANN OLA") == normalise_name("Ola", "Nordmann")
    True
    """
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SEPARATORS.sub(" ", text)
    tokens = _SPACE.split(text.strip())
    return " ".join(sorted(t for t in tokens if t))


def person_key(
    first: str | None,
    middle: str | None,
    last: str | None,
    birth: str | None,
    *,
    middle_names: bool = True,
) -> str | None:
    """The matching key of a person, or ``None`` when there is no name.

    Parameters
    ----------
    first, middle, last : str or None
        ``fornavn``, ``mellomnavn``, ``etternavn``.
    birth : str or None
        Birth date ``YYYY-MM-DD`` (or a birth year).
    middle_names : bool, default True
        Include middle names in the key.

    Returns
    -------
    str or None
        ``"<normalised name>|<birth>"``; ``"<name>|?"`` without a birth date.

    Examples
    --------
    >>> person_key("Per", "Olav", "Eksempel", "1980-09-09")
    'eksempel olav per|1980-09-09'
    >>> person_key("Per", "Olav", "Eksempel", "1980-09-09", middle_names=False)
    'eksempel per|1980-09-09'
    """
    name = normalise_name(first, middle if middle_names else None, last)
    if not name:
        return None
    return f"{name}|{(birth or '').strip() or '?'}"


class PersonIndex:
    """Assigns one salted-hash id per person key.

    Parameters
    ----------
    salt : str or bytes, optional
        Secret salt of the hash; a random one when omitted.
    prefix : str, default "p_"
        Prefix of the ids.
    keep_births : bool, default True
        Remember the first birth date seen per person (in ``births``).
    keep_keys : bool, default True
        Remember the keys (needed only to link the shareholder register);
        a national import saves memory without them. The id is a hash of
        the key, so no key -> id table is needed to look a person up.

    Examples
    --------
    >>> ix = PersonIndex(salt="secret")
    >>> a = ix.id_for("ola nordmann|1970-01-01", name="Ola Nordmann", birth="1970-01-01")
    >>> a == ix.id_for("ola nordmann|1970-01-01", name="Ola Nordmann", birth="1970-01-01")
    True
    >>> a.startswith("p_"), len(ix)
    (True, 1)
    """

    def __init__(
        self,
        salt: str | bytes | None = None,
        prefix: str = "p_",
        *,
        keep_births: bool = True,
        keep_keys: bool = True,
    ) -> None:
        if salt is None:
            salt = os.urandom(16)
        self._salt = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
        self._prefix = prefix
        self._keep_births = keep_births
        self._keys: list[str] | None = [] if keep_keys else None
        self.names: dict[str, str] = {}
        self.births: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self.names)

    def hash(self, key: str) -> str:
        """The salted id of a key (without registering it)."""
        digest = hashlib.sha256(self._salt + b"\x00" + key.encode("utf-8")).hexdigest()
        return f"{self._prefix}{digest[:16]}"

    def id_for(self, key: str, *, name: str, birth: str | None) -> str:
        """Register ``key`` (first name and birth date seen win) and return its id."""
        pid = self.hash(key)
        if pid not in self.names:
            self.names[pid] = name
            if self._keep_births:
                self.births[pid] = birth
            if self._keys is not None:
                self._keys.append(key)
        return pid

    def get(self, key: str) -> str | None:
        """The id of an already registered key, or ``None``."""
        pid = self.hash(key)
        return pid if pid in self.names else None

    def keys(self) -> Iterable[str]:
        """Registered keys (contain names and birth dates: never write them out).

        Raises
        ------
        InputError
            When the index was made with ``keep_keys=False``.
        """
        if self._keys is None:
            raise InputError("this PersonIndex does not keep its keys (keep_keys=False)")
        return list(self._keys)
