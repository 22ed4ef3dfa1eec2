"""A QGraphicsView showing one kitchen, scaled to fit (same picture on a laptop and a projector)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QContextMenuEvent, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QToolTip

from disagg_viz.playback.description import describe
from disagg_viz.playback.narration import narrate
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.ui.kitchen.compact import CompactPainter, presenting_px
from disagg_viz.ui.kitchen.painter import MAX_H, MIN_H, W, KitchenPainter, min_height
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import tooltip


class KitchenItem(QGraphicsItem):
    def __init__(self, painter: KitchenPainter):
        super().__init__()
        self.kp = painter
        self.snapshot = None
        self.title = ""
        self.busy_text = ""
        self.caption = ""
        self.highlight: frozenset = frozenset()
        self.failed = False                # a drawing error was reported already

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.kp.w, self.kp.h)

    def paint(self, p: QPainter, option, widget=None) -> None:
        # An exception escaping a paint inside Qt's render loop takes the process down: a drawing
        # bug shows as a notice in the kitchen and is reported once, the window lives on.
        try:
            p.save()
            self.kp.paint(p, self.snapshot, self.title, self.busy_text, self.caption, self.highlight)
        except Exception:  # noqa: BLE001 - reported, not swallowed
            p.restore()
            p.save()
            p.setPen(Qt.red)
            p.drawText(self.boundingRect(), int(Qt.AlignCenter), tr("This kitchen could not be drawn (reported)."))
            if not self.failed:
                self.failed = True
                sys.excepthook(*sys.exc_info())
        finally:
            p.restore()


COMPACT_MIN_W = 640.0    # pixels a compact kitchen wants across (four columns of 18 px text)
BIG_POOL = 8             # more stations than this in a pool: the compact drawing
MIN_DETAIL_SCALE = 0.5   # below this scale the detailed kitchen's text is unreadable: compact instead
DESCRIBE_MS = 300        # the text description follows the time cursor at most this often
WINDOW_MIN_PX = 13       # the compact kitchen's smallest text outside presentation mode


class KitchenView(QGraphicsView):
    """Shows system ``index`` of the current result at the cursor's time."""
    focusRequested = Signal()          # double-click: fill the stage with this kitchen (again: all)
    stationMenuRequested = Signal(object, float, object)   # stations, time on screen, global position

    def __init__(self, profile: Profile, vocab: Vocabulary, parent=None):
        super().__init__(parent)
        self.painter = KitchenPainter(profile, vocab)
        self.compact_painter = CompactPainter(profile, vocab)   # presenting: big type, screen pixels
        self.compact = False
        self.presenting = False
        self.rows = 1
        self.setScene(QGraphicsScene(0, 0, W, self.painter.h, self))
        self.item = KitchenItem(self.painter)
        self.scene().addItem(self.item)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.NoFrame)
        self.setMinimumSize(280, 90)
        self.builder: SnapshotBuilder | None = None
        self.min_h = MIN_H
        self.secret_link = False          # a lesson's mystery: the caption must not tell the bandwidth
        self.setAccessibleName(tr("kitchen view"))
        # Screen readers and the tooltip get the kitchen's state as text (playback/description.py),
        # refreshed at most every DESCRIBE_MS while the time cursor moves.
        self.setFocusPolicy(Qt.StrongFocus)
        self._describe_timer = QTimer(self, singleShot=True, interval=DESCRIBE_MS)
        self._describe_timer.timeout.connect(self.describe_now)
        self.set_profile(profile)

    def _too_small(self) -> bool:
        """The detailed kitchen would be drawn below half size: its text could not be read."""
        vw, vh = self.viewport().width(), self.viewport().height()
        if vw < 50 or vh < 50 or not self.isVisible():
            return False
        return min(vw / W, vh / self.min_h) < MIN_DETAIL_SCALE

    def contextMenuEvent(self, event) -> None:
        """Right-click on a station: its fault menu (ui/fault_actions.py); the menu key: every
        station's."""
        snap = self.item.snapshot
        hits = self.item.kp.station_hits
        if snap is None or self.builder is None or not hits:
            event.ignore()
            return
        if event.reason() == QContextMenuEvent.Keyboard:
            stations = [st for _, st in hits]
        else:
            pos = self.mapToScene(event.pos())
            stations = [st for rect, st in hits if rect.contains(pos)][:1]
        if not stations:
            event.ignore()
            return
        self.stationMenuRequested.emit(stations, float(snap.t), event.globalPos())
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        self.focusRequested.emit()
        event.accept()

    def set_compact(self, on: bool) -> None:
        """Presenting: draw the compact kitchen in screen pixels (every text >= 18 px)."""
        self.presenting = on
        self._apply_mode()

    def _apply_mode(self) -> None:
        """Compact while presenting, and for a pool too big to draw box by box (more than
        BIG_POOL stations read at a glance as one line and a strip of ticks)."""
        on = self.presenting or self.rows > BIG_POOL or self._too_small()
        self._type_size()
        if on == self.compact:
            return
        self.compact = on
        self.item.prepareGeometryChange()
        self.item.kp = self.compact_painter if on else self.painter
        self._fit()
        self.item.update()

    def _type_size(self) -> None:
        """The compact kitchen's smallest text: presenting, MIN_PX and more on a big screen
        (compact.presenting_px); in the window a smaller floor."""
        vw, vh = max(self.viewport().width(), 1), max(self.viewport().height(), 1)
        self.compact_painter.min_px = presenting_px(vw, vh) if self.presenting else WINDOW_MIN_PX

    def set_metrics(self, metrics: list[tuple[str, str, bool]]) -> None:
        """Key numbers the compact kitchen shows under its served count."""
        self.compact_painter.metrics = metrics
        self.item.update()

    def set_profile(self, profile: Profile) -> None:
        self.painter.profile = profile
        self.compact_painter.profile = profile
        self.setBackgroundBrush(Qt.GlobalColor.transparent)
        self.setStyleSheet(f"background: {profile.background};")
        self.item.update()

    def set_vocabulary(self, vocab: Vocabulary) -> None:
        self.painter.vocab = vocab
        self.compact_painter.vocab = vocab
        self._caption()
        self.item.update()
        self._describe_soon()

    def _caption(self) -> None:
        if self.painter.veiled:         # the caption would tell what the question asks
            self.item.caption = tr("What will happen? The results show once the class has committed its guess.")
        elif self.item.snapshot is not None and self.builder is not None:
            self.item.caption = narrate(self.builder, self.item.snapshot, self.painter.vocab, self.secret_link)

    def set_system(self, builder: SnapshotBuilder | None, title: str) -> None:
        self.builder = builder
        self.item.title = title
        if builder is None:
            self.item.snapshot = None
        self.item.update()
        self.setAccessibleName(tr("kitchen {title}").format(title=title) if title else tr("kitchen view"))
        self._describe_soon()

    def set_busy_text(self, text: str) -> None:
        self.item.busy_text = text
        self.item.update()

    def set_veiled(self, on: bool) -> None:
        """Predict first: the served column keeps its count but hides the SLO verdicts, and the
        caption does not narrate."""
        self.painter.veiled = on
        self.compact_painter.veiled = on
        self._caption()
        self.item.update()
        self._describe_soon()

    def set_highlight(self, parts) -> None:
        self.item.highlight = frozenset(parts)
        self.item.update()

    def show_time(self, t: float) -> None:
        if self.builder is not None:
            self.item.snapshot = self.builder.at(t)
            self._caption()
            self.item.update()
            self._describe_soon()

    def _describe_soon(self) -> None:
        if not self._describe_timer.isActive():       # throttled, not postponed: playback updates it
            self._describe_timer.start()

    @Slot()
    def describe_now(self) -> None:
        """The kitchen's state as text: the accessible description and the tooltip."""
        text = describe(self.item.snapshot, self.painter.vocab, self.item.title or tr("kitchen view"),
                        self.painter.veiled)
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)
            self.setToolTip(tooltip(text))            # the title is file text: shown as written

    def _fit(self) -> None:
        """Width is always 1000 logical units; the height follows the view's shape (within limits),
        so a wide, short view gets a bigger picture instead of empty margins."""
        vw, vh = max(self.viewport().width(), 1), max(self.viewport().height(), 1)
        if self.compact:                      # one scene unit = one screen pixel
            cp = self.compact_painter
            self._type_size()
            if (cp.w, cp.h) != (vw, vh):
                self.item.prepareGeometryChange()
                cp.w, cp.h = float(vw), float(vh)
                self.scene().setSceneRect(0, 0, vw, vh)
            self.resetTransform()
            self.centerOn(vw / 2, vh / 2)
            return
        h = min(max(W * vh / vw, self.min_h), MAX_H)
        if abs(h - self.painter.h) > 0.5:
            self.item.prepareGeometryChange()
            self.painter.h = h
            self.scene().setSceneRect(0, 0, W, h)
        self.fitInView(self.scene().sceneRect(), Qt.KeepAspectRatio)

    def sizeHint(self) -> QSize:
        """Fixed, not the scene's: the scene's height follows the view, so a size hint that
        followed the scene would make the layout and the view chase each other."""
        return QSize(int(W * 0.6), int(MIN_H * 0.6))

    def compact_min_h(self) -> float:
        """Pixels a compact kitchen needs: title, one line per station (a pool of more than four
        folds into a summary), caption."""
        from disagg_viz.ui.kitchen.compact import MIN_PX, TITLE_PX
        lines = min(max(self.rows, 3), 4)
        return TITLE_PX * 1.4 + lines * (MIN_PX * 1.35 + 8) + 2 * MIN_PX * 1.35 + 8     # caption: two lines

    def set_rows(self, rows: int) -> None:
        """Station rows the tallest column of the kitchens on screen has (one scale for all)."""
        self.rows = rows
        self.min_h = min_height(min(rows, BIG_POOL))
        self._apply_mode()
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_mode()
        self._fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            pos = self.mapToScene(event.pos())
            for rect, text in self.item.kp.regions:
                if rect.contains(pos) and text:
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
            QToolTip.showText(event.globalPos(), self.toolTip(), self)   # elsewhere: the whole kitchen
            return True
        return super().viewportEvent(event)
