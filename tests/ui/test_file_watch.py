"""Reload on change (ui/file_watch.py): the open scenario file edited on disk reloads; a rename
over it (how many editors save) still reloads, then and later; unsaved changes are asked about
first; a file that no longer parses keeps the open scenario and says why; the app's own saves
change nothing."""

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from disagg_viz.resources import default_scenario_path
from disagg_viz.scenario import load_scenario
from disagg_viz.ui.file_watch import _stamp
from disagg_viz.ui.main_window import MainWindow
from tests.ui.window_helpers import close_window

TEXT = default_scenario_path().read_text().replace("requests = 600", "requests = 40")
TITLE = 'title = "Long prompts stall the plating line"'


def _open(qtbot, tmp_path, start=True):
    path = tmp_path / "lesson.toml"
    path.write_text(TEXT)
    win = MainWindow(load_scenario(path), path, "dark")
    qtbot.addWidget(win)
    win.show()
    if start:
        with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
            win.controller.start()
    return win, path


def _retitle(text: str, title: str) -> str:
    assert TITLE in text
    return text.replace(TITLE, f'title = "{title}"')


def _status(win) -> str:
    return win.statusBar().currentMessage()


def test_an_edit_on_disk_reloads(qtbot, tmp_path):
    win, path = _open(qtbot, tmp_path)
    path.write_text(_retitle(TEXT, "Edited in an editor").replace("requests = 40", "requests = 50"))
    qtbot.waitUntil(lambda: win.controller.scenario.title == "Edited in an editor", timeout=10_000)
    assert win.controller.scenario.workload.requests == 50
    assert not win.isWindowModified() and "Edited in an editor" in win.windowTitle()
    qtbot.waitUntil(lambda: not win.controller.pending, timeout=120_000)
    assert "Reloaded lesson.toml" in _status(win)              # the note outlasts the re-simulation
    close_window(win)


def test_a_rename_over_the_file_reloads_and_the_watch_survives_it(qtbot, tmp_path):
    win, path = _open(qtbot, tmp_path, start=False)
    for n in (1, 2):                                   # the second edit proves the file is watched again
        tmp = tmp_path / f".lesson.toml.swp{n}"
        tmp.write_text(_retitle(TEXT, f"Saved by rename {n}"))
        os.replace(tmp, path)
        qtbot.waitUntil(lambda n=n: win.controller.scenario.title == f"Saved by rename {n}", timeout=10_000)
        qtbot.waitUntil(lambda: str(path) in win.file_watch.watcher.files(), timeout=10_000)
    close_window(win)


def test_a_file_that_no_longer_parses_keeps_the_scenario_and_says_why(qtbot, tmp_path):
    win, path = _open(qtbot, tmp_path, start=False)
    before = win.controller.scenario
    path.write_text(TEXT.replace("requests = 40", "requests = -3"))
    qtbot.waitUntil(lambda: "cannot be loaded" in _status(win), timeout=10_000)
    assert "workload.requests" in _status(win) and "stays" in _status(win)
    assert win.controller.scenario == before
    path.write_text(_retitle(TEXT, "Fixed"))           # fixing the file reloads it
    qtbot.waitUntil(lambda: win.controller.scenario.title == "Fixed", timeout=10_000)
    close_window(win)


@pytest.mark.parametrize("answer", [QMessageBox.Yes, QMessageBox.No])
def test_unsaved_changes_are_asked_about_first(qtbot, tmp_path, answer):
    win, path = _open(qtbot, tmp_path)
    with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
        win.controller.change({"workload.requests": 30})
    assert win.files.dirty
    path.write_text(_retitle(TEXT, "Changed meanwhile"))
    qtbot.waitUntil(lambda: win.file_watch.question is not None and win.file_watch.question.isVisible(),
                    timeout=10_000)
    box = win.findChild(QMessageBox, "reload-changed-file")
    assert "lesson.toml" in box.text() and "unsaved changes" in box.informativeText()
    assert win.controller.scenario.workload.requests == 30       # nothing changes while asking
    box.button(answer).click()
    if answer == QMessageBox.Yes:
        qtbot.waitUntil(lambda: win.controller.scenario.title == "Changed meanwhile", timeout=10_000)
        assert win.controller.scenario.workload.requests == 40 and not win.files.dirty
    else:
        qtbot.waitUntil(lambda: win.file_watch.question is None, timeout=10_000)
        assert "Kept your changes" in _status(win)
        assert win.controller.scenario.workload.requests == 30 and win.files.dirty
    close_window(win)


def test_the_apps_own_save_neither_reloads_nor_asks(qtbot, tmp_path):
    win, path = _open(qtbot, tmp_path)
    with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
        win.controller.change({"workload.requests": 30})
    shown = win.controller.scenario
    assert win.files.save_to(path)
    qtbot.waitUntil(lambda: win.file_watch.stamp == _stamp(path), timeout=10_000)   # the change was looked at
    assert win.file_watch.question is None and "Reloaded" not in _status(win)
    assert win.controller.scenario.workload == shown.workload and not win.files.dirty
    close_window(win)


def test_the_watch_follows_save_as_and_leaves_untitled_alone(qtbot, tmp_path):
    win, path = _open(qtbot, tmp_path, start=False)
    other = tmp_path / "elsewhere" / "copy.toml"
    other.parent.mkdir()
    assert win.files.save_to(other)
    assert win.file_watch.path == other and str(other) in win.file_watch.watcher.files()
    assert str(path) not in win.file_watch.watcher.files()
    win.files.new()
    assert win.file_watch.path is None and not win.file_watch.watcher.files()
    close_window(win)


def test_a_lesson_reloads_on_the_step_the_teacher_was_on(qtbot, tmp_path):
    from disagg_viz.resources import scenarios_dir
    text = (scenarios_dir() / "01-the-conflict.toml").read_text()
    path = tmp_path / "lesson1.toml"
    path.write_text(text)
    win = MainWindow(load_scenario(path), path, "dark")
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
        win.controller.start()
    win.lesson.go(1)
    step_title = win.lesson.walk.steps[1].title
    edited = text.replace(f'title = "{step_title}"', 'title = "Predict, edited"', 1)
    assert edited != text
    path.write_text(edited)
    qtbot.waitUntil(lambda: win.lesson.walk.steps[1].title == "Predict, edited", timeout=10_000)
    assert win.lesson.walk.index == 1 and "Step 2 of" in win.lesson.progress.text()
    close_window(win)
