"""Numba kernels: the same rules as ``sim.reference``, on plain arrays and scalars.

Importing this package imports numba; the entry point sets NUMBA_CACHE_DIR first.
"""

from disagg_viz.sim.kernels.colocated import simulate_colocated
from disagg_viz.sim.kernels.disaggregated import simulate_disaggregated

__all__ = ["simulate_colocated", "simulate_disaggregated"]
