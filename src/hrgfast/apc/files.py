"""The APC output file set, with the official names and column order.

Column lists follow the 2024/25 Local Payment Grouper as documented in
docs/file-formats.md. Payment-only fields we cannot derive (PBC, specialised
service codes, best-practice codes, spell flags) are written blank, with their
counts as 0; trimpoints come from the design when it has them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hrgfast.apc.result import ApcResult, is_identity
from hrgfast.exitcodes import OUTPUT, GrouperError
from hrgfast.outfiles import TextFile, blanks, constant, named, trail_spec, write_index, write_text

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


def _col(table: pa.Table, name: str) -> pa.Array:
    if name in table.column_names:
        c = table.column(name)
        return c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c
    return blanks(table.num_rows)


def _payment_blanks(t: pa.Table) -> pa.Table:
    """Columns the design cannot fill: blank, with zero counts."""
    n = t.num_rows
    zero = constant("0", n)
    extra = {"FCE_PBC": blanks(n), "SpellPBC": blanks(n), "FCESSC_Ct": zero,
             "SpellSSC_Ct": zero, "SpellBP_Ct": zero, "SpellFlag_Ct": zero}
    for prefix in ("FCESSCs", "SpellSSCs", "SpellBP", "SpellFlag"):
        for name in named(prefix, 7):
            extra[name] = blanks(n)
    for k, v in extra.items():
        if k not in t.column_names:
            t = t.append_column(k, v)
    return t


def _messages(q: pa.Table) -> pa.Array:
    return pc.binary_join_element_wise(q.column("Code Type"), q.column("Code"),
                                       q.column("Error Message"), "|")


def text_files(result: ApcResult, header: list[str], echo) -> list[TextFile]:
    """The APC files as TextFile descriptions. ``echo(order)`` gives the echo spec for
    input rows in the given order (raw lines, or rendered input columns)."""
    ep = _payment_blanks(result.episodes)
    sp = _payment_blanks(result.spells)
    n, n_sp = ep.num_rows, sp.num_rows
    order = result.order
    ub = result.unbundled
    ub_rows = ub.column("RowNo").to_numpy() - 1
    ub_trail = trail_spec(ub_rows, ub.column("UnbundledHRGs").combine_chunks(), n)
    sp_of_row = np.searchsorted(result.spell_start, ub_rows, side="right") - 1
    sp_trail = trail_spec(sp_of_row, ub.column("UnbundledHRGs").combine_chunks(), n_sp)
    q = result.quality
    q_rows = q.column("RowNo").to_numpy() - 1
    bad_rows = np.unique(q_rows)
    q_trail = trail_spec(np.searchsorted(bad_rows, q_rows), _messages(q), len(bad_rows))
    summary = result.summary
    return [
        TextFile("_sort", header + ["RowNo"], [_col(ep, "RowNo")], n, echo(order)),
        TextFile("_FCE", header + FCE, [_col(ep, c) for c in FCE[:-1]], n, echo(order),
                 ub_trail),
        TextFile("_spell", SPELL, [_col(sp, c) for c in SPELL[:-1]], n_sp, None, sp_trail),
        TextFile("_quality", header + ["RowNo", "Error Message"],
                 [pa.array(bad_rows + 1)], len(bad_rows), echo(order[bad_rows]), q_trail),
        TextFile("_FCE_rel", FCE_REL, [_col(ep, c) for c in FCE_REL], n),
        TextFile("_spell_rel", SPELL_REL, [_col(sp, c) for c in SPELL_REL], n_sp),
        TextFile("_quality_rel", QUALITY_REL, [_col(q, c) for c in QUALITY_REL], q.num_rows),
        TextFile("_ub_rel", UB_REL, [_col(ub, c) for c in UB_REL], ub.num_rows),
        TextFile("_summary", SUMMARY, [_col(summary, c) for c in SUMMARY], 1),
    ]


def write_csv(result: ApcResult, base: Path, header: list[str], echo, headers: bool = True,
              delimiter: str = ",") -> list[Path]:
    written = []
    for f in text_files(result, header, echo):
        path = Path(f"{base}{f.suffix}.csv")
        write_text(path, f, headers, delimiter)
        written.append(path)
    write_index(base, [p.name for p in written], headers)
    return [Path(f"{base}.csv")] + written


PARQUET_SUFFIXES = ["_FCE", "_spell", "_ub_rel", "_quality_rel", "_summary"]


def parquet_tables(result: ApcResult, inputs: pa.Table | None = None) -> dict[str, pa.Table]:
    """The Parquet output tables by suffix (summary last): the result tables, the FCE
    table joined to the input columns it does not already hold (in RowNo order)."""
    ep = result.episodes
    if inputs is not None:
        extra = [c for c in inputs.column_names if c not in ep.column_names]
        if is_identity(result.order):
            taken = inputs.select(extra)        # already in RowNo order
        else:
            taken = inputs.select(extra).take(pa.array(result.order))
        for c in extra:
            ep = ep.append_column(c, taken.column(c))
    return {"_FCE": ep, "_spell": result.spells, "_ub_rel": result.unbundled,
            "_quality_rel": result.quality, "_summary": result.summary}


def write_parquet(result: ApcResult, base: Path, inputs: pa.Table | None = None) -> list[Path]:
    """Parquet outputs: the result tables, the FCE file joined to the input columns."""
    written = []
    try:
        for suffix, t in parquet_tables(result, inputs).items():
            path = Path(f"{base}{suffix}.parquet")
            pq.write_table(t, path)
            written.append(path)
    except OSError as exc:
        raise GrouperError(OUTPUT, f"cannot write Parquet output: {exc}") from exc
    return written
