"""Menus and keys change the display model; the kitchens, charts, controls and menus follow it."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.window_helpers import close_window, open_window


def _action(win, text):
    from PySide6.QtGui import QAction
    return next(a for a in win.findChildren(QAction) if a.text() == text)


def test_keys_and_menus_change_the_model_and_the_views_follow(qtbot):
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=40"])
    d = win.display
    # View > Serving terms: the model, the kitchens' words and the scenario's [view] follow
    _action(win, "Serving terms (prefill/decode/KV)").trigger()
    assert d.vocabulary == "serving"
    assert all(k.painter.vocab.mode == k.compact_painter.vocab.mode == "serving" for k in win.kitchens)
    assert win.controller.scenario.view.vocabulary == "serving"
    d.set(vocabulary="kitchen")                                 # changed elsewhere: the check mark follows
    assert not win.serving_terms.isChecked() and win.kitchens[0].painter.vocab.mode == "kitchen"
    # Zoom keys: the model, then the charts and the style sheet
    qtbot.keyClick(win, Qt.Key_Equal, Qt.ControlModifier)
    assert d.zoom == 1.15 and win.charts.scale == 1.15 and "font-size" in win.styleSheet()
    qtbot.keyClick(win, Qt.Key_0, Qt.ControlModifier)
    assert d.zoom == 1.0 and win.charts.scale == 1.0 and "font-size" not in win.styleSheet()
    # F: focus walks the kitchens; the stage shows the focused one only
    qtbot.keyClick(win, Qt.Key_F)
    assert d.focus == 0 and win.focused is win.kitchens[0]
    qtbot.waitUntil(lambda: not win.kitchens[1].isVisible())
    d.set(focus=None)
    qtbot.waitUntil(lambda: all(k.isVisible() for k in win.kitchens))
    # Projector colours: the model, the kitchens, the charts, the saved preference
    win.projector.trigger()
    assert d.profile == "projector" and win.kitchens[2].painter.profile.name == "projector"
    assert win.charts.profile.name == "projector" and win.settings.value("profile") == "projector"
    d.set(profile="dark")
    assert not win.projector.isChecked() and win.explore.map_view.profile.name == "dark"
    close_window(win)


def test_presenting_and_blanking_are_the_models(qtbot):
    win = open_window(qtbot, "01-the-conflict.toml", edits=["workload.requests=40"])    # step 1 is not veiled
    d = win.display
    qtbot.keyClick(win, Qt.Key_F5)
    assert d.presenting and win.isFullScreen() and d.zoom >= 1.5
    assert all(k.presenting for k in win.kitchens) and not win.controls.isVisible()
    qtbot.keyClick(win, Qt.Key_B)
    assert d.blanked and win.presentation.blank.isVisible()
    qtbot.keyClick(win, Qt.Key_Escape)                       # leaving also lifts the blank
    assert not d.presenting and not d.blanked and not win.presentation.blank.isVisible()
    assert not win.isFullScreen() and d.zoom == 1.0 and not any(k.presenting for k in win.kitchens)
    assert not d.charts_folded and win.charts.isVisible() and win.scoreboard.isVisible()
    d.set(veiled=True)                                       # a lesson's veil, whoever sets it
    assert not win.charts.isVisible() and not win.scoreboard.isVisible() and win.veil.isVisible()
    assert all(k.painter.veiled for k in win.kitchens)
    d.set(veiled=False)
    assert win.charts.isVisible() and not win.veil.isVisible()
    close_window(win)


def test_the_sliders_edit_target_is_the_models(qtbot):
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=40"])
    d, c, sc = win.display, win.controls, win.controller.scenario
    c.target.setCurrentIndex(c.target.findData(2))           # the user picks "only <third system>"
    assert d.edit_target == 2
    d.set(edit_target=1)                                     # the model moves: the picker and sliders follow
    assert c.target.currentData() == 1
    assert c.controls["link"].value() == pytest.approx(sc.systems[1].link_peak_gb_per_s, rel=0.01)
    edits = []
    c.changed.connect(edits.append)
    c.controls["prefill"].spin.setValue(3)
    assert edits[-1] == {"systems.1.prefill_instances": 3}
    close_window(win)


def test_kubernetes_terms_name_node_pools_and_cross_pool_shipping(qtbot):
    """View > Kubernetes terms: the seed lesson's third vocabulary; it and Serving terms exclude
    each other, and the scenario's [view] keeps it."""
    from disagg_viz.playback.vocabulary import Vocabulary
    from disagg_viz.sim.result import ROLE_DECODE, ROLE_PREFILL
    k8s = Vocabulary("kubernetes")
    assert "node pool" in k8s.word("prep kitchen") and "node pool" in k8s.word("plating line")
    assert "Cross-pool" in k8s.word("pass") and k8s.word(ROLE_PREFILL) == "Prefill pod"
    assert k8s.word(ROLE_DECODE) == "Decode pod" and "queued" in k8s.queued_trays(2)
    assert "Kubernetes" in Vocabulary("kitchen").tip("pass", moving=1, waiting=0)      # tooltips bridge the terms
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=40"])
    d = win.display
    _action(win, "Serving terms (prefill/decode/KV)").trigger()
    _action(win, "Kubernetes terms (node pools, cross-pool shipping)").trigger()
    assert d.vocabulary == "kubernetes" and not _action(win, "Serving terms (prefill/decode/KV)").isChecked()
    assert all(k.painter.vocab.mode == k.compact_painter.vocab.mode == "kubernetes" for k in win.kitchens)
    assert win.controller.scenario.view.vocabulary == "kubernetes"
    _action(win, "Kubernetes terms (node pools, cross-pool shipping)").trigger()         # unchecked: kitchen
    assert d.vocabulary == "kitchen"
    close_window(win)


def test_sliders_keep_editing_only_the_chosen_system_after_it_is_renamed(qtbot):
    """Issue 22: "Sliders below edit: only 2P2D" reset to all systems after the first drag renamed
    the system, leaving two kitchens named "2P2D over 25 GB/s"."""
    win = open_window(qtbot, "03-the-gating-cost.toml", edits=["workload.requests=40"])
    names = [s.name for s in win.controller.scenario.systems]
    win.controls.target.setCurrentIndex(2)                     # only "2P2D over NVLink"
    assert win.display.edit_target == 1
    win.controls.changed.emit({"systems.1.link_gb_per_s": 25.0})
    qtbot.waitUntil(lambda: win.controller.scenario.systems[1].name != names[1], timeout=10_000)
    assert win.display.edit_target == 1 and win.controls.target.currentIndex() == 2
    assert win.controls.target.currentText() == f"only {win.controller.scenario.systems[1].name}"
    close_window(win)
