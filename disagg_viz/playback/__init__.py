"""Qt-free playback layer: the kitchen and the chart series as pure functions of (result, time)."""
