"""Column layout of the disaggregated kernel's state arrays (kernels/disaggregated.py; the
planner's helpers, kernels/planner.py, and its lost-instance events, kernels/split_faults.py,
read them too)."""

# Prefill instance state (int64): waiting queue, batch, memory, its sending port.
P_QUEUE = 0      # 3 columns
P_OUT = 3        # 3 columns: trays ready to ship, FIFO
P_BATCH = 6
P_USED = 7
P_ASSIGNED = 8
P_BUSY = 9
P_PORT = 10      # PORT_FREE / PORT_RESERVED / PORT_SHIPPING
P_PORT_REQ = 11  # the tray it is reserved for or shipping
P_PENDING = 12   # prompt tokens routed here and still to prefill (prefix-aware routing)
# Dynamic pools (a planner): every instance of the system has a prefill row and a decode row.
P_OFF = 13       # 1: takes no arrivals (on duty in the decode pool, draining or changing role)
P_ROLE = 14      # ROLE_PREFILL / ROLE_DECODE: its pool (while it moves: the pool it leaves)
P_PHASE = 15     # PH_ACTIVE / PH_DRAIN / PH_SWITCH (sim/events.py)
P_DOWN = 16      # 1: lost ([[faults]] kind "instance-lost"; sim/instance_faults.py)
P_COLS = 17
# Decode instance state (int64).
D_JOIN = 0       # 3 columns: KV landed, waiting for a batch seat
D_DOOR = 3       # 3 columns: KV room reserved here, waiting for the receiving port
D_FLIGHT = 6     # 3 columns: trays on the wire (or waiting for their last layers), in start order
D_RUN = 9
D_USED = 10
D_ASSIGNED = 11
D_BUSY = 12
D_CTX = 13       # total context of the running decodes
D_NEW = 14       # seats from here on joined at the current step: they emit their first token
D_PORT_BUSY = 15
D_OFF = 16       # 1: takes no trays (dynamic pools: on duty in the prefill pool, draining or changing role)
D_DOWN = 17      # 1: lost ([[faults]] kind "instance-lost")
D_COLS = 18
# Dynamic pools: per instance (float64).
PT_READY = 0       # on duty in its current pool since (-inf: from the start)
PT_SWITCH_END = 1  # changing role until (inf: not changing)
PT_COLS = 2
# Dynamic pools: the planner's sums of the samples of the current interval (float64).
ACC_QUEUE = 0      # requests waiting for prefill per on-duty prefill instance
ACC_KV = 1         # share of the on-duty decode KV memory in use
ACC_COLS = 2

# Seats of the running decodes: seat_r, seat_left, seat_last, seat_gap (see colocated.py); the
# decode step is kernels/common.decode_step, shared with the colocated kernel.

# Loop counters kept between calls of _run (as in colocated.py).
CUR_ARRIVED = 0
CUR_LOG = 1
CUR_STEPS = 2
CUR_ROUTED = 3   # requests routed (round-robin's turn)
CUR_EVERY = 4    # events between pauses (the control array's CTL_EVERY)
CUR_TICK = 5     # dynamic pools: the planner's next sample (k: at k x interval / samples; every samples-th decides)
CUR_MOVES = 6    # dynamic pools: moves logged
CUR_MOVING = 7   # dynamic pools: the instance being moved (-1: none)
CUR_LO = 8       # dynamic pools: the first request not yet done (the planner's TTFT/TPOT scan starts there)
CUR_SAMPLES = 9  # dynamic pools: samples in the sums (ACC_*) since the last decision
CUR_FAULT = 10   # lost-instance events done (rows of ``faults``)
CUR_SIZE = 11
