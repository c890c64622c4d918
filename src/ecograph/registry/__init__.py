"""Importers for Norwegian public registers.

:mod:`~ecograph.registry.enheter` (Brønnøysund Enhetsregisteret units),
:mod:`~ecograph.registry.roles` (role holders), :mod:`~ecograph.registry.shareholders`
(the shareholder register), :mod:`~ecograph.registry.identity` (person keys),
:mod:`~ecograph.registry.tables` (municipality and NACE reference tables) and
:mod:`~ecograph.registry.build`, whose ``import_brreg`` is in the flat API
(``ecograph.import_brreg``). This package imports nothing on its own.
"""

__all__: list[str] = []
