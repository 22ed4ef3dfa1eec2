"""One error type for every problem with a scenario: a list of (key, value, what is allowed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    key: str        # dotted key, e.g. "systems.1.link_gb_per_s" ("" for the whole file)
    message: str    # what is wrong and what is allowed
    value: object = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.key or "file"
        if self.line is not None:
            where += f" (line {self.line})"
        if self.value is not None:
            return f"{where}: {self.message} (got {self.value!r})"
        return f"{where}: {self.message}"


class ScenarioError(Exception):
    """A scenario could not be loaded or is not valid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return head + str(self.problems[0])
        return head + f"{len(self.problems)} problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
