"""The six record datasets end to end through the command line (in process): synthetic
records (``hrgfast synth --dataset``) -> the official CSV file set, with the bundled
design. Records per second are recorded as ``episodes_per_s`` like the APC benches."""

from __future__ import annotations

import csv

import pytest
from conftest import N, run

from hrgfast import synth_records
from hrgfast.cli import main
from hrgfast.datasets.spec import DATASETS


@pytest.fixture(scope="module")
def inputs(data_dir):
    paths = {}
    for name in DATASETS:
        path = data_dir / f"{name.lower()}.csv"
        assert synth_records.write_csv(path, name, N, seed=1) == N
        paths[name] = path
    return paths


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_cli_dataset_csv_to_csv(benchmark, inputs, tmp_path, dataset):
    out = tmp_path / "o"
    assert run(benchmark, main, ["group", "-i", str(inputs[dataset]), "-h", "-o", str(out),
                                 "-l", dataset, "--quiet"]) == 0
    ds = DATASETS[dataset]
    with open(f"{out}_summary.csv", newline="") as fh:
        s = next(csv.DictReader(fh))
    assert int(s[f"{ds.record} Count"]) == N
    assert 0 < int(s[f"{ds.record} Error Count"]) < N // 5
