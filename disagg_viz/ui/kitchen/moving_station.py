"""A station the planner is moving to the other pool (dynamic pools), drawn the same way by both
kitchen painters: hatched while it drains its work, cross-hatched while it changes role, with an
arrow towards the pool it goes to."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.sim.result import ROLE_PREFILL
from disagg_viz.ui.kitchen.colors import qcolor as _c


def arrow_room(kp) -> float:
    """Pixels across the arrow takes at the box's right edge (more with a presenting kitchen's
    bigger type)."""
    return 18.0 * max(getattr(kp, "min_px", 18.0) / 18.0, 1.0)


def draw_moving(kp, p, st: Station, box: QRectF, radius: float) -> None:
    """Draw ``st`` on its way to the other pool inside ``box``; ``kp`` is the painter (its profile,
    ``_text``, ``vocab``, ``regions`` and ``moving_marks`` count are used)."""
    pr = kp.profile
    kp.moving_marks += 1
    p.setPen(QPen(_c(pr.highlight), 2.5, Qt.DotLine))
    p.setBrush(QBrush(_c(pr.station_edge, 110), Qt.BDiagPattern if st.moving == 1 else Qt.DiagCrossPattern))
    p.drawRoundedRect(box.adjusted(2, 2, -2, -2), radius, radius)
    arrow = "→" if st.role == ROLE_PREFILL else "←"
    a = arrow_room(kp)                  # the words start at the left edge
    kp._text(p, QRectF(box.right() - a - 4, box.center().y() - a * 0.6, a, a * 1.2), arrow, 14.0, pr.highlight, True,
             Qt.AlignCenter)
    kp.regions.append((box, kp.vocab.move_text(st).strip(" ·")))
