"""The parts of a scenario file that are about showing, not simulating: the view (playback speed,
label vocabulary, start time), teacher controls (hidden, locked and mystery controls) and a guided
lesson (``[[lesson.steps]]``). Changing them never re-runs the simulation."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The app's controls, by id (the same ids the controls panel uses).
CONTROL_IDS = ("model", "gpu", "prompt", "output", "rate", "link", "prefill", "decode", "colocated",
               "chunked", "chunk")
ControlId = Literal[CONTROL_IDS]  # type: ignore[valid-type]
# Controls whose value can be a mystery (shown as "?" until revealed).
MysteryId = Literal["prompt", "output", "rate", "link", "prefill", "decode", "colocated", "chunk"]

HIGHLIGHTS = (
    "kitchen.rail", "kitchen.prep", "kitchen.pass", "kitchen.plating", "kitchen.served", "kitchen.stall",
    "chart.queue", "chart.util", "chart.link", "chart.ttft", "chart.tpot",
    "scoreboard.ttft_p50", "scoreboard.ttft_p90", "scoreboard.tpot_p50", "scoreboard.tpot_p90",
    "scoreboard.stall", "scoreboard.attainment", "scoreboard.throughput", "scoreboard.kv_shipped",
)
HighlightId = Literal[HIGHLIGHTS]  # type: ignore[valid-type]
SettingValue = Union[bool, int, float, str]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


class ViewSection(_Section):
    speed: Literal["slow", "normal", "fast"] = Field("normal", description="playback speed")
    vocabulary: Literal["kitchen", "serving"] = Field("kitchen", description="label words: kitchen or serving terms")
    time_s: float = Field(0.0, ge=0, le=1e7, description="simulated time the playback starts at")


class TeacherSection(_Section):
    hidden: list[ControlId] = Field(default_factory=list, description="controls not shown")
    locked: list[ControlId] = Field(default_factory=list, description="controls shown but not changeable")
    mystery: list[MysteryId] = Field(default_factory=list, description="controls whose value shows as '?' "
                                                                          "until revealed (View > Reveal mystery values)")


class LessonStep(_Section):
    title: str = Field(..., min_length=1, max_length=120)
    text: str = Field("", max_length=4000)
    question: str = Field("", max_length=1000, description="asked before the reveal (optional)")
    choices: list[str] = Field(default_factory=list, max_length=6)
    answer: Optional[int] = Field(None, ge=0, le=5, description="index of the right choice (0 = first)")
    reveal: str = Field("", max_length=4000, description="shown once a guess is committed")
    reveal_result: bool = Field(False, description="hide the scoreboard and charts until the guess is committed")
    settings: dict[str, SettingValue] = Field(default_factory=dict,
                                              description="dotted keys applied at this step (as for --set)")
    highlight: list[HighlightId] = Field(default_factory=list)
    start_at_s: Optional[float] = Field(None, ge=0, le=1e7, description="seek here when the step opens")
    pause_at_s: Optional[float] = Field(None, ge=0, le=1e7, description="playback pauses here")
    play: bool = Field(False, description="start playing when the step opens")

    @model_validator(mode="after")
    def _question_is_answerable(self):
        if self.question:
            if len(self.choices) < 2:
                raise ValueError("a question needs at least two `choices`")
            if self.answer is None or self.answer >= len(self.choices):
                raise ValueError(f"`answer` must be the index of one of the {len(self.choices)} choices (0 = first)")
        elif self.choices or self.answer is not None:
            raise ValueError("`choices` and `answer` need a `question`")
        return self


class LessonSection(_Section):
    steps: list[LessonStep] = Field(default_factory=list, max_length=50)
