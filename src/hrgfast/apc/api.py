"""The in-memory APC API: group a table of episodes, get Arrow tables back."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import hrgfast
from hrgfast.apc import grouper
from hrgfast.apc.result import ApcResult, Decoder, decode
from hrgfast.design.loader import Design, load_design
from hrgfast.encode import to_table, upper_names


def group_apc(data: Any, design: str | os.PathLike[str] | Design | None = None, *,
              num_threads: int | None = None) -> ApcResult:
    """Group admitted patient care episodes.

    ``data`` is a pyarrow Table, a pandas or polars DataFrame, or a mapping of column
    name -> array, with the official APC field names (PROCODET, PROVSPNO, EPIORDER,
    STARTAGE, SEX, ..., DIAG_01..DIAG_nn, OPER_01..OPER_nn; any case). Codes may carry
    dots; values may be strings or numbers. ``design`` is a bundled design name, a
    ``.hrgd`` file, a design folder or a loaded :class:`Design` (default: the bundled
    default). Every input row appears in the result, in RowNo order (sorted by
    PROCODET, PROVSPNO, EPIORDER); ``InputRow`` maps back to the input.
    """
    start = _dt.datetime.now()
    table = upper_names(to_table(data))
    d = load_design(design)
    threads = num_threads or grouper.default_threads()
    enc, order, spell_start, raw = grouper.group_table(table, d, threads)
    return decode(Decoder(d), raw, table, order, spell_start, enc.diag_names, enc.proc_names,
                  {"grouper_version": f"hrgfast {hrgfast.__version__}", "start": start,
                   "end": _dt.datetime.now()})
