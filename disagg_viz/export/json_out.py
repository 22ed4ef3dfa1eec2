"""JSON that is always valid JSON: NaN and infinities (a quantity that did not happen, or an
unbounded one) become null, numpy scalars become numbers."""

from __future__ import annotations

import json
import math

import numpy as np


def finite(obj):
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def dumps(obj, **kw) -> str:
    return json.dumps(finite(obj), allow_nan=False, **kw)
