"""argparse front end. Every error is one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from disagg_viz import __version__
from disagg_viz.cli import explore_commands
from disagg_viz.cli.check_lessons import add_parser as add_check, cmd_check_lessons
from disagg_viz.cli.common import CliError, load_scenario_arg as _load
from disagg_viz.cli.export_command import add_parser as add_export, cmd_export
from disagg_viz.export.json_out import dumps
from disagg_viz.scenario import ScenarioError

COMMANDS = ("simulate", "estimate", "validate", "schema", "goodput", "sweep", "plan", "export", "check-lessons")


USAGE_NOTE = """\
the app:
  disagg-viz [FILE] [--projector]   open the app on FILE (a scenario TOML, a shipped scenario's name
                                    such as default or 01-the-conflict, or a PNG/GIF exported by the
                                    app); --projector: light, high-contrast colours for projectors

commands (disagg-viz COMMAND --help for each one's options):
  FILE is a scenario TOML, a shipped scenario's name, or - to read the TOML from standard input
  (a relative trace path in it then starts from the current folder). The first command that
  simulates compiles the simulator (once, ~15 s) and says so on stderr; -q/--quiet silences that
  line and the progress bars."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="disagg-viz", usage="disagg-viz [FILE] [--projector]\n       disagg-viz [-q] COMMAND ...",
        description="Watch disaggregated LLM serving as a kitchen. Run with no command (or a scenario "
                    "FILE) to open the app.", epilog=USAGE_NOTE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"disagg-viz {__version__}")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bars and no 'compiling the simulator' line on stderr")
    p.add_argument("--install-desktop-entry", action="store_true",
                   help="add disagg-viz to the desktop's application menu (~/.local/share/applications) "
                        "with its icon, then exit")
    p.add_argument("--uninstall-desktop-entry", action="store_true",
                   help="remove that menu entry and icon, then exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", prog="disagg-viz")

    s = sub.add_parser("simulate", help="run every system of a scenario and compare them")
    s.add_argument("file", metavar="FILE",
                   help="scenario TOML file, a shipped scenario's name (e.g. default) or - for standard input")
    s.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario key, e.g. workload.prompt_tokens=8192 or systems.1.link_gb_per_s=5")
    s.add_argument("--json", action="store_true",
                   help="print JSON instead of a table (per system: latency percentiles, SLO attainment, ...)")
    s.add_argument("--engine", choices=("numba", "reference"), default="numba", help=argparse.SUPPRESS)

    e = sub.add_parser("estimate", help="cost-model figures for one model on one GPU")
    e.add_argument("--model", required=True, help="model preset id")
    e.add_argument("--gpu", required=True, help="GPU preset id")
    e.add_argument("--tp", type=int, default=1, help="tensor-parallel degree (1, 2, 4, 8)")
    e.add_argument("--prompt-tokens", type=int, default=2048, help="prompt length in tokens (default 2048)")
    e.add_argument("--batch", type=int, default=1, help="decode batch size")
    e.add_argument("--context", type=int, default=None, help="context per decode sequence (default: prompt tokens)")
    e.add_argument("--chunk-tokens", type=int, default=None, metavar="P",
                   help="also price one chunked-prefill iteration: a P-token prompt chunk with the decode batch")
    e.add_argument("--weight-dtype", choices=("bf16", "fp8"), default=None, help="precision of the weights")
    e.add_argument("--kv-dtype", choices=("bf16", "fp8"), default=None, help="precision of the KV cache")
    e.add_argument("--engine", default=None, metavar="PROFILE",
                   help="serving-engine profile (distserve-2023, vllm-2023, modern; default: distserve-2023)")
    g = e.add_mutually_exclusive_group()
    g.add_argument("--link", default="ib-ndr", help="link preset id for the KV transfer (default ib-ndr)")
    g.add_argument("--link-gb-per-s", type=float, default=None, metavar="GB_PER_S",
                   help="link bandwidth per GPU in GB/s instead of a preset")
    e.add_argument("--ep", type=int, default=1, help="expert-parallel degree of a mixture-of-experts model: the "
                   "instance is EP GPUs (--tp stays 1); prompts and the decode batch are then per attention group")
    e.add_argument("--attention", choices=("tp", "dp"), default="tp",
                   help="with --ep: attention tensor-parallel over all EP GPUs, or DP attention (one group per GPU)")
    e.add_argument("--two-batch-overlap", action="store_true", help="with --ep: hide part of the all-to-all")
    e.add_argument("--expert-imbalance", type=float, default=None, help="with --ep: busiest GPU / mean (default 1.25)")
    e.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override model.* or hardware.* fields")
    e.add_argument("--json", action="store_true", help="print JSON instead of text")

    v = sub.add_parser("validate", help="check scenario files; exit status 1 if any has a problem")
    v.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario TOML files (or images carrying one), shipped scenario names, or - for standard input")

    sub.add_parser("schema", help="print the scenario file JSON Schema")
    explore_commands.add_parsers(sub, "override a scenario key (as for simulate)")
    add_export(sub, "override a scenario key (as for simulate)")
    add_check(sub)
    for command in sub.choices.values():          # -q also after the command; the global one otherwise
        command.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                             help="no progress bars and no 'compiling the simulator' line")
    return p


def cmd_simulate(args) -> int:
    from disagg_viz.cli.table import comparison_table
    from disagg_viz.sim.metrics import summarize_scenario
    from disagg_viz.sim.runner import simulate_scenario
    scenario, path = _load(args.file, args.overrides)
    result = simulate_scenario(scenario, engine=args.engine, base_dir=Path(path).parent)
    summary = summarize_scenario(result)
    if args.json:
        print(dumps(summary, indent=2))
    else:
        print(comparison_table(summary))
    return 0


def cmd_estimate(args) -> int:
    from disagg_viz.presets import ENGINES, LINKS
    from disagg_viz.sim.cost_breakdown import OPERATORS
    from disagg_viz.sim.estimate import estimate_spec, figures
    bad = [o for o in args.overrides if not o.split("=", 1)[0].startswith(("model.", "hardware."))]
    if bad:
        raise CliError(f"--set {bad[0]}: estimate takes only model.* and hardware.* keys")
    for name, value, lo, hi in (("--prompt-tokens", args.prompt_tokens, 1, 1_048_576), ("--batch", args.batch, 1, 65_536),
                                ("--context", args.context, 1, 1_048_576),
                                ("--chunk-tokens", args.chunk_tokens, 1, 1_048_576)):
        if value is not None and not lo <= value <= hi:
            raise CliError(f"{name} {value}: must be between {lo:,} and {hi:,}")
    if args.link_gb_per_s is None and args.link not in LINKS:
        raise CliError(f"--link {args.link!r}: unknown link; choose one of {', '.join(LINKS)}")
    if args.link_gb_per_s is not None and not 0 < args.link_gb_per_s <= 10_000:
        raise CliError(f"--link-gb-per-s {args.link_gb_per_s}: must be > 0 and <= 10000")
    if args.engine is not None and args.engine not in ENGINES:
        raise CliError(f"--engine {args.engine!r}: unknown serving-engine profile; choose one of {', '.join(ENGINES)}")
    from disagg_viz.cli.estimate_ep import ep_overrides, estimate_expert_parallel
    spec, sc = estimate_spec(args.model, args.gpu, args.tp, engine=args.engine, weight_dtype=args.weight_dtype,
                             kv_dtype=args.kv_dtype, link=args.link, link_gb_per_s=args.link_gb_per_s,
                             overrides=[*args.overrides, *ep_overrides(args)])
    if args.ep > 1:
        return estimate_expert_parallel(spec, sc, args)
    out = figures(spec, sc, args.prompt_tokens, args.batch, args.context, args.chunk_tokens)
    context = args.context if args.context is not None else args.prompt_tokens
    kvpt, kv = out["kv_bytes_per_token"], out["kv_bytes"]
    steps = out["operators"]
    if args.json:
        print(dumps(out, indent=2))
    else:
        print(f"{args.model} on {args.tp} x {args.gpu}, {sc.hardware.engine} engine profile")
        print(f"  prefill of {args.prompt_tokens:,} tokens      {out['prefill_ms']:10.2f} ms"
              f"   (all-reduce {out['prefill_allreduce_share']:.0%})")
        print(f"  decode step, batch {args.batch} x {context:,} ctx  {out['decode_step_ms']:10.2f} ms"
              f"   (all-reduce {out['decode_allreduce_share']:.0%})")
        if args.chunk_tokens is not None:
            print(f"  chunked step, {args.chunk_tokens:,} + batch {args.batch}    {out['chunked_step_ms']:10.2f} ms"
                  f"   (all-reduce {out['chunked_allreduce_share']:.0%})")
        print(f"  KV per token                  {kvpt / 1024:10.1f} KiB")
        print(f"  KV of the prompt              {kv / 1e9:10.3f} GB")
        ln = spec.link
        print(f"  KV transfer at {ln.peak_gb_per_s:g} GB/s x {ln.efficiency:.0%} x {ln.stripes:g}"
              f" {out['transfer_ms']:10.2f} ms")
        print(f"  KV capacity                   {out['kv_capacity_tokens']:10,} tokens")
        print(f"  {'where the time goes, ms':50}" + "".join(f"{k.replace('_', ' '):>14}" for k in steps))
        for op, label in OPERATORS.items():
            if op not in steps["prefill"]:
                continue
            print(f"    {label[:48]:48}" + "".join(f"{parts[op]:14.2f}" for parts in steps.values()))
    return 0


def cmd_validate(args) -> int:
    from disagg_viz.scenario import ScenarioError, load_scenario
    from disagg_viz.scenario.stdin import STDIN_ARG, read_scenario_stdin
    failed = 0
    from disagg_viz.sim.run_budget import check_scenario
    from disagg_viz.sim.runner import check_budget
    from disagg_viz.sim.specs import scenario_specs
    from disagg_viz.sim.workload import build
    for f in args.files:
        try:
            scenario = read_scenario_stdin() if f == STDIN_ARG else load_scenario(f)
            try:                                 # a file that validates also loads its trace and fits the budget
                if scenario.workload.trace:
                    check_budget(scenario_specs(scenario), build(scenario.workload, Path(f).parent))
                else:
                    check_scenario(scenario)
            except ScenarioError as exc:
                raise ScenarioError(exc.problems, exc.source or str(f)) from None
            print(f"{f}: ok")
        except ScenarioError as exc:
            failed += 1
            print(exc.summary(), file=sys.stderr)
    return 1 if failed else 0


def cmd_schema(args) -> int:
    from disagg_viz.scenario.schema import scenario_json_schema
    print(json.dumps(scenario_json_schema(), indent=2))
    return 0


def cmd_gui(argv: list[str]) -> int:
    try:
        from disagg_viz.ui.app import run_app
    except ImportError as exc:
        raise CliError(f"the app cannot start: {exc}") from None
    return run_app(argv)


def _desktop_entry(remove: bool) -> int:
    from disagg_viz.cli.desktop_entry import install_desktop_entry, uninstall_desktop_entry
    try:
        paths = uninstall_desktop_entry() if remove else install_desktop_entry()
    except OSError as exc:
        print(f"disagg-viz: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    verb = "removed" if remove else "wrote"
    for path in paths:
        print(f"{verb} {path}")
    if remove and not paths:
        print("no desktop entry was installed")
    return 0


def run(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")) or argv[0] in ("--projector",):
        try:
            return cmd_gui(argv)
        except CliError as exc:
            print(f"disagg-viz: {exc}", file=sys.stderr)
            return 2
    parser = _parser()
    args = parser.parse_args(argv)
    from disagg_viz.cli.progress import set_quiet
    set_quiet(args.quiet)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry(args.uninstall_desktop_entry)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("disagg-viz: give a COMMAND (or no option at all to open the app)", file=sys.stderr)
        return 2
    handlers = {"simulate": cmd_simulate, "estimate": cmd_estimate, "validate": cmd_validate, "schema": cmd_schema,
                "goodput": explore_commands.cmd_goodput, "sweep": explore_commands.cmd_sweep,
                "plan": explore_commands.cmd_plan, "export": cmd_export, "check-lessons": cmd_check_lessons}
    from disagg_viz.cli.compile_notice import expect_compile
    expect_compile(args)                    # the line comes once the scenario has loaded (cli/common.py)
    try:
        return handlers[args.command](args)
    except ScenarioError as exc:
        print(f"disagg-viz: {exc.summary()}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"disagg-viz: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("disagg-viz: stopped (Ctrl+C); nothing was written", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"disagg-viz: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
