"""Connects the lesson panel to the window: a step's settings go to the controller (one
re-simulation), its highlights to the kitchens, charts and scoreboard, its playback marks to the
time cursor; results stay veiled until a guess is committed when the step asks for it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot

from disagg_viz import i18n
from disagg_viz.playback.claims import ClaimError, check_metric_claim
from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.playback.lesson_translation import lesson_in
from disagg_viz.playback.moments import jump_time, system_by_ref
from disagg_viz.ui.language import tr


class LessonDriver(QObject):
    def __init__(self, window, panel):
        super().__init__(window)
        self.win = window
        self.panel = panel
        panel.stepOpened.connect(self._open)
        panel.guessCommitted.connect(self._guessed)
        panel.nextLessonRequested.connect(self._next_lesson)

    def load(self, scenario) -> None:
        """A newly opened scenario: its lesson (if any) starts at step 1."""
        if scenario.lesson.steps:
            lesson, problem = lesson_in(scenario, self.win.controller.path, i18n.language())
            if problem:
                self.win.statusBar().showMessage(tr("Lesson translation not used: {problem}").format(problem=problem), 10_000)
            shown = scenario.model_copy(update={"lesson": lesson})
            self.panel.set_walk(LessonWalk(shown, source_lesson=scenario.lesson if lesson is not scenario.lesson else None))
            self.win.lesson_dock.show()
            h = max(self.win.height(), 600)
            self.win.resizeDocks([self.win.lesson_dock, self.win.dock], [int(h * 0.45), int(h * 0.5)], Qt.Vertical)
            self._apply(apply_settings=True)
        else:
            self.panel.set_walk(None)
            self.win.lesson_dock.hide()          # no lesson: the kitchens get the room
            self._decorate(None)

    @Slot(int)
    def _open(self, _index: int) -> None:
        self._apply(apply_settings=True)

    @Slot(str)
    def _next_lesson(self, name: str) -> None:
        self.win.open_named_scenario(name)

    @Slot(bool)
    def _guessed(self, _right: bool) -> None:
        """The guess is in: unveil, point at the answer, and play the moment the step is about."""
        walk = self.panel.walk
        self._decorate(walk)
        step = walk.step
        result = self.win.controller.result
        if step.moment and result is not None:
            res = system_by_ref(result.systems, step.moment_system)
            t = jump_time(step.moment, res, result.slo_ttft_s, result.slo_tpot_s) if res is not None else None
            if t is not None:
                self.win.cursor.seek(t)
        if step.moment or step.play:
            self.win.cursor.play()

    def result_shown(self, summaries: list[dict], scenario) -> None:
        """A result is on screen: the step's texts take their numbers from it, and a step whose
        metric claims no longer hold (the user changed settings) says so."""
        walk = self.panel.walk
        if walk is None or not len(walk):
            return
        failing = []
        for claim in walk.step.claims:
            if claim.planner_gpus is not None:
                continue                     # planner claims are checked by check-lessons
            try:
                if not check_metric_claim(claim, summaries).holds:
                    failing.append(claim)
            except ClaimError:
                failing.append(claim)
        changed = scenario.simulated_part() != walk.scenario().simulated_part()
        self.panel.set_result(summaries, bool(failing), changed)

    def _apply(self, apply_settings: bool) -> None:
        walk = self.panel.walk
        step = walk.step
        win = self.win
        if apply_settings:
            scenario = walk.scenario()
            win.files.allow(scenario)        # a lesson step is not an unsaved change
            win.cursor.pause()
            # A step that asks first waits at its moment; it plays once the guess is in.
            win.queue_playback(step.start_at_s, step.play and not walk.needs_guess())
            if not win.controller.set_scenario(scenario, win.controller.path):
                win.run_queued_playback()    # nothing to wait for: same simulation
                self.result_shown(win.scoreboard.summaries, scenario)
        win.cursor.stop_at = step.pause_at_s
        self._decorate(walk)

    def _decorate(self, walk: LessonWalk | None) -> None:
        step = walk.step if walk is not None and len(walk) else None
        # Highlights point at the answer: only once the guess is committed.
        parts = list(step.highlight) if step is not None and walk.shows_highlights() else []
        self.win.display.set(highlights=parts, veiled=walk is not None and walk.hides_result())
        if self.win.controller.result is not None:     # marks point at moments: after the guess only
            self.win.mark_moments(self.win.controller.result)

