"""Connects the lesson panel to the window: a step's settings go to the controller (one
re-simulation), its highlights to the kitchens, charts and scoreboard, its playback marks to the
time cursor; results stay veiled until a guess is committed when the step asks for it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot

from disagg_viz.playback.lesson import LessonWalk


class LessonDriver(QObject):
    def __init__(self, window, panel):
        super().__init__(window)
        self.win = window
        self.panel = panel
        panel.stepOpened.connect(self._open)
        panel.guessCommitted.connect(self._guessed)

    def load(self, scenario) -> None:
        """A newly opened scenario: its lesson (if any) starts at step 1."""
        if scenario.lesson.steps:
            self.panel.set_walk(LessonWalk(scenario))
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

    @Slot(bool)
    def _guessed(self, _right: bool) -> None:
        self._decorate(self.panel.walk)

    def _apply(self, apply_settings: bool) -> None:
        walk = self.panel.walk
        step = walk.step
        win = self.win
        if apply_settings:
            scenario = walk.scenario()
            win.files.allow(scenario)        # a lesson step is not an unsaved change
            win.cursor.pause()
            win.queue_playback(step.start_at_s, step.play)
            if not win.controller.set_scenario(scenario, win.controller.path):
                win.run_queued_playback()    # nothing to wait for: same simulation
        win.cursor.stop_at = step.pause_at_s
        self._decorate(walk)

    def _decorate(self, walk: LessonWalk | None) -> None:
        step = walk.step if walk is not None and len(walk) else None
        parts = list(step.highlight) if step is not None else []
        self.win.show_highlights(parts)
        self.win.veil_results(walk is not None and walk.hides_result())
