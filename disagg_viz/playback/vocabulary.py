"""Labels in kitchen terms, serving terms or Kubernetes terms (the seed lesson's "infra bridge":
two node pools tuned for different profiles, the KV handoff as cross-pool data shipping);
tooltips always give kitchen and serving terms, and the Kubernetes words where they differ."""

from __future__ import annotations

from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL

WORDS = {
    "kitchen": {
        "orders": "Order rail", "served": "Served", "shared stations": "Shared stations (prep + plating)",
        "prep kitchen": "Prep kitchen", "pass": "The pass (trays)", "plating line": "Plating line",
        "idle prep": "no prep", "idle plate": "no plates", "seats": "seats",
        ROLE_COLOCATED: "Station", ROLE_PREFILL: "Prep", ROLE_DECODE: "Plating",
    },
    "serving": {
        "orders": "Request queue", "served": "Completed", "shared stations": "Colocated instances",
        "prep kitchen": "Prefill pool", "pass": "KV link", "plating line": "Decode pool",
        "idle prep": "no prefill", "idle plate": "no decodes", "seats": "sequences",
        ROLE_COLOCATED: "Instance", ROLE_PREFILL: "Prefill", ROLE_DECODE: "Decode",
    },
    "kubernetes": {
        "orders": "Pending requests", "served": "Completed", "shared stations": "One node pool (both jobs)",
        "prep kitchen": "Prefill node pool (compute-optimized)", "pass": "Cross-pool shipping (KV)",
        "plating line": "Decode node pool (memory-optimized)",
        "idle prep": "no prefill jobs", "idle plate": "no decode streams", "seats": "streams",
        ROLE_COLOCATED: "Pod", ROLE_PREFILL: "Prefill pod", ROLE_DECODE: "Decode pod",
    },
}

_BOTH = {
    "orders": "Order rail = request queue: orders (requests) waiting for prep (prefill); "
              "ticket length shows prompt length.",
    "served": "Served = completed requests, with TTFT / TPOT in ms; ✗ marks a missed SLO.",
    "pass": "The pass = the KV link: trays (KV caches) travel from prep (prefill) to plating (decode); "
            "tray size shows KV bytes; trays pile up when the link is busy. In Kubernetes terms: cross-pool "
            "data shipping between the prefill and decode node pools, worth it only if pod-to-pod bandwidth "
            "beats doing both in one place.",
    "kv": "Counter space = KV-cache memory in use",
    "gauges": "C = compute (FLOP/s) and B = memory bandwidth (HBM bytes/s) in use, against the GPU's peak",
}


class Vocabulary:
    def __init__(self, mode: str = "kitchen"):
        self.mode = mode if mode in WORDS else "kitchen"

    def word(self, key) -> str:
        return WORDS[self.mode][key]

    def count(self, n: int, key: str) -> str:
        """'1 seat', '3 seats', '1 sequence'."""
        word = self.word(key)
        return f"{n} {word[:-1] if n == 1 and word.endswith('s') else word}"

    def station_name(self, st) -> str:
        from disagg_viz.presets import GPU_LABELS
        label = GPU_LABELS.get(getattr(st, "gpu", ""), "")
        if not label:
            return f"{self.word(st.role)} {st.number} · {st.tp} GPU" + ("s" if st.tp > 1 else "")
        return f"{self.word(st.role)} {st.number} · " + (f"{st.tp}× {label}" if st.tp > 1 else label)

    def prep_text(self, tokens: int, requests: int) -> str:
        if self.mode == "kitchen":
            return f"prepping {tokens:,} tokens ({requests} order{'s' if requests != 1 else ''})"
        return f"prefill {tokens:,} tokens ({requests} req)"

    def stall_text(self, seconds: float) -> str:
        if self.mode == "kitchen":
            return f"PLATING PAUSED {seconds * 1e3:,.0f} ms"
        return f"DECODE STALLED {seconds * 1e3:,.0f} ms"

    def link_busy(self, util: float) -> str:
        if self.mode == "kubernetes":
            return f"cross-pool link {util:.0%} busy"
        return f"pass busy {util:.0%}" if self.mode == "kitchen" else f"link {util:.0%} busy"

    def door_trays(self, n: int) -> str:
        return f"{n} at the door" if self.mode == "kitchen" else f"{n} at ingress"

    def queued_trays(self, n: int) -> str:
        if self.mode == "kubernetes":
            return f"{n} KV shipment{'s' if n != 1 else ''} queued"
        return f"{n} tray{'s' if n != 1 else ''} waiting" if self.mode == "kitchen" else f"{n} KV queued"

    def tip(self, what: str, **kw) -> str:
        if what == "orders":
            return f"{_BOTH['orders']}\n{kw['waiting']} waiting now."
        if what == "gauges":
            return f"{_BOTH['gauges']}.\nCompute {kw['compute']:.0%}, bandwidth {kw['bw']:.0%}."
        if what == "kv":
            return f"{_BOTH['kv']}: {kw['used']:.0%} of {kw['cap']:,} tokens."
        if what == "link_util":
            return (f"Link utilization = how busy the pass (KV link) was over the last second: {kw['util']:.0%}.\n"
                    "Near 100% with trays waiting: the link, not the GPUs, is the bottleneck.")
        if what == "door":
            return (f"{kw['waiting']} tray(s) with counter space reserved here, waiting at the door: this plating "
                    "station's own link takes one tray at a time (the receiving side of the KV link).")
        if what == "pass":
            return f"{_BOTH['pass']}\n{kw['moving']} moving, {kw['waiting']} waiting."
        if what == "station":
            st = kw["station"]
            kind = {ROLE_COLOCATED: "Shared station = colocated instance: preps (prefill) and plates (decode) "
                                    "on the same GPUs.",
                    ROLE_PREFILL: "Prep station = prefill worker: reads whole prompts; compute-bound "
                                  "(a pod of the compute-optimized node pool).",
                    ROLE_DECODE: "Plating station = decode worker: one token per seat per step; "
                                 "memory-bandwidth-bound (a pod of the memory-optimized node pool)."}[st.role]
            extra = f"\nDecodes frozen for {st.paused_s * 1e3:,.0f} ms by a prefill (a generation stall)." if st.stalled else ""
            return f"{kind}\n{st.tp} GPU(s); {len(st.seats)} running, {st.prefill_tokens:,} prefill tokens now.{extra}"
        return _BOTH.get(what, "")
