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


def shipped_lessons() -> list[str]:
    """The names of the shipped scenarios that carry lesson steps, in lesson order."""
    from disagg_viz.resources import shipped_scenarios
    from disagg_viz.scenario import load_scenario
    return [p.stem for p in shipped_scenarios() if load_scenario(p).lesson.steps]


def cmd_check_lessons(args) -> int:
    from disagg_viz.cli.progress import ProgressBar
    from disagg_viz.playback.lesson_check import LessonChecker
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
