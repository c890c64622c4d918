"""Scoring many municipalities at once.

:mod:`~ecograph.batch.partition` splits a national ecosystem by municipality,
:mod:`~ecograph.batch.measures` holds the measures computed per municipality and
:mod:`~ecograph.batch.run` runs them serially, in a process pool or on Dask
(``ecograph.score_municipalities`` in the flat API). This package imports nothing
on its own.
"""

__all__: list[str] = []
