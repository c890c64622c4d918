"""Graph views of the Ecosystem: the endpoint arrays shared by every analysis."""

def test_edge_arrays_seeded_by_validation_match_a_fresh_lookup():
    """from_frames hands the endpoints its checks looked up to ``edge_arrays``."""
    import numpy as np

    import ecograph

    eco = ecograph.synthetic_region(300, seed=3)
    built = ecograph.Ecosystem.from_frames(eco.actors.reset_index(), eco.relations, eco.meta,
                                           warn=False)
    fresh = ecograph.Ecosystem.from_frames(eco.actors.reset_index(), eco.relations, eco.meta,
                                           warn=False)
    fresh._cache.clear()
    for layers in (None, ["board_seat", "management"], "supply"):
        for a, b in zip(built.edge_arrays(layers), fresh.edge_arrays(layers), strict=True):
            np.testing.assert_array_equal(a, b)
    ids = built.actors.index.to_numpy()
    src, dst, _ = built.edge_arrays(None)
    np.testing.assert_array_equal(ids[src], built.relations["source"].to_numpy())
    np.testing.assert_array_equal(ids[dst], built.relations["target"].to_numpy())
