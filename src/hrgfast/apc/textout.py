"""The APC output file set, written batch by batch from the kernel's integer outputs.

Column lists follow the 2024/25 Local Payment Grouper (docs/file-formats.md); the
rendering machinery shared with the other datasets is in ``hrgfast.textout``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hrgfast import messages as M
from hrgfast._csvio import Col
from hrgfast.apc import fields as F
from hrgfast.design.loader import Design
from hrgfast.outfiles import named
from hrgfast.textout import (
    QUALITY_REL,
    UB_REL,
    ArrowSource,
    Source,
    TextFileSet,
    TextSource,
    csr,
    iteration,
)

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
SUMMARY = ["Grouper Version", "Database Version", "FCE Count", "Spell Count", "FCE Error Count",
           "Spell Error Count", "Run Start Date/Time", "Run End Date/Time", "Input Filename",
           "Output Filename", "RDF path and name"]
SUFFIXES = ["_sort", "_FCE", "_spell", "_quality", "_FCE_rel", "_spell_rel", "_quality_rel",
            "_ub_rel", "_summary"]


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


@dataclass
class Counts:
    fce: int = 0
    spells: int = 0
    fce_errors: int = 0
    spell_errors: int = 0


class ApcTextWriter(TextFileSet):
    """Appends batches to the APC output files; ``close`` writes the summary and index."""

    def __init__(self, base: Path, header: list[str], design: Design, headers: bool = True,
                 delimiter: str = ",", num_threads: int = 1) -> None:
        self.design = design
        self.counts = Counts()
        a = design.arrays
        self.hrg, self.px, self.dx = a["hrg_code"], a["px_code"], a["dx_code"]
        self.trimpoint = a["hrg"]["trimpoint"].astype(np.int32)
        heads = {"_sort": header + ["RowNo"], "_FCE": header + FCE, "_spell": SPELL,
                 "_quality": header + ["RowNo", "Error Message"], "_FCE_rel": FCE_REL,
                 "_spell_rel": SPELL_REL, "_quality_rel": QUALITY_REL, "_ub_rel": UB_REL}
        super().__init__(base, heads, headers, delimiter, num_threads)

    def restart(self) -> None:
        super().restart()
        self.counts = Counts()

    def write(self, b: Batch) -> None:
        raw, n = b.raw, b.n
        n_sp = len(b.spell_start) - 1
        base = b.rowno_base + 1
        spell_of = np.repeat(np.arange(n_sp, dtype=np.int64), np.diff(b.spell_start))
        ub = raw["unbundled"]
        ub_rows = ub["row"].astype(np.int64)
        ub_start = csr(ub_rows, n)
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
                    (Col.CONST, b""),
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
        rel = self.render("_FCE_rel", n, fce_rel(None))
        first = b.spell_start[:-1]
        src_first = b.order[first]
        head = self.render(None, n_sp, [(Col.ROWNO, base, first),
                                          b.source.key("PROCODET", src_first),
                                          b.source.key("PROVSPNO", src_first)])
        body = self.render(None, n_sp, spell_cols(None))
        self.write_rows("_sort", n, echo + [(Col.ROWNO, base, None)])
        self.write_rows("_FCE", n, echo + [(Col.SPAN, *rel, None), (Col.CONST, b"0"),
                                       self.blanks(7), (Col.SPAN, *body, spell_of),
                                       (Col.TRAIL_HRG, ub_start, ub_ids, ub_days, self.hrg,
                                        None)])
        sp_ub_start = ub_start[b.spell_start]
        spell_parts = [(Col.SPAN, *head, None), (Col.SPAN, *body, None)]
        self.write_rows("_spell", n_sp, spell_parts
                    + [(Col.CONST, b"0"), self.blanks(7), (Col.CONST, b"0"), self.blanks(7),
                       (Col.CONST, b"0"), self.blanks(7),
                       (Col.TRAIL_HRG, sp_ub_start, ub_ids, ub_days, self.hrg, None)])
        self.write_rows("_spell_rel", n_sp, spell_parts)
        if len(ub):
            one = np.arange(len(ub) + 1, dtype=np.int64)
            self.write_rows("_ub_rel", len(ub), [(Col.ROWNO, base, ub_rows),
                                             (Col.INT, iteration(ub_rows), 0, None),
                                             (Col.TRAIL_HRG, one, ub_ids, ub_days, self.hrg, None)])
        self.write_quality(raw["errors"], b.order, b.source, base,
                           lambda c: M.field_name(c, F.NAMES),
                           lambda c: F.LABELS[c] if c < F.NF else M.field_name(c, F.NAMES))
        c = self.counts
        c.fce += n
        c.spells += n_sp
        c.fce_errors += int(np.count_nonzero(raw["fce_hrg"] == self.design.uz01z))
        c.spell_errors += int(np.count_nonzero(raw["sp_hrg"] == self.design.uz01z))

    def close(self, run: dict[str, Any]) -> list[Path]:
        """Write the summary and the index file; return every path written."""
        c = self.counts
        return self.close_with_summary(SUMMARY, [
            run.get("grouper_version", ""), f"{self.design.name} {self.design.version}",
            c.fce, c.spells, c.fce_errors, c.spell_errors, run.get("start", ""),
            run.get("end", _dt.datetime.now()), run.get("input", ""), run.get("output", ""),
            run.get("rdf", "")])


@dataclass
class Progress:
    """Callback sink: rows done so far (the CLI draws a progress bar from it)."""

    total_bytes: int
    update: Callable[[int, int], None] = field(default=lambda rows, nbytes: None)


__all__ = ["ApcTextWriter", "ArrowSource", "Batch", "Source", "TextSource", "SUFFIXES"]
