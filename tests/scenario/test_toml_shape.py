"""The pre-scan that runs before tomllib (issue 24): it sees dotted keys through quoted parts,
escaped quotes, multi-line strings and inline tables, and refuses over-limit files in linear time;
it never refuses what a scenario can hold (dots inside strings and comments, floats, times)."""

import pytest
import tomli_w

from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import ScenarioError, dump_scenario, load_scenario, loads_scenario
from disagg_viz.scenario.toml_shape import MAX_DEPTH, MAX_KEY_PARTS, shape_problem

DEFAULT = (scenarios_dir() / "default.toml").read_text()
LONG = ".".join(["a"] * (MAX_KEY_PARTS + 1))
OK = ".".join(["a"] * (MAX_KEY_PARTS - 1))


@pytest.mark.parametrize("name,tail", [
    ("quoted first part", f'\n[x]\n"a".{LONG} = 1\n'),
    ("literal-quoted parts", "\n[x]\n" + ".".join(["'a'"] * (MAX_KEY_PARTS + 1)) + " = 1\n"),
    ("after an escaped quote", f'\nq = "x\\" y"\n{LONG} = 1\n'),
    ("after an escaped backslash", f'\nq = "x\\\\"\n{LONG} = 1\n'),
    ("inside an inline table", f"\nzz = {{b = 1, {LONG} = 1}}\n"),
    ("in a table header", f"\n[{LONG}]\n"),
    ("after a multi-line string with a quote before its end", f'\nm = """a""""\n{LONG} = 1\n'),
    ("after a multi-line literal", f"\nm = '''a\n'b'\n'''\n{LONG} = 1\n"),
])
def test_long_dotted_keys_are_seen_whatever_precedes_them(name, tail):
    problem = shape_problem(DEFAULT + tail)
    assert problem is not None and "dotted parts" in problem.message, name
    assert problem.line == (DEFAULT + tail).rstrip("\n").count("\n") + 1      # the key's own line
    with pytest.raises(ScenarioError, match="dotted parts"):
        loads_scenario(DEFAULT + tail)


@pytest.mark.parametrize("tail", [
    "\nx = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    "\nx = " + "{a = " * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1) + "\n",
    '\ns = "]]]]"\nx = ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
])
def test_deep_nesting_is_seen_through_strings(tail):
    problem = shape_problem(DEFAULT + tail)
    assert problem is not None and "nested" in problem.message


@pytest.mark.parametrize("text", [
    f'title = "{LONG}"\n',                              # dots in a string
    f"title = '{LONG}'\n",
    f'description = """\n{LONG}\n{"[" * 40}\n"""\n',        # and in multi-line strings
    f"description = '''\n{LONG}\n'''\n",
    f"# {LONG} {'[' * 40}\n",                                # and in comments
    "x = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5, 17.5]\n",
    "t = 12:00:00.5\nd = 1979-05-27T07:32:00.999999\n",
    f"{OK} = 1\n",
    f'"{LONG}" = 1\n',                                       # one quoted part holding dots
    f'x = {{"{LONG}" = 1}}\n',
    'e = "\\\\" \nf = "\\""\n',
])
def test_what_a_scenario_can_hold_passes(text):
    assert shape_problem(text) is None


def test_every_shipped_scenario_and_its_saved_form_pass():
    for path in scenarios_dir().glob("*.toml"):
        assert shape_problem(path.read_text()) is None, path.name
        assert shape_problem(dump_scenario(load_scenario(path))) is None, path.name


def test_a_key_of_many_parts_in_lesson_settings_is_refused_before_it_is_split(tmp_path):
    # A quoted key is one TOML part; the override splits it: 300,000 parts joined per part was quadratic.
    key = ".".join(["a"] * 300_000)
    text = DEFAULT + f'\n[[lesson.steps]]\ntitle = "t"\nsettings = {{"{key}" = 1}}\n'
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(text)
    assert "lesson.steps.0.settings.a.a.a" in str(caught.value) and "dotted parts" in str(caught.value)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("ref", ["\u00b2", "\u0663", "\uff11"])      # superscript two, Arabic-Indic three, fullwidth one
def test_unicode_digits_are_not_list_indices(ref):
    text = DEFAULT + f'\n[[lesson.steps]]\ntitle = "t"\nsettings = {{"systems.{ref}.tp" = 2}}\n'
    with pytest.raises(ScenarioError, match="is not a list index"):
        loads_scenario(text)


def test_tomli_w_output_of_odd_keys_passes():
    data = {"a.b": {"c d": 1, "e'f": "x\"y\\", "g": [1.5, {"h.i": 2}]}}
    assert shape_problem(tomli_w.dumps(data)) is None


def test_planner_claims_have_a_budget_naming_the_claim():
    big = DEFAULT + '\n[[lesson.steps]]\ntitle = "t"\nclaims = [{planner_gpus = 64, best = "colocated"}]\n'
    with pytest.raises(ScenarioError, match=r"lesson.steps.0.claims.0.planner_gpus.*less than or equal to 16"):
        loads_scenario(big)
    many = DEFAULT + '\n[[lesson.steps]]\ntitle = "t"\nclaims = [' + ", ".join(
        '{planner_gpus = 16, best = "colocated"}' for _ in range(4)) + "]\n"
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(many)
    assert "lesson.steps.0.claims.3.planner_gpus" in str(caught.value) and "layouts" in str(caught.value)


@pytest.mark.parametrize("value", ["9" * 4301, "9" * 101, "1" + "_1" * 60, "-" + "9" * 5000 + ".5"])
def test_numbers_longer_than_any_scenario_needs_are_refused_with_their_line(value):
    with pytest.raises(ScenarioError, match=r"line \d+\): a number has more than 100 digits"):
        loads_scenario(DEFAULT.replace("seed = 7", f"seed = {value}"))


def test_a_long_number_in_a_string_or_comment_is_text():
    assert shape_problem(f'title = "{"9" * 500}"\n# {"9" * 500}\n') is None


def test_a_list_of_thousands_of_bad_items_is_one_problem():
    # Each item was a problem, each problem searched the whole text for its line: minutes for 100,000.
    text = DEFAULT + '\n[teacher]\nhidden = [\n' + '"x",\n' * 5000 + "]\n"
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(text)
    assert len(caught.value.problems) == 1 and "at most 14 items" in str(caught.value)
