"""The self-contained HTML report of an ecosystem (``ecograph report``; the ``viz`` extra).

:func:`ecograph.reporting.html.report` writes one offline ``index.html`` with
the map, the plots, the tables and an explanation and source for every
section. It is also ``ecograph.report(eco, out_dir)`` in the flat API.
"""

__all__: list[str] = []
