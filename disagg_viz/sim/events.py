"""Named constants of the disaggregated engines' rules, shared by the Numba kernel and the
reference engine (its specification)."""

# Events, in the order ties at the same time are broken (then the arrival).
EV_PREFILL = 0   # a prefill instance's batch ends
EV_PORT = 1      # a sender's port has sent the bytes of its tray (its receiver's port frees too)
EV_LAND = 2      # a tray lands at a decode instance
EV_DECODE = 3    # a decode instance's step ends

# States of a prefill instance's sending port.
PORT_FREE = 0
PORT_RESERVED = 1   # its head tray has KV room on a decode instance and waits at that door
PORT_SHIPPING = 2
