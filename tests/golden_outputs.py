"""Stored outputs of every shipped scenario and every lesson step (the "nothing changes for users"
guard of a refactor). ``python -m tests.golden_outputs`` rewrites them: only after a change that is
meant to move the numbers (physics), never to make a refactor pass."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"

# (label, overrides) run on top of default.toml: cover links, chunking, per-pool GPUs and precision.
VARIANTS = {
    "default-long-slow": ["workload.prompt_tokens=8192", "systems.1.link_gb_per_s=5"],
    "default-layerwise-tp2": ["systems.1.layerwise_transfer=true", "systems.1.prefill_tp=2", "systems.1.decode_tp=1"],
    "default-first-token-prefill": ["systems.1.first_token=prefill", "systems.1.link=ethernet-25g"],
    "default-fp8-a100-decode": ["model.weight_dtype=fp8", "model.kv_dtype=fp8", "systems.1.decode_gpu=a100-80gb"],
    "default-prefix-cache": ["workload.shared_prefix_tokens=2048", "workload.shared_prefixes=4",
                             "systems.0.prefix_cache=true", "systems.1.prefix_cache=true",
                             "systems.1.routing=prefix-aware"],
    "default-dynamic-pools": ["systems.1.dynamic_pools.adjustment_interval_s=2", "systems.1.dynamic_pools.switch_s=1",
                              "systems.1.dynamic_pools.decode_kv_up=0.3", "systems.1.dynamic_pools.decode_kv_down=0.1"],
}
CLI = {     # label: the command's arguments; its --json output (or sweep's CSV) is stored
    "goodput-default": ["goodput", "default", "--json"],
    "plan-default-4": ["plan", "default", "--gpus", "4", "--no-smallest", "--json"],
    "plan-05-3": ["plan", "05-your-cluster", "--gpus", "3", "--no-smallest", "--json"],
    "sweep-default": ["sweep", "default", "--x", "prompt=512:8192:3log", "--y", "link=5:400:3log"],
    "estimate-8b-h100": ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--chunk-tokens", "2048", "--batch", "64",
                         "--context", "4096"],
    "estimate-70b-tp8": ["estimate", "--model", "llama-3.1-70b", "--gpu", "a100-80gb", "--tp", "8", "--weight-dtype", "fp8"],
    "estimate-dsv3": ["estimate", "--model", "deepseek-v3", "--gpu", "h200", "--tp", "8", "--weight-dtype", "fp8",
                      "--batch", "32"],
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_output(scenario, base_dir) -> dict:
    """The simulate JSON and a digest of the per-request CSV (every request's every time)."""
    from disagg_viz.export.json_out import finite
    from disagg_viz.export.results import requests_csv
    from disagg_viz.sim.metrics import summarize_scenario
    from disagg_viz.sim.runner import simulate_scenario
    result = simulate_scenario(scenario, base_dir=base_dir)
    return {"summary": json.loads(json.dumps(finite(summarize_scenario(result)))),
            "requests_csv_sha256": _digest(requests_csv(result))}


def all_outputs() -> dict[str, dict]:
    from disagg_viz.playback.lesson import LessonWalk
    from disagg_viz.resources import shipped_scenarios
    from disagg_viz.scenario import load_scenario
    from disagg_viz.scenario.overrides import apply_overrides
    out: dict[str, dict] = {}
    for path in shipped_scenarios():
        scenario = load_scenario(path)
        out[path.stem] = scenario_output(scenario, path.parent)
        walk = LessonWalk(scenario)
        for k in range(len(walk)):
            walk.go(k)
            step = walk.step
            if step.settings:
                out[f"{path.stem}-step{k + 1}"] = scenario_output(walk.scenario(), path.parent)
        if path.stem == "default":
            for label, overrides in VARIANTS.items():
                out[label] = scenario_output(apply_overrides(scenario, overrides), path.parent)
    return out


def cli_output(argv: list[str]):
    """What the command prints as JSON (sweep: the rows of the CSV it writes)."""
    import contextlib
    import csv
    import io
    import tempfile
    from disagg_viz.cli.main import run
    buf, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.csv"
        extra = ["--out", str(out)] if argv[0] == "sweep" else []
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
            code = run([*argv, *extra] if argv[0] != "estimate" else [*argv, "--json"])
        assert code == 0, err.getvalue()
        if argv[0] == "sweep":
            return list(csv.reader(io.StringIO(out.read_text())))
    return json.loads(buf.getvalue())


def write() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for label, data in all_outputs().items():
        (GOLDEN / f"{label}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    for label, argv in CLI.items():
        (GOLDEN / f"{label}.json").write_text(json.dumps(cli_output(argv), indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from disagg_viz.numba_cache import configure_numba_cache
    configure_numba_cache()
    write()
