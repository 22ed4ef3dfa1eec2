"""Chart points for a screen (issue 24): at most two per pixel column, every column's extremes kept."""

import numpy as np

from disagg_viz.playback.decimate import envelope


def test_envelope_keeps_each_columns_lowest_and_highest_point():
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 100, 200_000))
    y = rng.lognormal(0, 1, x.size)
    y[12_345] = 1e6                                          # an outlier stays
    dx, dy = envelope(x, y, 500)
    assert len(dx) <= 1000 and 1e6 in dy
    assert np.all(np.diff(dx) >= 0)                          # still in order
    bins = np.minimum((x / x.max() * 500).astype(int), 499)
    kept = np.minimum((dx / x.max() * 500).astype(int), 499)
    for b in (0, 250, 499):
        assert dy[kept == b].max() == y[bins == b].max() and dy[kept == b].min() == y[bins == b].min()


def test_few_points_and_one_time_pass_through():
    x, y = np.arange(10.0), np.arange(10.0) ** 2
    assert np.array_equal(envelope(x, y, 100)[1], y)
    same = envelope(np.zeros(5000), np.arange(5000.0), 100)
    assert sorted(same[1]) == [0.0, 4999.0]
