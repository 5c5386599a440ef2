"""Decoding the record kernel's integer outputs into Arrow tables."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast.apc.result import METHOD, Decoder, ints, lists, quality_table, take, unbundled_table
from hrgfast.datasets.grouper import Columns
from hrgfast.design.loader import Design


@dataclass
class DatasetResult:
    """Grouped records of one dataset as Arrow tables (in RowNo order).

    records   one row per input record: RowNo, InputRow, the HRG and the dataset's own
              output columns, the decision rule that chose the HRG, ErrorCount
    unbundled one row per unbundled HRG (NAC only; empty otherwise)
    quality   one row per quality message (RowNo, Iteration, Code Type, Code, Error Message)
    summary   one row: counts and run details (``run_info`` holds them as a dict)
    """

    dataset: str
    records: pa.Table
    unbundled: pa.Table
    quality: pa.Table
    run_info: dict[str, Any]
    design: Design = field(repr=False)
    order: np.ndarray = field(repr=False)

    @property
    def summary(self) -> pa.Table:
        return pa.table({k: [v] for k, v in self.run_info.items()})

    @property
    def hrg_column(self) -> str:
        return f"{self.dataset}_HRG"

    def explain(self, row_no: int) -> str:
        """A readable account of how the record with this RowNo was grouped."""
        n = self.records.num_rows
        if not 1 <= row_no <= n:
            raise IndexError(f"RowNo {row_no} is not in 1..{n}")
        rec = {k: v[0] for k, v in self.records.slice(row_no - 1, 1).to_pydict().items()}
        hrg = rec[self.hrg_column]
        out = [f"{self.dataset} RowNo {row_no} (input row {rec['InputRow']}): {hrg} "
               f"({self.design.hrg_label(hrg)})"]
        q = self.quality.filter(pc.equal(self.quality.column("RowNo"), row_no)).to_pydict()
        for ctype, code, msg, fatal in zip(q["Code Type"], q["Code"], q["Error Message"],
                                           q["Fatal"], strict=True):
            out.append(f"  {'error' if fatal else 'warning'}: {ctype}|{code}|{msg}")
        if rec.get("GroupingMethodFlag") in ("P", "G"):
            out.append(f"  procedure-driven: dominant procedure {rec['DominantProcedure']}; "
                       f"the attendance alone would be {rec['AttendanceHRG']}")
        if rec["Rule"]:
            cond = rec["RuleCondition"] or "always"
            out.append(f"  chosen by {rec['Rule']} (when {cond})")
        for col in ("Calc_CC_Days", "CC_Warning_Flag", "Period"):
            if col in rec and rec[col] is not None:
                out.append(f"  {col} {rec[col]}")
        for u in rec.get("UnbundledHRGs") or []:
            out.append(f"  unbundled {u}")
        return "\n".join(out)


def decode(dec: Decoder, cols: Columns, raw: dict[str, np.ndarray], table: pa.Table,
           order: np.ndarray, run: dict[str, Any]) -> DatasetResult:
    ds = cols.ds
    n = len(order)
    order_pa = pa.array(order)
    out: dict[str, Any] = {"RowNo": pa.array(np.arange(1, n + 1, dtype=np.int64)),
                           "InputRow": order_pa}
    for name in (ds.keys or ()) + ((ds.date_field,) if ds.date_field else ()):
        if name in table.column_names:
            col = pc.take(table.column(name), order_pa)
            out[name] = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    out[f"{ds.name}_HRG"] = take(dec.hrg, raw["hrg"])
    if ds.name == "NAC":
        out["GroupingMethodFlag"] = take(METHOD, raw["method"].astype(np.int64))
        out["DominantProcedure"] = take(dec.px, raw["dom"])
        out["AttendanceHRG"] = take(dec.hrg, raw["att_hrg"])
    if ds.name == "ACC":
        out["Calc_CC_Days"] = ints(raw["calc_days"])
        out["CC_Warning_Flag"] = take(METHOD, raw["warn"].astype(np.int64))
    if ds.sorted:
        out["Period"] = ints(raw["period"])
    out["Rule"] = take(dec.rule, raw["rule"])
    out["RuleCondition"] = take(pa.array(dec.design.rule_texts, pa.string()), raw["rule"])
    out["ErrorCount"] = ints(raw["fatal"])
    unbundled = unbundled_table(dec, raw["unbundled"], ds.field_name)
    if ds.unbundled:
        out["UnbundledHRGs"] = lists(unbundled.column("UnbundledHRGs").combine_chunks(),
                                     unbundled.column("RowNo").to_numpy() - 1, n)
    quality = quality_table(raw["errors"], table, order, ds.field_name, ds.label)
    summary = {
        "Grouper Version": run.get("grouper_version", ""),
        "Database Version": f"{dec.design.name} {dec.design.version}",
        f"{ds.record} Count": n,
        f"{ds.record} Error Count": int(np.count_nonzero(raw["hrg"] == dec.design.uz01z)),
        "Run Start Date/Time": run.get("start", _dt.datetime.now()),
        "Run End Date/Time": run.get("end", _dt.datetime.now()),
        "Input Filename": run.get("input", ""),
        "Output Filename": run.get("output", ""),
        "RDF path and name": run.get("rdf", ""),
    }
    return DatasetResult(ds.name, pa.table(out), unbundled, quality, summary, dec.design, order)
