"""The one line a command prints on stderr when it is about to compile the simulator: the first
run after installing (or after an update of the simulator's code) spends 10-50 s in Numba before
any output, and silence that long looks like a hang. A warm cache prints nothing. The command
line expects it (expect_compile) and the line comes once the scenario has loaded
(announce_if_expected), so a file with a problem gets its message alone."""

from __future__ import annotations

import sys

from disagg_viz.numba_cache import simulator_is_cached

COMPILE_LINE = "disagg-viz: compiling the simulator (first run only, ~15 s)…"
# The commands that run the simulator's compiled kernels.
SIMULATING = ("simulate", "goodput", "sweep", "plan", "export", "check-lessons")


def announce_compile(args, stream=None) -> bool:
    """Print COMPILE_LINE if ``args`` (parsed command line) will compile the simulator: a command
    that simulates with the compiled engine, not ``--quiet``, and a cold cache. Returns whether
    it printed."""
    if getattr(args, "quiet", False) or args.command not in SIMULATING or getattr(args, "engine", "") == "reference":
        return False
    if simulator_is_cached():
        return False
    stream = stream if stream is not None else sys.stderr
    print(COMPILE_LINE, file=stream, flush=True)
    return True


_expected = None


def expect_compile(args) -> None:
    """The command about to run (parsed arguments; None: nothing to announce)."""
    global _expected
    _expected = args


def announce_if_expected(stream=None) -> bool:
    """Announce for the expected command, once (the scenario it names has loaded)."""
    global _expected
    args, _expected = _expected, None
    return announce_compile(args, stream) if args is not None else False
