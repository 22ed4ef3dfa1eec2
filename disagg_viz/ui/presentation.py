"""Presentation mode (F5; Esc leaves): full screen, side panels hidden except the lesson and the
scoreboard, fonts and lines scaled for the back row, clicker keys move through the lesson, B
blanks the screen. Zoom (Ctrl+= / Ctrl+- / Ctrl+0) scales the whole window at any time."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel

ZOOMS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
CHARTS_MIN_HEIGHT = 1000     # px of window height below which presenting folds the charts away
SCOREBOARD_MIN_WIDTH = 1600  # px of window width below which the kitchens carry the key numbers instead
PRESENT_ZOOM = 1.5


class Presentation(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self.active = False
        self.zoom = 1.0
        self._saved = {}
        self.blank = QLabel(window)
        self.blank.setObjectName("blank-screen")
        self.blank.setStyleSheet("background: #000000;")
        self.blank.hide()
        keys = {"PgDown": self.win_next, "Right": self.win_next, "PgUp": self.win_prev, "Left": self.win_prev,
                "B": self.toggle_blank, "Esc": self.leave}
        self.keys = []
        for key, slot in keys.items():
            sc = QShortcut(QKeySequence(key), window, slot)
            sc.setEnabled(False)                # only while presenting: sliders own these keys otherwise
            self.keys.append(sc)

    # --- zoom ---------------------------------------------------------------------------------
    def set_zoom(self, factor: float) -> None:
        """Every widget's type (through the window's style sheet) and the charts' fonts and lines."""
        self.zoom = min(max(factor, ZOOMS[0]), ZOOMS[-1])
        self.win.apply_profile()
        self.win.charts.set_scale(self.zoom)
        self.win.statusBar().showMessage(f"Zoom {self.zoom:.0%}", 2000)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOMS if z > self.zoom + 1e-9), ZOOMS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOMS) if z < self.zoom - 1e-9), ZOOMS[0]))

    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    # --- presenting ---------------------------------------------------------------------------
    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.win
        self._saved = {"zoom": self.zoom, "tab": w.tabs.currentIndex(), "maximized": w.isMaximized(),
                       "controls": w.controls.isVisible(), "menubar": w.menuBar().isVisible(),
                       "lesson": w.lesson_dock.isVisible(), "geometry": w.saveGeometry()}
        self.active = True
        w.tabs.setCurrentIndex(0)
        w.tabs.tabBar().hide()
        w.controls.hide()
        w.menuBar().hide()
        if w.lesson.active:
            w.lesson_dock.show()
        for sc in self.keys:
            sc.setEnabled(True)
        self.set_zoom(max(self.zoom, PRESENT_ZOOM))
        for k in w.kitchens:                      # big type for the back row
            k.set_compact(True)
        w.relayout_kitchens()
        w.showFullScreen()
        self._side_scoreboard()
        self._size_docks()
        self._fold_charts()
        w.statusBar().showMessage("Presenting: PgDown/PgUp move through the lesson, Space plays, B blanks, Esc leaves",
                                  6000)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.win
        self.active = False
        self.blank.hide()
        for sc in self.keys:
            sc.setEnabled(False)
        w.tabs.tabBar().show()
        w.tabs.setCurrentIndex(self._saved.get("tab", 0))
        w.controls.setVisible(self._saved.get("controls", True))
        w.menuBar().setVisible(self._saved.get("menubar", True))
        w.lesson_dock.setVisible(self._saved.get("lesson", w.lesson.active))
        self.set_zoom(self._saved.get("zoom", 1.0))
        for k in w.kitchens:
            k.set_compact(False)
        w.charts_folded = w.scoreboard_folded = False
        w.charts.setVisible(not getattr(w, "_veiled", False))
        w.scoreboard.setVisible(not getattr(w, "_veiled", False))
        w.scoreboard_legend.setVisible(not getattr(w, "_veiled", False))
        w.relayout_kitchens()
        w.showNormal()
        if self._saved.get("maximized"):
            w.showMaximized()
        elif self._saved.get("geometry") is not None:
            w.restoreGeometry(self._saved["geometry"])

    def toggle_blank(self) -> None:
        if self.blank.isVisible():
            self.blank.hide()
        else:
            self.blank.setGeometry(self.win.rect())
            self.blank.raise_()
            self.blank.show()

    def win_next(self) -> None:
        self.win.lesson.next()

    def win_prev(self) -> None:
        self.win.lesson.previous()

    def _size_docks(self) -> None:
        """The side gets the lesson's room only when there is a lesson; otherwise the kitchens get
        it. Proportions of the screen, applied again whenever the window's size changes (a
        projector plugged in, a different screen)."""
        w = self.win
        w.resizeDocks([w.dock], [int(w.width() * (0.33 if w.lesson.active else 0.25))], Qt.Horizontal)
        if w.lesson.active:                      # the lesson gets the room; the scoreboard what it needs
            share = 0.85 if getattr(w, "scoreboard_folded", False) else 0.5
            w.resizeDocks([w.lesson_dock, w.dock], [int(w.height() * share), int(w.height() * (0.95 - share))],
                          Qt.Vertical)

    def resized(self) -> None:
        if self.blank.isVisible():
            self.blank.setGeometry(self.win.rect())
        if self.active:
            self._side_scoreboard()
            self._size_docks()
            self._fold_charts()

    def _side_scoreboard(self) -> None:
        """On a narrow screen the kitchens carry their own key numbers and the lesson gets the side
        column; a wide one has room for the full scoreboard too."""
        w = self.win
        wide = w.width() >= SCOREBOARD_MIN_WIDTH or not w.lesson.active
        veiled = getattr(w, "_veiled", False)
        w.scoreboard.setVisible(wide and not veiled)
        w.scoreboard_legend.setVisible(wide and not veiled)
        w.scoreboard_folded = not wide

    def _fold_charts(self) -> None:
        """Below 1,000 px of height the charts cannot keep readable ticks at presentation size:
        they fold away and the kitchens get the room (they come back when presenting ends)."""
        w = self.win
        room = w.height() >= CHARTS_MIN_HEIGHT
        w.charts.setVisible(room and not getattr(w, "_veiled", False))
        w.charts_folded = not room
