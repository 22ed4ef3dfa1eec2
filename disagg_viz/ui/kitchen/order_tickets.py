"""The orders waiting at a station in the detailed kitchen: one ticket per request (its width
grows with its prompt), the part of its prep already done (a cached prefix) hatched and ticked,
and a count under them."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from disagg_viz.playback.snapshot import Station
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.language import tr


def draw_tickets(kp, p, st: Station, rect: QRectF, most: int) -> None:
    """The first ``most`` orders of ``st``'s queue in ``rect``; ``kp`` is the painter (its profile,
    vocabulary, veil, ``_text``, hover ``regions`` and ``prep_done_marks`` count)."""
    pr = kp.profile
    n = len(st.queue)
    th = min(12.0, (rect.height() - 16) / most)
    cached = st.queue_cached if len(st.queue_cached) == n else np.zeros(n, np.int64)
    for k, tokens in enumerate(st.queue[:most]):
        frac = min(max((float(tokens) ** 0.5) / (32768 ** 0.5), 0.08), 1.0)
        r = QRectF(rect.left(), rect.top() + k * (th + 2), (rect.width() - 8) * frac, th)
        p.setPen(QPen(_c(pr.station_edge), 1))
        p.setBrush(QBrush(_c(pr.prep, 170)))
        p.drawRect(r)
        if cached[k] > 0:
            _prep_done(kp, p, r, float(cached[k]) / float(tokens))
    label = tr("{n} waiting").format(n=n) if n and not kp.veiled else ""
    if n > most:
        label = tr("+{extra} more ({n})").format(extra=n - most, n=n)
    kp._text(p, QRectF(rect.left(), rect.bottom() - 14, rect.width(), 14), label, 8.5, pr.muted)
    kp.regions.append((rect, kp.vocab.tip("orders", waiting=n)))


def _prep_done(kp, p, ticket: QRectF, share: float) -> None:
    """Part of this order's prep is already done here (its prefix is in the station's cache):
    that share of its ticket is hatched and ticked, a shape as well as a colour."""
    pr = kp.profile
    done = QRectF(ticket.left(), ticket.top(), ticket.width() * min(max(share, 0.0), 1.0), ticket.height())
    p.setPen(Qt.NoPen)
    p.setBrush(QBrush(_c(pr.station_edge), Qt.BDiagPattern))
    p.drawRect(done)
    kp.prep_done_marks += 1
    kp._text(p, QRectF(ticket.right() + 1, ticket.top() - 2, 8, ticket.height() + 4), "✓", 7.5, pr.muted)
