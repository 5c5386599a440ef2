"""Synthetic HES-like APC episodes, for benchmarks and tests at any size.

Seeded and vectorised: each chunk is drawn as NumPy arrays, turned into Arrow strings
by ``take`` on small dictionaries, and joined into CSV lines in Cython, so 100 million
episodes stream to disk in minutes with bounded memory.

Shape (judgement, loosely modelled on published HES summary statistics): ~1.3 episodes
per spell; adults skewed old, ~15% children; a few secondary diagnoses per episode, more
with age; ~45% of episodes with a procedure; common codes drawn from a curated list of
frequent diagnoses and procedures, the rest from the design's whole code lists; and a
small share of invalid records (blank or invalid fields, invalid codes, spell
inconsistencies) so the error paths are exercised too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast.design.loader import Design, load_design

FIELDS = (["PROCODET", "PROVSPNO", "EPIORDER", "STARTAGE", "SEX", "CLASSPAT", "ADMISORC",
           "ADMIMETH", "DISDEST", "DISMETH", "EPIDUR", "MAINSPEF", "NEOCARE", "TRETSPEF"]
          + [f"DIAG_{i:02d}" for i in range(1, 15)] + [f"OPER_{i:02d}" for i in range(1, 13)]
          + ["CRITICALCAREDAYS", "REHABILITATIONDAYS", "SPCDAYS"])

# frequent primary diagnoses in English admitted care (UK 4-character form)
COMMON_DX = """R074 R104 J189 N390 J441 I500 R69X A099 L031 I480 K590 R55X S7200 C509 Z511
N179 J22X I639 R51X F050 K529 R11X K219 E86X R060 I214 J069 R296 T391 K802 N189 D649 R509
K922 O800 O470 Z380 J459 J219 M179 M169 H251 N40X K409 K573 C189 C61X C349 C679 I10X E119
I209 R072 R073 K358 K810 G459 G409 F101 A419 J90X N200 N185 K297 K625 K635 D509 R31X R33X
R18X T810 Z501 M545 S0600 S5250 S8260 I269 I802 K566 K260 K250 I350 I251 E162 G35X G20X
G439 H811 R42X R402 R568 R634 Z099 Z038 Z470 M796 M255 M199 L899 I739 I702 K703 K746 B349
A084 J181 J960 J849 J47X J42X""".split()
# frequent procedures (OPCS-4, 4-character form)
COMMON_PX = """X292 X403 U051 U212 U201 G451 H221 H251 H201 C751 C712 W371 W401 W381 W461
W191 W241 T201 J183 H011 M651 M459 M479 K634 K751 K491 E492 A521 A577 S069 S062 Q075
Q103 R249 R179 R182 X339 X701 X723 X352 X381 X721 X965 L913 L912 T461 T432 E851 E856
Y981 Y534 Z942 Z943 Y753""".split()
PROVIDERS = pa.array([f"R{a}{b}" for a in "ABCDEFGHJK" for b in "ABCDEFGHJK"], pa.string())
# method/site codes that accompany procedures
SUBSIDIARY_PX = {"Y", "Z"}


def _weights(n: int, head: int, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like popularity: a heavy head of common codes and a long tail."""
    w = 1.0 / (np.arange(1, n + 1) ** 1.1)
    w[head:] *= 0.15
    return w / w.sum()


class Synth:
    """Draws chunks of synthetic APC episodes; the same seed gives the same data."""

    def __init__(self, design: Design | str | None = None, seed: int = 1,
                 invalid_rate: float = 0.02) -> None:
        self.design = load_design(design)
        self.rng = np.random.default_rng(seed)
        self.invalid_rate = invalid_rate
        dx_all = [c.decode() for c in self.design.arrays["dx_code"].tolist()]
        mapped = self.design.arrays["dx"]["flags"] & 1
        usable = [c for c, m in zip(dx_all, mapped, strict=True) if m and c[0] not in "VWXY"]
        common = [c for c in COMMON_DX if self.design.diagnosis_id(c) >= 0]
        tail = [c for c in usable if c not in set(common)]
        self.rng.shuffle(tail)
        self.dx = np.array(common + tail, dtype=object)
        self.dx_p = _weights(len(self.dx), len(common), self.rng)
        px_all = [c.decode() for c in self.design.arrays["px_code"].tolist()]
        common_px = [c for c in COMMON_PX if self.design.procedure_id(c) >= 0]
        tail_px = [c for c in px_all if c[0] not in SUBSIDIARY_PX and c not in set(common_px)]
        self.rng.shuffle(tail_px)
        self.px = np.array(common_px + tail_px, dtype=object)
        self.px_p = _weights(len(self.px), len(common_px), self.rng)
        self.sub = np.array([c for c in px_all if c[0] in SUBSIDIARY_PX], dtype=object)
        self.spell_no = 0
        self.values = {f: self.design.field_values("APC", f) for f in
                       ("MAINSPEF", "TRETSPEF", "ADMISORC", "DISDEST")}

    def _pick(self, values: np.ndarray, p: np.ndarray | None, n: int) -> np.ndarray:
        return self.rng.choice(len(values), size=n, p=p)

    def chunk(self, n_spells: int) -> pa.Table:
        """Episodes of ``n_spells`` whole spells, ordered by spell and episode."""
        rng = self.rng
        eps = np.minimum(rng.geometric(0.78, n_spells), 20)
        n = int(eps.sum())
        spell = np.repeat(np.arange(self.spell_no, self.spell_no + n_spells), eps)
        first = np.r_[0, np.cumsum(eps)[:-1]]
        epiorder = np.arange(n) - np.repeat(first, eps) + 1
        last = np.r_[first[1:] - 1, n - 1] if n_spells else first
        self.spell_no += n_spells

        child = rng.random(n_spells) < 0.15
        age_s = np.where(child, rng.integers(0, 19, n_spells),
                         np.clip(rng.normal(62, 19, n_spells), 19, 104).astype(int))
        age = np.repeat(age_s, eps)
        sex = np.repeat(rng.choice(np.array(["1", "2"]), n_spells, p=[0.46, 0.54]), eps)
        elective = np.repeat(rng.random(n_spells) < 0.42, eps)
        daycase = elective & np.repeat(rng.random(n_spells) < 0.55, eps)
        admimeth = np.where(elective, rng.choice(np.array(["11", "12", "13"]), n),
                            rng.choice(np.array(["21", "22", "23", "28", "2A", "31", "81"]), n,
                                       p=[0.6, 0.15, 0.05, 0.1, 0.04, 0.04, 0.02]))
        admimeth = np.repeat(admimeth[first], eps)
        classpat = np.where(daycase, "2", "1")
        epidur = np.where(daycase, 0, rng.geometric(0.22, n) - 1)
        is_last = np.zeros(n, bool)
        is_last[last] = True
        disdest = np.where(is_last, "19", "98")
        dismeth = np.where(is_last, np.where(rng.random(n) < 0.03, "4", "1"), "8")
        cc_days = np.where(rng.random(n) < 0.03, rng.integers(1, 6, n), 0)
        cc_days = np.minimum(cc_days, epidur)

        ndiag = np.clip(rng.poisson(1.0 + age / 18.0), 0, 13) + 1
        dx_idx = self._pick(self.dx, self.dx_p, n * 14).reshape(n, 14)
        npx = np.where(daycase | (rng.random(n) < 0.35), rng.integers(1, 4, n), 0)
        px_idx = self._pick(self.px, self.px_p, n * 12).reshape(n, 12)
        sub_idx = rng.integers(0, max(len(self.sub), 1), (n, 12))

        cols: dict[str, pa.Array] = {
            # providers change every million spells, so the file stays sorted by spell key
            "PROCODET": pc.take(PROVIDERS, pa.array((spell // 1_000_000) % len(PROVIDERS))),
            "PROVSPNO": pc.cast(pa.array(spell + 100000000), pa.string()),
            "EPIORDER": pc.cast(pa.array(epiorder), pa.string()),
            "STARTAGE": pc.cast(pa.array(age), pa.string()),
            "SEX": pa.array(sex), "CLASSPAT": pa.array(classpat),
            "ADMISORC": pa.array(np.repeat(rng.choice(np.array(["19", "19", "19", "51", "54"]),
                                                      n_spells), eps)),
            "ADMIMETH": pa.array(admimeth), "DISDEST": pa.array(disdest),
            "DISMETH": pa.array(dismeth), "EPIDUR": pc.cast(pa.array(epidur), pa.string()),
        }
        spef = np.array(["300", "100", "110", "320", "340", "430", "420", "301", "101", "502"])
        sp = rng.integers(0, len(spef), n)
        cols["MAINSPEF"] = pa.array(spef[sp])
        cols["NEOCARE"] = pa.array(np.full(n, "8"))
        cols["TRETSPEF"] = pa.array(spef[sp])
        dx_dict = pa.array(list(self.dx) + [""], pa.string())
        px_dict = pa.array(list(self.px) + list(self.sub) + [""], pa.string())
        blank_dx, blank_px = len(self.dx), len(self.px) + len(self.sub)
        for j in range(14):
            idx = np.where(j < ndiag, dx_idx[:, j], blank_dx)
            cols[f"DIAG_{j + 1:02d}"] = pc.take(dx_dict, pa.array(idx))
        for j in range(12):
            if j % 2 == 0:
                idx = np.where(j // 2 < npx, px_idx[:, j], blank_px)
            else:  # a site/method code after some procedures
                with_sub = (j // 2 < npx) & (rng.random(n) < 0.4)
                idx = np.where(with_sub, len(self.px) + sub_idx[:, j], blank_px)
            cols[f"OPER_{j + 1:02d}"] = pc.take(px_dict, pa.array(idx))
        cols["CRITICALCAREDAYS"] = pc.cast(pa.array(cc_days), pa.string())
        cols["REHABILITATIONDAYS"] = pa.array(np.full(n, "0"))
        cols["SPCDAYS"] = pa.array(np.full(n, "0"))
        table = pa.table({f: cols[f] for f in FIELDS})
        return self._corrupt(table)

    def _corrupt(self, t: pa.Table) -> pa.Table:
        """Make ~invalid_rate of the records invalid in one of several ways."""
        n = t.num_rows
        bad = np.flatnonzero(self.rng.random(n) < self.invalid_rate)
        if not len(bad):
            return t
        kinds = self.rng.integers(0, 6, len(bad))
        edits = {"SEX": (0, "7"), "DIAG_01": (1, ""), "EPIDUR": (2, ""),
                 "CLASSPAT": (3, "10"), "ADMISORC": (4, "26"), "DIAG_02": (5, "Q999")}
        for field, (kind, value) in edits.items():
            rows = bad[kinds == kind]
            if not len(rows):
                continue
            col = t.column(field).combine_chunks().to_numpy(zero_copy_only=False).copy()
            col[rows] = value
            t = t.set_column(t.column_names.index(field), field, pa.array(col, pa.string()))
        return t

    def tables(self, episodes: int, chunk_episodes: int = 500_000) -> Iterator[pa.Table]:
        """About ``episodes`` episodes (whole spells), in chunks."""
        made = 0
        while made < episodes:
            want = min(chunk_episodes, episodes - made)
            t = self.chunk(max(1, int(want / 1.28)))
            if made + t.num_rows > episodes:  # trim to whole spells near the target
                t = t.slice(0, episodes - made)
            made += t.num_rows
            yield t


def write_csv(path: str | os.PathLike[str], episodes: int, seed: int = 1,
              design: Design | str | None = None, invalid_rate: float = 0.02,
              header: bool = True) -> int:
    """Write ``episodes`` synthetic episodes as official-format CSV; return the count."""
    from hrgfast.outfiles import csv_rows

    synth = Synth(design, seed, invalid_rate)
    written = 0
    with open(Path(path), "wb") as fh:
        if header:
            fh.write((",".join(FIELDS) + "\n").encode())
        for t in synth.tables(episodes):
            fh.write(csv_rows(t))
            written += t.num_rows
    return written


def write_parquet(path: str | os.PathLike[str], episodes: int, seed: int = 1,
                  design: Design | str | None = None, invalid_rate: float = 0.02) -> int:
    """Write ``episodes`` synthetic episodes as Parquet (string columns); return the count."""
    import pyarrow.parquet as pq

    synth = Synth(design, seed, invalid_rate)
    written = 0
    writer = None
    try:
        for t in synth.tables(episodes):
            if writer is None:
                writer = pq.ParquetWriter(str(path), t.schema)
            writer.write_table(t)
            written += t.num_rows
    finally:
        if writer is not None:
            writer.close()
    return written
