"""File menu: save/open round trips (what the window shows is in the file), images that carry
their scenario, unsaved-changes questions, failed saves, bad files, drag and drop, clipboard."""

import os
import stat

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from disagg_viz.resources import scenarios_dir, shipped_scenarios
from disagg_viz.scenario import load_scenario
from tests.conftest import FIXTURES
from tests.ui.window_helpers import close_window, open_window


def _answer_next_box(button: QMessageBox.StandardButton, seen: list):
    """Answer the next modal message box (as a user would click), recording its text."""
    def click():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(20, click)
    QTimer.singleShot(20, click)


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.stem)
def test_every_shipped_scenario_round_trips_through_save_and_open(qtbot, tmp_path, path):
    win = open_window(qtbot, path.name, start=False)
    out = tmp_path / "copy.toml"
    assert win.files.save_to(out)
    assert win.windowTitle().startswith(load_scenario(path).title) and "copy.toml" in win.windowTitle()
    assert not win.isWindowModified()
    assert load_scenario(out) == win.controller.scenario
    assert win.open_path(out) and win.controller.scenario == load_scenario(out)
    close_window(win)


def test_what_the_window_shows_is_in_the_file(qtbot, tmp_path):
    win = open_window(qtbot, edits=["workload.requests=60"])
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controls.controls["rate"].slider.setValue(300)
    win.cursor.set_speed("fast")
    win.display.set(vocabulary="serving")
    win.cursor.seek(2.5)
    assert win.isWindowModified() and win.windowTitle().startswith(win.controller.scenario.title)
    out = tmp_path / "mine.toml"
    assert win.files.save_to(out) and not win.isWindowModified()
    rate = win.controls.controls["rate"].value()
    close_window(win)

    again = open_window(qtbot, start=False)
    assert again.open_path(out)
    with qtbot.waitSignal(again.controller.resultReady, timeout=60_000):
        again.controller.start()
    assert again.controls.controls["rate"].value() == pytest.approx(rate)
    assert again.cursor.speed == "fast" and again.display.vocabulary == "serving" and again.serving_terms.isChecked()
    assert again.cursor.t == pytest.approx(2.5)
    assert not again.isWindowModified() and again.files.recent_files()[0] == str(out.resolve())
    close_window(again)


def test_png_and_gif_carry_the_scenario_and_reopen_it(qtbot, tmp_path):
    win = open_window(qtbot, edits=["workload.requests=50", "workload.prompt_tokens=3000"])
    png, gif, apng = tmp_path / "shot.png", tmp_path / "clip.gif", tmp_path / "clip.png"
    assert win.exports.export_png("window", png)
    assert win.exports.export_png("kitchens", tmp_path / "kitchens.png")
    assert win.exports.export_animation(gif, 0.5, 1.0, 10, "kitchens")
    assert win.exports.export_animation(apng, 0.5, 0.8, 10, "kitchens")
    from PIL import Image
    with Image.open(gif) as im:
        assert im.n_frames == 6
    expected = win.controller.scenario
    for f in (png, tmp_path / "kitchens.png", gif, apng):
        assert load_scenario(f) == expected
    close_window(win)
    other = open_window(qtbot, start=False)
    assert other.open_path(gif) and other.controller.scenario == expected
    assert other.isWindowModified()               # an image is not a scenario file: Save asks where
    close_window(other)


def test_csv_and_json_exports(qtbot, tmp_path):
    import csv
    import json
    win = open_window(qtbot, edits=["workload.requests=40"])
    assert win.exports.export_csv(tmp_path / "r.csv") and win.exports.export_json(tmp_path / "s.json")
    rows = list(csv.DictReader((tmp_path / "r.csv").open()))
    assert len(rows) == 80 and {r["system"] for r in rows} == {s.name for s in win.controller.scenario.systems}
    assert all(float(r["ttft_ms"]) > 0 for r in rows)
    data = json.loads((tmp_path / "s.json").read_text())
    assert [s["name"] for s in data["systems"]] == [s.name for s in win.controller.scenario.systems]
    close_window(win)


def test_unsaved_changes_are_asked_about_before_new_open_and_close(qtbot, tmp_path):
    win = open_window(qtbot, edits=["workload.requests=40"])
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controls.controls["rate"].slider.setValue(200)
    edited = win.controller.scenario
    seen = []
    _answer_next_box(QMessageBox.Cancel, seen)
    assert not win.files.new()
    assert seen and "not saved" in seen[0] and win.controller.scenario == edited
    _answer_next_box(QMessageBox.Cancel, seen)
    assert not win.open_path(scenarios_dir() / "02-the-fix.toml")
    assert win.controller.scenario == edited and len(seen) == 2
    _answer_next_box(QMessageBox.Cancel, seen)
    win.close()
    assert win.isVisible() and len(seen) == 3                   # closing was cancelled
    _answer_next_box(QMessageBox.Discard, seen)
    assert win.files.new() and win.controller.scenario != edited and not win.isWindowModified()
    assert "untitled" in win.windowTitle()
    win.close()                                                 # nothing unsaved: no question
    assert not win.isVisible() and len(seen) == 4


def test_failed_save_keeps_the_old_file_and_says_why(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "lesson.toml"
    target.write_text("old contents")
    win = open_window(qtbot, edits=["workload.requests=40"])
    if os.geteuid() == 0:                       # root writes anywhere: refuse the rename instead
        def refuse(src, dst):
            raise PermissionError(13, "Permission denied", str(dst))
        monkeypatch.setattr(os, "replace", refuse)
    else:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert not win.files.save_to(target)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert target.read_text() == "old contents" and [p.name for p in folder.iterdir()] == ["lesson.toml"]
    boxes = [b for b in win.findChildren(QMessageBox) if b.objectName() == "save-failed" and b.isVisible()]
    assert boxes and "Permission denied" in boxes[0].text() and "lesson.toml" in boxes[0].text()
    boxes[0].accept()
    monkeypatch.undo()
    close_window(win)


def test_a_bad_file_lists_its_problems_and_keeps_the_open_scenario(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    before = win.controller.scenario
    assert not win.open_path(FIXTURES / "bad-many-problems.toml")
    boxes = [b for b in win.findChildren(QMessageBox) if b.objectName() == "scenario-problems" and b.isVisible()]
    text = boxes[0].text()
    assert "6 problems" in text and "workload.arrival_rate" in text and "(line" in text
    assert win.controller.scenario == before
    boxes[0].accept()
    close_window(win)


def test_drag_and_drop_opens_a_file(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scenarios_dir() / "02-the-fix.toml"))])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    win.dropEvent(event)
    qtbot.waitUntil(lambda: win.controller.scenario.title == load_scenario(scenarios_dir() / "02-the-fix.toml").title,
                    timeout=5000)
    close_window(win)


def test_copy_and_paste_scenario_text(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    win.files.copy_text()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("schema_version = 3")
    QGuiApplication.clipboard().setText(text.replace("requests = 40", "requests = 41"))
    assert win.files.paste_text()
    assert win.controller.scenario.workload.requests == 41 and "untitled" in win.windowTitle()
    win.files.mark_clean()
    QGuiApplication.clipboard().setText("this is not a scenario = [")
    before = win.controller.scenario
    assert not win.files.paste_text() and win.controller.scenario == before
    close_window(win)


def test_scenarios_menu_lists_the_lesson_first(qtbot):
    win = open_window(qtbot, start=False)
    titles = [a.text() for a in win.files.scenarios_menu.actions() if a.text()]
    lesson = [load_scenario(p).title for p in shipped_scenarios() if p.stem[:2].isdigit()]
    assert titles[1:1 + len(lesson)] == lesson and titles[0] == "Lesson"
    close_window(win)


def test_animation_export_can_be_cancelled_and_writes_nothing(qtbot, tmp_path):
    win = open_window(qtbot, edits=["workload.requests=50"])
    out = tmp_path / "long.gif"
    QTimer.singleShot(150, lambda: win.exports.progress.cancel())
    t0 = win.cursor.t
    assert not win.exports.export_animation(out, 0.0, min(win.cursor.end, 30.0), 30, "window")
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert win.cursor.t == t0                                 # the cursor goes back where it was
    assert "cancelled" in win.statusBar().currentMessage()
    close_window(win)


def test_opening_a_file_whose_trace_fails_keeps_the_open_scenario_whole(qtbot, tmp_path):
    from disagg_viz.resources import scenarios_dir
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=60"])
    before, names = win.controller.scenario, [s.name for s in win.controller.scenario.systems]
    title = win.windowTitle()
    text = (scenarios_dir() / "03-the-gating-cost.toml").read_text().replace(
        "[workload]", '[workload]\ntrace = "broken.csv"', 1)
    (tmp_path / "broken.csv").write_text("TIMESTAMP,ContextTokens,GeneratedTokens\nnot a date,1,2\n")
    (tmp_path / "with-trace.toml").write_text(text)
    with qtbot.waitSignal(win.controller.failed, timeout=60_000) as failed:
        win.files.open_path(tmp_path / "with-trace.toml")
    assert "previous scenario is back" in failed.args[0] and "not a date" in failed.args[0]
    assert win.controller.scenario == before and win.windowTitle() == title
    headers = [" ".join(win.scoreboard.horizontalHeaderItem(c).text().split("⚠")[0].split())
               for c in range(win.scoreboard.columnCount())]
    assert headers == [" ".join(n.replace(",", ", ").split()) for n in names]     # the old columns, not the new
    assert len(win.kitchens) == len(names)
    for box in win.findChildren(__import__("PySide6.QtWidgets").QtWidgets.QMessageBox):
        box.close()
    close_window(win)
