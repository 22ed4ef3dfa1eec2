"""Run every step of a lesson as the app shows it and check what the step says: its claims and
the placeholders of its texts (``disagg-viz check-lessons``). Qt-free."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from disagg_viz.playback.claims import (
    ClaimError, Verdict, check_metric_claim, check_planner_claim, describe, placeholders, render,
)
from disagg_viz.playback.lesson import LessonWalk
from disagg_viz.playback.lesson_translation import (
    TranslationError, problems, read_translation, translated_lesson, translations_of,
)
from disagg_viz.playback.presentation_check import presentation_warnings
from disagg_viz.sim.metrics import summarize_scenario
from disagg_viz.sim.runner import simulate_scenario


@dataclass
class StepReport:
    index: int                       # 0-based
    title: str
    verdicts: list[Verdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # placeholders or claims that cannot be evaluated
    texts: dict[str, str] = field(default_factory=dict)  # text and reveal with their numbers
    warnings: list[str] = field(default_factory=list)    # what it points at that presenting does not draw

    @property
    def ok(self) -> bool:
        return not self.problems and all(v.holds for v in self.verdicts)


class LessonChecker:
    """Simulates each distinct step scenario once and runs the planner once per (scenario, N).
    ``progress(done, total)`` is called as steps and planner claims finish; setting ``cancel`` (a
    threading.Event) stops at the next simulation or inside the planner (raising ``Cancelled``)."""

    def __init__(self, base_dir=None, plan_fn=None, cancel=None, progress=None):
        import threading
        self.base_dir = base_dir
        self._runs: dict[str, list[dict]] = {}
        self._results: dict[str, object] = {}
        self._plans: dict[tuple[str, int], tuple[str, str]] = {}
        self._plan_fn = plan_fn
        self.cancel = cancel if cancel is not None else threading.Event()
        self._progress = progress
        self._done = self._total = 0

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            from disagg_viz.explore.goodput import Cancelled
            raise Cancelled("the lesson check was cancelled")

    def _advance(self) -> None:
        self._done += 1
        if self._progress is not None:
            self._progress(min(self._done, self._total), self._total)

    def result(self, scenario):
        """The simulation of ``scenario`` (each distinct one is run once)."""
        key = json.dumps(scenario.simulated_part().model_dump(mode="json"), sort_keys=True)
        if key not in self._results:
            self._check_cancel()
            self._results[key] = simulate_scenario(scenario, base_dir=self.base_dir)
        return self._results[key]

    def summaries(self, scenario) -> list[dict]:
        key = json.dumps(scenario.simulated_part().model_dump(mode="json"), sort_keys=True)
        if key not in self._runs:
            self._runs[key] = summarize_scenario(self.result(scenario))["systems"]
        return self._runs[key]

    def planner_best(self, scenario, gpus: int) -> tuple[str, str, bool]:
        """(label, kind, is_split) of the planner's best layout of ``gpus`` GPUs for the scenario's
        traffic (the kind only to print)."""
        key = (json.dumps(scenario.simulated_part().model_dump(mode="json"), sort_keys=True), gpus)
        if key not in self._plans:
            from disagg_viz.explore.planner import plan
            self._check_cancel()
            p = (self._plan_fn or plan)(scenario, gpus, base_dir=self.base_dir, find_smallest=False,
                                        cancel=self.cancel)
            self._check_cancel()
            best = p.ranked[0]
            self._plans[key] = (best.label, best.kind, best.spec.is_split)
        return self._plans[key]

    def step(self, walk: LessonWalk, index: int) -> StepReport:
        walk.go(index)
        step = walk.step
        scenario = walk.scenario()
        rep = StepReport(index, step.title)
        rep.warnings = presentation_warnings(step, [s.kind for s in scenario.systems])
        summaries = self.summaries(scenario)
        for name, text in (("text", step.text), ("question", step.question), ("reveal", step.reveal)):
            try:
                rep.texts[name] = render(text, summaries)
            except ClaimError as exc:
                rep.problems.append(f"{name}: {exc}")
        for choice in step.choices:
            if placeholders(choice):
                rep.problems.append(f"choice {choice!r}: a choice must not carry numbers from the run")
        for claim in step.claims:
            try:
                if claim.planner_gpus is not None:
                    rep.verdicts.append(check_planner_claim(claim, *self.planner_best(scenario, claim.planner_gpus)))
                    self._advance()
                else:
                    rep.verdicts.append(check_metric_claim(claim, summaries))
            except ClaimError as exc:
                rep.problems.append(f"claim '{describe(claim)}': {exc}")
        return rep

    def lesson(self, scenario) -> list[StepReport]:
        walk = LessonWalk(scenario)
        self._done = 0
        self._total = len(walk) + sum(c.planner_gpus is not None for s in scenario.lesson.steps for c in s.claims)
        if self._progress is not None:
            self._progress(0, self._total)
        reports = []
        for k in range(len(walk)):
            reports.append(self.step(walk, k))
            self._advance()
        for k, warning in later_answers_shown(scenario):
            reports[k].warnings.append(warning)
        return reports

    def translations(self, scenario, path) -> list[tuple[str, list[str]]]:
        """(language, problems) of each lesson translation beside the scenario file: a text left
        out, placeholders that differ from the English ones, and any that does not render from
        the step's run (the runs are those of the English check: nothing is simulated again)."""
        out = []
        for language, file in translations_of(path):
            try:
                data = read_translation(file)
            except TranslationError as exc:
                out.append((language, [str(exc)]))
                continue
            found = problems(scenario.lesson, data, f"{language}")
            if not found:
                shown = scenario.model_copy(update={"lesson": translated_lesson(scenario.lesson, data)})
                for rep in self.lesson(shown):
                    found += [f"{language}: step {rep.index + 1}: {p}" for p in rep.problems
                              if not p.startswith("claim ")]
            out.append((language, found))
        return out


def later_answers_shown(scenario) -> list[tuple[int, str]]:
    """(step, warning) where a step, once revealed, shows in every kitchen a number that a later
    predict step on the same run asks about: the kitchens carry the step's highlighted scoreboard
    rows and SLO attainment (ui.scoreboard.kitchen_numbers), so they would answer it early."""
    walk = LessonWalk(scenario)
    runs = []
    for k in range(len(walk)):
        walk.go(k)
        runs.append(json.dumps(walk.scenario().simulated_part().model_dump(mode="json"), sort_keys=True))
    steps, out = walk.steps, []
    for k, step in enumerate(steps):
        if step.veil_results:                    # it shows no numbers at all
            continue
        shown = {h.split(".", 1)[1] for h in step.highlight if h.startswith("scoreboard.")} | {"attainment"}
        for j in range(k + 1, len(steps)):
            if not steps[j].question or runs[j] != runs[k]:
                continue
            for metric in sorted({c.metric for c in steps[j].claims if c.metric in shown}):
                out.append((k, f"shows {metric} in every kitchen, which step {j + 1} asks about on the same run"))
    return out


@dataclass
class SeedTally:
    """How one step's claim fared over the seeds: ``held`` of ``runs``; ``says`` at the first seed,
    ``failed_seeds`` the seeds where it did not hold (or could not be evaluated)."""
    step: int                        # 0-based
    title: str
    says: str
    held: int = 0
    runs: int = 0
    failed_seeds: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.held == self.runs


def seed_sweep(scenario, seeds: int, checker_for=None) -> list[SeedTally]:
    """Every claim of the lesson, checked with ``workload.seed`` = base seed + k for k = 0..seeds-1
    (k = 0 is the lesson as shipped). ``checker_for(seed)`` makes the checker (default: a fresh
    LessonChecker); a claim that cannot be evaluated at some seed counts as not holding there."""
    from disagg_viz.scenario.overrides import apply_overrides
    base_seed = scenario.workload.seed
    tallies: dict[tuple[int, int], SeedTally] = {}
    for k in range(seeds):
        seed = base_seed + k
        shown = apply_overrides(scenario, {"workload.seed": seed}) if k else scenario
        checker = checker_for(seed) if checker_for else LessonChecker()
        for rep in checker.lesson(shown):
            step = shown.lesson.steps[rep.index]
            for j, claim in enumerate(step.claims):
                verdict = next((v for v in rep.verdicts if v.claim is claim), None)
                t = tallies.setdefault((rep.index, j), SeedTally(rep.index, rep.title,
                                                                 verdict.says if verdict else describe(claim)))
                t.runs += 1
                if verdict is not None and verdict.holds:
                    t.held += 1
                else:
                    t.failed_seeds.append(seed)
    return [tallies[key] for key in sorted(tallies)]
