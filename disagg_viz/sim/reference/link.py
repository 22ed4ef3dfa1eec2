"""The KV link's ports in the reference engine: every prefill instance has one sending port,
every decode instance one receiving port (each its GPUs' links striped together)."""

from __future__ import annotations

import math
from collections import deque

from disagg_viz.sim.events import PORT_FREE
from disagg_viz.sim.reference.instance import Instance


class Sender:
    """A prefill instance's outbound port."""

    def __init__(self):
        self.out: deque[int] = deque()   # trays ready to ship, FIFO
        self.state = PORT_FREE
        self.req = -1                    # the tray it is reserved for or shipping
        self.end = math.inf              # when the shipping tray's bytes are out


class Receiver:
    """A decode instance's inbound port and the trays headed its way."""

    def __init__(self):
        self.door: deque[int] = deque()  # KV room reserved here, waiting for this port, FIFO
        self.busy = False
        self.flight: list[int] = []      # on the wire or waiting for their last layers, in start order
        self.land = math.inf             # earliest landing among them


class DecodeInstance(Instance):
    def __init__(self, idx: int, cache_slots: int = 0):
        super().__init__(idx, cache_slots)
        self.port = Receiver()


class PrefillInstance(Instance):
    def __init__(self, idx: int, cache_slots: int = 0):
        super().__init__(idx, cache_slots)
        self.port = Sender()
