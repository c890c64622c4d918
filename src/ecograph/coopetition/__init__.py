"""coopetition."""
