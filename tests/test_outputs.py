"""How outputs are written: deterministic, rounded, and safe to open in Excel."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from pipeline.outputs.write import to_csv_bytes


def test_csv_is_rounded_and_neutralises_formulas_in_every_kind_of_text_column():
    frame = pd.DataFrame({
        "text": ["=HYPERLINK(\"http://x\")", "+45 1234", "-5", "@SUM(A1)", "ok", None],
        "category": pd.Categorical(["=1+1", "fine", "=1+1", "fine", None, "fine"]),
        "share": [1 / 3, 0.85, np.nan, 0.1 + 0.2, 1.0, 0.0],
        "when": pd.to_datetime(["2024-03-01 09:05:07", None, "2024-12-31 23:59:00",
                                "2024-01-01 00:00:00", None, None]),
        "count": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
    })
    text = to_csv_bytes(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    assert back["text"].tolist()[:5] == ["'=HYPERLINK(\"http://x\")", "'+45 1234", "'-5",
                                         "'@SUM(A1)", "ok"]
    assert back["category"].tolist()[:2] == ["'=1+1", "fine"]
    assert back["share"].tolist()[:2] == [0.333333, 0.85] and np.isnan(back["share"][2])
    assert back["when"].tolist()[0] == "2024-03-01 09:05:07"
    assert back["count"].tolist()[:2][0] == 1 and np.isnan(back["count"][1])
    assert to_csv_bytes(frame) == to_csv_bytes(frame.copy())  # deterministic
