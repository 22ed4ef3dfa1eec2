"""Reading a file the user named without trusting it: only a regular file (a FIFO, device or
socket could block forever or never end), opened without blocking, and never more than a limit
(a file that lies about its size, such as one under /proc, is cut off at the limit + 1 byte)."""

from __future__ import annotations

import mmap
import os
import stat


class NotReadable(OSError):
    """The path is not a regular file, or it is larger than allowed (``strerror`` says which)."""


MAP_FROM_BYTES = 4_000_000      # map_bounded maps files from this size on


def _checked(path, limit: int) -> os.stat_result:
    st = os.stat(path)                                   # never blocks, unlike open() on a FIFO
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotReadable(0, "is not a regular file (a pipe, device or socket)", str(path))
    if st.st_size > limit:
        raise NotReadable(0, f"is too large ({st.st_size:,} bytes; at most {limit:,})", str(path))
    return st


def _open_regular(path) -> int:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):            # swapped for something else since the stat
        os.close(fd)
        raise NotReadable(0, "is not a regular file (a pipe, device or socket)", str(path))
    return fd


def map_bounded(path: str | os.PathLike, limit: int):
    """Like read_bounded, but a large file comes memory-mapped (read-only): only the pages a
    reader touches are read, so walking an image's chunk headers costs a few pages, not its
    pixels. Close the result when done (``bytes`` for small files)."""
    st = _checked(path, limit)
    if st.st_size < MAP_FROM_BYTES:
        return read_bounded(path, limit)
    fd = _open_regular(path)
    try:
        data = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)
    if len(data) > limit:                                 # grew since the stat
        data.close()
        raise NotReadable(0, f"is too large (more than {limit:,} bytes)", str(path))
    return data


def read_bounded(path: str | os.PathLike, limit: int) -> bytes:
    _checked(path, limit)
    fd = _open_regular(path)
    try:
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
