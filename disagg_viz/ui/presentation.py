"""Presentation mode (F5; Esc leaves): full screen, side panels hidden except the lesson and the
scoreboard, fonts and lines scaled for the back row, clicker keys move through the lesson, B
blanks the screen. Zoom (Ctrl+= / Ctrl+- / Ctrl+0) scales the whole window at any time.

The display model says whether we present, how big the type is, what is folded and whether the
screen is blank; this object only dresses the window for it (full screen, tab bar, menu bar,
docks, the clicker keys, the black cover)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabWidget, QWidget

from disagg_viz.playback.display_model import PRESENT_ZOOM, DisplayModel
from disagg_viz.ui.language import tr
from disagg_viz.ui.presentation_column import SHARE, fit_column


class Presentation(QObject):
    def __init__(self, display: DisplayModel, window: QMainWindow, tabs: QTabWidget, controls: QWidget,
                 lesson, lesson_dock: QDockWidget, side_dock: QDockWidget, board=None):
        """``lesson``: the lesson panel (``active``, ``next()``, ``previous()``, its signals);
        ``board``: the scoreboard in the side dock (its ``filled`` signal)."""
        super().__init__(window)
        self.display, self.win, self.tabs, self.controls = display, window, tabs, controls
        self.lesson, self.lesson_dock, self.side_dock, self.board = lesson, lesson_dock, side_dock, board
        # a step opened, a guess, the scoreboard filled or unveiled: the column is shared again
        # once the panels have laid themselves out (a second pass after the column's width moved)
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._refit_now)
        self._passes = 0
        for signal in (lesson.stepOpened, lesson.guessCommitted, lesson.closingShown):
            signal.connect(self.refit_soon)
        if board is not None:
            board.filled.connect(self.refit_soon)
        self._saved = {}
        self.blank = QLabel(window)
        self.blank.setObjectName("blank-screen")
        self.blank.setStyleSheet("background: #000000;")
        self.blank.hide()
        keys = {"PgDown": lesson.next, "Right": lesson.next, "PgUp": lesson.previous, "Left": lesson.previous,
                "B": self.toggle_blank, "Esc": self.leave,
                **{str(k + 1): (lambda k=k: lesson.guess(k)) for k in range(4)}}   # 1-4: the class's guess
        self.keys = []
        for key, slot in keys.items():
            sc = QShortcut(QKeySequence(key), window, slot)
            sc.setEnabled(False)                # only while presenting: sliders own these keys otherwise
            self.keys.append(sc)
        display.subscribe(self._follow)
        window.installEventFilter(self)         # the window's size decides what folds

    @property
    def active(self) -> bool:
        return self.display.presenting

    @property
    def zoom(self) -> float:
        return self.display.zoom

    def toggle(self) -> None:
        self.display.set(presenting=not self.display.presenting)

    def enter(self) -> None:
        self.display.set(presenting=True)

    def leave(self) -> None:
        self.display.set(presenting=False)

    def toggle_blank(self) -> None:
        self.display.set(blanked=not self.display.blanked)

    @Slot()
    def refit_soon(self) -> None:
        if self.display.presenting:
            self._passes = 2
            self._refit.start()

    @Slot()
    def _refit_now(self) -> None:
        if not self.display.presenting:
            return
        before = (self.side_dock.width(), self.lesson_dock.height())
        self._fit()
        self._passes -= 1
        if self._passes > 0 and (self.side_dock.width(), self.lesson_dock.height()) != before:
            self._refit.start()

    def _follow(self, name: str, value) -> None:
        if name in ("veiled", "highlights"):
            self.refit_soon()
        if name == "presenting":
            self._dress() if value else self._undress()
        elif name == "blanked":
            if value:
                self.blank.setGeometry(self.win.rect())
                self.blank.raise_()
            self.blank.setVisible(value)

    def _dress(self) -> None:
        w, d = self.win, self.display
        self._saved = {"zoom": d.zoom, "tab": self.tabs.currentIndex(), "maximized": w.isMaximized(),
                       "controls": self.controls.isVisible(), "menubar": w.menuBar().isVisible(),
                       "lesson": self.lesson_dock.isVisible(), "side": self.side_dock.isVisible(),
                       "geometry": w.saveGeometry()}
        self.tabs.setCurrentIndex(0)
        self.tabs.tabBar().hide()
        self.lesson.set_presenting(True)
        self.controls.hide()
        w.menuBar().hide()
        if self.lesson.active:
            self.lesson_dock.show()
        for sc in self.keys:
            sc.setEnabled(True)
        d.set(zoom=max(d.zoom, PRESENT_ZOOM))
        w.showFullScreen()
        self._fit()
        w.statusBar().showMessage(tr("Presenting: PgDown/PgUp move through the lesson, Space plays, B blanks, Esc leaves"),
                                  6000)

    def _undress(self) -> None:
        w = self.win
        self.display.set(blanked=False)
        for sc in self.keys:
            sc.setEnabled(False)
        self.tabs.tabBar().show()
        self.lesson.set_presenting(False)
        self.tabs.setCurrentIndex(self._saved.get("tab", 0))
        self.controls.setVisible(self._saved.get("controls", True))
        w.menuBar().setVisible(self._saved.get("menubar", True))
        self.lesson_dock.setVisible(self._saved.get("lesson", self.lesson.active))
        self.side_dock.setVisible(self._saved.get("side", True))
        self.lesson_dock.setMinimumWidth(0)
        self.display.set(zoom=self._saved.get("zoom", 1.0), charts_folded=False, scoreboard_folded=False)
        w.showNormal()
        if self._saved.get("maximized"):
            w.showMaximized()
        elif self._saved.get("geometry") is not None:
            w.restoreGeometry(self._saved["geometry"])

    def eventFilter(self, watched, event) -> bool:
        if watched is self.win and event.type() == QEvent.Resize:
            if self.blank.isVisible():
                self.blank.setGeometry(self.win.rect())
            if self.display.presenting:
                self._fit()
                self.refit_soon()
        return False

    def _fit(self) -> None:
        """What folds for the window's size (the display model decides), then the docks: the side
        gets the lesson's room only when there is a lesson; otherwise the kitchens get it.
        Proportions of the screen, applied again whenever the window's size changes (a projector
        plugged in, a different screen)."""
        w = self.win
        self.display.fit_presentation(w.width(), w.height(), self.lesson.active)
        # the scoreboard folded, the side dock would hold only a title squeezed under the lesson
        # (and scroll): the lesson gets the whole column
        alone = self.lesson.active and self.display.scoreboard_folded
        self.side_dock.setVisible(not alone)
        column = self.lesson_dock if alone else self.side_dock
        width = int(w.width() * (SHARE if self.lesson.active else 0.25))
        # alone, the lesson's own minimum sets the column: hold it at its share, or a longer
        # button row on the last step would squeeze the kitchens
        self.lesson_dock.setMinimumWidth(width if alone else 0)
        if self.lesson.active and not alone and self.board is not None:
            fit_column(w, self.lesson_dock, self.side_dock, self.board)     # the lesson over the scoreboard
        else:
            w.resizeDocks([column], [width], Qt.Horizontal)
