"""Named constants of the disaggregated engines' rules, shared by the Numba kernel and the
reference engine (its specification)."""

# Events, in the order ties at the same time are broken (then the arrival).
EV_PREFILL = 0   # a prefill instance's batch ends
EV_PORT = 1      # a sender's port has sent the bytes of its tray (its receiver's port frees too)
EV_LAND = 2      # a tray lands at a decode instance
EV_DECODE = 3    # a decode instance's step ends
EV_SWITCH = 4    # dynamic pools: a drained instance has changed role and goes on duty in its new pool
EV_PLAN = 5      # dynamic pools: the planner's tick (every adjustment interval while requests still arrive)

# Dynamic pools: where an instance is in a move (sim/kernels/planner.py, sim/reference/planner.py).
PH_ACTIVE = 0    # on duty in its pool
PH_DRAIN = 1     # takes no new work; finishes what it holds
PH_SWITCH = 2    # drained; changing role until the switch delay has passed

# States of a prefill instance's sending port.
PORT_FREE = 0
PORT_RESERVED = 1   # its head tray has KV room on a decode instance and waits at that door
PORT_SHIPPING = 2
