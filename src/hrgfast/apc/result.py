"""Decoding the APC kernel's integer outputs into Arrow tables.

Integer ids become strings by ``take`` on the design's code tables (vectorised, in
Arrow); the variable-length outputs (unbundled HRGs, quality messages) become
long tables keyed by RowNo plus list columns on the episode and spell tables.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast import messages as M
from hrgfast.apc import fields as F
from hrgfast.design.loader import Design

METHOD = pa.array([chr(i) if 65 <= i <= 90 else None for i in range(256)], pa.string())
_LETTERS = pa.array([chr(i) for i in range(65, 91)], pa.string())


def _codes(values: np.ndarray) -> pa.Array:
    return pa.array(np.char.decode(values, "ascii") if len(values) else [], pa.string())


def take(dictionary: pa.Array, ids: np.ndarray, as_dictionary: bool = False) -> pa.Array:
    """Strings for integer ids; negative ids give nulls. ``as_dictionary`` returns them
    dictionary-encoded over ``dictionary`` (no strings copied; Parquet writes the ids)."""
    ids = np.asarray(ids)
    if as_dictionary:
        return pa.DictionaryArray.from_arrays(
            pa.array(ids.astype(np.int32, copy=False), mask=ids < 0), dictionary, safe=False)
    return pc.take(dictionary, pa.array(ids.astype(np.int64), mask=ids < 0))


def _method(flags: np.ndarray, as_dictionary: bool = False) -> pa.Array:
    """Grouping method flags (a byte each, letters only) as one-character strings."""
    if as_dictionary:
        idx = flags.astype(np.int32) - 65
        return pa.DictionaryArray.from_arrays(pa.array(idx, mask=(idx < 0) | (idx >= 26)),
                                              _LETTERS, safe=False)
    return take(METHOD, flags.astype(np.int64))


def ints(values: np.ndarray, null_below: int | None = None) -> pa.Array:
    values = np.asarray(values)
    if null_below is None:
        return pa.array(values)
    return pa.array(values, mask=values < null_below)


@dataclass
class ApcResult:
    """Grouped APC activity as Arrow tables (in RowNo order).

    episodes  one row per input episode: the FCE HRG, how it was reached (root, CC
              score, split rule) and its spell's results
    spells    one row per provider spell
    unbundled one row per unbundled HRG (RowNo, Iteration, UnbundledHRGs)
    quality   one row per quality message (RowNo, Iteration, Code Type, Code, Error Message)
    summary   one row: counts and run details (``run_info`` holds them as a dict)
    """

    episodes: pa.Table
    spells: pa.Table
    unbundled: pa.Table
    quality: pa.Table
    run_info: dict[str, Any]
    design: Design = field(repr=False)
    order: np.ndarray = field(repr=False)
    spell_start: np.ndarray = field(repr=False)
    inputs: pa.Table = field(repr=False, default=None)

    @property
    def summary(self) -> pa.Table:
        return pa.table({k: [v] for k, v in self.run_info.items()})

    def explain(self, row_no: int) -> str:
        """A readable account of how the episode with this RowNo was grouped."""
        from hrgfast.apc.explain import explain_episode

        return explain_episode(self, row_no)


class Decoder:
    """Per-design string tables, built once and reused for every chunk."""

    def __init__(self, design: Design) -> None:
        self.design = design
        a = design.arrays
        self.hrg = _codes(a["hrg_code"])
        self.root = _codes(a["root_code"])
        self.dx = _codes(a["dx_code"])
        self.px = _codes(a["px_code"])
        self.rule = pa.array(design.rule_sources, pa.string())
        self.trimpoint = a["hrg"]["trimpoint"].astype(np.int32)


def _iteration(rows: np.ndarray) -> np.ndarray:
    """1, 2, 3... within each run of equal (ascending) row numbers."""
    if len(rows) == 0:
        return np.zeros(0, np.int32)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    return (np.arange(len(rows)) - run + 1).astype(np.int32)


def quality_table(errors: np.ndarray, table: pa.Table, order: np.ndarray,
                  name_of: Any, label_of: Any, base: int = 0) -> pa.Table:
    """Quality messages as a long table; ``name_of`` / ``label_of`` give a field code's
    Code Type and the label its message texts use; ``base`` offsets RowNo."""
    ev = errors
    rows = ev["row"].astype(np.int64)
    field_code, msg = ev["a"], ev["b"]
    n = len(ev)
    code_type = np.empty(n, dtype=object)
    text = np.empty(n, dtype=object)
    code_vals: list[pa.Array] = []
    positions: list[np.ndarray] = []
    keys = field_code.astype(np.int64) * 1000 + msg
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        fc, m = int(key // 1000), int(key % 1000)
        name = name_of(fc)
        code_type[idx] = name
        text[idx] = M.render(m, label_of(fc))
        if m in M.CODE_BLANK_MESSAGES or name not in table.column_names:
            vals = pa.nulls(len(idx), pa.string())
        else:
            col = table.column(name)
            vals = pc.take(col, pa.array(order[rows[idx]])).combine_chunks() \
                if isinstance(col, pa.ChunkedArray) else pc.take(col, pa.array(order[rows[idx]]))
            if pa.types.is_dictionary(vals.type):
                vals = vals.dictionary_decode()
            if not pa.types.is_string(vals.type):
                vals = vals.cast(pa.string())
        code_vals.append(vals)
        positions.append(idx)
    if n:
        perm = np.concatenate(positions)
        inverse = np.empty(n, np.int64)
        inverse[perm] = np.arange(n)
        code = pc.take(pa.concat_arrays(code_vals), pa.array(inverse))
    else:
        code = pa.array([], pa.string())
    return pa.table({
        "RowNo": pa.array(rows + 1 + base),
        "Iteration": pa.array(_iteration(rows)),
        "Code Type": pa.array(code_type.tolist(), pa.string()),
        "Code": pc.fill_null(code, ""),
        "Error Message": pa.array(text.tolist(), pa.string()),
        "Fatal": pa.array(ev["c"].astype(bool)),
    })


def unbundled_table(dec: Decoder, events: np.ndarray, name_of: Any, base: int = 0) -> pa.Table:
    """Unbundled HRGs as a long table (``HRG*N`` where days apply); ``base`` offsets RowNo."""
    ev = events
    rows = ev["row"].astype(np.int64)
    hrg = take(dec.hrg, ev["a"])
    days = ev["b"]
    label = pc.if_else(pa.array(days > 0),
                       pc.binary_join_element_wise(hrg, pa.array(days).cast(pa.string()), "*"),
                       hrg)
    uniq, inv = np.unique(ev["c"], return_inverse=True)
    names = pa.array([name_of(int(c)) for c in uniq], pa.string())
    origin = pc.take(names, pa.array(inv.astype(np.int64))) if len(ev) else names
    return pa.table({
        "RowNo": pa.array(rows + 1 + base),
        "Iteration": pa.array(_iteration(rows)),
        "UnbundledHRGs": label,
        "HRG": hrg,
        "Days": pa.array(days),
        "SourceField": origin,
    })


def is_identity(order: np.ndarray) -> bool:
    """Whether a sort permutation leaves the rows where they are (sorted input)."""
    n = len(order)
    return bool(n == 0 or (order[0] == 0 and order[-1] == n - 1 and np.all(np.diff(order) == 1)))


def lists(values: pa.Array, rows: np.ndarray, n: int) -> pa.Array:
    counts = np.bincount(rows, minlength=n) if len(rows) else np.zeros(n, np.int64)
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def decode(dec: Decoder, raw: dict[str, np.ndarray], table: pa.Table, order: np.ndarray,
           spell_start: np.ndarray, diag_names: list[str], proc_names: list[str],
           run: dict[str, Any], *, base: int = 0, input_rows: np.ndarray | None = None,
           as_dictionary: bool = False) -> ApcResult:
    """Arrow tables for grouped rows ``table`` (sorted by ``order``, spells ``spell_start``).

    Streaming callers decode one chunk at a time: ``base`` is the RowNo offset of the
    chunk, ``input_rows`` maps each row of ``table`` to its input row number (default:
    its position), and ``as_dictionary`` leaves code columns dictionary-encoded over the
    design's code tables (same values, no strings copied: cheap to write as Parquet)."""
    n = len(order)
    n_sp = len(spell_start) - 1
    row_no = np.arange(base + 1, base + n + 1, dtype=np.int64)
    spell_of = np.repeat(np.arange(n_sp), np.diff(spell_start)) if n else np.zeros(0, np.int64)
    order_pa = pa.array(order)
    identity = is_identity(order)

    def echo(name: str) -> pa.Array:
        col = table.column(name)
        out = col if identity else pc.take(col, order_pa)
        return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out

    def spell_key(name: str) -> pa.Array:
        return echo(name).take(pa.array(spell_start[:-1])) if n else pa.array([], pa.string())

    def code(dictionary: pa.Array, ids: np.ndarray) -> pa.Array:
        return take(dictionary, ids, as_dictionary)

    quality = quality_table(raw["errors"], table, order, lambda c: M.field_name(c, F.NAMES),
                            lambda c: F.LABELS[c] if c < F.NF else M.field_name(c, F.NAMES),
                            base)
    unbundled = unbundled_table(dec, raw["unbundled"], lambda c: M.field_name(c, F.NAMES), base)
    ub_rows = unbundled.column("RowNo").to_numpy() - 1 - base
    ub_list = lists(unbundled.column("UnbundledHRGs").combine_chunks(), ub_rows, n)
    row_offsets = ub_list.offsets.to_numpy()
    sp_ub = pa.ListArray.from_arrays(pa.array(row_offsets[spell_start].astype(np.int32)),
                                     ub_list.values)

    sp_cols = {
        "SpellHRG": code(dec.hrg, raw["sp_hrg"]),
        "SpellGroupingMethodFlag": _method(raw["sp_method"], as_dictionary),
        "SpellDominantProcedure": code(dec.px, raw["sp_dom"]),
        "SpellPDiag": code(dec.dx, raw["sp_pdiag"]),
        "SpellSDiag": code(dec.dx, raw["sp_sdiag"]),
        "SpellEpisodeCount": ints(raw["sp_count"]),
        "SpellLOS": ints(raw["sp_los"]),
        "SpellCCDays": ints(raw["sp_ccdays"]),
    }
    spells = pa.table({
        "RowNo": pa.array(spell_start[:-1] + 1 + base),
        "PROCODET": spell_key("PROCODET"),
        "PROVSPNO": spell_key("PROVSPNO"),
        **sp_cols,
        "SpellRoot": code(dec.root, raw["sp_root"]),
        "SpellCCScore": ints(raw["sp_cc"]),
        "SpellSplitRule": code(dec.rule, raw["sp_rule"]),
        "ReportRowNo": pa.array(raw["sp_report"] + 1 + base),
        "UnbundledHRGs": sp_ub,
    })
    sp_idx = pa.array(spell_of)
    episodes = pa.table({
        "RowNo": pa.array(row_no),
        "InputRow": order_pa if input_rows is None else pa.array(input_rows[order]),
        "PROCODET": echo("PROCODET"),
        "PROVSPNO": echo("PROVSPNO"),
        "EPIORDER": echo("EPIORDER"),
        "FCE_HRG": code(dec.hrg, raw["fce_hrg"]),
        "GroupingMethodFlag": _method(raw["fce_method"], as_dictionary),
        "DominantProcedure": code(dec.px, raw["fce_dom"]),
        "HRGRoot": code(dec.root, raw["fce_root"]),
        "CCScore": ints(raw["fce_cc"]),
        "SplitRule": code(dec.rule, raw["fce_rule"]),
        "CalcEpidur": ints(raw["calc_epidur"], 0),
        "SpellReportFlag": ints(raw["report_flag"].astype(np.int8)),
        "ErrorCount": ints(raw["fce_fatal"]),
        **{k: pc.take(v, sp_idx) for k, v in sp_cols.items()},
        "UnbundledHRGs": ub_list,
    })
    fce_tp = np.where(raw["fce_hrg"] >= 0, dec.trimpoint[raw["fce_hrg"]], -1)
    sp_tp = np.where(raw["sp_hrg"] >= 0, dec.trimpoint[raw["sp_hrg"]], -1)
    calc = np.maximum(raw["calc_epidur"], 0)
    sp_tp_rows = sp_tp[spell_of] if n else sp_tp
    sp_los_rows = raw["sp_los"][spell_of] if n else raw["sp_los"]
    payment = {
        "FCETrimpoint": ints(fce_tp, 0),
        "FCEExcessBeddays": pa.array(np.maximum(calc - fce_tp, 0), mask=fce_tp < 0),
    }
    sp_payment = {
        "SpellTrimpoint": ints(sp_tp, 0),
        "SpellExcessBeddays": pa.array(np.maximum(raw["sp_los"] - sp_tp, 0), mask=sp_tp < 0),
    }
    episodes = episodes.append_column("FCETrimpoint", payment["FCETrimpoint"]) \
        .append_column("FCEExcessBeddays", payment["FCEExcessBeddays"]) \
        .append_column("SpellTrimpoint", ints(sp_tp_rows, 0)) \
        .append_column("SpellExcessBeddays",
                       pa.array(np.maximum(sp_los_rows - sp_tp_rows, 0), mask=sp_tp_rows < 0))
    for k, v in sp_payment.items():
        spells = spells.append_column(k, v)
    uz = dec.design.uz01z
    summary = summary_info(dec.design, run, n, n_sp,
                           int(np.count_nonzero(raw["fce_hrg"] == uz)),
                           int(np.count_nonzero(raw["sp_hrg"] == uz)))
    return ApcResult(episodes, spells, unbundled, quality, summary, dec.design, order,
                     spell_start, table)


def summary_info(design: Design, run: dict[str, Any], fce: int, spells: int, fce_errors: int,
                 spell_errors: int) -> dict[str, Any]:
    """The summary row: counts and run details."""
    return {
        "Grouper Version": run.get("grouper_version", ""),
        "Database Version": f"{design.name} {design.version}",
        "FCE Count": fce,
        "Spell Count": spells,
        "FCE Error Count": fce_errors,
        "Spell Error Count": spell_errors,
        "Run Start Date/Time": run.get("start", _dt.datetime.now()),
        "Run End Date/Time": run.get("end", _dt.datetime.now()),
        "Input Filename": run.get("input", ""),
        "Output Filename": run.get("output", ""),
        "RDF path and name": run.get("rdf", ""),
    }
