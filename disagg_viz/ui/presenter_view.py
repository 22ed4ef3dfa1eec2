"""The presenter view (View > Presenter View, F6): a second window for the teacher's own screen
while the projector shows only the class view. It shows the step with its question and numbered
choices, the answer and the reveal with this run's numbers (before the class guesses), the
teacher's note, the next step, and a clock (time since the view opened, and the time of day).
Previous / Next and the keys 1-4 (here, and on the main window while presenting) commit the
class's guess; a clicker's PgDown / PgUp move the lesson from either window."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from disagg_viz.playback.lesson import lesson_summary

CLOCK_MS = 1000


def _label(name: str, size: int = 16, plain: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.PlainText if plain else Qt.RichText)
    label.setAccessibleName(name)
    label.setStyleSheet(f"font-size: {size}px;")
    return label


class PresenterView(QWidget):
    def __init__(self, lesson, parent=None):
        """``lesson``: the window's lesson panel (its walk, texts and navigation)."""
        super().__init__(parent, Qt.Window)
        self.lesson = lesson
        self.setWindowTitle("Presenter view")
        self.setObjectName("presenter-view")
        self.started = time.monotonic()
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.step = _label("presenter step", 20)
        self.clock = _label("presenter clock", 28)
        self.clock.setAlignment(Qt.AlignRight | Qt.AlignTop)
        self.clock.setMinimumWidth(260)
        top.addWidget(self.step, 1)
        top.addWidget(self.clock)
        lay.addLayout(top)
        self.question = _label("presenter question")
        self.guess = _label("class guess")
        self.answer = _label("presenter answer")
        self.note = _label("teacher's note")
        self.upcoming = _label("next step", 14)
        for w in (self.question, self.guess, self.answer, self.note, self.upcoming):
            lay.addWidget(w)
        lay.addStretch(1)
        nav = QHBoxLayout()
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setAccessibleName("presenter previous step")
        self.prev_button.clicked.connect(lesson.previous)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setAccessibleName("presenter next step")
        self.next_button.clicked.connect(lesson.next)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        lay.addLayout(nav)
        for key, slot in (("PgDown", lesson.next), ("Right", lesson.next), ("PgUp", lesson.previous),
                          ("Left", lesson.previous)):
            QShortcut(QKeySequence(key), self, slot)
        for k in range(4):
            QShortcut(QKeySequence(str(k + 1)), self, lambda k=k: lesson.guess(k))
        lesson.stepOpened.connect(self.refresh)
        lesson.guessCommitted.connect(self.refresh)
        lesson.closingShown.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(CLOCK_MS)
        self.timer.timeout.connect(self.tick)
        self.resize(760, 560)
        self.refresh()

    def showEvent(self, event) -> None:
        self.timer.start()
        self.tick()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self.timer.stop()
        super().hideEvent(event)

    @Slot()
    def tick(self) -> None:
        """The clock, and the texts again (their numbers arrive when the step's run is done)."""
        elapsed = int(time.monotonic() - self.started)
        self.clock.setText(f"{elapsed // 3600:d}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}  ·  "
                           f"{time.strftime('%H:%M')}")
        self.refresh()

    @Slot()
    def refresh(self, *_args) -> None:
        lesson = self.lesson
        walk = lesson.walk
        if not lesson.active:
            self.step.setText("No lesson in this scenario")
            for w in (self.question, self.guess, self.answer, self.note, self.upcoming):
                w.setText("")
            return
        step, k, n = walk.step, walk.index, len(walk)
        self.step.setText(f"Step {k + 1} of {n}: {step.title}")
        if step.question:
            self.question.setText(step.question + "\n" + "\n".join(
                f"  {i + 1}. {c}" for i, c in enumerate(step.choices)))
            guessed = walk.guesses.get(k)
            self.guess.setText(f"Class's guess: waiting (keys 1-{min(len(step.choices), 4)} commit one)"
                               if guessed is None else
                               f"Class's guess: {guessed + 1}. {step.choices[guessed]} "
                               f"({'right' if guessed == step.answer else 'wrong'})")
            answer = f"Answer: {step.answer + 1}. {step.choices[step.answer]}"
        else:
            self.question.setText(lesson.text.text())
            self.guess.setText("")
            answer = ""
        reveal = lesson._render(step.reveal) if step.reveal else ""
        self.answer.setText("\n".join(t for t in (answer, reveal) if t))
        self.note.setText(f"Teacher's note: {step.teacher_note}" if step.teacher_note else "")
        if k + 1 < n:
            nxt = walk.steps[k + 1]
            self.upcoming.setText(f"Next: step {k + 2}, {nxt.title}" + (f" ({nxt.question})" if nxt.question else ""))
        else:
            nl = walk.base.lesson.next_lesson
            goals = "" if lesson.closing else "; Next shows the lesson's goals" if lesson_summary(walk) else ""
            self.upcoming.setText(("The class sees the lesson's goals" if lesson.closing else "Last step") + goals
                                  + (f"; next lesson: {nl}" if nl else ""))
        for w in (self.question, self.guess, self.answer, self.note, self.upcoming):
            w.setVisible(bool(w.text()))
        self.prev_button.setEnabled(k > 0)
        self.next_button.setEnabled(lesson.next_button.isEnabled())
