"""``disagg-viz estimate --ep N``: one expert-parallel MoE instance's prefill and decode step, the
all-to-all on its own line, and what a node serves (docs/cost-model.md, "Expert parallelism").

With ``--ep`` the instance is N GPUs; ``--prompt-tokens`` and ``--batch`` are per attention group
(per GPU with ``--attention dp``, the whole instance with ``tp``), so a prefill iteration holds one
prompt per group and a decode step ``batch`` sequences per group.
"""

from __future__ import annotations

from disagg_viz.cli.common import CliError
from disagg_viz.export.json_out import dumps
from disagg_viz.sim.cost_breakdown import OPERATORS, iteration_breakdown
from disagg_viz.sim.cost_model import CM_EXPERT_IMBALANCE, CM_KV_PER_TOKEN, iteration_cost
from disagg_viz.sim.per_node import node_gpus


def ep_overrides(args) -> list[str]:
    """Scenario overrides that make both pools of estimate's system expert-parallel."""
    if args.ep < 1:
        raise CliError(f"--ep {args.ep}: must be at least 1")
    if args.ep == 1:
        if args.attention != "tp":
            raise CliError('--attention dp needs --ep > 1 (DP attention gives each GPU of an expert-parallel '
                           'instance its own sequences)')
        return []
    if args.tp != 1:
        raise CliError(f"--ep {args.ep} with --tp {args.tp}: an expert-parallel instance is EP GPUs; leave --tp at 1")
    out = [f"systems.0.{role}_{key}={value}" for role in ("prefill", "decode")
           for key, value in (("ep", args.ep), ("attention", args.attention))]
    out.append(f"systems.0.two_batch_overlap={'true' if args.two_batch_overlap else 'false'}")
    if args.expert_imbalance is not None:
        out.append(f"systems.0.expert_imbalance={args.expert_imbalance}")
    return out


def estimate_expert_parallel(spec, scenario, args) -> int:
    pool = spec.prefill_pool
    cm = pool.cost
    groups = pool.tp // pool.attention_tp
    n, batch = args.prompt_tokens, args.batch
    context = args.context if args.context is not None else n
    prefill_it = (groups * n, groups * (n * (n + 1) // 2), 0, 0, 0, groups)
    decode_it = (0, 0, 0, groups * batch, groups * batch * context, groups * batch)
    prefill, decode = iteration_cost(cm, *prefill_it)[0], iteration_cost(cm, *decode_it)[0]
    steps = {"prefill": iteration_breakdown(cm, *prefill_it), "decode_step": iteration_breakdown(cm, *decode_it)}
    per_node = node_gpus(pool.hardware, pool.tp)
    out = {
        "model": args.model, "gpu": args.gpu, "ep": pool.ep, "attention": pool.attention,
        "attention_groups": groups, "gpus": pool.tp, "engine": scenario.hardware.engine,
        "two_batch_overlap": args.two_batch_overlap, "expert_imbalance": cm[CM_EXPERT_IMBALANCE],
        "prompts_per_prefill": groups, "decode_sequences": groups * batch,
        "prefill_ms": prefill * 1e3, "decode_step_ms": decode * 1e3,
        "prefill_all_to_all_ms": steps["prefill"]["all_to_all"] * 1e3,
        "decode_all_to_all_ms": steps["decode_step"]["all_to_all"] * 1e3,
        "kv_bytes_per_token": cm[CM_KV_PER_TOKEN],
        "kv_capacity_tokens": pool.kv_capacity_tokens,
        "gpus_per_node": per_node,
        "input_tokens_per_s_per_node": groups * n / prefill / pool.tp * per_node,
        "output_tokens_per_s_per_node": groups * batch / decode / pool.tp * per_node,
        "operators": {step: {op: t * 1e3 for op, t in parts.items()} for step, parts in steps.items()},
    }
    if pool.kv_capacity_tokens <= 0:
        out["fits"] = False
    if args.json:
        print(dumps(out, indent=2))
        return 0
    print(f"{args.model} on EP{pool.ep} x {args.gpu} ({pool.attention.upper()} attention, {groups} group"
          f"{'s' if groups > 1 else ''}), {scenario.hardware.engine} engine profile"
          + (", two-batch overlap" if args.two_batch_overlap else ""))
    if pool.kv_capacity_tokens <= 0:
        print("  the weights do not fit: dense part + experts / ep exceed each GPU's memory")
    print(f"  prefill, {groups} x {n:,} tokens            {out['prefill_ms']:10.2f} ms"
          f"   (all-to-all {out['prefill_all_to_all_ms']:.2f} ms)")
    print(f"  decode step, {groups * batch:,} x {context:,} ctx      {out['decode_step_ms']:10.2f} ms"
          f"   (all-to-all {out['decode_all_to_all_ms']:.2f} ms)")
    print(f"  KV capacity                   {out['kv_capacity_tokens']:10,} tokens")
    print(f"  per node ({per_node} GPUs): input {out['input_tokens_per_s_per_node']:,.0f} tokens/s in prefill, "
          f"output {out['output_tokens_per_s_per_node']:,.0f} tokens/s in decode")
    print(f"  {'where the time goes, ms':50}" + "".join(f"{k.replace('_', ' '):>14}" for k in steps))
    for op, label in OPERATORS.items():
        print(f"    {label[:48]:48}" + "".join(f"{parts[op] * 1e3:14.2f}" for parts in steps.values()))
    return 0
