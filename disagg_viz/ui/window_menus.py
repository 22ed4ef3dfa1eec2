"""The menu bar and the window-wide keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut


def build_menus(win) -> None:
    bar = win.menuBar()
    file = bar.addMenu("&File")
    win.files.build_menu(file)
    file.addSeparator()
    win.exports.build_menu(file.addMenu("&Export"))
    file.addSeparator()
    file.addAction(QAction("&Quit", win, shortcut=QKeySequence.Quit, triggered=win.close))

    view = bar.addMenu("&View")
    win.serving_terms = QAction("Serving terms (prefill/decode/KV)", win, checkable=True)
    win.serving_terms.setChecked(win.vocab.mode == "serving")
    win.serving_terms.toggled.connect(win.set_serving_terms)
    view.addAction(win.serving_terms)
    win.projector = QAction("Projector colours (light)", win, checkable=True)
    win.projector.setChecked(win.profile.name == "projector")
    win.projector.toggled.connect(lambda on: win.set_profile("projector" if on else "dark"))
    view.addAction(win.projector)
    win.reveal_action = QAction("Reveal &Mystery Values", win, triggered=win.reveal_mysteries)
    win.reveal_action.setEnabled(bool(win.controller.scenario.teacher.mystery))
    view.addAction(win.reveal_action)
    view.addSeparator()
    view.addAction(QAction("&Present", win, shortcut=QKeySequence("F5"), triggered=win.presentation.toggle))
    view.addAction(QAction("&Focus Next Kitchen", win, shortcut=QKeySequence("F"), triggered=win.focus_next_kitchen))
    view.addAction(QAction("Zoom &In", win, shortcut=QKeySequence("Ctrl+="), triggered=win.presentation.zoom_in))
    view.addAction(QAction("Zoom &Out", win, shortcut=QKeySequence("Ctrl+-"), triggered=win.presentation.zoom_out))
    view.addAction(QAction("&Actual Size", win, shortcut=QKeySequence("Ctrl+0"), triggered=win.presentation.zoom_reset))
    view.addAction(win.lesson_dock.toggleViewAction())
    view.addSeparator()
    view.addAction(QAction("&Kitchen tab", win, shortcut=QKeySequence("Ctrl+1"), triggered=lambda: win.tabs.setCurrentIndex(0)))
    view.addAction(QAction("&Explore tab", win, shortcut=QKeySequence("Ctrl+2"), triggered=lambda: win.tabs.setCurrentIndex(1)))

    play = bar.addMenu("&Playback")
    play.addAction(QAction("Play / pause\tSpace", win, triggered=win.cursor.toggle))
    play.addAction(QAction("Step back\t,", win, triggered=lambda: win.cursor.step(-1)))
    play.addAction(QAction("Step forward\t.", win, triggered=lambda: win.cursor.step(+1)))
    for name in ("slow", "normal", "fast"):
        play.addAction(QAction(f"Speed: {name}", win, triggered=lambda _=False, n=name: win.cursor.set_speed(n)))
    play.addAction(QAction("Reset", win, shortcut=QKeySequence("Ctrl+R"), triggered=win.reset))

    lesson = bar.addMenu("&Lesson")
    lesson.addAction(QAction("&Next Step", win, shortcut=QKeySequence("Ctrl+PgDown"), triggered=win.lesson.next))
    lesson.addAction(QAction("&Previous Step", win, shortcut=QKeySequence("Ctrl+PgUp"), triggered=win.lesson.previous))

    help_ = bar.addMenu("&Help")
    help_.addAction(QAction("&Keyboard Shortcuts", win, shortcut=QKeySequence("F1"), triggered=win.show_shortcuts))
    QShortcut(QKeySequence("?"), win, win.show_shortcuts)
    QShortcut(QKeySequence("Ctrl++"), win, win.presentation.zoom_in)       # Ctrl+= on keyboards without '+'

    # Menu shortcuts also live on the window, so they work while the menu bar is hidden (presenting).
    for menu in bar.findChildren(type(file)):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                win.addAction(action)

    QShortcut(QKeySequence(Qt.Key_Space), win, win.cursor.toggle)
    QShortcut(QKeySequence(Qt.Key_Comma), win, lambda: win.cursor.step(-1))
    QShortcut(QKeySequence(Qt.Key_Period), win, lambda: win.cursor.step(+1))
