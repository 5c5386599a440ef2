"""Encoding and grouping records of the six record datasets (NAC, EM, ACC, PCC, NCC, NRD).

A batch becomes one row-major int32 matrix: the dataset's scalar fields in slot order,
then each repeated field's PREFIX_01..nn present in the input. The slot descriptions
handed to the kernel (``_records.group_records``) carry each enumerated field's value
classes, flags and numbers from the design, so validation and the logics are table
lookups.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast import _records
from hrgfast._encode import Kind
from hrgfast.apc.fields import repeated
from hrgfast.apc.grouper import MissingFields
from hrgfast.datasets.spec import Dataset
from hrgfast.design import schema as S
from hrgfast.design.loader import Design
from hrgfast.encode import encode_column, fill_blank

ENUMERATED = (Kind.VALUE, Kind.VALUE_ZEROS)


@dataclass
class Columns:
    """The matrix layout of one batch: which input field fills each slot."""

    ds: Dataset
    names: list[str | None]          # input field of each slot (None: absent scalar)
    kinds: list[int]
    value_field: list[str | None]    # field_values name of enumerated slots
    repeats: list[tuple[int, int]]   # (first slot, count) per repeated group
    codes: list[int]                 # message field code of each slot

    @classmethod
    def make(cls, ds: Dataset, present: list[str]) -> Columns:
        have = set(present)
        missing = [f for f in ds.required if f not in have]
        if missing:
            raise MissingFields(missing, ds.name)
        names: list[str | None] = []
        kinds, vfield, codes = [], [], []
        for i, f in enumerate(ds.scalars):
            names.append(f.name if f.name in have else None)
            kinds.append(int(f.kind))
            vfield.append(f.name if f.kind in ENUMERATED else None)
            codes.append(i)
        reps = []
        for r in ds.repeats:
            fields = repeated(present, r.prefix)
            reps.append((len(names), len(fields)))
            for k, name in enumerate(fields):
                names.append(name)
                kinds.append(int(r.kind))
                vfield.append(r.prefix if r.kind in ENUMERATED else None)
                codes.append(r.base + 1 + k)
        return cls(ds, names, kinds, vfield, reps, codes)

    @property
    def nslots(self) -> int:
        return len(self.names)

    def code_of(self, name: str) -> int:
        """The field code of a field name (``CCAC_01`` even when absent)."""
        if name in self.ds.names:
            return self.ds.slot(name)
        prefix, _, num = name.rpartition("_")
        for r in self.ds.repeats:
            if r.prefix == prefix:
                return r.base + int(num)
        raise KeyError(name)


def encoding(cols: Columns, design: Design, slot: int) -> tuple[np.ndarray | None,
                                                                 np.ndarray | None]:
    """(key_to_id, keys) the encoder needs for a slot."""
    kind = cols.kinds[slot]
    if kind == Kind.ICD10:
        return design.arrays["dx_key_to_id"], None
    if kind == Kind.OPCS4:
        return design.arrays["px_key_to_id"], None
    if kind in ENUMERATED:
        keys = design.field_keys(cols.ds.name, cols.value_field[slot])
        return None, keys if len(keys) else None
    return None, None


def slot_tables(cols: Columns, design: Design) -> list[tuple]:
    """The kernel's slot descriptions: (kind, required, fatal, lo, hi, field code, value
    classes, flags, numbers, unbundled roots)."""
    ds = cols.ds
    rep_of = {}
    for r, (start, count) in zip(ds.repeats, cols.repeats, strict=True):
        for k in range(start, start + count):
            rep_of[k] = r
    out = []
    for k in range(cols.nslots):
        if k < len(ds.scalars):
            f = ds.scalars[k]
            required, fatal, lo, hi = f.required, f.fatal, f.lo, f.hi
        else:
            required, fatal, lo, hi = False, rep_of[k].fatal, -(2**31), 2**31 - 1
        cls = flags = num = ub = None
        vf = cols.value_field[k]
        values = design.field_values(ds.name, vf) if vf is not None else []
        if values:
            cls = np.ascontiguousarray(design.arrays.get(
                f"fv.{ds.name}.{vf}.class", np.zeros(len(values), np.int32)), dtype=np.int32)
            flags = np.ascontiguousarray(design.field_flags(ds.name, vf), dtype=np.uint8)
            num = np.array([int(v) if v.isdigit() else -1 for v in values], np.int32)
            ub = np.ascontiguousarray(design.unbundled_trigger(ds.name, vf), dtype=np.int32)
        out.append((cols.kinds[k], int(required), int(fatal), lo, hi, cols.codes[k], cls, flags,
                    num, ub))
    return out


def encode_table(cols: Columns, table: pa.Table, design: Design,
                 num_threads: int = 1) -> np.ndarray:
    """The batch matrix of an Arrow table (columns named as the official fields)."""
    n = table.num_rows
    out = np.empty((n, cols.nslots), np.int32)
    for k, name in enumerate(cols.names):
        kind = cols.kinds[k]
        if name is None:
            fill_blank(out, k, kind)
            continue
        col = table.column(name)
        if kind == Kind.DATE and (pa.types.is_date(col.type) or pa.types.is_timestamp(col.type)):
            col = pc.strftime(col, format="%Y%m%d")
        key_to_id, keys = encoding(cols, design, k)
        encode_column(col, kind, out, k, key_to_id, keys, num_threads)
    return out


def day_order(keys: list[pa.ChunkedArray | pa.Array], dates: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Sort by (key 1, key 2, date), stable; return (order, group_start)."""
    n = len(dates)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(1, np.int64)
    # a missing or null key reads as blank, as in text input
    k1, k2 = (pc.fill_null(pc.cast(k, pa.string()), "") for k in keys)
    t = pa.table({"k1": k1, "k2": k2, "d": pa.array(dates),
                  "i": pa.array(np.arange(n, dtype=np.int64))})
    order = pc.sort_indices(t, sort_keys=[("k1", "ascending"), ("k2", "ascending"),
                                          ("d", "ascending"), ("i", "ascending")],
                            ).to_numpy().astype(np.int64)
    s1 = pc.take(t.column("k1"), pa.array(order)).combine_chunks()
    s2 = pc.take(t.column("k2"), pa.array(order)).combine_chunks()
    if n > 1:
        new = pc.or_(pc.not_equal(s1.slice(1), s1.slice(0, n - 1)),
                     pc.not_equal(s2.slice(1), s2.slice(0, n - 1)))
        starts = np.flatnonzero(new.to_numpy(zero_copy_only=False)) + 1
    else:
        starts = np.zeros(0, np.int64)
    return order, np.concatenate([[0], starts, [n]]).astype(np.int64)


@functools.lru_cache(maxsize=8)
def outpatient_procedures(design: Design) -> np.ndarray:
    """1 for each procedure code whose root (or paediatric root) has an HRG the design
    marks for NAC: only those may drive an outpatient procedure HRG."""
    a = design.arrays
    hrg = a["hrg"]
    offers = np.zeros(len(a["root_code"]), bool)
    nac = hrg["datasets"] & S.DATASET_BIT["NAC"] != 0
    offers[hrg["root"][nac]] = True
    px = a["px"]
    out = np.zeros(len(px), np.uint8)
    for col in ("root", "paed_root"):
        r = px[col]
        ok = r >= 0
        out[ok] |= offers[r[ok]].astype(np.uint8)
    return out


def run_kernel(cols: Columns, design: Design, matrix: np.ndarray, order: np.ndarray | None,
               group_start: np.ndarray | None, num_threads: int = 1,
               slots: list[tuple] | None = None) -> dict[str, np.ndarray]:
    """Group one batch; ``slots`` (from ``slot_tables``) may be passed to reuse them."""
    ds = cols.ds
    msg, field = ds.fail
    nac = design.settings("NAC")
    return _records.group_records(
        ds.logic, design.arrays, design.uz01z,
        int(design.settings("APC").get("paediatric_max_age", 18)), matrix,
        slots if slots is not None else slot_tables(cols, design), cols.repeats,
        order=order, group_start=group_start,
        fail_msg=msg, fail_field=cols.code_of(field),
        nac_min_hierarchy=int(nac.get("min_hierarchy", 1)),
        nac_px=outpatient_procedures(design) if ds.name == "NAC" else None,
        num_threads=num_threads)


def order_of(ds: Dataset, table: pa.Table, matrix: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray | None]:
    """(order, group_start): PCC/NCC days by (PROCODET, CCLOCALID, date); the others as
    they come."""
    n = table.num_rows
    if not ds.sorted:
        return np.arange(n, dtype=np.int64), None
    keys = [table.column(k) if k in table.column_names else pa.nulls(n, pa.string())
            for k in ds.keys]
    return day_order(keys, matrix[:, ds.slot(ds.date_field)].copy())


def group_table(cols: Columns, table: pa.Table, design: Design, num_threads: int = 1
                ) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
    """Encode, order and group a whole table: (order, group_start, raw outputs)."""
    matrix = encode_table(cols, table, design, num_threads)
    order, group_start = order_of(cols.ds, table, matrix)
    raw = run_kernel(cols, design, matrix, order, group_start, num_threads)
    return order, group_start, raw
