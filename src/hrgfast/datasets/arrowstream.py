"""Parquet and Arrow IPC input for the six record datasets, batch by batch.

NAC, EM, ACC and NRD records are independent, so each batch read from the file is
encoded, grouped and written before the next is read: memory holds one batch whatever
the file's size. PCC and NCC days must be sorted by PROCODET + CCLocalID + date across
the whole file, so their Arrow input is read whole (critical care days are a small
dataset; their text input streams with partitioning like APC).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from hrgfast.apc.arrowstream import ArrowInput, plain_strings
from hrgfast.apc.result import Decoder
from hrgfast.datasets import grouper as G
from hrgfast.datasets.result import decode
from hrgfast.datasets.spec import Dataset
from hrgfast.datasets.textout import DatasetTextWriter, RecordBatch
from hrgfast.design.loader import Design
from hrgfast.exitcodes import OUTPUT, GrouperError
from hrgfast.textout import ArrowSource


def _schema(inp: ArrowInput) -> pa.Schema:
    """The input's schema under the upper-case names the batches carry."""
    return pa.schema([f.with_name(n) for f, n in zip(inp.schema, inp.names, strict=True)])


class TableWriter:
    """One Parquet or Arrow IPC file per output table, appended batch by batch."""

    def __init__(self, base: Path, fmt: str) -> None:
        self.base, self.fmt = base, fmt
        self.writers: dict[str, Any] = {}
        self.paths: list[Path] = []

    def append(self, suffix: str, table: pa.Table) -> None:
        try:
            w = self.writers.get(suffix)
            if w is None:
                path = Path(f"{self.base}{suffix}.{self.fmt}")
                w = pq.ParquetWriter(str(path), table.schema) if self.fmt == "parquet" \
                    else pa.ipc.new_file(str(path), table.schema)
                self.writers[suffix] = w
                self.paths.append(path)
            w.write_table(table.cast(w.schema) if self.fmt == "parquet" else table)
        except (OSError, pa.ArrowException) as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.fmt} output: {exc}") from exc

    def close(self) -> list[Path]:
        for w in self.writers.values():
            w.close()
        return self.paths


def group_arrow(path: Path | pa.Table, ds: Dataset, design: Design, threads: int, base: Path,
                fmt: str, headers: bool, run: dict[str, Any],
                batch_rows: int = 1 << 20) -> tuple[list[Path], int, int]:
    """Group an Arrow/Parquet input of ``ds`` into ``fmt`` outputs (csv, parquet, arrow);
    return (paths written, records, UZ01Z records)."""
    inp = ArrowInput(path, batch_rows)
    cols = G.Columns.make(ds, inp.names)
    if ds.sorted:     # one sort over the whole input
        batches = [pa.Table.from_batches(list(inp.batches(dictionary=False)),
                                         schema=None if inp.num_rows else _schema(inp))]
    else:
        batches = (pa.Table.from_batches([b]) for b in inp.batches(dictionary=False))
    dec = Decoder(design)
    text = DatasetTextWriter(base, inp.names, design, ds, headers, num_threads=threads) \
        if fmt == "csv" else None
    tables = TableWriter(base, fmt) if fmt != "csv" else None
    slots = G.slot_tables(cols, design)
    done = errors = 0
    for table in batches:
        table = plain_strings(table)
        if table.num_rows == 0:
            continue
        matrix = G.encode_table(cols, table, design, threads)
        order, starts = G.order_of(ds, table, matrix)
        raw = G.run_kernel(cols, design, matrix, order, starts, threads, slots)
        if text is not None:
            text.write(RecordBatch(raw, order, ArrowSource(table, table.column_names), done))
        else:
            result = decode(dec, cols, raw, table, order, run)
            records = result.records
            for i, name in enumerate(("RowNo", "InputRow")):     # file-wide numbers
                records = records.set_column(i, name,
                                             pa.array(records.column(name).to_numpy() + done))
            extra = [c for c in table.column_names if c not in records.column_names]
            taken = table.select(extra).take(pa.array(order))
            for c in extra:
                records = records.append_column(c, taken.column(c))
            tables.append(ds.main, records)
            quality = result.quality.set_column(
                0, "RowNo", pa.array(result.quality.column("RowNo").to_numpy() + done))
            tables.append("_quality_rel", quality)
            if ds.unbundled:
                ub = result.unbundled.set_column(
                    0, "RowNo", pa.array(result.unbundled.column("RowNo").to_numpy() + done))
                tables.append("_ub_rel", ub)
            errors += int(result.run_info[f"{ds.record} Error Count"])
        done += table.num_rows
    run["end"] = _dt.datetime.now()
    if text is not None:
        return text.close(run), text.records, text.errors
    rec = ds.record
    summary = pa.table({k: [v] for k, v in {
        "Grouper Version": run.get("grouper_version", ""),
        "Database Version": f"{design.name} {design.version}",
        f"{rec} Count": done, f"{rec} Error Count": errors,
        "Run Start Date/Time": run.get("start"), "Run End Date/Time": run["end"],
        "Input Filename": run.get("input", ""), "Output Filename": run.get("output", ""),
        "RDF path and name": run.get("rdf", "")}.items()})
    tables.append("_summary", summary)
    return tables.close(), done, errors
