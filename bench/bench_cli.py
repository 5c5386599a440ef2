"""End to end through the command line (in process): CSV -> the official CSV file set,
Parquet -> Parquet tables, Parquet -> the official CSV file set."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest
from conftest import N, run

from hrgfast.cli import main


def summary_csv(base) -> dict[str, str]:
    with open(f"{base}_summary.csv", newline="") as fh:
        return next(csv.DictReader(fh))


def test_cli_csv_to_csv(benchmark, csv_path, tmp_path):
    out = tmp_path / "o"
    assert run(benchmark, main, ["group", "-i", str(csv_path), "-h", "-o", str(out),
                                 "--quiet"]) == 0
    s = summary_csv(out)
    assert int(s["FCE Count"]) == N and 0 < int(s["FCE Error Count"]) < N // 10
    with open(f"{out}_FCE_rel.csv", "rb") as fh:
        assert sum(1 for _ in fh) == N + 1


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_cli_parquet_to_tables(benchmark, parquet_path, tmp_path, fmt):
    out = tmp_path / "o"
    assert run(benchmark, main, ["group", "-i", str(parquet_path), "-o", str(out),
                                 "--format", fmt, "--quiet"]) == 0
    ext = "parquet" if fmt == "parquet" else "arrow"
    if fmt == "parquet":
        assert pq.read_metadata(f"{out}_FCE.{ext}").num_rows == N
        s = pq.read_table(f"{out}_summary.parquet").to_pylist()[0]
        assert s["FCE Count"] == N and s["Spell Count"] == \
            pq.read_metadata(f"{out}_spell.parquet").num_rows


def test_cli_parquet_to_csv(benchmark, parquet_path, tmp_path):
    out = tmp_path / "o"
    assert run(benchmark, main, ["group", "-i", str(parquet_path), "-o", str(out),
                                 "--quiet"]) == 0
    assert int(summary_csv(out)["FCE Count"]) == N
