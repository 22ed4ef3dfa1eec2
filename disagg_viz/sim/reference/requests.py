"""Per-request state and the logs the reference engine writes (sim/layout.py columns)."""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.cost_model import CM_GPUS, CM_HBM, CM_PEAK_FLOPS
from disagg_viz.sim.layout import (
    L_COLS, R_FINISH, R_FIRST_TOKEN, R_FLOAT_COLS, R_INT_COLS, R_MAX_GAP, R_REJECT, SH_COLS,
)


class Requests:
    """Per-request state and result arrays (``ship``: the shipment log, rows only with a link)."""

    def __init__(self, arrival, prompt, output, shipments: bool, prefix=None):
        self.arrival = arrival
        self.prompt = [int(x) for x in prompt]
        self.output = [int(x) for x in output]
        n = len(arrival)
        if prefix is None:
            self.blocks = [()] * n
        else:
            start, count, ids = prefix
            self.blocks = [tuple(int(b) for b in ids[start[r]:start[r] + count[r]]) for r in range(n)]
        self.cached = [0] * n     # prompt tokens found in the prefix cache
        n = len(arrival)
        self.f = np.full((n, R_FLOAT_COLS), np.nan)
        self.i = np.full((n, R_INT_COLS), -1, dtype=np.int64)
        self.i[:, R_REJECT] = 0
        self.ship = np.full((n if shipments else 0, SH_COLS), np.nan)
        self.emitted = [0] * n
        self.last = [0.0] * n
        self.done = [0] * n      # prompt tokens prefilled so far
        self.token_steps = 0

    def routed(self, r: int, inst, m: int) -> None:
        """Request r goes to ``inst`` and finds m of its blocks there: those are used now and their
        prefill is skipped."""
        from disagg_viz.sim.reference.prefix_cache import hit_tokens
        if m > 0:
            self.cached[r] = hit_tokens(m, self.prompt[r])
            self.done[r] = self.cached[r]
            inst.cache.touch(self.blocks[r][:m])
        inst.pending += self.prompt[r] - self.cached[r]

    def prefilled(self, r: int, inst, cap: int) -> None:
        """Request r's prefill ended on ``inst``: its blocks join the cache, which keeps to the KV
        room left free."""
        from disagg_viz.sim.layout import BLOCK_TOKENS
        inst.pending -= self.prompt[r] - self.cached[r]
        if inst.cache.slots > 0:
            inst.cache.touch(self.blocks[r])
            inst.cache.trim((cap - inst.used) // BLOCK_TOKENS)

    def results(self):
        """The per-request ints with the cached tokens written in."""
        from disagg_viz.sim.layout import R_CACHED
        self.i[:, R_CACHED] = self.cached
        return self.i

    def emit(self, r: int, t: float) -> bool:
        """One token for request r at time t; True when it was the last one."""
        if self.emitted[r] == 0:
            self.f[r, R_FIRST_TOKEN] = t
            self.f[r, R_MAX_GAP] = 0.0
        else:
            gap = t - self.last[r]
            if gap > self.f[r, R_MAX_GAP]:
                self.f[r, R_MAX_GAP] = gap
        self.last[r] = t
        self.emitted[r] += 1
        if self.emitted[r] == self.output[r]:
            self.f[r, R_FINISH] = t
            return True
        return False


class Log:
    """The iteration log (L_* columns)."""

    def __init__(self):
        self.rows: list[list[float]] = []

    def add(self, inst, start, dur, flops, nbytes, cm, ptok, dseq, pseq):
        tp = cm[CM_GPUS]
        cu = flops / (tp * cm[CM_PEAK_FLOPS] * dur)
        bu = nbytes / (tp * cm[CM_HBM] * dur)
        self.rows.append([inst, start, start + dur, ptok, dseq, cu, bu, pseq])

    def array(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, L_COLS))
        return np.array(self.rows, dtype=np.float64)


def stopped(control, arrived: int) -> bool:
    """The kernels' control array (sim/run_control.py): report progress, say whether to stop."""
    if control is None:
        return False
    control[1] = arrived
    return bool(control[0])
