"""The parts of a scenario file that are about showing, not simulating: the view (playback speed,
label vocabulary, start time), teacher controls (hidden, locked and mystery controls) and a guided
lesson (``[[lesson.steps]]``). Changing them never re-runs the simulation."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from disagg_viz.metric_ids import HIGHLIGHT_ALIASES, SCOREBOARD_ROWS, SUMMARY_METRICS

# The app's controls, by id (the same ids the controls panel uses).
CONTROL_IDS = ("model", "gpu", "prompt", "output", "rate", "link", "prefill", "decode", "colocated",
               "chunked", "chunk", "precision", "prefill_gpu", "decode_gpu")
ControlId = Literal[CONTROL_IDS]  # type: ignore[valid-type]
# Controls whose value can be a mystery (shown as "?" until revealed).
MysteryId = Literal["prompt", "output", "rate", "link", "prefill", "decode", "colocated", "chunk"]

# What a lesson step can point at: kitchen parts, charts and scoreboard rows (by metric id,
# metric_ids.py), and the older spellings still read from files (HIGHLIGHT_ALIASES).
HIGHLIGHTS = (
    "kitchen.rail", "kitchen.prep", "kitchen.pass", "kitchen.plating", "kitchen.served", "kitchen.stall",
    "chart.queue", "chart.util", "chart.link", "chart.ttft", "chart.tpot",
    *(f"scoreboard.{m}" for m in SCOREBOARD_ROWS),
)
HighlightId = Literal[HIGHLIGHTS + tuple(HIGHLIGHT_ALIASES)]  # type: ignore[valid-type]
# Metric ids a claim or a text placeholder can name: those of a run's summary (metric_ids.py).
MetricId = Literal[SUMMARY_METRICS]  # type: ignore[valid-type]
# Moments of a run a step can jump to once the guess is committed (playback/moments.py).
MOMENTS = ("longest_stall", "tray_queue_peak", "first_slo_miss", "queue_peak", "first_fault")
MomentId = Literal[MOMENTS]  # type: ignore[valid-type]
SettingValue = Union[bool, int, float, str]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


class ViewSection(_Section):
    speed: Literal["slow", "normal", "fast"] = Field("normal", description="playback speed")
    vocabulary: Literal["kitchen", "serving", "kubernetes"] = Field(
        "kitchen", description="label words: kitchen, serving or Kubernetes terms")
    time_s: float = Field(0.0, ge=0, le=1e7, description="simulated time the playback starts at")


class TeacherSection(_Section):
    # Lists are bounded (each id at most once): 100,000 bad items would be 100,000 problems.
    hidden: list[ControlId] = Field(default_factory=list, max_length=len(CONTROL_IDS), description="controls not shown")
    locked: list[ControlId] = Field(default_factory=list, max_length=len(CONTROL_IDS),
                                    description="controls shown but not changeable")
    mystery: list[MysteryId] = Field(default_factory=list, max_length=8, description="controls whose value shows as '?' "
                                                                          "until revealed (View > Reveal mystery values)")


class Claim(_Section):
    """Something a step says about its own simulation, checked by ``disagg-viz check-lessons`` and
    by the app. Either a metric claim (``metric`` of ``system`` compared by ``op`` with ``value``,
    or with ``factor`` x the same metric of system ``than``) or a planner claim (the planner's best
    layout of ``planner_gpus`` GPUs for this traffic is ``best``). Systems are named as the step
    shows them, or as "#1", "#2"... (1 = first)."""
    metric: Optional[MetricId] = Field(None, description="metric id (docs/scenario-format.md, Lesson claims)")
    system: Optional[str] = Field(None, max_length=80, description='system name, or "#1" for the first')
    op: Optional[Literal["<", "<=", ">", ">="]] = None
    value: Optional[float] = Field(None, ge=-1e12, le=1e12, description="in the metric's unit (ms, %, GB...)")
    than: Optional[str] = Field(None, max_length=80, description="compare with this system's value instead")
    factor: float = Field(1.0, gt=0, le=1e6, description="with `than`: compare with factor x its value")
    planner_gpus: Optional[int] = Field(None, ge=2, le=16, description="planner claim: this many GPUs (a claim "
                                        "checks the planner's whole comparison, so at most 16)")
    best: Optional[Literal["colocated", "disaggregated"]] = Field(None, description="planner claim: the kind "
                                                                    "of the best layout")

    @model_validator(mode="after")
    def _one_form(self):
        metric = (self.metric, self.system, self.op)
        if self.planner_gpus is not None or self.best is not None:
            if self.planner_gpus is None or self.best is None or any(x is not None for x in metric):
                raise ValueError("a planner claim takes `planner_gpus` and `best` only")
        elif any(x is None for x in metric):
            raise ValueError("a claim needs `metric`, `system` and `op` (or `planner_gpus` and `best`)")
        elif (self.value is None) == (self.than is None):
            raise ValueError("a metric claim compares with either `value` or `than`")
        return self

    @property
    def wants_split(self) -> bool:
        """A planner claim that the best layout splits prefill and decode (the file says it in
        the file format's kind words)."""
        return self.best == "disaggregated"


class LessonStep(_Section):
    title: str = Field(..., min_length=1, max_length=120)
    text: str = Field("", max_length=4000)
    question: str = Field("", max_length=1000, description="asked before the reveal (optional)")
    choices: list[str] = Field(default_factory=list, max_length=6)
    answer: Optional[int] = Field(None, ge=0, le=5, description="index of the right choice (0 = first)")
    reveal: str = Field("", max_length=4000, description="shown once a guess is committed")
    reveal_result: bool = Field(False, description="hide the scoreboard, charts, captions and SLO verdicts until the "
                                "guess is committed")
    veil_results: bool = Field(False, description="hide them on this step even without a question (an "
                               "introduction before a step that asks for a prediction)")
    settings: dict[str, SettingValue] = Field(default_factory=dict, max_length=64,
                                              description="dotted keys applied at this step (as for --set)")
    highlight: list[HighlightId] = Field(default_factory=list, max_length=len(HIGHLIGHTS))
    start_at_s: Optional[float] = Field(None, ge=0, le=1e7, description="seek here when the step opens")
    pause_at_s: Optional[float] = Field(None, ge=0, le=1e7, description="playback pauses here")
    play: bool = Field(False, description="start playing when the step opens")
    moment: Optional[MomentId] = Field(None, description="after the guess, jump to this moment of the run "
                                       "(of `moment_system`) and play it")
    moment_system: Optional[str] = Field(None, max_length=80, description='the system the moment is found in '
                                         '(name or "#1"; default: the first)')
    claims: list[Claim] = Field(default_factory=list, max_length=20,
                                description="what this step says about its run (checked by check-lessons)")
    teacher_note: str = Field("", max_length=4000, description="for the teacher: what to say, what to ask")

    @field_validator("highlight")
    @classmethod
    def _current_highlight_names(cls, parts: list[str]) -> list[str]:
        return [HIGHLIGHT_ALIASES.get(p, p) for p in parts]

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
    goals: list[str] = Field(default_factory=list, max_length=8, description="learning goals of the lesson")
    next_lesson: str = Field("", max_length=200, description="the lesson to open after this one "
                             "(a shipped scenario's name)")
    steps: list[LessonStep] = Field(default_factory=list, max_length=50)
