"""Streaming APC grouping of files of any size, in bounded memory.

The APC pipeline for ``hrgfast.stream.BlockGrouper``: each block of raw lines is parsed
and encoded in one pass (``encode_lines``) and grouped whole spell by whole spell;
spells are keyed by (PROCODET, PROVSPNO) and ordered by EPIORDER, so a spell that
straddles a block is carried over and unsorted input is partitioned by spell key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hrgfast import _encode
from hrgfast._encode import Kind
from hrgfast.apc import fields as F
from hrgfast.apc.grouper import Encoded, MissingFields, check_fields, run_kernel
from hrgfast.apc.textout import ApcTextWriter, Batch, TextSource
from hrgfast.design.loader import Design
from hrgfast.rdf import Rdf
from hrgfast.stream import DEFAULT_BLOCK, KEY, BlockGrouper, Layout, Unsorted

SLOT_EPIORDER = F.SLOT["EPIORDER"]


def _names(layout: Layout, prefix: str) -> list[str]:
    return F.repeated(layout.rdf.names, prefix)


@dataclass
class Buffers:
    """Reusable per-block arrays (allocated once at the largest size seen)."""

    cap: int = 0
    fields: np.ndarray = field(default_factory=lambda: np.empty((0, F.NF), np.int32))
    diag: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.int32))
    proc: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.int32))
    spans_p: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int64))
    spans_s: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int64))
    nfields: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))

    def ensure(self, n: int, nd: int, np_: int) -> None:
        if n <= self.cap and self.diag.shape[1] == nd and self.proc.shape[1] == np_:
            return
        cap = max(n, int(self.cap * 1.5))
        self.cap = cap
        self.fields = np.empty((cap, F.NF), np.int32)
        self.diag = np.empty((cap, nd), np.int32)
        self.proc = np.empty((cap, np_), np.int32)
        self.spans_p = np.empty((cap, 2), np.int64)
        self.spans_s = np.empty((cap, 2), np.int64)
        self.nfields = np.empty(cap, np.int32)


def _specs(layout: Layout, design: Design, b: Buffers, n: int) -> list[tuple]:
    fields, diag, proc = b.fields[:n], b.diag[:n], b.proc[:n]
    specs = []
    rdf = layout.rdf
    for slot, (name, kind, _label) in enumerate(F.SCALARS):
        f = rdf.field(name)
        if f is None:
            continue
        keys = design.field_keys("APC", name) if kind in (Kind.VALUE, Kind.VALUE_ZEROS) else None
        specs.append((f.position - 1, int(kind), fields, slot, None,
                      keys if keys is not None and len(keys) else None, f.extract))
    for j, name in enumerate(_names(layout, "DIAG")):
        f = rdf.field(name)
        specs.append((f.position - 1, int(Kind.ICD10), diag, j, design.arrays["dx_key_to_id"],
                      None, f.extract))
    for j, name in enumerate(_names(layout, "OPER")):
        f = rdf.field(name)
        specs.append((f.position - 1, int(Kind.OPCS4), proc, j, design.arrays["px_key_to_id"],
                      None, f.extract))
    specs.append((layout.positions["PROCODET"], KEY, b.spans_p[:n], 0, None, None, None))
    specs.append((layout.positions["PROVSPNO"], KEY, b.spans_s[:n], 0, None, None, None))
    return specs


def _blank_missing(layout: Layout, b: Buffers, n: int) -> None:
    """Optional fields absent from the RDF encode as blank."""
    for slot, (name, kind, _label) in enumerate(F.SCALARS):
        if layout.rdf.field(name) is None:
            b.fields[:n, slot] = np.int32(-(2**31)) if kind == Kind.INTEGER else -1


@dataclass
class Encoder:
    layout: Layout
    design: Design
    threads: int
    bufs: Buffers = field(default_factory=Buffers)

    def encode(self, buf: np.ndarray, ls: np.ndarray, le: np.ndarray) -> int:
        n = len(ls)
        lay = self.layout
        self.bufs.ensure(n, len(_names(lay, "DIAG")), len(_names(lay, "OPER")))
        _encode.encode_lines(buf, ls, le, lay.delim, _specs(lay, self.design, self.bufs, n),
                             self.bufs.nfields[:n], self.threads)
        _blank_missing(lay, self.bufs, n)
        return n


class ApcPipeline:
    """Encode and group blocks of APC lines (spells keyed by PROCODET, PROVSPNO)."""

    keys = ("PROCODET", "PROVSPNO")

    def __init__(self, layout: Layout, design: Design, threads: int) -> None:
        self.layout, self.design, self.threads = layout, design, threads
        self.diag_names, self.proc_names = _names(layout, "DIAG"), _names(layout, "OPER")
        self.encoder = Encoder(layout, design, threads)

    def encode(self, buf: np.ndarray, ls: np.ndarray, le: np.ndarray) -> int:
        return self.encoder.encode(buf, ls, le)

    def key_spans(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        b = self.encoder.bufs
        return b.spans_p[:n], b.spans_s[:n], b.fields[:n, SLOT_EPIORDER]

    def group(self, writer: ApcTextWriter, buf: np.ndarray, ls: np.ndarray, le: np.ndarray,
              n: int, group_start: np.ndarray | None, rowno: int, order: np.ndarray) -> None:
        b = self.encoder.bufs
        enc = Encoded(b.fields[:n], b.diag[:n], b.proc[:n], self.diag_names, self.proc_names)
        raw = run_kernel(enc, self.design, order, group_start, self.threads)
        source = TextSource(buf, ls, le, b.nfields[:n], self.layout.ncols,
                            {"PROCODET": b.spans_p[:n], "PROVSPNO": b.spans_s[:n]},
                            self.layout.positions, self.layout.delim)
        writer.write(Batch(raw, order, group_start, source, rowno))


class TextGrouper(BlockGrouper):
    """Groups one APC text file into an ApcTextWriter, block by block."""

    def __init__(self, path: Path, design: Design, rdf: Rdf | None, has_header: bool,
                 threads: int, block_bytes: int = DEFAULT_BLOCK,
                 progress: Callable[[int, int], None] | None = None) -> None:
        super().__init__(path, check_fields, lambda lay: ApcPipeline(lay, design, threads),
                         rdf, has_header, threads, block_bytes, progress)


__all__ = ["ApcPipeline", "TextGrouper", "Unsorted", "MissingFields", "DEFAULT_BLOCK"]
