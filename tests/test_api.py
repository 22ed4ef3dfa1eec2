"""disagg_viz.api: plain results (dicts, numpy arrays) that match the command line's, every
docstring example true, Numba's cache set up on import, and the sweep notebook's code runs."""

import doctest
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from disagg_viz import api
from disagg_viz.cli.main import run as cli_run
from disagg_viz.resources import default_scenario_path
from disagg_viz.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "sweep.ipynb"


def test_every_docstring_example_holds():
    result = doctest.testmod(api, extraglobs={"api": api}, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15 and result.failed == 0


def test_load_takes_a_name_a_path_text_or_a_scenario(tmp_path):
    by_name = api.load("default")
    assert api.load(default_scenario_path()) == by_name
    assert api.load(str(default_scenario_path())) == by_name
    assert api.load(default_scenario_path().read_text()) == by_name
    assert api.load(by_name) is by_name
    with pytest.raises(ScenarioError, match="workload.requests"):
        api.load(default_scenario_path().read_text().replace("requests = 600", "requests = -1"))


def test_override_takes_a_dict_or_key_value_strings_and_keeps_the_input():
    base = api.load("default")
    a = api.override(base, {"workload.prompt_tokens": 5000, "systems.1.link_gb_per_s": 5})
    b = api.override(base, ["workload.prompt_tokens=5000", "systems.1.link_gb_per_s=5"])
    assert a == b and a.workload.prompt_tokens == 5000 and a.systems[1].link_gb_per_s == 5
    assert base.workload.prompt_tokens != 5000
    with pytest.raises(ScenarioError, match="systems.9"):
        api.override(base, {"systems.9.tp": 2})


def test_simulate_matches_the_command_line_and_returns_arrays(capsys):
    sc = api.override("default", {"workload.requests": 90})
    out = api.simulate(sc)
    assert cli_run(["simulate", "default", "--json", "--set", "workload.requests=90"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in out["systems"]] == [s["name"] for s in cli["systems"]]
    for mine, theirs in zip(out["systems"], cli["systems"]):
        reqs = mine["requests"]
        assert mine["ttft_ms"]["p90"] == pytest.approx(theirs["ttft_ms"]["p90"])
        assert mine["slo_attainment"] == pytest.approx(theirs["slo_attainment"])
        assert all(isinstance(v, np.ndarray) and v.shape == (90,) for v in reqs.values())
        assert np.nanpercentile(reqs["ttft_s"], 50) * 1e3 == pytest.approx(mine["ttft_ms"]["p50"])
        assert reqs["meets_slo"].mean() == pytest.approx(mine["slo_attainment"])
    again = api.simulate(sc)                              # same scenario, same numbers
    assert np.array_equal(again["systems"][1]["requests"]["e2e_s"], out["systems"][1]["requests"]["e2e_s"])


def test_a_relative_trace_resolves_from_the_scenario_file_or_base_dir(tmp_path):
    import shutil

    from tests.conftest import FIXTURES
    shutil.copy(FIXTURES / "traces" / "azure-small.csv", tmp_path / "azure-small.csv")
    text = default_scenario_path().read_text().replace("requests = 600", 'requests = 40\ntrace = "azure-small.csv"')
    (tmp_path / "traced.toml").write_text(text)
    by_file = api.simulate(tmp_path / "traced.toml")
    by_text = api.simulate(text, base_dir=tmp_path)
    assert by_file["systems"][0]["requests"]["arrival_s"].size > 0
    assert np.array_equal(by_file["systems"][0]["requests"]["arrival_s"], by_text["systems"][0]["requests"]["arrival_s"])
    with pytest.raises(ScenarioError, match="trace file not found"):
        api.simulate(text, base_dir=tmp_path / "elsewhere")


def test_goodput_and_plan_are_plain_data():
    sc = api.override("default", {"workload.requests": 60})
    rows = api.goodput(sc)
    assert [r["name"] for r in rows] == [s.name for s in sc.systems]
    assert all(r["goodput_req_per_s"] >= 0 and r["simulations"] > 0 for r in rows)
    p = api.plan(sc, 4, find_smallest=False)
    assert p["ranked"][0]["rank"] == 1 and {r["kind"] for r in p["ranked"]} == {"colocated", "disaggregated"}
    json.dumps(rows), json.dumps(p)                           # nothing but plain values
    with pytest.raises(ValueError, match="per='euro'"):
        api.plan(sc, 4, per="euro")


def test_estimate_matches_the_command_line(capsys):
    mine = api.estimate("opt-66b", "a100-80gb", tp=4, prompt_tokens=512, batch=8)
    assert cli_run(["estimate", "--model", "opt-66b", "--gpu", "a100-80gb", "--tp", "4", "--prompt-tokens", "512",
                    "--batch", "8", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    for key in ("prefill_ms", "decode_step_ms", "kv_bytes", "kv_bytes_per_token", "transfer_ms", "kv_capacity_tokens"):
        assert mine[key] == pytest.approx(cli[key]), key
    with pytest.raises(ValueError, match="link='nope'"):
        api.estimate("opt-66b", "a100-80gb", link="nope")
    with pytest.raises(ScenarioError, match="model.preset"):
        api.estimate("no-such-model", "a100-80gb")


def test_importing_the_api_sets_up_the_numba_cache(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    code = "import os, disagg_viz.api; print(os.environ['NUMBA_CACHE_DIR'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).parent == tmp_path / "disagg-viz" / "numba"


def _code_cells(path: Path) -> list[tuple[list[str], str]]:
    nb = json.loads(path.read_text())
    assert nb["nbformat"] == 4 and nb["cells"]
    return [(c.get("metadata", {}).get("tags", []), "".join(c["source"])) for c in nb["cells"]
            if c["cell_type"] == "code"]


def test_the_sweep_notebook_runs_as_a_script(capsys):
    try:
        import matplotlib
        matplotlib.use("Agg")
        has_matplotlib = True
    except ImportError:
        has_matplotlib = False
    namespace: dict = {"__name__": "__notebook__"}
    cells = _code_cells(NOTEBOOK)
    assert any("plot" in tags for tags, _ in cells)
    for tags, source in cells:
        if "plot" in tags and not has_matplotlib:
            continue
        exec(compile(source, f"{NOTEBOOK.name}", "exec"), namespace)
    sweep, prompts = namespace["sweep"], namespace["prompts"]
    assert len(sweep) == 2 and all(len(row["tpot_p90_ms"]) == len(prompts) for row in sweep.values())
    colocated = next(row for name, row in sweep.items() if name.startswith("Colocated"))
    assert colocated["tpot_p90_ms"][-1] > colocated["tpot_p90_ms"][0]    # long prefills slow its decoding
    assert "prompt" in capsys.readouterr().out
    if has_matplotlib:
        import matplotlib.pyplot as plt
        assert plt.get_fignums()
        plt.close("all")
