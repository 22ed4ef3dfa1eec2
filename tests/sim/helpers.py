"""Shared builders for engine tests: small scenarios without files."""

from disagg_viz.scenario.model import ColocatedSystem, DisaggregatedSystem, Scenario, WorkloadSection


def scenario(systems=None, **workload):
    wl = dict(seed=3, requests=200, arrival_rate=4.0, prompt_tokens=3000, output_tokens=100)
    wl.update(workload)
    if systems is None:
        systems = [ColocatedSystem(name="colo", instances=2),
                   DisaggregatedSystem(name="disagg", prefill_instances=1, decode_instances=1, link="nvlink4")]
    return Scenario(title="test", workload=WorkloadSection(**wl), systems=systems)
