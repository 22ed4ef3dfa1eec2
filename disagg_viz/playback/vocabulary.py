"""Labels in kitchen terms, serving terms or Kubernetes terms (the seed lesson's "infra bridge":
two node pools tuned for different profiles, the KV handoff as cross-pool data shipping);
tooltips always give kitchen and serving terms, and the Kubernetes words where they differ."""

from __future__ import annotations

from disagg_viz.i18n import N_, _, _n, num
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL

WORDS = {
    "kitchen": {
        "orders": N_("Order rail"), "served": N_("Served"), "shared stations": N_("Shared stations (prep + plating)"),
        "prep kitchen": N_("Prep kitchen"), "pass": N_("The pass (trays)"), "plating line": N_("Plating line"),
        "idle prep": N_("no prep"), "idle plate": N_("no plates"), "seats": N_("seats"),
        ROLE_COLOCATED: N_("Station"), ROLE_PREFILL: N_("Prep"), ROLE_DECODE: N_("Plating"),
    },
    "serving": {
        "orders": N_("Request queue"), "served": N_("Completed"), "shared stations": N_("Colocated instances"),
        "prep kitchen": N_("Prefill pool"), "pass": N_("KV link"), "plating line": N_("Decode pool"),
        "idle prep": N_("no prefill"), "idle plate": N_("no decodes"), "seats": N_("sequences"),
        ROLE_COLOCATED: N_("Instance"), ROLE_PREFILL: N_("Prefill"), ROLE_DECODE: N_("Decode"),
    },
    "kubernetes": {
        "orders": N_("Pending requests"), "served": N_("Completed"), "shared stations": N_("One node pool (both jobs)"),
        "prep kitchen": N_("Prefill node pool (compute-optimized)"), "pass": N_("Cross-pool shipping (KV)"),
        "plating line": N_("Decode node pool (memory-optimized)"),
        "idle prep": N_("no prefill jobs"), "idle plate": N_("no decode streams"), "seats": N_("streams"),
        ROLE_COLOCATED: N_("Pod"), ROLE_PREFILL: N_("Prefill pod"), ROLE_DECODE: N_("Decode pod"),
    },
}

_BOTH = {
    "orders": N_("Order rail = request queue: orders (requests) waiting for prep (prefill); "
                 "ticket length shows prompt length."),
    "served": N_("Served = completed requests, with TTFT / TPOT in ms; ✗ marks a missed SLO."),
    "pass": N_("The pass = the KV link: trays (KV caches) travel from prep (prefill) to plating (decode); "
               "tray size shows KV bytes; trays pile up when the link is busy. In Kubernetes terms: cross-pool "
               "data shipping between the prefill and decode node pools, worth it only if pod-to-pod bandwidth "
               "beats doing both in one place."),
    "kv": N_("Counter space = KV-cache memory in use"),
    "gauges": N_("C = compute (FLOP/s) and B = memory bandwidth (HBM bytes/s) in use, against the GPU's peak"),
}

_STATION_KINDS = {
    ROLE_COLOCATED: N_("Shared station = colocated instance: preps (prefill) and plates (decode) on the same GPUs."),
    ROLE_PREFILL: N_("Prep station = prefill worker: reads whole prompts; compute-bound "
                     "(a pod of the compute-optimized node pool)."),
    ROLE_DECODE: N_("Plating station = decode worker: one token per seat per step; memory-bandwidth-bound "
                    "(a pod of the memory-optimized node pool)."),
}


class Vocabulary:
    """Words and captions in the current language (disagg_viz.i18n; English until the ui sets one)."""

    def __init__(self, mode: str = "kitchen"):
        self.mode = mode if mode in WORDS else "kitchen"

    def word(self, key) -> str:
        return _(WORDS[self.mode][key])

    def count(self, n: int, key: str) -> str:
        """'1 seat', '3 seats', '1 sequence'."""
        word = self.word(key)
        return f"{num(n)} {word[:-1] if n == 1 and word.endswith('s') else word}"

    def station_name(self, st) -> str:
        from disagg_viz.presets import GPU_LABELS
        label = GPU_LABELS.get(getattr(st, "gpu", ""), "")
        share = getattr(st, "port_share", 1.0)
        broken = "" if share >= 1.0 else " · " + _("port broken: {share} of the link").format(share=f"{share:.0%}")
        broken += self.move_text(st)
        if not label:
            gpus = _("1 GPU") if st.tp == 1 else _("{n} GPUs").format(n=st.tp)
            return f"{self.word(st.role)} {st.number} · {gpus}{broken}"
        return f"{self.word(st.role)} {st.number} · " + (f"{st.tp}× {label}" if st.tp > 1 else label) + broken

    def prep_text(self, tokens: int, requests: int) -> str:
        if self.mode == "kitchen":
            return _n("prepping {tokens} tokens ({requests} order)", "prepping {tokens} tokens ({requests} orders)",
                      requests).format(tokens=num(tokens), requests=requests)
        return _("prefill {tokens} tokens ({requests} req)").format(tokens=num(tokens), requests=requests)

    def move_text(self, st) -> str:
        """Dynamic pools: a station on its way to the other pool (draining its work, then switching)."""
        moving = getattr(st, "moving", 0)
        if not moving:
            return ""
        other = self.word(ROLE_DECODE if st.role == ROLE_PREFILL else ROLE_PREFILL)
        if moving == 1:
            return " · " + _("draining → {pool}").format(pool=other)
        return " · " + _("switching → {pool}").format(pool=other)

    def stall_text(self, seconds: float) -> str:
        if self.mode == "kitchen":
            return _("PLATING PAUSED {ms} ms").format(ms=num(seconds * 1e3))
        return _("DECODE STALLED {ms} ms").format(ms=num(seconds * 1e3))

    def link_busy(self, util: float) -> str:
        if self.mode == "kubernetes":
            return _("cross-pool link {util} busy").format(util=num(util, ".0%"))
        if self.mode == "kitchen":
            return _("pass busy {util}").format(util=num(util, ".0%"))
        return _("link {util} busy").format(util=num(util, ".0%"))

    def door_trays(self, n: int) -> str:
        return (_("{n} at the door") if self.mode == "kitchen" else _("{n} at ingress")).format(n=n)

    def queued_trays(self, n: int) -> str:
        if self.mode == "kubernetes":
            return _n("{n} KV shipment queued", "{n} KV shipments queued", n).format(n=n)
        if self.mode == "kitchen":
            return _n("{n} tray waiting", "{n} trays waiting", n).format(n=n)
        return _("{n} KV queued").format(n=n)

    def tip(self, what: str, **kw) -> str:
        if what == "orders":
            return _(_BOTH["orders"]) + "\n" + _("{n} waiting now.").format(n=kw["waiting"])
        if what == "gauges":
            return _(_BOTH["gauges"]) + ".\n" + _("Compute {compute}, bandwidth {bw}.").format(
                compute=num(kw["compute"], ".0%"), bw=num(kw["bw"], ".0%"))
        if what == "kv":
            return _(_BOTH["kv"]) + ": " + _("{used} of {cap} tokens.").format(used=num(kw["used"], ".0%"),
                                                                            cap=num(kw["cap"]))
        if what == "link_util":
            return _("Link utilization = how busy the pass (KV link) was over the last second: {util}.\n"
                     "Near 100% with trays waiting: the link, not the GPUs, is the bottleneck.").format(
                         util=num(kw["util"], ".0%"))
        if what == "door":
            return _("{n} tray(s) with counter space reserved here, waiting at the door: this plating "
                     "station's own link takes one tray at a time (the receiving side of the KV link).").format(
                         n=kw["waiting"])
        if what == "pass":
            return _(_BOTH["pass"]) + "\n" + _("{moving} moving, {waiting} waiting.").format(
                moving=kw["moving"], waiting=kw["waiting"])
        if what == "station":
            st = kw["station"]
            extra = ("\n" + _("Decodes frozen for {ms} ms by a prefill (a generation stall).").format(
                ms=num(st.paused_s * 1e3))) if st.stalled else ""
            return _(_STATION_KINDS[st.role]) + "\n" + _(
                "{tp} GPU(s); {running} running, {tokens} prefill tokens now.").format(
                    tp=st.tp, running=len(st.seats), tokens=num(st.prefill_tokens)) + extra
        return _(_BOTH[what]) if what in _BOTH else ""
