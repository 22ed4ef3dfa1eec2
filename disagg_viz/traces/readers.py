"""Read a request trace into arrival times and prompt/output lengths.

The format is recognised by content (the CSV header or the JSON keys), never by file name:

- Azure LLM inference (2023, 2024): CSV ``TIMESTAMP,ContextTokens,GeneratedTokens`` with
  wall-clock stamps (``2023-11-16 18:15:46.6805900``);
- Mooncake: JSON lines with ``timestamp`` (ms), ``input_length``, ``output_length``;
- BurstGPT: CSV ``Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`` (seconds).

Malformed rows are errors naming their line; with ``skip_malformed`` they are skipped and counted.
Requests that produced no output (BurstGPT's failed calls) are left out and counted.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from disagg_viz.scenario.errors import Problem, ScenarioError
from disagg_viz.traces.prefix import Prefix

FORMATS = ("azure", "mooncake", "burstgpt")
MAX_TRACE_BYTES = 500_000_000
MAX_REPORTED = 20                 # problems listed before "... and N more"
MAX_TOKENS = 1_048_576
MAX_HASH_IDS = 4096                # prefix blocks a row may name (2 M tokens)
MAX_STAMP = 1e13                   # a timestamp past this (ms: the year 2286) is not a date


class TraceError(ScenarioError):
    """A trace could not be read; every problem names the trace line."""


@dataclass
class Trace:
    format: str
    arrival: np.ndarray             # seconds from the first request, non-decreasing
    prompt: np.ndarray              # int64 tokens
    output: np.ndarray              # int64 tokens
    skipped_malformed: list[str] = field(default_factory=list)   # "line N: why"
    skipped_empty: int = 0          # requests with no output tokens
    prefix: Prefix | None = None    # Prefix of Mooncake's hash_ids (None: the trace has none)

    def __len__(self) -> int:
        return len(self.arrival)


def sniff_format(first_line: str) -> str | None:
    line = first_line.strip().lstrip("\ufeff")
    if line.startswith("{"):
        try:
            keys = set(json.loads(line))
        except (json.JSONDecodeError, TypeError):
            return None
        return "mooncake" if {"timestamp", "input_length", "output_length"} <= keys else None
    cols = [c.strip().lower() for c in line.split(",")]
    if cols[:3] == ["timestamp", "contexttokens", "generatedtokens"]:
        return "azure"
    if {"timestamp", "request tokens", "response tokens"} <= set(cols):
        return "burstgpt"
    return None


def _int(text, what: str) -> int:
    try:
        value = float(text) if isinstance(text, str) else text
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value) or value < 0:
        raise ValueError(f"{what} {text!r} is not a whole number >= 0")
    if value > MAX_TOKENS:
        raise ValueError(f"{what} {text!r} is above {MAX_TOKENS:,} tokens")
    return int(value)


def _seconds(text, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or value > MAX_STAMP:
        raise ValueError(f"{what} {text!r} must be a number from 0 to {MAX_STAMP:.0e}")
    return value


def _stamp(text: str) -> float:
    text = text.strip()
    if "." in text and len(text.split(".")[-1]) > 6:      # Azure writes 7 fractional digits
        head, frac = text.rsplit(".", 1)
        text = f"{head}.{frac[:6]}"
    try:
        stamp = datetime.fromisoformat(text)
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)).timestamp()
    except ValueError:
        raise ValueError(f"TIMESTAMP {text!r} is not a date and time like 2023-11-16 18:15:46.680590") from None


def _hash_ids(value) -> tuple[int, ...]:
    """Mooncake's hash_ids: the ids of a prompt's 512-token prefix blocks (absent: none)."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_HASH_IDS or not all(
            isinstance(x, int) and not isinstance(x, bool) and 0 <= x < 2**62 for x in value):
        raise ValueError(f"hash_ids must be a list of at most {MAX_HASH_IDS:,} whole numbers from 0 to 2^62")
    return tuple(value)


def _rows(fmt: str, lines: list[str]):
    """Yield (line number, arrival seconds, prompt, output) or (line number, error text)."""
    if fmt == "mooncake":
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("is not a JSON object")
                missing = [k for k in ("timestamp", "input_length", "output_length") if k not in row]
                if missing:
                    raise ValueError("has no " + ", ".join(missing))
                yield n, _seconds(row["timestamp"], "timestamp") / 1e3, \
                    _int(row["input_length"], "input_length"), _int(row["output_length"], "output_length"), \
                    _hash_ids(row.get("hash_ids"))
            except json.JSONDecodeError as exc:
                yield n, f"is not valid JSON ({exc.msg})"
            except ValueError as exc:
                yield n, str(exc)
        return
    skip = next((k for k, ln in enumerate(lines) if ln.strip()), 0)      # blank lines before the header
    reader = csv.reader(io.StringIO("".join(lines[skip:])))
    try:
        header = [c.strip().lower().lstrip("\ufeff") for c in next(reader, [])]
    except csv.Error as exc:         # a stray carriage return or an endless field in the header
        yield skip + 1, f"is not a CSV header ({exc})"
        return
    if fmt == "azure":
        cols = (0, 1, 2)
    else:
        try:
            cols = (header.index("timestamp"), header.index("request tokens"), header.index("response tokens"))
        except ValueError:
            yield skip + 1, "is a BurstGPT header without Timestamp, Request tokens and Response tokens columns"
            return
    width = max(cols) + 1
    zoned = None                     # Azure: rows with a time zone, or rows without; never a mix
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:     # e.g. a field over the CSV module's size limit
            yield reader.line_num + skip, f"is not a CSV row ({exc})"
            return
        n = reader.line_num + skip
        if not row or all(not c.strip() for c in row):
            continue
        if fmt == "azure" and len(row) >= width:
            has_zone = any(c in row[0][10:] for c in "+Z") or row[0].rstrip().endswith(("z", "Z"))
            if zoned is None:
                zoned = has_zone
            elif has_zone != zoned:
                yield n, ("mixes timestamps with and without a time zone (the earlier rows "
                          f"{'have' if zoned else 'have none'}): times cannot be put in order")
                continue
        if len(row) < width:
            yield n, f"has {len(row)} fields, needs at least {width}"
            continue
        try:
            t = _stamp(row[cols[0]]) if fmt == "azure" else _seconds(row[cols[0]], "Timestamp")
            names = ("ContextTokens", "GeneratedTokens") if fmt == "azure" else ("Request tokens", "Response tokens")
            yield n, t, _int(row[cols[1]], names[0]), _int(row[cols[2]], names[1])
        except ValueError as exc:
            yield n, str(exc)


def read_trace(path: str | os.PathLike, skip_malformed: bool = False, key: str = "workload.trace") -> Trace:
    path = Path(path)
    source = str(path)
    from disagg_viz.bounded_read import read_bounded
    try:
        text = read_bounded(path, MAX_TRACE_BYTES).decode("utf-8-sig")     # a BOM is not data
    except FileNotFoundError:
        raise TraceError([Problem(key, "trace file not found", str(path))]) from None
    except IsADirectoryError:
        raise TraceError([Problem(key, "is a folder, not a trace file", str(path))]) from None
    except UnicodeDecodeError as exc:
        raise TraceError([Problem(key, f"trace is not UTF-8 text (byte {exc.start})")], source) from None
    except OSError as exc:
        raise TraceError([Problem(key, f"cannot read the trace: {exc.strerror or exc}")], source) from None
    lines = text.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip()), "")
    fmt = sniff_format(first)
    if fmt is None:
        raise TraceError([Problem(key, "not a known trace format: expected an Azure CSV (TIMESTAMP,ContextTokens,"
                                       "GeneratedTokens), Mooncake JSON lines (timestamp, input_length, output_length) "
                                       "or a BurstGPT CSV (Timestamp,...,Request tokens,Response tokens,...)",
                                  first.strip()[:80], line=1)], source)
    times, prompts, outputs, bad, hashes = [], [], [], [], []
    empty = 0
    for item in _rows(fmt, lines):
        if len(item) == 2:
            bad.append(f"line {item[0]}: {item[1]}")
            continue
        _, t, p, o = item[:4]
        if o == 0 or p == 0:
            empty += 1
            continue
        times.append(t)
        prompts.append(p)
        outputs.append(o)
        hashes.append(item[4] if len(item) > 4 else ())
    if bad and not skip_malformed:
        shown = [Problem(key, b) for b in bad[:MAX_REPORTED]]
        if len(bad) > MAX_REPORTED:
            shown.append(Problem(key, f"... and {len(bad) - MAX_REPORTED} more malformed rows"))
        shown.append(Problem("workload.trace_skip_malformed", "set it to true to skip malformed rows instead"))
        raise TraceError(shown, source)
    if not times:
        raise TraceError([Problem(key, f"the {fmt} trace has no usable requests")], source)
    arrival = np.asarray(times, dtype=np.float64)
    order = np.argsort(arrival, kind="stable")
    arrival = arrival[order] - arrival[order][0]
    prefix = None
    if any(hashes):
        prefix = Prefix.from_lists([hashes[k] for k in order])
    return Trace(fmt, arrival, np.asarray(prompts, np.int64)[order], np.asarray(outputs, np.int64)[order], bad, empty,
                 prefix)
