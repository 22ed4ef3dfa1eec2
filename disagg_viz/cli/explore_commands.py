"""``disagg-viz goodput | sweep | plan``: will disaggregation pay off for this traffic?

Each shows a progress bar on stderr; Ctrl+C stops the worker threads at their next simulation,
writes nothing half-done and exits with status 130."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from disagg_viz.cli.common import CliError, load_scenario_arg
from disagg_viz.cli.progress import ProgressBar
from disagg_viz.export.json_out import dumps


def add_parsers(sub, overrides_help: str) -> None:
    g = sub.add_parser("goodput", help="highest request rate meeting the SLOs, per system and per GPU")
    g.add_argument("file", metavar="FILE", help="scenario TOML file, a shipped scenario's name or - for standard input")
    g.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=overrides_help)
    g.add_argument("--json", action="store_true", help="print JSON instead of a table")

    s = sub.add_parser("sweep", help="crossover map: disaggregated / colocated goodput per GPU over two axes")
    s.add_argument("file", metavar="FILE", help="scenario TOML file, a shipped scenario's name or - for standard input")
    s.add_argument("--x", default="prompt=256:32768:16log", metavar="KEY=LO:HI:N[log]",
                   help="x axis (default prompt=256:32768:16log); KEY: prompt, output, rate, link, split, chunk "
                        "or a dotted key (systems.*.FIELD edits every system having FIELD)")
    s.add_argument("--y", default="link=1:900:16log", metavar="KEY=LO:HI:N[log]", help="y axis (default link=1:900:16log)")
    s.add_argument("--out", required=True, help="CSV file to write")
    s.add_argument("--png", help="also draw the map to this PNG")
    s.add_argument("--per", choices=("gpu", "dollar", "watt"), default="gpu",
                   help="compare goodput per GPU (default), per dollar-hour (example prices) or per kW")
    s.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=overrides_help)

    p = sub.add_parser("plan", help="rank colocated and every xPyD split of N GPUs by goodput per GPU")
    p.add_argument("file", metavar="FILE", help="scenario TOML file, a shipped scenario's name or - for standard input")
    p.add_argument("--gpus", type=int, required=True, help="GPU count N (1 to 64)")
    p.add_argument("--no-smallest", action="store_true", help="skip the search for the smallest winning N")
    p.add_argument("--per", choices=("gpu", "dollar", "watt"), default="gpu",
                   help="rank by goodput per GPU (default), per dollar-hour (example prices) or per kW")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=overrides_help)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table (every layout with its goodput)")


def _run(job, what: str):
    """Run job(cancel, progress) with a progress bar; Ctrl+C cancels it cleanly."""
    from disagg_viz.explore.goodput import Cancelled
    cancel = threading.Event()
    bar = ProgressBar(what)
    try:
        return job(cancel, bar)
    except (KeyboardInterrupt, Cancelled):
        cancel.set()
        bar.clear()
        raise KeyboardInterrupt from None


def _cost_fields(g) -> dict:
    """Goodput per dollar-hour and per kW, with what they are computed from (prices are examples)."""
    return {k: v for k, v in g.fields().items() if k not in ("goodput_req_per_s", "goodput_req_per_s_per_gpu")}


def cmd_goodput(args) -> int:
    from disagg_viz.explore.goodput import scenario_goodput
    scenario, path = load_scenario_arg(args.file, args.overrides)
    base = Path(path).parent
    result = _run(lambda c, b: scenario_goodput(scenario, base, cancel=c, progress=b), "goodput")
    rows = [{"name": s.name, "kind": s.kind, "gpus": g.gpus, **g.fields(), "simulations": g.probes}
            for s, g in zip(scenario.systems, result)]
    if args.json:
        print(dumps({"title": scenario.title, "slo": scenario.slo.model_dump(), "systems": rows}, indent=2))
        return 0
    slo = scenario.slo
    print(f"{scenario.title}: goodput = highest rate with >= {slo.attainment:.0%} of requests meeting "
          f"TTFT <= {slo.ttft_ms:g} ms and TPOT <= {slo.tpot_ms:g} ms")
    width = max(len(r["name"]) for r in rows)
    print(f"  {'system':<{width}}  {'GPUs':>4}  {'req/s':>9}  {'req/s/GPU':>9}")
    for r in rows:
        print(f"  {r['name']:<{width}}  {r['gpus']:>4}  {r['goodput_req_per_s']:>9.3g}  {r['goodput_req_per_s_per_gpu']:>9.3g}")
    return 0


def cmd_sweep(args) -> int:
    from disagg_viz.explore.axes import check_axes, parse_axis
    from disagg_viz.explore.crossover import crossover_map
    scenario, path = load_scenario_arg(args.file, args.overrides)
    x, y = parse_axis(args.x, "--x"), parse_axis(args.y, "--y")
    check_axes(scenario, x, y)
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError(f"--out {args.out}: folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK) or out.is_dir():     # before computing the whole map
        raise CliError(f"--out {args.out}: cannot write there (folder not writable, or a folder by that name)")
    cmap = _run(lambda c, b: crossover_map(scenario, x, y, Path(path).parent, cancel=c, progress=b, per=args.per),
                f"{len(x.values)}x{len(y.values)} map")
    from disagg_viz.atomic_file import atomic_write_text
    atomic_write_text(out, cmap.to_csv())
    print(f"wrote {out} ({len(x.values) * len(y.values)} cells, {cmap.metric})")
    if args.png:
        from disagg_viz.tools.map_png import save_map_png
        save_map_png(cmap, Path(args.png))
        print(f"wrote {args.png}")
    r = cmap.ratio
    wins = int((r > 1).sum())
    print(f"disaggregation wins in {wins} of {r.size} cells (ratio > 1); best ratio "
          f"{max((v for v in r.flat if v == v), default=float('nan')):.2f}")
    return 0


def _k(tokens_per_s: float) -> str:
    return f"{tokens_per_s / 1e3:.1f}k" if tokens_per_s >= 1e3 else f"{tokens_per_s:.0f}"


def cmd_plan(args) -> int:
    from disagg_viz.explore.planner import plan
    scenario, path = load_scenario_arg(args.file, args.overrides)
    from disagg_viz.explore.goodput import PER_LABELS
    result = _run(lambda c, b: plan(scenario, args.gpus, Path(path).parent, cancel=c, progress=b,
                                    find_smallest=not args.no_smallest, per=args.per), f"plan for {args.gpus} GPUs")
    rows = [{"rank": k + 1, "layout": c.label, "kind": c.kind,
             "goodput_req_per_s": c.goodput.rate if c.goodput else 0.0,
             "goodput_req_per_s_per_gpu": c.per_gpu, **(_cost_fields(c.goodput) if c.goodput else {}),
             "ranked_by": PER_LABELS[args.per], "rank_value": c.value, "loses_because": c.reason,
             **dict(zip(("input_tokens_per_s_per_node", "output_tokens_per_s_per_node"), result.per_node(c)))}
            for k, c in enumerate(result.ranked)]
    if args.json:
        print(dumps({"title": scenario.title, "gpus": args.gpus, "ranked": rows,
                          "smallest_gpus_where_disaggregation_wins": result.smallest_winning_gpus,
                          "checked_up_to_gpus": result.checked_up_to}, indent=2))
        return 0
    width = max(len(r["layout"]) for r in rows)
    unit = PER_LABELS[args.per]
    print(f"{scenario.title}: {args.gpus} GPUs, ranked by goodput ({unit})"
          + ("; prices are examples (GPU presets, 2025 list prices)" if args.per == "dollar" else ""))
    print(f"  {'#':>2}  {'layout':<{width}}  {unit:>14}  {'in/node':>8}  {'out/node':>8}  why it ranks lower")
    for r in rows:
        print(f"  {r['rank']:>2}  {r['layout']:<{width}}  {r['rank_value']:>14.3g}  "
              f"{_k(r['input_tokens_per_s_per_node']):>8}  {_k(r['output_tokens_per_s_per_node']):>8}  "
              f"{r['loses_because']}")
    print("  in/node, out/node: input tokens/s per prefill node and output tokens/s per decode node at the "
          "goodput (node: 8 GPUs or the NVLink domain)")
    if not args.no_smallest:
        if result.smallest_winning_gpus:
            print(f"Disaggregation first beats colocation at {result.smallest_winning_gpus} GPUs for this traffic.")
        else:
            print(f"Disaggregation does not beat colocation at any size from 2 to {result.checked_up_to} GPUs "
                  "for this traffic.")
    return 0
