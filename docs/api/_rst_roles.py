"""A griffe extension that renders the reST markup of ecograph's numpydoc docstrings in Markdown.

ecograph's docstrings follow numpydoc, which is reStructuredText: ``:func:`x```
roles, ``:math:`x``` inline maths, ``.. math::`` blocks, ``.. [1]`` citations
and ``::`` literal-block markers. mkdocstrings renders docstrings as Markdown,
where those would show as raw markup. This extension rewrites them before the
docstrings are parsed:

* ``:func:`~ecograph.x.f``` -> ```f```; ``:class:`ecograph.X``` -> ```ecograph.X```
  (any role; the ``~`` keeps the last component, as in Sphinx);
* ``:math:`x``` -> ```x``` (TeX source as code: the site loads no maths
  renderer, so it stays offline);
* ``.. math:: expr`` and ``.. math::`` + indented block -> an indented code block;
* ``.. [1] text`` -> a list item ``[1] text``;
* ``text::`` before an indented block -> ``text:``.

mkdocs.yml loads it with ``extensions: [docs/api/_rst_roles.py]``. It changes
nothing in the source files.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["RestRoles", "convert"]

_ROLE = re.compile(r":(?:py:)?(\w+):`(~?)([^`]+)`")
_MATH_DIRECTIVE = re.compile(r"^(\s*)\.\. math::\s*(.*)$")
_CITATION = re.compile(r"^(\s*)\.\. \[(\w+)\]\s+")
_LITERAL_MARKER = re.compile(r"(\S)::$")
_BARE_LITERAL_MARKER = re.compile(r"\s+::$")


def _role(match: re.Match[str]) -> str:
    role, tilde, target = match.groups()
    if role != "math":
        titled = re.fullmatch(r"(.+?)\s*<(.+)>", target)
        if titled:
            target = titled.group(1)
        elif tilde:
            target = target.rsplit(".", 1)[-1]
        if role in {"func", "meth"} and not target.endswith(")"):
            target += "()"
    return f"`{target}`"


def convert(text: str) -> str:
    """Rewrite the reST constructs of a numpydoc docstring as Markdown.

    Parameters
    ----------
    text : str
        The docstring.

    Returns
    -------
    str
        The docstring with roles, maths, citations and literal markers rewritten.

    Examples
    --------
    >>> convert("See :func:`~ecograph.analysis.profile.thin_dense_profile`.")
    'See `thin_dense_profile()`.'
    >>> convert(".. math:: F = 1 - x")
    '\\n    F = 1 - x'
    """
    out: list[str] = []
    for line in text.splitlines():
        math = _MATH_DIRECTIVE.match(line)
        if math:
            indent, expr = math.groups()
            if expr:
                out.extend(["", f"{indent}    {expr}"])
            continue
        citation = _CITATION.match(line)
        if citation:
            indent, label = citation.groups()
            line = f"{indent}- [{label}] " + line[citation.end():]
        line = _ROLE.sub(_role, line)
        if _BARE_LITERAL_MARKER.search(line):
            line = _BARE_LITERAL_MARKER.sub("", line)
        else:
            line = _LITERAL_MARKER.sub(r"\1:", line)
        out.append(line)
    return "\n".join(out)


class RestRoles(griffe.Extension):
    """Convert every docstring with :func:`convert` when griffe loads an object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring in place (before it is parsed)."""
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
