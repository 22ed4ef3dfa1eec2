"""The Explore tab: the crossover map and the xPyD planner, computed in the background with a
progress bar and Cancel; clicking a cell or a plan row loads it into the kitchen view."""

from __future__ import annotations

from PySide6.QtCore import QThread, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from disagg_viz.i18n import N_
from disagg_viz.ui.explore.map_view import CrossoverMapView
from disagg_viz.ui.explore.worker import ExploreWorker
from disagg_viz.ui.palette import Profile
from disagg_viz.ui.language import tr

# axis key -> (label, default lo, hi, points, log)
AXES = {
    "prompt": (N_("Prompt length (tokens)"), 256, 32768, 12, True),
    "link": (N_("Link bandwidth (GB/s)"), 1, 900, 12, True),
    "output": (N_("Output length (tokens)"), 16, 2048, 12, True),
    "rate": (N_("Arrival rate (req/s)"), 0.5, 64, 12, True),
    "split": (N_("Pool split (prefill instances)"), 1, 3, 3, False),
    "chunk": (N_("Chunk size (tokens)"), 128, 4096, 6, True),
}


class AxisEditor(QWidget):
    def __init__(self, name: str, default: str, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.key = QComboBox()
        for k, (label, *_rest) in AXES.items():
            self.key.addItem(tr(label), k)
        self.key.setAccessibleName(tr("{name} axis").format(name=name))
        self.lo, self.hi = QDoubleSpinBox(), QDoubleSpinBox()
        for w, what in ((self.lo, tr("{name} axis from")), (self.hi, tr("{name} axis to"))):
            w.setRange(0.01, 1_000_000)
            w.setDecimals(2)
            w.setMinimumWidth(70)
            w.setAccessibleName(what.format(name=name))
        self.n = QSpinBox()
        self.n.setRange(1, 64)
        self.n.setAccessibleName(tr("{name} axis points").format(name=name))
        self.log = QCheckBox("log")
        self.key.setMinimumContentsLength(12)
        self.key.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        lay.addWidget(QLabel(f"{name}:"))
        lay.addWidget(self.key, 2)
        lay.addWidget(self.lo, 1)
        lay.addWidget(QLabel(tr("to")))
        lay.addWidget(self.hi, 1)
        lay.addWidget(self.n)
        lay.addWidget(self.log)
        self.n.setSuffix(tr(" pts"))
        self.key.currentIndexChanged.connect(self._defaults)
        self.key.setCurrentIndex(self.key.findData(default))
        self._defaults()

    def _defaults(self) -> None:
        _, lo, hi, n, log = AXES[self.key.currentData()]
        self.lo.setValue(lo)
        self.hi.setValue(hi)
        self.n.setValue(n)
        self.log.setChecked(log)

    def spec(self) -> str:
        return f"{self.key.currentData()}={self.lo.value():g}:{self.hi.value():g}:{self.n.value()}" + \
               ("log" if self.log.isChecked() else "")


class ExplorePanel(QWidget):
    loadScenario = Signal(object)           # a Scenario to show in the kitchen view (``load_note`` says what)
    _map = Signal(int, object, object, object, object, str)
    _plan = Signal(int, object, object, int, str)
    _goodput = Signal(int, object, object)
    goodputReady = Signal(object, object)   # the scenario it is for, list[Goodput] of its systems
    _lesson = Signal(int, object, object)
    lessonReady = Signal(object)            # (LessonChecker, reports) of the lesson asked for
    lessonStopped = Signal(str)             # the lesson check failed or was cancelled: why

    def __init__(self, controller, profile: Profile, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.job = 0
        self.cmap = None
        self.plan = None
        self.load_note = ""                 # what the last loaded point is, for the status bar
        self._thread = QThread(self)
        self._thread.setObjectName("explore-worker")
        self.worker = ExploreWorker()
        self.worker.moveToThread(self._thread)
        self._map.connect(self.worker.run_map)
        self._plan.connect(self.worker.run_plan)
        self._goodput.connect(self.worker.run_goodput)
        self.worker.goodputReady.connect(self._on_goodput)
        self._lesson.connect(self.worker.run_lesson)
        self.worker.lessonReady.connect(self._on_lesson)
        self._lesson_job = 0
        self.worker.progress.connect(self._on_progress)
        self.worker.mapReady.connect(self._on_map)
        self.worker.planReady.connect(self._on_plan)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self._thread.finished.connect(self.worker.deleteLater)
        self._thread.start()

        self.x_axis, self.y_axis = AxisEditor("X", "prompt"), AxisEditor("Y", "link")
        self.per = QComboBox()
        for label, unit in ((tr("per GPU"), "gpu"), (tr("per $/hour (example prices)"), "dollar"), (tr("per kW"), "watt")):
            self.per.addItem(label, unit)
        self.per.setAccessibleName(tr("compare goodput per"))
        self.per.setToolTip(tr("What the map's ratio and the planner's ranking divide goodput by; prices are examples"))
        self.compute = QPushButton(tr("Compute map"))
        self.compute.clicked.connect(self.start_map)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(tr("explore progress"))
        self.progress.setFormat("%v / %m  (%p%)")
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel(tr("The map and the planner use the scenario open in the kitchen view."))
        self.status.setTextFormat(Qt.PlainText)        # may quote a scenario's problem
        self.status.setWordWrap(True)
        self.map_view = CrossoverMapView(profile)
        self.map_view.cellClicked.connect(self._load_cell)

        self.gpus = QSpinBox()
        self.gpus.setRange(1, 64)
        self.gpus.setValue(8)
        self.gpus.setAccessibleName(tr("planner GPU count"))
        self.plan_button = QPushButton(tr("Plan"))
        self.plan_button.clicked.connect(self.start_plan)
        self.goodput_button = QPushButton(tr("Goodput"))
        self.goodput_button.setToolTip(tr("The highest request rate at which each system of the kitchen view "
                                       "meets the SLOs, per GPU, per $/h and per kW (shown in its scoreboard)"))
        self.goodput_button.clicked.connect(self.start_goodput)
        # Layout and the reason it ranks lower share one wrapping column, so a narrow panel still
        # shows every column.
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["#", tr("layout — why it ranks lower"), tr("req/s per GPU")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAccessibleName(tr("planner ranking"))
        self.table.cellDoubleClicked.connect(self._load_plan_row)
        self.smallest = QLabel()
        self.smallest.setMinimumWidth(200)
        self.smallest.setWordWrap(True)

        map_box = QGroupBox(tr("Crossover map: where does disaggregation pay off?"))
        mv = QVBoxLayout(map_box)
        mv.addWidget(self.x_axis)
        mv.addWidget(self.y_axis)
        mv.addWidget(self.map_view, 1)
        plan_box = QGroupBox(tr("Planner: every xPyD split of N GPUs"))
        plan_box.setMinimumWidth(220)
        self.table.setMinimumWidth(200)
        pv = QVBoxLayout(plan_box)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("GPUs")))
        row.addWidget(self.gpus)
        row.addWidget(self.plan_button)
        row.addStretch(1)
        pv.addLayout(row)
        pv.addWidget(self.table, 1)
        pv.addWidget(self.smallest)
        hint = QLabel(tr("Double-click a layout to compare it with the best of the other kind in the kitchen."))
        hint.setWordWrap(True)
        pv.addWidget(hint)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(map_box)
        split.addWidget(plan_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([620, 380])          # the map gets most of the room from the start
        lay = QGridLayout(self)
        lay.addWidget(split, 0, 0, 1, 5)
        lay.addWidget(self.compute, 1, 0)
        lay.addWidget(self.progress, 1, 1)
        lay.addWidget(self.cancel_button, 1, 2)
        lay.addWidget(self.per, 1, 3)
        lay.addWidget(self.goodput_button, 1, 4)
        lay.addWidget(self.status, 2, 0, 1, 5)
        lay.setColumnStretch(1, 1)
        lay.setRowStretch(0, 1)

    # --- jobs ---------------------------------------------------------------------------
    def _base_dir(self):
        return self.controller.path.parent if self.controller.path else None

    def _begin(self, what: str) -> int:
        self.job += 1
        self.worker.cancel.clear()
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.compute.setEnabled(False)
        self.plan_button.setEnabled(False)
        self.goodput_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(tr("Computing {what}...").format(what=what))
        return self.job

    def _end(self, text: str) -> None:
        self.compute.setEnabled(True)
        self.plan_button.setEnabled(True)
        self.goodput_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        self.status.setText(text)

    @property
    def busy(self) -> bool:
        return self.cancel_button.isEnabled()

    def start_map(self) -> bool:
        from disagg_viz.explore.axes import check_axes, parse_axis
        from disagg_viz.scenario import ScenarioError
        try:
            x, y = parse_axis(self.x_axis.spec(), "X axis"), parse_axis(self.y_axis.spec(), "Y axis")
            check_axes(self.controller.scenario, x, y)
        except ScenarioError as exc:
            self.status.setText(tr("Cannot compute the map: ") + exc.summary())
            return False
        job = self._begin(tr("a {nx} x {ny} crossover map").format(nx=len(x.values), ny=len(y.values)))
        self._map.emit(job, self.controller.scenario, self._base_dir(), x, y, self.per.currentData())
        return True

    def start_plan(self) -> None:
        job = self._begin(tr("the plan for {n} GPUs").format(n=self.gpus.value()))
        self._plan.emit(job, self.controller.scenario, self._base_dir(), self.gpus.value(), self.per.currentData())

    def start_goodput(self) -> bool:
        """Goodput of the kitchen view's systems, for its scoreboard (False if a job is running)."""
        if self.busy:
            return False
        job = self._begin(tr("the goodput of {n} systems").format(n=len(self.controller.scenario.systems)))
        self._goodput.emit(job, self.controller.scenario, self._base_dir())
        return True

    def start_lesson(self, scenario, base_dir) -> bool:
        """Check every step of ``scenario``'s lesson in the worker (False if a job is running)."""
        if self.busy:
            return False
        self._lesson_job = self._begin(f"the {len(scenario.lesson.steps)} steps of the lesson")
        self._lesson.emit(self._lesson_job, scenario, base_dir)
        return True

    def cancel(self) -> None:
        self.worker.cancel.set()
        self.status.setText(tr("Cancelling..."))

    def shutdown(self) -> bool:
        """Cancel and stop the worker; True if it stopped (cancel is checked between simulations)."""
        self.worker.cancel.set()
        self._thread.quit()
        return self._thread.wait(2000)

    # --- answers (GUI thread) ----------------------------------------------------------
    @Slot(int, int, int)
    def _on_progress(self, job: int, done: int, total: int) -> None:
        if job == self.job:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    @Slot(int, object)
    def _on_map(self, job: int, cmap) -> None:
        if job != self.job:
            return
        self.cmap = cmap
        self.map_view.set_map(cmap)
        r = cmap.ratio
        from disagg_viz.explore.crossover import BASELINE
        self._end(tr("Disaggregation pays off in {wins} of {cells} cells (best ratio {best}), against "
                     "{baseline}; the planner below compares every layout of N GPUs. Hover a cell for its "
                     "numbers; click it to load that point at its goodput rate.").format(
                         wins=int((r > 1).sum()), cells=r.size,
                         best=f"{max((v for v in r.flat if v == v), default=float('nan')):.2f}", baseline=tr(BASELINE)))

    @Slot(int, object)
    def _on_plan(self, job: int, plan) -> None:
        if job != self.job:
            return
        self.plan = plan
        self.table.setRowCount(len(plan.ranked))
        from disagg_viz.explore.goodput import PER_LABELS
        self.table.setHorizontalHeaderLabels(["#", tr("layout — why it ranks lower"), tr(PER_LABELS[plan.ranked[0].per_unit])])
        for k, c in enumerate(plan.ranked):
            for col, text in enumerate((str(k + 1), f"{c.label} — {c.reason or 'best'}", f"{c.value:.3g}")):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(k, col, item)
        if plan.smallest_winning_gpus:
            self.smallest.setText(tr("Disaggregation first beats colocation at <b>{n} GPUs</b> "
                                     "for this traffic.").format(n=plan.smallest_winning_gpus))
        else:
            self.smallest.setText(tr("Disaggregation does not beat colocation at any size from 2 to "
                                     "{n} GPUs for this traffic.").format(n=plan.checked_up_to))
        from disagg_viz.explore.goodput import PER_LABELS
        self._end(tr("Best of {n} layouts: {label}, {value} {unit}.").format(
            n=len(plan.ranked), label=plan.best.label, value=f"{plan.best.value:.3g}", unit=tr(PER_LABELS[plan.best.per_unit])))

    @Slot(int, object)
    def _on_goodput(self, job: int, answer) -> None:
        if job != self.job:
            return
        scenario, goodputs = answer
        self._end(tr("Goodput (req/s meeting the SLOs): ") + ", ".join(
            tr("{system} {rate} req/s ({per_gpu} per GPU)").format(system=s.name, rate=f"{g.rate:.3g}", per_gpu=f"{g.per_gpu:.3g}")
            for s, g in zip(scenario.systems, goodputs)) + tr(". The scoreboard shows it per GPU, per $/h and per kW."))
        self.goodputReady.emit(scenario, goodputs)

    @Slot(int, object)
    def _on_lesson(self, job: int, answer) -> None:
        if job == self.job:
            self._end("Lesson checked.")
            self.lessonReady.emit(answer)

    @Slot(int, str)
    def _on_failed(self, job: int, text: str) -> None:
        if job == self.job:
            self._end(tr("Failed: ") + text.splitlines()[-1] if text else tr("Failed"))
            if job == self._lesson_job:
                self.lessonStopped.emit(text.splitlines()[-1] if text else "failed")

    @Slot(int)
    def _on_cancelled(self, job: int) -> None:
        if job == self.job:
            self._end(tr("Cancelled."))
            if job == self._lesson_job:
                self.lessonStopped.emit("cancelled")

    # --- loading into the kitchen ------------------------------------------------------
    def _load_cell(self, i: int, j: int) -> None:
        """The cell's point, at the rate the cell is about: the best disaggregated system's goodput
        (the highest rate at which it meets the SLO), with the winning colocated variant."""
        from disagg_viz.explore.axes import apply_axis_values
        from disagg_viz.explore.crossover import RATE_KEY
        m = self.cmap
        sc = apply_axis_values(self.controller.scenario, [(m.x, m.x.values[j]), (m.y, m.y.values[i])])
        n = len(sc.systems)
        best_col = int(m.best_col[i, j])
        if best_col >= n:                       # the winner was a colocated system with chunking switched
            from disagg_viz.sim.specs import scenario_specs
            cols = [k for k, spec in enumerate(scenario_specs(sc)) if not spec.is_split]
            k = cols[best_col - n]
            systems = list(sc.systems)
            systems[k] = systems[k].model_copy(update={"chunked_prefill": not systems[k].chunked_prefill})
            sc = sc.model_copy(update={"systems": systems})
        rate = m.dis_rate[i, j] if m.dis_rate is not None and RATE_KEY not in (m.x.key, m.y.key) else None
        note = ""
        if rate is not None and rate == rate and rate > 0:
            from disagg_viz.scenario.overrides import apply_overrides
            sc = apply_overrides(sc, [f"{RATE_KEY}={rate:.4g}"])
            note = (tr("at {rate} req/s, the cell's goodput: the highest rate at which "
                    "{system} meets the SLO").format(rate=f"{rate:.3g}", system=m.names[int(m.best_dis[i, j])]))
        self.load_note = note
        self.loadScenario.emit(sc)

    def _load_plan_row(self, row: int, _col: int = 0) -> None:
        chosen = self.plan.ranked[row]
        other = next((c for c in self.plan.ranked if c.is_split != chosen.is_split and c.goodput is not None), None)
        pair = sorted([c for c in (chosen, other) if c is not None], key=lambda c: c.is_split)
        systems = [c.system for c in pair]                       # colocated first, as in the lessons
        self.load_note = tr("the planner's {layout} for this traffic").format(layout=chosen.label)
        self.loadScenario.emit(self.controller.scenario.model_copy(update={"systems": systems}))
