"""A station's context menu breaks it at the time on screen (ui/fault_actions.py): lose it and it
is drawn lost, the time bar marks it and the scenario has the [[faults]] entry; bring it back;
break a KV port; take the faults away. Refused edits are disabled and say why."""

from PySide6.QtCore import QPoint
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from tests.ui.window_helpers import close_window, open_window


def _menu(qtbot, win, index, station_text, reason=QContextMenuEvent.Mouse):
    """Right-click the station of kitchen ``index`` whose name starts with ``station_text`` (or
    press the menu key over the kitchen): the menu FaultActions opened."""
    view = win.stage.kitchens[index]
    view.viewport().repaint()
    hits = view.item.kp.station_hits
    rect = next(r for r, st in hits if f"{view.item.kp.vocab.word(st.role)} {st.number}" == station_text)
    pos = view.mapFromScene(rect.center())
    win.faults.menu = None
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(reason, pos, view.viewport().mapToGlobal(pos)))
    menu = win.faults.menu
    assert menu is not None
    menu.hide()
    return menu


def _actions(menu):
    out = {}
    for act in menu.actions():
        if act.menu() is not None:
            out.update({f"{act.text()} / {k}": v for k, v in _actions(act.menu()).items()})
        elif act.text():
            out[act.text()] = act
    return out


def _trigger(qtbot, win, act):
    with qtbot.waitSignal(win.controller.resultReady, timeout=120_000):
        act.trigger()


def test_lose_a_station_bring_it_back_and_take_the_faults_away(qtbot):
    win = open_window(qtbot, "05-your-cluster.toml", edits=["workload.requests=200"])
    win.cursor.seek(30.0)
    QApplication.processEvents()
    split = win.controller.scenario.systems[2].name
    actions = _actions(_menu(qtbot, win, 2, "Plating 1"))
    lose = next(a for t, a in actions.items() if t.startswith("Lose Plating 1 here (30.0 s)"))
    assert any(t.startswith("Break Plating 1's KV port here (30.0 s): 32 GB/s") for t in actions)
    _trigger(qtbot, win, lose)
    (fault,) = win.controller.scenario.faults
    assert (fault.kind, fault.system, fault.pool, fault.instance, fault.at_s) == ("instance-lost", split, "decode", 1, 30.0)
    assert "lost at 30.0 s" in win.statusBar().currentMessage()
    assert (30.0, f"fault: decode 1 lost, {split}") in win.time_controls.scrubber.marks
    win.cursor.seek(40.0)
    QApplication.processEvents()
    view = win.stage.kitchens[2]
    assert any(st.lost_since == 30.0 for _, st in view.item.kp.station_hits)
    actions = _actions(_menu(qtbot, win, 2, "Plating 1"))
    back = next(a for t, a in actions.items() if t.startswith("Bring Plating 1 back here (40.0 s)"))
    # Plating 2 is the decode pool's last station while Plating 1 is lost: refused, with the reason.
    other = _actions(_menu(qtbot, win, 2, "Plating 2"))
    refused = next(a for t, a in other.items() if t.startswith("Lose Plating 2 here"))
    assert not refused.isEnabled() and "every decode station" in refused.toolTip()
    _trigger(qtbot, win, back)
    assert win.controller.scenario.faults[0].until_s == 40.0
    assert (40.0, f"back: decode 1, {split}") in win.time_controls.scrubber.marks
    clear = next(a for t, a in _actions(_menu(qtbot, win, 2, "Plating 2")).items() if t.startswith("Remove the faults"))
    _trigger(qtbot, win, clear)
    assert win.controller.scenario.faults == []
    close_window(win)


def test_the_menu_key_offers_every_station_and_a_planner_system_says_why_not(qtbot):
    win = open_window(qtbot, "08-dynamo.toml")
    win.lesson.go(4)                                   # step 5: the planner's kitchen is the third
    qtbot.waitUntil(lambda: not win.controller.pending, timeout=120_000)
    win.cursor.seek(10.0)
    QApplication.processEvents()
    actions = _actions(_menu(qtbot, win, 0, "Prep 1", reason=QContextMenuEvent.Keyboard))
    assert {t.split(" / ")[0] for t in actions} >= {"Prep 1", "Prep 2", "Plating 1", "Plating 4"}, list(actions)
    planner = _actions(_menu(qtbot, win, 2, "Prep 1"))
    (only,) = planner.values()
    assert not only.isEnabled() and "dynamic_pools" in only.toolTip()
    close_window(win)
