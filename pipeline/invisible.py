"""Characters a reader cannot see: zero-width spaces, soft hyphens, direction marks,
combining marks that do not join their letter, and letters of another alphabet that look
like Latin ones. Two texts that differ only by these look identical on the screen, so a
message that refuses one of them must name the difference, or the user cannot act on it.

Nothing here changes a value that is counted: the pipeline refuses such values (naming
the character), it never strips them silently. Pure text logic, no I/O.
"""

from __future__ import annotations

import unicodedata

NAMES = {
    "\u200b": "nulbredde-mellemrum",
    "\u200c": "nulbredde-ikke-sammenføjer",
    "\u200d": "nulbredde-sammenføjer",
    "\u2060": "usynlig ordsammenføjer",
    "\ufeff": "byte-markering (BOM)",
    "\u00ad": "blød bindestreg",
    "\u200e": "retningsmarkering",
    "\u200f": "retningsmarkering",
    "\u061c": "retningsmarkering",
}
"""Danish names of the usual invisible characters (others are named by their Unicode name)."""
LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK")
"""Alphabets with letters that look like Latin ones (а/a, о/o, е/e, Ο/O)."""


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def hidden_characters(text: str) -> list[int]:
    """Positions (in the NFC form of `text`) of characters that cannot be seen or that
    pass for another: format characters (zero-width space, soft hyphen, BOM), combining
    marks that NFC could not join to their letter, and Cyrillic or Greek letters in a text
    that also holds Latin ones. Spaces of every kind are not listed: the pipeline compares
    texts with every kind of space read as one."""
    text = unicodedata.normalize("NFC", text)
    latin = any(c.isalpha() and _script(c) == "LATIN" for c in text)
    out = []
    for i, c in enumerate(text):
        category = unicodedata.category(c)
        if category == "Cf" or category in ("Mn", "Me") or (
                latin and c.isalpha() and _script(c) in LOOKALIKE_SCRIPTS):
            out.append(i)
    return out


def visible(text: str) -> str:
    """The text with each hidden character written out as ⟨U+200B⟩, so that a message
    shows where it is."""
    text = unicodedata.normalize("NFC", text)
    hidden = set(hidden_characters(text))
    return "".join(f"⟨U+{ord(c):04X}⟩" if i in hidden else c for i, c in enumerate(text))


def describe_hidden(text: str, max_named: int = 3) -> str:
    """'indeholder et usynligt tegn (U+200B, nulbredde-mellemrum) efter "Tilfreds"', or ''
    when the text holds no hidden character."""
    text = unicodedata.normalize("NFC", text)
    positions = hidden_characters(text)
    if not positions:
        return ""
    parts = []
    for i in positions[:max_named]:
        what, *extra = _what(text[i]).split("|")
        parts.append(f"{what} {_where(text, i)}{extra[0] if extra else ''}")
    more = f" og {len(positions) - max_named} flere" if len(positions) > max_named else ""
    return "indeholder " + ", ".join(parts) + more


def _what(c: str) -> str:
    code = f"U+{ord(c):04X}"
    category = unicodedata.category(c)
    if category == "Cf":
        name = NAMES.get(c, unicodedata.name(c, "").lower())
        return f"et usynligt tegn ({code}, {name})"
    if category in ("Mn", "Me"):
        return f"et kombinerende tegn ({code}, {unicodedata.name(c, '').lower()})|, så " \
               "bogstavet før det er skrevet som to tegn, der ligner ét"
    alphabet = "kyrillisk" if _script(c) == "CYRILLIC" else "græsk"
    return f'et {alphabet} bogstav "{c}" ({code}), som ligner et latinsk'


def _where(text: str, i: int) -> str:
    before = text[:i].strip()[-20:]
    after = text[i + 1:].strip()[:20]
    if before:
        return f'efter "{before}"'
    if after:
        return f'før "{after}"'
    return "(cellen har ikke andet)"


def skeleton(text: str) -> str:
    """What a reader sees, for comparing texts: NFC, format characters removed, a letter
    drawn with a combining stroke read as the letter (o + U+0338 as ø), other loose
    combining marks dropped, lookalike letters read as Latin, case and spaces ignored.
    Used only to recognise that a refused value *looks like* a valid one, never to accept
    it."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    for drawn, letter in _DRAWN_LETTERS.items():
        text = text.replace(drawn, letter)
    base = "".join(_LOOKALIKES.get(c, c) for c in text
                   if unicodedata.category(c) not in ("Mn", "Me"))
    return " ".join(base.split()).casefold()


_DRAWN_LETTERS = {"o\u0338": "ø", "O\u0338": "Ø", "o\u0337": "ø", "O\u0337": "Ø"}
"""Letters Unicode has no decomposition for, drawn with a combining stroke instead."""


_LOOKALIKES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "Ο": "O", "ο": "o", "Α": "A", "Β": "B", "Ε": "E", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z",
}
"""Cyrillic and Greek letters that look like Latin ones."""


def lookalike(expected: str, candidates) -> str | None:
    """The candidate that looks like `expected` but differs by hidden characters (for a
    message that says why a column "is missing" when the user can see it)."""
    wanted = skeleton(expected)
    return next((c for c in candidates if str(c) != expected and describe_hidden(str(c))
                 and skeleton(str(c)) == wanted), None)
