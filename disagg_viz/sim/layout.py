"""Column layout of the engines' plain arrays (shared by the Numba and reference engines)."""

# Per-request float64 columns (NaN = did not happen).
R_PREFILL_START = 0
R_PREFILL_END = 1
R_TRANSFER_START = 2
R_TRANSFER_END = 3
R_FIRST_TOKEN = 4
R_FINISH = 5
R_MAX_GAP = 6      # largest gap between two consecutive tokens (0 with one token)
# The KV shipment (disaggregated; the columns above and these form its log): the tray is ready at
# the prefill's end (layer-wise: its start), waits behind other trays for its sender's port, then
# at the head with the port free until a decode instance has KV room (R_KV_HEAD -> R_KV_ROOM),
# then at that instance's door for its receiving port (R_KV_ROOM -> R_TRANSFER_START); it is on
# the wire from R_TRANSFER_START and lands at R_TRANSFER_END (latency included).
R_KV_HEAD = 7      # at the head of its sender's queue with the port free
R_KV_ROOM = 8      # KV room reserved on its decode instance
R_FLOAT_COLS = 9

# Per-request int64 columns.
R_PREFILL_INST = 0  # instance that ran the prefill (colocated: the only instance)
R_DECODE_INST = 1   # global instance id of the decode instance (colocated: same; disaggregated: the
                    # shipment's receiver; -1 if the prefill instance sent the only token)
R_REJECT = 2        # reject reason code (REJECT_NONE when served)
R_CACHED = 3        # prompt tokens found in its prefill instance's prefix cache (their prefill skipped)
R_INT_COLS = 4

REJECT_NONE = 0
REJECT_WEIGHTS = 1  # model weights do not fit in the instance's GPU memory
REJECT_KV = 2       # the request's KV cache (prompt + output) can never fit in one instance
REJECT_LOST = 3     # its decode KV was lost with a station ([[faults]]) and its prompt with the tokens it had
                    # emitted, to be prefilled again, no longer fits a prefill instance's KV memory

REJECT_REASONS = {
    REJECT_NONE: "",
    REJECT_WEIGHTS: "model weights do not fit in GPU memory",
    REJECT_KV: "KV cache of prompt + output exceeds an instance's KV memory",
    REJECT_LOST: "lost with its station: prompt + tokens emitted no longer fit a prefill instance's KV memory",
}

# Iteration log columns (float64).
L_INSTANCE = 0      # global instance id (disaggregated: prefill 0..P-1, decode P..P+D-1)
L_START = 1
L_END = 2
L_PREFILL_TOKENS = 3
L_DECODE_SEQS = 4
L_COMPUTE_UTIL = 5  # FLOPs / (tp x peak x duration)
L_BW_UTIL = 6       # bytes / (tp x HBM x duration)
L_PREFILL_SEQS = 7  # requests with a prefill (chunk) in this iteration
L_COLS = 8

# Shipment log (float64, one row per request, NaN where nothing was shipped): the link's record,
# written by the engines when a tray starts shipping. Playback, series, narration and the result
# read the link's facts here; nobody re-derives wire time or lane counts.
SH_SENDER = 0       # global instance id of the sending port (its prefill instance)
SH_RECEIVER = 1     # global instance id of the receiving port (its decode instance)
SH_QUEUED = 2       # joined its sender's queue (the prefill's end; layer-wise: its start)
SH_WIRE_START = 3   # both ports taken, the bytes start
SH_PORTS_FREE = 4   # the bytes are out: both ports free for the next tray
SH_WIRE_END = 5     # landed (latency and, layer-wise, the last layer's share included)
SH_BYTES = 6        # KV bytes shipped
SH_COLS = 7

# What the engines take (sim/engine_input.py packs them from a spec). One row per pool (colocated:
# one; disaggregated: prefill, decode) of int64 pool parameters, with the pools' packed cost
# vectors (sim/cost_model.py CM_*) as the rows of a float64 array in the same order.
PL_INSTANCES = 0
PL_KV_CAP = 1       # KV tokens per instance (<= 0: the weights do not fit)
PL_MAX_BATCH = 2    # sequences per instance
PL_MAX_PREFILL = 3  # tokens per prefill batch (the first request always goes)
PL_CHUNK = 4        # chunked prefill: token budget per iteration (0: prefill-first)
PL_FIRST_TOKEN = 5  # 1: this pool sends the first token when a prefill ends (disaggregated prefill pool)
# Prefix caches and routing (issue 21): appended columns, read by the pool that takes arrivals.
PL_ROUTING = 6      # ROUTE_*: how an arrival picks its (prefill) instance
PL_CACHE_SLOTS = 7  # prefix-cache blocks per instance (0: no prefix cache)
PL_OVERLAP_MILLI = 8  # prefix-aware routing: the overlap score weight x 1000 (integer costs)
# Dynamic pools (issue 21, a split system's planner): appended columns of the prefill pool's row, in
# integers (microseconds, thousandths) so both engines compare exactly. PL_PLAN_PREFILL = 0: no
# planner (static pools). With a planner both rows have PL_INSTANCES = every instance of the system
# (global ids 0.., each instance one row of both pools, on duty in one of them) and the first
# PL_PLAN_PREFILL start in prefill (docs/engine.md, "Dynamic pools").
PL_PLAN_PREFILL = 9         # instances that start in the prefill pool (0: static pools)
PL_PLAN_INTERVAL_US = 10    # the planner's adjustment interval
PL_PLAN_SWITCH_US = 11      # role-change delay after an instance has drained
PL_PLAN_DWELL_US = 12       # least time in a role before the instance may move again
PL_PLAN_QUEUE_UP_MILLI = 13   # prefill short: waiting requests per prefill instance above this
PL_PLAN_QUEUE_DOWN_MILLI = 14  # prefill spare: below this
PL_PLAN_KV_UP_MILLI = 15      # decode short: decode KV in use (share) above this
PL_PLAN_KV_DOWN_MILLI = 16    # decode spare: below this
PL_PLAN_TTFT_US = 17          # prefill short: mean TTFT over the last interval above this
PL_PLAN_TPOT_US = 18          # decode short: mean TPOT over the last interval above this
PL_PLAN_SAMPLES = 19          # the queue and KV use are sampled this many times an interval and averaged
PL_PLAN_MIN = 20              # instances each pool keeps at least
PL_COLS = 21
POOL_PREFILL = 0    # row of the prefill pool (colocated: the only pool)
POOL_DECODE = 1

ROUTE_LEAST_LOADED = 0  # fewest requests routed and not yet done; ties: lowest index
ROUTE_ROUND_ROBIN = 1   # in turn, over the requests served
ROUTE_PREFIX = 2        # Dynamo's KV router cost: overlap weight x prefill blocks + active blocks
ROUTINGS = ("least-loaded", "round-robin", "prefix-aware")
BLOCK_TOKENS = 512      # a prefix block (Mooncake's hash_ids name 512-token blocks)

# The planner's move log (float64, one row per move; dynamic pools): an instance of the system
# (global id) leaves one pool for the other: decided at a planner tick, drained (its work done),
# then on duty in the other pool after the role-change delay. The signals it saw at the decision.
MV_INSTANCE = 0
MV_FROM = 1         # ROLE_PREFILL (1) / ROLE_DECODE (2) (sim/specs.py)
MV_TO = 2
MV_DECIDED = 3
MV_DRAINED = 4      # NaN: still draining when the run ended
MV_READY = 5        # on duty in its new pool (NaN: not yet when the run ended)
MV_WHY = 6          # WHY_*
MV_QUEUE = 7        # requests waiting for prefill per prefill instance (the interval's samples' mean)
MV_KV = 8           # share of the decode pool's KV memory in use (the interval's samples' mean)
MV_TTFT = 9         # mean TTFT of first tokens in the last interval (NaN: none)
MV_TPOT = 10        # mean TPOT of answers finished in the last interval (NaN: none)
MV_COLS = 11
WHY_PREFILL_QUEUE = 0   # to prefill: its queue above the threshold
WHY_TTFT = 1            # to prefill: TTFT above its target
WHY_DECODE_KV = 2       # to decode: its KV use above the threshold
WHY_TPOT = 3            # to decode: TPOT above its target
MOVE_REASONS = {WHY_PREFILL_QUEUE: "prefill queue above its threshold", WHY_TTFT: "TTFT above its target",
                WHY_DECODE_KV: "decode KV use above its threshold", WHY_TPOT: "TPOT above its target"}
# (JSON's words; the time bar's translated ones are in playback/moments.py)

# The link (float64).
LK_PORT_BYTES_PER_S = 0   # one shipment's rate through its two ports (all its stripes)
LK_LATENCY = 1            # s
LK_LAYERWISE = 2          # 1.0: trays stream layer by layer from the prefill's start
LK_FAULTS = 3             # link faults that follow the row (sim/link_faults.py), in time order
# NVLink domains larger than a node (GB200 NVL72): a shipment between two instances inside one
# domain runs at LK_NVLINK_BYTES_PER_S instead of the link's port rate (0: no such domain). The
# instances fill the domains in order, prefill first (GPU offsets from the sizes below).
LK_NVLINK_BYTES_PER_S = 4
LK_DOMAIN_GPUS = 5
LK_PREFILL_GPUS = 6       # GPUs per prefill instance
LK_DECODE_GPUS = 7        # GPUs per decode instance
LK_PREFILL_INSTANCES = 8
LK_COLS = 9
# Each link fault: FT_COLS floats after LK_COLS: from FT_TIME on, the port of global instance
# FT_PORT runs at FT_FACTOR of the link's rate (a shipment takes the slower of its two ports).
FT_TIME = 0
FT_PORT = 1
FT_FACTOR = 2
FT_COLS = 3
# Lost instances ([[faults]] kind "instance-lost"): one row per event, in time order; the engines
# write what each loss cost into its row (sim/instance_faults.py).
IF_TIME = 0
IF_INST = 1              # global instance id
IF_UP = 2                # 1.0: the instance is back; 0.0: it is lost
IF_REQUEUED = 3          # requests sent back to be routed again
IF_EXTRA_PREFILL = 4     # prompt tokens prefilled again (work lost, and KV rebuilt)
IF_RESHIPPED = 5         # KV bytes that had crossed the link and must cross again
IF_COLS = 6
