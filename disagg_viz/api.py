"""Drive the simulator from Python (a notebook, a script): load a scenario, override its keys,
simulate it, find goodput, plan a cluster, price one iteration. Results are plain Python: dicts of
numbers and strings, and numpy arrays of per-request values (no pandas needed; ``pandas.DataFrame
(result["systems"][0]["requests"])`` makes a table of them if you have it).

Importing this module points Numba's on-disk cache at the user's cache folder (as the
``disagg-viz`` command does), so compiled code is reused across sessions. The first simulation of
a fresh installation compiles the simulator (10-50 s); later ones take milliseconds to seconds.
Import it before anything imports numba, or the cache location cannot be set.

>>> from disagg_viz import api
>>> sc = api.load("default")                                   # a shipped scenario, by name
>>> sc = api.override(sc, {"workload.requests": 80, "workload.prompt_tokens": 4096})
>>> run = api.simulate(sc)
>>> [s["name"] for s in run["systems"]]
['Colocated, 4 GPUs', 'Disaggregated 2P2D, NVLink']
>>> run["systems"][1]["ttft_ms"]["p90"] > 0
True
>>> run["systems"][1]["requests"]["ttft_s"].shape
(80,)

A sweep is a loop: ``[api.simulate(api.override(sc, {"workload.prompt_tokens": p})) for p in
(1024, 4096, 16384)]`` (docs/notebooks/sweep.ipynb draws one).
"""

from __future__ import annotations

from disagg_viz.numba_cache import configure_numba_cache

configure_numba_cache()

import os  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from disagg_viz.resources import resolve_scenario_arg  # noqa: E402
from disagg_viz.scenario import Scenario, load_scenario, loads_scenario  # noqa: E402
from disagg_viz.scenario.overrides import apply_overrides  # noqa: E402

__all__ = ["load", "override", "simulate", "goodput", "plan", "estimate", "Scenario"]

Source = Scenario | str | os.PathLike


def load(source: Source) -> Scenario:
    """A scenario from a file path, a shipped scenario's name (``"default"``,
    ``"01-the-conflict"``), TOML text (any string with a line break), or a Scenario (returned as
    it is). Validated as the app validates files: a bad one raises ScenarioError, whose
    ``summary()`` names every problem with its key.

    >>> api.load("default").title
    'Long prompts stall the plating line'
    >>> from disagg_viz.resources import default_scenario_path
    >>> text = default_scenario_path().read_text()
    >>> api.load(text.replace("requests = 600", "requests = 50")).workload.requests
    50
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, str) and "\n" in source:
        return loads_scenario(source, "<text>")
    return load_scenario(resolve_scenario_arg(os.fspath(source)))


def override(scenario: Source, changes: dict | list[str]) -> Scenario:
    """A new scenario with dotted keys changed (the input is not modified): a dict
    ``{"workload.prompt_tokens": 8192, "systems.1.link_gb_per_s": 5}`` or a list of
    ``"KEY=VALUE"`` strings as ``disagg-viz simulate --set`` takes. The result is validated.

    >>> sc = api.override("default", ["workload.requests=40"])
    >>> sc.workload.requests
    40
    """
    return apply_overrides(load(scenario), changes)


def _base_dir(source: Source, base_dir) -> Path | None:
    """Where a relative trace path starts: ``base_dir`` if given, else the scenario file's folder
    (a path or shipped name), else the current folder."""
    if base_dir is not None:
        return Path(base_dir)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source):
        return resolve_scenario_arg(os.fspath(source)).parent
    return None


def _per_request(res, slo_ttft_s: float, slo_tpot_s: float) -> dict[str, np.ndarray]:
    """One system's requests, one numpy array per quantity (seconds, tokens, flags)."""
    return {
        "arrival_s": res.arrival.copy(),
        "prompt_tokens": res.prompt.copy(),
        "output_tokens": res.output.copy(),
        "ttft_s": res.ttft.copy(),          # NaN for a rejected request
        "tpot_s": res.tpot.copy(),          # NaN for a one-token answer or a rejected request
        "e2e_s": res.e2e.copy(),
        "stall_s": res.stall.copy(),        # the longest gap between two of its tokens
        "kv_transfer_exposed_s": res.transfer_exposed.copy(),
        "rejected": res.rejected.copy(),
        "meets_slo": res.meets_slo(slo_ttft_s, slo_tpot_s).copy(),
    }


def simulate(scenario: Source, *, base_dir=None, engine: str = "numba") -> dict:
    """Run every system of the scenario on the same requests. Returns
    ``{"title", "slo": {...}, "systems": [...]}``; each system is the dict ``disagg-viz simulate
    --json`` prints (``ttft_ms`` / ``tpot_ms`` / ``e2e_ms`` percentiles, ``slo_attainment``,
    ``throughput_tokens_per_s``, ``gpus``, ...) plus ``"requests"``: numpy arrays of per-request
    values (``ttft_s``, ``tpot_s``, ``e2e_s``, ``arrival_s``, ``meets_slo``...). Same scenario,
    same numbers, every time. ``engine="reference"`` runs the slow pure-Python engine (same results).

    >>> run = api.simulate(api.override("default", {"workload.requests": 60}))
    >>> run["slo"]["ttft_ms"]
    1000.0
    >>> bool(run["systems"][0]["requests"]["meets_slo"].any())
    True
    """
    from disagg_viz.sim.metrics import summarize
    from disagg_viz.sim.runner import simulate_scenario
    sc = load(scenario)
    result = simulate_scenario(sc, engine=engine, base_dir=_base_dir(scenario, base_dir))
    systems = []
    for res in result.systems:
        summary = summarize(res, result.slo_ttft_s, result.slo_tpot_s)
        summary["requests"] = _per_request(res, result.slo_ttft_s, result.slo_tpot_s)
        systems.append(summary)
    return {"title": sc.title, "slo": sc.slo.model_dump(), "systems": systems}


def goodput(scenario: Source, *, base_dir=None) -> list[dict]:
    """Per system: the highest request rate at which the SLOs still hold (a search over rates on
    the scenario's request mix; each takes a few dozen simulations). Each dict holds ``name``,
    ``kind``, ``gpus``, ``goodput_req_per_s``, ``goodput_req_per_s_per_gpu``, per dollar-hour and
    per kW (example prices), and ``simulations`` (how many it took), as ``disagg-viz goodput --json``.

    >>> rows = api.goodput(api.override("default", {"workload.requests": 60}))
    >>> sorted(rows[0])[:3]
    ['dollars_per_hour', 'goodput_per_dollar_hour', 'goodput_per_kw']
    """
    from disagg_viz.explore.goodput import scenario_goodput
    sc = load(scenario)
    found = scenario_goodput(sc, _base_dir(scenario, base_dir))
    return [{"name": s.name, "kind": s.kind, "gpus": g.gpus, **g.fields(), "simulations": g.probes}
            for s, g in zip(sc.systems, found)]


def plan(scenario: Source, gpus: int, *, per: str = "gpu", find_smallest: bool = True, base_dir=None) -> dict:
    """Rank colocated serving and every xPyD split of ``gpus`` GPUs by goodput per GPU (``per``:
    ``"gpu"``, ``"dollar"`` per dollar-hour, ``"watt"`` per kW), and with ``find_smallest`` the
    smallest GPU count from which disaggregation wins, as ``disagg-viz plan --json``. Returns
    ``{"gpus", "ranked": [{"rank", "layout", "kind", "goodput_req_per_s", "rank_value",
    "loses_because"}, ...], "smallest_gpus_where_disaggregation_wins", "checked_up_to_gpus"}``.

    >>> best = api.plan(api.override("default", {"workload.requests": 60}), 4, find_smallest=False)["ranked"][0]
    >>> best["rank"], best["loses_because"]
    (1, '')
    """
    from disagg_viz.explore.goodput import PER_UNITS
    from disagg_viz.explore.planner import plan as plan_cluster
    if per not in PER_UNITS:
        raise ValueError(f"per={per!r}: choose one of {', '.join(PER_UNITS)}")
    sc = load(scenario)
    result = plan_cluster(sc, gpus, _base_dir(scenario, base_dir), find_smallest=find_smallest, per=per)
    ranked = [{"rank": k + 1, "layout": c.label, "kind": c.kind,
               "goodput_req_per_s": c.goodput.rate if c.goodput else 0.0,
               "goodput_req_per_s_per_gpu": c.per_gpu, "rank_value": c.value, "loses_because": c.reason}
              for k, c in enumerate(result.ranked)]
    return {"title": sc.title, "gpus": gpus, "ranked_by": per, "ranked": ranked,
            "smallest_gpus_where_disaggregation_wins": result.smallest_winning_gpus,
            "checked_up_to_gpus": result.checked_up_to}


def estimate(model: str, gpu: str, *, tp: int = 1, prompt_tokens: int = 2048, batch: int = 1,
             context: int | None = None, link: str = "ib-ndr", link_gb_per_s: float | None = None,
             engine: str | None = None, overrides: dict | None = None) -> dict:
    """The cost model's figures for one model on ``tp`` GPUs of one kind (no simulation): prefill
    time of a prompt, one decode step of a batch, KV bytes, the KV transfer over a link preset (or
    ``link_gb_per_s``), KV capacity. ``engine``: a serving-engine profile (default the scenario
    default); ``overrides``: ``model.*`` / ``hardware.*`` keys. Times in ms, sizes in bytes.

    >>> e = api.estimate("opt-66b", "a100-80gb", tp=4, prompt_tokens=512)
    >>> e["kv_bytes"] == 1.125 * 2**30, e["prefill_ms"] > 0
    (True, True)
    """
    from disagg_viz.presets import LINKS
    from disagg_viz.export.json_out import finite
    from disagg_viz.sim.estimate import estimate_spec, figures
    for name, value in (("tp", tp), ("prompt_tokens", prompt_tokens), ("batch", batch)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name}={value!r}: must be a whole number >= 1")
    if link_gb_per_s is None and link not in LINKS:
        raise ValueError(f"link={link!r}: unknown link; choose one of {', '.join(LINKS)}")
    if link_gb_per_s is not None and not link_gb_per_s > 0:
        raise ValueError(f"link_gb_per_s={link_gb_per_s!r}: must be > 0")
    edits = [f"{k}={v}" for k, v in (overrides or {}).items()]
    spec, sc = estimate_spec(model, gpu, tp, engine=engine, link=link, link_gb_per_s=link_gb_per_s, overrides=edits)
    out = figures(spec, sc, prompt_tokens, batch, context)
    out["link_gb_per_s"] = spec.link.peak_gb_per_s
    return finite(out)
