"""Presenting for a class at 1024x768, 1280x800 and 1920x1080 with three kitchens: the kitchens'
words grow with a big screen and stay whole at a small one (NVLink-domain tags, per-node rates,
faults, a lost station, the planner's moving stations), and on a wide screen the side column
gives the lesson and the scoreboard what they need instead of halves (the board scrolled with
room to spare in the lesson)."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.compact import MAX_PX, MIN_PX, CompactPainter, presenting_px
from disagg_viz.ui.palette import DARK
from tests.ui.test_presenting_fit import _drawn, _open_step, _present, spanish  # noqa: F401 (a fixture)
from tests.ui.window_helpers import close_window

# one of three kitchens presented at each size (the charts shown at 1920x1080, after the guess)
KITCHENS = {"1024x768": (668, 214), "1280x800": (840, 225), "1920x1080": (1254, 235)}


def test_the_type_grows_with_the_kitchens_room_and_not_past_what_fits():
    assert presenting_px(680, 215) == MIN_PX                 # one of three at 1024x768
    assert presenting_px(840, 225) == MIN_PX                 # 1280x800: no more room down
    assert presenting_px(1280, 330) >= 26                    # 1920x1080, the charts hidden before the guess
    assert presenting_px(1280, 235) == 19                    # ... and shown: the height decides
    assert presenting_px(3000, 2000) == MAX_PX
    assert presenting_px(300, 100) == MIN_PX                 # never under the floor


def test_at_1024x768_lesson_7s_per_node_rates_and_nvlink_tags_are_whole(qtbot):
    """Step 3 after the guess: the PD kitchen read "Input/n… ★ 56.8k", "Output/n… ★ 5.7k" and its
    prep station's tag "no…" (nodes 1-2)."""
    win = _present(qtbot, "07-at-scale.toml", (1024, 768))
    _open_step(qtbot, win, 2)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    for k in win.kitchens:
        drawn = _drawn(k)
        assert k.compact_painter.elided == [], k.compact_painter.elided
        assert any(text.startswith("Input/node") for text in drawn), drawn
        assert any(text.startswith("Output/node") for text in drawn), drawn
    assert any("nodes 1-2" in _drawn(k) for k in win.kitchens)
    close_window(win)


def test_at_1920x1080_the_kitchens_type_grows_and_nothing_is_cut(qtbot):
    """Before the guess (no charts) the kitchens have half as much room again as at 1024x768:
    their words were still 18 px."""
    win = _present(qtbot, "07-at-scale.toml", (1920, 1080))
    _open_step(qtbot, win, 1, guess=False)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    for _ in range(3):
        QApplication.processEvents()
    for k in win.kitchens:
        drawn = _drawn(k)
        assert k.compact_painter.min_px >= 24, (k.width(), k.height(), k.compact_painter.min_px)
        assert k.compact_painter.elided == [], k.compact_painter.elided
        assert drawn
    close_window(win)


def test_at_1920x1080_the_scoreboard_and_the_lesson_both_fit(qtbot):
    """Lesson 7 step 3 after the guess: the board showed 10 of its 20 rows (and its third column
    cut) under a lesson panel half empty; now neither scrolls and every column is whole."""
    win = _present(qtbot, "07-at-scale.toml", (1920, 1080))
    _open_step(qtbot, win, 2)
    board = win.scoreboard
    qtbot.waitUntil(lambda: board.isVisible() and bool(board.highlighted), timeout=5000)
    qtbot.waitUntil(lambda: board.verticalScrollBar().maximum() == 0, timeout=5000)
    assert win.lesson.scroll.verticalScrollBar().maximum() == 0
    assert board.horizontalScrollBar().maximum() == 0
    view = board.viewport().rect()
    for c in range(board.columnCount()):
        assert board.columnWidth(c) >= board.sizeHintForColumn(c), c
        for row in list(board.highlighted) + [0]:
            assert view.contains(board.visualRect(board.model().index(row, c))), (row, c)
    assert win.stage.width() >= 0.58 * 1920                 # the kitchens keep most of the screen
    close_window(win)


@pytest.mark.parametrize("size", ["1024x768", "1280x800", "1920x1080"])
@pytest.mark.parametrize("lesson, step, t", [
    ("05-your-cluster", 2, 75.0),         # prefill 1's KV port broken since 60 s
    ("08-dynamo", 4, 330.0),              # the planner moves a station; 4P2D folds its prep pool
])
def test_faults_and_moving_stations_read_whole_at_every_size(qtbot, size, lesson, step, t):
    w, h = (int(x) for x in size.split("x"))
    win = _present(qtbot, f"{lesson}.toml", (w, h))
    _open_step(qtbot, win, step)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    win.cursor.pause()
    win.cursor.seek(t)
    QApplication.processEvents()
    stations = [s for k in win.kitchens for s in k.item.snapshot.stations]
    assert any(s.port_share < 1.0 or s.moving for s in stations)
    for k in win.kitchens:
        drawn = _drawn(k)
        assert k.compact_painter.elided == [], (size, k.compact_painter.elided)
        if "planner" in k.item.title:          # its prep stations say which they are (#5 came from plating)
            assert any(text.startswith(("#5:", "Prep 5")) for text in drawn), (k.compact_painter.w, " | ".join(drawn))
    close_window(win)


@pytest.mark.parametrize("size", list(KITCHENS))
def test_a_lost_station_reads_whole_in_a_kitchen_of_every_size(qapp, size):
    from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
    d = scenario_to_dict(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    d["workload"]["requests"] = 200
    d["faults"] = [{"at_s": 30.0, "kind": "instance-lost", "system": "2P2D, NVLink fixed", "pool": "prefill",
                    "instance": 1}]
    res = simulate_scenario(scenario_from_dict(d))
    system = res.systems[2]
    w, h = KITCHENS[size]
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    cp.w, cp.h, cp.min_px = float(w), float(h), presenting_px(w, h)
    drawn = []
    real = cp._text
    cp._text = lambda p, rect, text, *a, **k: (drawn.append(text), real(p, rect, text, *a, **k))[1]
    img = QImage(w, h, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        cp.paint(p, SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(40.0), system.name)
    finally:
        p.end()
    assert any("LOST" in text for text in drawn) and any("30.0" in text for text in drawn), drawn
    assert cp.elided == [], cp.elided


@pytest.mark.parametrize("lesson, step", [("05-your-cluster", 2), ("08-dynamo", 4)])
def test_at_1024x768_a_long_step_shows_its_verdict_and_reveal_after_the_guess(qtbot, lesson, step):
    """The lesson column is narrow: lesson 5 step 3 ran 87 px past it, lesson 8 step 5 171 px,
    and after the guess the reveal's end (its numbers) stayed out of sight."""
    win = _present(qtbot, f"{lesson}.toml", (1024, 768))
    _open_step(qtbot, win, step)
    panel = win.lesson
    bar, view = panel.scroll.verticalScrollBar(), panel.scroll.viewport()
    assert bar.maximum() > 0                          # too long for the panel
    qtbot.waitUntil(lambda: panel.reveal.geometry().bottom() - bar.value() <= view.height(), timeout=5000)
    assert panel.verdict.y() >= bar.value()           # the verdict in view too
    win.lesson.next()                                 # the next step reads from its top
    assert bar.value() == 0
    close_window(win)


def test_a_moving_stations_words_stop_short_of_its_arrow_and_keep_its_number(qapp):
    """Lesson 8 step 5, the planner's kitchen as wide as at 1280x800: the arrow covered the end
    of "Plating 6: draining → Prep"; a line too short for the name keeps "#6"."""
    from disagg_viz.playback.lesson import LessonWalk
    walk = LessonWalk(load_scenario(scenarios_dir() / "08-dynamo.toml"))
    walk.go(4)
    res = simulate_scenario(walk.scenario())
    system = next(s for s in res.systems if "planner" in s.name)
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    cp.w, cp.h = 840.0, 225.0
    texts = []
    real = cp._text
    cp._text = lambda p, rect, text, *a, **k: (texts.append((QRectF(rect), text)), real(p, rect, text, *a, **k))[1]
    img = QImage(840, 225, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        cp.paint(p, SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(330.0), system.name)
    finally:
        p.end()
    assert cp.moving_marks == 1
    arrow = next(rect for rect, text in texts if text in ("←", "→"))
    words = [(rect, text) for rect, text in texts if "draining" in text]
    assert words and all(rect.right() <= arrow.left() for rect, _ in words), (arrow, words)
    assert any(text.startswith(("#6", "Plating 6")) for _, text in texts), texts
    assert cp.elided == [], cp.elided


def test_stations_beside_their_nvlink_tags_are_written_one_way(qapp):
    """Lesson 7's TP-only kitchen at 20 s, as wide as at 1280x800: station 1 (beside 'node 1')
    read 'prep 4.3k' over its neighbours' 'prepping 2,031 tok'."""
    from tests.ui.test_presenting_fit import _paint
    res = simulate_scenario(load_scenario(scenarios_dir() / "07-at-scale.toml"))
    tp = res.systems[0]
    _, drawn = _paint(tp, res, 20.0, veiled=False, highlight=frozenset(), size=(840, 225))
    stations = [text for text in drawn if text.startswith("Station")]
    assert len(stations) == 4 and "node 1" in drawn, drawn
    assert len({"prepping" in text for text in stations}) == 1, stations


def test_counts_are_written_one_way_in_the_kitchen_and_its_caption(qapp):
    """Lesson 8 step 5's 4P2D kitchen at 330 s: "12186 served", "4867 waiting" and a caption's
    "(4867 waiting)" stood beside "13,061 crossed"; every count has its thousands separator."""
    from disagg_viz.playback.lesson import LessonWalk
    from disagg_viz.playback.narration import narrate
    from disagg_viz.ui.language import apply_language
    from tests.ui.test_presenting_fit import _paint
    apply_language("en")                     # the window's locale: English separators
    walk = LessonWalk(load_scenario(scenarios_dir() / "08-dynamo.toml"))
    walk.go(4)
    res = simulate_scenario(walk.scenario())
    static = next(s for s in res.systems if s.name.startswith("4P2D"))
    _, drawn = _paint(static, res, 330.0, veiled=False, highlight=frozenset(), size=(840, 225))
    assert any(text.startswith("12,186 served") for text in drawn), drawn
    assert "4,867 waiting" in drawn and "✗ 11,519 missed" in drawn, drawn
    builder = SnapshotBuilder(static, res.slo_ttft_s, res.slo_tpot_s)
    assert "(4,867 waiting)" in narrate(builder, builder.at(330.0), Vocabulary("kitchen"))


def test_presenting_the_step_picker_steps_aside_for_the_whole_title(qtbot):
    """At 1024x768 the picker showed "3. Predict: output per" (its title cut) above the title
    in full; the clicker and Previous / Next move through the steps."""
    win = _present(qtbot, "07-at-scale.toml", (1024, 768))
    _open_step(qtbot, win, 2, guess=False)
    panel = win.lesson
    assert not panel.picker.isVisible() and panel.progress.text() == "Step 3 of 4"
    assert panel.title.isVisible() and "Predict: output per decode node" in panel.title.text()
    win.presentation.leave()
    qtbot.waitUntil(panel.picker.isVisible, timeout=5000)
    close_window(win)


@pytest.mark.parametrize("lesson, step", [("02-the-fix", 2), ("07-at-scale", 1)])
def test_in_spanish_at_1024x768_the_served_and_pass_columns_keep_their_words(qtbot, spanish, lesson, step):
    """'✗ 258 incumplid…' in the served column and '1,2k cruzar…' on the pass: a missed count
    too long in bold is written plain, a pass line too long puts its count over its word."""
    win = _present(qtbot, f"{lesson}.toml", (1024, 768))
    _open_step(qtbot, win, step)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    drawn = []
    for k in win.kitchens:
        drawn += _drawn(k)
        assert k.compact_painter.elided == [], k.compact_painter.elided
    assert any("incumplidos" in text for text in drawn) and any("cruzaron" in text for text in drawn), drawn
    close_window(win)


def test_a_title_too_long_for_the_grown_type_gives_way_down_to_the_floor(qtbot, spanish):
    """Lesson 4 in Spanish at 1280x800: two kitchens grow their type to 22 px, and the long
    kitchen name read 'Disaggregated 3P1D (TP2), InfiniBand NDR · 8 G…'."""
    win = _present(qtbot, "04-when-it-pays.toml", (1280, 800))
    _open_step(qtbot, win, 0)
    qtbot.waitUntil(lambda: all(k.compact for k in win.kitchens), timeout=5000)
    for k in win.kitchens:
        drawn = _drawn(k)
        assert k.compact_painter.min_px > MIN_PX
        assert k.compact_painter.elided == [], k.compact_painter.elided
        assert min(k.compact_painter.sizes_used) >= MIN_PX
    assert any("InfiniBand NDR" in text and text.endswith("8 GPU") for text in drawn), drawn
    close_window(win)
