"""One error type for every problem with a scenario: a list of (key, value, what is allowed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ECHO = 80           # characters of an offending value or message shown; the rest is elided
MAX_LISTED = 20         # problems listed before "... and N more"
LEADING_KEY = re.compile(r"([a-z_]+(?:\.[A-Za-z0-9_]+)+)(?= = |: |\b)")    # a message that starts with a dotted key


def short(text: str, limit: int = MAX_ECHO) -> str:
    """At most ``limit`` characters, control characters escaped: never a file's contents."""
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii", "replace") if not text.isprintable() else text
    return text if len(text) <= limit else text[: limit - 1] + f"… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    key: str        # dotted key, e.g. "systems.1.link_gb_per_s" ("" for the whole file)
    message: str    # what is wrong and what is allowed
    value: object = None
    line: int | None = None

    def __str__(self) -> str:
        m = LEADING_KEY.match(self.message) if not self.key else None
        if m:
            # a whole-file rule whose message names the field itself ("faults.0.kind = ...: ..."):
            # no "file: " in front of it, its line after its key
            line = f" (line {self.line})" if self.line is not None else ""
            return short(m.group(1) + line + self.message[m.end():], 400)
        where = self.key or "file"
        if self.line is not None:
            where += f" (line {self.line})"
        message = short(self.message, 400)
        if self.value is not None:
            return f"{short(where)}: {message} (got {short(repr(self.value))})"
        return f"{short(where)}: {message}"


class ScenarioError(Exception):
    """A scenario could not be loaded or is not valid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"{short(self.source, 200)}: " if self.source else ""
        if len(self.problems) == 1:
            return head + str(self.problems[0])
        listed = "\n".join(f"  - {p}" for p in self.problems[:MAX_LISTED])
        more = len(self.problems) - MAX_LISTED
        return (head + f"{len(self.problems)} problems:\n" + listed +
                (f"\n  ... and {more:,} more" if more > 0 else ""))
