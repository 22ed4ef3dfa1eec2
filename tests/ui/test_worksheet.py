"""The worksheet asks; the answer key answers, with this run's numbers."""

import re

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.ui import worksheet
from tests.ui.window_helpers import close_window, open_window


def test_worksheet_has_questions_and_pictures_and_the_key_has_the_answers(qtbot, tmp_path, monkeypatch):
    sc = load_scenario(scenarios_dir() / "03-the-gating-cost.toml")
    written = {}
    real_text, real_picture = worksheet._Pages.text, worksheet._Pages.picture

    def text(self, s, *a, **k):
        written.setdefault(self.writer.title(), []).append(s)
        return real_text(self, s, *a, **k)

    def picture(self, img, *a, **k):
        written.setdefault(self.writer.title(), []).append(("picture", img.width(), img.height()))
        return real_picture(self, img, *a, **k)

    monkeypatch.setattr(worksheet._Pages, "text", text)
    monkeypatch.setattr(worksheet._Pages, "picture", picture)
    sheet, key = worksheet.write_worksheet(sc, tmp_path / "lesson3.pdf")
    assert sheet.read_bytes()[:4] == b"%PDF" and key.read_bytes()[:4] == b"%PDF"
    assert key.name == "lesson3-answer-key.pdf"
    ws = written[f"{sc.title}: worksheet"]
    ak = written[f"{sc.title}: answer key"]
    steps = sc.lesson.steps
    questions = [s for s in steps if s.question]
    assert sum(1 for x in ws if isinstance(x, tuple)) == len(steps)           # a picture per step
    assert all(q.question in ws for q in questions)
    assert not any(isinstance(x, str) and x.startswith("Trays queue on the pass") for x in ws)   # no reveals
    reveal = next(x for x in ak if isinstance(x, str) and x.startswith("Trays queue on the pass"))
    assert "{" not in reveal and re.search(r"reaches [\d.,]+ (s|min) and only [\d.]+%", reveal)  # numbers from the run
    assert any("\nA: Trays queue" in x for x in ak if isinstance(x, str))
    assert any(x.startswith("Checked in this run:") for x in ak if isinstance(x, str))


def test_export_menu_writes_both_files_from_the_worker(qtbot, tmp_path):
    win = open_window(qtbot, "01-the-conflict.toml")
    with qtbot.waitSignal(win.exports.worksheets.written, timeout=120_000):
        assert win.exports.export_worksheet(tmp_path / "l1.pdf")
        assert win.explore.busy                          # checked in the Explore worker, not here
    assert (tmp_path / "l1.pdf").stat().st_size > 10_000 and (tmp_path / "l1-answer-key.pdf").exists()
    close_window(win)


def test_worksheet_export_cancels_and_writes_nothing(qtbot, tmp_path, monkeypatch):
    """A lesson with planner claims takes minutes: Cancel stops it, the window stays usable."""
    import threading
    from disagg_viz.playback import lesson_check
    entered = threading.Event()
    real = lesson_check.LessonChecker.step

    def slow_step(self, walk, index):               # stands for a long planner claim: waits for Cancel
        entered.set()
        self.cancel.wait(60)
        return real(self, walk, index)

    monkeypatch.setattr(lesson_check.LessonChecker, "step", slow_step)
    win = open_window(qtbot, "01-the-conflict.toml")
    stopped = []
    win.exports.worksheets.stopped.connect(stopped.append)
    assert win.exports.export_worksheet(tmp_path / "l1.pdf")
    qtbot.waitUntil(entered.is_set, timeout=30_000)
    dialog = win.exports.worksheets.dialog
    assert dialog is not None
    dialog.canceled.emit()                          # what its Cancel button sends
    qtbot.waitUntil(lambda: stopped == ["cancelled"], timeout=30_000)
    assert not (tmp_path / "l1.pdf").exists() and not win.explore.busy
    close_window(win)
