"""APC orchestration: encode -> sort into spells -> run the Cython kernel.

The sort key is the official one (PROCODET, PROVSPNO, EPIORDER): provider and spell
number compare as strings, episode order as a number. Spells are runs of equal
(PROCODET, PROVSPNO) in that order.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast import _apc
from hrgfast._encode import Kind
from hrgfast.apc import fields as F
from hrgfast.design.loader import Design
from hrgfast.encode import encode_column, fill_blank


def default_threads() -> int:
    env = os.environ.get("HRGFAST_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class Encoded:
    fields: np.ndarray       # (n, NF) int32
    diag: np.ndarray         # (n, ndiag) int32
    proc: np.ndarray         # (n, nproc) int32
    diag_names: list[str]
    proc_names: list[str]

    @property
    def n(self) -> int:
        return self.fields.shape[0]


class MissingFields(ValueError):
    """The input lacks fields the logic needs."""

    def __init__(self, missing: list[str], logic: str = "APC") -> None:
        super().__init__(f"{logic} input is missing required field(s): " + ", ".join(missing))
        self.missing = missing


def check_fields(names: list[str]) -> None:
    missing = [f for f in F.REQUIRED if f not in names]
    if missing:
        raise MissingFields(missing)


def encode(table: pa.Table, design: Design, num_threads: int = 1) -> Encoded:
    """Encode an APC table whose column names are the official (upper-case) field names.

    With ``num_threads`` > 1 the three matrices (fields, diagnoses, procedures) are filled
    on separate threads, column by column (each encode releases the GIL); a parallel region
    per column measured 2-3x slower than one thread when the cores are shared, as every
    column then waits on a barrier."""
    names = table.column_names
    check_fields(names)
    n = table.num_rows
    fields = np.empty((n, F.NF), dtype=np.int32)
    jobs: list[list[tuple]] = [[], [], []]
    for slot, (name, kind, _label) in enumerate(F.SCALARS):
        if name not in names:
            fill_blank(fields, slot, kind)
            continue
        keys = design.field_keys("APC", name) if kind in (Kind.VALUE, Kind.VALUE_ZEROS) else None
        jobs[0].append((table.column(name), kind, fields, slot, None, keys))
    diag_names = F.repeated(names, "DIAG")
    proc_names = F.repeated(names, "OPER")
    diag = np.empty((n, len(diag_names)), dtype=np.int32)
    proc = np.empty((n, len(proc_names)), dtype=np.int32)
    for j, name in enumerate(diag_names):
        jobs[1].append((table.column(name), Kind.ICD10, diag, j, design.arrays["dx_key_to_id"],
                        None))
    for j, name in enumerate(proc_names):
        jobs[2].append((table.column(name), Kind.OPCS4, proc, j, design.arrays["px_key_to_id"],
                        None))

    def run(group: list[tuple]) -> None:
        for col, kind, out, slot, key_to_id, keys in group:
            encode_column(col, kind, out, slot, key_to_id=key_to_id, keys=keys)

    if num_threads > 1 and n >= 4096:
        list(_pool(num_threads).map(run, jobs))
    else:
        for group in jobs:
            run(group)
    return Encoded(fields, diag, proc, diag_names, proc_names)


_POOLS: dict[int, ThreadPoolExecutor] = {}


def _pool(threads: int) -> ThreadPoolExecutor:
    if threads not in _POOLS:
        _POOLS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="hrgfast-encode")
    return _POOLS[threads]


def _key(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if not pa.types.is_string(arr.type):
        arr = arr.cast(pa.string())
    return pc.fill_null(arr, "")


def spell_order(table: pa.Table, epiorder: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort permutation (int64) and spell boundaries (int64, n_spells + 1)."""
    n = table.num_rows
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    proc = _key(table.column("PROCODET"))
    spno = _key(table.column("PROVSPNO"))
    keys = pa.table({"p": proc, "s": spno, "e": pa.array(epiorder.astype(np.int64))})
    order = pc.sort_indices(keys, sort_keys=[("p", "ascending"), ("s", "ascending"),
                                             ("e", "ascending")])
    order_np = order.to_numpy().astype(np.int64, copy=False)
    sp = pc.take(proc, order)
    ss = pc.take(spno, order)
    if n > 1:
        new = pc.or_(pc.not_equal(sp.slice(1), sp.slice(0, n - 1)),
                     pc.not_equal(ss.slice(1), ss.slice(0, n - 1)))
        starts = np.flatnonzero(new.to_numpy(zero_copy_only=False)) + 1
    else:
        starts = np.zeros(0, np.int64)
    spell_start = np.concatenate([[0], starts, [n]]).astype(np.int64)
    return order_np, spell_start


def run_kernel(enc: Encoded, design: Design, order: np.ndarray, spell_start: np.ndarray,
               num_threads: int = 1) -> dict[str, np.ndarray]:
    settings = design.settings("APC")
    sex_values = design.field_values("APC", "SEX")
    sex_num = np.array([int(v) if v.isdigit() else 0 for v in sex_values], dtype=np.int32)
    return _apc.group_apc(
        design.arrays, design.uz01z, int(settings.get("paediatric_max_age", 18)),
        bool(settings.get("cc_exclude_same_category", True)),
        enc.fields, enc.diag, enc.proc, order, spell_start,
        np.ascontiguousarray(design.field_flags("APC", "CLASSPAT")),
        np.ascontiguousarray(design.field_flags("APC", "ADMIMETH")),
        sex_num, np.ascontiguousarray(design.unbundled_trigger("APC", "TRETSPEF")),
        num_threads=num_threads)


def group_table(table: pa.Table, design: Design, num_threads: int = 1
                ) -> tuple[Encoded, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Encode, sort and group a whole APC table: (encoded, order, spell_start, raw)."""
    enc = encode(table, design, num_threads)
    order, spell_start = spell_order(table, enc.fields[:, F.SLOT["EPIORDER"]])
    raw = run_kernel(enc, design, order, spell_start, num_threads)
    return enc, order, spell_start, raw
