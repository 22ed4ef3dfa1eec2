"""The kitchen for the back of the room (presentation mode): laid out in screen pixels, never
scaled down, every text at least MIN_PX pixels. One line per station (what it does, in words and a
bar), the pass as counts of trays moving and waiting, the served column as two numbers. Pools too
big for their column fold into one summary line ("16 prep stations: 12 prepping"), so a pool of 16
reads as 16 at a glance.

Meaning never rides on colour alone: prepping bars are hatched, a stall is a pause sign plus
words, a missed SLO is a cross."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPen

from disagg_viz.playback.snapshot import KitchenSnapshot, Station
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.result import ROLE_COLOCATED, ROLE_DECODE, ROLE_PREFILL
from disagg_viz.ui.kitchen.colors import qcolor as _c
from disagg_viz.ui.kitchen.moving_station import draw_moving
from disagg_viz.ui.kitchen.lost_station import draw_lost_compact
from disagg_viz.ui.kitchen.narrow import draw_narrow
from disagg_viz.ui.kitchen.nvlink_domains import draw_domain_frames
from disagg_viz.ui.kitchen.pool_summary import draw_pool_summary
from disagg_viz.ui.kitchen.metric_lines import metric_lines
from disagg_viz.ui.kitchen.station_words import fits_in_full, short_count, station_lines, station_words
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import number, tr

MIN_PX = 18          # smallest text, in screen pixels
TITLE_PX = 22
PAD = 6
NARROW_W = 520       # narrower than this: one line per pool instead of columns


class CompactPainter:
    def __init__(self, profile: Profile, vocab: Vocabulary):
        self.profile = profile
        self.vocab = vocab
        self.w, self.h = 800.0, 240.0          # the view's size in pixels (set by the view)
        self.regions: list[tuple[QRectF, str]] = []
        self.moving_marks = 0
        self.station_boxes: list[tuple[QRectF, bool]] = []
        self.station_hits: list[tuple[QRectF, Station]] = []   # where each station is drawn (its context menu)
        self.veiled = False
        self.sizes_used: set[float] = set()    # every font pixel size painted (tests read it)
        self.elided: list[str] = []            # texts cut with "…" since the last paint began
        self.metrics: list[tuple[str, str, bool]] = []   # (label, value, best) shown under "served"
        self.peer_metrics: list[tuple[str, str, bool]] = []   # the other kitchens' (their columns line up)
        self.min_px = MIN_PX                   # presenting: MIN_PX; in the window a smaller floor
        self._columns: dict[str, QRectF] = {}
        self._font = QFont()
        self._short_words = False              # this column's stations in short forms (one does not fit)

    # --- text -----------------------------------------------------------------------------
    def _text(self, p: QPainter, rect: QRectF, text: str, px: float = MIN_PX, color=None, bold=False,
              align=Qt.AlignLeft | Qt.AlignVCenter) -> None:
        """One line, shrunk toward the floor to fit the rect's width, elided only below that."""
        f = QFont(p.font())
        f.setBold(bool(bold))
        floor = self.min_px
        size = max(px * floor / MIN_PX, floor)
        f.setPixelSize(int(size))
        width = QFontMetricsF(f).horizontalAdvance(text)
        if width > rect.width() and size > floor:
            size = max(floor, int(size * rect.width() / width))
            f.setPixelSize(int(size))
        if QFontMetricsF(f).horizontalAdvance(text) > rect.width():
            self.elided.append(text)
            text = QFontMetricsF(f).elidedText(text, Qt.ElideRight, rect.width())
        p.setFont(f)
        self.sizes_used.add(float(f.pixelSize()))
        p.setPen(QPen(_c(color or self.profile.text)))
        p.drawText(rect, int(align), text)

    def line_h(self) -> float:
        return self.min_px * 1.35

    def caption_lines(self, p: QPainter, text: str, width: float, most: int = 2) -> list[str]:
        """The caption in at most ``most`` lines at the floor size, broken between words (the
        last elided only if even those lines are too short)."""
        f = QFont(p.font())
        f.setBold(True)
        f.setPixelSize(int(self.min_px))
        fm = QFontMetricsF(f)
        lines, words = [], text.split(" ")
        while words and len(lines) < most - 1 and fm.horizontalAdvance(" ".join(words)) > width:
            line = ""
            while words and fm.horizontalAdvance((line + " " + words[0]).strip()) <= width:
                line = (line + " " + words.pop(0)).strip()
            if not line:                                # one word longer than the line
                break
            lines.append(line)
        return lines + [fm.elidedText(" ".join(words), Qt.ElideRight, width)] if words else lines

    # --- the whole kitchen ----------------------------------------------------------------
    def paint(self, p: QPainter, snap: KitchenSnapshot | None, title: str, busy_text: str = "",
              caption: str = "", highlight: frozenset = frozenset()) -> None:
        pr = self.profile
        self.regions, self.station_boxes, self._columns, self.elided = [], [], {}, []
        self.station_hits = []
        self._font = QFont(p.font())
        self._short_words = False
        self.moving_marks = 0         # stations drawn on their way to the other pool (dynamic pools)
        self.mixed_gpus = bool(snap) and len({s.gpu for s in snap.stations}) > 1
        p.setRenderHint(QPainter.Antialiasing, True)
        p.fillRect(QRectF(0, 0, self.w, self.h), _c(pr.panel))
        head = QRectF(PAD, 0, self.w - 2 * PAD, TITLE_PX * self.min_px / MIN_PX * 1.4)
        if snap is None:
            self._text(p, head, title, TITLE_PX, bold=True)
            self._text(p, QRectF(0, 0, self.w, self.h), busy_text or tr("Preparing the kitchen..."), TITLE_PX,
                       bold=True, align=Qt.AlignCenter)
            return
        clock = f"t = {number(snap.t, 1)} s"
        clock_w = self._advance(f"t = {number(888.8, 1)} s") + 6      # steady: the title never jitters
        self._text(p, QRectF(head.right() - clock_w, head.top(), clock_w, head.height()), clock, MIN_PX, pr.muted,
                   align=Qt.AlignRight | Qt.AlignVCenter)
        title += f"  ({busy_text})" if busy_text else ""
        if self._advance(title, True) > head.width() - clock_w - 10:   # narrow: tighter around the dot
            title = title.replace("  ·  ", " · ")
        self._text(p, QRectF(head.left(), head.top(), head.width() - clock_w - 10, head.height()), title, TITLE_PX,
                   bold=True)
        # two lines, three in a kitchen tall enough (1024x768: the caption's numbers are what the
        # teacher reads aloud); a short kitchen keeps one (elided) line
        most = 3 if self.h >= 8.5 * self.line_h() else 2 if self.h >= 7 * self.line_h() else 1
        lines = self.caption_lines(p, "▸ " + caption, self.w - 2 * PAD - 16, most) if caption else []
        cap_h = len(lines) * self.line_h() + 4 if lines and self.h >= 4 * self.line_h() else 0.0
        body = QRectF(PAD, head.bottom(), self.w - 2 * PAD, self.h - head.bottom() - cap_h - 2)
        if self.w < NARROW_W:
            self._narrow(p, snap, body)
        else:
            self._columns_layout(p, snap, body)
        if cap_h:
            band = QRectF(PAD, self.h - cap_h, self.w - 2 * PAD, cap_h - 2)
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(_c(pr.background, 200)))
            p.drawRoundedRect(band, 5, 5)
            for k, line in enumerate(lines):
                self._text(p, QRectF(band.left() + 8, band.top() + 1 + k * self.line_h(), band.width() - 16,
                                     self.line_h()), line, MIN_PX, bold=True)
            self.regions.append((band, tr("What is happening now, in plain words.")))
        self._frames(p, highlight)

    def _columns_layout(self, p, snap: KitchenSnapshot, body: QRectF) -> None:
        stations = snap.stations
        # the served column: a quarter of the kitchen, wider (up to 28%) when its numbers (or the
        # other kitchens': the columns line up down the screen) need it
        need = max([self._advance(f"{label} ★ {value}", True) for label, value, _ in self.metrics + self.peer_metrics]
                   + [self._advance(tr("✗ {n} missed").format(n=snap.missed_total), True)])
        served_w = max(min(0.25 * body.width(), 270.0), 170.0, min(need + 4, 0.28 * body.width()))
        main = QRectF(body.left(), body.top(), body.width() - served_w - PAD, body.height())
        self._served(p, snap, QRectF(main.right() + PAD, body.top(), served_w, body.height()))
        colo = [s for s in stations if s.role == ROLE_COLOCATED]
        if colo:
            self._column(p, "prep", colo, main)
        else:
            prep = [s for s in stations if s.role == ROLE_PREFILL]
            plate = [s for s in stations if s.role == ROLE_DECODE]
            wp, wl = 0.30 * main.width(), 0.27 * main.width()
            self._column(p, "prep", prep, QRectF(main.left(), main.top(), wp - PAD, main.height()))
            self._pass(p, snap, QRectF(main.left() + wp, main.top(), wl - PAD, main.height()))
            self._column(p, "plating", plate, QRectF(main.left() + wp + wl, main.top(),
                                                     main.width() - wp - wl, main.height()))

    def _narrow(self, p, snap: KitchenSnapshot, body: QRectF) -> None:
        draw_narrow(self, p, snap, body, MIN_PX)

    def _frames(self, p, highlight) -> None:
        pr = self.profile
        if highlight:
            narrow = self.w < NARROW_W     # lines one under the other: a thin frame in the gaps between them
            pen = QPen(_c(pr.highlight), 2.5 if narrow else 5.0, Qt.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.NoBrush)
            for part in highlight:
                if part in self._columns:
                    p.drawRoundedRect(self._columns[part].adjusted(-3, -1 if narrow else -2, 3, 1 if narrow else 2), 8, 8)
                elif part == "stall":
                    for box, stalled in self.station_boxes:
                        if stalled:
                            p.drawRoundedRect(box.adjusted(-3, -2, 3, 2), 6, 6)

    # --- stations -------------------------------------------------------------------------
    def _column(self, p, key: str, stations: list[Station], rect: QRectF) -> None:
        self._columns[key] = rect
        if key == "prep":
            self._columns["rail"] = rect
        row_h = self.line_h() + 8
        fits = max(int(rect.height() // row_h), 1)
        if len(stations) > fits:
            self._summary(p, stations, rect)
            return
        # few stations: they grow into the room (up to ~3 lines each, more when their words wrap)
        # and show their seats
        self._short_words = False
        wrapped = max((len(self._station_lines(st, rect.width() - 14, 4, self._stalled(st))) for st in stations),
                      default=1)
        row_h = max(row_h, min(rect.height() / max(len(stations), 1), (2.2 + wrapped) * row_h))
        room = max(int((row_h - 12) // self.line_h()), 1)
        self._short_words = not all(fits_in_full(self, st, rect.width() - 14, room, self._stalled(st)) for st in stations)
        boxes = [QRectF(rect.left(), rect.top() + k * row_h, rect.width(), row_h - 4) for k in range(len(stations))]
        tags = self._domains(p, stations, boxes)
        for st, box, tag in zip(stations, boxes, tags):
            self._station(p, st, box, tag)

    def _domains(self, p, stations: list[Station], boxes: list[QRectF]) -> list[str]:
        return draw_domain_frames(self, p, stations, boxes, 3, 7)

    def _stalled(self, st: Station) -> bool:
        """A stall as the screen shows it: not while the results are veiled (a paused station in
        orange would answer the question before the guess)."""
        return bool(st.stalled) and not self.veiled

    def _moving(self, p, st: Station, box: QRectF) -> None:
        draw_moving(self, p, st, box, 4)

    def _station(self, p, st: Station, box: QRectF, tag: str = "") -> None:
        pr = self.profile
        self.station_hits.append((box, st))
        if st.lost_since is not None:
            self._lost(p, st, box)
            return
        stalled = self._stalled(st)
        self.station_boxes.append((box, stalled))
        pen = QPen(_c(pr.stall if stalled else pr.station_edge), 3.0 if stalled else 1.0)
        if stalled:
            pen.setStyle(Qt.DashLine)
        p.setPen(pen)
        p.setBrush(QBrush(_c(pr.station)))
        p.drawRoundedRect(box, 5, 5)
        if st.moving:                # dynamic pools: on its way to the other pool (a shape, not only a colour)
            self._moving(p, st, box)
        if st.port_share < 1.0:      # its KV port is broken ([[faults]]): a dash-dot outline inside the edge
            p.setPen(QPen(_c(pr.stall), 2.5, Qt.DashDotLine))
            p.setBrush(Qt.NoBrush)
            p.drawRoundedRect(box.adjusted(3, 3, -3, -3), 4, 4)
        # a bar under the words: hatched prep work, or the share of seats in use
        bar = QRectF(box.left() + 2, box.bottom() - 6, box.width() - 4, 4)
        p.setPen(Qt.NoPen)
        if st.prefill_tokens:
            p.setBrush(QBrush(_c(pr.prep), Qt.BDiagPattern))
            p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * min(st.compute_util * 1.5, 1.0), bar.height()))
        elif st.seats:
            p.setBrush(QBrush(_c(pr.plate)))
            p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * min(st.bw_util * 1.5, 1.0), bar.height()))
        width = box.width() - 14
        rows = max(int((box.height() - 8) // self.line_h()), 1)
        lines = self._station_lines(st, width, rows, stalled)
        tag_line = None              # its NVLink domain: right-aligned on the first line, or under the words
        if tag:
            f = QFont(p.font())
            f.setPixelSize(int(self.min_px))
            fm = QFontMetricsF(f)
            tw = min(fm.horizontalAdvance(tag) + 4, width)
            if lines and (fm.horizontalAdvance(lines[0]) + tw + 8 > width or tw > width * 0.4):
                if len(lines) + 1 <= rows - 1:
                    tag_line = len(lines)          # a line of its own under the words, as wide as they are
                else:                              # beside narrower words, cut if it must be
                    tw = min(tw, width * 0.4)
                    lines = self._station_lines(st, width - tw - 8, rows, stalled)
            tag_box = QRectF(box.left() + 8 + width - tw, box.top() + (tag_line or 0) * self.line_h(), tw,
                             self.line_h() + 2)
            self._text(p, tag_box, tag, MIN_PX, pr.muted, align=Qt.AlignRight | Qt.AlignVCenter)
        for k, line in enumerate(lines):
            w = width if (not tag or tag_line is not None or k > 0) else width - tw - 8
            words = QRectF(box.left() + 8, box.top() + k * self.line_h(), w, self.line_h() + 2)
            self._text(p, words, line, MIN_PX, pr.stall if stalled else None, bold=stalled)
        below = box.top() + (max(len(lines), (tag_line or 0) + 1)) * self.line_h() + 2
        room = QRectF(box.left() + 8, below, box.width() - 16, box.bottom() - 8 - below)
        if room.height() >= 14:
            self._picture(p, st, room)
        self.regions.append((box, self.vocab.tip("station", station=st)))

    def _lost(self, p, st: Station, box: QRectF) -> None:
        draw_lost_compact(self, p, st, box, MIN_PX)

    def _picture(self, p, st: Station, room: QRectF) -> None:
        """What words cannot show at a glance: a hatched bar for the prompt being prepped, and
        the seats as circles filling with their tokens (hollow while plating is paused)."""
        pr = self.profile
        x = room.left()
        if st.prefill_tokens:
            w = min(room.width() * 0.35, 40 + room.width() * 0.25 * min(st.prefill_tokens / 16384, 1.0))
            bar = QRectF(x, room.top() + 2, w, min(room.height() - 4, 26))
            p.setPen(QPen(_c(pr.station_edge), 1))
            p.setBrush(QBrush(_c(pr.prep), Qt.BDiagPattern))
            p.drawRect(bar)
            x = bar.right() + 10
        d = min(room.height() - 4, 26.0)
        if d < 12 or not st.seats:                  # smaller pies read as dots
            return
        per_row = max(int((room.right() - x) // (d + 4)), 1)
        rows = max(int((room.height() + 2) // (d + 4)), 1)
        for k, seat in enumerate(st.seats[:per_row * rows]):
            c = QRectF(x + (k % per_row) * (d + 4), room.top() + 2 + (k // per_row) * (d + 4), d, d)
            p.setPen(QPen(_c(pr.station_edge), 1))
            p.setBrush(Qt.NoBrush if self._stalled(st) else QBrush(_c(pr.plate, 60)))
            p.drawEllipse(c)
            p.setPen(Qt.NoPen)
            p.setBrush(QBrush(_c(pr.muted if self._stalled(st) else pr.plate)))
            p.drawPie(c, 90 * 16, -int(360 * 16 * min(seat.emitted / max(seat.output, 1), 1.0)))

    def _station_words(self, st: Station) -> str:
        return station_words(self, st)

    def _station_lines(self, st: Station, width: float, room: int, bold: bool) -> list[str]:
        return station_lines(self, st, width, room, bold, self._short_words)

    def _summary(self, p, stations: list[Station], rect: QRectF) -> None:
        draw_pool_summary(self, p, stations, rect, MIN_PX)

    # --- the pass and the served column ---------------------------------------------------
    def _pass(self, p, snap: KitchenSnapshot, rect: QRectF) -> None:
        pr = self.profile
        self._columns["pass"] = rect
        moving = sum(1 for t in snap.trays if t.progress >= 0)
        door = sum(1 for t in snap.trays if t.at_door)
        waiting = sum(1 for t in snap.trays if t.progress < 0) - door
        busy = float(max(snap.link_util)) if len(snap.link_util) else 0.0
        lines = [(tr("→ {n} moving").format(n=moving), None, False)]
        if (waiting or door) and not self.veiled:      # veiled: the queue and the link's load are the answer
            lines.append((tr("{n} waiting").format(n=waiting + door), pr.stall, True))
        if not self.veiled:
            lines.append((tr("busy {util}").format(util=number(100 * busy) + "%"), pr.muted, False))
            # the pass is often empty (a fast link ships a tray in milliseconds): what it has done
            # so far still says what a highlighted pass is about
            crossed = tr("{n} crossed").format(n=number(snap.crossed_total))
            if self._advance(crossed) > rect.width():
                crossed = tr("{n} crossed").format(n=short_count(snap.crossed_total))      # 6.2k
            lines.append((crossed, None, False))
        y = rect.top()
        for text, color, bold in lines:
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), text, MIN_PX, color, bold)
            y += self.line_h()
        # a highlight frames what is written, never an empty column
        self._columns["pass"] = QRectF(rect.left(), rect.top(), rect.width(), y - rect.top() + 2)
        self.regions.append((rect, self.vocab.tip("pass", moving=moving, waiting=waiting + door)))

    def _served(self, p, snap: KitchenSnapshot, rect: QRectF) -> None:
        pr = self.profile
        self._columns["served"] = rect
        y = rect.top()
        if self.veiled:       # counts run up to the step's moment differ between kitchens: an answer
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), tr("verdicts hidden"), MIN_PX, pr.muted)
            y += self.line_h() + 4
        else:
            served = tr("{n} served so far").format(n=snap.served_total)     # a running count, not the run's total
            if self._advance(served, True) > rect.width():
                served = tr("{n} served").format(n=snap.served_total)
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), served, MIN_PX, bold=True)
            y += self.line_h()
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), tr("✗ {n} missed").format(n=snap.missed_total),
                       MIN_PX, pr.miss, True)
            y += self.line_h() + 4
        metric_lines(self, p, rect, y, MIN_PX)
        self.regions.append((rect, self.vocab.tip("served")))

    def _advance(self, text: str, bold: bool = False) -> float:
        """The width of one line of text at the floor size."""
        f = QFont(self._font)
        f.setBold(bold)
        f.setPixelSize(int(self.min_px))
        return QFontMetricsF(f).horizontalAdvance(text)
