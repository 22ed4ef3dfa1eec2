"""Paints one kitchen (one serving system) from a KitchenSnapshot in fixed logical coordinates.

Meaning never rides on colour alone: prep work is hatched, plating seats are circles filling
with tokens, a stall is a pause sign plus text, a missed SLO is a cross.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen

from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.kitchen.moving_station import draw_moving
from disagg_viz.ui.kitchen.station_outline import draw_outline
from disagg_viz.ui.kitchen.lost_station import draw_lost
from disagg_viz.ui.kitchen.nvlink_domains import draw_domain_frames
from disagg_viz.ui.kitchen.order_tickets import draw_tickets
from disagg_viz.playback.snapshot import KitchenSnapshot, Station
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import number, tr

W, H = 1000.0, 440.0          # logical width is fixed; height follows the view's shape
MIN_H, MAX_H = 300.0, 760.0
ROW_H = 95.0                  # a station row needs this much height to show its batch and seats
CAPTION_H = 30.0              # the narration line under the stations


def min_height(rows: int) -> float:
    """The shortest kitchen that still draws ``rows`` station rows legibly."""
    return min(max(HEADER + 28.0 + CAPTION_H + rows * ROW_H, MIN_H), MAX_H)
HEADER = 34.0
RAIL = (8.0, 118.0)
SERVED = (872.0, 992.0)
MAX_SEATS = 32
MAX_TICKETS = 7


def _seat_grid(n: int, w: float, h: float, largest: float = 46.0, smallest: float = 12.0) -> tuple[int, float]:
    """Columns and pitch of the biggest seats (circles) that fit n of them in w x h."""
    best = (max(int(w // smallest), 1), smallest)
    for cols in range(1, max(n, 1) + 1):
        rows = -(-n // cols)
        pitch = min(w / cols, h / rows, largest)
        if pitch >= best[1]:          # on a tie, more columns: seats fill rows left to right
            best = (cols, pitch)
    return best




class KitchenPainter:
    def __init__(self, profile: Profile, vocab: Vocabulary):
        self.profile = profile
        self.vocab = vocab
        self.regions: list[tuple[QRectF, str]] = []
        self.station_boxes: list[tuple[QRectF, bool]] = []
        self.station_hits: list[tuple[QRectF, Station]] = []   # where each station is drawn (its context menu)
        self.prep_done_marks = 0
        self.moving_marks = 0
        self.w = W                             # logical units across (the view scales them)
        self.h = H
        self.veiled = False        # predict first: no SLO verdicts until the guess is committed

    # --- helpers ---------------------------------------------------------------------------
    def _font(self, p: QPainter, size: float, bold: bool = False) -> None:
        f = QFont(p.font())
        f.setPointSizeF(size)
        f.setBold(bold)
        p.setFont(f)

    def _text(self, p, rect, text, size=11.0, color=None, bold=False, align=Qt.AlignLeft | Qt.AlignVCenter):
        self._font(p, size, bold)
        p.setPen(QPen(_c(color or self.profile.text)))
        p.drawText(rect, int(align), text)

    def _fitted_text(self, p, rect, text, size, smallest, color=None, bold=False) -> None:
        """One line of text at the largest size from ``size`` down to ``smallest`` that fits the
        rect's width; elided at the end only if even the smallest does not fit."""
        from PySide6.QtGui import QFontMetricsF
        while True:
            self._font(p, size, bold)
            width = QFontMetricsF(p.font()).horizontalAdvance(text)
            if width <= rect.width() or size <= smallest:
                break
            size = max(smallest, size * rect.width() / width * 0.98)
        if width > rect.width():
            text = QFontMetricsF(p.font()).elidedText(text, Qt.ElideRight, rect.width())
        p.setPen(QPen(_c(color or self.profile.text)))
        p.drawText(rect, int(Qt.AlignLeft | Qt.AlignVCenter), text)

    def _gauge(self, p, rect: QRectF, value: float, color: str, label: str, hatch: bool) -> None:
        pr = self.profile
        p.setPen(QPen(_c(pr.station_edge), 1.0))
        p.setBrush(Qt.NoBrush)
        p.drawRect(rect)
        v = min(max(value, 0.0), 1.0)
        fill = QRectF(rect.left(), rect.bottom() - rect.height() * v, rect.width(), rect.height() * v)
        p.setPen(Qt.NoPen)
        p.setBrush(QBrush(_c(color)))
        p.drawRect(fill)
        if hatch:
            p.setBrush(QBrush(_c(pr.text, 90), Qt.BDiagPattern))
            p.drawRect(fill)
        self._text(p, QRectF(rect.left() - 6, rect.bottom() + 1, rect.width() + 12, 14), label, 8.5,
                   pr.muted, align=Qt.AlignHCenter | Qt.AlignTop)

    # --- the whole kitchen -----------------------------------------------------------------
    def paint(self, p: QPainter, snap: KitchenSnapshot | None, title: str, busy_text: str = "",
              caption: str = "", highlight: frozenset = frozenset()) -> None:
        pr = self.profile
        self.regions = []
        self.station_boxes = []
        self.station_hits = []
        self.prep_done_marks = 0      # waiting orders drawn with prep already done (prefix-cache hits)
        self.moving_marks = 0         # stations drawn on their way to the other pool (dynamic pools)
        p.setRenderHint(QPainter.Antialiasing, True)
        p.fillRect(QRectF(0, 0, W, self.h), _c(pr.panel))
        self._text(p, QRectF(10, 2, 700, HEADER - 4), title, 14.0, bold=True)
        if snap is None:
            self._text(p, QRectF(0, self.h / 2 - 40, W, 40), busy_text or tr("Preparing the kitchen..."), 20.0, pr.text,
                       bold=True, align=Qt.AlignCenter)
            self._text(p, QRectF(0, self.h / 2, W, 30), tr("The first start compiles the simulator (a few seconds); "
                       "later starts reuse it."), 13.0, pr.muted, align=Qt.AlignCenter)
            return
        self._text(p, QRectF(600, 2, 390, HEADER - 4), f"t = {number(snap.t, 2):>7} s", 13.0, pr.muted,
                   align=Qt.AlignRight | Qt.AlignVCenter)
        if busy_text:                      # a re-simulation is taking a moment: say so, keep the picture
            badge = QRectF(430, 6, 170, HEADER - 12)
            p.setPen(QPen(_c(pr.prep), 1.5))
            p.setBrush(QBrush(_c(pr.background, 230)))
            p.drawRoundedRect(badge, 6, 6)
            self._text(p, badge, busy_text, 11.0, pr.text, True, Qt.AlignCenter)
        stations = snap.stations
        prep = [s for s in stations if s.role == ROLE_PREFILL]
        plate = [s for s in stations if s.role == ROLE_DECODE]
        colo = [s for s in stations if s.role == ROLE_COLOCATED]
        self._column_title(p, RAIL, self.vocab.word("orders"))
        self._column_title(p, SERVED, self.vocab.word("served"))
        if colo:
            self._column_title(p, (130, 860), self.vocab.word("shared stations"))
            self._rows(p, colo, (130.0, 860.0), rail=True)
        else:
            self._column_title(p, (130, 400), self.vocab.word("prep kitchen"))
            self._column_title(p, (410, 560), self.vocab.word("pass"))
            self._column_title(p, (570, 860), self.vocab.word("plating line"))
            self._rows(p, prep, (130.0, 400.0), rail=True)
            self._pass(p, snap, prep)
            self._rows(p, plate, (570.0, 860.0), rail=False)
            self._doors(p, snap, 560.0)
        self._served(p, snap)
        if caption:
            band = QRectF(8, self.h - CAPTION_H - 2, W - 16, CAPTION_H)
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(_c(pr.background, 200)))
            p.drawRoundedRect(band, 5, 5)
            self._fitted_text(p, band.adjusted(10, 0, -10, 0), "▸ " + caption, 12.5, 9.5, pr.text, True)
            self.regions.append((band, tr("What is happening now, in plain words.")))
        if highlight:
            self._highlight(p, highlight, bool(colo))

    def _highlight(self, p, parts: frozenset, colocated: bool) -> None:
        """Thick frames around the parts a lesson step points at."""
        top, bottom = HEADER + 16, self.h - CAPTION_H - 4
        areas = {"rail": (RAIL[0] - 4, RAIL[1] + 4), "served": (SERVED[0] - 4, SERVED[1] + 4),
                 "prep": (126, 864) if colocated else (126, 404), "pass": (406, 564), "plating": (566, 864)}
        pen = QPen(_c(self.profile.highlight), 5.0, Qt.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.NoBrush)
        for part in parts:
            if part in areas and not (colocated and part in ("pass", "plating")):
                x0, x1 = areas[part]
                p.drawRoundedRect(QRectF(x0, top, x1 - x0, bottom - top), 8, 8)
            elif part == "stall":
                for box, stalled in self.station_boxes:
                    if stalled:
                        p.drawRoundedRect(box.adjusted(-5, -3, 5, 3), 8, 8)

    def _column_title(self, p, xs, text):
        self._text(p, QRectF(xs[0], HEADER, xs[1] - xs[0], 18), text, 10.5, self.profile.muted, True,
                   Qt.AlignHCenter | Qt.AlignVCenter)

    def _bands(self, n: int) -> list[QRectF]:
        top, bottom = HEADER + 22.0, self.h - 6.0 - CAPTION_H
        h = (bottom - top) / max(n, 1)
        return [QRectF(0, top + k * h, 1, h) for k in range(n)]

    def _rows(self, p, stations: list[Station], xs, rail: bool) -> None:
        boxes = [QRectF(xs[0], band.top() + 3, xs[1] - xs[0], band.height() - 6) for band in self._bands(len(stations))]
        tags = self._domains(p, stations, boxes)
        for st, box, tag in zip(stations, boxes, tags):
            if rail:
                self._tickets(p, st, QRectF(RAIL[0], box.top(), RAIL[1] - RAIL[0], box.height()))
            self._station(p, st, box, tag)

    def _domains(self, p, stations: list[Station], boxes: list[QRectF]) -> list[str]:
        return draw_domain_frames(self, p, stations, boxes, 4, 8)

    def _tickets(self, p, st: Station, rect: QRectF) -> None:
        draw_tickets(self, p, st, rect, MAX_TICKETS)

    def _moving(self, p, st: Station, box: QRectF) -> None:
        draw_moving(self, p, st, box, 5)

    def _station(self, p, st: Station, box: QRectF, tag: str = "") -> None:
        pr = self.profile
        self.station_hits.append((box, st))
        if st.lost_since is not None:
            self._lost(p, st, box)
            return
        draw_outline(self, p, st, box, 6, 1.5, 4.0)
        name = self.vocab.station_name(st)
        line = QRectF(box.left() + 8, box.top() + 2, box.width() - 16, 16)
        if tag:                      # its NVLink domain, right-aligned on the name's line
            self._font(p, 9.5)
            tw = min(p.fontMetrics().horizontalAdvance(tag) + 4, line.width() * 0.4)
            self._text(p, QRectF(line.right() - tw, line.top(), tw, line.height()), tag, 9.5, pr.muted,
                       align=Qt.AlignRight | Qt.AlignVCenter)
            line.setWidth(line.width() - tw - 6)
        self._text(p, line, name, 10.0, bold=True)
        # Burners (one per GPU) and the two gauges.
        gx = box.right() - 44
        gh = max(min(box.height() - 40, 70), 16)
        self._gauge(p, QRectF(gx, box.top() + 20, 12, gh), st.compute_util, pr.prep, "C", True)
        self._gauge(p, QRectF(gx + 22, box.top() + 20, 12, gh), st.bw_util, pr.plate, "B", False)
        self.regions.append((QRectF(gx - 4, box.top() + 18, 44, gh + 18), self.vocab.tip(
            "gauges", compute=st.compute_util, bw=st.bw_util)))
        # Burners shrink to fit a wide (expert-parallel) station: 72 GPUs still fit its width.
        step = min(14.0, max(gx - box.left() - 16, 14.0) / max(st.tp, 1))
        size = max(step - 3.0, 2.0) if step < 14.0 else 11.0
        for k in range(st.tp):
            r = QRectF(box.left() + 8 + k * step, box.top() + 21 + (11 - size) / 2, size, size)
            p.setPen(QPen(_c(pr.station_edge), 1))
            p.setBrush(QBrush(_c(pr.prep if st.prefill_tokens else pr.muted, 230 if st.prefill_tokens else 90)))
            p.drawEllipse(r)
        work = QRectF(box.left() + 8, box.top() + 38, gx - box.left() - 16, box.height() - 52)
        if st.role != ROLE_DECODE:
            self._prep_area(p, st, work if st.role == ROLE_PREFILL else QRectF(work.left(), work.top(), work.width() * 0.34, work.height()))
        if st.role != ROLE_PREFILL:
            seats = work if st.role == ROLE_DECODE else QRectF(work.left() + work.width() * 0.37, work.top(), work.width() * 0.63, work.height())
            self._seats(p, st, seats)
        kv = QRectF(box.left() + 8, box.bottom() - 11, gx - box.left() - 16, 6)
        p.setPen(QPen(_c(pr.station_edge), 1))
        p.setBrush(Qt.NoBrush)
        p.drawRect(kv)
        p.setPen(Qt.NoPen)
        p.setBrush(QBrush(_c(pr.tray)))
        p.drawRect(QRectF(kv.left(), kv.top(), kv.width() * min(st.kv_used, 1.0), kv.height()))
        self.regions.append((kv.adjusted(0, -3, 0, 3), self.vocab.tip("kv", used=st.kv_used, cap=st.kv_capacity_tokens)))
        self.regions.append((box, self.vocab.tip("station", station=st)))

    def _lost(self, p, st: Station, box: QRectF) -> None:
        draw_lost(self, p, st, box)

    def _prep_area(self, p, st: Station, r: QRectF) -> None:
        pr = self.profile
        if st.prefill_tokens <= 0:
            self._text(p, r, self.vocab.word("idle prep"), 9.5, pr.muted, align=Qt.AlignCenter)
            return
        frac = min(st.prefill_tokens / 16384.0, 1.0) ** 0.5
        bar = QRectF(r.left(), r.top() + 2, max(r.width() * frac, 10), min(r.height() * 0.45, 22))
        p.setPen(QPen(_c(pr.station_edge), 1))
        p.setBrush(QBrush(_c(pr.prep)))
        p.drawRect(bar)
        p.setBrush(QBrush(_c(pr.text, 110), Qt.BDiagPattern))
        p.drawRect(bar)
        what = self.vocab.prep_text(st.prefill_tokens, st.prefill_requests)
        self._text(p, QRectF(r.left(), bar.bottom() + 2, r.width(), 16), what, 9.5)

    def _seats(self, p, st: Station, r: QRectF) -> None:
        pr = self.profile
        seats = st.seats[:MAX_SEATS]
        if (st.stalled and not self.veiled):
            self._text(p, QRectF(r.left(), r.top(), r.width(), 18),
                       "❚❚ " + self.vocab.stall_text(st.paused_s), 11.0, pr.stall, True)
        if not seats:
            if not (st.stalled and not self.veiled):
                self._text(p, r, self.vocab.word("idle plate"), 9.5, pr.muted, align=Qt.AlignCenter)
            return
        top = r.top() + (20 if (st.stalled and not self.veiled) else 0)
        avail = QRectF(r.left(), top, r.width(), r.bottom() - top - 14)
        cols, pitch = _seat_grid(len(seats), avail.width(), avail.height())
        d = pitch - 3
        shown = min(len(seats), cols * max(int(avail.height() // pitch), 1))
        for k in range(shown):
            s = seats[k]
            c = QRectF(avail.left() + (k % cols) * pitch, avail.top() + (k // cols) * pitch, d, d)
            p.setPen(QPen(_c(pr.station_edge), 1))
            p.setBrush(Qt.NoBrush if (st.stalled and not self.veiled) else QBrush(_c(pr.plate, 60)))
            p.drawEllipse(c)
            span = int(360 * 16 * min(s.emitted / max(s.output, 1), 1.0))
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(_c(pr.muted if (st.stalled and not self.veiled) else pr.plate)))
            p.drawPie(c, 90 * 16, -span)
        more = len(st.seats) - shown
        label = self.vocab.count(len(st.seats), "seats") + (tr(" (+{n} not drawn)").format(n=more) if more > 0 else "")
        self._text(p, QRectF(r.left(), r.bottom() - 13, r.width(), 13), label, 8.5, pr.muted,
                   align=Qt.AlignRight | Qt.AlignVCenter)

    def _pass(self, p, snap: KitchenSnapshot, prep: list[Station]) -> None:
        pr = self.profile
        x0, x1 = 410.0, 560.0
        for link, band in enumerate(self._bands(len(prep))):
            lane = QRectF(x0, band.center().y() - 14, x1 - x0, 28)
            p.setPen(QPen(_c(pr.station_edge), 1.0, Qt.DashLine if not snap.link_busy[link] else Qt.SolidLine))
            p.setBrush(QBrush(_c(pr.station)))
            p.drawRect(lane)
            p.setPen(QPen(_c(pr.muted), 2))
            p.drawLine(QPointF(lane.right() - 10, lane.center().y() - 6), QPointF(lane.right() - 2, lane.center().y()))
            p.drawLine(QPointF(lane.right() - 10, lane.center().y() + 6), QPointF(lane.right() - 2, lane.center().y()))
            trays = [t for t in snap.trays if t.link == link]
            waiting = [t for t in trays if t.progress < 0 and not t.at_door]
            for t in trays:
                size = min(max((t.kv_bytes / 2e9) ** 0.5, 0.25), 1.0) * 22
                if t.progress < 0:
                    continue
                x = lane.left() + (lane.width() - size - 12) * t.progress
                rect = QRectF(x, lane.center().y() - size / 2, size, size)
                p.setPen(QPen(_c(pr.text), 1))
                p.setBrush(QBrush(_c(pr.tray)))
                p.drawRect(rect)
            for k, t in enumerate(waiting[:6]):
                rect = QRectF(lane.left() - 2 + k * 5, lane.top() - 12 - k * 2, 14, 9)
                p.setPen(QPen(_c(pr.text), 1))
                p.setBrush(QBrush(_c(pr.tray), Qt.Dense4Pattern))
                p.drawRect(rect)
            if waiting and not self.veiled:    # veiled: a tray queue would answer the question
                self._text(p, QRectF(x0, lane.bottom() + 1, x1 - x0, 14), self.vocab.queued_trays(len(waiting)),
                           8.5, pr.stall, True, Qt.AlignHCenter | Qt.AlignTop)
            if link < len(snap.link_util) and not self.veiled:   # link utilization: busy share of the last second
                util = min(snap.link_util[link], 1.0)
                gauge = QRectF(x0 + 20, lane.top() - 22, x1 - x0 - 40, 6)
                p.setPen(QPen(_c(pr.station_edge), 1))
                p.setBrush(Qt.NoBrush)
                p.drawRect(gauge)
                p.setPen(Qt.NoPen)
                p.setBrush(QBrush(_c(pr.tray)))
                p.drawRect(QRectF(gauge.left(), gauge.top(), gauge.width() * util, gauge.height()))
                self._text(p, QRectF(x0, gauge.top() - 13, x1 - x0, 12), self.vocab.link_busy(util), 8.0, pr.muted,
                           align=Qt.AlignHCenter | Qt.AlignBottom)
                self.regions.append((gauge.adjusted(0, -13, 0, 2), self.vocab.tip("link_util", util=util)))
            self.regions.append((lane.adjusted(0, -16, 0, 16), self.vocab.tip(
                "pass", moving=len(trays) - len(waiting), waiting=len(waiting))))

    def _doors(self, p, snap: KitchenSnapshot, x: float) -> None:
        """Trays with room reserved on a plating station, waiting for its receiving link: a stack at
        that station's door (inside its box, bottom left, where the pass comes in)."""
        pr = self.profile
        plate = [s for s in snap.stations if s.role == ROLE_DECODE]
        for st, band in zip(plate, self._bands(len(plate))):
            door = [t for t in snap.trays if t.at_door and t.receiver == st.index]
            if not door:
                continue
            left, bottom = x + 16, band.bottom() - 3 - 14     # above the station's KV bar
            for k in range(min(len(door), 5)):
                p.setPen(QPen(_c(pr.text), 1))
                p.setBrush(QBrush(_c(pr.tray), Qt.Dense4Pattern))
                p.drawRect(QRectF(left, bottom - 10 - k * 7, 14, 6))
            label = QRectF(left + 18, bottom - 24, 150, 14)
            self._text(p, label, self.vocab.door_trays(len(door)), 9.0, pr.stall, True,
                       Qt.AlignLeft | Qt.AlignVCenter)
            self.regions.append((QRectF(left - 2, bottom - 46, 170, 46), self.vocab.tip("door", waiting=len(door))))

    def _served(self, p, snap: KitchenSnapshot) -> None:
        pr = self.profile
        x0, x1 = SERVED
        top = HEADER + 24
        self.regions.append((QRectF(x0, top, x1 - x0, self.h - top), self.vocab.tip("served")))
        self._text(p, QRectF(x0, top, x1 - x0, 16), tr("{n} served").format(n=snap.served_total), 10.0, bold=True)
        if self.veiled:
            self._text(p, QRectF(x0, top + 16, x1 - x0, 32), tr("SLO verdicts hidden\nuntil you guess"), 9.0, pr.muted,
                       align=Qt.AlignLeft | Qt.AlignTop)
            return
        self._text(p, QRectF(x0, top + 16, x1 - x0, 16), tr("✗ {n} missed SLO").format(n=snap.missed_total), 9.5, pr.miss)
        if snap.rejected_total:
            self._text(p, QRectF(x0, top + 32, x1 - x0, 16), tr("{n} turned away").format(n=snap.rejected_total), 9.5, pr.miss)
        y = top + 52
        fits = max(int((self.h - CAPTION_H - 8 - y) // 16), 0)
        for s in snap.served[:min(12, fits)]:
            mark = "✗" if s.missed else "✓"
            tpot = "-" if s.tpot_s != s.tpot_s else f"{s.tpot_s * 1e3:.0f}"
            self._text(p, QRectF(x0, y, x1 - x0, 15), f"{mark} {number(s.ttft_s * 1e3)} / {tpot} ms", 9.0,
                       pr.miss if s.missed else pr.ok, s.missed)
            y += 16
