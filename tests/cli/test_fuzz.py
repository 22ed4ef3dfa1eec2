"""Fuzzing what strangers send: byte-level mutations of a scenario file, of a PNG carrying a
scenario, and of the three trace formats, and (issue 24) hand-shaped files: dotted and quoted
keys, inline tables, escaped quotes, huge integers, Unicode digits, rich text, planner claims,
hardware and precision fields, and huge valid files through the app's prepare step. Every case
goes through `disagg-viz validate` (which also opens the trace) and ends with exit status 0 or 1
and readable messages: never an exception escaping, a hang or a crash, and never the contents of
a file the user did not name. Seeded; CI runs a few hundred cases a family. The larger run:

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
SECRET = "sk-not-for-your-eyes"
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


def _validate(path, capsys) -> str:
    status = run(["validate", str(path)])
    out = capsys.readouterr()
    assert status in (0, 1), status
    assert "Traceback" not in out.err and "Traceback" not in out.out
    assert all(len(line) < 2000 for line in out.err.splitlines())   # no file echoed whole
    assert SECRET not in out.err and SECRET not in out.out          # nor one the user did not name
    return out.err


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


# --- hand-shaped files (issue 24) -------------------------------------------------------------
TEXT = SCENARIO.decode()
_DIGITS = st.sampled_from(["0", "1", "7", "\u00b2", "\u0663", "\uff11", "\u2460", "\U0001d7d9", "-1", "99"])
_PART = st.one_of(st.from_regex(r"[a-z_]{1,6}", fullmatch=True), st.from_regex(r'"[a-z.\\" ]{0,6}"', fullmatch=True),
                  st.just("'a.b'"), st.just('"\\""'), st.just("systems"), st.just("0"))
_KEY = st.lists(_PART, min_size=1, max_size=40).map(".".join)
_VALUE = st.one_of(st.integers(-10**6, 10**6).map(str), st.integers(1, 6000).map(lambda n: "9" * n),
                   st.just("1.5"), st.just("nan"), st.just("inf"), st.just("true"), st.just('"x"'),
                   st.just('"<img src=/etc/passwd>"'), st.just("[1, [2, [3]]]"), st.just("{a = 1}"),
                   st.just('"""a\\"""\n"""'))
_TAIL = st.one_of(
    st.tuples(_KEY, _VALUE).map(lambda kv: f"\n[x]\n{kv[0]} = {kv[1]}\n"),                        # dotted/quoted keys
    st.tuples(_KEY, _VALUE).map(lambda kv: f"\nzz = {{b = 1, {kv[0]} = {kv[1]}}}\n"),               # inline tables
    st.tuples(_KEY, _VALUE).map(lambda kv: f'\nq = "a\\" b"\n{kv[0]} = {kv[1]}\n'),              # after an escaped quote
    st.tuples(_KEY, _VALUE).map(lambda kv: f'\n[[lesson.steps]]\ntitle = "t"\nsettings = {{"{kv[0]}" = {kv[1]}}}\n'),
    st.tuples(_DIGITS, _DIGITS).map(lambda d: f'\n[[lesson.steps]]\ntitle = "t"\nsettings = {{"systems.{d[0]}.tp" = 2}}\n'
                                              f'claims = [{{metric = "ttft_p50", system = "#{d[1]}", op = "<", value = 5.0}}]\n'),
    st.tuples(st.integers(-3, 200), st.sampled_from(["colocated", "disaggregated", "x"]), st.integers(1, 6)).map(
        lambda c: '\n[[lesson.steps]]\ntitle = "t"\nclaims = [' + ", ".join(
            f'{{planner_gpus = {c[0]}, best = "{c[1]}"}}' for _ in range(c[2])) + "]\n"),     # planner claims
)
_HARDWARE = ["peak_tflops", "peak_fp8_tflops", "price_per_hour", "tdp_w", "hbm_tb_per_s", "memory_gb",
             "allreduce_gb_per_s", "allreduce_latency_us", "memory_utilization", "gpu", "engine"]
_FIELD = st.one_of(
    st.tuples(st.sampled_from(["hardware", "systems.1.prefill_hardware", "systems.1.decode_hardware"]),
              st.sampled_from(_HARDWARE), _VALUE),
    st.tuples(st.just("model"), st.sampled_from(["weight_dtype", "kv_dtype", "dtype_bytes", "preset"]),
              st.one_of(_VALUE, st.sampled_from(['"bf16"', '"fp8"', '"fp4"', '"llama-3.1-70b"', '"deepseek-v3"']))),
    st.tuples(st.sampled_from(["", "lesson.steps.0"]), st.sampled_from(["title", "description", "text"]),
              st.sampled_from(['"<img src=/etc/passwd>"', '"<b>x</b>"', '"\\u0000"', "'<a href=file:///x>y</a>'"])),
    st.tuples(st.just("workload"), st.sampled_from(["requests", "seed", "prompt_tokens", "trace"]), _VALUE),
)


def _with_field(section: str, key: str, value: str) -> str:
    """The default scenario with ``section``.``key`` set (as a dotted key under the section)."""
    if section.startswith("systems.1."):
        return TEXT + f"\n[systems.{section.split('.')[2]}]\n{key} = {value}\n".replace(
            "[systems.", "[[systems]]\nname = \"x\"\nkind = \"disaggregated\"\n[systems.", 1)
    if section == "lesson.steps.0":
        return TEXT + f'\n[[lesson.steps]]\ntitle = "t"\n{key} = {value}\n'
    if not section:
        return f"{key} = {value}\n" + "\n".join(ln for ln in TEXT.splitlines() if not ln.startswith(f"{key} ="))
    return TEXT.replace(f"[{section}]\n", f"[{section}]\n{key} = {value}\n", 1) if f"[{section}]" in TEXT \
        else TEXT + f"\n[{section}]\n{key} = {value}\n"


@FUZZ
@given(tail=_TAIL)
def test_shaped_keys_numbers_digits_and_claims(tail, tmp_path, capsys):
    (tmp_path / "secret.env").write_text(f"API_KEY={SECRET}\n")
    f = tmp_path / "s.toml"
    f.write_text(TEXT + tail)
    _validate(f, capsys)


@FUZZ
@given(field=_FIELD)
def test_hardware_precision_text_and_workload_fields(field, tmp_path, capsys):
    (tmp_path / "secret.env").write_text(f"API_KEY={SECRET}\n")
    (tmp_path / "9").write_text(f"{SECRET}\n")
    f = tmp_path / "s.toml"
    f.write_text(_with_field(*field).replace('trace = "x"', 'trace = "secret.env"'))
    _validate(f, capsys)


_ROW = st.one_of(st.integers(0, 6000).map(lambda n: "9" * max(n, 1)), _DIGITS, st.just("1e400"), st.just("-0"),
                 st.just("[" * 50), st.just('"12"'), st.just("null"))


@FUZZ
@given(rows=st.lists(st.tuples(_ROW, _ROW, _ROW), min_size=1, max_size=5), fmt=st.sampled_from(["jsonl", "csv"]))
def test_traces_with_huge_numbers_and_unicode_digits(rows, fmt, tmp_path, capsys):
    if fmt == "jsonl":
        body = "".join(f'{{"timestamp": {t}, "input_length": {p}, "output_length": {o}}}\n' for t, p, o in rows)
    else:
        body = "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n" + "".join(
            f"{t},m,{p},{o},1,x\n" for t, p, o in rows)
    (tmp_path / f"t.{fmt}").write_text(body)
    f = tmp_path / "s.toml"
    f.write_text(TEXT.replace("[workload]", f'[workload]\ntrace = "t.{fmt}"', 1))
    _validate(f, capsys)


BIG = settings(max_examples=max(EXAMPLES // 60, 3), deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@BIG
@given(systems=st.integers(1, 8), requests=st.integers(1, 200_000), rate=st.floats(0.01, 10_000),
       output=st.integers(1, 8192), prompt=st.integers(1, 65_536))
def test_huge_valid_files_pass_the_budget_or_run_through_prepare(systems, requests, rate, output, prompt):
    """What validates runs: the simulation and the app's prepare step (its charts' data) finish,
    within the run budget's memory (a refused file says so instead)."""
    from disagg_viz.playback.prepared import prepare
    from disagg_viz.scenario import ScenarioError, loads_scenario
    from disagg_viz.sim.runner import simulate_scenario
    head, rest = TEXT.split("[[systems]]", 1)
    blocks = ["[[systems]]" + b for b in rest.split("[[systems]]")]
    text = head.replace("requests = 600", f"requests = {requests}").replace("arrival_rate = 16.0", f"arrival_rate = {rate}")
    text = text.replace("output_tokens = 256", f"output_tokens = {output}").replace("prompt_tokens = 4096",
                                                                                    f"prompt_tokens = {prompt}")
    text += "".join(blocks[k % 2].replace('name = "', f'name = "{k} ', 1) for k in range(systems))
    try:
        sc = loads_scenario(text)
    except ScenarioError as exc:
        assert "budget" in str(exc)
        return
    if requests * systems > int(os.environ.get("DISAGG_VIZ_FUZZ_BIG_REQUESTS", "20000")):
        return                                                 # CI: small runs only; locally raise the limit
    prepared = prepare(simulate_scenario(sc))
    assert len(prepared.series) == systems
