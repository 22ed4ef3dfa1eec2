"""Moments of a run a lesson step is about, found in the result (Qt-free): the longest stall,
the peak of the tray queue, the first SLO miss, the peak of the order queue. After a guess the
app jumps a little before the moment and plays it; the time bar marks them."""

from __future__ import annotations

import numpy as np

from disagg_viz.sim.layout import L_DECODE_SEQS, L_END, L_INSTANCE, R_FIRST_TOKEN, R_PREFILL_END, R_PREFILL_START, R_TRANSFER_START
from disagg_viz.sim.fault_cost import station_name
from disagg_viz.sim.result import SystemResult

LEAD_S = 1.0      # jump this long before the moment, so it is seen coming


def longest_stall(res: SystemResult) -> float | None:
    """Half-way through the longest pause between two decode steps of an instance with running
    sequences (a prefill froze them)."""
    best, when = 0.0, None
    log = res.log
    for inst in np.unique(log[:, L_INSTANCE]) if len(log) else []:
        ends = np.sort(log[(log[:, L_INSTANCE] == inst) & (log[:, L_DECODE_SEQS] > 0), L_END])
        if len(ends) < 2:
            continue
        gaps = np.diff(ends)
        k = int(np.argmax(gaps))
        if gaps[k] > best:
            best, when = float(gaps[k]), float(ends[k] + 0.5 * gaps[k])
    return when


def _peak(starts: np.ndarray, ends: np.ndarray) -> float | None:
    """When the most intervals [start, end) overlap (ends may be NaN: still open at the end)."""
    ok = ~np.isnan(starts)
    if not ok.any():
        return None
    s = starts[ok]
    e = np.where(np.isnan(ends[ok]), np.inf, ends[ok])
    times = np.concatenate([s, e])
    delta = np.concatenate([np.ones(len(s)), -np.ones(len(e))])
    order = np.lexsort((delta, times))            # at equal times, leave before arriving
    level = np.cumsum(delta[order])
    k = int(np.argmax(level))
    return float(times[order][k]) if level[k] > 0 else None


def tray_queue_peak(res: SystemResult) -> float | None:
    if not res.has_link:
        return None
    return _peak(res.req_f[:, R_PREFILL_END], res.req_f[:, R_TRANSFER_START])


def queue_peak(res: SystemResult) -> float | None:
    accepted = ~res.rejected
    return _peak(np.where(accepted, res.arrival, np.nan), res.req_f[:, R_PREFILL_START])


def first_slo_miss(res: SystemResult, slo_ttft_s: float, slo_tpot_s: float) -> float | None:
    """When the first request that misses the SLO gets its first token (or is turned away)."""
    missed = ~res.meets_slo(slo_ttft_s, slo_tpot_s)
    if not missed.any():
        return None
    t = np.where(np.isnan(res.req_f[:, R_FIRST_TOKEN]), res.arrival, res.req_f[:, R_FIRST_TOKEN])
    return float(np.min(t[missed]))


def first_fault(res: SystemResult) -> float | None:
    """When the system's first [[faults]] entry strikes (a port breaking, a station lost)."""
    times = [float(at) for at, _, _ in (res.spec.link.faults if res.spec.has_link else ())]
    times += [float(at) for at, _, up in res.spec.instance_faults if not up]
    return min(times) if times else None


def moment(kind: str, res: SystemResult, slo_ttft_s: float, slo_tpot_s: float) -> float | None:
    if kind == "longest_stall":
        return longest_stall(res)
    if kind == "tray_queue_peak":
        return tray_queue_peak(res)
    if kind == "queue_peak":
        return queue_peak(res)
    if kind == "first_slo_miss":
        return first_slo_miss(res, slo_ttft_s, slo_tpot_s)
    if kind == "first_fault":
        return first_fault(res)
    raise ValueError(f"unknown moment {kind!r}")


def jump_time(kind: str, res: SystemResult, slo_ttft_s: float, slo_tpot_s: float) -> float | None:
    """Where playback starts to show the moment: a little before it (never before 0)."""
    t = moment(kind, res, slo_ttft_s, slo_tpot_s)
    return None if t is None else max(t - LEAD_S, 0.0)


def system_by_ref(systems, ref: str | None):
    """A result's system by name or "#K" (default: the first)."""
    if not ref:
        return systems[0] if systems else None
    if ref.startswith("#") and ref[1:].isascii() and ref[1:].isdigit():   # not "#²"
        k = int(ref[1:]) - 1
        return systems[k] if 0 <= k < len(systems) else None
    return next((s for s in systems if s.name == ref), None)


def _station(res, port: int) -> str:
    n_p = res.spec.prefill_pool.instances
    return f"prefill {port + 1}" if port < n_p else f"decode {port - n_p + 1}"


def fault_marks(result) -> list[tuple[float, str]]:
    """Every [[faults]] entry's moment, in every lesson step too (the step's text says what breaks)."""
    marks = []
    for res in result.systems:
        if res.spec.has_link:
            for at, port, share in res.spec.link.faults:
                marks.append((at, f"fault: {_station(res, int(port))} port to {share:.0%} of the link, {res.name}"))
        for at, inst, up in res.spec.instance_faults:
            name = station_name(res.spec, int(inst))
            marks.append((at, f"back: {name}, {res.name}" if up else f"fault: {name} lost, {res.name}"))
    return marks


def marks_for(result, walk=None) -> list[tuple[float, str]]:
    """Moments worth seeing, as (time, label) marks for the time bar. Every fault's moment. Outside
    a lesson: each system's longest stall and tray-queue peak. In a lesson: only the open step's own
    moment, once its guess is in (a mark points at an answer, and a later step's moment belongs to
    that step)."""
    lesson = walk is not None and len(walk) > 0
    marks = fault_marks(result)       # what breaks, and when, is the scenario's, not an answer
    if lesson and walk.needs_guess():
        return marks
    for res in ([] if lesson else result.systems):
        t = longest_stall(res)
        if t is not None and np.nanmax(res.stall, initial=0.0) > 0.2:
            marks.append((t, f"longest stall, {res.name}"))
        t = tray_queue_peak(res)
        if t is not None:
            marks.append((t, f"most trays waiting, {res.name}"))
    marks += move_marks(result)
    step = walk.step if walk is not None and len(walk) else None
    if step is not None and step.moment:
        res = system_by_ref(result.systems, step.moment_system)
        t = moment(step.moment, res, result.slo_ttft_s, result.slo_tpot_s) if res is not None else None
        if t is not None:
            marks.append((t, f"this step: {step.moment.replace('_', ' ')}"))
    return marks


def move_marks(result) -> list[tuple[float, str]]:
    """Dynamic pools: one mark per move the planner decided (when the station starts draining),
    with the station, where it goes and why."""
    from disagg_viz.i18n import N_, _
    from disagg_viz.sim.layout import (
        MV_DECIDED, MV_FROM, MV_INSTANCE, MV_WHY, WHY_DECODE_KV, WHY_PREFILL_QUEUE, WHY_TPOT, WHY_TTFT,
    )
    from disagg_viz.sim.result import ROLE_PREFILL
    words = {WHY_PREFILL_QUEUE: N_("prefill queue above its threshold"), WHY_TTFT: N_("TTFT above its target"),
             WHY_DECODE_KV: N_("decode KV use above its threshold"), WHY_TPOT: N_("TPOT above its target")}
    marks = []
    for res in result.systems:
        for mv in res.moves:
            label = (_("planner: instance {k} from prefill to decode ({why}), {name}")
                     if int(mv[MV_FROM]) == ROLE_PREFILL else
                     _("planner: instance {k} from decode to prefill ({why}), {name}"))
            why = words[int(mv[MV_WHY])]
            marks.append((float(mv[MV_DECIDED]), label.format(k=int(mv[MV_INSTANCE]) + 1, why=_(why), name=res.name)))
    return marks
