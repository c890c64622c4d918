"""The self-contained HTML report of an ecosystem (``ecograph report``; the ``viz`` extra).

:func:`ecograph.report.html.report` writes one offline ``index.html`` with
the map, the plots, the tables and an explanation and source for every
section. It is also ``ecograph.report(eco, out_dir)``.

``ecograph.report`` is both the name of this package and of the function in
the flat API. Importing ``ecograph.report.html`` makes Python bind the
package to ``ecograph.report``, so the package itself is callable and
forwards to :func:`ecograph.report.html.report`: ``ecograph.report(eco,
"out")`` works whichever object the name is bound to.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__: list[str] = []


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`ecograph.report.html.report`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ecograph.report.html import report

        return report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
