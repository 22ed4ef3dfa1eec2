"""'#K' system references take ASCII digits only (issue 24: '²'.isdigit() is True, int('²') fails)."""

import pytest

from disagg_viz.playback.claims import ClaimError, find_system
from disagg_viz.playback.moments import system_by_ref

SUMMARIES = [{"name": "a"}, {"name": "b"}]


@pytest.mark.parametrize("ref", ["#\u00b2", "#\u0663", "#\uff11", "#\u2460"])
def test_unicode_digits_are_names_not_indices(ref):
    with pytest.raises(ClaimError, match="is not in this step"):
        find_system(SUMMARIES, ref)


def test_ascii_indices_still_work():
    assert find_system(SUMMARIES, "#2")["name"] == "b"
    with pytest.raises(ClaimError, match="shows 2 systems"):
        find_system(SUMMARIES, "#3")


def test_a_moment_of_a_unicode_digit_system_is_none():
    class S:
        def __init__(self, name):
            self.name = name
    systems = [S("a"), S("b")]
    assert system_by_ref(systems, "#\u00b2") is None and system_by_ref(systems, "#2").name == "b"
