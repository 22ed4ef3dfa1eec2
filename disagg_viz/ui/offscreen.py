"""Open the main window offscreen on a scenario and wait for its first result (screenshots, the
``export`` command, documentation images)."""

from __future__ import annotations

import os


class OffscreenError(Exception):
    pass


def _offscreen_screen(size) -> None:
    """Before Qt starts: an offscreen "screen" of this size (full screen = a projector's 1920x1080)."""
    import json
    import tempfile
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen":
        return
    cfg = tempfile.NamedTemporaryFile("w", prefix="disagg-viz-screen-", suffix=".json", delete=False)
    json.dump({"screens": [{"name": "offscreen", "x": 0, "y": 0, "width": size[0], "height": size[1],
                            "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}, cfg)
    cfg.close()
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={cfg.name}"


def open_offscreen(scenario, path, size=(1280, 800), profile: str = "dark", serving_terms: bool | None = None,
                   timeout_ms: int = 120_000, language: str = "en"):
    from PySide6.QtWidgets import QApplication as _QApplication
    if _QApplication.instance() is None:
        _offscreen_screen(size)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from disagg_viz.ui.main_window import MainWindow

    import tempfile
    app = QApplication.instance() or QApplication([])
    # A throw-away settings store: the user's preferences never leak into handouts, and rendering
    # never writes into the user's settings.
    QSettings.setDefaultFormat(QSettings.IniFormat)
    import atexit
    import shutil
    store = tempfile.mkdtemp(prefix="disagg-viz-offscreen-")
    atexit.register(shutil.rmtree, store, True)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, store)
    from disagg_viz.ui.language import apply_language
    apply_language(language)                  # handouts in English unless asked (never the user's choice)
    win = MainWindow(scenario, path, profile)
    if serving_terms is not None:
        win.display.set(vocabulary="serving" if serving_terms else "kitchen")
    win.resize(*size)
    win.show()
    loop = QEventLoop()
    problems: list[str] = []
    win.controller.resultReady.connect(lambda _: QTimer.singleShot(50, loop.quit))
    win.controller.failed.connect(lambda text: (problems.append(text), loop.quit()))
    win.controller.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if win.controller.result is None:
        win.close()
        raise OffscreenError(problems[0] if problems else f"no result within {timeout_ms / 1000:.0f} s")
    return app, win
