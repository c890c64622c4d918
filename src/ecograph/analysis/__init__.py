"""Network analyses of an ecosystem.

Thin-and-dense structure: :mod:`~ecograph.analysis.interlocks` (``interlocks``,
``person_projection``), :mod:`~ecograph.analysis.roles` (``role_concentration``),
:mod:`~ecograph.analysis.profile` (``thin_dense_profile``),
:mod:`~ecograph.analysis.centrality` (``node_metrics``),
:mod:`~ecograph.analysis.brokerage` (``brokerage``),
:mod:`~ecograph.analysis.vulnerability` (``key_persons``, ``key_player_set``,
``robustness_curve``) and :mod:`~ecograph.analysis.reachability` (``reachability``);
resources and capacity: :mod:`~ecograph.analysis.resources`. Use them through the flat
API (``ecograph.interlocks(eco)``); this package imports nothing on its own, so
``import ecograph`` stays fast.
"""
