"""The Qt-free simulation core: cost model, workload, engines (Numba and reference), results."""
