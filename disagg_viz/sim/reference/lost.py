"""Lost instances in the reference engine (rules: sim/instance_faults.py; the kernels' twin is
sim/kernels/instance_faults.py and the fault events of kernels/colocated.py, disaggregated.py)."""

from __future__ import annotations

import math

import numpy as np

from disagg_viz.sim.instance_faults import W_COLS, W_GAP, finish, remember
from disagg_viz.sim.layout import IF_EXTRA_PREFILL, IF_INST, IF_REQUEUED, IF_RESHIPPED, IF_TIME, IF_UP, R_FIRST_TOKEN, \
    R_KV_HEAD, R_MAX_GAP, SH_BYTES

__all__ = ["Lost", "IF_EXTRA_PREFILL", "IF_REQUEUED", "IF_RESHIPPED"]


class Lost:
    """The lost-instance events of one run (IF_* rows, their costs written here) and what each
    request's earlier lives showed."""

    def __init__(self, faults, n: int):
        self.rows = np.zeros((0, 6)) if faults is None else faults
        self.k = 0
        self.was = np.full((n, W_COLS), np.nan)
        self.was[:, W_GAP] = 0.0

    def next_time(self) -> float:
        return float(self.rows[self.k, IF_TIME]) if self.k < len(self.rows) else math.inf

    def pop(self) -> tuple[int, int, bool]:
        """(row, global instance id, back up) of the next event."""
        row = self.k
        self.k += 1
        return row, int(self.rows[row, IF_INST]), bool(self.rows[row, IF_UP] != 0.0)

    def lost_with(self, row: int) -> list[int]:
        """The stations lost at the moment of ``row`` (its own and the later rows'): all of them are
        gone before the work of any is routed again."""
        t = self.rows[row, IF_TIME]
        out = []
        for k in range(row, len(self.rows)):
            if self.rows[k, IF_TIME] != t:
                break
            if self.rows[k, IF_UP] == 0.0:
                out.append(int(self.rows[k, IF_INST]))
        return out

    def add(self, row: int, col: int, value) -> None:
        self.rows[row, col] += value

    def remember(self, req, r: int, g: int, last: float, gap: float) -> None:
        remember(req.f, self.was, r, g, last, gap)

    def forget_kv_wait(self, req, r: int) -> None:
        req.f[r, R_KV_HEAD] = math.nan

    def finish(self, req) -> None:
        if len(self.rows):
            finish(req.f, self.was)


def seat_life(req, r: int) -> tuple[int, float, float]:
    """(tokens emitted in this life, its last token, its largest gap) of a running request."""
    return req.emitted[r], req.last[r], req.f[r, R_MAX_GAP]


def tray_life(req, r: int) -> tuple[int, float, float]:
    """The same for a tray (prefilled, not seated): its first token if the prefill sent it."""
    return req.emitted[r], req.f[r, R_FIRST_TOKEN], 0.0


def shipped(req, r: int) -> float:
    return req.ship[r, SH_BYTES]
