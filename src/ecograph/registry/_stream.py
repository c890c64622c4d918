"""Constant-memory readers for registry files: gzip sniffing and a streaming JSON-array reader.

The bulk files of Brønnøysundregistrene (``/enheter/lastned``,
``/roller/totalbestand``) are gzipped JSON arrays of several gigabytes. They
are read here element by element with :meth:`json.JSONDecoder.raw_decode` on
a sliding text buffer, so memory stays bounded by the chunk size plus the
largest single element, whatever the size of the file.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ecograph.exceptions import ImportFormatError

__all__ = ["BrokenElement", "iter_json_array", "load_json_document", "open_text", "peek"]

_CHUNK = 1 << 20
_MAX_ELEMENT = 256 << 20  # a single element larger than this is not a registry record
_WS = re.compile(r"[\s,]*")
_GZIP_MAGIC = b"\x1f\x8b"
_NUMBER_CHARS = frozenset("0123456789.eE+-")


@dataclass(frozen=True)
class BrokenElement:
    """An array element that is not valid JSON.

    Attributes
    ----------
    index : int
        0-based position of the element in the array.
    offset : int
        Character offset of the element in the (decompressed) text.
    message : str
        The JSON decoder's message.
    snippet : str
        The first characters of the element.
    """

    index: int
    offset: int
    message: str
    snippet: str


def is_gzip(path: Path) -> bool:
    """Whether the file starts with the gzip magic bytes ``1f 8b``."""
    with path.open("rb") as fh:
        return fh.read(2) == _GZIP_MAGIC


def open_text(path: str | Path, encoding: str = "utf-8") -> IO[str]:
    """Open a plain or gzipped file as text (gzip recognised by its magic bytes, not the name)."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"registry file {p} does not exist")
    if is_gzip(p):
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding=encoding, newline="")
    return p.open("r", encoding=encoding, newline="")


def load_json_document(path: str | Path, file: str) -> Any:
    """Parse a whole (possibly gzipped) JSON document; a BOM is accepted.

    Raises
    ------
    ImportFormatError
        ``"<file>: invalid JSON at line L, column C: ..."`` when it does not parse.
    """
    with open_text(path, encoding="utf-8-sig") as fh:
        try:
            return json.load(fh)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(
                f"{file}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc


def peek(path: str | Path, size: int = 4096) -> str:
    """The first characters of a (possibly gzipped) file, without a byte-order mark."""
    try:
        with open_text(path, encoding="utf-8-sig") as fh:
            return fh.read(size)
    except UnicodeDecodeError:
        return ""
    except (OSError, EOFError) as exc:
        raise ImportFormatError(f"{Path(path).name}: cannot read the file: {exc}") from exc


def _element_end(buf: str, start: int) -> int | None:
    """End (exclusive) of the JSON value at ``start`` by bracket counting, or None if incomplete.

    Strings and escapes are honoured; the scan stops at the closing bracket that
    empties the stack, or at the first closing bracket that does not match
    (a broken element ends there).
    """
    stack: list[str] = []
    i = start
    n = len(buf)
    in_str = False
    pairs = {"}": "{", "]": "["}
    while i < n:
        c = buf[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            stack.append(c)
        elif c in "}]":
            if not stack or stack[-1] != pairs[c]:
                return i if i > start else i + 1
            stack.pop()
            if not stack:
                return i + 1
        elif not stack and c == ",":
            return i  # a scalar element
        i += 1
    return None


def iter_json_array(fh: IO[str], *, chunk: int = _CHUNK) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, element)`` of a top-level JSON array read from a text stream.

    A malformed element is yielded as a :class:`BrokenElement` (the reader
    skips to its end and goes on); a truncated file yields a final
    :class:`BrokenElement`.

    Parameters
    ----------
    fh : text stream
        Positioned at the start of the array (whitespace and a byte-order
        mark before ``[`` are skipped).
    chunk : int
        Characters read at a time.

    Yields
    ------
    (int, object)
        Element index (0-based) and the decoded element or a
        :class:`BrokenElement`.

    Raises
    ------
    ImportFormatError
        When the stream does not start with ``[``.

    Examples
    --------
    >>> import io
    >>> [v for _, v in iter_json_array(io.StringIO('[{"a": 1}, 2 ,"x"]'))]
    [{'a': 1}, 2, 'x']
    >>> items = list(iter_json_array(io.StringIO('[{"a": 1} , {"a" 2}, {"a": 3}]')))
    >>> items[1][1].index, items[2][1]
    (1, {'a': 3})
    """
    decoder = json.JSONDecoder()
    buf = fh.read(chunk).lstrip("\ufeff \t\r\n")
    if not buf.startswith("["):
        raise ImportFormatError(f"expected a JSON array starting with '[', got {buf[:40]!r}")
    pos = 1
    base = 0  # characters discarded before buf[0]
    eof = False
    index = 0
    while True:
        m = _WS.match(buf, pos)
        pos = m.end() if m else pos
        if pos >= len(buf) - 1 and not eof:
            more = fh.read(chunk)
            if more:
                buf = buf[pos:] + more
                base += pos
                pos = 0
                continue
            eof = True
        if pos >= len(buf):
            yield index, BrokenElement(index, base + pos, "file ends before the closing ']'", "")
            return
        if buf[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            end_ = _element_end(buf, pos)
            if end_ is None and not eof:
                if len(buf) - pos > _MAX_ELEMENT:
                    raise ImportFormatError(
                        f"array element {index} at character {base + pos} is larger than "
                        f"{_MAX_ELEMENT} characters or never ends"
                    ) from exc
                more = fh.read(chunk)
                if more:
                    buf = buf[pos:] + more
                    base += pos
                    pos = 0
                    continue
                eof = True
                end_ = _element_end(buf, pos)
            if end_ is None:
                yield (
                    index,
                    BrokenElement(
                        index, base + pos, f"truncated element: {exc.msg}", buf[pos : pos + 80]
                    ),
                )
                return
            yield index, BrokenElement(index, base + pos, exc.msg, buf[pos : min(end_, pos + 80)])
            index += 1
            pos = end_
            continue
        if (
            not eof
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and (end >= len(buf) or buf[end] in _NUMBER_CHARS)
        ):
            # a number cut by the end of the buffer ("-1500" of "-1500.0") continues
            more = fh.read(chunk)
            if more:
                buf = buf[pos:] + more
                base += pos
                pos = 0
                continue
            eof = True
        yield index, value
        index += 1
        pos = end
        if pos > chunk:
            buf = buf[pos:]
            base += pos
            pos = 0
