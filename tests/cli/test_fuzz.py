"""Fuzzing what strangers send: byte-level mutations of a scenario file, of a PNG carrying a
scenario, and of the three trace formats, through `disagg-viz validate` (which also opens the
trace). Every case ends with exit status 0 or 1 and readable messages: never an exception
escaping, a hang or a crash. Seeded; CI runs a few hundred cases. The larger run in the README:

    DISAGG_VIZ_FUZZ_EXAMPLES=10000 QT_QPA_PLATFORM=offscreen python -m pytest -q tests/cli/test_fuzz.py
"""

import io
import os

from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from disagg_viz.cli.main import run
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario.embedded import png_text_info
from tests.conftest import FIXTURES

EXAMPLES = int(os.environ.get("DISAGG_VIZ_FUZZ_EXAMPLES", "300"))
SCENARIO = (scenarios_dir() / "default.toml").read_bytes()
TRACES = {p.name: p.read_bytes() for p in (FIXTURES / "traces").glob("*-small.*")}


def _png_with(text: bytes) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG", pnginfo=png_text_info(text.decode("utf-8", "replace")))
    return buf.getvalue()


PNG = _png_with(SCENARIO)

_MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate"]),
                      st.integers(0, 10**9), st.binary(min_size=1, max_size=40))


def _mutate(data: bytes, mutations) -> bytes:
    out = bytearray(data)
    for kind, where, blob in mutations:
        i = where % (len(out) + 1)
        if kind == "flip" and out:
            out[i % len(out)] ^= blob[0] or 1
        elif kind == "insert":
            out[i:i] = blob
        elif kind == "delete":
            del out[i:i + len(blob)]
        elif kind == "duplicate":
            out[i:i] = out[i:i + 10 * len(blob)]
        elif kind == "truncate":
            del out[i:]
    return bytes(out)


def _validate(path, capsys) -> None:
    status = run(["validate", str(path)])
    out = capsys.readouterr()
    assert status in (0, 1), status
    assert "Traceback" not in out.err and "Traceback" not in out.out
    assert all(len(line) < 2000 for line in out.err.splitlines())   # no file echoed whole


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_scenario_files(mutations, tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_bytes(_mutate(SCENARIO, mutations))
    _validate(f, capsys)


@FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=6), in_text=st.booleans())
def test_mutated_images_carrying_a_scenario(mutations, in_text, tmp_path, capsys):
    f = tmp_path / "s.png"
    f.write_bytes(_png_with(_mutate(SCENARIO, mutations)) if in_text else _mutate(PNG, mutations))
    _validate(f, capsys)


@FUZZ
@given(name=st.sampled_from(sorted(TRACES)), mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_traces(name, mutations, tmp_path, capsys):
    trace = tmp_path / name
    trace.write_bytes(_mutate(TRACES[name], mutations))
    f = tmp_path / "s.toml"
    f.write_bytes(SCENARIO.replace(b"[workload]", f'[workload]\ntrace = "{name}"'.encode(), 1))
    _validate(f, capsys)
