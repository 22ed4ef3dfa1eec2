"""The compact kitchen's own key numbers, under its served count: the rows a lesson step points
at, then SLO attainment, each on one line of the served column, or its number under its label
when the line is too long, and never a number cut. ``kp``: the CompactPainter; ``px``: the
text size asked for (its floor decides)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from disagg_viz.ui.language import tr


def metric_lines(kp, p, rect: QRectF, y: float, px: float) -> None:
    """This kitchen's scoreboard column (the whole run's numbers): "whole run:" over them
    if there is room; a line too long for the column puts its number under its label, as
    long as every metric still has a line (the last, SLO, is never pushed out)."""
    rows = []
    for label, value, best in kp.metrics:
        shown = "?" if kp.veiled else (("★ " if best else "") + value)
        bold = best and not kp.veiled
        rows.append([label, shown, bold, kp._advance(f"{label} {shown}", bold) > rect.width()])
    room = int((rect.bottom() - y + 1) // kp.line_h())
    for row in rows:                          # too little room: one line each, a rate without its unit
        if len(rows) + sum(r[3] for r in rows) > room:
            row[3] = False
            if row[1].endswith(" tok/s"):     # "Input/node 27.9k" under a label that says what it counts
                row[1] = row[1][:-len(" tok/s")]
    if rows and len(rows) + sum(r[3] for r in rows) < room:      # they are the whole run's
        kp._text(p, QRectF(rect.left(), y, rect.width(), kp.line_h()), tr("whole run:"), px, kp.profile.muted)
        y += kp.line_h()
    for label, shown, bold, two in rows:
        if y + kp.line_h() > rect.bottom() + 1:
            break
        if two:
            kp._text(p, QRectF(rect.left(), y, rect.width(), kp.line_h()), label, px, None, bold)
            y += kp.line_h()
            kp._text(p, QRectF(rect.left(), y, rect.width(), kp.line_h()), shown, px, None, bold,
                     Qt.AlignRight | Qt.AlignVCenter)
        elif kp._advance(f"{label} {shown}", bold) > rect.width():     # the number whole, the label cut
            value_w = min(kp._advance(shown, bold) + 2, rect.width())
            kp._text(p, QRectF(rect.right() - value_w, y, value_w, kp.line_h()), shown, px, None, bold,
                     Qt.AlignRight | Qt.AlignVCenter)
            kp._text(p, QRectF(rect.left(), y, rect.width() - value_w - 6, kp.line_h()), label, px, None,
                     bold)
        else:
            kp._text(p, QRectF(rect.left(), y, rect.width(), kp.line_h()), f"{label} {shown}", px,
                     None, bold)
        y += kp.line_h()
