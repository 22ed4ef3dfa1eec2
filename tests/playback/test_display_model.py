"""The display model without Qt: change notifications, validation, bounds after the systems change."""

import subprocess
import sys

import pytest

from disagg_viz.playback.display_model import (
    CHARTS_MIN_HEIGHT, PROFILES, SCOREBOARD_MIN_WIDTH, VOCABULARIES, ZOOMS, DisplayModel,
)


def _recording(model):
    seen = []
    model.subscribe(lambda name, value: seen.append((name, value)))
    return seen


def test_it_imports_no_qt():
    code = ("import sys, disagg_viz.playback.display_model; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_listeners_hear_each_real_change_once_after_all_fields_are_set():
    m = DisplayModel()
    heard = []
    m.subscribe(lambda name, value: heard.append((name, value, m.presenting, m.zoom)))
    assert m.set(presenting=True, zoom=1.5) == ["presenting", "zoom"]
    assert heard == [("presenting", True, True, 1.5), ("zoom", 1.5, True, 1.5)]   # both in place already
    assert m.set(presenting=True, zoom=1.5) == [] and len(heard) == 2            # no change, no news


def test_unsubscribed_listeners_hear_nothing():
    m = DisplayModel()
    seen = []
    listener = lambda name, value: seen.append(name)      # noqa: E731
    m.subscribe(listener)
    m.set(blanked=True)
    m.unsubscribe(listener)
    m.set(blanked=False)
    assert seen == ["blanked"]


def test_starts_from_the_scenarios_words_and_the_chosen_profile():
    m = DisplayModel("serving", "projector")
    assert (m.vocabulary, m.profile, m.zoom, m.presenting, m.focus, m.edit_target) == \
        ("serving", "projector", 1.0, False, None, None)
    assert set(VOCABULARIES) == {"kitchen", "serving", "kubernetes"}


@pytest.mark.parametrize("changes, words", [
    ({"vocabulary": "chef"}, ["vocabulary", "'chef'", "kitchen, serving"]),
    ({"profile": "neon"}, ["profile", "'neon'", "dark, projector"]),
    ({"zoom": "big"}, ["zoom", "'big'"]),
    ({"zoom": float("nan")}, ["zoom", "nan"]),
    ({"presenting": 1}, ["presenting", "true or false"]),
    ({"highlights": "kitchen.pass"}, ["highlights"]),
    ({"focus": 0}, ["focus", "0", "None for all"]),                 # no systems on screen yet
    ({"colour": "red"}, ["no field", "'colour'"]),
])
def test_a_bad_value_is_refused_by_name_and_changes_nothing(changes, words):
    m = DisplayModel()
    seen = _recording(m)
    with pytest.raises(ValueError) as err:
        m.set(blanked=True, **changes)
    assert all(w in str(err.value) for w in words), str(err.value)
    assert not m.blanked and seen == []


def test_zoom_stays_within_its_steps():
    m = DisplayModel()
    m.set(zoom=10)
    assert m.zoom == ZOOMS[-1]
    m.zoom_in()
    assert m.zoom == ZOOMS[-1]
    m.set(zoom=0.01)
    assert m.zoom == ZOOMS[0]
    m.zoom_out()
    assert m.zoom == ZOOMS[0]
    m.zoom_reset()
    m.zoom_in()
    assert m.zoom == 1.15
    m.zoom_out()
    m.zoom_out()
    assert m.zoom == 0.9


def test_focus_walks_the_kitchens_then_all_and_a_double_click_toggles():
    m = DisplayModel()
    m.focus_next()                                  # no kitchens: nothing to focus
    assert m.focus is None
    m.set_systems(["Colocated", "2P2D", "1P3D"])
    steps = []
    for _ in range(4):
        m.focus_next()
        steps.append(m.focus)
    assert steps == [0, 1, 2, None]
    m.toggle_focus(1)
    assert m.focus == 1
    m.toggle_focus(1)
    assert m.focus is None
    with pytest.raises(ValueError, match="0..2"):
        m.set(focus=3)


def test_a_focus_and_edit_target_on_systems_that_are_gone_are_dropped():
    m = DisplayModel()
    m.set_systems(["A", "B", "C"])
    m.set(focus=2, edit_target=2)
    seen = _recording(m)
    m.set_systems(["A", "B"])                       # the third kitchen is gone
    assert m.focus is None and m.edit_target is None
    assert ("focus", None) in seen and ("edit_target", None) in seen
    m.set(focus=1, edit_target=1)
    m.set_systems(["A", "B*"])                      # the edited system renamed by its slider: both stay
    assert m.focus == 1 and m.edit_target == 1      # (issue 22: it reset to all systems after one drag)
    m.set_systems(["A*", "B*"])                     # another system renamed: the focus stays
    assert m.focus == 1 and m.edit_target is None   # but the sliders edit all systems again
    seen.clear()
    m.set_systems(["A*", "B*"])                     # nothing changed: no news
    assert seen == []


def test_presenting_folds_what_does_not_fit():
    m = DisplayModel()
    m.fit_presentation(1280, 800, lesson=True)
    assert m.scoreboard_folded and m.charts_folded and not m.scoreboard_shown and not m.charts_shown
    m.fit_presentation(SCOREBOARD_MIN_WIDTH, CHARTS_MIN_HEIGHT, lesson=True)
    assert not m.scoreboard_folded and not m.charts_folded
    m.fit_presentation(1280, 800, lesson=False)     # no lesson: the side column is the scoreboard's
    assert not m.scoreboard_folded and m.charts_folded


def test_a_veil_hides_the_results_whatever_folds():
    m = DisplayModel()
    assert m.charts_shown and m.scoreboard_shown
    m.set(veiled=True)
    assert not m.charts_shown and not m.scoreboard_shown


def test_highlights_are_read_per_area():
    m = DisplayModel()
    m.set(highlights=["kitchen.pass", "chart.link", "scoreboard.ttft_p90", "kitchen.stall"])
    assert m.highlights == ("kitchen.pass", "chart.link", "scoreboard.ttft_p90", "kitchen.stall")
    assert m.highlighted("kitchen") == {"pass", "stall"} and m.highlighted("chart") == {"link"}
    assert m.highlighted("nothing") == set()


def test_the_profile_names_are_the_palettes():
    pytest.importorskip("PySide6")
    from disagg_viz.ui.palette import PROFILES as COLOURS
    assert set(PROFILES) == set(COLOURS)
