"""Breaking things from the kitchen: a station's context menu (right-click, or the menu key for
every station of the kitchen) adds a [[faults]] entry at the time on screen and runs again: lose
the station, bring a lost one back, break its KV port (NVLink falls back to PCIe), or take a
system's faults away. Each is an ordinary scenario edit (scenario/fault_edits.py): the time bar
marks it, JSON's fault_cost reports it, Save writes it and Reset takes it away. An edit the
scenario would refuse (a planner's dynamic pools, layer-wise transfer, a pool's last station) is
shown disabled, its tooltip saying why."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.scenario import ScenarioError
from disagg_viz.scenario import fault_edits
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.result import ROLE_DECODE
from disagg_viz.ui.language import number, tr


class FaultActions(QObject):
    """Owns the stations' fault menus of a main window's kitchens."""

    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self.controller = window.controller
        self.menu: QMenu | None = None        # the menu last opened (tests trigger its actions)
        window.stage.stationMenuRequested.connect(self.open_menu)

    @Slot(int, object, float, object)
    def open_menu(self, index: int, stations: list, t: float, pos) -> None:
        """The fault menu of ``stations`` (one: right-click on it; all: the menu key) of kitchen
        ``index`` at time ``t``, popped up at ``pos`` (global)."""
        menu = self.build_menu(index, stations, t)
        if menu is not None:
            self.menu = menu
            menu.popup(pos)

    def build_menu(self, index: int, stations: list, t: float) -> QMenu | None:
        sc = self.controller.scenario
        kitchens = self.win.stage.kitchens
        if not (0 <= index < len(kitchens)) or kitchens[index].builder is None or index >= len(sc.systems):
            return None
        spec = kitchens[index].builder.res.spec
        system = sc.systems[index]
        if spec.name != system.name:          # the result on screen is not this scenario's yet
            return None
        vocab = Vocabulary(self.win.display.vocabulary)
        menu = QMenu(self.win)
        menu.setToolTipsVisible(True)
        for st in stations:
            target = menu if len(stations) == 1 else menu.addMenu(vocab.station_name(st).split(" · ")[0])
            self._station_actions(target, sc, spec, system, st, t, vocab)
        if any(f.system == system.name for f in sc.faults):
            menu.addSeparator()
            self._action(menu, sc, tr("Remove the faults of {system}").format(system=system.name),
                         fault_edits.clear_faults(sc, system),
                         tr("Faults of {system} removed").format(system=system.name))
        return menu

    def _station_actions(self, menu: QMenu, sc, spec, system, st, t: float, vocab: Vocabulary) -> None:
        name = f"{vocab.word(st.role)} {st.number}"
        pool = "decode" if st.role == ROLE_DECODE else "prefill"
        at = number(round(max(t, 0.0), 1), 1)
        if spec.dynamic is not None:          # stations move between the pools: numbers change
            act = menu.addAction(tr("Lose {station} here ({t} s)").format(station=name, t=at))
            act.setEnabled(False)
            act.setToolTip(tr("A planner moves this system's stations between the pools (dynamic_pools): "
                              "faults for it are written in the scenario file."))
            return
        if st.lost_since is not None:
            self._action(menu, sc, tr("Bring {station} back here ({t} s), empty").format(station=name, t=at),
                         fault_edits.bring_back(sc, system, pool, st.number, t),
                         tr("{station} of {system} is back at {t} s").format(station=name, system=system.name, t=at))
            return
        self._action(menu, sc, tr("Lose {station} here ({t} s): its requests go back to the queue").format(
            station=name, t=at), fault_edits.lose_station(sc, system, pool, st.number, t),
            tr("{station} of {system} is lost at {t} s (Reset takes it back)").format(
                station=name, system=system.name, t=at))
        if spec.is_split:
            _, gb = fault_edits.port_fallback(spec.link.peak_gb_per_s)
            self._action(menu, sc, tr("Break {station}'s KV port here ({t} s): {gb} GB/s").format(
                station=name, t=at, gb=number(gb, 1 if gb < 10 else 0)),
                fault_edits.break_port(sc, system, pool, st.number, t, spec.link.peak_gb_per_s),
                tr("{station}'s KV port of {system} breaks at {t} s (Reset takes it back)").format(
                    station=name, system=system.name, t=at))

    def _action(self, menu: QMenu, sc, text: str, edits: dict, done: str) -> QAction:
        """An action applying ``edits``: disabled, with the reason, if the scenario would refuse them."""
        act = menu.addAction(text)
        try:
            apply_overrides(sc, edits)
        except ScenarioError as exc:
            act.setEnabled(False)
            act.setToolTip(exc.summary())
            return act
        act.setData((edits, done))
        act.triggered.connect(self._apply)
        return act

    @Slot()
    def _apply(self) -> None:
        edits, done = self.sender().data()
        if self.controller.change(edits):
            self.win.note(done)              # outlasts the run it starts
