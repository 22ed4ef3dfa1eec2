"""The kitchen at time t: a pure function of (system result, t). Qt-free.

Everything the kitchen view draws comes from here: order tickets waiting, what each station is
doing (prepping, plating, or plating paused by a prep job), the seats of each running batch with
their tokens so far, trays on the pass, and recently served orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from disagg_viz.playback.domains import DomainSpan, station_domains
from disagg_viz.sim.layout import (
    IF_INST, IF_TIME, IF_UP, L_BW_UTIL, L_COMPUTE_UTIL, L_DECODE_SEQS, L_END, L_PREFILL_SEQS, L_PREFILL_TOKENS, L_START,
    R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_KV_ROOM, R_PREFILL_END, R_PREFILL_INST, R_PREFILL_START,
    R_TRANSFER_END, R_TRANSFER_START, SH_BYTES, SH_PORTS_FREE, SH_RECEIVER, SH_SENDER, SH_WIRE_END, SH_WIRE_START,
)
from disagg_viz.sim.overload import overload
from disagg_viz.sim.result import ROLE_DECODE, ROLE_PREFILL, SystemResult

SERVED_WINDOW_S = 4.0   # how long a served order stays on the counter
LINK_WINDOW_S = 1.0     # link utilization is the busy share of the last second


@dataclass
class Seat:
    request: int
    emitted: int
    output: int


@dataclass
class Station:
    index: int                  # global instance id
    number: int                 # 1-based within its pool ("Plating 1" is the first decode instance)
    role: int                   # ROLE_COLOCATED / ROLE_PREFILL / ROLE_DECODE
    tp: int
    queue: np.ndarray           # prompt lengths of waiting orders, in order
    queue_cached: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))   # of those tokens, the
                                # ones whose prep this station already holds (prefix-cache hit), same order
    prefill_tokens: int = 0     # being prepped in the current iteration
    prefill_requests: int = 0
    decoding: int = 0           # sequences decoding in the current iteration
    compute_util: float = 0.0
    bw_util: float = 0.0
    seats: list[Seat] = field(default_factory=list)
    paused_s: float = 0.0       # > 0: decodes on this station are frozen by a prefill
    kv_used: float = 0.0        # share of KV memory reserved
    kv_capacity_tokens: int = 0
    gpu: str = ""               # GPU preset id of its pool
    port_share: float = 1.0     # share of the KV link its port has now (< 1: broken by a [[faults]] entry)
    domain: DomainSpan | None = None   # the NVLink domains its GPUs sit in (None: the system has one)
    lost_since: float | None = None    # lost at this time and not back yet ([[faults]] kind "instance-lost")
    moving: int = 0             # dynamic pools: MOVE_DRAINING / MOVE_SWITCHING on its way to the other pool

    @property
    def busy(self) -> bool:
        return self.prefill_tokens > 0 or self.decoding > 0

    @property
    def stalled(self) -> bool:
        return bool(self.paused_s > 0)


@dataclass
class Tray:
    request: int
    link: int                   # its sender (prefill instance)
    kv_bytes: float
    progress: float             # 0..1 along the pass; < 0 means still waiting for the link
    receiver: int = -1          # global id of its decode instance, once it has KV room there
    at_door: bool = False       # waiting at that decode instance's door for its receiving port


@dataclass
class Served:
    request: int
    ttft_s: float
    tpot_s: float
    missed: bool
    age_s: float


@dataclass
class KitchenSnapshot:
    t: float
    stations: list[Station]
    trays: list[Tray]
    link_busy: np.ndarray       # per prefill instance
    link_util: np.ndarray       # per prefill instance: busy share of the last LINK_WINDOW_S
    served: list[Served]
    served_total: int
    missed_total: int
    rejected_total: int
    crossed_total: int = 0      # trays (KV caches) that have crossed the pass by t


class SnapshotBuilder:
    """Precomputes per-instance index arrays once per result; ``at(t)`` is then cheap."""

    def __init__(self, res: SystemResult, slo_ttft_s: float, slo_tpot_s: float):
        self.res = res
        self.slo = (slo_ttft_s, slo_tpot_s)
        self.n_inst = len(res.roles)
        self.domains = station_domains(res.spec)
        log = res.log
        inst = log[:, 0].astype(np.int64) if len(log) else np.zeros(0, np.int64)
        self.iters = [log[inst == i] for i in range(self.n_inst)]
        self.decode_ends = [it[it[:, L_DECODE_SEQS] > 0, L_END] for it in self.iters]
        f = res.req_f
        self.meets = res.meets_slo(slo_ttft_s, slo_tpot_s)
        self.finish = f[:, R_FINISH]
        order = np.argsort(np.where(np.isnan(self.finish), np.inf, self.finish), kind="stable")
        self.finish_order = order[~np.isnan(self.finish[order])]
        self.finish_sorted = self.finish[self.finish_order]
        self.rejected_arrivals = np.sort(res.arrival[res.rejected])
        ends = f[:, R_PREFILL_END]
        done = ~np.isnan(ends)
        order = np.argsort(ends[done], kind="stable")
        self.prefill_ends = ends[done][order]       # with the KV bytes made by then (tray production)
        self.kv_made = np.concatenate([[0.0], np.cumsum(res.kv_bytes[done][order])])
        self.overload = overload(res)               # the caption says so when the queue keeps growing
        # The link's facts, from the engine's shipment log: per sending port, its busy spans
        # (wire start -> ports free), sorted (FIFO).
        # Dynamic pools: every instance may send (its role changes over time; the snapshot lists the
        # ports of the stations on prep duty at t, in order).
        self.ports = (res.spec.n_instances if res.dynamic else res.link.senders) if res.has_link else 0
        self.transfers = []
        self.crossed = np.zeros(0)                  # when each tray got off the wire, sorted
        if res.has_link:
            ship = res.ship
            ends = ship[:, SH_WIRE_END]
            self.crossed = np.sort(ends[~np.isnan(ends)])
            ts, te = ship[:, SH_WIRE_START], ship[:, SH_PORTS_FREE]
            port = ship[:, SH_SENDER] - res.spec.prefill_pool.first
            for link in range(self.ports):
                mine = (port == link) & ~np.isnan(ts) & ~np.isnan(te)
                order = np.argsort(ts[mine], kind="stable")
                self.transfers.append((ts[mine][order], te[mine][order]))

    def tray_rate(self, t: float, window: float) -> float:
        """KV bytes per second coming out of prefill over the last ``window`` seconds."""
        lo, hi = np.searchsorted(self.prefill_ends, [t - window, t], side="right")
        return float(self.kv_made[hi] - self.kv_made[lo]) / window

    def _link_util(self, link: int, t: float) -> float:
        starts, ends = self.transfers[link]
        lo = np.searchsorted(ends, t - LINK_WINDOW_S, side="right")   # ends are sorted too (FIFO)
        hi = np.searchsorted(starts, t, side="right")
        if hi <= lo:
            return 0.0
        busy = np.minimum(ends[lo:hi], t) - np.maximum(starts[lo:hi], t - LINK_WINDOW_S)
        return float(np.clip(busy, 0.0, None).sum() / LINK_WINDOW_S)

    def _iteration(self, i: int, t: float):
        it = self.iters[i]
        k = np.searchsorted(it[:, L_START], t, side="right") - 1
        if k >= 0 and t < it[k, L_END]:
            return it[k]
        return None

    def _paused(self, i: int, row, t: float) -> float:
        """Time the running decodes have been frozen by prefill-only iterations."""
        if row is None or row[L_DECODE_SEQS] > 0 or row[L_PREFILL_TOKENS] == 0:
            return 0.0
        ends = self.decode_ends[i]
        k = np.searchsorted(ends, t, side="right") - 1
        return t - (ends[k] if k >= 0 else row[L_START])

    def _lost_since(self, i: int, t: float) -> float | None:
        """When station i was lost, if it is lost at t (the engines' lost-instance rows, in time order)."""
        since = None
        for row in (self.res.lost if self.res.lost is not None else ()):
            if int(row[IF_INST]) == i and row[IF_TIME] <= t:
                since = None if row[IF_UP] != 0.0 else float(row[IF_TIME])
        return since

    def at(self, t: float) -> KitchenSnapshot:
        res = self.res
        f, ii = res.req_f, res.req_i
        arrived = res.arrival <= t
        waiting = arrived & ~res.rejected & ~(f[:, R_PREFILL_START] <= t)
        decoding = (f[:, R_FIRST_TOKEN] <= t) & ~(f[:, R_FINISH] <= t)
        disagg = res.has_link
        if disagg:
            seated = (f[:, R_TRANSFER_END] <= t) & ~(f[:, R_FINISH] <= t)
            reserved_d = (f[:, R_TRANSFER_START] <= t) & ~(f[:, R_FINISH] <= t)
            reserved_p = (f[:, R_PREFILL_START] <= t) & ~(f[:, R_TRANSFER_END] <= t)
        else:
            seated = decoding
            reserved_d = (f[:, R_PREFILL_START] <= t) & ~(f[:, R_FINISH] <= t)
            reserved_p = reserved_d
        stations = []
        roles, moving = res.roles_at(t)         # dynamic pools: an instance's pool changes over time
        for i in range(self.n_inst):
            role = int(roles[i])
            row = self._iteration(i, t)
            number = i + 1 if res.dynamic else int(np.sum(roles[:i] == role)) + 1
            st = Station(index=i, number=number, role=role, tp=int(res.tp[i]), queue=np.zeros(0, np.int64),
                         kv_capacity_tokens=int(res.kv_capacity_tokens[i]),
                         gpu=res.gpu_names[i] if i < len(res.gpu_names) else "", domain=self.domains.get(i),
                         moving=int(moving[i]))
            if role != ROLE_DECODE:
                q = waiting & (ii[:, R_PREFILL_INST] == i)
                st.queue = res.prompt[q]
                st.queue_cached = res.cached_tokens[q]
            if row is not None:
                st.prefill_tokens = int(row[L_PREFILL_TOKENS])
                st.prefill_requests = int(row[L_PREFILL_SEQS])
                st.decoding = int(row[L_DECODE_SEQS])
                st.compute_util = float(row[L_COMPUTE_UTIL])
                st.bw_util = float(row[L_BW_UTIL])
            if role != ROLE_PREFILL:
                mine = np.flatnonzero(seated & (ii[:, R_DECODE_INST] == i))
                ends = self.decode_ends[i]
                done_by_t = np.searchsorted(ends, t, side="right")
                first = f[mine, R_FIRST_TOKEN]
                emitted = np.where(first <= t, 1 + done_by_t - np.searchsorted(ends, first, side="right"), 0)
                st.seats = [Seat(int(r), int(e), int(res.output[r])) for r, e in zip(mine, emitted)]
                st.paused_s = self._paused(i, row, t) if st.seats else 0.0
                use = reserved_d & (ii[:, R_DECODE_INST] == i)
                cap = max(st.kv_capacity_tokens, 1)
                st.kv_used = float((res.prompt[use] + res.output[use]).sum()) / cap
            else:
                use = reserved_p & (ii[:, R_PREFILL_INST] == i)
                st.kv_used = float(res.prompt[use].sum()) / max(st.kv_capacity_tokens, 1)
            st.lost_since = self._lost_since(i, t)
            if disagg:
                for at, port, share in res.spec.link.faults:     # in time order: the last one so far holds
                    if int(port) == i and at <= t:
                        st.port_share = float(share)
            stations.append(st)
        trays: list[Tray] = []
        link_busy = np.zeros(self.ports, dtype=bool)
        if disagg:
            ship = res.ship
            ts, te = ship[:, SH_WIRE_START], ship[:, SH_WIRE_END]
            moving = np.flatnonzero((ts <= t) & (te > t))
            queued = np.flatnonzero((f[:, R_PREFILL_END] <= t) & ~(ts <= t))
            kvb = res.kv_bytes
            first = res.spec.prefill_pool.first
            for r in moving:
                link = int(ship[r, SH_SENDER]) - first
                link_busy[link] = True
                trays.append(Tray(int(r), link, float(ship[r, SH_BYTES]),
                                  float((t - ts[r]) / max(te[r] - ts[r], 1e-12)), int(ship[r, SH_RECEIVER])))
            for r in queued:
                door = bool(f[r, R_KV_ROOM] <= t)
                trays.append(Tray(int(r), int(ii[r, R_PREFILL_INST]), float(kvb[r]), -1.0,
                                  int(ii[r, R_DECODE_INST]) if door else -1, door))
        link_util = np.array([self._link_util(link, t) for link in range(len(self.transfers))])
        if res.dynamic and disagg:
            # The pass has a lane per station on prep duty: ports and trays by that station's place.
            prep = [s.index for s in stations if s.role == ROLE_PREFILL]
            place = {k: n for n, k in enumerate(prep)}
            link_busy, link_util = link_busy[prep], link_util[prep]
            for tray in trays:
                tray.link = place.get(tray.link, 0)
        lo = np.searchsorted(self.finish_sorted, t - SERVED_WINDOW_S, side="right")
        hi = np.searchsorted(self.finish_sorted, t, side="right")
        ttft, tpot = res.ttft, res.tpot
        served = [Served(int(r), float(ttft[r]), float(tpot[r]), not bool(self.meets[r]), float(t - self.finish[r]))
                  for r in self.finish_order[lo:hi][::-1]]
        done = self.finish_order[:hi]
        return KitchenSnapshot(
            t=t, stations=stations, trays=trays, link_busy=link_busy, link_util=link_util, served=served, served_total=int(hi),
            missed_total=int(np.sum(~self.meets[done])),
            rejected_total=int(np.searchsorted(self.rejected_arrivals, t, side="right")),
            crossed_total=int(np.searchsorted(self.crossed, t, side="right")))
