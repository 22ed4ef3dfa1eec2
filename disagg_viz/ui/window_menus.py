"""The menu bar and the window-wide keys. View items change the display model; their check marks
follow it (whoever changed it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow

from disagg_viz.playback.display_model import DisplayModel
from disagg_viz.ui.language import build_language_menu, tr


def _show_about(win: QMainWindow) -> None:
    from disagg_viz.ui.about import AboutDialog
    dialog = win.findChild(AboutDialog)
    if dialog is None:
        dialog = AboutDialog(win)
    dialog.show()
    dialog.raise_()


def _open_document(win: QMainWindow, name: str) -> None:
    from disagg_viz.resources import doc_path
    from disagg_viz.ui.about import open_document
    if not open_document(name):
        win.statusBar().showMessage(f"No viewer opened {doc_path(name)}: open it in any text editor", 10_000)


def build_menus(win: QMainWindow, display: DisplayModel, parts: dict) -> dict[str, QAction]:
    """The menus of ``win`` (its menu bar, and its shortcuts so they work while the menu bar is
    hidden). ``parts``: files, exports, cursor, lesson, lesson_dock, tabs, and the window's
    commands reset, reveal and shortcuts. Returns the actions others check or enable."""
    files, exports, cursor, lesson, tabs = (parts[k] for k in ("files", "exports", "cursor", "lesson", "tabs"))
    bar = win.menuBar()
    file = bar.addMenu(tr("&File"))
    files.build_menu(file)
    file.addSeparator()
    exports.build_menu(file.addMenu(tr("&Export")))
    file.addSeparator()
    file.addAction(QAction(tr("&Quit"), win, shortcut=QKeySequence.Quit, triggered=win.close))

    view = bar.addMenu(tr("&View"))
    serving = QAction(tr("Serving terms (prefill/decode/KV)"), win, checkable=True)
    serving.setChecked(display.vocabulary == "serving")
    serving.toggled.connect(lambda on: display.set(vocabulary="serving") if on else
                            display.vocabulary == "serving" and display.set(vocabulary="kitchen"))
    view.addAction(serving)
    kubernetes = QAction(tr("Kubernetes terms (node pools, cross-pool shipping)"), win, checkable=True)
    kubernetes.setChecked(display.vocabulary == "kubernetes")
    kubernetes.toggled.connect(lambda on: display.set(vocabulary="kubernetes") if on else
                               display.vocabulary == "kubernetes" and display.set(vocabulary="kitchen"))
    view.addAction(kubernetes)
    projector = QAction(tr("Projector colours (light)"), win, checkable=True)
    projector.setChecked(display.profile == "projector")
    projector.toggled.connect(lambda on: display.set(profile="projector" if on else "dark"))
    view.addAction(projector)
    reveal = QAction(tr("Reveal &Mystery Values"), win, triggered=parts["reveal"])
    view.addAction(reveal)
    build_language_menu(view.addMenu(tr("&Language")), win)
    view.addSeparator()
    present = lambda: display.set(presenting=not display.presenting)     # noqa: E731
    view.addAction(QAction(tr("&Present"), win, shortcut=QKeySequence("F5"), triggered=present))
    view.addAction(QAction(tr("Presenter &View (second window)"), win, shortcut=QKeySequence("F6"),
                           triggered=parts["presenter"]))
    view.addAction(QAction(tr("&Focus Next Kitchen"), win, shortcut=QKeySequence("F"), triggered=display.focus_next))
    view.addAction(QAction(tr("Zoom &In"), win, shortcut=QKeySequence("Ctrl+="), triggered=display.zoom_in))
    view.addAction(QAction(tr("Zoom &Out"), win, shortcut=QKeySequence("Ctrl+-"), triggered=display.zoom_out))
    view.addAction(QAction(tr("&Actual Size"), win, shortcut=QKeySequence("Ctrl+0"), triggered=display.zoom_reset))
    view.addAction(parts["lesson_dock"].toggleViewAction())
    view.addSeparator()
    view.addAction(QAction(tr("&Kitchen tab"), win, shortcut=QKeySequence("Ctrl+1"), triggered=lambda: tabs.setCurrentIndex(0)))
    view.addAction(QAction(tr("&Explore tab"), win, shortcut=QKeySequence("Ctrl+2"), triggered=lambda: tabs.setCurrentIndex(1)))

    def follow(name: str, value) -> None:
        if name == "vocabulary":
            for action, mode in ((serving, "serving"), (kubernetes, "kubernetes")):
                if action.isChecked() != (value == mode):
                    action.setChecked(value == mode)
        elif name == "profile" and projector.isChecked() != (value == "projector"):
            projector.setChecked(value == "projector")
    display.subscribe(follow)

    play = bar.addMenu(tr("&Playback"))
    play.addAction(QAction(tr("Play / pause\tSpace"), win, triggered=cursor.toggle))
    play.addAction(QAction(tr("Step back\t,"), win, triggered=lambda: cursor.step(-1)))
    play.addAction(QAction(tr("Step forward\t."), win, triggered=lambda: cursor.step(+1)))
    for name in ("slow", "normal", "fast"):
        play.addAction(QAction(tr("Speed: {name}").format(name={"slow": tr("slow"), "normal": tr("normal"), "fast": tr("fast")}[name]), win, triggered=lambda _=False, n=name: cursor.set_speed(n)))
    play.addAction(QAction(tr("Reset"), win, shortcut=QKeySequence("Ctrl+R"), triggered=parts["reset"]))

    steps = bar.addMenu(tr("&Lesson"))
    steps.addAction(QAction(tr("&Next Step"), win, shortcut=QKeySequence("Ctrl+PgDown"), triggered=lesson.next))
    steps.addAction(QAction(tr("&Previous Step"), win, shortcut=QKeySequence("Ctrl+PgUp"), triggered=lesson.previous))

    help_ = bar.addMenu(tr("&Help"))
    help_.addAction(QAction(tr("&Keyboard Shortcuts"), win, shortcut=QKeySequence("F1"), triggered=parts["shortcuts"]))
    help_.addSeparator()
    help_.addAction(QAction(tr("&Cost Model (how times are computed)"), win,
                            triggered=lambda: _open_document(win, "cost-model.md")))
    help_.addAction(QAction(tr("&Scenario File Format"), win,
                            triggered=lambda: _open_document(win, "scenario-format.md")))
    help_.addSeparator()
    about = QAction(tr("&About disagg-viz"), win, triggered=lambda: _show_about(win))
    about.setMenuRole(QAction.AboutRole)
    about.setObjectName("about-action")
    help_.addAction(about)
    QShortcut(QKeySequence("?"), win, parts["shortcuts"])
    QShortcut(QKeySequence("Ctrl++"), win, display.zoom_in)       # Ctrl+= on keyboards without '+'

    # Menu shortcuts also live on the window, so they work while the menu bar is hidden (presenting).
    for menu in bar.findChildren(type(file)):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                win.addAction(action)

    QShortcut(QKeySequence(Qt.Key_Space), win, cursor.toggle)
    QShortcut(QKeySequence(Qt.Key_Comma), win, lambda: cursor.step(-1))
    QShortcut(QKeySequence(Qt.Key_Period), win, lambda: cursor.step(+1))
    return {"serving_terms": serving, "projector": projector, "reveal": reveal}
