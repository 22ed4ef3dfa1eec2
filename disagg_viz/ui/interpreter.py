"""Interpreter settings that keep the GUI thread answering while a worker thread runs Python.

Two things can keep the GUI thread from the GIL:

- The switch interval. A busy worker hands the GIL over only at this interval, so it is set to
  1 ms.
- A full garbage collection. It holds the GIL from start to end. It walks every tracked object,
  and with Qt, pyqtgraph, pydantic, numpy and Numba loaded that is hundreds of thousands of them.
  At start-up, while Numba loaded its cache in the worker, two such collections froze the window
  for 35-50 ms each (measured with a faulthandler watchdog).

``gc.freeze()`` moves every object alive now into a permanent generation that collections skip.
Here that means the modules, classes and functions loaded so far. Later collections only walk
what was made after.
"""

from __future__ import annotations

import gc
import sys


def tune_for_gui() -> None:
    """Call once the GUI's modules are imported, before the window shows."""
    sys.setswitchinterval(0.001)
    gc.freeze()


def freeze_after_warm_up() -> None:
    """Call once the worker has loaded Numba and the kernels: those objects live as long as the app."""
    gc.freeze()
