"""The stage the kitchens stand on: one view per system, laid out in rows for the room there is
(playback.layout_plan), and one of them focused to fill the stage on request."""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QWidget

from disagg_viz.playback.layout_plan import KITCHEN_W, kitchen_rows
from disagg_viz.ui.kitchen.view import COMPACT_MIN_W, KitchenView


class KitchenStage(QWidget):
    focusChanged = Signal(str)          # a sentence for the status bar

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("kitchens")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(2, 2, 2, 2)
        self.grid.setSpacing(4)
        self.kitchens: list[KitchenView] = []
        self.focused: KitchenView | None = None      # a kitchen filling the stage (None: all of them)
        self._plan: list[int] = []
        self._shown: list[KitchenView] = []

    def ensure(self, n: int, make_view) -> bool:
        """``n`` kitchens, made by ``make_view()`` when the count changes; True if it did."""
        if len(self.kitchens) == n:
            return False
        for k in self.kitchens:
            self.grid.removeWidget(k)
            k.deleteLater()
        self.kitchens = []
        for _ in range(n):
            view = make_view()
            view.focusRequested.connect(self._focus_requested)
            self.kitchens.append(view)
        self.focused = None
        self.relayout()
        return True

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
        view = self.sender()
        self.focus(None if self.focused is view else view)

    def focus(self, view: KitchenView | None) -> None:
        """One kitchen fills the stage (None: all of them again)."""
        self.focused = view
        self.relayout()
        name = view.item.title.split("  ·")[0] if view is not None else ""
        self.focusChanged.emit(f"Focused on {name}: double-click for all, F for the next" if view else "All kitchens")

    def focus_next(self) -> None:
        """Each kitchen in turn, then all of them."""
        if not self.kitchens:
            return
        if self.focused is None:
            self.focus(self.kitchens[0])
        else:
            k = self.kitchens.index(self.focused) + 1
            self.focus(self.kitchens[k] if k < len(self.kitchens) else None)
