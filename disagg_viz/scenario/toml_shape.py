"""A linear pre-scan of TOML text, run before the parser: it tokenizes just enough (strings with
their escapes, multi-line strings, comments, brackets) to see every nesting level and every dotted
key, including quoted parts (``"a".b.c``), keys inside inline tables (``x = {a.b.c = 1}``) and keys
after a string with escaped quotes. A file nested deeper, or with a longer dotted key, than any
scenario needs is refused here: such shapes make tomllib's work grow with the square of their size
(a 200 KB key: 51 s and 5.7 GB) or exhaust its recursion.

The scan is one pass with regular expressions that cannot backtrack (each alternative starts with
a different character), so its cost is proportional to the text's length."""

from __future__ import annotations

import re

from disagg_viz.scenario.errors import Problem

MAX_DEPTH = 16          # tables and arrays nested deeper than this are not a scenario
MAX_KEY_PARTS = 16      # a dotted key of more parts than this is not a scenario's
MAX_DIGITS = 100        # a number this long is not a scenario's (tomllib raises past 4,300 digits)

# Characters that matter outside strings; everything else is skipped in one regex step.
_SPECIAL = re.compile(r"""["'#\[\]{}=,.\n]|[0-9_]{%d,}""" % (MAX_DIGITS + 1))
# String bodies, from just after the opening quote(s) to just after the closing one(s). An
# unterminated string ends at the end of its line (basic, literal) or of the text (multi-line):
# the parser reports it; the scan only needs to stay in step.
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z)', re.S)
_LITERAL = re.compile(r"[^'\n]*(?:'|(?=\n)|\Z)")
_ML_BASIC = re.compile(r'(?:[^"\\]|\\.|"(?!""))*(?:""""{0,2}|\Z)', re.S)
_ML_LITERAL = re.compile(r"(?:[^']|'(?!''))*(?:''''{0,2}|\Z)", re.S)
_STRINGS = {'"': (_BASIC, _ML_BASIC), "'": (_LITERAL, _ML_LITERAL)}


def shape_problem(text: str) -> Problem | None:
    """The first shape problem in ``text`` (with its line), or None. Dots are counted between two
    delimiters (``= , [ ] { }`` or a line end), outside strings and comments: a dotted key's dots
    are all there, and a value has at most one (a float, a time's fraction)."""
    depth = dots = 0
    line = 1
    pos, end = 0, len(text)
    while pos < end:
        m = _SPECIAL.search(text, pos)
        if m is None:
            break
        ch, pos = m.group(), m.end()
        if len(ch) > 1:
            return Problem("", f"a number has more than {MAX_DIGITS} digits", line=line)
        if ch == "\n":
            line += 1
            dots = 0
        elif ch == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                return Problem("", f"a key has more than {MAX_KEY_PARTS} dotted parts", line=line)
        elif ch in "\"'":
            single, multi = _STRINGS[ch]
            if text.startswith(ch * 2, pos):
                body = multi.match(text, pos + 2)
                line += body.group().count("\n")
            else:
                body = single.match(text, pos)
            pos = body.end()
        elif ch == "#":
            nl = text.find("\n", pos)
            pos = end if nl < 0 else nl
        elif ch in "[{":
            depth += 1
            dots = 0
            if depth > MAX_DEPTH:
                return Problem("", f"nested more than {MAX_DEPTH} levels deep", line=line)
        elif ch in "]}":
            depth = max(depth - 1, 0)
            dots = 0
        else:                                           # "=" or ","
            dots = 0
    return None
