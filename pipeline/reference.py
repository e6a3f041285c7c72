"""The domain knowledge the pipeline runs on, read from the CSV files in `pipeline/reference/`.

Nothing about municipalities, indicators, goals, tracks or answer scales is written
in code: change the files, and the pipeline follows. Each file is described in
`pipeline/reference/README.md`. A copy of the folder elsewhere (for example the next
agreement period's indicators, tried out before they replace these) is used instead
when the environment variable MAALOPFYLDELSE_REFERENCE names it; the run records the
folder in its manifest, and the dashboard and the report read the same one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCE_ENV = "MAALOPFYLDELSE_REFERENCE"

NATIONAL = "national"
"""The scope name for the whole country (the other scopes are the six CB names)."""

SURVEY_KINDS = ("survey_share", "participant_share")
"""Indicator kinds computed from the survey (the rest come from national figures)."""


def normalise_text(value: object) -> str:
    """Lower-case, NFC, single spaces: how answers and headers are compared.

    Exports differ in case, stray and non-breaking spaces; these never change meaning.
    """
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def normalise_kommune(value: object) -> str:
    """Reduce a municipality spelling to a comparable key.

    Hyphens and spaces are treated alike, and the words "kommune" and
    "regionskommune" are dropped, so "Høje-Taastrup Kommune" and "høje taastrup"
    meet. Real spelling variants (Århus, Nordfyn) live in kommune_aliases.csv.
    """
    text = normalise_text(value).replace("-", " ")
    text = re.sub(r"\b(regionskommune|kommune)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Reference:
    kommuner: pd.DataFrame  # kode, navn, region, centralbibliotek
    aliases: pd.DataFrame  # alias, kode, note
    questions: pd.DataFrame  # key, scale, text
    scales: pd.DataFrame  # scale, answer, valid, order
    indicators: pd.DataFrame  # the indicator catalogue
    maal: pd.DataFrame  # resultatmål and operationelle mål
    tracks: pd.DataFrame  # track, opgave, label, order, short_label, temaspor
    national_measures: pd.DataFrame  # measure, indicator_id, per_licence, summable, label, unit
    judgement_statuses: pd.DataFrame  # status, attained, label
    scale_tables: dict[str, pd.DataFrame]  # scales.csv split by scale, in order
    folder: Path  # where the files were read from

    @property
    def centralbiblioteker(self) -> list[str]:
        """The six CB names in the order of kommuner.csv (Gentofte first)."""
        return list(dict.fromkeys(self.kommuner["centralbibliotek"]))

    def resultatmaal_name(self, maal_id: str) -> str:
        """'Resultatmål 1': its place among Bilag 3's result goals. Bilag 3 gives its goals
        no codes, so what people read never says 'RM1'."""
        ids = list(self.maal.loc[self.maal["level"] == "resultatmaal", "maal_id"])
        return f"Resultatmål {ids.index(maal_id) + 1}"

    def population(self) -> dict[str, int]:
        """Number of municipalities per scope: the N of the finite-population intervals."""
        counts = self.kommuner.groupby("centralbibliotek").size().to_dict()
        return {NATIONAL: len(self.kommuner), **{k: int(v) for k, v in counts.items()}}

    def kommune_lookup(self) -> dict[str, int]:
        """Every accepted spelling (normalised) and code text, mapped to the code."""
        lookup: dict[str, int] = {}
        for kode, navn in zip(self.kommuner["kode"], self.kommuner["navn"], strict=True):
            lookup[normalise_kommune(navn)] = int(kode)
            lookup[str(int(kode))] = int(kode)
            lookup[f"{int(kode):03d}"] = int(kode)
        for alias, kode in zip(self.aliases["alias"], self.aliases["kode"], strict=True):
            lookup[normalise_kommune(alias)] = int(kode)
        return lookup

    def closest_kommuner(self, value: object, n: int = 3) -> list[str]:
        """The official names closest to a value no spelling matched, for the error message."""
        names = {normalise_kommune(x): x for x in self.kommuner["navn"]}
        aliases = dict(zip(self.aliases["alias"].map(normalise_kommune), self.aliases["kode"],
                           strict=True))
        by_code = dict(zip(self.kommuner["kode"], self.kommuner["navn"], strict=True))
        candidates = {**names, **{a: by_code[k] for a, k in aliases.items()}}
        close = difflib.get_close_matches(normalise_kommune(value), list(candidates), n=n * 2,
                                          cutoff=0.5)
        return list(dict.fromkeys(candidates[c] for c in close))[:n]

    def scale_answers(self, scale: str) -> pd.DataFrame:
        """The answers of one scale in their order (answer, valid, order)."""
        return self.scale_tables[scale]

    def question_scale(self) -> dict[str, str]:
        """Question key -> scale, for the keys that hold answers."""
        q = self.questions[self.questions["scale"] != ""]
        return dict(zip(q["key"], q["scale"], strict=True))

    def positive_answers(self, indicator_id: str) -> list[str]:
        row = self.indicators.loc[self.indicators["indicator_id"] == indicator_id].iloc[0]
        return [a for a in row["positive_answers"].split("|") if a]


def reference_dir() -> Path:
    """The folder of reference files in use: $MAALOPFYLDELSE_REFERENCE, else the package's."""
    chosen = os.environ.get(REFERENCE_ENV)
    return Path(chosen) if chosen else REFERENCE_DIR


def load_reference(folder: Path | None = None) -> Reference:
    """The reference files of `folder` (default: `reference_dir()`), read once per process."""
    return _load(str((folder or reference_dir()).resolve()))


@cache
def _load(folder: str) -> Reference:
    def _read(name: str) -> pd.DataFrame:
        return pd.read_csv(Path(folder) / name, dtype=str, keep_default_na=False,
                           encoding="utf-8")

    kommuner = _read("kommuner.csv")
    kommuner["kode"] = kommuner["kode"].astype(int)
    aliases = _read("kommune_aliases.csv")
    aliases["kode"] = aliases["kode"].astype(int)
    scales = _read("scales.csv")
    scales["valid"] = scales["valid"].astype(int).astype(bool)
    scales["order"] = scales["order"].astype(int)
    tracks = _read("tracks.csv")
    tracks["order"] = tracks["order"].astype(int)
    # short_label and temaspor are optional: a catalogue without them names a track in full
    # and gives it no theme-track section in the report.
    short = tracks.get("short_label", pd.Series("", index=tracks.index))
    tracks["short_label"] = short.where(short != "", tracks["label"])
    tracks["temaspor"] = tracks.get("temaspor", pd.Series("0", index=tracks.index))
    return Reference(
        kommuner=kommuner,
        aliases=aliases,
        questions=_read("questions.csv"),
        scales=scales,
        indicators=_read("indicators.csv"),
        maal=_read("maal.csv"),
        tracks=tracks,
        national_measures=_read("national_measures.csv").assign(
            per_licence=lambda d: d["per_licence"].astype(int).astype(bool),
            summable=lambda d: d["summable"].astype(int).astype(bool)),
        judgement_statuses=_read("judgement_statuses.csv"),
        scale_tables={name: table.sort_values("order").reset_index(drop=True)
                      for name, table in scales.groupby("scale")},
        folder=Path(folder),
    )


BOUNDARIES = "kommuner.geojson"
"""The municipalities' boundaries for maps: DAGI (Styrelsen for Dataforsyning og
Infrastruktur), CC BY 4.0, simplified; see reference/README.md for source and licence."""
BOUNDARIES_ATTRIBUTION = ("Indeholder data fra Styrelsen for Dataforsyning og Infrastruktur, "
                          "DAGI")
"""The attribution CC BY 4.0 asks for, shown beside every map drawn from BOUNDARIES."""


def municipality_boundaries(folder: Path | None = None) -> dict:
    """The 98 municipalities as GeoJSON (WGS84 lon/lat; properties `kode`, `navn`), from
    the reference folder in use, or the package's own when a copied folder has none (the
    boundaries do not change with the agreement)."""
    chosen = (folder or reference_dir()) / BOUNDARIES
    return _boundaries(str((chosen if chosen.exists() else REFERENCE_DIR / BOUNDARIES)
                           .resolve()))


@cache
def _boundaries(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
