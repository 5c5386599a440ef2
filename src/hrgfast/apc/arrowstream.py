"""Streaming APC grouping of Parquet and Arrow IPC files, in bounded memory.

The input is read in batches of rows (Parquet row groups via ``iter_batches``, IPC record
batches sliced to size). The APC code fields are read dictionary-encoded where the file
allows, so each distinct value is encoded once per batch rather than once per cell. A
spell that straddles a batch boundary is held back and carried into the next batch, so
spells are always grouped whole. When the input turns out not to be in spell-key order,
the run restarts: the file is range-partitioned by (PROCODET, PROVSPNO) into temporary
Arrow IPC streams (boundaries from a sample of keys), and each part is sorted and
grouped in key order. Either way the outputs are in the official RowNo order and equal
to grouping the whole table in memory.

Outputs go to a sink: the official CSV file set (``ApcTextWriter``), or one Parquet or
Arrow IPC file per output table (``_FCE``, ``_spell``, ``_ub_rel``, ``_quality_rel``,
``_summary``), written incrementally with the schemas of ``files.write_parquet``.
"""

from __future__ import annotations

import math
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hrgfast import _apc
from hrgfast.apc import fields as F
from hrgfast.apc.files import PARQUET_SUFFIXES, parquet_tables
from hrgfast.apc.grouper import Encoded, check_fields, encode, run_kernel, spell_order
from hrgfast.apc.result import Decoder, decode, summary_info
from hrgfast.apc.textout import ApcTextWriter, ArrowSource, Batch
from hrgfast.design.loader import Design
from hrgfast.exitcodes import INPUT, OUTPUT, GrouperError

DEFAULT_BATCH = 1 << 20            # rows per grouped block
PARQUET_EXT = (".parquet", ".parq", ".pq")
IPC_EXT = (".arrow", ".feather", ".ipc", ".arrows")
SLOT_EPIORDER = F.SLOT["EPIORDER"]
ROW = "__hrgfast_input_row"        # input row number, carried through the partition files
# APC fields with few distinct values: read dictionary-encoded (PROVSPNO is near-unique)
LOW_CARDINALITY = frozenset(n for n in F.NAMES if n != "PROVSPNO")


def is_arrow_input(path: str | os.PathLike[str]) -> bool:
    return str(path).lower().endswith(PARQUET_EXT + IPC_EXT)


def fast_memory_pool() -> None:
    """Allocate Arrow buffers with jemalloc, where pyarrow has it: for a process that
    streams a large file (the CLI). Measured against the default mimalloc on 10M
    episodes Parquet -> Parquet: system time 4.6 -> 3.1 s, peak RSS 2.1 -> 1.8 GB."""
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, pa.ArrowException):
        pass


class Unsorted(Exception):
    """The input is not in spell-key order (raised to switch to partitioned mode)."""


def _low_cardinality(name: str) -> bool:
    return name in LOW_CARDINALITY or name.startswith(("DIAG_", "OPER_"))


class ArrowInput:
    """A Parquet or Arrow IPC file (or an in-memory table), read as record batches with
    upper-case field names."""

    def __init__(self, path: str | os.PathLike[str] | pa.Table,
                 batch_rows: int = DEFAULT_BATCH) -> None:
        self.batch_rows = max(1, int(batch_rows))
        self.table = path if isinstance(path, pa.Table) else None
        self.path = Path("<table>" if self.table is not None else path)
        self.parquet = self.table is None and str(path).lower().endswith(PARQUET_EXT)
        try:
            if self.table is not None:
                self.schema = self.table.schema
                self.num_rows = self.table.num_rows
            elif self.parquet:
                pf = pq.ParquetFile(self.path)
                self.schema = pf.schema_arrow
                self.num_rows = pf.metadata.num_rows
            else:
                self._ipc_open()
        except (OSError, pa.ArrowException) as exc:
            kind = "Parquet" if self.parquet else "Arrow IPC"
            raise GrouperError(INPUT, f"cannot read {kind} input {self.path}: {exc}") from exc
        self.original = list(self.schema.names)
        self.names = [n.strip().upper() for n in self.original]
        self._by_name = dict(zip(self.names, self.original, strict=True))

    def _ipc_open(self) -> None:
        source = pa.memory_map(str(self.path))
        try:
            reader = pa.ipc.open_file(source)
            self.stream = False
            self.schema = reader.schema
            self.num_rows = sum(reader.get_batch(i).num_rows
                                for i in range(reader.num_record_batches))
        except pa.ArrowInvalid:
            self.stream = True
            reader = pa.ipc.open_stream(pa.memory_map(str(self.path)))
            self.schema = reader.schema
            self.num_rows = sum(b.num_rows for b in reader)

    def batches(self, columns: list[str] | None = None,
                dictionary: bool = True) -> Iterator[pa.RecordBatch]:
        """Record batches of at most ``batch_rows`` rows: the named (upper-case) columns
        or all; ``dictionary`` reads the low-cardinality APC fields of a Parquet file
        dictionary-encoded."""
        names = columns or self.names
        orig = [self._by_name[n] for n in names]
        try:
            if self.parquet:
                dict_cols = [o for n, o in zip(names, orig, strict=True) if dictionary
                             and _low_cardinality(n)
                             and _is_text(self.schema.field(o).type)]
                # no pre-buffering: its cache keeps every range read until the file is
                # closed (measured: RSS grew by ~25 MiB per row group); one row group at a
                # time gives batches with one dictionary per column, and the lowest RSS
                pf = pq.ParquetFile(self.path, read_dictionary=dict_cols or None,
                                    pre_buffer=False)
                for i in range(pf.num_row_groups):
                    for b in pf.iter_batches(batch_size=self.batch_rows, row_groups=[i],
                                             columns=orig, use_threads=True):
                        yield pa.RecordBatch.from_arrays(b.columns, names=names)
                return
            if self.table is not None:
                it: Iterator[pa.RecordBatch] = iter(self.table.to_batches())
            elif self.stream:
                it = iter(pa.ipc.open_stream(pa.memory_map(str(self.path))))
            else:
                reader = pa.ipc.open_file(pa.memory_map(str(self.path)))
                it = (reader.get_batch(i) for i in range(reader.num_record_batches))
            for b in it:
                b = b.select(orig)
                for lo in range(0, b.num_rows, self.batch_rows):
                    piece = b.slice(lo, self.batch_rows)
                    yield pa.RecordBatch.from_arrays(piece.columns, names=names)
        except (OSError, pa.ArrowException) as exc:
            raise GrouperError(INPUT, f"cannot read input {self.path}: {exc}") from exc


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) \
        or pa.types.is_large_binary(t) or pa.types.is_string_view(t)


def _prefetch(it: Iterator[Any], depth: int = 1) -> Iterator[Any]:
    """Run ``it`` on a worker thread, ``depth`` items ahead (Arrow's readers release the
    GIL, so reading the next batch overlaps grouping this one)."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in it:
                while not stop.is_set():
                    try:
                        q.put((True, item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((True, done))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the consumer
            q.put((False, exc))

    t = threading.Thread(target=work, name="hrgfast-reader", daemon=True)
    t.start()
    try:
        while True:
            ok, item = q.get()
            if not ok:
                raise item
            if item is done:
                return
            yield item
    finally:
        stop.set()
        t.join()


def plain_strings(table: pa.Table) -> pa.Table:
    """Dictionary-encoded columns decoded to their value type."""
    cols = []
    changed = False
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
            changed = True
        cols.append(col)
    return pa.table(cols, names=table.column_names) if changed else table


def one_dictionary(table: pa.Table) -> pa.Table:
    """Re-code the small chunks of each dictionary column (a spell carried over from the
    previous batch) into the dictionary of its main chunk, so the column is one dictionary
    array: Parquet then writes its indices as they are, rather than decoding and
    re-encoding every value of a column whose dictionary changes part way."""
    cols = []
    changed = False
    for col in table.columns:
        chunks = col.chunks
        if not pa.types.is_dictionary(col.type) or len(chunks) < 2:
            cols.append(col)
            continue
        main = max(range(len(chunks)), key=lambda i: len(chunks[i]))
        if (len(col) - len(chunks[main])) * 8 > len(col):    # not just a carried spell
            cols.append(col)
            continue
        d = chunks[main].dictionary
        pieces = []
        for i, c in enumerate(chunks):
            if i == main:
                pieces.append(c.indices)
                continue
            vals = c.dictionary_decode()
            idx = pc.index_in(vals, value_set=d)
            missing = pc.and_(pc.is_null(idx), pc.is_valid(vals))
            if pc.any(missing).as_py():
                d = pa.concat_arrays([d, pc.unique(pc.filter(vals, missing))])
                idx = pc.index_in(vals, value_set=d)
            pieces.append(idx.cast(c.indices.type))
        cols.append(pa.chunked_array([pa.DictionaryArray.from_arrays(
            pa.concat_arrays(pieces), d)]))
        changed = True
    return pa.table(cols, schema=table.schema) if changed else table


def _key_array(table: pa.Table, name: str) -> pa.Array:
    """A spell-key column as one utf8 array, nulls as empty strings."""
    col = table.column(name)
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if not pa.types.is_string(arr.type):
        arr = arr.cast(pa.string())
    return arr.fill_null("") if arr.null_count else arr


def _spans(arr: pa.Array, shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(data bytes, (n, 2) int64 offset/length spans) of a utf8 array."""
    _valid, offs, data = arr.buffers()
    o = np.frombuffer(offs, np.int32, len(arr) + 1, arr.offset * 4).astype(np.int64)
    spans = np.empty((len(arr), 2), np.int64)
    spans[:, 0] = o[:-1] + shift
    spans[:, 1] = np.diff(o)
    buf = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    return buf, spans


@dataclass
class Chunk:
    """Grouped whole spells: the input rows, their encoding and the kernel outputs."""

    table: pa.Table            # input rows (in input order)
    enc: Encoded
    raw: dict[str, np.ndarray]
    order: np.ndarray          # sorted position -> row of ``table``
    spell_start: np.ndarray
    base: int                  # RowNo of sorted position 0 is base + 1
    input_rows: np.ndarray     # row of ``table`` -> input row number (0-based)

    @property
    def n(self) -> int:
        return len(self.order)


class ArrowGrouper:
    """Groups a Parquet or Arrow IPC file into a sink, block by block."""

    def __init__(self, source: str | os.PathLike[str] | pa.Table | ArrowInput, design: Design,
                 threads: int = 1, batch_rows: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        if isinstance(source, ArrowInput):
            self.input = source
            if batch_rows:
                source.batch_rows = max(1, int(batch_rows))
        else:
            self.input = ArrowInput(source, batch_rows or DEFAULT_BATCH)
        check_fields(self.input.names)
        self.design, self.threads = design, threads
        self.batch_rows = self.input.batch_rows
        self.progress = progress or (lambda rows, done: None)   # (rows, rows) grouped
        self.mode = ""

    @property
    def header(self) -> list[str]:
        return self.input.names

    @property
    def num_rows(self) -> int:
        return self.input.num_rows

    def run(self, sink: TableSink | TextSink) -> None:
        try:
            self.mode = "sorted"
            self._run_sorted(sink)
        except Unsorted:
            self.mode = "partitioned"
            sink.restart()
            self._run_partitioned(sink)

    def _group(self, sink: TableSink | TextSink, table: pa.Table, enc: Encoded,
               order: np.ndarray, spell_start: np.ndarray, base: int,
               input_rows: np.ndarray) -> None:
        raw = run_kernel(enc, self.design, order, spell_start, self.threads)
        sink.write(Chunk(table, enc, raw, order, spell_start, base, input_rows))

    # -- sorted input: stream with carry-over --------------------------------------------
    def _blocks(self) -> Iterator[tuple[pa.Table, bool]]:
        """Tables of at least a quarter of ``batch_rows`` rows (so a block is usually one
        Parquet row group, with one dictionary per column), then a last (maybe empty) one
        flagged."""
        pending: list[pa.RecordBatch] = []
        rows = 0
        schema = None
        with closing(_prefetch(self.input.batches())) as batches:
            for b in batches:
                schema = b.schema
                pending.append(b)
                rows += b.num_rows
                if rows * 4 >= self.batch_rows:
                    yield pa.Table.from_batches(pending), False
                    pending, rows = [], 0
        if schema is not None:
            yield pa.Table.from_batches(pending, schema=schema), True

    def _run_sorted(self, sink: TableSink | TextSink) -> None:
        carry: pa.Table | None = None
        carry_first = 0                 # input row number of carry's first row
        read = 0                        # input rows read so far
        base = 0                        # rows grouped so far
        last_key: tuple[str, str] | None = None
        with closing(self._blocks()) as blocks:
            for tab, eof in blocks:
                first = read if carry is None else carry_first
                read += tab.num_rows
                if carry is not None:
                    tab = one_dictionary(pa.concat_tables([carry, tab]))
                n = tab.num_rows
                if n == 0:
                    continue
                p, s = _key_array(tab, "PROCODET"), _key_array(tab, "PROVSPNO")
                enc = encode(tab, self.design, self.threads)
                epi = np.ascontiguousarray(enc.fields[:, SLOT_EPIORDER])
                status, spell_start = _apc.find_spells(*_spans(p), *_spans(s), epi)
                if status == _apc.UNSORTED:
                    raise Unsorted()
                if last_key is not None and (p[0].as_py(), s[0].as_py()) <= last_key:
                    raise Unsorted()
                if eof:
                    keep, carry = n, None
                elif len(spell_start) <= 2:     # one spell so far: read on
                    carry, carry_first = tab, first
                    continue
                else:
                    keep = int(spell_start[-2])
                    spell_start = spell_start[:-1]
                    carry, carry_first = tab.slice(keep), first + keep
                last_key = (p[keep - 1].as_py(), s[keep - 1].as_py())
                if status == _apc.GROUPED:
                    spell_of = np.repeat(np.arange(len(spell_start) - 1), np.diff(spell_start))
                    order = np.lexsort((epi[:keep], spell_of)).astype(np.int64)
                else:
                    order = np.arange(keep, dtype=np.int64)
                enc_k = Encoded(enc.fields[:keep], enc.diag[:keep], enc.proc[:keep],
                                enc.diag_names, enc.proc_names)
                self._group(sink, tab.slice(0, keep) if keep < n else tab, enc_k, order,
                            spell_start, base, np.arange(first, first + keep, dtype=np.int64))
                base += keep
                self.progress(base, base)

    # -- unsorted input: range-partition by spell key, then group each part ---------------
    def _sample_bounds(self, parts: int) -> list[tuple[str, str]]:
        """``parts - 1`` spell keys splitting a regular sample of the input's keys."""
        want = max(4096, 64 * parts)
        stride = max(1, self.num_rows // want)
        keys: set[tuple[str, str]] = set()
        pos = 0
        for b in self.input.batches(["PROCODET", "PROVSPNO"], dictionary=False):
            t = pa.Table.from_batches([b])
            first = (-pos) % stride
            idx = pa.array(np.arange(first, b.num_rows, stride, dtype=np.int64))
            pos += b.num_rows
            if not len(idx):
                continue
            pk = _key_array(t, "PROCODET").take(idx).to_pylist()
            sk = _key_array(t, "PROVSPNO").take(idx).to_pylist()
            keys.update(zip(pk, sk, strict=True))
        sample = sorted(keys)
        if len(sample) < parts:
            parts = max(1, len(sample))
        return sorted({sample[len(sample) * (i + 1) // parts] for i in range(parts - 1)})

    def _run_partitioned(self, sink: TableSink | TextSink) -> None:
        parts = max(1, math.ceil(self.num_rows / self.batch_rows))
        bounds = self._sample_bounds(parts) if parts > 1 else []
        bblob = "".join(p + s for p, s in bounds).encode("utf-8")
        bp = np.zeros((len(bounds), 2), np.int64)
        bs = np.zeros((len(bounds), 2), np.int64)
        pos = 0
        for i, (p, s) in enumerate(bounds):
            lp, ls = len(p.encode("utf-8")), len(s.encode("utf-8"))
            bp[i] = (pos, lp)
            bs[i] = (pos + lp, ls)
            pos += lp + ls
        bbuf = np.frombuffer(bblob, np.uint8) if bblob else np.zeros(0, np.uint8)
        tmp = Path(tempfile.mkdtemp(prefix="hrgfast-parts-",
                                    dir=os.environ.get("HRGFAST_TMPDIR") or None))
        options = pa.ipc.IpcWriteOptions(
            compression="lz4" if pa.Codec.is_available("lz4_frame") else None)
        try:
            paths = [tmp / f"part{i:05d}.arrows" for i in range(len(bounds) + 1)]
            writers: list[Any] = [None] * len(paths)
            row0 = 0
            try:
                for b in _prefetch(self.input.batches(dictionary=False)):
                    n = b.num_rows
                    if n == 0:
                        continue
                    t = pa.Table.from_batches([b])
                    t = t.append_column(ROW, pa.array(np.arange(row0, row0 + n,
                                                                dtype=np.int64)))
                    row0 += n
                    pbuf, sp = _spans(_key_array(t, "PROCODET"))
                    sbuf, ss = _spans(_key_array(t, "PROVSPNO"), len(pbuf))
                    part = _apc.key_partitions(np.concatenate([pbuf, sbuf]), sp, ss,
                                               bbuf, bp, bs)
                    order = np.argsort(part, kind="stable")
                    cuts = np.searchsorted(part[order], np.arange(len(paths) + 1))
                    for i in range(len(paths)):
                        if cuts[i] == cuts[i + 1]:
                            continue
                        piece = t.take(pa.array(order[cuts[i]:cuts[i + 1]]))
                        if writers[i] is None:
                            writers[i] = pa.ipc.new_stream(str(paths[i]), t.schema,
                                                           options=options)
                        writers[i].write_table(piece)
            finally:
                for w in writers:
                    if w is not None:
                        w.close()
            base = 0
            for i, path in enumerate(paths):
                if writers[i] is None:
                    continue
                with pa.memory_map(str(path)) as src:
                    t = pa.ipc.open_stream(src).read_all()
                path.unlink()
                rows = t.column(ROW).to_numpy()
                t = t.drop_columns([ROW])
                enc = encode(t, self.design, self.threads)
                order, spell_start = spell_order(t, enc.fields[:, SLOT_EPIORDER])
                self._group(sink, t, enc, order, spell_start, base, rows)
                base += t.num_rows
                self.progress(base, base)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


# -- sinks ------------------------------------------------------------------------------

class _Worker:
    """Runs jobs in order on one background thread, at most ``depth`` waiting (pyarrow's
    writers release the GIL, so writing one chunk overlaps grouping the next)."""

    def __init__(self, depth: int = 1) -> None:
        self.q: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="hrgfast-table-writer",
                                       daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.q.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    job()
            except BaseException as exc:  # noqa: BLE001 - re-raised by the producer
                self.error = exc
            finally:
                self.q.task_done()

    def _check(self) -> None:
        if self.error is not None:
            exc, self.error = self.error, None
            raise exc

    def submit(self, job: Callable[[], None]) -> None:
        self._check()
        self.q.put(job)

    def drain(self) -> None:
        """Wait until every job submitted so far has run."""
        self.q.join()
        self._check()

    def close(self) -> None:
        self.q.put(None)
        self.thread.join()


# columns whose min/max statistics are written (row-group pruning on the keys); min/max of
# every column more than doubles the cost of writing the FCE table
STATISTICS = ("RowNo", "PROCODET", "PROVSPNO")
# near-unique columns: no dictionary encoding attempted (it would be built, then dropped)
UNIQUE = ("RowNo", "InputRow", "PROVSPNO", "ReportRowNo")


class TableSink:
    """One Parquet or Arrow IPC file per output table, appended chunk by chunk (written on
    a background thread)."""

    def __init__(self, base: Path, design: Design, fmt: str = "parquet") -> None:
        if fmt not in ("parquet", "arrow"):
            raise ValueError(f"unknown table format {fmt!r}")
        self.base, self.design, self.fmt = Path(base), design, fmt
        self.ext = ".parquet" if fmt == "parquet" else ".arrow"
        self.dec = Decoder(design)
        # the FCE table (every input column too) costs most to write: it has its own thread
        self.workers = (_Worker(), _Worker())
        self._reset()

    def _reset(self) -> None:
        self.writers: dict[str, Any] = {}
        self.schemas: dict[str, pa.Schema] = {}
        self.counts = [0, 0, 0, 0]      # episodes, spells, episode errors, spell errors

    def path(self, suffix: str) -> Path:
        return Path(f"{self.base}{suffix}{self.ext}")

    def _open(self, suffix: str, schema: pa.Schema) -> Any:
        path = self.path(suffix)
        if self.fmt == "parquet":
            # no stored Arrow schema: dictionary-encoded code columns read back as strings
            return pq.ParquetWriter(str(path), schema, store_schema=False,
                                    write_statistics=[c for c in STATISTICS
                                                      if c in schema.names],
                                    use_dictionary=[c for c in schema.names if c not in UNIQUE])
        return pa.ipc.new_file(str(path), schema)

    def write(self, c: Chunk) -> None:
        res = decode(self.dec, c.raw, c.table, c.order, c.spell_start, c.enc.diag_names,
                     c.enc.proc_names, {}, base=c.base, input_rows=c.input_rows,
                     as_dictionary=self.fmt == "parquet")
        info = res.run_info
        for i, k in enumerate(("FCE Count", "Spell Count", "FCE Error Count",
                               "Spell Error Count")):
            self.counts[i] += info[k]
        tables = parquet_tables(res, c.table)
        tables.pop("_summary")
        fce = {"_FCE": tables.pop("_FCE")}
        try:
            self.workers[0].submit(lambda: self._append(fce))
            self.workers[1].submit(lambda: self._append(tables))
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*{self.ext}: {exc}") from exc

    def _append(self, tables: dict[str, pa.Table]) -> None:
        for suffix, t in tables.items():
            if self.fmt == "arrow":
                t = plain_strings(t)
            w = self.writers.get(suffix)
            if w is None:
                w = self.writers[suffix] = self._open(suffix, t.schema)
                self.schemas[suffix] = t.schema
            elif not t.schema.equals(self.schemas[suffix]):
                t = t.cast(self.schemas[suffix])
            w.write_table(t)

    def _close_writers(self) -> None:
        try:
            for w in self.workers:
                w.drain()
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*{self.ext}: {exc}") from exc
        finally:
            for w in self.writers.values():
                w.close()

    def restart(self) -> None:
        self._close_writers()
        self._reset()

    def close(self, run: dict[str, Any]) -> list[Path]:
        """Finish every file and write the summary; return the paths written."""
        try:
            self._close_writers()
        finally:
            for w in self.workers:
                w.close()
        summary = pa.table({k: [v] for k, v in summary_info(self.design, run,
                                                            *self.counts).items()})
        try:
            if self.fmt == "parquet":
                pq.write_table(summary, self.path("_summary"))
            else:
                with pa.ipc.new_file(str(self.path("_summary")), summary.schema) as w:
                    w.write_table(summary)
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.path('_summary')}: {exc}") from exc
        return [self.path(s) for s in PARQUET_SUFFIXES
                if s == "_summary" or s in self.writers]


class TextSink:
    """The official CSV file set through ``ApcTextWriter``."""

    def __init__(self, writer: ApcTextWriter, header: list[str]) -> None:
        self.writer, self.header = writer, header

    def write(self, c: Chunk) -> None:
        table = plain_strings(c.table).combine_chunks()
        self.writer.write(Batch(c.raw, c.order, c.spell_start, ArrowSource(table, self.header),
                                c.base))

    @property
    def counts(self) -> list[int]:
        k = self.writer.counts
        return [k.fce, k.spells, k.fce_errors, k.spell_errors]

    def restart(self) -> None:
        self.writer.restart()

    def close(self, run: dict[str, Any]) -> list[Path]:
        return self.writer.close(run)


__all__ = ["ArrowGrouper", "ArrowInput", "TableSink", "TextSink", "Unsorted", "is_arrow_input",
           "DEFAULT_BATCH"]
