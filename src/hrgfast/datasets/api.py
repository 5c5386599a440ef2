"""The in-memory API of the six record datasets: one function per dataset, alongside
``hrgfast.group_apc``."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import hrgfast
from hrgfast.apc.grouper import default_threads
from hrgfast.apc.result import Decoder
from hrgfast.datasets import grouper
from hrgfast.datasets.result import DatasetResult, decode
from hrgfast.datasets.spec import DATASETS
from hrgfast.design.loader import Design, load_design
from hrgfast.encode import to_table, upper_names

DesignArg = str | os.PathLike[str] | Design | None


def group_records(dataset: str, data: Any, design: DesignArg = None, *,
                  num_threads: int | None = None) -> DatasetResult:
    """Group records of ``dataset`` (NAC, EM, ACC, PCC, NCC or NRD).

    ``data`` is a pyarrow Table, a pandas or polars DataFrame, or a mapping of column
    name -> array, with the official field names (any case). Every input row appears
    in the result; PCC and NCC days are put in (PROCODET, CCLOCALID, CCDATE) order,
    the others keep input order (``InputRow`` maps back either way).
    """
    start = _dt.datetime.now()
    ds = DATASETS[dataset.upper()]
    table = upper_names(to_table(data))
    d = load_design(design)
    cols = grouper.Columns.make(ds, table.column_names)
    order, _starts, raw = grouper.group_table(cols, table, d, num_threads or default_threads())
    return decode(Decoder(d), cols, raw, table, order,
                  {"grouper_version": f"hrgfast {hrgfast.__version__}", "start": start,
                   "end": _dt.datetime.now()})


def group_nac(data: Any, design: DesignArg = None, *,
              num_threads: int | None = None) -> DatasetResult:
    """Group outpatient attendances (NAC): STARTAGE, SEX, MAINSPEF, TRETSPEF, FIRSTATT,
    OPER_nn; procedure-driven HRGs or WF01/WF02 by FIRSTATT, plus unbundled HRGs."""
    return group_records("NAC", data, design, num_threads=num_threads)


def group_em(data: Any, design: DesignArg = None, *,
             num_threads: int | None = None) -> DatasetResult:
    """Group A&E attendances (EM): AGE, AEPATIENTGROUP, INV_nn, TREAT_nn -> VB HRGs."""
    return group_records("EM", data, design, num_threads=num_threads)


def group_acc(data: Any, design: DesignArg = None, *,
              num_threads: int | None = None) -> DatasetResult:
    """Group adult critical care periods (ACC) -> XC HRGs, Calc_CC_Days, CC_Warning_Flag."""
    return group_records("ACC", data, design, num_threads=num_threads)


def group_pcc(data: Any, design: DesignArg = None, *,
              num_threads: int | None = None) -> DatasetResult:
    """Group paediatric critical care days (PCC) -> one XB HRG per day."""
    return group_records("PCC", data, design, num_threads=num_threads)


def group_ncc(data: Any, design: DesignArg = None, *,
              num_threads: int | None = None) -> DatasetResult:
    """Group neonatal critical care days (NCC) -> one XA HRG per day."""
    return group_records("NCC", data, design, num_threads=num_threads)


def group_nrd(data: Any, design: DesignArg = None, *,
              num_threads: int | None = None) -> DatasetResult:
    """Group renal dialysis sessions (NRD) -> LD/LE HRGs."""
    return group_records("NRD", data, design, num_threads=num_threads)
