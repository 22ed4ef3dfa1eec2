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

    QShortcut(QKeySequence(Qt.Key_Space), win, win.cursor.toggle)
    QShortcut(QKeySequence(Qt.Key_Comma), win, lambda: win.cursor.step(-1))
    QShortcut(QKeySequence(Qt.Key_Period), win, lambda: win.cursor.step(+1))
