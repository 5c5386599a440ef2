"""The APC output file set, written batch by batch from the kernel's integer outputs.

Each file is a list of typed columns (``hrgfast._csvio.Col``) rendered in Cython:
codes come from the design's fixed-width tables, input values are echoed from the raw
lines (or Arrow columns) they came from, so no per-row Python work is done.
Column lists follow the 2024/25 Local Payment Grouper (docs/file-formats.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
import pyarrow as pa

from hrgfast import _csvio
from hrgfast import messages as M
from hrgfast._csvio import Col
from hrgfast.apc import fields as F
from hrgfast.design.loader import Design
from hrgfast.exitcodes import OUTPUT, GrouperError
from hrgfast.outfiles import BackgroundWriter, named

FCE_REL = ["RowNo", "FCE_HRG", "GroupingMethodFlag", "DominantProcedure", "FCE_PBC",
           "CalcEpidur", "ReportingEPIDUR", "FCETrimpoint", "FCEExcessBeddays",
           "SpellReportFlag"]
FCE_SPELL = ["SpellHRG", "SpellGroupingMethodFlag", "SpellDominantProcedure", "SpellPDiag",
             "SpellSDiag", "SpellEpisodeCount", "SpellLOS", "ReportingSpellLOS",
             "SpellTrimpoint", "SpellExcessBeddays", "SpellCCDays", "SpellPBC"]
FCE = FCE_REL + ["FCESSC_Ct", *named("FCESSCs", 7)] + FCE_SPELL + ["UnbundledHRGs"]
SPELL_REL = ["RowNo", "PROCODET", "PROVSPNO"] + FCE_SPELL
SPELL = SPELL_REL + ["SpellSSC_Ct", *named("SpellSSCs", 7), "SpellBP_Ct", *named("SpellBP", 7),
                     "SpellFlag_Ct", *named("SpellFlag", 7), "UnbundledHRGs"]
QUALITY_REL = ["RowNo", "Iteration", "Code Type", "Code", "Error Message"]
UB_REL = ["RowNo", "Iteration", "UnbundledHRGs"]
SUMMARY = ["Grouper Version", "Database Version", "FCE Count", "Spell Count", "FCE Error Count",
           "Spell Error Count", "Run Start Date/Time", "Run End Date/Time", "Input Filename",
           "Output Filename", "RDF path and name"]
SUFFIXES = ["_sort", "_FCE", "_spell", "_quality", "_FCE_rel", "_spell_rel", "_quality_rel",
            "_ub_rel", "_summary"]


class Source(Protocol):
    """Where a batch's input values come from (raw text lines or Arrow columns)."""

    def echo(self, index: np.ndarray) -> list[tuple]: ...
    def key(self, name: str, index: np.ndarray) -> tuple: ...
    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple: ...


@dataclass
class TextSource:
    """Raw delimited lines: echo them byte for byte, find cells by position."""

    buf: np.ndarray
    line_start: np.ndarray
    line_end: np.ndarray
    nfields: np.ndarray
    ncols: int
    spans: dict[str, np.ndarray]       # PROCODET/PROVSPNO (n, 2) spans
    positions: dict[str, int]          # field name -> 0-based position
    delim: int

    def echo(self, index: np.ndarray) -> list[tuple]:
        return [(Col.ECHO, self.buf, self.line_start, self.line_end, self.nfields, self.ncols,
                 index)]

    def key(self, name: str, index: np.ndarray) -> tuple:
        return (Col.SPAN, self.buf, self.spans[name], index)

    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple:
        """(buf, spans (m, 2)) of the named field on each line; unknown names are blank."""
        pos = np.array([self.positions.get(nm, 1 << 30) for nm in names], dtype=np.int32)
        spans = _csvio.field_spans(self.buf, self.line_start, self.line_end,
                                   np.ascontiguousarray(rows, np.int64), pos, self.delim)
        return self.buf, spans


@dataclass
class ArrowSource:
    """Arrow string columns (Parquet or in-memory input)."""

    table: pa.Table
    header: list[str]

    def _utf8(self, name: str, index: np.ndarray | None) -> tuple:
        from hrgfast.encode import _as_utf8
        col = self.table.column(name)
        arr = _as_utf8(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
        valid, offs, data = arr.buffers()
        return (Col.UTF8, np.frombuffer(offs, np.int32, len(arr) + 1, arr.offset * 4),
                np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8),
                None if valid is None else np.frombuffer(valid, np.uint8), arr.offset, index)

    def echo(self, index: np.ndarray) -> list[tuple]:
        return [self._utf8(name, index) for name in self.header]

    def key(self, name: str, index: np.ndarray) -> tuple:
        return self._utf8(name, index)

    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple:
        """A byte buffer and (m, 2) spans of each message's value."""
        values = []
        for r, nm in zip(rows.tolist(), names, strict=True):
            v = self.table.column(nm)[r].as_py() if nm in self.table.column_names else None
            values.append(b"" if v is None else str(v).encode("utf-8"))
        lens = np.array([len(v) for v in values], dtype=np.int64)
        starts = np.zeros(len(values), np.int64)
        np.cumsum(lens[:-1], out=starts[1:]) if len(values) > 1 else None
        buf = np.frombuffer(b"".join(values), np.uint8) if values else np.zeros(0, np.uint8)
        return buf, np.stack([starts, lens], axis=1) if len(values) else np.zeros((0, 2), np.int64)


@dataclass
class Batch:
    """One grouped chunk of whole spells."""

    raw: dict[str, np.ndarray]
    order: np.ndarray          # sorted position -> source row
    spell_start: np.ndarray
    source: Any
    rowno_base: int            # RowNo of sorted position 0 is rowno_base + 1

    @property
    def n(self) -> int:
        return len(self.order)


def _string_table(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = [s.encode("utf-8") for s in strings]
    offs = np.zeros(len(enc) + 1, np.int32)
    np.cumsum([len(e) for e in enc], out=offs[1:]) if enc else None
    data = np.frombuffer(b"".join(enc), np.uint8) if enc else np.zeros(0, np.uint8)
    return offs, data


def _csr(rows: np.ndarray, n: int) -> np.ndarray:
    start = np.zeros(n + 1, np.int64)
    if len(rows):
        np.cumsum(np.bincount(rows, minlength=n), out=start[1:])
    return start


def _iteration(rows: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0, np.int32)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    return (np.arange(len(rows)) - run + 1).astype(np.int32)


@dataclass
class Counts:
    fce: int = 0
    spells: int = 0
    fce_errors: int = 0
    spell_errors: int = 0


class ApcTextWriter:
    """Appends batches to the APC output files; ``close`` writes the summary and index."""

    def __init__(self, base: Path, header: list[str], design: Design, headers: bool = True,
                 delimiter: str = ",", num_threads: int = 1) -> None:
        self.base, self.design, self.headers = base, design, headers
        self.delim = delimiter
        self.d = ord(delimiter)
        self.threads = num_threads
        self.counts = Counts()
        a = design.arrays
        self.hrg, self.px, self.dx = a["hrg_code"], a["px_code"], a["dx_code"]
        self.trimpoint = a["hrg"]["trimpoint"].astype(np.int32)
        self.paths: list[Path] = []
        self.files: dict[str, IO[bytes]] = {}
        self.io = BackgroundWriter()
        self.heads = {"_sort": header + ["RowNo"], "_FCE": header + FCE, "_spell": SPELL,
                      "_quality": header + ["RowNo", "Error Message"], "_FCE_rel": FCE_REL,
                      "_spell_rel": SPELL_REL, "_quality_rel": QUALITY_REL, "_ub_rel": UB_REL}
        self._open()

    def _open(self) -> None:
        self.paths = []
        self.counts = Counts()
        try:
            for suffix in SUFFIXES[:-1]:
                path = Path(f"{self.base}{suffix}.csv")
                fh = open(path, "wb")
                self.files[suffix] = fh
                self.paths.append(path)
                if self.headers:
                    fh.write((self.delim.join(self.heads[suffix]) + "\n").encode("utf-8"))
        except OSError as exc:
            self._close_files()
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*.csv: "
                                       f"{exc.strerror or exc}") from exc

    def restart(self) -> None:
        """Discard everything written so far (the input turned out to need sorting)."""
        self.io.flush()
        self._close_files()
        self._open()

    def _blanks(self, k: int) -> tuple:
        """k consecutive empty fields as one constant column."""
        return (Col.CONST, self.delim.encode() * (k - 1))

    def _render(self, suffix: str | None, n: int,
                cols: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
        """Render rows once: write them to ``suffix`` (if given) and return (buffer, spans)
        for reuse as a SPAN column."""
        data, spans = _csvio.format_rows(n, cols, self.d, num_threads=self.threads, spans=True)
        if suffix is not None and n:
            try:
                self.io.write(self.files[suffix], data)
            except OSError as exc:
                raise GrouperError(OUTPUT, f"cannot write {self.base}{suffix}.csv: "
                                           f"{exc.strerror or exc}") from exc
        return np.frombuffer(data, np.uint8), spans

    def _write(self, suffix: str, n: int, cols: list[tuple]) -> None:
        if n == 0:
            return
        try:
            for piece in _csvio.format_rows(n, cols, self.d, num_threads=self.threads,
                                            pieces_out=True):
                self.io.write(self.files[suffix], piece)
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}{suffix}.csv: "
                                       f"{exc.strerror or exc}") from exc

    def write(self, b: Batch) -> None:
        raw, n = b.raw, b.n
        n_sp = len(b.spell_start) - 1
        base = b.rowno_base + 1
        spell_of = np.repeat(np.arange(n_sp, dtype=np.int64), np.diff(b.spell_start))
        ub = raw["unbundled"]
        ub_rows = ub["row"].astype(np.int64)
        ub_start = _csr(ub_rows, n)
        ub_ids, ub_days = ub["a"], ub["b"]
        fce_tp = np.where(raw["fce_hrg"] >= 0, self.trimpoint[raw["fce_hrg"]], -1)
        calc = np.maximum(raw["calc_epidur"], 0)
        fce_excess = np.where(fce_tp >= 0, np.maximum(calc - fce_tp, 0), -1).astype(np.int32)
        sp_tp = np.where(raw["sp_hrg"] >= 0, self.trimpoint[raw["sp_hrg"]], -1)
        sp_excess = np.where(sp_tp >= 0, np.maximum(raw["sp_los"] - sp_tp, 0), -1).astype(np.int32)
        report = raw["report_flag"].astype(np.int32)

        def fce_rel(rows: np.ndarray | None) -> list[tuple]:
            return [(Col.ROWNO, base, rows), (Col.CODE, raw["fce_hrg"], self.hrg, rows),
                    (Col.CHAR, raw["fce_method"], rows), (Col.CODE, raw["fce_dom"], self.px, rows),
                    self._blanks(2)[:1] + (b"",) if False else (Col.CONST, b""),
                    (Col.INT, raw["calc_epidur"], 0, rows), (Col.CONST, b""),
                    (Col.INT, fce_tp.astype(np.int32), 0, rows), (Col.INT, fce_excess, 0, rows),
                    (Col.INT, report, 0, rows)]

        def spell_cols(idx: np.ndarray | None) -> list[tuple]:
            return [(Col.CODE, raw["sp_hrg"], self.hrg, idx), (Col.CHAR, raw["sp_method"], idx),
                    (Col.CODE, raw["sp_dom"], self.px, idx),
                    (Col.CODE, raw["sp_pdiag"], self.dx, idx),
                    (Col.CODE, raw["sp_sdiag"], self.dx, idx), (Col.INT, raw["sp_count"], 0, idx),
                    (Col.INT, raw["sp_los"], 0, idx), (Col.CONST, b""),
                    (Col.INT, sp_tp.astype(np.int32), 0, idx), (Col.INT, sp_excess, 0, idx),
                    (Col.INT, raw["sp_ccdays"], 0, idx), (Col.CONST, b"")]

        echo = b.source.echo(b.order)
        # parts rendered once and reused: the FCE_rel fields open every _FCE row, and the
        # twelve spell fields repeat on each episode of a spell and in both spell files
        rel = self._render("_FCE_rel", n, fce_rel(None))
        first = b.spell_start[:-1]
        src_first = b.order[first]
        head = self._render(None, n_sp, [(Col.ROWNO, base, first),
                                          b.source.key("PROCODET", src_first),
                                          b.source.key("PROVSPNO", src_first)])
        body = self._render(None, n_sp, spell_cols(None))
        self._write("_sort", n, echo + [(Col.ROWNO, base, None)])
        self._write("_FCE", n, echo + [(Col.SPAN, *rel, None), (Col.CONST, b"0"),
                                       self._blanks(7), (Col.SPAN, *body, spell_of),
                                       (Col.TRAIL_HRG, ub_start, ub_ids, ub_days, self.hrg,
                                        None)])
        sp_ub_start = ub_start[b.spell_start]
        spell_parts = [(Col.SPAN, *head, None), (Col.SPAN, *body, None)]
        self._write("_spell", n_sp, spell_parts
                    + [(Col.CONST, b"0"), self._blanks(7), (Col.CONST, b"0"), self._blanks(7),
                       (Col.CONST, b"0"), self._blanks(7),
                       (Col.TRAIL_HRG, sp_ub_start, ub_ids, ub_days, self.hrg, None)])
        self._write("_spell_rel", n_sp, spell_parts)
        if len(ub):
            one = np.arange(len(ub) + 1, dtype=np.int64)
            self._write("_ub_rel", len(ub), [(Col.ROWNO, base, ub_rows),
                                             (Col.INT, _iteration(ub_rows), 0, None),
                                             (Col.TRAIL_HRG, one, ub_ids, ub_days, self.hrg, None)])
        self._write_quality(b, base)
        c = self.counts
        c.fce += n
        c.spells += n_sp
        c.fce_errors += int(np.count_nonzero(raw["fce_hrg"] == self.design.uz01z))
        c.spell_errors += int(np.count_nonzero(raw["sp_hrg"] == self.design.uz01z))

    def _write_quality(self, b: Batch, base: int) -> None:
        ev = b.raw["errors"]
        m = len(ev)
        if m == 0:
            return
        rows = ev["row"].astype(np.int64)
        codes = ev["a"].astype(np.int64)
        msgs = ev["b"].astype(np.int64)
        ucode, code_inv = np.unique(codes, return_inverse=True)
        names = [M.field_name(int(c), F.NAMES) for c in ucode]
        ukey, key_inv = np.unique(codes * 1000 + msgs, return_inverse=True)
        texts = []
        for k in ukey.tolist():
            fc, msg = divmod(k, 1000)
            label = F.LABELS[fc] if fc < F.NF else M.field_name(fc, F.NAMES)
            texts.append(M.render(msg, label))
        offs, data = _string_table(names + texts)
        type_ids = code_inv.astype(np.int32)
        text_ids = (key_inv + len(names)).astype(np.int32)
        blank = np.isin(msgs, list(M.CODE_BLANK_MESSAGES))
        vbuf, vspans = b.source.message_values(b.order[rows],
                                               [names[i] for i in code_inv.tolist()])
        vspans = vspans.copy()
        vspans[blank, 1] = 0
        # quality_rel: one row per message
        self._write("_quality_rel", m, [
            (Col.ROWNO, base, rows), (Col.INT, _iteration(rows), 0, None),
            (Col.UTF8, offs, data, None, 0, type_ids.astype(np.int64)),
            (Col.SPAN, vbuf, vspans, None),
            (Col.UTF8, offs, data, None, 0, text_ids.astype(np.int64))])
        # quality: one row per episode with messages, the messages trailing
        bad = np.unique(rows)
        start = np.searchsorted(rows, np.r_[bad, rows[-1] + 1]).astype(np.int64)
        self._write("_quality", len(bad), b.source.echo(b.order[bad]) + [
            (Col.ROWNO, base, bad),
            (Col.TRAIL_MSG, start, type_ids, vspans, text_ids, vbuf, offs, data, None)])

    def _close_files(self) -> None:
        try:
            self.io.flush()
        except OSError:
            pass
        for fh in self.files.values():
            try:
                if not fh.closed:
                    self.io.release(fh)
                fh.close()
            except OSError:
                pass

    def close(self, run: dict[str, Any]) -> list[Path]:
        """Write the summary and the index file; return every path written."""
        try:
            self.io.close()
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*.csv: "
                                       f"{exc.strerror or exc}") from exc
        finally:
            self._close_files()
        c = self.counts
        values = [run.get("grouper_version", ""), f"{self.design.name} {self.design.version}",
                  c.fce, c.spells, c.fce_errors, c.spell_errors, run.get("start", ""),
                  run.get("end", _dt.datetime.now()), run.get("input", ""),
                  run.get("output", ""), run.get("rdf", "")]
        text = [self.delim.join(SUMMARY)] if self.headers else []
        text.append(self.delim.join(_fmt(v) for v in values))
        summary = Path(f"{self.base}_summary.csv")
        index = Path(f"{self.base}.csv")
        try:
            summary.write_text("\n".join(text) + "\n", encoding="utf-8")
            names = [p.name for p in self.paths] + [summary.name]
            index.write_text("\n".join((["Output File"] if self.headers else []) + names) + "\n",
                             encoding="utf-8")
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {summary}: {exc.strerror or exc}") from exc
        return [index] + self.paths + [summary]


def _fmt(v: Any) -> str:
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


@dataclass
class Progress:
    """Callback sink: rows done so far (the CLI draws a progress bar from it)."""

    total_bytes: int
    update: Callable[[int, int], None] = field(default=lambda rows, nbytes: None)
