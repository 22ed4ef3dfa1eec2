import os

import pytest
from hypothesis import given, settings, strategies as st

from disagg_viz.resources import scenarios_dir, shipped_scenarios
from disagg_viz.scenario import ScenarioError, dump_scenario, load_scenario, loads_scenario, save_scenario
from disagg_viz.scenario.files import MAX_FILE_BYTES
from disagg_viz.scenario.overrides import apply_overrides
from tests.conftest import FIXTURES


def test_shipped_scenarios_are_the_lesson_and_validate():
    names = [p.stem for p in shipped_scenarios()]
    assert names[:5] == ["01-the-conflict", "02-the-fix", "03-the-gating-cost", "04-when-it-pays", "05-your-cluster"]
    assert "default" in names
    for p in shipped_scenarios():
        sc = load_scenario(p)
        assert len(sc.systems) >= 2 and sc.description


@pytest.mark.parametrize("path", sorted(scenarios_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_round_trip_is_exact(path, tmp_path):
    sc = load_scenario(path)
    out = tmp_path / "copy.toml"
    save_scenario(sc, out)
    again = load_scenario(out)
    assert again == sc
    assert dump_scenario(again) == dump_scenario(sc)
    assert out.read_text().startswith("schema_version = 3\ntitle = ")


def test_every_problem_reported_with_key_value_and_line():
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURES / "bad-many-problems.toml")
    probs = {p.key: p for p in info.value.problems}
    assert set(probs) == {"model.preset", "workload.requests", "workload.arrival_rate", "workload.colour",
                          "systems.0.tp", "systems.1.link_gb_per_s"}
    assert probs["workload.arrival_rate"].value == -1.0 and "greater than or equal to 0.0001" in probs["workload.arrival_rate"].message
    assert probs["workload.colour"].message == "unknown key"
    assert probs["model.preset"].line == 5 and probs["systems.0.tp"].line == 15
    assert "llama-3.1-8b" in probs["model.preset"].message


def test_not_toml_names_the_line():
    with pytest.raises(ScenarioError) as info:
        loads_scenario('schema_version = 1\ntitle = "unterminated\n')
    assert info.value.problems[0].line == 2 and "not valid TOML" in str(info.value)


def test_newer_schema_refused_clearly():
    with pytest.raises(ScenarioError, match="newer disagg-viz"):
        loads_scenario("schema_version = 99\n")


def test_huge_file_refused(tmp_path):
    p = tmp_path / "huge.toml"
    p.write_text("# " + "x" * (MAX_FILE_BYTES + 10))
    with pytest.raises(ScenarioError, match="too large"):
        load_scenario(p)


def test_overrides_with_list_indices_and_presets():
    sc = load_scenario(scenarios_dir() / "default.toml")
    new = apply_overrides(sc, ["systems.1.link_gb_per_s=5", "workload.prompt_tokens=8192", "model.layers=60"])
    assert new.systems[1].link_peak_gb_per_s == 5 and new.workload.prompt_tokens == 8192
    assert new.model.resolved()["layers"] == 60 and sc.model.layers is None
    with pytest.raises(ScenarioError, match=r"systems\.7: index 7 is out of range"):
        apply_overrides(sc, ["systems.7.name=x"])
    with pytest.raises(ScenarioError, match="workload.requests"):
        apply_overrides(sc, ["workload.requests=0"])


def test_an_index_one_past_the_end_adds_an_entry():
    sc = load_scenario(scenarios_dir() / "05-your-cluster.toml")
    assert sc.faults == []
    new = apply_overrides(sc, {"faults.0.at_s": 60.0, "faults.0.system": "2P2D, NVLink fixed", "faults.0.link": "pcie4"})
    assert len(new.faults) == 1 and new.faults[0].at_s == 60.0 and new.faults[0].link == "pcie4"
    with pytest.raises(ScenarioError, match=r"faults\.2: index 2 is out of range"):
        apply_overrides(sc, ["faults.2.at_s=1"])
    with pytest.raises(ScenarioError, match="faults.0.system"):     # an entry added must still be whole
        apply_overrides(sc, ["faults.0.at_s=1"])


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    sc = load_scenario(scenarios_dir() / "default.toml")
    target = tmp_path / "mine.toml"
    target.write_text("old contents")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_scenario(sc, target)
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]   # no temporary file left behind


_SAMPLE = (scenarios_dir() / "default.toml").read_text()


@settings(max_examples=2500)
@given(cut=st.integers(0, len(_SAMPLE)), junk=st.text(max_size=20), pos=st.integers(0, len(_SAMPLE)))
def test_mutated_files_load_or_raise_scenario_error(cut, junk, pos):
    text = _SAMPLE[:cut] if cut % 2 else _SAMPLE[:pos] + junk + _SAMPLE[pos:]
    try:
        loads_scenario(text)
    except ScenarioError:
        pass


def test_version_1_files_migrate_and_are_saved_as_version_2(tmp_path):
    v1 = (scenarios_dir() / "default.toml").read_text().replace("schema_version = 3", "schema_version = 1")
    sc = loads_scenario(v1)
    assert sc.schema_version == 3 and sc == load_scenario(scenarios_dir() / "default.toml")
    save_scenario(sc, tmp_path / "new.toml")
    assert (tmp_path / "new.toml").read_text().startswith("schema_version = 3\n")


def test_view_teacher_and_lesson_round_trip_in_readable_order(tmp_path):
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"),
                         ['view.speed="fast"', 'view.vocabulary="serving"', "view.time_s=12.5",
                          'teacher.hidden=["gpu"]', 'teacher.locked=["model"]', 'teacher.mystery=["link"]'])
    text = dump_scenario(sc)
    assert text.index("[slo]") < text.index("[[systems]]") < text.index("[view]") < text.index("[teacher]")
    again = loads_scenario(text)
    assert again == sc and again.view.speed == "fast" and again.teacher.mystery == ["link"]
    assert "[view]" not in dump_scenario(load_scenario(scenarios_dir() / "default.toml"))


def test_lesson_steps_are_checked_with_their_keys():
    base = (scenarios_dir() / "default.toml").read_text()
    good = base + '''
[[lesson.steps]]
title = "Guess"
question = "Which wins?"
choices = ["colocated", "disaggregated"]
answer = 1
reveal = "Disaggregated: no stalls."

[lesson.steps.settings]
"workload.prompt_tokens" = 8000
'''
    sc = loads_scenario(good)
    assert sc.lesson.steps[0].settings == {"workload.prompt_tokens": 8000}
    with pytest.raises(ScenarioError) as info:
        loads_scenario(good.replace("answer = 1", "answer = 4").replace("= 8000", "= -5"))
    text = str(info.value)
    assert "lesson.steps.0" in text and "answer" in text
    with pytest.raises(ScenarioError, match=r"lesson\.steps\.0\.settings\.workload\.prompt_tokens"):
        loads_scenario(good.replace("= 8000", "= -5"))


def test_an_edit_validates_once_and_an_edit_of_the_lesson_checks_its_steps(monkeypatch):
    """An edit (a slider, --set) validates the scenario once; it does not re-apply every lesson
    step's settings (checked when the file was read). An edit of a step's settings is checked."""
    from disagg_viz.scenario import codec
    sc = load_scenario(scenarios_dir() / "06-moe-and-fp8.toml")
    assert sum(1 for step in sc.lesson.steps if step.settings) >= 2
    validations = []
    validate = codec.Scenario.model_validate
    monkeypatch.setattr(codec.Scenario, "model_validate", lambda data: validations.append(1) or validate(data))
    assert apply_overrides(sc, ["workload.arrival_rate=3"]).workload.arrival_rate == 3
    assert len(validations) == 1
    with pytest.raises(ScenarioError, match=r"lesson\.steps\.0\.settings\.workload\.prompt_tokens"):
        apply_overrides(sc, {"lesson.steps.0.settings": {"workload.prompt_tokens": -5}})


_TOML_SCALARS = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False), st.booleans(), st.text(max_size=12))
_KEYS = st.sampled_from(["schema_version", "title", "model", "preset", "workload", "requests", "systems", "kind",
                         "colocated", "slo", "view", "lesson", "steps", "teacher", "hidden", "x"]) | st.text(max_size=8)
_TREES = st.recursive(_TOML_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
                      max_leaves=25)


@settings(max_examples=1000)
@given(tree=st.dictionaries(_KEYS, _TREES, max_size=8), version=st.sampled_from([None, 1, 2, 3, "2"]))
def test_random_files_load_or_raise_scenario_error(tree, version):
    import tomli_w
    if version is not None:
        tree["schema_version"] = version
    try:
        text = tomli_w.dumps(tree)
    except (TypeError, ValueError):
        return
    try:
        loads_scenario(text)
    except ScenarioError:
        pass


_VALID = st.fixed_dictionaries({
    "workload.requests": st.integers(1, 200_000), "workload.arrival_rate": st.floats(0.01, 10_000),
    "workload.prompt_tokens": st.integers(1, 262_144), "workload.prompt_distribution": st.sampled_from(["fixed", "uniform", "lognormal"]),
    "workload.seed": st.integers(0, 2**63 - 1), "slo.attainment": st.floats(0.01, 1.0),
    "systems.0.instances": st.integers(1, 64), "systems.0.tp": st.sampled_from([1, 2, 4, 8]),
    "systems.0.chunked_prefill": st.booleans(), "systems.1.link_gb_per_s": st.floats(0.01, 10_000),
    "systems.1.layerwise_transfer": st.booleans(), "model.layers": st.integers(1, 512),
    "hardware.memory_gb": st.floats(1, 10_000), "title": st.text(max_size=40),
    "view.speed": st.sampled_from(["slow", "normal", "fast"]), "view.time_s": st.floats(0, 1e6),
})


@settings(max_examples=300)
@given(values=_VALID)
def test_random_valid_scenarios_round_trip_exactly(values, tmp_path_factory):
    from hypothesis import assume
    try:
        sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), values)
    except ScenarioError as exc:          # slow traffic of many requests: batches of one, past the run budget
        assert "budget" in str(exc), str(exc)
        assume(False)
    out = tmp_path_factory.mktemp("rt") / "s.toml"
    save_scenario(sc, out)
    assert load_scenario(out) == sc


def test_version_2_dtype_bytes_migrates_to_weight_and_kv_precision():
    from disagg_viz.scenario import loads_scenario
    text = (scenarios_dir() / "default.toml").read_text().replace("schema_version = 3", "schema_version = 2")
    fp8 = loads_scenario(text.replace('[model]\npreset = "llama-3.1-8b"', '[model]\npreset = "llama-3.1-8b"\ndtype_bytes = 1'))
    assert fp8.schema_version == 3 and fp8.model.weight_dtype == "fp8" and fp8.model.kv_dtype == "fp8"
    assert fp8.model.dtype_bytes is None and fp8.model.resolved()["kv_bytes"] == 1.0
    odd = loads_scenario(text.replace('[model]\npreset = "llama-3.1-8b"', '[model]\npreset = "llama-3.1-8b"\ndtype_bytes = 4'))
    assert odd.model.dtype_bytes == 4 and odd.model.resolved()["weight_bytes"] == 4


@pytest.mark.parametrize("text,expected", [
    ("schema_version = 3\nx = " + "[" * 2000 + "]" * 2000 + "\n", "nested more than"),
    ("schema_version = 3\n" + ".".join(["a"] * 100_000) + " = 1\n", "dotted parts"),
])
def test_deep_nesting_and_endless_keys_are_refused_quickly(text, expected):
    from disagg_viz.scenario import loads_scenario
    with pytest.raises(ScenarioError, match=expected):
        loads_scenario(text)


def test_every_shipped_scenario_passes_the_shape_check():
    from disagg_viz.scenario.toml_shape import shape_problem as _shape_problem
    for path in scenarios_dir().glob("*.toml"):
        assert _shape_problem(path.read_text()) is None, path.name


def _png(chunks: list[tuple[bytes, bytes]], width=100_000, height=100_000) -> bytes:
    import struct
    import zlib
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + b"".join(chunk(k, b) for k, b in chunks)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_images_give_their_scenario_without_decoding_pixels_and_refuse_bombs(tmp_path):
    import zlib
    from disagg_viz.scenario.embedded import TEXT_KEY
    toml = (scenarios_dir() / "default.toml").read_text().encode()
    key = TEXT_KEY.encode() + b"\0"
    bomb_header = tmp_path / "bomb-header.png"          # claims 10^10 pixels: never decoded
    bomb_header.write_bytes(_png([(b"zTXt", key + b"\0" + zlib.compress(toml))]))
    assert load_scenario(bomb_header) == load_scenario(scenarios_dir() / "default.toml")
    itxt = tmp_path / "itxt.png"
    itxt.write_bytes(_png([(b"iTXt", key + b"\1\0" + b"\0" + b"\0" + zlib.compress(toml))]))
    assert load_scenario(itxt).title == load_scenario(scenarios_dir() / "default.toml").title
    for name, chunks, expected in (
            ("text-bomb.png", [(b"zTXt", key + b"\0" + zlib.compress(b" " * 50_000_000))], "larger than"),
            ("big-text.png", [(b"tEXt", key + b"x" * 1_100_000)], "larger than"),
            ("no-scenario.png", [(b"tEXt", b"Comment\0hello")], "carries no disagg-viz scenario")):
        f = tmp_path / name
        f.write_bytes(_png(chunks))
        with pytest.raises(ScenarioError, match=expected):
            load_scenario(f)
    cut = tmp_path / "cut.png"
    cut.write_bytes(_png([(b"tEXt", key + toml)])[:60])
    with pytest.raises(ScenarioError, match="cannot read this image|carries no"):
        load_scenario(cut)


def test_a_gif_with_a_huge_comment_is_refused(tmp_path):
    from disagg_viz.scenario.embedded import GIF_MARKER
    body = GIF_MARKER + b"x" * 2_000_000
    blocks = b"".join(bytes([min(255, len(body) - i)]) + body[i:i + 255] for i in range(0, len(body), 255))
    gif = b"GIF89a" + b"\1\0\1\0\0\0\0" + b"\x21\xfe" + blocks + b"\0" + b";"
    f = tmp_path / "huge-comment.gif"
    f.write_bytes(gif)
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(f)


def test_saves_write_through_links_clean_up_and_name_the_real_file(tmp_path):
    import os
    import time
    from disagg_viz.atomic_file import atomic_write_text
    target = tmp_path / "real.toml"
    target.write_text("old")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    atomic_write_text(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    stale = tmp_path / ".real.toml.abc.tmp"            # left by a killed save
    stale.write_text("partial")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    atomic_write_text(target, "newer")
    assert not stale.exists() and target.read_text() == "newer"
    with pytest.raises(OSError) as info:
        atomic_write_text(tmp_path / "no-such-folder" / "x.toml", "x")
    assert info.value.filename == str(tmp_path / "no-such-folder" / "x.toml")


def test_pool_physics_are_saved_only_when_set_and_round_trip(tmp_path):
    plain = dump_scenario(load_scenario(scenarios_dir() / "default.toml"))
    assert "prefill_hardware" not in plain and "decode_hardware" not in plain and "[planner]" not in plain
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"),
                         ["systems.1.decode_hardware.hbm_tb_per_s=1.5"])
    text = dump_scenario(sc)
    assert "[systems.decode_hardware]" in text and "prefill_hardware" not in text
    again = loads_scenario(text)
    assert again == sc and again.systems[1].decode_hardware.hbm_tb_per_s == 1.5


def test_a_large_image_is_mapped_and_only_its_chunk_headers_are_read(tmp_path):
    """An image past MAP_FROM_BYTES is memory-mapped; its pixels are skipped, so the scenario text
    after 6 MB of pixel data still loads, and a cut one is refused by name."""
    import struct
    import zlib
    from disagg_viz.bounded_read import MAP_FROM_BYTES
    from disagg_viz.scenario.embedded import TEXT_KEY

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), {"title": "Mapped"})
    text = dump_scenario(sc).encode()
    pixels = bytes(range(256)) * (6_000_000 // 256)
    assert len(pixels) > MAP_FROM_BYTES
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", pixels) + chunk(b"iTXt", TEXT_KEY.encode() + b"\0\0\0\0\0" + text)
           + chunk(b"IEND", b""))
    (tmp_path / "big.png").write_bytes(png)
    assert load_scenario(tmp_path / "big.png") == sc
    (tmp_path / "cut.png").write_bytes(png[:5_000_000])
    with pytest.raises(ScenarioError, match="cut short"):
        load_scenario(tmp_path / "cut.png")


def test_an_override_adds_a_table_to_a_list_at_its_next_index():
    sc = load_scenario(shipped_scenarios()[0])
    new = apply_overrides(sc, {"workload.rates.0.from_s": 0.0, "workload.rates.0.rate": 3.0,
                               "workload.rates.1.from_s": 50.0, "workload.rates.1.rate": 1.0,
                               "workload.rates.1.prompt_tokens": 4000})
    assert [(r.from_s, r.rate, r.prompt_tokens) for r in new.workload.rates] == [(0.0, 3.0, None), (50.0, 1.0, 4000)]
    with pytest.raises(ScenarioError, match=r"index 3 is out of range \(0 to 1; 2 adds a table"):
        apply_overrides(new, {"workload.rates.3.rate": 1.0})
