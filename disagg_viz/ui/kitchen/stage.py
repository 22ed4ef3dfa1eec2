"""The stage the kitchens stand on: one view per system, laid out in rows for the room there is
(playback.layout_plan), and one of them focused to fill the stage on request. The kitchens follow
the display model: focus, words, colours, presenting, veil, highlights, a mystery link."""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QWidget

from disagg_viz.playback.display_model import DisplayModel
from disagg_viz.playback.layout_plan import KITCHEN_W, kitchen_rows
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.ui.kitchen.view import COMPACT_MIN_W, KitchenView
from disagg_viz.ui.palette import PROFILES
from disagg_viz.ui.language import tr


class KitchenStage(QWidget):
    focusChanged = Signal(str)          # a sentence for the status bar
    stationMenuRequested = Signal(int, object, float, object)   # kitchen index, stations, time, global position

    def __init__(self, display: DisplayModel, parent=None):
        super().__init__(parent)
        self.display = display
        self.setAccessibleName(tr("kitchens"))
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setSpacing(4)
        self.kitchens: list[KitchenView] = []
        self._plan: list[int] = []
        self._shown: list[KitchenView] = []
        display.subscribe(self._follow)

    @property
    def focused(self) -> KitchenView | None:
        """The kitchen filling the stage (None: all of them)."""
        f = self.display.focus
        return self.kitchens[f] if f is not None and f < len(self.kitchens) else None

    def ensure(self, n: int) -> bool:
        """``n`` kitchens, made afresh when the count changes; True if it did."""
        if len(self.kitchens) == n:
            return False
        for k in self.kitchens:
            self.grid.removeWidget(k)
            k.deleteLater()
        self.kitchens = []
        for _ in range(n):
            view = self._new_kitchen()
            view.focusRequested.connect(self._focus_requested)
            view.stationMenuRequested.connect(self._station_menu)
            self.kitchens.append(view)
        self.relayout()
        return True

    @Slot(object, float, object)
    def _station_menu(self, stations: list, t: float, pos) -> None:
        view = self.sender()
        if view in self.kitchens:
            self.stationMenuRequested.emit(self.kitchens.index(view), stations, t, pos)

    def _new_kitchen(self) -> KitchenView:
        d = self.display
        view = KitchenView(PROFILES[d.profile], Vocabulary(d.vocabulary))
        view.secret_link = d.secret_link
        view.set_veiled(d.veiled)
        view.set_compact(d.presenting)
        view.set_highlight(d.highlighted("kitchen"))
        return view

    def _follow(self, name: str, value) -> None:
        """The display model changed: every kitchen shows it."""
        if name == "focus":
            self.relayout()
            if len(self.kitchens) == len(self.display.systems):   # not a focus dropped with its kitchen
                view = self.focused
                title = view.item.title.split("  ·")[0] if view is not None else ""
                self.focusChanged.emit(tr("Focused on {title}: double-click for all, F for the next").format(title=title) if view
                                       else tr("All kitchens"))
            return
        for k in self.kitchens:
            if name == "vocabulary":
                k.set_vocabulary(Vocabulary(value))
            elif name == "profile":
                k.set_profile(PROFILES[value])
            elif name == "presenting":
                k.set_compact(value)
            elif name == "veiled":
                k.set_veiled(value)
            elif name == "highlights":
                k.set_highlight(self.display.highlighted("kitchen"))
            elif name == "secret_link":
                k.secret_link = value
        if name == "presenting":
            self.relayout()

    def relayout(self) -> None:
        self._plan = []
        self.arrange()

    def arrange(self) -> None:
        """Rows of kitchens for the room the stage has now (re-laid out only when the plan
        changes, so a resize never fights the layout)."""
        shown = [k for k in self.kitchens if self.focused in (None, k)]
        for k in self.kitchens:
            k.setVisible(k in shown)
        if shown and shown[0].presenting:                         # presenting: sizes in screen pixels
            min_w, min_h = COMPACT_MIN_W, shown[0].compact_min_h()
        else:
            min_w, min_h = KITCHEN_W, (shown[0].min_h if shown else 330.0)
        plan = kitchen_rows(len(shown), max(self.width(), 1), max(self.height(), 1), min_h, min_w)
        if plan == self._plan and self._shown == shown:
            return
        self._plan, self._shown = plan, shown
        # One grid: a row of c kitchens spans all `cols` columns, each kitchen cols / c of them
        # (rows hold c or c + 1 kitchens, so cols = c (c + 1) divides evenly). Widgets only move
        # in and out of the grid: nothing is deleted here.
        for view in self.kitchens:
            self.grid.removeWidget(view)
        cols = 1
        for c in set(plan):
            cols = cols * c // math.gcd(cols, c)
        views = iter(shown)
        for r, count in enumerate(plan):
            span = cols // count
            for k in range(count):
                self.grid.addWidget(next(views), r, k * span, 1, span)
        for c in range(max(self.grid.columnCount(), cols)):
            self.grid.setColumnStretch(c, 1 if c < cols else 0)
        for r in range(max(self.grid.rowCount(), len(plan))):
            self.grid.setRowStretch(r, 1 if r < len(plan) else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self.arrange)               # after the resize, not inside it

    # --- focus ----------------------------------------------------------------------------
    @Slot()
    def _focus_requested(self) -> None:
        index = self.kitchens.index(self.sender())
        if index < len(self.display.systems):
            self.display.toggle_focus(index)
