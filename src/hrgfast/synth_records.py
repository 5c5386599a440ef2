"""Synthetic records of the six record datasets (NAC, EM, ACC, PCC, NCC, NRD), for
benchmarks and tests at any size.

Seeded and vectorised like ``hrgfast.synth``: every enumerated field is drawn from the
design's own valid values, numbers and dates from plausible ranges, repeated fields
sparsely (the first slots fuller than the last); PCC/NCC come as stays of consecutive
days per PROCODET + CCLOCALID, with the odd change of unit. A small share of records
gets a blank or invalid value in a random field so the error paths run too. The shapes
are judgement, not statistics of real activity.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from hrgfast._encode import Kind
from hrgfast.datasets.spec import DATASETS, Dataset
from hrgfast.design.loader import Design, load_design

REPEATS = {"OPER": 6, "INV": 4, "TREAT": 4, "CCAC": 5, "DIAG": 3}
FILL = {"OPER": 0.35, "INV": 0.6, "TREAT": 0.7, "CCAC": 0.8, "DIAG": 0.5}
CHUNK = 1 << 18
EPOCH_2024 = 19_814          # 2024-04-01 as days since 1970-01-01
# the CCUF class of each critical care logic's own units (the bundled design's convention)
UNIT_CLASS = {"ACC": 1, "PCC": 2, "NCC": 3}


def _yyyymmdd(days: np.ndarray) -> pa.Array:
    s = np.datetime_as_string(days.astype("datetime64[D]"))
    return pa.array(np.char.replace(s, "-", ""))


class RecordSynth:
    """Draws chunks of synthetic ``dataset`` records; the same seed gives the same data."""

    def __init__(self, dataset: str, design: Design | str | None = None, seed: int = 1,
                 invalid_rate: float = 0.02) -> None:
        self.ds: Dataset = DATASETS[dataset.upper()]
        self.design = design if isinstance(design, Design) else load_design(design)
        self.rng = np.random.default_rng(seed)
        self.invalid_rate = invalid_rate
        self.made = 0
        a = self.design.arrays
        self.px = np.char.decode(a["px_code"], "ascii")
        self.dx = np.char.decode(a["dx_code"], "ascii")

    def _values(self, field: str) -> tuple[np.ndarray, np.ndarray | None]:
        """A field's valid values and drawing weights: values the logic cannot use (class
        0 where others have a class, codes flagged inappropriate, units of another kind)
        are drawn rarely."""
        vals = self.design.field_values(self.ds.name, field)
        if not vals:
            return np.array(["1"]), None
        cls = self.design.arrays.get(f"fv.{self.ds.name}.{field}.class")
        flags = self.design.field_flags(self.ds.name, field)
        w = np.ones(len(vals))
        if field == "CCUF" and cls is not None and (cls == UNIT_CLASS[self.ds.name]).any():
            w[cls != UNIT_CLASS[self.ds.name]] = 0.01
        elif cls is not None and (cls > 0).any():
            w[cls <= 0] = 0.05
        w[(flags & 32) != 0] = 0.01          # inappropriate (NCC)
        return np.array(vals), w / w.sum()

    def _draw(self, field: str, n: int) -> np.ndarray:
        vals, w = self._values(field)
        return self.rng.choice(vals, n, p=w)

    def _scalar(self, f, n: int, day: np.ndarray | None, end: np.ndarray | None) -> np.ndarray:
        rng = self.rng
        if f.kind in (Kind.VALUE, Kind.VALUE_ZEROS):
            out = self._draw(f.name, n)
            if not f.required:
                out = np.where(rng.random(n) < 0.3, "", out)
            return out
        if f.kind == Kind.DATE:
            if f.name in ("CCDATE", "CC_START_DATE"):
                return np.asarray(_yyyymmdd(day))
            return np.asarray(_yyyymmdd(end + rng.integers(0, 4, n)))
        if f.kind == Kind.DECIMAL3:
            return np.char.mod("%.3f", rng.uniform(0.5, 4.5, n))
        hi = {"GESTLEN": (24, 42), "AGE_DAYS": (0, 60)}.get(f.name)
        if hi:
            return rng.integers(*hi, n).astype(str)
        if f.lo == 0 and f.hi == 130:                  # ages
            return np.minimum(rng.gamma(2.0, 22.0, n), 105).astype(int).astype(str)
        return np.where(rng.random(n) < 0.5, "", rng.integers(0, 6, n).astype(str))

    def _repeat(self, prefix: str, n: int) -> list[np.ndarray]:
        rng = self.rng
        cols = []
        for k in range(REPEATS[prefix]):
            fill = FILL[prefix] * (0.55 ** k)
            codes = rng.choice(self.px if prefix == "OPER" else self.dx, n) \
                if prefix in ("OPER", "DIAG") else self._draw(prefix, n)
            cols.append(np.where(rng.random(n) < fill, codes, ""))
        return cols

    def table(self, n: int) -> pa.Table:
        rng, ds = self.rng, self.ds
        cols: dict[str, np.ndarray] = {"RECID": np.char.add("R", np.arange(
            self.made, self.made + n).astype(str))}
        day = end = None
        if ds.sorted:
            stay_len = rng.integers(1, 8, n)
            idx = np.repeat(np.arange(n), stay_len)[:n]
            stay = idx + self.made
            first = np.r_[True, stay[1:] != stay[:-1]]
            start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
            day = EPOCH_2024 + (stay % 300) + (np.arange(n) - start)
            end = EPOCH_2024 + (stay % 300) + stay_len[idx]
            cols["PROCODET"] = np.char.add("R", (stay % 7).astype(str))
            cols["CCLOCALID"] = np.char.add("C", stay.astype(str))
        elif ds.name == "ACC":
            day = EPOCH_2024 + rng.integers(0, 360, n)
            end = day + rng.integers(0, 10, n)
        for f in ds.scalars:
            cols[f.name] = self._scalar(f, n, day, end)
        if ds.sorted:   # one unit per stay, changing now and then (a transfer)
            units, w = self._values("CCUF")
            per_stay = rng.choice(units, n + 1, p=w)
            cols["CCUF"] = per_stay[(idx + (rng.random(n) < 0.05)) % (n + 1)]
        for r in ds.repeats:
            for k, c in enumerate(self._repeat(r.prefix, n)):
                cols[f"{r.prefix}_{k + 1:02d}"] = c
        bad = np.flatnonzero(rng.random(n) < self.invalid_rate)
        names = [f.name for f in ds.scalars]
        for i, which in zip(bad, rng.integers(0, len(names), len(bad)), strict=True):
            cols[names[which]][i] = "" if rng.random() < 0.5 else "??"
        self.made += n
        return pa.table({k: pa.array(v.astype(str)) for k, v in cols.items()})

    def tables(self, n: int) -> Iterator[pa.Table]:
        done = 0
        while done < n:
            m = min(CHUNK, n - done)
            yield self.table(m)
            done += m


def write_csv(path: str | os.PathLike[str], dataset: str, n: int, seed: int = 1,
              design: Design | str | None = None, invalid_rate: float = 0.02) -> int:
    """Write ``n`` synthetic records of ``dataset`` as CSV with a header; return the count."""
    from hrgfast.outfiles import csv_rows

    synth = RecordSynth(dataset, design, seed, invalid_rate)
    written = 0
    with open(Path(path), "wb") as fh:
        for t in synth.tables(n):
            if written == 0:
                fh.write((",".join(t.column_names) + "\n").encode())
            fh.write(csv_rows(t))
            written += t.num_rows
    return written
