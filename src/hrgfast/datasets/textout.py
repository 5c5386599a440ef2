"""The official output file sets of the six record datasets (dossier §2.2-2.7).

NAC: ``[name].csv``, ``_attend``, ``_quality``, ``_attend_rel``, ``_quality_rel``,
``_ub_rel``, ``_summary``; EM: ``_attend``; ACC: ``_acc``; PCC: ``_sort``, ``_pcc``;
NCC: ``_sort``, ``_ncc``; NRD: ``_renal``; each with quality, quality_rel and summary.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hrgfast._csvio import Col
from hrgfast.datasets.spec import Dataset
from hrgfast.design.loader import Design
from hrgfast.textout import QUALITY_REL, UB_REL, Source, TextFileSet, csr, iteration


@dataclass
class RecordBatch:
    """One grouped chunk of records."""

    raw: dict[str, np.ndarray]
    order: np.ndarray          # sorted position -> source row
    source: Source
    rowno_base: int            # RowNo of sorted position 0 is rowno_base + 1

    @property
    def n(self) -> int:
        return len(self.order)


class DatasetTextWriter(TextFileSet):
    """Appends batches of one dataset's records to its official output files."""

    def __init__(self, base: Path, header: list[str], design: Design, ds: Dataset,
                 headers: bool = True, delimiter: str = ",", num_threads: int = 1) -> None:
        self.design, self.ds = design, ds
        self.records = self.errors = 0
        self.hrg, self.px = design.arrays["hrg_code"], design.arrays["px_code"]
        heads: dict[str, list[str]] = {}
        if ds.sorted:
            heads["_sort"] = header + ["RowNo"]
        heads[ds.main] = header + list(ds.appended)
        heads["_quality"] = header + ["RowNo", "Error Message"]
        if ds.rel:
            heads[ds.main + "_rel"] = list(ds.rel)
        heads["_quality_rel"] = QUALITY_REL
        if ds.unbundled:
            heads["_ub_rel"] = UB_REL
        super().__init__(base, heads, headers, delimiter, num_threads)

    def restart(self) -> None:
        super().restart()
        self.records = self.errors = 0

    def write(self, b: RecordBatch) -> None:
        raw, n, ds = b.raw, b.n, self.ds
        base = b.rowno_base + 1
        echo = b.source.echo(b.order)
        if ds.sorted:
            self.write_rows("_sort", n, echo + [(Col.ROWNO, base, None)])
        own = [(Col.ROWNO, base, None), (Col.CODE, raw["hrg"], self.hrg, None)]
        if ds.name == "NAC":
            own += [(Col.CHAR, raw["method"], None), (Col.CODE, raw["dom"], self.px, None),
                    (Col.CODE, raw["att_hrg"], self.hrg, None)]
            rel = self.render(ds.main + "_rel", n, own)
            ub = raw["unbundled"]
            ub_rows = ub["row"].astype(np.int64)
            blocks = [(Col.CONST, b"0"), self.blanks(5)] * 3
            self.write_rows(ds.main, n, echo + [(Col.SPAN, *rel, None), *blocks,
                                                (Col.TRAIL_HRG, csr(ub_rows, n), ub["a"], ub["b"],
                                                 self.hrg, None)])
            if len(ub):
                one = np.arange(len(ub) + 1, dtype=np.int64)
                self.write_rows("_ub_rel", len(ub), [
                    (Col.ROWNO, base, ub_rows), (Col.INT, iteration(ub_rows), 0, None),
                    (Col.TRAIL_HRG, one, ub["a"], ub["b"], self.hrg, None)])
        else:
            if ds.name == "ACC":
                own += [(Col.INT, raw["calc_days"], -1, None), (Col.CHAR, raw["warn"], None)]
            self.write_rows(ds.main, n, echo + own)
        self.write_quality(raw["errors"], b.order, b.source, base, ds.field_name, ds.label)
        self.records += n
        self.errors += int(np.count_nonzero(raw["hrg"] == self.design.uz01z))

    def close(self, run: dict[str, Any]) -> list[Path]:
        """Write the summary and the index file; return every path written."""
        rec = self.ds.record
        return self.close_with_summary(
            ["Grouper Version", "Database Version", f"{rec} Count", f"{rec} Error Count",
             "Run Start Date/Time", "Run End Date/Time", "Input Filename", "Output Filename",
             "RDF path and name"],
            [run.get("grouper_version", ""), f"{self.design.name} {self.design.version}",
             self.records, self.errors, run.get("start", ""), run.get("end", _dt.datetime.now()),
             run.get("input", ""), run.get("output", ""), run.get("rdf", "")])
