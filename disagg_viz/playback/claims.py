"""A lesson step's claims about its own run, and the live numbers in its texts. Qt-free.

Texts take numbers from the run through placeholders, written ``{METRIC of "SYSTEM"}`` or
``{METRIC of #K}`` (K = 1 for the first system), e.g. ``{ttft_p90 of "2P2D over NVLink"}``; they
are formatted as the scoreboard formats them. Claims compare a metric of a system with a number
or with another system's value, or state the planner's verdict for N GPUs.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from disagg_viz.metric_ids import SUMMARY_METRICS
from disagg_viz.sim.metric_registry import METRICS

PLACEHOLDER = re.compile(r'\{(\w+) of (?:"([^"{}]+)"|#(\d+))\}')
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class ClaimError(ValueError):
    """A claim or placeholder that names a metric or system the step does not have."""


def find_system(summaries: list[dict], ref: str) -> dict:
    """A system's summary by its shown name or by "#K" (1 = first)."""
    if ref.startswith("#") and ref[1:].isascii() and ref[1:].isdigit():   # not "#²"
        k = int(ref[1:])
        if 1 <= k <= len(summaries):
            return summaries[k - 1]
        raise ClaimError(f"system {ref}: the step shows {len(summaries)} systems")
    for s in summaries:
        if s["name"] == ref:
            return s
    names = ", ".join(f'"{s["name"]}"' for s in summaries)
    raise ClaimError(f'system "{ref}" is not in this step (it shows {names})')


def metric_value(summaries: list[dict], metric: str, system: str) -> float | None:
    """A metric of a system's summary; only the run's own metrics (metric_ids.SUMMARY_METRICS)."""
    if metric not in SUMMARY_METRICS:
        if metric in METRICS:
            raise ClaimError(f"{metric} is computed only on request (a search over rates), not by the step's run; "
                             f"a text or claim can name {', '.join(SUMMARY_METRICS)}")
        raise ClaimError(f"unknown metric {metric!r}; one of {', '.join(SUMMARY_METRICS)}")
    return METRICS[metric].value(find_system(summaries, system))


def render(text: str, summaries: list[dict] | None) -> str:
    """The text with every placeholder replaced by its number ("…" while there is no result)."""
    def one(m: re.Match) -> str:
        if summaries is None:
            return "…"
        metric, name, index = m.group(1), m.group(2), m.group(3)
        value = metric_value(summaries, metric, name if name is not None else f"#{index}")
        return METRICS[metric].text(value)
    return PLACEHOLDER.sub(one, text)


def placeholders(text: str) -> list[tuple[str, str]]:
    """(metric, system reference) of every placeholder in a text."""
    return [(m.group(1), m.group(2) if m.group(2) is not None else f"#{m.group(3)}") for m in PLACEHOLDER.finditer(text)]


@dataclass(frozen=True)
class Verdict:
    claim: object
    holds: bool
    says: str              # the claim in words, with the numbers


def describe(claim) -> str:
    if claim.planner_gpus is not None:
        return f"the planner's best layout of {claim.planner_gpus} GPUs is {claim.best}"
    rhs = f"{claim.value:g} {METRICS[claim.metric].unit}" if claim.than is None else (
        f"{'' if claim.factor == 1 else f'{claim.factor:g} x '}{claim.metric} of {claim.than}")
    return f"{claim.metric} of {claim.system} {claim.op} {rhs}"


def check_metric_claim(claim, summaries: list[dict]) -> Verdict:
    m = METRICS[claim.metric]
    left = metric_value(summaries, claim.metric, claim.system)
    if claim.than is None:
        right, shown = claim.value, f"{claim.value:g} {m.unit}"
    else:
        other = metric_value(summaries, claim.metric, claim.than)
        right = None if other is None else claim.factor * other
        shown = f"{m.text(right)}" + ("" if claim.factor == 1 else f" ({claim.factor:g} x {m.text(other)})")
    holds = left is not None and right is not None and _OPS[claim.op](left, right)
    return Verdict(claim, bool(holds), f"{describe(claim)}: {m.text(left)} {claim.op} {shown}")


def check_planner_claim(claim, best_label: str, best_kind: str, best_is_split: bool) -> Verdict:
    return Verdict(claim, best_is_split == claim.wants_split,
                   f"{describe(claim)}: it ranks {best_label} ({best_kind}) first")
