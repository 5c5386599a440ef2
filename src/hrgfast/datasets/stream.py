"""Streaming the six record datasets' text files through ``hrgfast.stream``.

NAC, EM, ACC and NRD records are independent: each block is encoded, grouped and
written as it comes. PCC and NCC days are grouped per PROCODET + CCLocalID in date
order, so they use the keyed path (carry-over, or partitioning when unsorted).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from hrgfast import _encode
from hrgfast.datasets.grouper import Columns, encoding, run_kernel, slot_tables
from hrgfast.datasets.spec import Dataset
from hrgfast.datasets.textout import DatasetTextWriter, RecordBatch
from hrgfast.design.loader import Design
from hrgfast.encode import fill_blank
from hrgfast.rdf import Rdf
from hrgfast.stream import DEFAULT_BLOCK, KEY, BlockGrouper, Layout
from hrgfast.textout import TextSource


class DatasetPipeline:
    """Encode and group blocks of one dataset's lines."""

    def __init__(self, layout: Layout, design: Design, ds: Dataset, threads: int) -> None:
        self.layout, self.design, self.ds, self.threads = layout, design, ds, threads
        self.keys = ds.keys
        self.cols = Columns.make(ds, layout.rdf.names)
        self.slots = slot_tables(self.cols, design)
        self.cap = 0
        self._alloc(0)

    def _alloc(self, n: int) -> None:
        self.cap = n
        self.matrix = np.empty((n, self.cols.nslots), np.int32)
        self.spans = [np.zeros((n, 2), np.int64), np.zeros((n, 2), np.int64)]
        self.nfields = np.empty(n, np.int32)

    def encode(self, buf: np.ndarray, ls: np.ndarray, le: np.ndarray) -> int:
        n = len(ls)
        if n > self.cap:
            self._alloc(max(n, int(self.cap * 1.5)))
        lay, cols = self.layout, self.cols
        m = self.matrix[:n]
        specs = []
        for k, name in enumerate(cols.names):
            if name is None:
                fill_blank(m, k, cols.kinds[k])
                continue
            f = lay.rdf.field(name)
            key_to_id, keys = encoding(cols, self.design, k)
            specs.append((f.position - 1, cols.kinds[k], m, k, key_to_id, keys, f.extract))
        for j, name in enumerate(self.keys or ()):
            spans = self.spans[j][:n]
            if name in lay.positions:
                specs.append((lay.positions[name], KEY, spans, 0, None, None, None))
            else:
                spans[:] = 0
        _encode.encode_lines(buf, ls, le, lay.delim, specs, self.nfields[:n], self.threads)
        return n

    def key_spans(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (self.spans[0][:n], self.spans[1][:n],
                self.matrix[:n, self.ds.slot(self.ds.date_field)])

    def group(self, writer: DatasetTextWriter, buf: np.ndarray, ls: np.ndarray, le: np.ndarray,
              n: int, group_start: np.ndarray | None, rowno: int, order: np.ndarray) -> None:
        raw = run_kernel(self.cols, self.design, self.matrix[:n], order, group_start,
                         self.threads, self.slots)
        source = TextSource(buf, ls, le, self.nfields[:n], self.layout.ncols, {},
                            self.layout.positions, self.layout.delim)
        writer.write(RecordBatch(raw, order, source, rowno))


def _checker(ds: Dataset) -> Callable[[list[str]], None]:
    def check(names: list[str]) -> None:
        Columns.make(ds, names)
    return check


class DatasetTextGrouper(BlockGrouper):
    """Groups one text file of ``ds`` records into a DatasetTextWriter."""

    def __init__(self, path: Path, design: Design, ds: Dataset, rdf: Rdf | None,
                 has_header: bool, threads: int, block_bytes: int = DEFAULT_BLOCK,
                 progress: Callable[[int, int], None] | None = None) -> None:
        super().__init__(path, _checker(ds), lambda lay: DatasetPipeline(lay, design, ds, threads),
                         rdf, has_header, threads, block_bytes, progress)
