"""Names that tell the truth: when an edit changes a system's pools, link, TP or chunking, the
words of its name that described the old value are rewritten ("2P2D over NVLink" with 16 prefill
instances over 0.5 GB/s reads "16P2D over 0.5 GB/s"). A name that mentions none of them (a name
the scenario fixed, like "Yours") stays as it is. Qt-free."""

from __future__ import annotations

import re

from disagg_viz.presets import LINK_LABELS, LINKS

_XPYD = re.compile(r"\b\d+P\d+D\b")
_GPUS = re.compile(r"\b(?:\d+|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ss]ix|[Ee]ight) GPUs?\b")   # "One GPU" too
_TP = re.compile(r"\(TP\d+(?:/TP\d+)?\)|\bTP\d+\b")
_INSTANCES_TP = re.compile(r"\b\d+ x TP\d+\b")
_SHORT = {"nvlink3": "NVLink", "nvlink4": "NVLink", "nvlink5": "NVLink", "pcie4": "PCIe Gen4", "pcie5": "PCIe Gen5",
          "ib-ndr": "InfiniBand NDR", "ib-xdr": "InfiniBand XDR", "ethernet-100g": "100 GbE",
          "ethernet-25g": "25 GbE"}


def link_words(system) -> list[str]:
    """How a name may refer to a disaggregated system's link, longest first."""
    words = []
    if system.link_gb_per_s is not None:
        words.append(f"{system.link_gb_per_s:g} GB/s")
    if system.link is not None:
        words += [LINK_LABELS[system.link], _SHORT[system.link]]
    return sorted(set(words), key=len, reverse=True)


def link_label(system) -> str:
    """The link as a name should say it: its preset's short name, or its GB/s."""
    gb = system.link_peak_gb_per_s
    for key, peak in LINKS.items():
        if abs(peak - gb) <= 1e-9 * max(gb, 1.0) and (system.link in (None, key)):
            return _SHORT[key]
    return f"{gb:g} GB/s"


def _tp_text(system) -> str:
    if system.kind == "colocated":
        return f"TP{system.tp}"
    if system.prefill_tp == system.decode_tp:
        return f"(TP{system.prefill_tp})"
    return f"(TP{system.prefill_tp}/TP{system.decode_tp})"


def followed_name(old, new) -> str:
    """``new``'s name with the words that described what changed since ``old`` rewritten."""
    name = new.name
    if new.kind != old.kind:
        return name
    if new.kind == "disaggregated":
        if (old.prefill_instances, old.decode_instances) != (new.prefill_instances, new.decode_instances):
            name = _XPYD.sub(f"{new.prefill_instances}P{new.decode_instances}D", name)
        if (old.link, old.link_gb_per_s) != (new.link, new.link_gb_per_s):
            for word in link_words(old):
                if word in name:            # "NVLink fixed" (repaired) says nothing true of 1 GB/s
                    name = name.replace(word + " fixed", word).replace(word, link_label(new))
                    break
        if (old.prefill_tp, old.decode_tp) != (new.prefill_tp, new.decode_tp):
            name = _TP.sub(_tp_text(new), name, count=1)
    else:
        if (old.instances, old.tp) != (new.instances, new.tp):
            gpus = new.instances * new.tp
            name = _INSTANCES_TP.sub(f"{new.instances} x TP{new.tp}", name)
            name = _GPUS.sub(f"{gpus} GPU{'s' if gpus != 1 else ''}", name)
        if old.chunked_prefill != new.chunked_prefill:
            a, b = ("chunked", "prefill-first") if old.chunked_prefill else ("prefill-first", "chunked")
            name = re.sub(rf"\b{a}\b", b, name) if re.search(rf"\b{a}\b", name) else name
    return name[:80]


def follow_names(old_scenario, new_scenario, assignments: dict) -> object:
    """The edited scenario with its systems' names following their configuration, except where
    the edit set a name itself."""
    systems = list(new_scenario.systems)
    changed = False
    for k, (old, new) in enumerate(zip(old_scenario.systems, systems)):
        if f"systems.{k}.name" in assignments:
            continue
        name = followed_name(old, new)
        if name != new.name:
            systems[k] = new.model_copy(update={"name": name})
            changed = True
    return new_scenario.model_copy(update={"systems": systems}) if changed else new_scenario
