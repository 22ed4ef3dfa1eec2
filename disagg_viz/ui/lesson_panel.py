"""The lesson panel: the open step's title and text; with a question, the choices and a Commit
button, and the reveal (whether the guess was right, and why) only after a guess is committed.
Previous / Next, a step picker to jump, and progress."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget,
)

from disagg_viz.playback.claims import ClaimError, render
from disagg_viz.playback.lesson import LessonWalk, lesson_summary
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import escaped, tooltip


def _wrapping_label(accessible_name: str, plain: bool = False) -> QLabel:
    """A word-wrapping label; ``plain``: the text is shown as written (author text, never HTML)."""
    label = QLabel()
    label.setWordWrap(True)
    if plain:
        label.setTextFormat(Qt.PlainText)
    label.setAccessibleName(accessible_name)
    return label


class ChoiceRow(QWidget):
    """A radio button whose text wraps (a click on the text selects it too)."""

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.button = QRadioButton()
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        lay.addWidget(self.button, 0, Qt.AlignTop)
        lay.addWidget(self.label, 1)

    def mousePressEvent(self, event) -> None:
        if self.button.isEnabled():
            self.button.setChecked(True)
        super().mousePressEvent(event)


class LessonPanel(QWidget):
    stepOpened = Signal(int)          # the walk moved to this step (apply its settings)
    guessCommitted = Signal(bool)     # right?
    nextLessonRequested = Signal(str) # open this lesson (a shipped scenario's name)
    closingShown = Signal(bool)       # the closing page (the goals) opened / closed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.walk: LessonWalk | None = None
        self.setAccessibleName(tr("lesson"))
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.progress = QLabel()
        self.progress.setAccessibleName(tr("lesson progress"))
        self.picker = QComboBox()
        self.picker.setAccessibleName(tr("jump to lesson step"))
        # the step titles are long: the panel must still fit a projector's narrow side column
        self.picker.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(10)
        self.picker.activated.connect(lambda k: self.go(k))
        top.addWidget(self.progress)
        top.addWidget(self.picker, 1)
        lay.addLayout(top)
        # Long texts scroll instead of being squeezed (big fonts on a projector).
        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 6, 0)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setAccessibleName(tr("lesson step"))
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        lay.addWidget(scroll, 1)
        self.title = _wrapping_label(tr("step title"))
        self.text = _wrapping_label(tr("step text"), plain=True)
        self.question = _wrapping_label(tr("question"))
        body.addWidget(self.title)
        body.addWidget(self.text)
        body.addWidget(self.question)
        self.choice_box = QVBoxLayout()
        body.addLayout(self.choice_box)
        self.choices = QButtonGroup(self)
        self.commit = QPushButton(tr("Commit my guess"))
        self.commit.setAccessibleName(tr("commit guess"))
        self.commit.clicked.connect(self._commit)
        body.addWidget(self.commit)
        self.verdict = _wrapping_label(tr("verdict"))
        self.reveal = _wrapping_label(tr("reveal"), plain=True)
        body.addWidget(self.verdict)
        body.addWidget(self.reveal)
        body.addStretch(1)
        nav = QHBoxLayout()
        self.prev_button = QPushButton(tr("◀ Previous"))
        self.next_button = QPushButton(tr("Next ▶"))
        self.prev_button.setAccessibleName(tr("previous step"))
        self.next_button.setAccessibleName(tr("next step"))
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.next_button)
        lay.addLayout(nav)
        self.warning = _wrapping_label(tr("claims warning"))
        self.warning.setText(tr("⚠ With your settings this step's point may not hold: "
                             "Reset this step to see the run it describes."))
        self.warning.setStyleSheet("color: #E69F00; font-weight: bold;")
        lay.insertWidget(1, self.warning)
        extra = QHBoxLayout()
        self.reset_button = QPushButton(tr("↺ Reset this step"))
        self.reset_button.setAccessibleName(tr("reset this step"))
        self.reset_button.setToolTip(tr("Apply this step's settings again (undo your slider changes)"))
        self.reset_button.clicked.connect(self.reset_step)
        self.next_lesson_button = QPushButton()
        self.next_lesson_button.setAccessibleName(tr("next lesson"))
        self.next_lesson_button.clicked.connect(
            lambda: self.nextLessonRequested.emit(self.walk.base.lesson.next_lesson))
        extra.addWidget(self.reset_button)
        lay.addLayout(extra)
        lay.addWidget(self.next_lesson_button)    # a row of its own: beside Reset (in Spanish) it widened the panel
        self.summaries: list[dict] | None = None
        self.closing = False              # the closing page (the lesson's goals) is open
        self.presenting = False           # the step picker steps aside (its title cut, the step's below)
        self.set_walk(None)

    # --- the run the step shows ---------------------------------------------------------------
    def set_result(self, summaries: list[dict] | None, claims_fail: bool = False, changed: bool = False) -> None:
        """Numbers for the step's texts, and whether the step's claims fail with the user's settings."""
        self.summaries = summaries
        self.warning.setVisible(self.active and claims_fail and changed)
        if self.active:
            self._show_texts()

    def _render(self, text: str) -> str:
        try:
            return render(text, self.summaries)
        except ClaimError:        # the user's settings renamed or removed a system the text names
            return render(text, None)

    def set_presenting(self, on: bool) -> None:
        """Presenting: the class sees the step's title in full under the progress; the picker's
        copy of it was cut ("3. Predict: output per") in a projector's narrow column. The
        clicker's keys and Previous / Next move through the steps."""
        self.presenting = on
        if self.active and not self.closing:
            self.picker.setVisible(not on)

    def reset_step(self) -> None:
        if self.active:
            self.stepOpened.emit(self.walk.index)

    # --- navigation ---------------------------------------------------------------------------
    def set_walk(self, walk: LessonWalk | None) -> None:
        self.walk = walk
        self.closing = False
        self.picker.clear()
        if walk is not None:
            for k, step in enumerate(walk.steps):
                self.picker.addItem(f"{k + 1}. {step.title}")
        self._show()

    @property
    def active(self) -> bool:
        return self.walk is not None and len(self.walk) > 0

    def go(self, index: int) -> None:
        if not self.active:
            return
        self.walk.go(index)
        self.closing = False
        self.summaries = None             # the step's own run replaces the last one
        self.warning.hide()
        self._show()
        self.scroll.verticalScrollBar().setValue(0)      # a new step reads from its top
        self.stepOpened.emit(self.walk.index)

    def next(self) -> None:
        if self.active and self.walk.index + 1 < len(self.walk):
            self.go(self.walk.index + 1)
        elif self.active and not self.closing and lesson_summary(self.walk):
            self.closing = True           # after the last step: the goals on a page of their own
            self._show()
            self.scroll.verticalScrollBar().setValue(0)
            self.closingShown.emit(True)

    def previous(self) -> None:
        if self.closing:
            self.closing = False
            self._show()
            self.closingShown.emit(False)
        elif self.active and self.walk.index > 0:
            self.go(self.walk.index - 1)

    # --- predict, then reveal -----------------------------------------------------------------
    def choose(self, k: int) -> None:
        button = self.choices.button(k)
        if button is not None:
            button.setChecked(True)

    def guess(self, k: int) -> None:
        """Commit choice k (0 = first) as the class's guess, if the step still waits for one
        (the keys 1-4 and a clicker's buttons)."""
        if self.active and self.walk.needs_guess() and 0 <= k < len(self.walk.step.choices):
            self.choose(k)
            self._commit()

    def _commit(self) -> None:
        k = self.choices.checkedId()
        if k < 0:
            self.verdict.setText(tr("Pick an answer first: a guess, even a wrong one, is what makes it stick."))
            return
        right = self.walk.commit(k)
        self._show()
        self.guessCommitted.emit(right)
        QTimer.singleShot(0, self._scroll_to_answer)      # once the reveal has its height

    @Slot()
    def _scroll_to_answer(self) -> None:
        """After the guess, a step too long for the panel (lesson 8's last at 1024x768) scrolls
        to the question, the verdict and the reveal: the reveal's end in view, the verdict at
        the latest at the top (it read the step's opening while the answer was out of sight)."""
        bar = self.scroll.verticalScrollBar()
        bottom = self.reveal.geometry().bottom() if self.reveal.isVisible() else self.verdict.geometry().bottom()
        target = min(self.verdict.y(), max(self.question.y(), bottom + 6 - self.scroll.viewport().height()))
        bar.setValue(max(0, min(bar.maximum(), target)))

    def _show(self) -> None:
        for b in self.choices.buttons():
            self.choices.removeButton(b)
        while self.choice_box.count():
            row = self.choice_box.takeAt(0).widget()
            if row is not None:
                row.hide()
                row.deleteLater()
        if not self.active:
            self.progress.setText("")
            self.title.setText(tr("<b>No lesson in this scenario</b>"))
            self.text.setText(tr("Lessons come in scenario files ([[lesson.steps]]): open one from File > Scenarios."))
            for w in (self.question, self.commit, self.verdict, self.reveal, self.prev_button, self.next_button,
                      self.picker, self.warning, self.reset_button, self.next_lesson_button):
                w.setVisible(False)
            return
        walk, step = self.walk, self.walk.step
        if self.closing:
            self._show_closing()
            return
        self.picker.setVisible(not self.presenting)
        self.picker.setCurrentIndex(walk.index)
        self.progress.setText(tr("Step {number} of {count}").format(number=walk.index + 1, count=len(walk)))
        self.title.setText(f"<b>{escaped(step.title)}</b>")               # file text: escaped (plain_text.py)
        self.title.setToolTip(tooltip(tr("For the teacher: {note}").format(note=step.teacher_note))
                              if step.teacher_note else "")
        self.text.setVisible(bool(step.text))
        asked = bool(step.question)
        self.question.setVisible(asked)
        self.question.setText(tr("<b>Your guess:</b> {question}").format(question=escaped(step.question)))
        guessed = walk.guesses.get(walk.index)
        for k, choice in enumerate(step.choices if asked else []):
            row = ChoiceRow(choice if guessed is None or k != step.answer else "✓ " + choice)
            b = row.button
            b.setAccessibleName(tr("choice {number}: {choice}").format(number=k + 1, choice=choice))
            self.choices.addButton(b, k)
            self.choice_box.addWidget(row)
            if guessed is not None:
                b.setChecked(k == guessed)
                b.setEnabled(False)
                row.setVisible(False)           # the verdict names the answer: the reveal gets the room
        self.commit.setVisible(asked and guessed is None)
        revealed = walk.revealed()
        self.verdict.setVisible(asked)
        if asked and guessed is not None:
            right = guessed == step.answer
            self.verdict.setText(tr("<b>✓ Right:</b> “{answer}”.").format(answer=escaped(step.choices[step.answer]))
                                 if right else
                                 tr("<b>✗ Not quite:</b> your guess was “{guess}”; the answer is “{answer}”.").format(
                                     guess=escaped(step.choices[guessed]), answer=escaped(step.choices[step.answer])))
        elif asked:
            self.verdict.setText(
                                 tr("Commit a guess to see the answer and the results.") if step.reveal_result else tr("Commit a guess to see the answer."))
        self.reveal.setVisible(revealed and bool(step.reveal))
        self._show_texts()
        self.reset_button.setVisible(True)
        last = walk.index + 1 == len(walk)
        nxt = walk.base.lesson.next_lesson
        self.next_lesson_button.setVisible(last and bool(nxt))
        self.next_lesson_button.setText(tr("Next lesson ▶"))      # short: a long name widened the panel
        self.next_lesson_button.setToolTip(tooltip(tr("Open the next lesson: {name}").format(name=nxt)))
        self.next_lesson_button.setAccessibleDescription(tr("opens {name}").format(name=nxt))
        self.prev_button.setVisible(True)
        self.next_button.setVisible(True)
        self.prev_button.setEnabled(walk.index > 0)
        self.next_button.setEnabled(walk.index + 1 < len(walk) or bool(lesson_summary(walk)))

    def _show_closing(self) -> None:
        """The page after the last step: what the lesson showed (its goals state the answers, so
        it opens only once the last guess is in), on its own so that it fits a projector."""
        lines = lesson_summary(self.walk).split("\n")
        self.title.setText(f"<b>{escaped(lines[0].rstrip(':'))}</b>")
        self.title.setToolTip("")
        self.text.setText("\n".join(lines[1:]))
        self.text.setVisible(True)
        for w in (self.question, self.commit, self.verdict, self.reveal, self.warning):
            w.setVisible(False)
        self.next_lesson_button.setVisible(bool(self.walk.base.lesson.next_lesson))
        self.prev_button.setEnabled(True)
        self.next_button.setEnabled(False)

    def _show_texts(self) -> None:
        """The step's text and, once revealed, the reveal, with their numbers from the run on
        screen (the lesson's goals have a page of their own after the last step: Next)."""
        if self.closing:
            return
        walk, step = self.walk, self.walk.step
        self.text.setText(self._render(step.text))
        self.reveal.setText(self._render(step.reveal) if walk.revealed() else "")
