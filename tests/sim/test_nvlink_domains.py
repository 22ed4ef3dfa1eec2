"""NVLink domains larger than a node (GB200 NVL72): KV inside a domain over NVLink, across it over
the NICs; an 8-GPU node keeps what its `link` says."""

import numpy as np
import pytest

from disagg_viz.presets import GPU_FABRIC, GPUS
from disagg_viz.scenario.codec import scenario_from_dict
from disagg_viz.sim.layout import SH_BYTES, SH_PORTS_FREE, SH_RECEIVER, SH_WIRE_START
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.sim.specs import scenario_specs


def _scenario(gpu, n_p, n_d, ep_p, ep_d):
    return scenario_from_dict({
        "schema_version": 3, "model": {"preset": "deepseek-v3", "weight_dtype": "fp8"},
        "hardware": {"gpu": gpu, "engine": "modern"},
        "workload": {"requests": 200, "arrival_rate": 20.0, "prompt_tokens": 4000, "output_tokens": 20},
        "systems": [{"name": "x", "kind": "disaggregated", "link": "ib-ndr", "prefill_instances": n_p,
                     "prefill_ep": ep_p, "prefill_attention": "dp", "decode_instances": n_d, "decode_ep": ep_d,
                     "decode_attention": "dp", "max_batch": 4096}]})


def test_gb200_is_one_gpu_of_an_nvl72_rack():
    assert GPU_FABRIC["gb200"]["nvlink_domain_gpus"] == 72 and GPUS["gb200"]["memory_gb"] == 186.0


def test_kv_inside_the_domain_ships_over_nvlink_and_across_it_over_the_nics():
    sc = _scenario("gb200", 2, 2, 24, 24)        # GPUs 0-47 prefill, 48-71 decode 1 (rack 1), 72-95 decode 2
    spec = scenario_specs(sc)[0]
    link = spec.link
    assert link.domain_gpus == 72
    assert [link.same_domain(i, j) for i in (0, 1) for j in (2, 3)] == [True, False, True, False]
    assert link.nvlink_port_bytes_per_s == pytest.approx(900e9 * link.efficiency * 24)
    res = simulate_scenario(sc).systems[0]
    sh = res.ship
    ok = ~np.isnan(sh[:, SH_WIRE_START])
    rate = sh[ok, SH_BYTES] / (sh[ok, SH_PORTS_FREE] - sh[ok, SH_WIRE_START])
    inside = sh[ok, SH_RECEIVER] == 2
    assert inside.any() and (~inside).any()
    assert np.allclose(rate[inside], link.nvlink_port_bytes_per_s, rtol=1e-9)
    assert np.allclose(rate[~inside], link.port_bytes_per_s, rtol=1e-9)


def test_an_hgx_node_keeps_its_link():
    link = scenario_specs(_scenario("h200", 1, 1, 8, 8))[0].link
    assert link.domain_gpus == 0 and link.domain_row is None and not link.same_domain(0, 1)
