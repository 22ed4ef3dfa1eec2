"""The state columns of a disaggregated system's instances in its kernel (int64 rows), shared by
kernels/disaggregated.py and its lost-instance events (kernels/split_faults.py)."""

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
P_DOWN = 13      # 1: lost ([[faults]] kind "instance-lost"; sim/instance_faults.py)
P_COLS = 14
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
D_DOWN = 16      # 1: lost
D_COLS = 17
