"""The time bar's arrival rate: requests/s per bin of the run."""

import numpy as np

from disagg_viz.playback.arrival_rate import rate_caption, rate_profile


def test_rate_profile_counts_requests_per_second_in_each_bin():
    arrival = np.concatenate([np.linspace(0, 9.99, 20), np.linspace(10, 19.99, 100)])
    edges, rates = rate_profile(arrival, 20.0, bins=2)
    assert list(edges) == [0.0, 10.0, 20.0] and list(rates) == [2.0, 10.0]
    assert "peak 10 req/s" in rate_caption(rates) and "mean 6 req/s" in rate_caption(rates)


def test_an_empty_run_has_no_profile():
    edges, rates = rate_profile(np.zeros(0), 5.0)
    assert len(edges) == 0 and len(rates) == 0 and rate_caption(rates) == ""
