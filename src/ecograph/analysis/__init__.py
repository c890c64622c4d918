"""Network analyses of an ecosystem.

Thin-and-dense structure: :mod:`~ecograph.analysis.interlocks` (``interlocks``,
``person_projection``), :mod:`~ecograph.analysis.roles` (``role_concentration``),
:mod:`~ecograph.analysis.profile` (``thin_dense_profile``),
:mod:`~ecograph.analysis.centrality` (``node_metrics``),
:mod:`~ecograph.analysis.brokerage` (``brokerage``),
:mod:`~ecograph.analysis.vulnerability` (``key_persons``, ``key_player_set``,
``robustness_curve``) and :mod:`~ecograph.analysis.reachability` (``reachability``);
co-opetition: :mod:`~ecograph.analysis.coopetition` (``coopetition``, ``coopetition_summary``,
``coopetition_persons``, ``coopetition_periods``, ``coopetition_drift``),
:mod:`~ecograph.analysis.coopetition_inference` (``infer_coopetition``,
``with_inferred_coopetition``) and :mod:`~ecograph.analysis.coopetition_model`
(``load_coopetition_model``, ``load_inference_model``);
resources and capacity: :mod:`~ecograph.analysis.resources`. Use them through the flat
API (``ecograph.interlocks(eco)``); this package imports nothing on its own, so
``import ecograph`` stays fast.
"""

__all__: list[str] = []
