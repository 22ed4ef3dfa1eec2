"""Atomic writes: a temporary file beside the target, flushed to disk, then renamed over it.
A failed write (full disk, read-only folder) leaves the old file exactly as it was, and its error
names the file asked for, not the temporary one. Writing through a symbolic link writes the file
it points to (the link stays). Temporary files a killed process left behind are removed by the
next save of the same file."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

STALE_S = 60.0          # a temporary file this old beside the target was left by a killed save


def _remove_stale(path: Path) -> None:
    now = time.time()
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_S:
                tmp.unlink()
        except OSError:
            pass


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    asked = Path(path)
    path = Path(os.path.realpath(asked)) if asked.is_symlink() else asked
    tmp = None
    try:
        _remove_stale(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror or str(exc), str(asked)) from None
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
