"""Presenting at the classroom sizes, as a teacher shows it: at 1024x768 with three kitchens no
station's words, count or number is cut with "…"; a highlighted pass frames what it says (never an
empty column); the lesson's last step and its goals fit without scrolling; the scoreboard shows the
rows a step points at; the time bar's buttons and the kitchens keep their width in Spanish."""

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.compact import CompactPainter
from disagg_viz.ui.language import apply_language
from disagg_viz.ui.palette import DARK
from tests.ui.window_helpers import close_window, open_window


def _present(qtbot, name, size):
    win = open_window(qtbot, name)
    win.presentation.enter()
    win.showNormal()                  # the test screen is smaller than a projector: size it by hand
    win.setFixedSize(*size)
    qtbot.waitUntil(lambda: (win.width(), win.height()) == size, timeout=5000)
    return win


def _open_step(qtbot, win, index, guess=True):
    win.lesson.go(index)
    qtbot.waitUntil(lambda: not win.controller.pending, timeout=120_000)
    step = win.lesson.walk.step
    if guess and step.question:
        win.lesson.guess(step.answer)
    for _ in range(3):
        QApplication.processEvents()


def _drawn(view) -> list[str]:
    texts = []
    real = view.compact_painter._text
    view.compact_painter._text = lambda p, rect, text, *a, **k: (texts.append(text), real(p, rect, text, *a, **k))
    try:
        view.grab()
    finally:
        del view.compact_painter._text
    return texts


@pytest.mark.parametrize("lesson, step, shows", [
    ("02-the-fix", 3, "waiting"),                 # 1P3D's "218 waiting" was "Prep 1: 218…"
    ("03-the-gating-cost", 1, "waiting"),         # the 25 GbE prep stations' queues ("Prep 1: 12 waiti…")
    ("06-moe-and-fp8", 3, "GB"),                  # "KV shipped 459.…"
])
def test_at_1024x768_the_kitchens_cut_no_words_and_no_number(qtbot, lesson, step, shows):
    win = _present(qtbot, f"{lesson}.toml", (1024, 768))
    _open_step(qtbot, win, step)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    drawn = []
    for k in win.kitchens:
        drawn += _drawn(k)
        assert k.compact_painter.elided == [], (k.title, k.compact_painter.elided)
    assert any(shows in text for text in drawn), drawn
    close_window(win)


def _paint(system, res, t, veiled, highlight=frozenset({"pass"}), size=(700, 260)):
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    cp.w, cp.h, cp.veiled = float(size[0]), float(size[1]), veiled
    drawn = []
    real = cp._text
    cp._text = lambda p, rect, text, *a, **k: (drawn.append(text), real(p, rect, text, *a, **k))[1]
    img = QImage(*size, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        cp.paint(p, SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(t), system.name, highlight=highlight)
    finally:
        p.end()
    return cp, drawn


def test_a_highlighted_pass_with_nothing_on_it_frames_what_it_has_done_not_an_empty_column(qapp):
    """Over NVLink a tray crosses in microseconds: the pass is empty at almost any moment. The frame
    holds its lines (0 moving, the link's load and, once unveiled, how many trays have crossed)."""
    res = simulate_scenario(load_scenario(scenarios_dir() / "03-the-gating-cost.toml"))
    nvlink = res.systems[1]
    t = nvlink.end_time / 2
    assert not SnapshotBuilder(nvlink, res.slo_ttft_s, res.slo_tpot_s).at(t).trays      # empty now
    cp, drawn = _paint(nvlink, res, t, veiled=False)
    crossed = next(text for text in drawn if text.endswith("crossed"))
    assert int(crossed.split()[0].replace(",", "")) > 0 and "→ 0 moving" in drawn
    frame = cp._columns["pass"]
    assert frame.height() <= 3 * cp.line_h() + 2 < cp.h / 2          # three lines, not the column's height
    cp, drawn = _paint(nvlink, res, t, veiled=True)
    assert not any("crossed" in text for text in drawn)             # a count that differs by link: an answer
    assert cp._columns["pass"].height() <= cp.line_h() + 2


@pytest.mark.parametrize("lesson", ["04-when-it-pays", "06-moe-and-fp8", "07-at-scale"])
def test_at_1280x800_the_last_step_and_the_lessons_goals_fit_without_scrolling(qtbot, lesson):
    """The goals close the lesson on their own page (Next): lessons 4 and 7's last step scrolled
    ~150 px with the goals under the reveal, lesson 6's one line."""
    win = _present(qtbot, f"{lesson}.toml", (1280, 800))
    _open_step(qtbot, win, len(win.lesson.walk) - 1)
    bar = win.lesson.scroll.verticalScrollBar()
    assert win.lesson.reveal.isVisible()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=5000)
    win.lesson.next()
    assert win.lesson.closing and all(g in win.lesson.text.text() for g in win.lesson.walk.base.lesson.goals)
    for _ in range(3):
        QApplication.processEvents()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=5000)
    close_window(win)


def test_on_a_wide_screen_too_short_for_the_whole_scoreboard_it_shows_the_rows_the_step_points_at(qtbot):
    """1600x900: the lesson and twenty rows cannot both fit the side column (at 1920x1080 they
    do: test_presenting_sizes.py)."""
    win = _present(qtbot, "07-at-scale.toml", (1600, 900))
    _open_step(qtbot, win, 2)
    board = win.scoreboard
    qtbot.waitUntil(lambda: board.isVisible() and bool(board.highlighted), timeout=5000)
    for _ in range(3):
        QApplication.processEvents()
    view = board.viewport().rect()
    assert board.verticalScrollBar().maximum() > 0                   # the board is taller than its panel
    for row in board.highlighted:
        rect = board.visualRect(board.model().index(row, 0))
        assert view.contains(rect), (row, rect, view)
    close_window(win)


@pytest.fixture
def spanish():
    apply_language("es")
    yield
    apply_language("en")


def test_in_spanish_at_1024x768_buttons_clock_and_kitchens_keep_their_words(qtbot, spanish):
    win = _present(qtbot, "01-the-conflict.toml", (1024, 768))
    _open_step(qtbot, win, 1)
    qtbot.waitUntil(lambda: abs(win.lesson_dock.width() - int(1024 * 0.33)) <= 2, timeout=5000)
    width = win.stage.width()
    bar = win.time_controls
    for b in bar._buttons:                           # "Restablece", "Reproduci" were cut
        assert b.width() >= b.fontMetrics().horizontalAdvance(b.text()) + 4, (b.text(), b.width())
    assert bar.clock.width() >= bar.clock.fontMetrics().horizontalAdvance(bar.clock.text())
    for k in win.kitchens:
        k.grab()
        assert k.compact_painter.elided == [], k.compact_painter.elided
    _open_step(qtbot, win, len(win.lesson.walk) - 1)
    qtbot.waitUntil(lambda: win.lesson.next_lesson_button.isVisible(), timeout=5000)
    for _ in range(3):
        QApplication.processEvents()
    assert abs(win.stage.width() - width) <= 2       # "Siguiente lección ▶" beside Reset widened the panel
    for k in win.kitchens:
        k.grab()
        assert k.compact_painter.elided == [], k.compact_painter.elided   # "✗ 29 incumplid…"
    close_window(win)


def test_a_column_writes_its_stations_one_way(qapp):
    """Lesson 2's colocated kitchen at its longest stall, as wide as at 1280x800: when one
    station's words need the short form ("prep 9.3k"), its neighbours take it too (not
    "prepping 4,824 tok" over "prep 9.3k")."""
    from disagg_viz.playback.moments import moment
    res = simulate_scenario(load_scenario(scenarios_dir() / "02-the-fix.toml"))
    colocated = res.systems[0]
    t = moment("longest_stall", colocated, res.slo_ttft_s, res.slo_tpot_s)
    _, drawn = _paint(colocated, res, t, veiled=False, highlight=frozenset(), size=(840, 230))
    stations = [text for text in drawn if text.startswith("Station")]
    assert sum("prep" in text for text in stations) >= 2, stations
    assert all("prepping" not in text for text in stations) or all(": prep " not in text and ", prep " not in text
                                                                      for text in stations), stations


def test_the_kitchens_served_columns_line_up_down_the_screen(qapp):
    """One kitchen's longer number widens every kitchen's served column alike (lesson 8's third
    kitchen had its own, narrower prep and plating columns)."""
    res = simulate_scenario(load_scenario(scenarios_dir() / "02-the-fix.toml"))
    rows = [[("KV shipped", "0.0 GB", False), ("SLO", "57.0%", False)],
            [("KV shipped", "1,332.4 GB", False), ("SLO", "97.5%", True)]]
    lefts = []
    for system, row in zip(res.systems, rows):
        cp = CompactPainter(DARK, Vocabulary("kitchen"))
        cp.w, cp.h, cp.metrics = 812.0, 260.0, row
        cp.peer_metrics = [m for r in rows for m in r]
        img = QImage(812, 260, QImage.Format_RGB32)
        p = QPainter(img)
        try:
            cp.paint(p, SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(20.0), system.name)
        finally:
            p.end()
        lefts.append(cp._columns["served"].left())
        assert cp.elided == []
    assert lefts[0] == lefts[1]


def test_a_one_line_station_too_narrow_for_its_name_keeps_its_number(qapp):
    """Lesson 8's 4P2D kitchen at 330 s, as wide as at 1280x800: four one-line prep stations whose
    '198 waiting' leaves no room for 'Prep 1:' read '#1: 198 waiting' .. '#4: ...' (were four bare
    '198 waiting' lines), and no number is cut."""
    from disagg_viz.playback.lesson import LessonWalk
    walk = LessonWalk(load_scenario(scenarios_dir() / "08-dynamo.toml"))
    walk.go(4)
    res = simulate_scenario(walk.scenario())
    static = next(s for s in res.systems if s.name.startswith("4P2D"))
    cp, drawn = _paint(static, res, 330.0, veiled=False, highlight=frozenset(), size=(840, 225))
    waiting = [text for text in drawn if "waiting" in text and "orders" not in text]
    assert [text.split(":")[0] in (f"#{n}", f"Prep {n}") for n, text in enumerate(waiting[:4], 1)] == [True] * 4, waiting
    assert cp.elided == [], cp.elided
