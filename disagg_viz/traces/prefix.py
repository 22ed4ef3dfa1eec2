"""Requests' prefix blocks in the shape the engines take (plain int64 arrays)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Prefix:
    """Each request's prefix blocks (512 tokens each, sim/layout.py BLOCK_TOKENS), as ids that
    are equal exactly when the block and everything before it are equal (Mooncake's hash_ids):
    request r's blocks are ``blocks[start[r]:start[r] + count[r]]``."""
    start: np.ndarray     # int64 per request
    count: np.ndarray     # int64 per request
    blocks: np.ndarray    # int64, all requests' blocks in a row

    @classmethod
    def none(cls, n: int) -> "Prefix":
        return cls(np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(0, np.int64))

    @classmethod
    def from_lists(cls, lists) -> "Prefix":
        count = np.array([len(x) for x in lists], dtype=np.int64)
        start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64) if len(count) else count
        blocks = np.array([b for x in lists for b in x], dtype=np.int64)
        return cls(start, count, blocks)

    def take(self, index: np.ndarray) -> "Prefix":
        """The prefixes of requests ``index`` (in that order)."""
        return Prefix.from_lists([self.of(int(r)) for r in index])

    def of(self, r: int) -> np.ndarray:
        return self.blocks[self.start[r]:self.start[r] + self.count[r]]
