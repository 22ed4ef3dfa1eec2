"""File text is shown as written (issue 24): a stranger's title, description, lesson texts,
choices, teacher notes and system names carrying ``<img src=...>`` never reach a widget as rich
text (which would load and draw a local file, and carry it into an exported picture)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from disagg_viz.scenario import ScenarioError
from disagg_viz.scenario.errors import Problem
from disagg_viz.ui.plain_text import escaped, tooltip
from tests.ui.window_helpers import close_window, open_window

IMG = "<img src=/etc/probe.png>"
EDITS = [f"title={IMG} title", f"description={IMG} description", f"systems.0.name={IMG} one",
         f"lesson.steps.0.title={IMG} step", f"lesson.steps.0.text={IMG} text",
         f"lesson.steps.0.teacher_note={IMG} note", f"lesson.goals=['{IMG} goal']"]


def _rich_markup_shown(win) -> list[str]:
    """Every label or tooltip that would render ``IMG`` as markup."""
    found = []
    for w in [win, *win.findChildren(QWidget)]:
        if IMG in w.toolTip():
            found.append(f"tooltip of {w.objectName() or type(w).__name__}: {w.toolTip()[:60]}")
        if isinstance(w, QLabel) and IMG in w.text() and w.textFormat() != Qt.PlainText \
                and (w.textFormat() == Qt.RichText or QtGui.mightBeRichText(w.text())):
            found.append(f"label {w.accessibleName() or w.objectName()}: {w.text()[:60]}")
    return found


def test_markup_in_file_text_is_shown_as_written(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml", EDITS)
    try:
        assert win.lesson.active
        assert _rich_markup_shown(win) == []
        assert escaped(IMG) in win.description.text()           # shown, as its characters
        assert any(IMG in w.text() for w in win.findChildren(QLabel) if w.textFormat() == Qt.PlainText)
    finally:
        close_window(win)


def test_problem_dialogs_show_file_text_plainly(qtbot):
    win = open_window(qtbot, start=False)
    try:
        win.files.show_problems("Cannot open", ScenarioError([Problem("title", "too long", IMG)], "x.toml"))
        box = win.findChild(QMessageBox, "scenario-problems")
        assert box is not None and box.textFormat() == Qt.PlainText and IMG in box.text()
        box.close()
    finally:
        close_window(win)


def test_tooltips_force_their_markup_and_escape_the_text():
    assert tooltip(IMG) == "<qt>&lt;img src=/etc/probe.png&gt;</qt>" and tooltip("") == ""
    assert escaped("a<b>\nc&d") == "a&lt;b&gt;<br>c&amp;d"


def test_charts_draw_at_most_two_points_per_pixel_column(qtbot, monkeypatch):
    from disagg_viz.ui.charts import ChartsPanel
    monkeypatch.setattr(ChartsPanel, "columns", lambda self: 50)
    win = open_window(qtbot, edits=["workload.requests=3000", "workload.arrival_rate=40"])
    try:
        for key in ("ttft", "tpot"):
            for item in win.charts.plots[key][0].listDataItems():
                assert 0 < len(item.xData) <= 100
    finally:
        close_window(win)
