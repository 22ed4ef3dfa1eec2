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


def test_a_worksheet_a_teacher_would_copy(qtbot, tmp_path, monkeypatch):
    """Lesson 1 on paper: no goals (they state answers) and no screen-only sentence on the sheet;
    every picture veiled, taken where the step opens (a question) or at its moment (never t = 0), printed with text of at least
    8 pt; each step's heading on the same page as its picture and question."""
    from disagg_viz.ui.kitchen.compact import MIN_PX
    sc = load_scenario(scenarios_dir() / "01-the-conflict.toml")
    log, pictures = [], []
    real_text, real_picture, real_kp = worksheet._Pages.text, worksheet._Pages.picture, worksheet.kitchen_picture

    def text(self, s, *a, **k):
        real_text(self, s, *a, **k)
        log.append((self.writer.title(), self.page, s))

    def picture(self, img, *a, **k):
        real_picture(self, img, *a, **k)
        w, _ = self.picture_size(img)
        points = MIN_PX * (w / img.width()) / worksheet.DPI * 72      # the smallest text, printed
        log.append((self.writer.title(), self.page, ("picture", points)))

    def kitchen_picture(scenario, step, veiled=True, base_dir=None, result=None):
        from disagg_viz.sim.runner import simulate_scenario
        pictures.append((veiled, worksheet.step_time(step, simulate_scenario(scenario))))
        return real_kp(scenario, step, veiled, base_dir, result)

    monkeypatch.setattr(worksheet._Pages, "text", text)
    monkeypatch.setattr(worksheet._Pages, "picture", picture)
    monkeypatch.setattr(worksheet, "kitchen_picture", kitchen_picture)
    worksheet.write_worksheet(sc, tmp_path / "l1.pdf")
    sheet = [(page, s) for title, page, s in log if title.endswith("worksheet")]
    key = [s for title, _, s in log if title.endswith("answer key")]
    words = " ".join(s for _, s in sheet if isinstance(s, str))
    assert not any(g in words for g in sc.lesson.goals) and any(sc.lesson.goals[0] in s for s in key if isinstance(s, str))
    assert "slider" not in words and "Esc" not in words and "presentation mode" not in words
    assert len(pictures) == len(sc.lesson.steps) and all(veiled and t > 0 for veiled, t in pictures)
    # a question's picture is what the class sees before its guess: where the step opens, not the
    # moment it is about (that moment is the answer: step 2's longest stall)
    asks = [(t, step) for (_, t), step in zip(pictures, sc.lesson.steps) if step.question and step.start_at_s]
    assert asks and all(t == step.start_at_s for t, step in asks)
    assert all(s[1] >= 8.0 for _, s in sheet if isinstance(s, tuple))
    for k, step in enumerate(sc.lesson.steps):
        head = next(i for i, (_, s) in enumerate(sheet) if s == f"Step {k + 1} of {len(sc.lesson.steps)}: {step.title}")
        pic = next(i for i in range(head, len(sheet)) if isinstance(sheet[i][1], tuple))
        assert sheet[head][0] == sheet[pic][0], step.title                  # the heading keeps its picture
        if step.question:
            q = next(i for i in range(head, len(sheet)) if sheet[i][1] == step.question)
            assert sheet[q][0] == sheet[head][0], step.title


def test_paper_leaves_off_what_only_the_screen_does():
    """Sliders, keys, presentation mode and the screen's veil ("The results stay hidden until the
    next step's guess": on paper they always are) are left off; the rest is kept as written."""
    text = ("Qwen3 in FP8 on H200s. Today the cluster writes 1,787 tok/s of answers. The results stay hidden "
            "until the next step's guess. Drag the link slider to see it.")
    assert worksheet.paper_text(text) == "Qwen3 in FP8 on H200s. Today the cluster writes 1,787 tok/s of answers."
