"""The in-memory API: input types, result tables, explanations."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from conftest import columns, episode

import hrgfast

RECORDS = [episode(["I210", "N185", "E119"], ["U051"]),
           episode(["J22X"], ["G451"], PROVSPNO="S2"),
           episode(["K297"], ["W371"], PROVSPNO="S3", EPIDUR=5)]
EXPECTED = ["EB10C", "DZ22L", "HN12B"]


@pytest.mark.parametrize("convert", [
    lambda d: d,
    lambda d: pa.table(d),
    lambda d: pa.table(d).to_batches()[0],
    lambda d: pd.DataFrame(d),
    lambda d: pl.DataFrame(d),
    lambda d: {k: np.array(v) for k, v in d.items()},
    lambda d: pa.table(d).cast(pa.schema([(k, pa.large_string()) for k in d])),
    lambda d: pa.table({k: pa.array(v).dictionary_encode() for k, v in d.items()}),
])
def test_input_types(mini, convert):
    r = hrgfast.group_apc(convert(columns(RECORDS)), design=mini)
    assert r.episodes.column("FCE_HRG").to_pylist() == EXPECTED


def test_numeric_and_null_columns(mini):
    d = columns(RECORDS)
    t = pa.table({**d, "EPIORDER": pa.array([1, 1, 1], pa.int64()),
                  "STARTAGE": pa.array([50, 50, None], pa.int32()),
                  "EPIDUR": pa.array([3.0, 3.0, 5.0]),
                  "DIAG_03": pa.array(["E119", None, None]),
                  "SEX": pa.array([1, 1, 1], pa.int8())})
    r = hrgfast.group_apc(t, design=mini)
    assert r.episodes.column("FCE_HRG").to_pylist() == ["EB10C", "DZ22L", "UZ01Z"]
    assert r.quality.to_pydict()["Error Message"] == ["Start Age is blank"]


def test_lower_case_column_names(mini):
    d = {k.lower(): v for k, v in columns(RECORDS).items()}
    assert hrgfast.group_apc(d, design=mini).episodes.column("FCE_HRG").to_pylist() == EXPECTED


def test_missing_required_field(mini):
    d = columns(RECORDS)
    del d["SEX"]
    with pytest.raises(ValueError, match="SEX"):
        hrgfast.group_apc(d, design=mini)


def test_unsupported_input():
    with pytest.raises(TypeError, match="cannot group"):
        hrgfast.group_apc([1, 2, 3])


def test_zero_rows(mini):
    d = {k: [] for k in RECORDS[0]}
    r = hrgfast.group_apc(d, design=mini)
    assert r.episodes.num_rows == 0 and r.spells.num_rows == 0


def test_results_are_arrow_and_convert(mini):
    r = hrgfast.group_apc(columns(RECORDS), design=mini)
    for t in (r.episodes, r.spells, r.unbundled, r.quality, r.summary):
        assert isinstance(t, pa.Table)
    df = r.episodes.to_pandas()
    assert list(df["FCE_HRG"]) == EXPECTED
    assert pl.from_arrow(r.spells).height == 3
    assert r.summary.column("FCE Count")[0].as_py() == 3


def test_explain(mini):
    r = hrgfast.group_apc(columns(RECORDS), design=mini)
    text = r.explain(1)
    assert "FCE_HRG EB10C" in text and "diagnosis-driven" in text
    assert "N185: +5" in text and "E119: +2" in text and "when cc>=7" in text
    assert "unbundled: RD20A" in text
    assert "dominant procedure W371" in r.explain(3)
    with pytest.raises(IndexError):
        r.explain(4)


def test_cc_breakdown_matches_engine(mini):
    """The explanation's CC arithmetic agrees with the engine on random records."""
    rng = random.Random(3)
    pool = ["E119", "I10X", "I251", "I210", "J441", "N185", "N181", "S3250", "J22X"]
    recs = [episode([rng.choice(["I210", "J22X", "N179", "I251"])]
                    + [rng.choice(pool) for _ in range(5)], PROVSPNO=str(i))
            for i in range(200)]
    r = hrgfast.group_apc(columns(recs), design=mini)
    ep = r.episodes.to_pydict()
    checked = 0
    for i, row in enumerate(ep["InputRow"]):
        if ep["GroupingMethodFlag"][i] == "U":   # invalid records carry no CC score
            continue
        checked += 1
        diags = [recs[row][f"DIAG_{k:02d}"] for k in range(1, 7)]
        parts = mini.cc_breakdown(diags[0], diags[1:], ep["HRGRoot"][i][:2])
        assert sum(w for _, w, _ in parts) == ep["CCScore"][i]
    assert checked > 100
