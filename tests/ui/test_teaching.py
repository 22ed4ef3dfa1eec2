"""Teaching mode: lessons walk with clicker keys and apply their settings, the reveal waits for a
guess, presentation mode scales for the back row, teacher controls hide/lock/mystify controls."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox

from disagg_viz.playback.claims import render
from disagg_viz.playback.moments import LEAD_S, longest_stall
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.ui.shortcuts import KEYS
from tests.ui.window_helpers import close_window, open_window


def _wait_settled(qtbot, win):
    qtbot.waitUntil(lambda: not win.controller.pending, timeout=60_000)


def test_lesson_walks_with_clicker_keys_and_applies_each_steps_settings(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml")
    lesson = load_scenario(scenarios_dir() / "01-the-conflict.toml").lesson
    assert win.lesson.active and win.lesson_dock.isVisible() and win.lesson.walk.index == 0
    win.presentation.enter()
    assert win.isFullScreen()
    for k in range(1, len(lesson.steps)):
        qtbot.keyClick(win, Qt.Key_PageDown)
        assert win.lesson.walk.index == k
        _wait_settled(qtbot, win)
        expected = lesson.steps[k].settings.get("workload.prompt_tokens", 6000)
        assert win.controller.scenario.workload.prompt_tokens == expected
    qtbot.keyClick(win, Qt.Key_PageDown)                       # past the end: the goals' page
    assert win.lesson.walk.index == len(lesson.steps) - 1 and win.lesson.closing
    qtbot.keyClick(win, Qt.Key_PageDown)                       # and no further
    assert win.lesson.walk.index == len(lesson.steps) - 1 and win.lesson.closing
    qtbot.keyClick(win, Qt.Key_PageUp)                         # back to the last step
    assert win.lesson.walk.index == len(lesson.steps) - 1 and not win.lesson.closing
    qtbot.keyClick(win, Qt.Key_PageUp)
    qtbot.keyClick(win, Qt.Key_Left)
    assert win.lesson.walk.index == len(lesson.steps) - 3
    _wait_settled(qtbot, win)
    assert win.controller.scenario.workload.prompt_tokens == 6000   # back to the loaded value
    assert not win.isWindowModified()                          # lesson steps are not unsaved changes
    qtbot.keyClick(win, Qt.Key_Escape)
    assert not win.isFullScreen() and win.controls.isVisible()
    close_window(win)


def _drawn_texts(view) -> list[str]:
    """Every text the kitchen painter draws in one paint of ``view``."""
    texts = []
    real = view.painter._text
    view.painter._text = lambda p, rect, text, *a, **k: (texts.append(text), real(p, rect, text, *a, **k))
    try:
        view.grab()
    finally:
        del view.painter._text
    return texts


def test_reveal_and_results_stay_hidden_until_a_guess(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml")
    win.lesson.go(1)                                          # "Predict: a long order arrives"
    step = win.lesson.walk.step
    assert step.question and step.reveal_result
    assert not win.lesson.reveal.isVisible() and win.lesson.reveal.text() == ""
    assert win.veil.isVisible() and not win.scoreboard.isVisible() and not win.charts.isVisible()
    served = [_drawn_texts(k) for k in win.kitchens]           # the kitchens give no SLO verdicts either
    assert all(not any("missed SLO" in t or t.startswith(("✓", "✗")) for t in texts) for texts in served)
    assert all(any("hidden" in t for t in texts) for texts in served)
    # no caption narrates the answer, nothing points at it, and playback waits for the guess
    assert all(k.item.caption.startswith("What will happen?") for k in win.kitchens)
    assert not win.kitchens[0].item.highlight and not win.scoreboard.highlighted and not win.cursor.playing
    win.lesson.commit.click()                                  # nothing chosen: still hidden
    assert win.veil.isVisible() and "Pick an answer" in win.lesson.verdict.text()
    win.lesson.choose(0)
    win.lesson.commit.click()
    # the reveal's numbers come from the run on screen, formatted as the scoreboard formats them
    assert win.lesson.reveal.isVisible() and win.lesson.reveal.text() == render(step.reveal, win.scoreboard.summaries)
    worst = win.scoreboard.cell_text("Worst stall", 0).lstrip("★= ")
    assert "{" not in win.lesson.reveal.text() and worst in win.lesson.reveal.text()
    assert "Not quite" in win.lesson.verdict.text()
    # after the guess: playback runs from just before the run's longest stall, the moment the step is about
    res = win.controller.result.systems[0]
    assert win.cursor.playing and win.cursor.t == pytest.approx(longest_stall(res) - LEAD_S, abs=0.2)
    win.cursor.pause()
    win.cursor.seek(longest_stall(res))
    assert win.kitchens[0].item.caption.startswith(("Plating paused", "Decodes stalled"))
    assert not win.veil.isVisible() and win.scoreboard.isVisible()
    assert all(any("missed SLO" in t for t in _drawn_texts(k)) for k in win.kitchens)
    assert {"stall"} <= win.kitchens[0].item.highlight
    close_window(win)


def test_presentation_scales_fonts_blanks_and_leaves(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    before = win.charts.scale
    win.presentation.enter()
    assert win.isFullScreen() and not win.controls.isVisible() and not win.tabs.tabBar().isVisible()
    assert win.presentation.zoom >= 1.5 and win.charts.scale >= 1.5 > before
    assert "font-size" in win.styleSheet()
    qtbot.keyClick(win, Qt.Key_B)
    assert win.presentation.blank.isVisible() and win.presentation.blank.geometry() == win.rect()
    qtbot.keyClick(win, Qt.Key_B)
    assert not win.presentation.blank.isVisible()
    qtbot.keyClick(win, Qt.Key_Escape)
    assert not win.isFullScreen() and win.presentation.zoom == 1.0 and "font-size" not in win.styleSheet()
    # zoom works at any time
    qtbot.keyClick(win, Qt.Key_Equal, Qt.ControlModifier)
    assert win.presentation.zoom > 1.0
    qtbot.keyClick(win, Qt.Key_0, Qt.ControlModifier)
    assert win.presentation.zoom == 1.0
    close_window(win)


def test_projector_profile_changes_plot_and_scene_backgrounds(qtbot):
    win = open_window(qtbot, edits=["workload.requests=40"])
    dark_plot = win.charts.plots["queue"][0].backgroundBrush().color()
    win.projector.setChecked(True)
    light_plot = win.charts.plots["queue"][0].backgroundBrush().color()
    assert dark_plot != light_plot and light_plot == QColor("#ffffff")
    assert win.kitchens[0].painter.profile.name == "projector"
    img = win.kitchens[0].grab().toImage()
    assert img.pixelColor(3, 3).lightness() > 200              # the kitchen is light too
    assert win.explore.map_view.profile.name == "projector"
    close_window(win)


def test_hidden_locked_and_mystery_controls(qtbot):
    win = open_window(qtbot, "03-the-gating-cost.toml",
                      edits=['teacher.hidden=["gpu", "chunk"]', 'teacher.locked=["model"]', 'teacher.mystery=["link"]',
                             "workload.requests=60"])
    c = win.controls
    assert not c.gpu.isVisible() and not c.controls["chunk"].isVisible()
    assert c.model.isVisible() and not c.model.isEnabled()
    link = c.controls["link"]
    assert link.mystery.isVisible() and not link.spin.isVisible() and not link.slider.isVisible()
    assert link.mystery.text().startswith("?")
    assert not win.charts.plots["link"][0].isVisible()          # its GB/s would tell
    assert all(k.secret_link for k in win.kitchens)
    win.reveal_mysteries()
    assert link.spin.isVisible() and not link.mystery.isVisible()
    close_window(win)


def test_shortcuts_dialog_lists_every_key(qtbot):
    win = open_window(qtbot, start=False)
    qtbot.keyClick(win, Qt.Key_F1)
    dlg = win._shortcuts
    assert dlg.isVisible() and dlg.table.rowCount() == len(KEYS)
    listed = dlg.listed().replace(" ", "")
    seqs = [a.shortcut() for a in win.findChildren(type(win.projector)) if not a.shortcut().isEmpty()]
    seqs += [s.key() for s in win.findChildren(QShortcut)]
    names = {"PgDown": "PgDown", "PgUp": "PgUp"}
    for seq in seqs:
        text = seq.toString(QKeySequence.PortableText)
        for part in text.split("+") if text not in ("Ctrl++",) else ["Ctrl", "+"]:
            assert names.get(part, part) in listed or part in (",", "."), f"{text} is not in the shortcuts dialog"
    dlg.close()
    close_window(win)


def test_every_control_has_an_accessible_name(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml", start=False)
    kinds = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox)
    unnamed = []
    for w in [w for kind in kinds for w in win.findChildren(kind)]:
        if w.focusPolicy() == Qt.NoFocus or w.parent() is None:
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.strip():
            unnamed.append(f"{type(w).__name__} {w.objectName()} {w.toolTip()}")
    assert not unnamed, unnamed
    assert "outline" in win.styleSheet() and ":focus" in win.styleSheet()
    close_window(win)


def test_lesson_panel_only_shows_for_scenarios_with_a_lesson(qtbot):
    win = open_window(qtbot, "default.toml", start=False)
    assert not win.lesson_dock.isVisible()
    assert win.open_path(scenarios_dir() / "02-the-fix.toml")
    assert win.lesson_dock.isVisible() and win.lesson.walk.index == 0
    assert win.open_path(scenarios_dir() / "default.toml")
    assert not win.lesson_dock.isVisible()
    close_window(win)


def test_a_step_warns_when_the_users_settings_break_its_point_and_reset_restores_it(qtbot):
    win = open_window(qtbot, "03-the-gating-cost.toml")
    win.lesson.go(2)                                          # "A faster pass": the slow pair gets 50 GB/s
    qtbot.waitUntil(lambda: win.lesson.summaries is not None, timeout=60_000)
    assert not win.lesson.warning.isVisible() and "{" not in win.lesson.text.text()
    slow = apply_overrides(win.controller.scenario, ["systems.2.link_gb_per_s=1.0"])
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.controller.set_scenario(slow, loaded=False)        # as a slider drag does
    assert win.lesson.warning.isVisible()
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.lesson.reset_button.click()
    assert not win.lesson.warning.isVisible()
    assert win.controller.scenario.systems[2].link_gb_per_s == 50.0
    close_window(win)


def test_the_last_step_opens_the_next_lesson_and_shows_the_goals_which_never_open_it(qtbot):
    """The goals close the lesson on a page of their own after the last step (Next / PgDown), so
    that they fit a projector beside the last step's text; Previous returns to the step."""
    win = open_window(qtbot, "01-the-conflict.toml")
    goals = load_scenario(scenarios_dir() / "01-the-conflict.toml").lesson.goals
    assert goals and not any(g in win.lesson.text.text() for g in goals)    # goals state answers
    assert win.lesson.title.toolTip().startswith("<qt>For the teacher:")     # author text, escaped (issue 24)
    last = len(win.lesson.walk) - 1
    win.lesson.go(last)
    step_text = win.lesson.text.text()
    assert not any(g in step_text for g in goals) and win.lesson.next_button.isEnabled()
    win.lesson.next()
    assert all(g in win.lesson.text.text() for g in goals) and "What this lesson showed" in win.lesson.title.text()
    assert not win.lesson.next_button.isEnabled() and win.lesson.walk.index == last
    win.lesson.previous()
    assert win.lesson.text.text() == step_text and win.lesson.walk.index == last
    win.lesson.next()
    assert win.lesson.next_lesson_button.isVisible() and "02-the-fix" in win.lesson.next_lesson_button.toolTip()
    win.files.ask_unsaved = lambda: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.Discard
    with qtbot.waitSignal(win.controller.resultReady, timeout=60_000):
        win.lesson.next_lesson_button.click()
    assert win.controller.scenario.title.startswith("Lesson 2") and win.lesson.walk.index == 0
    close_window(win)


def test_moments_are_marks_on_the_time_bar_shown_after_the_guess_and_a_click_jumps(qtbot):
    from disagg_viz.playback.moments import LEAD_S
    win = open_window(qtbot, "01-the-conflict.toml")
    win.lesson.go(1)
    bar = win.time_controls.scrubber
    assert bar.marks == []                                    # they would point at the answer
    win.lesson.choose(1)
    win.lesson.commit.click()
    labels = [label for _, label in bar.marks]
    assert any(label.startswith("this step: longest stall") for label in labels)
    t, _ = next(m for m in bar.marks if m[1].startswith("this step"))
    win.cursor.pause()
    jumped = []                       # where the cursor is right after the jump, before playback moves it
    bar.markClicked.connect(lambda _t: jumped.append((win.cursor.t, win.cursor.playing)))
    with qtbot.waitSignal(bar.markClicked):
        qtbot.mouseClick(bar, Qt.LeftButton, pos=__import__("PySide6.QtCore").QtCore.QPoint(int(bar._x(t)), 5))
    assert jumped == [(pytest.approx(max(t - LEAD_S, 0), abs=1e-9), True)]
    close_window(win)


def test_presenting_three_kitchens_at_1280x800_no_text_is_under_18_px(qtbot):
    """The fonts the painters and widgets actually use, measured at the classroom size."""
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QLabel, QTableWidget
    win = open_window(qtbot, "03-the-gating-cost.toml")
    win.presentation.enter()
    win.showNormal()                  # the test screen is smaller than a projector: size it by hand
    win.setFixedSize(1280, 800)
    qtbot.waitUntil(lambda: win.width() == 1280 and win.height() == 800, timeout=5000)
    win.lesson.go(1)
    win.lesson.choose(1)
    win.lesson.commit.click()                                 # scoreboard and captions visible
    qtbot.waitUntil(lambda: len(win.kitchens) == 3 and all(k.compact for k in win.kitchens), timeout=5000)
    for k in win.kitchens:
        k.compact_painter.sizes_used.clear()
        k.grab()
        assert k.compact_painter.sizes_used and min(k.compact_painter.sizes_used) >= 18, k.compact_painter.sizes_used
        assert k.viewport().width() >= 600
    shown = [w for w in win.lesson.findChildren(QLabel) if w.isVisible() and w.text()]
    assert shown and min(QFontInfo(w.font()).pixelSize() for w in shown) >= 18
    # at 1280 px the kitchens carry the key numbers; the lesson gets the side column
    assert win.display.scoreboard_folded and not win.scoreboard.isVisible()
    assert all(any(label == "SLO" for label, _, _ in k.compact_painter.metrics) for k in win.kitchens)
    win.setFixedSize(1920, 1080)                             # a wide screen has room for the scoreboard too
    board = win.scoreboard
    qtbot.waitUntil(lambda: board.isVisible(), timeout=5000)
    assert QFontInfo(board.font()).pixelSize() >= 18
    assert QFontInfo(board.horizontalHeader().font()).pixelSize() >= 18
    win.presentation.leave()
    assert not any(k.presenting for k in win.kitchens)
    assert all(k.compact_painter.min_px == 13 for k in win.kitchens)   # compact only where too small
    close_window(win)


def test_presenting_at_1024x768_the_reveal_fits_and_the_last_step_does_not_squeeze_the_kitchens(qtbot):
    """Lesson 2 at the smallest classroom size: step 2's reveal needs no scrolling once the guess is
    in (the verdict names the answer, the choices step aside); the last step's Next-lesson button
    leaves the kitchens as wide as before; long captions take two lines instead of an ellipsis."""
    win = open_window(qtbot, "02-the-fix.toml")
    win.presentation.enter()
    win.showNormal()
    win.setFixedSize(1024, 768)
    qtbot.waitUntil(lambda: win.width() == 1024 and win.height() == 768, timeout=5000)
    win.lesson.go(1)
    win.lesson.choose(0)
    win.lesson.commit.click()
    qtbot.waitUntil(lambda: win.lesson.reveal.isVisible(), timeout=5000)
    bar = win.lesson.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=5000)
    assert "the answer is" in win.lesson.verdict.text() and "It keeps plating" in win.lesson.verdict.text()
    # the scoreboard folded, the scenario dock would be a squeezed title that scrolls: the lesson has the column
    assert not win.dock.isVisible()
    qtbot.waitUntil(lambda: abs(win.lesson_dock.width() - int(1024 * 0.33)) <= 2, timeout=5000)   # its share
    width = win.stage.width()
    win.lesson.go(len(win.lesson.walk) - 1)
    qtbot.waitUntil(lambda: win.lesson.next_lesson_button.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: abs(win.stage.width() - width) <= 2, timeout=5000)
    close_window(win)


def test_a_long_caption_wraps_to_two_lines(qapp):
    from PySide6.QtGui import QImage, QPainter
    from disagg_viz.playback.vocabulary import Vocabulary
    from disagg_viz.ui.kitchen.compact import CompactPainter
    from disagg_viz.ui.palette import DARK
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    img = QImage(600, 400, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        text = "▸ Overloaded, the queue grows all run. 57 orders waiting on the rail: prep can't keep up."
        lines = cp.caption_lines(p, text, 560)
        assert len(lines) == 2 and " ".join(lines) == text
        assert cp.caption_lines(p, "▸ short", 560) == ["▸ short"]
        three = cp.caption_lines(p, text, 380, most=3)          # a narrow kitchen tall enough: three, whole
        assert len(three) == 3 and " ".join(three) == text
        assert cp.caption_lines(p, text, 380)[-1].endswith("…")   # two lines only: the rest elided
    finally:
        p.end()


def test_presenter_view_shows_the_teacher_what_the_class_does_not_see_and_keys_commit_guesses(qtbot):
    """F6 opens the presenter view beside the class view: before the guess it already shows the
    answer, the reveal with this run's numbers, the teacher's note and the next step; the class
    view shows none of them. Key 2 (in either window) commits the class's guess."""
    win = open_window(qtbot, "02-the-fix.toml")
    win.presentation.enter()
    win.lesson.go(1)
    qtbot.keyClick(win, Qt.Key_F6)
    pv = win.presenter
    qtbot.waitUntil(lambda: pv.isVisible(), timeout=5000)
    step = win.lesson.walk.step
    qtbot.waitUntil(lambda: "%" in pv.answer.text(), timeout=60_000)          # the reveal's numbers
    assert f"Answer: {step.answer + 1}. {step.choices[step.answer]}" in pv.answer.text()
    assert step.teacher_note in pv.note.text() and "Next: step 3" in pv.upcoming.text()
    assert "waiting" in pv.guess.text() and ":" in pv.clock.text()
    from PySide6.QtWidgets import QLabel
    class_view = " ".join(w.text() for w in win.lesson.findChildren(QLabel) if w.isVisible())
    assert step.teacher_note not in class_view and "It keeps plating. Prep runs" not in class_view
    qtbot.keyClick(pv, Qt.Key_2)                                               # the class says 2
    assert win.lesson.walk.guesses == {1: 1} and "(right)" in pv.guess.text()
    win.lesson.go(2)
    qtbot.keyClick(win, Qt.Key_1)                                              # on the class view while presenting
    assert win.lesson.walk.guesses.get(2) == 0 and "1. " in pv.guess.text()
    qtbot.keyClick(pv, Qt.Key_PageDown)
    assert win.lesson.walk.index == 3 and pv.step.text().startswith("Step 4 of 4")
    assert pv.next_button.isEnabled() and "Next shows the lesson's goals" in pv.upcoming.text()
    qtbot.keyClick(pv, Qt.Key_PageDown)                                        # the goals' page, on both
    assert win.lesson.closing and pv.upcoming.text().startswith("The class sees the lesson's goals")
    assert not pv.next_button.isEnabled()
    pv.close()
    close_window(win)


def test_a_last_step_that_asks_closes_with_the_goals_after_its_reveal(qtbot):
    """Lesson 6 ends on a question: the goals (they state answers) come after the reveal, once the
    guess is in (Next opens them), and never above the question."""
    win = open_window(qtbot, "06-moe-and-fp8.toml")
    goals = win.lesson.walk.base.lesson.goals
    win.lesson.go(len(win.lesson.walk) - 1)
    shown = win.lesson.text.text() + win.lesson.reveal.text()
    assert not any(g in shown for g in goals)
    win.lesson.next()                                         # no closing page before the guess
    assert not win.lesson.closing and not win.lesson.next_button.isEnabled()
    win.lesson.guess(win.lesson.walk.step.answer)
    assert not any(g in win.lesson.text.text() + win.lesson.reveal.text() for g in goals)
    assert win.lesson.next_button.isEnabled()
    win.lesson.next()
    assert all(g in win.lesson.text.text() for g in goals) and not win.lesson.reveal.isVisible()
    close_window(win)
