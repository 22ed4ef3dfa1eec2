"""``disagg-viz check-lessons [FILE...]``: run every lesson step's settings, print each claim with
pass/fail and its numbers; exit status 1 if any claim is false or cannot be evaluated. With no
FILE, the shipped scenarios that carry a lesson."""

from __future__ import annotations

from pathlib import Path

from disagg_viz.cli.common import load_scenario_arg


def add_parser(sub) -> None:
    c = sub.add_parser("check-lessons", help="check that every lesson step's claims hold for its run")
    c.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario TOML files with a lesson, shipped scenario names or - for standard input "
                        "(default: every shipped scenario that has a lesson)")
    c.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key first (e.g. to see which claims depend on it)")
    c.add_argument("--texts", action="store_true", help="also print each step's text and reveal with their numbers")
    c.add_argument("--seeds", type=int, default=0, metavar="N",
                   help="check every claim with workload.seed = base seed + k, k = 0..N-1, and report per claim "
                        "how many seeds it holds for (a lesson's claims must not depend on the luck of one seed)")


def shipped_lessons() -> list[str]:
    """The names of the shipped scenarios that carry lesson steps, in lesson order."""
    from disagg_viz.resources import shipped_scenarios
    from disagg_viz.scenario import load_scenario
    return [p.stem for p in shipped_scenarios() if load_scenario(p).lesson.steps]


def cmd_check_lessons(args) -> int:
    from disagg_viz.cli.progress import ProgressBar
    from disagg_viz.playback.lesson_check import LessonChecker
    if args.seeds:
        return _check_seeds(args)
    failed = 0
    for arg in args.files or shipped_lessons():
        scenario, path = load_scenario_arg(arg, args.overrides)
        steps = scenario.lesson.steps
        print(f"{arg}: {scenario.title}")
        if not steps:
            print("  no lesson steps")
            continue
        bar = ProgressBar(f"checking {Path(arg).name} (steps and planner claims)")
        checker = LessonChecker(base_dir=Path(path).parent, progress=bar)   # progress on stderr
        claims = 0
        reports = checker.lesson(scenario)
        for rep in reports:
            print(f"  step {rep.index + 1} of {len(steps)}: {rep.title}")
            for v in rep.verdicts:
                claims += 1
                print(f"    {'PASS' if v.holds else 'FAIL'}  {v.says}")
            for problem in rep.problems:
                print(f"    FAIL  {problem}")
            for warning in rep.warnings:
                print(f"    WARN  {warning}")
            if args.texts:
                for name in ("text", "reveal"):
                    if rep.texts.get(name):
                        print(f"    {name}: {rep.texts[name]}")
            failed += not rep.ok
        for language, problems in checker.translations(scenario, path):
            print(f"  {language} translation: " + ("placeholders match and render" if not problems else "problems"))
            for problem in problems:
                print(f"    FAIL  {problem}")
            failed += bool(problems)
        if claims < 3:
            print(f"  FAIL  only {claims} claim(s): a lesson carries at least 3")
            failed += 1
    print("all claims hold" if not failed else f"{failed} step(s) with a false or broken claim")
    return 1 if failed else 0


def _check_seeds(args) -> int:
    from disagg_viz.cli.common import CliError
    from disagg_viz.playback.lesson_check import LessonChecker, seed_sweep
    if not 1 <= args.seeds <= 1000:
        raise CliError(f"--seeds {args.seeds}: the number of seeds must be 1 to 1000")
    failed = 0
    for arg in args.files:
        scenario, path = load_scenario_arg(arg, args.overrides)
        base = scenario.workload.seed
        print(f"{arg}: {scenario.title} (seeds {base} to {base + args.seeds - 1})")
        if not scenario.lesson.steps:
            print("  no lesson steps")
            continue
        tallies = seed_sweep(scenario, args.seeds, lambda seed: LessonChecker(base_dir=Path(path).parent))
        step = None
        for t in tallies:
            if t.step != step:
                step = t.step
                print(f"  step {t.step + 1}: {t.title}")
            mark = "PASS" if t.ok else "FAIL"
            tail = "" if t.ok else f"  (fails at seed {', '.join(map(str, t.failed_seeds))})"
            print(f"    {mark}  {t.held}/{t.runs} seeds  {t.says}{tail}")
            failed += not t.ok
    print(f"all claims hold for {args.seeds} seeds" if not failed
          else f"{failed} claim(s) fail for some of {args.seeds} seeds")
    return 1 if failed else 0
