"""Make the synthetic demo data in `surveys/`: `python -m pipeline demo-data`.

The exports have the shapes real ones have (a SurveyXact export with its Dataset,
Structure and Labels sheets and responses that were never completed, xlsx and csv, ; and
, delimiters, UTF-8 with BOM and Windows-1252, question texts that change from year to
year, numeric answer codes, spelling variants of municipality names, a duplicate
response, an abandoned one, skip logic, "Ved ikke", and the respondent's name, e-mail and
comment), but every answer is drawn from a seeded random generator. The folder is
marked with SYNTETISKE_DEMODATA.txt, so every output says the figures are not real.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from pipeline.read.codebook import CODEBOOK
from pipeline.read.surveys import SYNTHETIC_MARKER
from pipeline.reference import Reference, load_reference
from pipeline.surveyxact_writer import COMPLETED, Question, write_surveyxact

SEED = 20210101
YEARS = (2021, 2022, 2023, 2024)

# The synthetic "true" share of positive answers per question and year. Chosen so
# the demo shows every verdict: met for sure, met but uncertain, not met.
TRUE_RATES = {
    "tilfreds_fysisk": (0.86, 0.85, 0.88, 0.87),
    "tilfreds_digital": (0.78, 0.74, 0.79, 0.80),
    "formidling_licenser": (0.83, 0.76, 0.78, 0.80),
    "tydelighed": (0.80, 0.72, 0.70, 0.79),
    "sammenhaeng_mo": (0.79, 0.75, 0.77, 0.80),
    "relevans_laes": (0.82, 0.84, 0.88, 0.89),
    "relevans_kultur": (0.55, 0.66, 0.74, 0.83),
    "relevans_digital": (0.52, 0.62, 0.70, 0.78),
    "styrker_laes": (0.70, 0.82, 0.86, 0.92),
    "styrker_kultur": (0.66, 0.70, 0.71, 0.76),
    "styrker_digital": (0.64, 0.80, 0.72, 0.74),
    "sammenhaeng_vaesen": (0.78, 0.84, 0.87, 0.88),
}
PARTICIPATION_RATES = {"deltog_laes": 0.7, "deltog_kultur": 0.55, "deltog_digital": 0.6}
RESPONSE_RATES = (0.84, 0.90, 0.87, 0.92)
DONT_KNOW_RATE = 0.04

# How each year's questionnaire words its questions (the export headers). Wording,
# order and the columns around them change between years, as they do in reality.
HEADERS = {
    2021: {
        "kommune": "Kommune",
        "besvaret": "Afsluttet",
        "tilfreds_fysisk": "Hvor tilfreds er I med den fysiske del af materialeoverbygningen?",
        "tilfreds_digital": "Hvor tilfreds er I med den digitale del af materialeoverbygningen?",
        "formidling_licenser": "I hvilken grad oplever I, at centralbibliotekerne understøtter "
                               "formidlingen af licenserne til borgerne?",
        "tydelighed": "I hvilken grad oplever I, at der er tydelighed omkring det samlede "
                      "materialeoverbygningstilbud?",
        "sammenhaeng_mo": "I hvilken grad oplever I, at der tilbydes en sammenhængende "
                          "materialeoverbygning?",
        "relevans_laes": "Relevans af tiltag: Glæden ved sprog, litteratur og læsning",
        "relevans_kultur": "Relevans af tiltag: Kultur for alle",
        "relevans_digital": "Relevans af tiltag: Borgeren i den digitale transformation",
        "deltog_laes": "Deltaget aktivt: Glæden ved sprog, litteratur og læsning",
        "styrker_laes": "Styrket arbejdet: Glæden ved sprog, litteratur og læsning",
        "deltog_kultur": "Deltaget aktivt: Kultur for alle",
        "styrker_kultur": "Styrket arbejdet: Kultur for alle",
        "deltog_digital": "Deltaget aktivt: Borgeren i den digitale transformation",
        "styrker_digital": "Styrket arbejdet: Borgeren i den digitale transformation",
        "sammenhaeng_vaesen": "I hvilken grad oplever I, at centralbibliotekerne bidrager til "
                              "et mere sammenhængende biblioteksvæsen?",
    },
    2022: {
        "kommune": "Kommunenr.",
        "besvaret": "Besvaret (tidspunkt)",
        "tilfreds_fysisk": "Q1 Tilfredshed - fysisk materialeoverbygning",
        "tilfreds_digital": "Q2 Tilfredshed - digital materialeoverbygning",
        "formidling_licenser": "Q3 CB understøtter formidling af licenser",
        "tydelighed": "Q4 Tydelighed om materialeoverbygningstilbuddet",
        "sammenhaeng_mo": "Q5 Sammenhængende materialeoverbygning",
        "relevans_laes": "Q6a Relevans - læsning",
        "relevans_kultur": "Q6b Relevans - kultur for alle",
        "relevans_digital": "Q6c Relevans - digital transformation",
        "deltog_laes": "Q7a Deltaget - læsning",
        "deltog_kultur": "Q7b Deltaget - kultur for alle",
        "deltog_digital": "Q7c Deltaget - digital transformation",
        "styrker_laes": "Q8a Styrket - læsning",
        "styrker_kultur": "Q8b Styrket - kultur for alle",
        "styrker_digital": "Q8c Styrket - digital transformation",
        "sammenhaeng_vaesen": "Q9 Mere sammenhængende biblioteksvæsen",
    },
    2023: {
        "kommune": "Hvilken kommune svarer du for?",
        "besvaret": "Tidspunkt",
        "tilfreds_fysisk": "Hvor tilfredse er I samlet set med den fysiske del af "
                           "materialeoverbygningen (fjernlån m.m.)?",
        "tilfreds_digital": "Hvor tilfredse er I samlet set med den digitale del af "
                            "materialeoverbygningen (licenser)?",
        "formidling_licenser": "I hvilken grad understøtter centralbibliotekerne jeres "
                               "formidling af licenserne til borgerne?",
        "tydelighed": "I hvilken grad er der tydelighed omkring det samlede tilbud?",
        "sammenhaeng_mo": "I hvilken grad oplever I en sammenhængende materialeoverbygning?",
        "sammenhaeng_vaesen": "I hvilken grad bidrager centralbibliotekerne til et mere "
                              "sammenhængende biblioteksvæsen?",
        "relevans_laes": "Tilfredshed med relevansen - Glæden ved sprog, litteratur og læsning",
        "deltog_laes": "Har I deltaget aktivt - Glæden ved sprog, litteratur og læsning",
        "styrker_laes": "Har deltagelsen styrket jer - Glæden ved sprog, litteratur og læsning",
        "relevans_kultur": "Tilfredshed med relevansen - Kultur for alle",
        "deltog_kultur": "Har I deltaget aktivt - Kultur for alle",
        "styrker_kultur": "Har deltagelsen styrket jer - Kultur for alle",
        "relevans_digital": "Tilfredshed med relevansen - Borgeren i den digitale transformation",
        "deltog_digital": "Har I deltaget aktivt - Borgeren i den digitale transformation",
        "styrker_digital": "Har deltagelsen styrket jer - Borgeren i den digitale transformation",
    },
}
HEADERS[2024] = {**HEADERS[2023], "kommune": "Kommune", "besvaret": "Afsluttet dato"}

SATISFACTION_CODES = {"1": "Meget tilfreds", "2": "Tilfreds",
                      "3": "Hverken tilfreds eller utilfreds", "4": "Utilfreds",
                      "5": "Meget utilfreds", "9": "Ved ikke"}
FIRST_NAMES = ["Anne", "Mette", "Lars", "Søren", "Hanne", "Jens", "Pia", "Mikkel", "Karen",
               "Rasmus", "Lene", "Henrik", "Susanne", "Ole", "Camilla", "Thomas"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
              "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen"]
COMMENTS = ["Vi savner mere om børnelitteratur.", "Godt samarbejde med CB i år.",
            "Fjernlån tager for lang tid.", "", "", "", "Licenserne er svære at finde.",
            "Tak for netværksmøderne!", ""]
SURVEYXACT_YEAR = 2021
"""The demo year exported from SurveyXact as it comes: every municipality was invited, and
those that did not complete the questionnaire are in the export too, with their status."""
SURVEYXACT_EXPORT = "SurveyXact_dataset_2021.xlsx"
NOT_COMPLETED = {"Nogle svar": 3, "Frafaldet": 2, "Ny": 1}
"""How many of the invited municipalities that sent no completed response stopped half
way, declined, or were never sent the invitation; the rest were "Distribueret" (invited,
never answered)."""
ANSWER_CODES = {"Ved ikke": "9", "Ikke relevant": "8"}
"""Codes of the answers outside a scale's order, as a survey's author might set them."""
SPELLING_VARIANTS = {"Aarhus": "Århus", "Aabenraa": "Åbenrå", "Høje-Taastrup": "Høje Taastrup",
                     "Nordfyns": "Nordfyn", "Vesthimmerlands": "Vesthimmerland",
                     "Faaborg-Midtfyn": "Faaborg Midtfyn", "København": "Københavns Kommune"}


def _answers(rng: np.random.Generator, scale: list[str], rate: float, size: int) -> np.ndarray:
    """Draw answers: positive with probability `rate` (split 45/55 between the two positive
    categories), otherwise one of the three others; some "Ved ikke"."""
    p_pos = rate * (1 - DONT_KNOW_RATE)
    p_neg = (1 - rate) * (1 - DONT_KNOW_RATE)
    probs = [p_pos * 0.45, p_pos * 0.55, p_neg * 0.6, p_neg * 0.3, p_neg * 0.1, DONT_KNOW_RATE]
    return rng.choice(scale, size=size, p=probs)


def synthetic_responses(year: int, reference: Reference, rng: np.random.Generator,
                        response_rate: float | None = None) -> pd.DataFrame:
    """One clean response per responding municipality, with answers as scale labels."""
    index = YEARS.index(year) if year in YEARS else len(YEARS) - 1
    rate = RESPONSE_RATES[index] if response_rate is None else response_rate
    kommuner = reference.kommuner
    answering = kommuner[rng.random(len(kommuner)) < rate].reset_index(drop=True)
    n = len(answering)
    scales = {s: reference.scale_answers(s)["answer"].tolist()[:6]
              for s in ("satisfaction", "degree")}
    scale_of = reference.question_scale()
    data: dict[str, object] = {"kommune": answering["navn"].to_numpy()}
    start = datetime(year, 3, 1, 9, 0)
    data["besvaret"] = [start + timedelta(minutes=int(m)) for m in
                        np.sort(rng.integers(0, 60 * 24 * 30, size=n))]
    for key, rates in TRUE_RATES.items():
        if key.startswith("styrker_"):
            continue
        data[key] = _answers(rng, scales[scale_of[key]], rates[index], n)
    for key, p in PARTICIPATION_RATES.items():
        took_part = rng.random(n) < p
        data[key] = np.where(took_part, "Ja", np.where(rng.random(n) < 0.9, "Nej", "Ved ikke"))
        track = key.removeprefix("deltog_")
        styrker = _answers(rng, scales["degree"], TRUE_RATES[f"styrker_{track}"][index], n)
        data[f"styrker_{track}"] = np.where(took_part, styrker, "")
    return pd.DataFrame(data)


def _personal_columns(rng: np.random.Generator, n: int) -> pd.DataFrame:
    first = rng.choice(FIRST_NAMES, n)
    last = rng.choice(LAST_NAMES, n)
    return pd.DataFrame({
        "Navn": [f"{f} {ln}" for f, ln in zip(first, last, strict=True)],
        "E-mail": [f"{f.lower()}.{ln.lower()}@bibliotek-demo.dk".replace("ø", "oe")
                   for f, ln in zip(first, last, strict=True)],
        "Kommentar": rng.choice(COMMENTS, n),
    })


def _export_frame(year: int, responses: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give the clean responses the look of that year's raw export."""
    headers = HEADERS[year]
    out = responses.copy()
    out["kommune"] = out["kommune"].map(lambda k: SPELLING_VARIANTS.get(k, k))
    if year == 2021:
        out["kommune"] = [f"{k} Kommune" if i % 3 == 0 else k
                          for i, k in enumerate(out["kommune"])]
    if year == 2022:
        codes = load_reference().kommuner.set_index("navn")["kode"]
        out["kommune"] = responses["kommune"].map(codes).astype(str)
        reverse = {v: k for k, v in SATISFACTION_CODES.items()}
        for key in ("tilfreds_fysisk", "tilfreds_digital", "relevans_laes", "relevans_kultur",
                    "relevans_digital"):
            out[key] = out[key].map(lambda a: reverse.get(a, a))
    if year == 2023:
        # Case and stray spaces as typed or exported by another tool.
        for key in ("tydelighed", "relevans_kultur"):
            out[key] = out[key].map(lambda a: f" {a.lower()} " if a else a)
    out["besvaret"] = [t.strftime("%d-%m-%Y %H:%M") if year in (2022, 2023) else t
                       for t in out["besvaret"]]
    personal = _personal_columns(rng, len(out))
    front = pd.DataFrame({"Respondent-ID": [f"R{year}{i:04d}" for i in range(1, len(out) + 1)]})
    frame = pd.concat([front, personal[["Navn", "E-mail"]], out.rename(columns=headers),
                       personal[["Kommentar"]]], axis=1)
    return frame[["Respondent-ID", "Navn", "E-mail", *headers.values(), "Kommentar"]]


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Besvarelser"
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, str) and v == "") else v for v in row])
    wb.properties.creator = "pipeline.demo (syntetiske data)"
    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)
    wb.save(path)


def _write_csv(path: Path, frame: pd.DataFrame, delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=delimiter, index=False, lineterminator="\r\n",
                 quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_codebook(folder: Path, year: int, value_labels: dict[str, str]) -> None:
    rows = [{"column": header, "key": key, "value_labels": value_labels.get(key, "")}
            for key, header in HEADERS[year].items()]
    # The personal columns are listed with an empty key: seen, and deliberately not read.
    rows += [{"column": c, "key": "", "value_labels": ""}
             for c in ("Respondent-ID", "Navn", "E-mail", "Kommentar")]
    pd.DataFrame(rows).to_csv(folder / CODEBOOK, index=False, lineterminator="\n")


def surveyxact_questions(year: int, reference: Reference) -> list[Question]:
    """The year's questionnaire as set up in SurveyXact: the municipality a background
    variable (from the list of invited libraries), each question a closed one with its
    scale's answers coded 1, 2, ... (9 = Ved ikke), and a comment field."""
    scale_of = reference.question_scale()
    questions = [Question("kommune", "Kommune", kind="background")]
    keys = [k for k in HEADERS[year] if k not in ("kommune", "besvaret")]
    for number, key in enumerate(keys, start=1):
        answers = reference.scale_answers(scale_of[key])["answer"].tolist()
        answers = [a for a in answers if a != "Ikke relevant"]
        codes = [ANSWER_CODES.get(a, str(i)) for i, a in enumerate(answers, start=1)]
        questions.append(Question(f"s_{number}", HEADERS[year][key], tuple(answers),
                                  tuple(codes)))
    questions.append(Question(f"s_{len(keys) + 1}", "Kommentar", kind="open"))
    return questions


def surveyxact_responses(year: int, frame: pd.DataFrame, reference: Reference, seed: int
                         ) -> tuple[list[Question], list[dict[str, object]]]:
    """The year's export rows (`frame`, with the completed responses) as SurveyXact has
    them: the same answers, completed at the same time, and a row for every other invited
    municipality with a status other than Gennemført (some half-answered). The extra rows
    are drawn from a generator of their own, so the other years stay as they were."""
    questions = surveyxact_questions(year, reference)
    headers = HEADERS[year]
    official = {normalise: name for name in reference.kommuner["navn"]
                for normalise in (name, SPELLING_VARIANTS.get(name, name),
                                  f"{SPELLING_VARIANTS.get(name, name)} Kommune")}
    completed = []
    for row in frame.to_dict("records"):
        answers = {q.variable: row[q.text] for q in questions[1:-1]}
        completed.append({"kommune": official[row[headers["kommune"]]], **answers,
                          questions[-1].variable: row["Kommentar"], "status": COMPLETED,
                          "closetime": str(row[headers["besvaret"]]),
                          "email": row["E-mail"], "name": row["Navn"]})
    rng = np.random.default_rng(seed + year)
    answered = {r["kommune"] for r in completed}
    others = [k for k in reference.kommuner["navn"] if k not in answered]
    statuses = [s for s, n in NOT_COMPLETED.items() for _ in range(n)]
    statuses += ["Distribueret"] * (len(others) - len(statuses))
    personal = _personal_columns(rng, len(others))
    rows = []
    for i, (kommune, status) in enumerate(zip(others, rng.permutation(statuses),
                                              strict=True)):
        row: dict[str, object] = {"kommune": kommune, "status": str(status),
                                  "email": personal["E-mail"][i], "name": personal["Navn"][i]}
        if status == "Nogle svar":  # the first questions answered, then left
            for q in questions[1:1 + int(rng.integers(2, 6))]:
                row[q.variable] = q.answers[int(rng.integers(0, len(q.answers) - 1))]
        rows.append(row)
    order = {name: i for i, name in enumerate(reference.kommuner["navn"])}
    invited = sorted([*completed[:-1], *rows], key=lambda r: order[str(r["kommune"])])
    return questions, [*invited, completed[-1]]  # the second response came in last


def _write_surveyxact_codebook(folder: Path, questions: list[Question]) -> None:
    """The codebook of a SurveyXact year: the municipality by its variable name, the
    questions by their text in Structure; no value_labels (the export has its Labels) and
    no besvaret (closetime is the time of a completed response). E-mail, name and the
    comment are listed as not read."""
    keys = {text: key for key, text in HEADERS[SURVEYXACT_YEAR].items()}
    rows = [{"column": "kommune", "key": "kommune"}]
    rows += [{"column": q.text, "key": keys[q.text]} for q in questions[1:-1]]
    rows += [{"column": c, "key": ""} for c in ("email", "name", questions[-1].text)]
    pd.DataFrame(rows).to_csv(folder / CODEBOOK, index=False, lineterminator="\n")


def write_demo(root: Path, seed: int = SEED, surveyxact: bool = True) -> list[Path]:
    """Write the demo surveys folder; returns the files written. `surveyxact=False` writes
    the SurveyXact year as a plain labelled export of its completed responses instead
    (the same figures, which a test holds)."""
    reference = load_reference()
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for year in YEARS:
        folder = root / str(year)
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        responses = synthetic_responses(year, reference, rng)
        frame = _export_frame(year, responses, rng)
        labels = {}
        if year == SURVEYXACT_YEAR:
            # A library that answered twice: the later answer must win.
            again = frame.iloc[[5]].copy()
            again.iloc[0, frame.columns.get_loc(HEADERS[year]["besvaret"])] = \
                frame.iloc[5][HEADERS[year]["besvaret"]] + timedelta(days=3)
            again.iloc[0, frame.columns.get_loc(HEADERS[year]["tilfreds_fysisk"])] = "Tilfreds"
            frame = pd.concat([frame, again], ignore_index=True)
            if surveyxact:
                questions, answers = surveyxact_responses(year, frame, reference, seed)
                (path,) = write_surveyxact(folder, questions, answers, name=SURVEYXACT_EXPORT)
                _write_surveyxact_codebook(folder, questions)
                written += [path, folder / CODEBOOK]
                continue
            path = folder / f"besvarelser_{year}.xlsx"
            _write_xlsx(path, frame)
        elif year == 2022:
            labels = {k: "; ".join(f"{c}={a}" for c, a in SATISFACTION_CODES.items())
                      for k in ("tilfreds_fysisk", "tilfreds_digital", "relevans_laes",
                                "relevans_kultur", "relevans_digital")}
            path = folder / "survey_export_2022.csv"
            _write_csv(path, frame, ";", "cp1252")
        elif year == 2023:
            # An abandoned response: a name and e-mail, but no municipality and no answers.
            abandoned = pd.DataFrame([{c: "" for c in frame.columns}])
            abandoned.loc[0, ["Respondent-ID", "Navn", "E-mail"]] = [
                "R20239999", "Test Testesen", "test.testesen@bibliotek-demo.dk"]
            frame = pd.concat([frame.iloc[:40], abandoned, frame.iloc[40:]], ignore_index=True)
            path = folder / "Centralbiblioteksundersøgelse 2023.csv"
            _write_csv(path, frame, ",", "utf-8-sig")
        else:
            # A main export and a second file with late responses, one of them a library
            # that had already answered (its later answer wins).
            late = frame.iloc[-6:].copy()
            main = frame.iloc[:-6]
            again = main.iloc[[2]].copy()
            when = HEADERS[year]["besvaret"]
            again[when] = again[when] + timedelta(days=20)
            late = pd.concat([late, again], ignore_index=True)
            path = folder / "besvarelser_2024.xlsx"
            _write_xlsx(path, main)
            late_path = folder / "sene_besvarelser_2024.csv"
            _write_csv(late_path, late.assign(**{when: late[when].map(
                lambda t: t.strftime("%Y-%m-%d %H:%M"))}), ";", "utf-8")
            written.append(late_path)
        _write_codebook(folder, year, labels)
        written += [path, folder / CODEBOOK]
    written += _write_national(root, rng)
    marker = root / SYNTHETIC_MARKER
    marker.write_text(
        "Alle data i denne mappe er SYNTETISKE DEMODATA, lavet af 'python -m pipeline "
        f"demo-data' (seed {seed}).\nDe er ikke rigtige resultater. Slet denne fil, når mappen "
        "kun indeholder rigtige data.\n", encoding="utf-8")
    written.append(marker)
    return written


LICENCES = {  # licence: (use 2020, users 2020, yearly growth in use, in users)
    "eReolen": (4_100_000, 310_000, (0.06, 0.03, 0.02, 0.04), (0.04, 0.02, -0.01, 0.03)),
    "eReolen Go": (1_150_000, 98_000, (0.05, 0.04, 0.01, 0.03), (0.03, 0.02, -0.02, 0.02)),
    "Filmstriben": (2_300_000, 205_000, (0.02, -0.01, 0.03, 0.02), (0.02, 0.01, 0.00, 0.01)),
    "PressReader": (850_000, 41_000, (0.09, 0.05, 0.04, 0.05), (0.07, 0.03, 0.01, 0.02)),
}
INTERLIBRARY_LOANS = {2020: 761_400, 2021: 742_900, 2022: 733_100, 2023: 722_600,
                      2024: 731_800}


def _write_national(root: Path, rng: np.random.Generator) -> list[Path]:
    source = "Syntetisk demotal (ikke fra Danmarks Statistik)"
    rows = [{"year": y, "measure": "interlibrary_loans", "licence": "", "value": v,
             "source": source} for y, v in INTERLIBRARY_LOANS.items()]
    for licence, (use, users, use_growth, user_growth) in LICENCES.items():
        for i, year in enumerate((2020, *YEARS)):
            if i:
                use = round(use * (1 + use_growth[i - 1]))
                users = round(users * (1 + user_growth[i - 1]))
            rows.append({"year": year, "measure": "licence_use", "licence": licence,
                         "value": use, "source": source})
            rows.append({"year": year, "measure": "licence_users", "licence": licence,
                         "value": users, "source": source})
    figures = root / "national_figures.csv"
    pd.DataFrame(rows).to_csv(figures, index=False, lineterminator="\n")

    tracks = {"TS-LAES-VAE": "Glæden ved sprog, litteratur og læsning",
              "TS-KULT-VAE": "Kultur for alle",
              "TS-DIGI-VAE": "Borgeren i den digitale transformation"}
    judgements = []
    for year in YEARS:
        for ind, track in tracks.items():
            met = not (ind == "TS-KULT-VAE" and year == 2022)
            figure = int(rng.integers(800, 2500))
            target = 1000 if met else figure + 300
            evidence = (f"(Syntetisk eksempel) Effektmåling af aftalte tiltag under \"{track}\" "
                        f"{year}: {figure} deltagende borgere og partnerudsagn fra "
                        f"{int(rng.integers(5, 20))} kommuner.")
            judgements.append({"year": year, "indicator_id": ind,
                               "status": "sandsynliggjort" if met else "ikke sandsynliggjort",
                               "evidence": evidence, "agreed_figure": figure,
                               "agreed_target": target})
    path = root / "judgements.csv"
    pd.DataFrame(judgements).to_csv(path, index=False, lineterminator="\n")
    return [figures, path]


def write_large_year(root: Path, year: int, n_rows: int, seed: int = SEED) -> Path:
    """A respondent-level export of `n_rows` rows (many per municipality) with its
    codebook, for the benchmarks: run it with `--respondent-level`. Vectorised, so a
    million rows take seconds; never committed."""
    reference = load_reference()
    rng = np.random.default_rng(seed + n_rows)
    scale_of = reference.question_scale()
    scales = {s: reference.scale_answers(s)["answer"].tolist()[:6]
              for s in ("satisfaction", "degree")}
    names = reference.kommuner["navn"].to_numpy()
    data: dict[str, object] = {"kommune": rng.choice(names, n_rows)}
    start = np.datetime64(f"{year}-03-01T09:00")
    data["besvaret"] = (start + rng.integers(0, 60 * 24 * 30, n_rows).astype("timedelta64[m]")
                        ).astype("datetime64[m]").astype(str)
    for key, rates in TRUE_RATES.items():
        if not key.startswith("styrker_"):
            data[key] = _answers(rng, scales[scale_of[key]], rates[-1], n_rows)
    for key, p in PARTICIPATION_RATES.items():
        took_part = rng.random(n_rows) < p
        data[key] = np.where(took_part, "Ja", "Nej")
        track = key.removeprefix("deltog_")
        styrker = _answers(rng, scales["degree"], TRUE_RATES[f"styrker_{track}"][-1], n_rows)
        data[f"styrker_{track}"] = np.where(took_part, styrker, "")
    frame = pd.DataFrame(data)
    folder = root / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    headers = HEADERS[2024]
    frame.rename(columns=headers).to_csv(folder / f"respondenter_{year}.csv", index=False, sep=";")
    _write_codebook(folder, 2024, {})
    return folder
