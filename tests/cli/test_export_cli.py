"""disagg-viz export: PNG and GIF offscreen, carrying the scenario; clear errors."""

from PIL import Image

from disagg_viz.cli.main import run
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides


def test_export_png_and_gif_carry_the_scenario(tmp_path, capsys):
    png, gif = tmp_path / "a.png", tmp_path / "a.gif"
    assert run(["export", "01-the-conflict", "--png", str(png), "--time", "3", "--gif", str(gif), "--from", "2",
                "--to", "2.5", "--fps", "10", "--kitchen", "--size", "1024x700", "--set", "workload.requests=60"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "6 frames" in out
    expected = apply_overrides(load_scenario(scenarios_dir() / "01-the-conflict.toml"), ["workload.requests=60"])
    assert load_scenario(png).simulated_part() == expected.simulated_part()
    assert load_scenario(gif).simulated_part() == expected.simulated_part()
    with Image.open(gif) as im:
        assert im.n_frames == 6
    with Image.open(png) as im:
        assert im.size[0] > 500


def test_export_errors_are_one_line(tmp_path, capsys):
    assert run(["export", "default"]) == 2
    assert "needs --png" in capsys.readouterr().err
    assert run(["export", "default", "--gif", str(tmp_path / "x.gif"), "--from", "3", "--to", "1"]) == 2
    assert "FROM < TO" in capsys.readouterr().err
    assert run(["export", "default", "--png", str(tmp_path / "nope" / "x.png")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert run(["export", "default", "--png", str(tmp_path / "x.png"), "--size", "big"]) == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err
