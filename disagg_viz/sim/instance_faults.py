"""Lost instances ([[faults]] kind "instance-lost") as both engines apply them: plain Python on
plain arrays, so the reference engine calls these functions and the Numba kernels compile the
same ones (as sim/link_faults.py).

When a station is lost at ``t`` (docs/engine.md, "Lost instances"):
- its waiting requests are routed again, as if they had just arrived (same routing rule, the lost
  station skipped);
- a prefill in progress is thrown away (its tokens count as extra prefill) and its requests are
  routed again; so are prefilled trays whose KV sat on a lost prefill station (waiting for the link,
  reserved at a door or on the wire): their KV is rebuilt by a new prefill;
- the running sequences and landed trays of a lost decode station lose their KV: each is prefilled
  again with its prompt plus the tokens it has emitted so far (as an engine recomputes a preempted
  sequence), shipped again, and decodes only the tokens still to come;
- trays on the wire to (or at the door of) a lost decode station still have their KV on their
  prefill station: they go back to its port's queue and ship again elsewhere.
A request keeps its first token's time across its lives; its largest gap between tokens includes
the outage (``finish``). A station back at ``until_s`` starts empty (its prefix cache too).

A request "emits g tokens in this life" and loses them: the engines add g to its prompt and take
g from its output (the copies the engines work on), so every later rule applies unchanged.
"""

from __future__ import annotations

from disagg_viz.sim.layout import R_FINISH, R_FIRST_TOKEN, R_MAX_GAP, R_PREFILL_START

# Per request, what its earlier lives showed (``was``: float columns).
W_FIRST = 0      # its first token (NaN: none yet)
W_LAST = 1       # its last token before the latest loss
W_GAP = 2        # its largest gap between two tokens so far
W_START = 3      # when its first life's prefill started (NaN: it was never admitted before a loss)
W_COLS = 4


def remember(f, was, r, g, last, gap):
    """Request r loses a life in which it emitted g tokens, its last at ``last`` with a largest gap
    ``gap`` between two of them (f[r, R_FIRST_TOKEN] is this life's first token when g > 0)."""
    if g > 0:
        if was[r, W_LAST] == was[r, W_LAST]:                     # an earlier life had tokens too
            d = f[r, R_FIRST_TOKEN] - was[r, W_LAST]
            if d > was[r, W_GAP]:
                was[r, W_GAP] = d
        if gap > was[r, W_GAP]:
            was[r, W_GAP] = gap
        was[r, W_LAST] = last
        if was[r, W_FIRST] != was[r, W_FIRST]:
            was[r, W_FIRST] = f[r, R_FIRST_TOKEN]
    return 0


def routed_again(f, was, r):
    """Request r is routed again: the start of its first life's prefill is kept."""
    if was[r, W_START] != was[r, W_START]:
        was[r, W_START] = f[r, R_PREFILL_START]
    return 0


def finish(f, was):
    """After the run: a request routed again shows when its first life's prefill started (the
    queue charts and the kitchen do not show it waiting through its first life); one that lost
    tokens shows its first life's first token, and its largest gap includes the wait between its
    lives."""
    for r in range(f.shape[0]):
        if was[r, W_START] == was[r, W_START]:
            f[r, R_PREFILL_START] = was[r, W_START]
        if was[r, W_FIRST] == was[r, W_FIRST] and f[r, R_FINISH] == f[r, R_FINISH]:
            gap = was[r, W_GAP]
            if f[r, R_MAX_GAP] > gap:
                gap = f[r, R_MAX_GAP]
            d = f[r, R_FIRST_TOKEN] - was[r, W_LAST]
            if d > gap:
                gap = d
            f[r, R_MAX_GAP] = gap
            f[r, R_FIRST_TOKEN] = was[r, W_FIRST]
    return 0
