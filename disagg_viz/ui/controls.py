"""Sliders with typed-in values and units; model and GPU pickers. Each control edits dotted keys
of the scenario through the controller (a pool-size slider edits every system of that kind)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QSlider, QStyle,
    QStyleOptionSlider, QVBoxLayout, QWidget,
)

from disagg_viz.i18n import N_
from disagg_viz.sim.specs import scenario_specs
from disagg_viz.playback.display_model import DisplayModel
from disagg_viz.presets import GPU_LABELS, GPUS, LINK_LABELS, LINKS, MODEL_LABELS, MODELS
from disagg_viz.ui.language import tr

STEPS = 1000


class FineSlider(QSlider):
    """Arrows: 1% steps; Shift+arrows: 0.1%; PageUp/PageDown: 10%; Home/End (Qt's own)."""

    def __init__(self, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.setRange(0, STEPS)
        self.setSingleStep(10)
        self.setPageStep(100)
        self.setFocusPolicy(Qt.StrongFocus)

        self.marks: list[int] = []          # slider positions to draw tick marks at (presets)

    def set_marks(self, positions: list[int]) -> None:
        self.marks = sorted(positions)
        self.setMinimumHeight(max(self.minimumHeight(), 26))
        self.update()

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.marks:
            return
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        handle = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, self)
        span = self.width() - handle.width()
        p = QPainter(self)
        p.setPen(QPen(self.palette().color(QPalette.WindowText), 1.5))
        for pos in self.marks:
            x = handle.width() / 2 + QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), pos, span)
            p.drawLine(int(x), self.height() - 7, int(x), self.height() - 1)
        p.end()

    def keyPressEvent(self, event):
        if event.modifiers() & Qt.ShiftModifier and event.key() in (Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down):
            self.setValue(self.value() + (1 if event.key() in (Qt.Key_Right, Qt.Key_Up) else -1))
            return
        super().keyPressEvent(event)


class ValueControl(QWidget):
    edited = Signal(float)

    def __init__(self, name: str, lo: float, hi: float, unit: str, log: bool = False, integer: bool = False,
                 decimals: int = 0, ticks: dict[str, float] | None = None, parent=None):
        super().__init__(parent)
        self.lo, self.hi, self.log, self.integer = lo, hi, log, integer
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        lay = QHBoxLayout()
        outer.addLayout(lay)
        self.unit = unit
        self.ticks = dict(ticks or {})
        self.slider = FineSlider()
        self.slider.setAccessibleName(tr("{name} slider").format(name=name))
        self.spin = QDoubleSpinBox()
        self.spin.setAccessibleName(tr("{name} value").format(name=name))
        self.spin.setRange(lo, hi)
        self.spin.setDecimals(0 if integer else decimals)
        self.spin.setSuffix(f" {unit}")
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(110)
        self.mystery = QLabel(tr("?  (a mystery: infer it)"))
        self.mystery.setAccessibleName(tr("{name} is a mystery").format(name=name))
        self.mystery.hide()
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.spin)
        lay.addWidget(self.mystery, 1)
        self.preset = None
        if ticks:
            self.slider.set_marks([self._to_pos(v) for v in ticks.values()])
            self.slider.setToolTip(tr("Tick marks at the presets: ") + ", ".join(f"{k} {v:g} {unit}" for k, v in ticks.items()))
            self.preset = QLabel()
            self.preset.setAccessibleName(tr("{name} nearest preset").format(name=name))
            outer.addWidget(self.preset)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)

    def _to_pos(self, v: float) -> int:
        v = min(max(v, self.lo), self.hi)
        if self.log:
            return round(STEPS * math.log(v / self.lo) / math.log(self.hi / self.lo))
        return round(STEPS * (v - self.lo) / (self.hi - self.lo))

    def _to_value(self, pos: int) -> float:
        f = pos / STEPS
        v = self.lo * (self.hi / self.lo) ** f if self.log else self.lo + f * (self.hi - self.lo)
        return float(round(v)) if self.integer else v

    def value(self) -> float:
        return self.spin.value()

    def set_mystery(self, on: bool) -> None:
        """Show "?" instead of the value (and no slider, whose position would tell)."""
        self.slider.setVisible(not on)
        self.spin.setVisible(not on)
        self.mystery.setVisible(on)
        if self.preset is not None:
            self.preset.setVisible(not on)

    def _name_preset(self, v: float) -> None:
        """Name the preset the value sits on (within 3%), or the two it lies between."""
        if self.preset is None:
            return
        ordered = sorted(self.ticks.items(), key=lambda kv: kv[1])
        near = [k for k, x in ordered if abs(v / x - 1) <= 0.03]
        if near:
            text = "= " + " / ".join(near)
        else:
            below = [k for k, x in ordered if x < v]
            above = [k for k, x in ordered if x > v]
            text = tr("between {low} and {high}").format(low=below[-1], high=above[0]) if below and above else \
                   (tr("below {preset}").format(preset=above[0]) if above else tr("above {preset}").format(preset=below[-1]))
        self.preset.setText(text)

    def set_value(self, v: float) -> None:
        for w in (self.slider, self.spin):
            w.blockSignals(True)
        self.spin.setValue(v)
        self.slider.setValue(self._to_pos(v))
        for w in (self.slider, self.spin):
            w.blockSignals(False)
        self._name_preset(self.spin.value())

    def _from_slider(self, pos: int) -> None:
        v = self._to_value(pos)
        self.spin.blockSignals(True)
        self.spin.setValue(v)
        self.spin.blockSignals(False)
        self._name_preset(self.spin.value())
        self.edited.emit(self.spin.value())

    def _from_spin(self, v: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_pos(v))
        self.slider.blockSignals(False)
        self._name_preset(v)
        self.edited.emit(v)


PRECISIONS = {N_("BF16 weights and KV"): "bf16/bf16", N_("FP8 weights, BF16 KV"): "fp8/bf16",   # weights/KV
              N_("FP8 weights and KV"): "fp8/fp8"}


class ControlsPanel(QWidget):
    """Emits ``changed(dict)`` of dotted-key edits. Which systems the system sliders edit ("Sliders
    below edit") is the display model's ``edit_target``."""

    changed = Signal(dict)

    def __init__(self, display: DisplayModel, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignRight)
        self.display = display
        self.scenario = None
        self.teacher = None                 # the open scenario's teacher settings (hidden, locked, mystery)
        self.revealed = False               # mystery values revealed
        self.model = QComboBox()
        for k in MODELS:
            self.model.addItem(MODEL_LABELS[k], k)
        self.gpu = QComboBox()
        for k in GPUS:
            self.gpu.addItem(GPU_LABELS[k], k)
        self.precision = QComboBox()
        for label, dtypes in PRECISIONS.items():
            self.precision.addItem(tr(label), dtypes)
        self.precision.setAccessibleName(tr("precision of weights and KV cache"))
        self.precision.setToolTip(tr("FP8 weights: half the bytes to stream, and the FP8 GEMM peak where the GPU has "
                                  "one; FP8 KV: half-size trays and twice the KV room"))
        self.pool_gpus = {}
        for pool in ("prefill", "decode"):
            box = QComboBox()
            for k in GPUS:
                box.addItem(GPU_LABELS[k], k)
            box.setAccessibleName(tr("prefill pool GPU") if pool == "prefill" else tr("decode pool GPU"))
            box.setToolTip(tr("The GPU of the disaggregated systems' {pool} pool (Splitwise: H100 prefill, A100 decode)").format(pool={"prefill": tr("prefill"), "decode": tr("decode")}[pool]))
            self.pool_gpus[pool] = box
        self.target = QComboBox()          # which systems the system sliders edit
        self.target.setAccessibleName(tr("systems the sliders below edit"))
        self.target.setToolTip(tr("The pool, link and chunk sliders edit every system of their kind, or only this one"))
        self.model.setAccessibleName(tr("model"))
        self.gpu.setAccessibleName(tr("GPU"))
        self.controls = {
            "prompt": ValueControl(tr("prompt length"), 16, 131072, tr("tokens"), log=True, integer=True),
            "output": ValueControl(tr("output length"), 1, 8192, tr("tokens"), log=True, integer=True),
            "rate": ValueControl(tr("arrival rate"), 0.05, 200, tr("req/s"), log=True, decimals=2),
            "link": ValueControl(tr("link bandwidth"), 0.5, 1000, "GB/s", log=True, decimals=2,
                                 ticks={LINK_LABELS[k]: v for k, v in LINKS.items()}),
            "prefill": ValueControl(tr("prefill pool"), 1, 16, tr("GPUs"), integer=True),
            "decode": ValueControl(tr("decode pool"), 1, 16, tr("GPUs"), integer=True),
            "colocated": ValueControl(tr("colocated instances"), 1, 16, tr("GPUs"), integer=True),
            "chunk": ValueControl(tr("chunk size"), 64, 8192, tr("tokens"), log=True, integer=True),
        }
        self.chunked = QCheckBox(tr("chunked prefill (colocated)"))
        self.chunked.setAccessibleName(tr("chunked prefill"))
        labels = {"prompt": tr("Prompt length"), "output": tr("Output length"), "rate": tr("Arrival rate"),
                  "link": tr("Link bandwidth"), "prefill": tr("Prefill pool (prep)"), "decode": tr("Decode pool (plating)"),
                  "colocated": tr("Colocated instances"), "chunk": tr("Chunk size")}
        self.form = form
        self.widgets = {"model": self.model, "gpu": self.gpu, "precision": self.precision,
                        "prefill_gpu": self.pool_gpus["prefill"], "decode_gpu": self.pool_gpus["decode"]}
        form.addRow(tr("Model"), self.model)
        form.addRow(tr("GPU"), self.gpu)
        form.addRow(tr("Precision"), self.precision)
        for key, ctl in self.controls.items():
            if key == "link":
                form.addRow(tr("Sliders below edit"), self.target)
                form.addRow(tr("Prefill GPU"), self.pool_gpus["prefill"])
                form.addRow(tr("Decode GPU"), self.pool_gpus["decode"])
            lab = QLabel(labels[key])
            lab.setBuddy(ctl.slider)
            form.addRow(lab, ctl)
            self.widgets[key] = ctl
            ctl.edited.connect(lambda v, key=key: self._edited(key, v))
            if key == "colocated":
                form.addRow("", self.chunked)
                self.widgets["chunked"] = self.chunked
        self.model.currentIndexChanged.connect(lambda _: self.changed.emit({"model.preset": self.model.currentData()}))
        self.gpu.currentIndexChanged.connect(lambda _: self.changed.emit({"hardware.gpu": self.gpu.currentData()}))
        self.precision.currentIndexChanged.connect(lambda _: self._precision_changed())
        for pool, box in self.pool_gpus.items():
            box.currentIndexChanged.connect(lambda _, pool=pool: self._edited(f"{pool}_gpu", self.pool_gpus[pool].currentData()))
        self.chunked.toggled.connect(lambda on: self._edited("chunked", on))
        self.target.currentIndexChanged.connect(lambda _: display.set(edit_target=self.target.currentData()))
        display.subscribe(self._follow)

    def _follow(self, name: str, _value) -> None:
        """A new edit target: show its values (not when the systems just changed: a refresh with
        the new scenario follows)."""
        if name == "edit_target" and self.scenario is not None and \
                tuple(s.name for s in self.scenario.systems) == self.display.systems:
            self.refresh(self.scenario)

    def apply_teacher(self, teacher, revealed: bool = False) -> None:
        """Hidden controls are not shown, locked ones cannot be changed, mystery values show "?"."""
        if self.teacher == teacher and self.revealed == revealed \
                and not teacher.locked:
            return                          # unchanged: no relayout on every slider move
        self.teacher, self.revealed = teacher, revealed
        for key, w in self.widgets.items():
            self.form.setRowVisible(w, key not in teacher.hidden)
            if key in teacher.locked:
                w.setEnabled(False)
                w.setToolTip(tr("Locked by the teacher for this lesson"))
            elif key in ("model", "gpu", "precision", "prefill_gpu", "decode_gpu"):
                w.setEnabled(True)
                w.setToolTip("")
            if isinstance(w, ValueControl):
                w.set_mystery(key in teacher.mystery and not revealed)

    def _indices(self, field: str) -> list[int]:
        """The systems the sliders edit (the display model's edit target) that have ``field``."""
        if not self.scenario:
            return []
        only = self.display.edit_target
        return [k for k, s in enumerate(self.scenario.systems) if field in type(s).model_fields and only in (None, k)]

    def _edited(self, key: str, v) -> None:
        edits = {}
        if key == "prompt":
            edits["workload.prompt_tokens"] = int(v)
        elif key == "output":
            edits["workload.output_tokens"] = int(v)
        elif key == "rate":
            edits["workload.arrival_rate"] = float(v)
        else:
            field, cast = {"link": ("link_gb_per_s", float), "prefill": ("prefill_instances", int),
                           "decode": ("decode_instances", int), "colocated": ("instances", int),
                           "chunk": ("chunk_tokens", int), "chunked": ("chunked_prefill", bool),
                           "prefill_gpu": ("prefill_gpu", str), "decode_gpu": ("decode_gpu", str)}[key]
            for k in self._indices(field):
                edits[f"systems.{k}.{field}"] = cast(v)
        if edits:
            self.changed.emit(edits)

    def _precision_changed(self) -> None:
        weights, kv = self.precision.currentData().split("/")
        self.changed.emit({"model.weight_dtype": weights, "model.kv_dtype": kv})

    def refresh(self, scenario) -> None:
        """Show the scenario's values without sending edits back."""
        self.scenario = scenario
        boxes = (self.model, self.gpu, self.chunked, self.target, self.precision, *self.pool_gpus.values())
        for w in boxes:
            w.blockSignals(True)
        names = [tr("all systems")] + [tr("only {system}").format(system=s.name) for s in scenario.systems]
        if [self.target.itemText(i) for i in range(self.target.count())] != names:
            self.target.clear()
            self.target.addItem(tr("all systems"), None)
            for k, s in enumerate(scenario.systems):
                self.target.addItem(tr("only {system}").format(system=s.name), k)
        target = self.display.edit_target
        self.target.setCurrentIndex(0 if target is None or target >= len(scenario.systems) else target + 1)
        self.model.setCurrentIndex(self.model.findData(scenario.model.preset))
        self.gpu.setCurrentIndex(self.gpu.findData(scenario.hardware.gpu))
        m = scenario_specs(scenario)[0].model        # the resolved model, as every spec carries it
        dtypes = f"{'fp8' if m['weight_bytes'] <= 1 else 'bf16'}/{'fp8' if m['kv_bytes'] <= 1 else 'bf16'}"
        self.precision.setCurrentIndex(max(self.precision.findData(dtypes), 0))
        split = [scenario.systems[k].model_dump() for k in self._indices("prefill_instances")]
        for pool, box in self.pool_gpus.items():
            gpu = next((s[f"{pool}_gpu"] for s in split if s[f"{pool}_gpu"]), scenario.hardware.gpu)
            box.setCurrentIndex(box.findData(gpu))
            box.setEnabled(bool(split) and f"{pool}_gpu" not in (self.teacher.locked if self.teacher else []))
        wl = scenario.workload
        self.controls["prompt"].set_value(wl.prompt_tokens)
        self.controls["output"].set_value(wl.output_tokens)
        self.controls["rate"].set_value(wl.arrival_rate)
        dis = [scenario.systems[k] for k in self._indices("prefill_instances")]
        col = [scenario.systems[k] for k in self._indices("instances")]
        for keys, present, what in ((("link", "prefill", "decode"), dis, "disaggregated"),
                                    (("colocated", "chunk"), col, "colocated")):
            for key in keys:
                self.controls[key].setEnabled(bool(present))
                kind = {"disaggregated": tr("disaggregated"), "colocated": tr("colocated")}[what]
                self.controls[key].spin.setToolTip("" if present else tr("no {kind} system is being edited").format(kind=kind))
        self.chunked.setEnabled(bool(col))
        self.apply_teacher(scenario.teacher, self.revealed)
        if dis:
            self.controls["link"].set_value(dis[0].link_peak_gb_per_s)
            self.controls["prefill"].set_value(dis[0].prefill_instances)
            self.controls["decode"].set_value(dis[0].decode_instances)
        if col:
            self.controls["colocated"].set_value(col[0].instances)
            self.controls["chunk"].set_value(col[0].chunk_tokens)
            self.chunked.setChecked(col[0].chunked_prefill)
        for w in boxes:
            w.blockSignals(False)
