"""A lesson as paper: a printable worksheet (each step's question, the kitchens at the step's moment,
room to write) and a separate answer key (the answers, the reveals with this run's numbers, the
teacher's notes and the checked claims). Qt's own PDF writer; the kitchens are the compact ones
(presentation mode's, text at least 18 px on a picture printed at most PICTURE_PX wide, so >= 8 pt
on A4), painted offscreen in the light projector profile and always veiled on the worksheet: a
paused station, a queue or a starred number would answer a question. A heading stays with what
follows it; sentences that only make sense on screen (sliders, keys) are left off the paper."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from disagg_viz.playback.lesson_check import LessonChecker
from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.playback.moments import moment, system_by_ref
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.compact import MIN_PX, TITLE_PX, CompactPainter
from disagg_viz.ui.palette import PROJECTOR
from disagg_viz.ui.language import tr

DPI = 150
PICTURE_PX = 900         # a picture's width in pixels: 180 mm of A4 / 900 px x 18 px = 10 pt text
# Sentences of a step's text that only make sense on screen.
# (Paper always hides the results: "The results stay hidden until..." is the screen's veil.)
SCREEN_ONLY = re.compile(r"slider|\bPress\b|\bEsc\b|presentation mode|^In the app\b|\bstays? hidden\b", re.I)


def paper_text(text: str) -> str:
    """The text without its screen-only sentences (which slider to drag, which key to press)."""
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    return " ".join(s for s in sentences if not SCREEN_ONLY.search(s))


def step_time(step, result) -> float:
    """The moment a step is about: a question's picture is what the class sees before its guess
    (where the step opens: its moment is the answer, e.g. the 25 GbE kitchen still plating
    while the others are idle), else its own moment (found in its system), else where it
    opens, else a third of the run (never t = 0 with empty kitchens)."""
    if step.question and step.start_at_s:
        return min(step.start_at_s, result.end_time)
    if step.moment:
        res = system_by_ref(result.systems, step.moment_system)
        t = moment(step.moment, res, result.slo_ttft_s, result.slo_tpot_s) if res is not None else None
        if t is not None:
            return t
    if step.start_at_s:
        return min(step.start_at_s, result.end_time)
    return result.end_time / 3


def kitchen_picture(scenario, step, veiled: bool = True, base_dir=None, result=None) -> QImage:
    """Every kitchen of the step's scenario at the step's moment, stacked: the compact (presentation)
    kitchens, PICTURE_PX wide, veiled unless asked otherwise (``result``: its run, if done)."""
    result = result if result is not None else simulate_scenario(scenario, base_dir=base_dir)
    t = step_time(step, result) if step is not None else result.end_time / 3
    rows = max(pool.instances for r in result.systems for pool in r.spec.pools)
    h = TITLE_PX * 1.4 + min(max(rows, 3), 4) * (MIN_PX * 1.35 + 8) + 2 * MIN_PX * 1.35 + 12
    img = QImage(PICTURE_PX, int(h * len(result.systems)), QImage.Format_RGB32)
    img.fill(Qt.white)
    p = QPainter(img)
    for k, res in enumerate(result.systems):
        painter = CompactPainter(PROJECTOR, Vocabulary(scenario.view.vocabulary))
        painter.w, painter.h, painter.veiled = float(PICTURE_PX), h - 6, veiled
        snap = SnapshotBuilder(res, result.slo_ttft_s, result.slo_tpot_s).at(t)
        p.save()
        p.translate(0, k * h)
        gpus = tr("1 GPU") if res.gpus == 1 else tr("{n} GPUs").format(n=res.gpus)
        title = res.name if gpus in res.name else f"{res.name}  ·  {gpus}"     # as on screen: never "4 GPUs · 4 GPUs"
        painter.paint(p, snap, title)
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
        self.page = 1

    def _font(self, size: float, bold: bool) -> None:
        f = QFont("DejaVu Sans")
        f.setPointSizeF(size)
        f.setBold(bold)
        self.p.setFont(f)

    def text_height(self, s: str, size: float = 11.0, bold: bool = False, gap: float = 8.0) -> float:
        if not s:
            return 0.0
        self._font(size, bold)
        flags = int(Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignTop)
        return self.p.boundingRect(QRectF(0, 0, self.w, 10_000), flags, s).height() + gap

    def text(self, s: str, size: float = 11.0, bold: bool = False, gap: float = 8.0) -> None:
        if not s:
            return
        self._font(size, bold)
        flags = int(Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignTop)
        box = self.p.boundingRect(QRectF(0, 0, self.w, 10_000), flags, s)
        if self.y + box.height() > self.h:
            self.new_page()
        self.p.drawText(QRectF(0, self.y, self.w, box.height()), flags, s)
        self.y += box.height() + gap

    def picture_size(self, img: QImage, max_h_share: float = 0.55) -> tuple[float, float]:
        scale = min(self.w / img.width(), self.h * max_h_share / img.height())
        return img.width() * scale, img.height() * scale

    def picture(self, img: QImage, max_h_share: float = 0.55) -> None:
        w, h = self.picture_size(img, max_h_share)
        if self.y + h > self.h:
            self.new_page()
        self.p.drawImage(QRectF(0, self.y, w, h), img)
        self.y += h + 12

    def keep(self, h: float) -> None:
        """Start a new page unless ``h`` more fits on this one (a heading keeps its block)."""
        if self.y > 0 and self.y + min(h, self.h) > self.h:
            self.new_page()

    def space(self, h: float) -> None:
        if self.y + h > self.h:
            self.new_page()
        else:
            self.y += h

    def new_page(self) -> None:
        self.writer.newPage()
        self.y = 0.0
        self.page += 1

    def close(self) -> None:
        self.p.end()


def write_worksheet(scenario, path: Path, base_dir=None, checked=None) -> tuple[Path, Path]:
    """Write the worksheet at ``path`` and the answer key beside it (``...-answer-key.pdf``).
    ``checked``: (LessonChecker, reports) from a worker (the app checks the lesson off the GUI
    thread: the runs and planner claims take seconds to minutes); without it they are run here."""
    path = Path(path)
    key_path = path.with_name(path.stem + "-answer-key.pdf")
    walk = LessonWalk(scenario)
    if checked is None:
        checker = LessonChecker(base_dir=base_dir)
        checked = checker, checker.lesson(scenario)
    checker, reports = checked
    sheet = _Pages(path, tr("{title}: worksheet").format(title=scenario.title))
    key = _Pages(key_path, tr("{title}: answer key").format(title=scenario.title))
    try:
        sheet.text(scenario.title, 16, True)
        sheet.text(tr("Name: ______________________________    Date: ______________"), 11, gap=14)
        key.text(tr("{title}: answer key").format(title=scenario.title), 16, True)
        goals = scenario.lesson.goals
        if goals:                       # goals state the answers: the answer key only
            key.text(tr("Learning goals:") + "\n" + "\n".join(f"• {g}" for g in goals), 11, gap=14)
        for rep in reports:
            walk.go(rep.index)
            step = walk.step
            head = tr("Step {number} of {count}").format(number=rep.index + 1, count=len(walk)) + f": {step.title}"
            text = paper_text(rep.texts.get("text", ""))
            picture = kitchen_picture(walk.scenario(), step, True, base_dir, checker.result(walk.scenario()))
            choices = "\n".join(f"☐  {c}" for c in step.choices)
            why = tr("Why? ____________________________________________________________")
            sheet.keep(sheet.text_height(head, 13, True) + sheet.text_height(text) + sheet.picture_size(picture)[1]
                       + 12 + (sheet.text_height(step.question, 11, True) + sheet.text_height(choices)
                               + sheet.text_height(why, gap=24) if step.question else 0.0))
            sheet.text(head, 13, True)
            sheet.text(text, 11)
            sheet.picture(picture)
            if step.question:
                sheet.text(step.question, 11, True)
                sheet.text(choices, 11)
                sheet.text(why, 11, gap=24)
            key.keep(key.text_height(head, 13, True) + 120)
            key.text(head, 13, True)
            if step.question:
                key.text(tr("Q: {question}\nA: {answer}").format(question=step.question, answer=step.choices[step.answer]), 11, True)
            key.text(rep.texts.get("reveal", ""), 11)
            if step.teacher_note:
                key.text(tr("Teacher's note: {note}").format(note=step.teacher_note), 10)
            if rep.verdicts:
                key.text(tr("Checked in this run:") + "\n" + "\n".join(f"{'✓' if v.holds else '✗'} {v.says}"
                                                              for v in rep.verdicts), 9, gap=14)
            sheet.space(10)
    finally:
        sheet.close()
        key.close()
    return path, key_path
