"""The run budget of traffic whose rate changes (a rate schedule, a day curve, bursts).

A decode iteration serves every sequence seated on its instance, so the log rows are the output
tokens over the batches the traffic makes. One rate over the run fills batches evenly; a day's
night trough serves few sequences a step and logs many more rows per token than its peak. The
estimate cuts the arrivals into windows and, in each, takes the batch Little's law gives
(arrival rate x output tokens x one decode step, over the decode instances) within 1 and the
batch the budget assumes at most (min(max_batch, BATCH_CAP)); the rows are the window's
output tokens over that batch, summed. Plain numbers in (arrays, a system's spec), numbers out.
"""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.cost_model import decode_step_time

WINDOWS = 96
BATCH_CAP = 64           # the batch the budget assumes at most in a window (a full decode batch)


def decode_rows(arrival: np.ndarray, prompt: np.ndarray, output: np.ndarray, spec, max_batch: int,
                batch_cap: int) -> float:
    """Estimated decode-iteration rows of one system (``spec``: its SystemSpec) on these requests."""
    n = len(arrival)
    if n == 0:
        return 0.0
    pool = spec.pools[-1]                         # the decode pool (a colocated system: its only pool)
    context = max(1, round(float(prompt.mean() + output.mean() / 2)))
    step = decode_step_time(pool.cost, 1, context)
    span = float(arrival[-1] - arrival[0])
    if span <= 0:
        return float(output.sum()) / min(max_batch, batch_cap)
    edges = np.linspace(arrival[0], arrival[-1], WINDOWS + 1)
    which = np.clip(np.searchsorted(edges, arrival, side="right") - 1, 0, WINDOWS - 1)
    count = np.bincount(which, minlength=WINDOWS).astype(np.float64)
    tokens = np.bincount(which, weights=output.astype(np.float64), minlength=WINDOWS)
    width = span / WINDOWS
    batch = tokens / width * step / spec.most_decode_instances   # Little's law: seqs decoding at once
    batch = np.clip(batch, 1.0, float(min(max_batch, batch_cap)))
    return float((tokens[count > 0] / batch[count > 0]).sum())
