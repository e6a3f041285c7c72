"""Input problems the user can fix, reported in Danish with file, row, column and value.

Every check in the pipeline reports a `Problem` instead of raising at once, so a
user sees all that is wrong with an export in one run rather than one per run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.invisible import describe_hidden, visible

MAX_SHOWN = 25
HIDDEN_HINT = (" Skriv teksten forfra i cellen i stedet for at kopiere den: så forsvinder det "
               "tegn, der ikke kan ses.")
MAX_VALUE_CHARS = 80
"""A value is shown up to this length: a cell can hold megabytes (a pasted document)."""


def shown_value(value: object) -> str:
    """A cell's text as it can be shown in one message line: control characters (line
    breaks, tabs, terminal escape codes) written as escapes, so a value can neither break
    the message into lines nor act on the terminal; long values cut with an ellipsis."""
    text = visible(str(value)) if describe_hidden(str(value)) else str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + "…"
    if any(unicodedata.category(c) == "Cc" for c in text):
        text = "".join(c.encode("unicode_escape").decode("ascii")
                       if unicodedata.category(c) == "Cc" else c for c in text)
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and what the user should do about it.

    `code` names the kind of problem in a stable, machine-readable way (e.g.
    "codebook.key_unknown"), so that code and tests decide on it, never on the Danish
    message, which may be reworded.
    """

    message: str
    hint: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    code: str = field(kw_only=True)

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.column:
            column = str(self.column)
            parts.append(f'kolonne "{visible(column) if describe_hidden(column) else column}"')
        if self.value is not None:
            parts.append(f'værdi "{shown_value(self.value)}"')
        return ", ".join(parts)

    def format(self) -> str:
        where = self.where()
        message, hint = self.message, self.hint
        hidden = self.hidden_note()
        if hidden:
            message += f" {hidden}"
            hint += HIDDEN_HINT
        head = f"{where}: {message}" if where else message
        return f"{head}\n    Gør sådan: {hint}"

    def hidden_note(self) -> str:
        """A sentence naming characters the user cannot see in the value (or column), since
        the value would otherwise look exactly like a valid one; '' when there are none."""
        notes = []
        for label, text in (("Værdien", self.value), ("Kolonnenavnet", self.column)):
            described = describe_hidden(str(text)) if text is not None else ""
            if described:
                notes.append(f"{label} {described}.")
        return " ".join(notes)


class InputError(Exception):
    """Raised when the input cannot give trustworthy figures; nothing is written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.format())

    def format(self) -> str:
        n = len(self.problems)
        noun = "problem" if n == 1 else "problemer"
        lines = [f"Kørslen er stoppet: {n} {noun} i inputtet. Intet output er ændret."]
        for p in self.problems[:MAX_SHOWN]:
            lines.append(f"  - {p.format()}")
        if n > MAX_SHOWN:
            lines.append(f"  ... og {n - MAX_SHOWN} flere af samme slags.")
        return "\n".join(lines)


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)
