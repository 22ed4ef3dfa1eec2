"""Walking a lesson (Qt-free): which step is open, the guesses committed, and the scenario each
step shows. A step's settings apply to the lesson's scenario as loaded (not on top of the
previous step), so going back and forth always shows the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

from disagg_viz.i18n import _
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.scenario.teaching import LessonSection, LessonStep


@dataclass
class LessonWalk:
    base: object                               # the Scenario as loaded (with its lesson)
    index: int = 0
    guesses: dict[int, int] = field(default_factory=dict)
    # The lesson as its file has it, when ``base`` shows a translation (playback/lesson_translation):
    # the scenario a step shows (and a save writes) keeps the file's own texts.
    source_lesson: object = None

    @property
    def steps(self) -> list[LessonStep]:
        return self.base.lesson.steps

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def step(self) -> LessonStep | None:
        return self.steps[self.index] if self.steps else None

    def go(self, index: int) -> bool:
        """Open step ``index`` (clamped); True if it changed."""
        if not self.steps:
            return False
        new = min(max(index, 0), len(self.steps) - 1)
        changed = new != self.index
        self.index = new
        return changed

    def next(self) -> bool:
        return self.go(self.index + 1)

    def previous(self) -> bool:
        return self.go(self.index - 1)

    def scenario(self):
        """The scenario this step shows: the loaded one with the step's settings applied."""
        step = self.step
        bare = self.base.model_copy(update={"lesson": LessonSection()})
        shown = apply_overrides(bare, step.settings) if step is not None and step.settings else bare
        return shown.model_copy(update={"lesson": self.source_lesson or self.base.lesson})

    # --- predict, then reveal ------------------------------------------------------------------
    def needs_guess(self) -> bool:
        step = self.step
        return step is not None and bool(step.question) and self.index not in self.guesses

    def commit(self, choice: int) -> bool:
        """Commit a guess for the open step; returns whether it was right."""
        step = self.step
        if step is None or not step.question:
            raise ValueError("this step asks no question")
        if not 0 <= choice < len(step.choices):
            raise ValueError(f"choice must be 0 to {len(step.choices) - 1}")
        self.guesses.setdefault(self.index, choice)      # the first committed guess counts
        return self.guesses[self.index] == step.answer

    def revealed(self) -> bool:
        return not self.needs_guess()

    def hides_result(self) -> bool:
        step = self.step
        return step is not None and (step.veil_results or (step.reveal_result and self.needs_guess()))

    def shows_highlights(self) -> bool:
        """Highlights point at the answer: only once the guess is committed."""
        return not self.needs_guess()


def lesson_summary(walk: LessonWalk) -> str:
    """The lesson's goals, as a closing summary: only on the last step and once its guess (if it
    asks one) is in. Goals state the answers of the predict steps, so they never open a lesson."""
    goals = walk.base.lesson.goals
    if not goals or not walk.steps or walk.index + 1 != len(walk) or not walk.revealed():
        return ""
    return _("What this lesson showed:") + "\n" + "\n".join(f"• {g}" for g in goals)
