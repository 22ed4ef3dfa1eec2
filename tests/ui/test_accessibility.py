"""Accessibility (issue 23, point 6): the keyboard reaches every control (Tab walks through the
time bar, scoreboard, scenario controls, lesson panel, kitchens and charts), every interactive
widget takes Tab focus and has a name a screen reader reads, and each painted kitchen tells its
state as text (accessible description and tooltip) that follows the time cursor."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QApplication,
    QComboBox, QGraphicsView, QTabBar, QWidget,
)

from disagg_viz.ui.plain_text import tooltip
from tests.ui.window_helpers import close_window, open_window

INTERACTIVE = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QTabBar, QAbstractItemView,
               QGraphicsView, QAbstractScrollArea)


def interactive_widgets(win) -> list[QWidget]:
    """The window's own controls (a tab widget's tab bar too): not Qt's internal parts (named qt_*:
    a dock's float button, a table's corner button), scroll bars and table headers (the keyboard scrolls their view), or
    popups (a combo box's list opens from the combo box)."""
    return [w for w in win.findChildren(QWidget) if isinstance(w, INTERACTIVE) and w.window() is win
            and (isinstance(w, QTabBar) or not w.objectName().startswith("qt_")) and type(w).__name__ not in ("QScrollBar", "QHeaderView")
            and not isinstance(w.parent(), QAbstractSpinBox)]


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Name) if iface is not None else ""


def test_every_interactive_widget_takes_tab_focus_and_has_an_accessible_name(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml", start=False)
    win.lesson.go(1)                                   # a question: choices and the commit button exist
    widgets = interactive_widgets(win)
    assert len(widgets) > 40
    kinds = {type(w).__name__ for w in widgets}
    assert {"KitchenView", "Scoreboard", "MarkedScrubber", "FineSlider", "QDoubleSpinBox", "QComboBox",
            "QPushButton", "QTabBar", "PlotWidget"} <= kinds, kinds
    no_tab = [f"{type(w).__name__} {accessible_name(w)!r}" for w in widgets if not w.focusPolicy() & Qt.TabFocus]
    unnamed = [f"{type(w).__name__} {w.toolTip()!r}" for w in widgets if not accessible_name(w).strip()]
    assert not no_tab, no_tab
    assert not unnamed, unnamed
    assert ":focus" in win.styleSheet() and "outline" in win.styleSheet()      # focus is visible
    close_window(win)


def test_tab_reaches_every_visible_control(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml", start=False)
    win.time_controls.play.setFocus()
    wanted = [w for w in interactive_widgets(win) if w.isVisible() and w.isEnabled()]
    reached = []
    for _ in range(3 * len(wanted)):
        focus = QApplication.focusWidget()
        reached.append(focus)
        QTest.keyClick(focus, Qt.Key_Tab)
    seen = set(map(id, reached))
    speed = list(win.time_controls.speed_buttons.values())     # an exclusive group: Tab enters at the
    missed = [f"{type(w).__name__} {accessible_name(w)!r}" for w in wanted   # checked one, arrows move on
              if id(w) not in seen and not (w in speed and any(id(b) in seen for b in speed))]
    assert not missed, missed
    for part in (win.scoreboard, win.time_controls.scrubber, win.lesson.picker, win.kitchens[0],
                 win.controls.controls["prompt"].slider):
        assert id(part) in seen
    close_window(win)


def test_each_kitchen_describes_its_state_and_follows_the_time_cursor(qtbot):
    win = open_window(qtbot, "default.toml")
    views = win.kitchens
    assert len(views) >= 2
    win.cursor.seek(win.controller.result.end_time * 0.5)
    for view in views:
        qtbot.waitUntil(lambda view=view: f"at {win.cursor.t:.1f} s." in view.accessibleDescription(), timeout=10_000)
        text = view.accessibleDescription()
        assert view.toolTip() == tooltip(text)      # escaped: the title is file text
        assert "served" in text and ("Station" in text or "Prep" in text)
        assert view.accessibleName().startswith("kitchen ") and view.item.title.split("  ·")[0] in view.accessibleName()
    disaggregated = [v for v in views if "The pass:" in v.accessibleDescription()]
    assert disaggregated                              # trays in flight are told where there is a pass
    win.display.set(vocabulary="serving")
    qtbot.waitUntil(lambda: "KV link:" in disaggregated[0].accessibleDescription(), timeout=10_000)
    close_window(win)
