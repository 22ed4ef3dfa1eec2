"""A lesson as paper: a printable worksheet (each step's question, the kitchens as the step opens,
room to write) and a separate answer key (the answers, the reveals with this run's numbers, the
teacher's notes and the checked claims). Qt's own PDF writer; kitchens painted offscreen in the
light projector profile, veiled where the step veils them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from disagg_viz.playback.lesson_check import LessonChecker
from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.painter import W, KitchenPainter, min_height
from disagg_viz.ui.palette import PROJECTOR

DPI = 150


def kitchen_picture(scenario, t: float, veiled: bool, base_dir=None) -> QImage:
    """Every kitchen of the scenario at time t, stacked, as an image."""
    result = simulate_scenario(scenario, base_dir=base_dir)
    rows = max(pool.instances for r in result.systems for pool in r.spec.pools)
    h = min_height(rows)
    img = QImage(int(W), int(h * len(result.systems)), QImage.Format_RGB32)
    img.fill(Qt.white)
    p = QPainter(img)
    for k, res in enumerate(result.systems):
        painter = KitchenPainter(PROJECTOR, Vocabulary(scenario.view.vocabulary))
        painter.h = h
        painter.veiled = veiled
        snap = SnapshotBuilder(res, result.slo_ttft_s, result.slo_tpot_s).at(min(t, result.end_time))
        p.save()
        p.translate(0, k * h)
        title = f"{res.name}  ·  {res.gpus} GPU{'s' if res.gpus != 1 else ''}"
        painter.paint(p, snap, title, caption="" if veiled else "")
        p.restore()
    p.end()
    return img


class _Pages:
    """Text and pictures flowing down A4 pages."""

    def __init__(self, path: Path, title: str):
        self.writer = QPdfWriter(str(path))
        self.writer.setResolution(DPI)
        self.writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                              QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
        self.writer.setTitle(title)
        self.writer.setCreator("disagg-viz")
        self.p = QPainter(self.writer)
        rect = self.writer.pageLayout().paintRectPixels(DPI)
        self.w, self.h = rect.width(), rect.height()
        self.y = 0.0

    def text(self, s: str, size: float = 11.0, bold: bool = False, gap: float = 8.0) -> None:
        if not s:
            return
        f = QFont("DejaVu Sans")
        f.setPointSizeF(size)
        f.setBold(bold)
        self.p.setFont(f)
        flags = int(Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignTop)
        box = self.p.boundingRect(QRectF(0, 0, self.w, 10_000), flags, s)
        if self.y + box.height() > self.h:
            self.new_page()
        self.p.drawText(QRectF(0, self.y, self.w, box.height()), flags, s)
        self.y += box.height() + gap

    def picture(self, img: QImage, max_h_share: float = 0.5) -> None:
        scale = min(self.w / img.width(), self.h * max_h_share / img.height())
        w, h = img.width() * scale, img.height() * scale
        if self.y + h > self.h:
            self.new_page()
        self.p.drawImage(QRectF(0, self.y, w, h), img)
        self.y += h + 12

    def space(self, h: float) -> None:
        if self.y + h > self.h:
            self.new_page()
        else:
            self.y += h

    def new_page(self) -> None:
        self.writer.newPage()
        self.y = 0.0

    def close(self) -> None:
        self.p.end()


def write_worksheet(scenario, path: Path, base_dir=None) -> tuple[Path, Path]:
    """Write the worksheet at ``path`` and the answer key beside it (``...-answer-key.pdf``)."""
    path = Path(path)
    key_path = path.with_name(path.stem + "-answer-key.pdf")
    walk = LessonWalk(scenario)
    checker = LessonChecker(base_dir=base_dir)
    reports = checker.lesson(scenario)
    sheet, key = _Pages(path, f"{scenario.title}: worksheet"), _Pages(key_path, f"{scenario.title}: answer key")
    try:
        sheet.text(scenario.title, 16, True)
        sheet.text("Name: ______________________________    Date: ______________", 11, gap=14)
        key.text(f"{scenario.title}: answer key", 16, True)
        goals = scenario.lesson.goals
        if goals:                       # goals state the answers: the answer key only
            key.text("Learning goals:\n" + "\n".join(f"• {g}" for g in goals), 11, gap=14)
        for rep in reports:
            walk.go(rep.index)
            step = walk.step
            head = f"Step {rep.index + 1} of {len(walk)}: {step.title}"
            sheet.text(head, 13, True)
            sheet.text(rep.texts.get("text", ""), 11)
            veiled = bool(step.question and step.reveal_result) or step.veil_results
            sheet.picture(kitchen_picture(walk.scenario(), step.start_at_s or 0.0, veiled, base_dir))
            if step.question:
                sheet.text(step.question, 11, True)
                sheet.text("\n".join(f"☐  {c}" for c in step.choices), 11)
                sheet.text("Why? ____________________________________________________________", 11, gap=24)
            key.text(head, 13, True)
            if step.question:
                key.text(f"Q: {step.question}\nA: {step.choices[step.answer]}", 11, True)
            key.text(rep.texts.get("reveal", ""), 11)
            if step.teacher_note:
                key.text(f"Teacher's note: {step.teacher_note}", 10)
            if rep.verdicts:
                key.text("Checked in this run:\n" + "\n".join(f"{'✓' if v.holds else '✗'} {v.says}"
                                                              for v in rep.verdicts), 9, gap=14)
            sheet.space(10)
    finally:
        sheet.close()
        key.close()
    return path, key_path
