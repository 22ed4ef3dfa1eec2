"""What one simulation run produced: plain arrays plus the derived per-request metrics.

Everything the animation and charts need is here or derived from here with numpy; the kitchen
picture at time t is a pure function of (result, t).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from disagg_viz.sim.specs import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL, SystemSpec  # noqa: F401 (roles: re-exported)
from disagg_viz.sim.layout import (
    L_END, L_INSTANCE, R_FINISH, R_PREFILL_INST, R_FIRST_TOKEN, R_KV_HEAD, R_KV_ROOM, R_MAX_GAP, R_PREFILL_END,
    R_PREFILL_START, R_REJECT, R_TRANSFER_END, R_TRANSFER_START, SH_PORTS_FREE, SH_BYTES, R_CACHED,
    MV_COLS, MV_DECIDED, MV_DRAINED, MV_INSTANCE, MV_READY, MV_TO,
)

# Where an instance is in a move, at a time (dynamic pools: SystemResult.roles_at).
MOVE_NONE = 0       # on duty in its pool
MOVE_DRAINING = 1   # takes no new work, finishes what it holds
MOVE_SWITCHING = 2  # drained, changing role

@dataclass
class SystemResult:
    spec: SystemSpec              # what ran (sim/specs.py)
    arrival: np.ndarray
    prompt: np.ndarray
    output: np.ndarray
    req_f: np.ndarray             # (N, R_FLOAT_COLS)
    req_i: np.ndarray             # (N, R_INT_COLS)
    log: np.ndarray               # (iterations, L_COLS)
    ship: np.ndarray              # shipment log (N, SH_COLS); no rows without a link
    token_steps: int
    lost: np.ndarray | None = None  # lost-instance events and their costs (sim/layout.py IF_*), if any
    moves: np.ndarray | None = None   # the planner's move log (MV_* rows; dynamic pools), else no rows
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.moves is None:
            self.moves = np.zeros((0, MV_COLS))

    # --- what ran (its spec) -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def kind(self) -> str:
        """The file format's kind, for output only (read ``spec.is_split`` / ``has_link`` to choose)."""
        return self.spec.kind

    @property
    def chunked(self) -> bool:
        return self.spec.chunked

    @property
    def has_link(self) -> bool:
        return self.spec.has_link

    @property
    def link(self):
        return self.spec.link

    @property
    def roles(self) -> np.ndarray:
        """Per global instance: ROLE_*."""
        return self.spec.roles

    @property
    def tp(self) -> np.ndarray:
        """Per global instance: GPUs."""
        return self.spec.tp

    @property
    def kv_capacity_tokens(self) -> np.ndarray:
        return self.spec.kv_capacity_tokens

    @property
    def gpu_names(self) -> list:
        return self.spec.gpu_names

    @property
    def kv_bytes_per_token(self) -> float:
        return self.spec.kv_bytes_per_token

    @property
    def first_token(self) -> str:
        return self.spec.first_token

    @property
    def layerwise(self) -> bool:
        return self.spec.has_link and self.spec.link.layerwise

    @property
    def dollars_per_hour(self) -> float:
        return self.spec.dollars_per_hour

    @property
    def power_kw(self) -> float:
        return self.spec.power_kw

    # --- per request -------------------------------------------------------------------
    @property
    def n(self) -> int:
        return len(self.arrival)

    @property
    def gpus(self) -> int:
        return int(self.tp.sum())

    @property
    def served(self) -> np.ndarray:
        return ~np.isnan(self.req_f[:, R_FINISH])

    @property
    def rejected(self) -> np.ndarray:
        return self.req_i[:, R_REJECT] != 0

    # --- dynamic pools (issue 21) ----------------------------------------------------------
    @property
    def dynamic(self) -> bool:
        """A planner moved (or could move) instances between the pools."""
        return self.spec.dynamic is not None

    def roles_at(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """(each instance's pool ROLE_* at time t, where it is in a move MOVE_*): an instance joins
        its new pool when its move is done (MV_READY); until then it is drawn in the pool it
        leaves, draining, then switching."""
        roles = np.array(self.roles, dtype=np.int64)
        state = np.zeros(len(roles), dtype=np.int64)
        for mv in self.moves:
            if mv[MV_DECIDED] > t:
                break
            k = int(mv[MV_INSTANCE])
            if mv[MV_READY] <= t:
                roles[k] = int(mv[MV_TO])
                state[k] = MOVE_NONE
            elif mv[MV_DRAINED] <= t:
                state[k] = MOVE_SWITCHING
            else:
                state[k] = MOVE_DRAINING
        return roles, state

    # --- prefix caches (issue 21) ----------------------------------------------------------
    @property
    def cached_tokens(self) -> np.ndarray:
        """Prompt tokens each request found in its prefill instance's prefix cache (prefill skipped)."""
        return self.req_i[:, R_CACHED]

    def prefix_hit_rates(self) -> tuple[float, list[float | None]]:
        """(the system's, each prefill-capable instance's) share of routed prompt tokens found in
        the prefix cache; an instance that prefilled nothing has None."""
        routed = ~self.rejected
        inst = self.req_i[:, R_PREFILL_INST]
        prompt = self.prompt.astype(np.float64)
        total = prompt[routed].sum()
        system = float(self.cached_tokens[routed].sum() / total) if total > 0 else 0.0
        rates = []
        prefilling = self.spec.n_instances if self.dynamic else self.spec.prefill_pool.instances
        for i in range(prefilling):
            mine = routed & (inst == i)
            p = prompt[mine].sum()
            rates.append(float(self.cached_tokens[mine].sum() / p) if p > 0 else None)
        return system, rates

    @property
    def ttft(self) -> np.ndarray:
        return self.req_f[:, R_FIRST_TOKEN] - self.arrival

    @property
    def tpot(self) -> np.ndarray:
        out = self.output.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (self.req_f[:, R_FINISH] - self.req_f[:, R_FIRST_TOKEN]) / (out - 1.0)
        t[self.output <= 1] = np.nan
        return t

    @property
    def e2e(self) -> np.ndarray:
        return self.req_f[:, R_FINISH] - self.arrival

    @property
    def stall(self) -> np.ndarray:
        return self.req_f[:, R_MAX_GAP]

    # --- where a tray's time goes (disaggregated; NaN where nothing was shipped) ------------
    @property
    def transfer_exposed(self) -> np.ndarray:
        """The shipping delay a request felt after its prefill: landing - prefill end."""
        return self.req_f[:, R_TRANSFER_END] - self.req_f[:, R_PREFILL_END]

    @property
    def kv_ready(self) -> np.ndarray:
        """When the tray could start shipping: the prefill's end (layer-wise: its start)."""
        return self.req_f[:, R_PREFILL_START if self.layerwise else R_PREFILL_END]

    @property
    def kv_wait(self) -> np.ndarray:
        """Waiting for KV room on the decode pool: the time, while the tray waited to ship, that
        its sender stood blocked with a free port because no decode instance had room (also
        felt by the trays queued behind the blocked one)."""
        if "kv_wait" not in self._cache:
            self._cache["kv_wait"] = self._blocked_overlap(self.kv_ready, self.req_f[:, R_KV_ROOM])
        return self._cache["kv_wait"]

    @property
    def kv_queue(self) -> np.ndarray:
        """Waiting for a link: behind other trays at its sender (not blocked by room), then at its
        receiver's door."""
        return (self.req_f[:, R_TRANSFER_START] - self.kv_ready) - self.kv_wait

    def _blocked_overlap(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per request, how much of [a, b] its sender spent blocked waiting for decode room."""
        f = self.req_f
        out = np.full(self.n, np.nan)
        sender = self.req_i[:, R_PREFILL_INST]
        shipped = ~np.isnan(f[:, R_KV_ROOM])
        for i in np.unique(sender[shipped]):
            mine = shipped & (sender == i)
            s, e = f[mine, R_KV_HEAD], f[mine, R_KV_ROOM]       # disjoint: one head at a time
            order = np.argsort(s, kind="stable")
            s, e = s[order], e[order]
            cum = np.concatenate([[0.0], np.cumsum(e - s)])

            def blocked_before(x):
                k = np.searchsorted(s, x, side="right") - 1
                kk = np.maximum(k, 0)
                part = np.clip(x - s[kk], 0.0, e[kk] - s[kk])
                return np.where(k >= 0, cum[kk] + part, 0.0)

            out[mine] = blocked_before(b[mine]) - blocked_before(a[mine])
        return out

    @property
    def kv_wire(self) -> np.ndarray:
        """On the wire, latency (and, layer-wise, waiting for its last layers) included."""
        return self.req_f[:, R_TRANSFER_END] - self.req_f[:, R_TRANSFER_START]

    @property
    def port_out(self) -> np.ndarray:
        """When a shipment's bytes are out and both its ports are free for the next tray (the
        engine's shipment log; NaN where nothing was shipped)."""
        if not self.has_link:
            return np.full(self.n, np.nan)
        return self.ship[:, SH_PORTS_FREE]

    @property
    def kv_bytes(self) -> np.ndarray:
        """KV bytes of each request's prompt (what its tray carries if it ships)."""
        return self.prompt * self.kv_bytes_per_token

    @property
    def shipped_bytes(self) -> float:
        """KV bytes the link carried (the engine's shipment log)."""
        return float(np.nansum(self.ship[:, SH_BYTES])) if self.has_link else 0.0

    def meets_slo(self, ttft_s: float, tpot_s: float) -> np.ndarray:
        tpot = self.tpot
        ok_tpot = np.isnan(tpot) | (tpot <= tpot_s)
        return self.served & (self.ttft <= ttft_s) & ok_tpot

    # --- over time ----------------------------------------------------------------------
    @property
    def makespan(self) -> float:
        fin = self.req_f[:, R_FINISH]
        if not np.any(~np.isnan(fin)):
            return 0.0
        return float(np.nanmax(fin) - self.arrival.min())

    @property
    def end_time(self) -> float:
        ends = [self.arrival.max() if self.n else 0.0]
        if len(self.log):
            ends.append(self.log[:, L_END].max())
        return float(max(ends))

    def instance_log(self, inst: int) -> np.ndarray:
        key = ("ilog", inst)
        if key not in self._cache:
            self._cache[key] = self.log[self.log[:, L_INSTANCE] == inst]
        return self._cache[key]

    def _sorted(self, col: int) -> np.ndarray:
        key = ("sorted", col)
        if key not in self._cache:
            v = self.req_f[:, col]
            self._cache[key] = np.sort(v[~np.isnan(v)])
        return self._cache[key]

    def count_by(self, col: int, t) -> np.ndarray:
        """How many requests have passed the event in column ``col`` by time(s) t."""
        return np.searchsorted(self._sorted(col), t, side="right")

    def queue_lengths(self, t) -> dict[str, np.ndarray]:
        """Requests waiting for prefill, waiting for/in KV shipment, and decoding, at time(s) t."""
        t = np.asarray(t, dtype=np.float64)
        arrived = np.searchsorted(self.arrival, t, side="right") - np.searchsorted(
            np.sort(self.arrival[self.rejected]), t, side="right")
        started = self.count_by(R_PREFILL_START, t)
        prefilled = self.count_by(R_PREFILL_END, t)
        first = self.count_by(R_FIRST_TOKEN, t)
        finished = self.count_by(R_FINISH, t)
        out = {"waiting": arrived - started, "prefilling": started - prefilled}
        if self.has_link:
            out["shipping"] = prefilled - self.count_by(R_TRANSFER_END, t)
            out["decoding"] = self.count_by(R_TRANSFER_END, t) - finished
        else:
            out["shipping"] = np.zeros_like(started)
            out["decoding"] = first - finished
        return out


@dataclass
class ScenarioResult:
    title: str
    systems: list[SystemResult]
    slo_ttft_s: float
    slo_tpot_s: float
    slo_attainment: float

    @property
    def end_time(self) -> float:
        return max((s.end_time for s in self.systems), default=0.0)

