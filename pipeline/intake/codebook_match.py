"""Propose a codebook for a new year's export from the headers of earlier years. Pure: no I/O.

Question wording and column order change from year to year, so a new export's headers
are matched against every header an earlier codebook knows: exact wording first (the
same header after `normalise_text`, the most recent year winning), then close wording
(text similarity at or above a threshold, the best pairs first). Each question key is
used at most once. Anything doubtful (a close match, a header whose key differed
between years, numeric codes without value labels) is left unconfirmed, so that the
analyst looks at it before the pipeline will run on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from pipeline.reference import normalise_text

CLOSE_THRESHOLD = 0.75
"""The lowest similarity (0-1) that counts as a close match; below it a header is unmatched."""
NEAR_TIE = 0.05
"""A second key this close to the chosen one's score is named, as the match may be either."""
GUESS_FLOOR = 0.5
"""An unmatched header's best guess is shown from this similarity up, to help the analyst."""

EXACT = "exact"
CLOSE = "close"
NONE = "none"

_CODE = re.compile(r"^\d+(\.0+)?$")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class KnownHeader:
    """A header seen before, in an earlier year's codebook or as the catalogue's wording."""

    header: str
    key: str
    """The question key it was read as; empty when the column was deliberately not read."""
    source: str
    """Where it was seen, for the analyst: a year ("2024") or "spørgsmålskataloget"."""
    priority: int
    """Lower wins between equally good matches: 0 for the most recent year."""
    value_labels: str = ""
    """The codebook's value_labels for it, as written ("1=Meget tilfreds; 2=Tilfreds")."""


@dataclass
class Proposal:
    """One row of the proposed codebook: an export header and the key it is proposed as."""

    header: str
    key: str = ""
    method: str = NONE
    score: float | None = None
    source: KnownHeader | None = None
    value_labels: str = ""
    confirmed: bool = False
    notes: list[str] = field(default_factory=list)
    guess: tuple[str, float] | None = None
    """For an unmatched header: the unused key it resembles most, with its score."""
    missing_codes: list[str] = field(default_factory=list)
    """Numeric codes in the export's column that no value label gives an answer for."""
    wording: str = ""
    """What the header is compared by, when that is not the header itself: the question
    text of a SurveyXact variable named by its variable name."""

    @property
    def compared(self) -> str:
        return self.wording or self.header

    @property
    def match_text(self) -> str:
        """The codebook's `match` cell: `exact`, `close (0.87)` or `none`, then any notes."""
        head = f"{CLOSE} ({self.score:.2f})" if self.method == CLOSE else self.method
        return "; ".join([head, *self.notes])


def similarity(a: str, b: str) -> float:
    """How alike two headers read, 0-1: the better of the plain and the word-sorted ratio.

    Punctuation and case are ignored ("–" and "-" differ in exports); sorting the words
    also catches reordered wording ("Relevans - Kultur for alle" / "Kultur for alle:
    relevans").
    """
    a, b = _simplify(a), _simplify(b)
    if not a or not b:
        return 0.0
    plain = SequenceMatcher(None, a, b, autojunk=False).ratio()
    words = SequenceMatcher(None, " ".join(sorted(a.split())), " ".join(sorted(b.split())),
                            autojunk=False).ratio()
    return max(plain, words)


def _simplify(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", normalise_text(text)).split())


def propose(headers: Iterable[str], known: Iterable[KnownHeader],
            threshold: float = CLOSE_THRESHOLD,
            wordings: Mapping[str, str] | None = None) -> list[Proposal]:
    """One proposal per distinct non-empty header, in the export's order: exact wording
    first, then close wording (best pairs first); each key used at most once. `wordings`
    gives a header another text to compare by (a SurveyXact variable's question text)."""
    order = list(dict.fromkeys(h for h in headers if h.strip()))
    known = sorted(known, key=lambda k: k.priority)
    proposals = [Proposal(h, wording=(wordings or {}).get(h, "")) for h in order]
    used: dict[str, str] = {}  # key -> the header it went to
    _match_exact(proposals, known, used)
    scores = _scores(proposals, known)
    _match_close(proposals, scores, threshold, used)
    _name_rivals(proposals, scores, used)
    return proposals


def _match_exact(proposals: list[Proposal], known: list[KnownHeader],
                 used: dict[str, str]) -> None:
    """The same wording as a known header (the most recent year wins); a header whose key
    differed between years is left unconfirmed, naming the others."""
    by_text: dict[str, list[KnownHeader]] = {}
    for k in known:
        by_text.setdefault(normalise_text(k.header), []).append(k)
    exact = [(by_text[normalise_text(p.compared)], i, p) for i, p in enumerate(proposals)
             if normalise_text(p.compared) in by_text]
    for matches, _, p in sorted(exact, key=lambda t: (t[0][0].priority, t[1])):
        best = matches[0]
        if best.key and best.key in used:
            p.notes.append(f'nøglen {best.key} er allerede koblet til "{used[best.key]}"')
            continue
        _assign(p, best, EXACT, 1.0, used)
        others = sorted({f"{m.source}: {m.key or '(læses ikke)'}" for m in matches
                         if m.key != best.key})
        if others:
            p.notes.append(f"andre år havde en anden nøgle ({', '.join(others)})")
            p.confirmed = False


def _scores(proposals: list[Proposal],
            known: list[KnownHeader]) -> dict[int, dict[str, tuple[float, KnownHeader]]]:
    """For each header not matched exactly: its best similarity to each key's headers."""
    best_by_key: dict[int, dict[str, tuple[float, KnownHeader]]] = {}
    for i, p in enumerate(proposals):
        if p.method != NONE:
            continue
        scores: dict[str, tuple[float, KnownHeader]] = {}
        for k in known:
            score = similarity(p.compared, k.header)
            if k.key not in scores or score > scores[k.key][0]:
                scores[k.key] = (score, k)
        best_by_key[i] = scores
    return best_by_key


def _match_close(proposals: list[Proposal],
                 scores: dict[int, dict[str, tuple[float, KnownHeader]]], threshold: float,
                 used: dict[str, str]) -> None:
    """Every (header, key) pair at or above the threshold, best first."""
    pairs = sorted(((score, k.priority, i, k) for i, by_key in scores.items()
                    for score, k in by_key.values() if score >= threshold),
                   key=lambda t: (-t[0], t[1], t[2]))
    for score, _, i, k in pairs:
        p = proposals[i]
        if p.method != NONE or (k.key and k.key in used):
            continue
        _assign(p, k, CLOSE, score, used)


def _name_rivals(proposals: list[Proposal],
                 scores: dict[int, dict[str, tuple[float, KnownHeader]]],
                 used: dict[str, str]) -> None:
    """A close match with a near tie names the other key; an unmatched header gets its
    best guess, to help the analyst."""
    for i, by_key in scores.items():
        p = proposals[i]
        rivals = sorted(((s, key) for key, (s, _) in by_key.items()
                         if key and key != p.key and key not in used), reverse=True)
        if p.method == CLOSE and rivals and rivals[0][0] >= p.score - NEAR_TIE:
            p.notes.append(f"næsten lige så tæt: {rivals[0][1]} ({rivals[0][0]:.2f})")
        if p.method == NONE and rivals and rivals[0][0] >= GUESS_FLOOR:
            p.guess = (rivals[0][1], rivals[0][0])


def _assign(p: Proposal, k: KnownHeader, method: str, score: float,
            used: dict[str, str]) -> None:
    p.key, p.method, p.score, p.source = k.key, method, score, k
    p.confirmed = method == EXACT
    if k.key:
        used[k.key] = p.header


def numeric_codes(values: Iterable[str]) -> set[str]:
    """The numeric codes among a column's answers ("1", "2.0" -> {"1", "2"})."""
    codes = set()
    for v in values:
        norm = normalise_text(v)
        if _CODE.match(norm):
            codes.add(str(int(float(norm))))
    return codes


def label_codes(value_labels: str) -> set[str]:
    """The codes a value_labels text gives an answer for ("1=Tilfreds; 9=Ved ikke")."""
    codes = set()
    for part in value_labels.split(";"):
        code, sep, _ = part.partition("=")
        if sep and _CODE.match(normalise_text(code)):
            codes.add(str(int(float(normalise_text(code)))))
    return codes


def attach_value_labels(proposals: list[Proposal], codes: dict[str, set[str]],
                        scaled_keys: set[str]) -> None:
    """Carry value_labels over where a column holds numeric codes, and flag what is missing.

    The labels come from the earlier codebook row the header was matched with. When that
    row has none, or they leave codes of the new export without an answer, the row is
    left unconfirmed: the analyst must give the labels (the codes' meaning is the survey
    tool's, and guessing it could turn a scale upside down).
    """
    for p in proposals:
        found = codes.get(p.header, set())
        if not found or p.key not in scaled_keys:
            continue
        inherited = p.source.value_labels if p.source else ""
        covered = label_codes(inherited)
        if inherited:
            p.value_labels = inherited
        if inherited and found <= covered:
            p.notes.append(f"value_labels fra {p.source.source}")
            continue
        p.missing_codes = sorted(found - covered, key=_code_order)
        what = "talkoder uden value_labels" if not inherited else "talkoder uden svar i " \
            "value_labels"
        p.notes.append(f"{what}: {', '.join(p.missing_codes)}")
        p.confirmed = False


def _code_order(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (10**9, code)


def unmapped_keys(proposals: list[Proposal], keys: Iterable[str]) -> list[str]:
    """The question keys (in catalogue order) that no header was proposed as."""
    mapped = {p.key for p in proposals if p.key}
    return [k for k in keys if k not in mapped]
