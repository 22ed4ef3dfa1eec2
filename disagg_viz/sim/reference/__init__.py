"""The plain-Python reference engine: readable objects, the same semantics as the Numba kernels.

Tests run both engines on random scenarios and require identical arrays, so every rule here
(routing, admission, batching, tie-breaking between events at the same time) is the
specification the kernels follow. See docs/engine.md for the rules in prose.

- ``requests``: per-request state, the iteration and shipment logs;
- ``instance``: an instance, the one admission rule, the decode step, an iteration's cost;
- ``link``: the ports (a prefill instance's sender, a decode instance's receiver);
- ``colocated`` and ``disaggregated``: the two event loops.

They take what the kernels take: the arrays of sim/engine_input.py (PL_*, LK_*, CM_* columns).
"""

from disagg_viz.sim.reference.colocated import simulate_colocated_reference
from disagg_viz.sim.reference.disaggregated import simulate_disaggregated_reference

__all__ = ["simulate_colocated_reference", "simulate_disaggregated_reference"]
