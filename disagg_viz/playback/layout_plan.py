"""Where the kitchens go: a pure function of (how many, the room they have), so 1 to 8 systems
fill any screen without empty cells. Qt-free."""

from __future__ import annotations

KITCHEN_W = 1000.0      # the kitchen's logical width (ui/kitchen/painter.W)


def row_counts(n: int, rows: int) -> list[int]:
    """n kitchens over ``rows`` rows as evenly as possible, fuller rows first (3 over 2 rows: 2, 1)."""
    base, extra = divmod(n, rows)
    return [base + (1 if r < extra else 0) for r in range(rows)]


def kitchen_rows(n: int, width: float, height: float, min_h: float, kitchen_w: float = KITCHEN_W) -> list[int]:
    """Kitchens per row for n kitchens in width x height pixels, each at least ``min_h`` logical
    units tall: the arrangement that gives the smallest kitchen the largest scale (fewer rows on a
    tie). A row's kitchens share its width, so no cell is ever left empty. ``kitchen_w``: the width
    a kitchen wants, in the same units as ``min_h``."""
    if n <= 0:
        return []
    best, best_scale = [n], -1.0
    for rows in range(1, n + 1):
        counts = row_counts(n, rows)
        scale = min(min(width / c / kitchen_w, height / rows / min_h) for c in counts)
        if scale > best_scale + 1e-9:
            best, best_scale = counts, scale
    return best


def kitchen_scale(n: int, width: float, height: float, min_h: float) -> float:
    """Screen pixels per logical unit of the smallest kitchen in that arrangement."""
    counts = kitchen_rows(n, width, height, min_h)
    return min(min(width / c / KITCHEN_W, height / len(counts) / min_h) for c in counts)
