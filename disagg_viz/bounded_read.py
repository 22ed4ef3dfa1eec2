"""Reading a file the user named without trusting it: only a regular file (a FIFO, device or
socket could block forever or never end), opened without blocking, and never more than a limit
(a file that lies about its size, such as one under /proc, is cut off at the limit + 1 byte)."""

from __future__ import annotations

import os
import stat


class NotReadable(OSError):
    """The path is not a regular file, or it is larger than allowed (``strerror`` says which)."""


def read_bounded(path: str | os.PathLike, limit: int) -> bytes:
    st = os.stat(path)                                   # never blocks, unlike open() on a FIFO
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotReadable(0, "is not a regular file (a pipe, device or socket)", str(path))
    if st.st_size > limit:
        raise NotReadable(0, f"is too large ({st.st_size:,} bytes; at most {limit:,})", str(path))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):        # swapped for something else since the stat
            raise NotReadable(0, "is not a regular file (a pipe, device or socket)", str(path))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise NotReadable(0, f"is too large (more than {limit:,} bytes)", str(path))
    return b"".join(chunks)
