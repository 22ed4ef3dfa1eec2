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
from disagg_viz.ui.kitchen.narrow import draw_narrow
from disagg_viz.ui.kitchen.nvlink_domains import draw_domain_frames
from disagg_viz.ui.kitchen.pool_summary import draw_pool_summary
from disagg_viz.ui.kitchen.station_box import draw_station
from disagg_viz.ui.kitchen.metric_lines import metric_lines
from disagg_viz.ui.kitchen.station_words import fits_in_full, short_count, station_lines, station_words
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import number, tr

MIN_PX = 18          # smallest text, in screen pixels
MAX_PX = 34          # the floor grows with a kitchen's room (presenting_px) up to this
TITLE_PX = 22
REF_W, REF_H = 680.0, 215.0   # one of three kitchens presented at 1024x768: the room MIN_PX was made for
PAD = 6
NARROW_W = 520       # narrower than this: one line per pool instead of columns


def presenting_px(w: float, h: float) -> int:
    """The smallest text of a presented kitchen ``w`` x ``h`` pixels: MIN_PX in the room of one
    of three kitchens at 1024x768, growing with the room on a bigger screen (as much as both the
    width and the height grow, so what fits at 1024x768 still fits) up to MAX_PX."""
    return int(max(MIN_PX, min(MAX_PX, MIN_PX * min(w / REF_W, h / REF_H))))


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
        """One line, shrunk toward the floor to fit the rect's width, elided only below that
        (a type grown on a big screen gives way down to MIN_PX first: lesson 4's long kitchen
        title in Spanish at 1280x800)."""
        f = QFont(p.font())
        f.setBold(bool(bold))
        size = max(px * self.min_px / MIN_PX, self.min_px)
        floor = min(self.min_px, MIN_PX)
        f.setPixelSize(int(size))
        width = QFontMetricsF(f).horizontalAdvance(text)
        if width > rect.width() and size > floor:
            size = max(floor, int(size * rect.width() / width))
            f.setPixelSize(int(size))
            while size > floor and QFontMetricsF(f).horizontalAdvance(text) > rect.width():
                size -= 1                  # a font's width is not quite proportional to its size
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
        metrics = self.metrics + self.peer_metrics
        need = max([self._advance(f"{label} ★ {value}", True) for label, value, _ in metrics]
                   + [self._advance(tr("✗ {n} missed").format(n=number(snap.missed_total)), True)])
        # a rate whose label and number do not fit beside each other at 28% drops its unit
        # (metric_lines.py): up to 31% keeps "Output/node ★ 5.7k" whole (was "Output/n… ★ 5.7k")
        bare = max([self._advance(f"{label} ★ {value.removesuffix(' tok/s')}", True) for label, value, _ in metrics
                    if value.endswith(" tok/s")], default=0.0)
        scale = self.min_px / MIN_PX
        served_w = max(min(0.25 * body.width(), 270.0 * scale), 170.0 * scale, min(need + 4, 0.28 * body.width()),
                       min(bare + 4, 0.31 * body.width()))
        main = QRectF(body.left(), body.top(), body.width() - served_w - PAD, body.height())
        self._served(p, snap, QRectF(main.right() + PAD, body.top(), served_w, body.height()))
        colo = [s for s in stations if s.role == ROLE_COLOCATED]
        if colo:
            self._column(p, "prep", colo, main)
        else:
            prep = [s for s in stations if s.role == ROLE_PREFILL]
            plate = [s for s in stations if s.role == ROLE_DECODE]
            wp, wl = 0.32 * main.width(), 0.27 * main.width()     # prep: "#5: 81 waiting" at 1024x768
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
        boxes = [QRectF(rect.left(), rect.top() + k * row_h, rect.width(), row_h - 4) for k in range(len(stations))]
        tags = self._domains(p, stations, boxes)
        # one way of writing per column: a one-line station beside its NVLink tag ("node 1")
        # has the tag's width less (lesson 7's "prep 4.3k" over "prepping 2,031 tok" at 1280x800)
        beside = [self._advance(tag) + 12 if tag and room < 2 else 0.0 for tag in tags]
        self._short_words = not all(fits_in_full(self, st, rect.width() - 14 - b, room, self._stalled(st))
                                    for st, b in zip(stations, beside))
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
        self.station_hits.append((box, st))
        draw_station(self, p, st, box, tag, MIN_PX)

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
            lines.append((tr("{n} waiting").format(n=number(waiting + door)), pr.stall, True))
        if not self.veiled:
            lines.append((tr("busy {util}").format(util=number(100 * busy) + "%"), pr.muted, False))
            # the pass is often empty (a fast link ships a tray in milliseconds): what it has done
            # so far still says what a highlighted pass is about
            crossed = tr("{n} crossed").format(n=number(snap.crossed_total))
            if self._advance(crossed) > rect.width():
                crossed = tr("{n} crossed").format(n=short_count(snap.crossed_total))      # 6.2k
            lines.append((crossed, None, False))
        y = rect.top()
        for text, color, bold in lines:       # bold only where it fits ("4867 waiti…" at 1024x768)
            bold = bold and self._advance(text, True) <= rect.width()
            count, _, word = text.partition(" ")
            # still too long (Spanish "1,2k cruzaron" at 1024x768): the count over its word
            parts = [count, word] if word and self._advance(text, bold) > rect.width() else [text]
            for part in parts:
                self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), part, MIN_PX, color, bold)
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
            served = tr("{n} served so far").format(n=number(snap.served_total))     # a running count, not the run's total
            if self._advance(served, True) > rect.width():
                served = tr("{n} served").format(n=number(snap.served_total))
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), served, MIN_PX, bold=True)
            y += self.line_h()
            missed = tr("✗ {n} missed").format(n=number(snap.missed_total))     # bold where it fits ("incumplid…")
            self._text(p, QRectF(rect.left(), y, rect.width(), self.line_h()), missed, MIN_PX, pr.miss,
                       self._advance(missed, True) <= rect.width())
            y += self.line_h() + 4
        metric_lines(self, p, rect, y, MIN_PX)
        self.regions.append((rect, self.vocab.tip("served")))

    def _advance(self, text: str, bold: bool = False) -> float:
        """The width of one line of text at the floor size."""
        f = QFont(self._font)
        f.setBold(bold)
        f.setPixelSize(int(self.min_px))
        return QFontMetricsF(f).horizontalAdvance(text)
