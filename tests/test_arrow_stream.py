"""Streaming Parquet / Arrow IPC grouping: batch sizes, spells across batch boundaries,
unsorted input and output formats must give exactly the in-memory result."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import MINI

import hrgfast
from hrgfast import synth
from hrgfast.apc.arrowstream import ArrowGrouper, TableSink, TextSink, is_arrow_input
from hrgfast.apc.files import parquet_tables
from hrgfast.apc.textout import SUFFIXES, ApcTextWriter
from hrgfast.cli import main

N = 3000
TABLES = ["_FCE", "_spell", "_ub_rel", "_quality_rel"]


@pytest.fixture(scope="module")
def design():
    return hrgfast.load_design(MINI)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("arrow")
    csv = d / "in.csv"
    synth.write_csv(csv, N, seed=5, design=MINI, invalid_rate=0.05)
    table = pacsv.read_csv(csv, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in synth.FIELDS}, strings_can_be_null=False))
    pq.write_table(table, d / "in.parquet", row_group_size=700)
    with pa.ipc.new_file(d / "in.arrow", table.schema) as w:
        for b in table.to_batches(max_chunksize=900):
            w.write_batch(b)
    with pa.ipc.new_stream(d / "in.arrows", table.schema) as w:
        w.write_table(table)
    return {"csv": csv, "parquet": d / "in.parquet", "arrow": d / "in.arrow",
            "arrows": d / "in.arrows", "dir": d}


@pytest.fixture(scope="module")
def table(files) -> pa.Table:
    return pq.read_table(files["parquet"])


def expected(table: pa.Table, design) -> dict[str, pa.Table]:
    res = hrgfast.group_apc(table, design=design, num_threads=1)
    tables = parquet_tables(res, table)
    tables.pop("_summary")
    return tables


@pytest.fixture(scope="module")
def whole(table, design):
    return expected(table, design)


def read_back(base: Path, fmt: str) -> dict[str, pa.Table]:
    if fmt == "parquet":
        return {s: pq.read_table(f"{base}{s}.parquet") for s in TABLES}
    return {s: pa.ipc.open_file(f"{base}{s}.arrow").read_all() for s in TABLES}


def stream(source, out: Path, design, batch_rows: int, fmt: str = "parquet",
           threads: int = 1) -> tuple[dict[str, pa.Table], ArrowGrouper, list[Path]]:
    ag = ArrowGrouper(source, design, threads, batch_rows=batch_rows)
    sink = TableSink(out, design, fmt)
    ag.run(sink)
    paths = sink.close({"input": str(source)})
    return read_back(out, fmt), ag, paths


def assert_same(got: dict[str, pa.Table], want: dict[str, pa.Table]) -> None:
    for s in TABLES:
        g, w = got[s], want[s]
        assert g.schema.equals(w.schema), (s, g.schema, w.schema)
        assert g.num_rows == w.num_rows, s
        for name in w.column_names:
            assert g.column(name).equals(w.column(name)), (s, name)


@pytest.mark.parametrize("batch_rows", [29, 100, 1024, 1 << 20])
def test_parquet_batch_sizes(files, design, whole, tmp_path, batch_rows):
    got, ag, paths = stream(files["parquet"], tmp_path / "o", design, batch_rows)
    assert ag.mode == "sorted"
    assert_same(got, whole)
    assert [p.name for p in paths] == [f"o{s}.parquet" for s in TABLES + ["_summary"]]
    summary = pq.read_table(tmp_path / "o_summary.parquet").to_pylist()[0]
    assert summary["FCE Count"] == N
    assert summary["Spell Count"] == whole["_spell"].num_rows


@pytest.mark.parametrize("batch_rows", [1, 2, 3])
def test_tiny_batches(table, design, tmp_path, batch_rows):
    """One or two rows a batch: nearly every spell straddles a boundary (first 400 rows,
    to keep the run short)."""
    part = table.slice(0, 400)
    path = tmp_path / "part.parquet"
    pq.write_table(part, path, row_group_size=37)
    got, ag, _ = stream(path, tmp_path / "o", design, batch_rows)
    assert ag.mode == "sorted"
    assert_same(got, expected(part, design))


@pytest.mark.parametrize("kind", ["arrow", "arrows"])
@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_ipc_input_and_output(files, design, whole, tmp_path, kind, fmt):
    got, ag, _ = stream(files[kind], tmp_path / "o", design, 333, fmt, threads=2)
    assert_same(got, whole)


def test_one_spell_per_batch(table, design, whole, tmp_path):
    """Every record batch holds exactly one spell (and one row per batch in a run)."""
    keys = list(zip(table.column("PROCODET").to_pylist(), table.column("PROVSPNO").to_pylist(),
                    strict=True))
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]] + [len(keys)]
    path = tmp_path / "spells.arrow"
    with pa.ipc.new_file(path, table.schema) as w:
        for a, b in zip(starts[:-1], starts[1:], strict=True):
            w.write_table(table.slice(a, b - a))
    got, _, _ = stream(path, tmp_path / "o", design, 1 << 20)
    assert_same(got, whole)


def test_spell_split_across_batches_equals_whole_spell(table, design, tmp_path):
    """A long spell cut by every batch boundary groups as the same spell alone."""
    spno = table.column("PROVSPNO").to_numpy(zero_copy_only=False)
    counts = {k: v for k, v in zip(*np.unique(spno, return_counts=True), strict=True)}
    longest = max(counts, key=counts.get)
    assert counts[longest] >= 4
    rows = np.flatnonzero(spno == longest)
    lo = max(0, int(rows[0]) - 3)
    part = table.slice(lo, int(rows[-1]) + 4 - lo)
    path = tmp_path / "part.parquet"
    pq.write_table(part, path, row_group_size=2)
    got, _, _ = stream(path, tmp_path / "o", design, 2)
    alone = expected(table.take(pa.array(rows)), design)
    sp = got["_spell"].filter(pa.compute.equal(got["_spell"].column("PROVSPNO"), longest))
    assert sp.num_rows == 1
    skip = {"RowNo", "ReportRowNo"}
    for name in alone["_spell"].column_names:
        if name not in skip:
            assert sp.column(name).equals(alone["_spell"].column(name)), name
    ep = got["_FCE"].filter(pa.compute.equal(got["_FCE"].column("PROVSPNO"), longest))
    for name in ("FCE_HRG", "SpellHRG", "SpellReportFlag", "CalcEpidur", "UnbundledHRGs"):
        assert ep.column(name).equals(alone["_FCE"].column(name)), name
    assert_same(got, expected(part, design))


@pytest.mark.parametrize("batch_rows", [250, 1000, 1 << 20])
def test_shuffled_input_is_partitioned(table, design, whole, tmp_path, batch_rows):
    perm = list(range(table.num_rows))
    random.Random(3).shuffle(perm)
    shuffled = table.take(pa.array(perm))
    path = tmp_path / "shuffled.parquet"
    pq.write_table(shuffled, path, row_group_size=500)
    got, ag, _ = stream(path, tmp_path / "o", design, batch_rows)
    assert ag.mode == "partitioned"
    assert_same(got, expected(shuffled, design))
    # the same results as the sorted file, bar the input row numbers
    for s in TABLES:
        g = got[s].drop_columns(["InputRow"]) if s == "_FCE" else got[s]
        w = whole[s].drop_columns(["InputRow"]) if s == "_FCE" else whole[s]
        assert g.equals(w), s
    inputs = got["_FCE"].column("InputRow").to_numpy()
    assert np.array_equal(np.asarray(perm)[inputs], whole["_FCE"].column("InputRow").to_numpy())


def reordered(table: pa.Table, perm, design, tmp_path: Path, batch_rows: int, mode: str):
    t = table.take(pa.array(perm))
    pq.write_table(t, tmp_path / "reordered.parquet")
    got, ag, _ = stream(tmp_path / "reordered.parquet", tmp_path / "o", design, batch_rows)
    assert ag.mode == mode
    assert_same(got, expected(t, design))


def test_late_unsorted_key_restarts(table, design, tmp_path):
    """Sorted for several batches, then a spell key out of order: the run restarts."""
    rows = list(range(table.num_rows))
    reordered(table, rows[:100] + rows[2000:] + rows[100:2000], design, tmp_path, 300,
              "partitioned")


def test_episodes_out_of_order_within_spells(table, design, tmp_path):
    rng = np.random.default_rng(1)
    spno = table.column("PROVSPNO").to_numpy(zero_copy_only=False)
    starts = np.r_[0, np.flatnonzero(spno[1:] != spno[:-1]) + 1, len(spno)]
    perm = np.concatenate([rng.permutation(np.arange(a, b)) for a, b in
                           zip(starts[:-1], starts[1:], strict=True)])
    reordered(table, perm, design, tmp_path, 64, "sorted")


def test_text_sink_matches_csv_input(files, design, tmp_path):
    """CSV output from Parquet input = CSV output from the same rows as CSV text."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert main(["group", "-i", str(files["csv"]), "-h", "-o", str(tmp_path / "a" / "o"),
                 "--design", str(MINI), "--quiet"]) == 0
    ag = ArrowGrouper(files["parquet"], design, 1, batch_rows=128)
    writer = ApcTextWriter(tmp_path / "b" / "o", ag.header, design, True)
    sink = TextSink(writer, ag.header)
    ag.run(sink)
    sink.close({})
    for s in [""] + SUFFIXES[:-1]:
        a = (tmp_path / "a" / f"o{s}.csv").read_bytes()
        b = (tmp_path / "b" / f"o{s}.csv").read_bytes()
        assert a == b, s
    a = (tmp_path / "a" / "o_summary.csv").read_text().splitlines()[1].split(",")
    b = (tmp_path / "b" / "o_summary.csv").read_text().splitlines()[1].split(",")
    assert a[1:6] == b[1:6]             # design and counts (not times or file names)


@pytest.mark.parametrize("kind", ["parquet", "arrow"])
def test_cli_csv_from_arrow_input(files, tmp_path, kind):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    common = ["--design", str(MINI), "--quiet"]
    assert main(["group", "-i", str(files["csv"]), "-h", "-o", str(tmp_path / "a" / "o"),
                 *common]) == 0
    assert main(["group", "-i", str(files[kind]), "-o", str(tmp_path / "b" / "o"),
                 *common]) == 0
    for s in [""] + SUFFIXES[:-1]:
        assert (tmp_path / "a" / f"o{s}.csv").read_bytes() == \
            (tmp_path / "b" / f"o{s}.csv").read_bytes(), s


@pytest.mark.parametrize("fmt", ["parquet", "arrow"])
def test_cli_table_formats(files, design, whole, tmp_path, fmt):
    out = tmp_path / "o"
    assert main(["group", "-i", str(files["parquet"]), "-o", str(out), "--format", fmt,
                 "--design", str(MINI), "--quiet"]) == 0
    assert_same(read_back(out, fmt), whole)
    ext = "parquet" if fmt == "parquet" else "arrow"
    summary = pq.read_table(f"{out}_summary.parquet") if fmt == "parquet" else \
        pa.ipc.open_file(f"{out}_summary.arrow").read_all()
    row = summary.to_pylist()[0]
    assert row["FCE Count"] == N and row["Input Filename"] == str(files["parquet"])
    assert Path(f"{out}_FCE.{ext}").exists()


def test_cli_text_input_table_output(files, design, whole, tmp_path):
    out = tmp_path / "o"
    assert main(["group", "-i", str(files["csv"]), "-h", "-o", str(out), "--format", "arrow",
                 "--design", str(MINI), "--quiet"]) == 0
    assert_same(read_back(out, "arrow"), whole)


def test_cli_bad_format_and_missing_fields(files, tmp_path):
    assert main(["group", "-i", str(files["parquet"]), "-o", str(tmp_path / "o"),
                 "--format", "xlsx", "--quiet"]) == 2
    t = pq.read_table(files["parquet"]).drop_columns(["SEX"])
    pq.write_table(t, tmp_path / "nosex.parquet")
    assert main(["group", "-i", str(tmp_path / "nosex.parquet"), "-o", str(tmp_path / "o"),
                 "--design", str(MINI), "--quiet"]) == 7
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert main(["group", "-i", str(tmp_path / "bad.parquet"), "-o", str(tmp_path / "o"),
                 "--quiet"]) == 11


def test_is_arrow_input():
    assert is_arrow_input("x.parquet") and is_arrow_input("X.ARROW") and is_arrow_input("a.feather")
    assert not is_arrow_input("x.csv")
