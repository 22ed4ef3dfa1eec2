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
import json
import math
import os
import re
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from disagg_viz.scenario.errors import Problem, ScenarioError, short
from disagg_viz.traces.prefix import Prefix

FORMATS = ("azure", "mooncake", "burstgpt")
MAX_TRACE_BYTES = 500_000_000
MAX_TRACE_LINES = 10_000_000      # counted before any work per line (499 M blank lines: 4.3 GB, 124 s before)
MAX_REPORTED = 20                 # problems listed before "... and N more"
MAX_TOKENS = 1_048_576
MAX_HASH_IDS = 4096                # prefix blocks a row may name (2 M tokens)
MAX_STAMP = 1e13                   # a timestamp past this (ms: the year 2286) is not a date


_BLANK = re.compile(r"\s*")
_COUNT_CHUNK = 1 << 24


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
        except (ValueError, TypeError, RecursionError):   # incl. an integer over Python's 4,300-digit limit
            return None
        return "mooncake" if {"timestamp", "input_length", "output_length"} <= keys else None
    cols = [c.strip().lower() for c in line.split(",")]
    if cols[:3] == ["timestamp", "contexttokens", "generatedtokens"]:
        return "azure"
    if {"timestamp", "request tokens", "response tokens"} <= set(cols):
        return "burstgpt"
    return None


def _int(text, what: str) -> int:
    if isinstance(text, int) and not isinstance(text, bool) and abs(text) > MAX_TOKENS:   # JSON: 400 digits
        raise ValueError(f"{what} (a {len(str(abs(text))):,}-digit integer) is not a whole number from 0 to {MAX_TOKENS:,}")
    try:
        value = float(text) if isinstance(text, str) else text
    except ValueError:
        raise ValueError(f"{what} {short(repr(text), 40)} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value) or value < 0:
        raise ValueError(f"{what} {short(repr(text), 40)} is not a whole number >= 0")
    if value > MAX_TOKENS:
        raise ValueError(f"{what} {text!r} is above {MAX_TOKENS:,} tokens")
    return int(value)


def _seconds(text, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):     # OverflowError: a JSON integer of 400 digits
        raise ValueError(f"{what} {short(repr(text), 40)} is not a number") from None
    if not math.isfinite(value) or value < 0 or value > MAX_STAMP:
        raise ValueError(f"{what} {short(repr(text), 40)} must be a number from 0 to {MAX_STAMP:.0e}")
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


def _lines(text: str, start: int = 0):
    """The lines of ``text`` from offset ``start``, with their ends, one at a time (a list of a
    trace's lines costs 8 bytes a line even when they are blank)."""
    end = len(text)
    while start < end:
        nl = text.find("\n", start)
        stop = end if nl < 0 else nl + 1
        yield text[start:stop]
        start = stop


def _json(line: str):
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):          # an integer past 4,300 digits, arrays nested thousands deep
        raise ValueError("is not valid JSON (a number too long or nesting too deep)") from None


def _hash_ids(value) -> tuple[int, ...]:
    """Mooncake's hash_ids: the ids of a prompt's 512-token prefix blocks (absent: none)."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_HASH_IDS or not all(
            isinstance(x, int) and not isinstance(x, bool) and 0 <= x < 2**62 for x in value):
        raise ValueError(f"hash_ids must be a list of at most {MAX_HASH_IDS:,} whole numbers from 0 to 2^62")
    return tuple(value)


def _rows(fmt: str, text: str, start: int, skip: int):
    """Yield (line number, arrival seconds, prompt, output) or (line number, error text), reading
    ``text`` from offset ``start``, the first non-blank line (line ``skip`` + 1)."""
    if fmt == "mooncake":
        for n, line in enumerate(_lines(text, start), start=skip + 1):
            if not line.strip():
                continue
            try:
                row = _json(line)
                if not isinstance(row, dict):
                    raise ValueError("is not a JSON object")
                missing = [k for k in ("timestamp", "input_length", "output_length") if k not in row]
                if missing:
                    raise ValueError("has no " + ", ".join(missing))
                yield n, _seconds(row["timestamp"], "timestamp") / 1e3, \
                    _int(row["input_length"], "input_length"), _int(row["output_length"], "output_length"), \
                    _hash_ids(row.get("hash_ids"))
            except ValueError as exc:
                yield n, str(exc)
        return
    reader = csv.reader(_lines(text, start))
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
    from disagg_viz.bounded_read import map_bounded
    try:
        raw = map_bounded(path, MAX_TRACE_BYTES)        # a large trace is memory-mapped: no copy before the count
        try:
            lines = sum(raw[i:i + _COUNT_CHUNK].count(b"\n") for i in range(0, len(raw), _COUNT_CHUNK))
            if lines > MAX_TRACE_LINES:                # bounded before any work per line
                raise TraceError([Problem(key, f"the trace has {lines:,} lines; at most {MAX_TRACE_LINES:,} (one "
                                               "request a line): cut it to the part you need")], source)
            text = str(raw, "utf-8-sig")               # a BOM is not data
        finally:
            if not isinstance(raw, bytes):
                raw.close()
    except FileNotFoundError:
        raise TraceError([Problem(key, "trace file not found", str(path))]) from None
    except IsADirectoryError:
        raise TraceError([Problem(key, "is a folder, not a trace file", str(path))]) from None
    except UnicodeDecodeError as exc:
        raise TraceError([Problem(key, f"trace is not UTF-8 text (byte {exc.start})")], source) from None
    except OSError as exc:
        raise TraceError([Problem(key, f"cannot read the trace: {exc.strerror or exc}")], source) from None
    start = _BLANK.match(text).end()                     # blank lines before the header
    start = text.rfind("\n", 0, start) + 1
    skip = text.count("\n", 0, start)
    first = next(_lines(text, start), "")
    fmt = sniff_format(first)
    if fmt is None:
        # Not quoted: the scenario named this file, the user did not, and it may hold anything.
        raise TraceError([Problem(key, "not a known trace format: its first line is not the header of an Azure CSV "
                                       "(TIMESTAMP,ContextTokens,GeneratedTokens), Mooncake JSON lines (timestamp, "
                                       "input_length, output_length) or a BurstGPT CSV (Timestamp,...,Request tokens,"
                                       "Response tokens,...)", line=1)], source)
    times, prompts, outputs, bad, hashes = array("d"), array("q"), array("q"), [], []
    empty = 0
    for item in _rows(fmt, text, start, skip):
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
