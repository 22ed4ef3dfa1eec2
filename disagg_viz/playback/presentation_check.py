"""What a lesson step points at that the presentation screen does not draw (``check-lessons``
warns): presenting at classroom sizes (1024x768, 1280x800) folds the charts, the kitchens are the
compact ones (no C/B gauges, no time bar marks), and a pass or plating line exists only in a
kitchen with a decode pool. A warning, not a failure: the step may still be right on a big screen.
Qt-free."""

from __future__ import annotations

import re

from disagg_viz.playback.display_model import CHARTS_MIN_HEIGHT

CLASSROOM_SIZES = ((1024, 768), (1280, 800))
# Words of a text that name something presentation mode does not draw, and why.
_UNDRAWN_WORDS = (
    (re.compile(r"\bgauges?\b|\bC and B\b", re.I), "presentation mode's kitchens draw no C/B gauges"),
    (re.compile(r"\bcharts?\b", re.I), f"presenting under {CHARTS_MIN_HEIGHT} px high folds the charts"),
    (re.compile(r"\btime bar\b|▼", re.I), "presentation mode shows no time bar"),
)
# Kitchen parts that only a kitchen with a decode pool (a disaggregated system) has.
_SPLIT_ONLY = {"kitchen.pass": "the pass", "kitchen.plating": "a plating line"}


def presentation_warnings(step, kinds: list[str]) -> list[str]:
    """Warnings for a lesson step whose systems are of ``kinds`` ("colocated"/"disaggregated")."""
    out = []
    small = " and ".join(f"{w}x{h}" for w, h in CLASSROOM_SIZES)
    for name in ("text", "question", "reveal"):
        for pattern, why in _UNDRAWN_WORDS:
            m = pattern.search(getattr(step, name) or "")
            if m:
                out.append(f"{name} names \"{m.group(0)}\", but {why}")
    folded = [h for h in step.highlight if h.startswith("chart.")]
    if step.highlight and len(folded) == len(step.highlight):
        out.append(f"highlight {', '.join(folded)}: at {small} presenting folds the charts, so nothing this "
                   "step highlights is drawn; add a kitchen or scoreboard part")
    if "disaggregated" not in kinds:
        for part, what in _SPLIT_ONLY.items():
            if part in step.highlight:
                out.append(f"highlight {part}: no kitchen of this step has {what} (all are colocated)")
    return out
