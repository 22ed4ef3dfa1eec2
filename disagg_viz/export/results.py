"""Per-request results as CSV (one row per request and system) and the scoreboard as JSON,
for spreadsheets and notebooks. Times in seconds from the first arrival; latencies in ms."""

from __future__ import annotations

import csv
import io


from disagg_viz.sim.layout import (
    R_DECODE_INST, R_FINISH, R_FIRST_TOKEN, R_PREFILL_END, R_PREFILL_INST, R_PREFILL_START, R_REJECT,
    R_TRANSFER_END, R_TRANSFER_START, REJECT_KV, REJECT_LOST, REJECT_WEIGHTS,
)
from disagg_viz.export.json_out import dumps
from disagg_viz.sim.metrics import summarize_scenario

COLUMNS = ("system", "request", "arrival_s", "prompt_tokens", "output_tokens", "prefill_start_s", "prefill_end_s",
           "transfer_start_s", "transfer_end_s", "first_token_s", "finish_s", "ttft_ms", "tpot_ms", "e2e_ms",
           "stall_ms", "kv_wait_ms", "kv_queue_ms", "kv_wire_ms", "prefill_instance", "decode_instance", "meets_slo",
           "rejected")
REASONS = {0: "", REJECT_KV: "kv cache can never fit", REJECT_WEIGHTS: "weights do not fit",
           REJECT_LOST: "lost with its station, too long to prefill again"}


def _num(v: float, scale: float = 1.0) -> str:
    return "" if v != v else f"{v * scale:.9g}"


def requests_csv(result) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for s in result.systems:
        f, i = s.req_f, s.req_i
        ttft, tpot, e2e, stall = s.ttft, s.tpot, s.e2e, s.stall
        kv_wait, kv_queue, kv_wire = s.kv_wait, s.kv_queue, s.kv_wire
        ok = s.meets_slo(result.slo_ttft_s, result.slo_tpot_s)
        for r in range(s.n):
            w.writerow([s.name, r, _num(s.arrival[r]), int(s.prompt[r]), int(s.output[r]),
                        _num(f[r, R_PREFILL_START]), _num(f[r, R_PREFILL_END]), _num(f[r, R_TRANSFER_START]),
                        _num(f[r, R_TRANSFER_END]), _num(f[r, R_FIRST_TOKEN]), _num(f[r, R_FINISH]),
                        _num(ttft[r], 1e3), _num(tpot[r], 1e3), _num(e2e[r], 1e3), _num(stall[r], 1e3),
                        _num(kv_wait[r], 1e3), _num(kv_queue[r], 1e3), _num(kv_wire[r], 1e3),
                        int(i[r, R_PREFILL_INST]), int(i[r, R_DECODE_INST]), "yes" if ok[r] else "no",
                        REASONS.get(int(i[r, R_REJECT]), "rejected")])
    return out.getvalue()


def scoreboard_json(result) -> str:
    return dumps(summarize_scenario(result), indent=2)
