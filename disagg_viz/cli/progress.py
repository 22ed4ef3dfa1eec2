"""A progress bar on stderr for long commands (goodput, sweep, plan); quiet when stderr is not a
terminal except for a line every 10%, and silent under ``--quiet`` (set_quiet)."""

from __future__ import annotations

import sys
import threading
import time


_quiet = False


def set_quiet(quiet: bool) -> None:
    """``--quiet``: no progress bars (set by the command line for each command it runs)."""
    global _quiet
    _quiet = bool(quiet)


def is_quiet() -> bool:
    return _quiet


class ProgressBar:
    def __init__(self, what: str, stream=None, width: int = 30):
        self.what = what
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.quiet = _quiet
        self.t0 = time.perf_counter()
        self._last_draw = 0.0
        self._last_decile = -1
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        with self._lock:
            now = time.perf_counter()
            frac = done / total if total else 1.0
            if self.tty:
                if now - self._last_draw < 0.1 and done < total:
                    return
                self._last_draw = now
                fill = int(round(frac * self.width))
                eta = (now - self.t0) / frac * (1 - frac) if frac > 0 else 0.0
                self.stream.write(f"\r{self.what} [{'#' * fill}{'.' * (self.width - fill)}] {frac:4.0%} "
                                  f"{done}/{total}  {now - self.t0:5.1f} s, ~{eta:4.0f} s left ")
                if done >= total:
                    self.stream.write("\n")
            else:
                decile = int(frac * 10)
                if decile == self._last_decile:
                    return
                self._last_decile = decile
                self.stream.write(f"{self.what}: {frac:.0%} ({done}/{total}, {now - self.t0:.1f} s)\n")
            self.stream.flush()

    def clear(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
