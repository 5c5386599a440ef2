"""Synthetic records of the six datasets: seeded, every field the logic needs, mostly
valid under the bundled design (so benchmarks exercise the grouping paths)."""

import pytest

import hrgfast
from hrgfast import synth_records
from hrgfast.datasets.spec import DATASETS


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_seeded_and_mostly_valid(tmp_path, dataset):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert synth_records.write_csv(a, dataset, 5000, seed=7) == 5000
    synth_records.write_csv(b, dataset, 5000, seed=7)
    assert a.read_bytes() == b.read_bytes()
    synth_records.write_csv(b, dataset, 5000, seed=8)
    assert a.read_bytes() != b.read_bytes()
    import pyarrow.csv as pv
    names = a.read_text().splitlines()[0].split(",")
    table = pv.read_csv(a, convert_options=pv.ConvertOptions(
        column_types={n: "string" for n in names}, strings_can_be_null=False))
    assert table.num_rows == 5000 and set(DATASETS[dataset].names) <= set(names)
    r = hrgfast.group_records(dataset, table)
    bad = r.run_info[f"{DATASETS[dataset].record} Error Count"]
    assert 0 < bad < 0.2 * 5000          # the error paths run, but most records group
