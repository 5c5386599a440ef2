"""Finding and loading designs: bundled ones by name, financial year or activity date;
compiled files by path; a user's design folder compiled on the fly (and cached).
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from hrgfast.design import schema as S
from hrgfast.design.artifact import SUFFIX, Artifact, ArtifactError, read_artifact
from hrgfast.design.compiler import (
    DesignError,
    compile_to_file,
    icd10_canonical,
    icd10_key,
    opcs4_key,
    source_checksum,
)

DEFAULT_DESIGN = "open-2024-25"


def _bundled_dir() -> Path:
    return Path(str(resources.files("hrgfast").joinpath("designs")))


def _strings(arrays: dict[str, np.ndarray], name: str) -> list[str]:
    offsets, blob = arrays[name + ".offsets"], arrays[name + ".blob"].tobytes()
    return [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]


def _decode(a: np.ndarray) -> list[str]:
    return [x.decode("ascii") for x in a.tolist()]


@dataclass(frozen=True)
class DesignInfo:
    """What ``list_designs`` reports about one design."""

    name: str
    version: str
    title: str
    approximates: str
    official: bool
    valid_from: str
    valid_to: str
    datasets: tuple[str, ...]
    path: Path


class Design:
    """A compiled design, memory-mapped: the tables the engine reads, plus look-ups
    that explain what a code or HRG means in this design."""

    def __init__(self, artifact: Artifact) -> None:
        self.artifact = artifact
        self.arrays = artifact.arrays
        self.meta: dict[str, Any] = artifact.meta
        self.name: str = self.meta["name"]
        self.version: str = self.meta["version"]
        hrg_code = self.arrays["hrg_code"]
        self.uz01z = int(np.searchsorted(hrg_code, b"UZ01Z"))
        if self.uz01z >= len(hrg_code) or hrg_code[self.uz01z] != b"UZ01Z":
            raise ArtifactError(f"{artifact.path}: design has no UZ01Z")

    def __repr__(self) -> str:
        return f"<Design {self.name} {self.version} ({self.meta['title']})>"

    # --- metadata ---------------------------------------------------------------
    @property
    def info(self) -> DesignInfo:
        m = self.meta
        return DesignInfo(m["name"], m["version"], m["title"], m.get("approximates", ""),
                          bool(m.get("official", False)), m["valid_from"], m["valid_to"],
                          tuple(m["datasets"]), self.artifact.path)

    @property
    def source_sha256(self) -> str:
        return self.meta["source_sha256"]

    def settings(self, dataset: str) -> dict[str, Any]:
        return self.meta.get(dataset.lower(), {})

    # --- string tables (decoded lazily, once) -------------------------------------
    @functools.cached_property
    def hrg_codes(self) -> list[str]:
        return _decode(self.arrays["hrg_code"])

    @functools.cached_property
    def hrg_labels(self) -> list[str]:
        return _strings(self.arrays, "hrg_label")

    @functools.cached_property
    def root_codes(self) -> list[str]:
        return _decode(self.arrays["root_code"])

    @functools.cached_property
    def subchapter_codes(self) -> list[str]:
        return _decode(self.arrays["subch_code"])

    @functools.cached_property
    def rule_sources(self) -> list[str]:
        return _strings(self.arrays, "rule_source")

    @functools.cached_property
    def rule_texts(self) -> list[str]:
        return _strings(self.arrays, "rule_text")

    @functools.cached_property
    def _hrg_index(self) -> dict[str, int]:
        return {h: i for i, h in enumerate(self.hrg_codes)}

    def hrg_label(self, hrg: str) -> str:
        return self.hrg_labels[self._hrg_index[hrg]]

    def hrgs(self, dataset: str | None = None, kind: str | None = None) -> list[dict[str, str]]:
        """The HRGs this design can assign: code, label, kind and datasets."""
        tab = self.arrays["hrg"]
        kinds = {v: k for k, v in S.HRG_KIND.items()}
        out = []
        for i, code in enumerate(self.hrg_codes):
            ds = [d for d, bit in S.DATASET_BIT.items() if tab[i]["datasets"] & bit]
            k = kinds[int(tab[i]["kind"])]
            if (dataset is None or dataset in ds) and (kind is None or kind == k):
                out.append({"hrg": code, "label": self.hrg_labels[i], "kind": k,
                            "datasets": ";".join(ds)})
        return out

    # --- roots and split rules -------------------------------------------------------
    def split_rules(self, root: str) -> list[tuple[str, str]]:
        """The root's split rules in order: (HRG, condition text; '' = always)."""
        r = self.root_codes.index(root)
        a = self.arrays
        start, stop = a["root_rule_start"][r], a["root_rule_start"][r + 1]
        return [(self.hrg_codes[a["rule_target"][k]], self.rule_texts[k])
                for k in range(start, stop)]

    def logic_rules(self, dataset: str) -> list[tuple[str, str]]:
        """A record logic's decision list in order: (HRG or root, condition; '' = always)."""
        k = S.LOGIC_DATASETS.index(dataset.upper())
        a = self.arrays
        start, stop = a["logic_rule_start"][k], a["logic_rule_start"][k + 1]
        n_hrg = len(self.hrg_codes)
        out = []
        for r in range(start, stop):
            t = int(a["rule_target"][r])
            out.append((self.hrg_codes[t] if t < n_hrg else self.root_codes[t - n_hrg],
                        self.rule_texts[r]))
        return out

    def choose_split(self, root: str, **variables: int) -> str | None:
        """The HRG the root's split rules give for these variable values (unset = 0);
        mirrors src/_engine/rules.pxd."""
        unknown = set(variables) - set(S.VARIABLES)
        if unknown:
            raise KeyError(f"unknown variable(s) {sorted(unknown)}; use {S.VARIABLES}")
        vals = [int(variables.get(v, 0)) for v in S.VARIABLES]
        r = self.root_codes.index(root)
        a = self.arrays
        for k in range(a["root_rule_start"][r], a["root_rule_start"][r + 1]):
            conds = a["cond"][a["rule_cond_start"][k]:a["rule_cond_start"][k + 1]]
            if all(c["lo"] <= vals[c["var"]] <= c["hi"] for c in conds):
                return self.hrg_codes[a["rule_target"][k]]
        return None

    def reachable_roots(self) -> set[str]:
        """Roots some code, core-logic rule or global exception can lead to (and UZ01)."""
        a = self.arrays
        ids: set[int] = set()
        for tab in (a["dx"], a["px"]):
            for col in ("root", "paed_root"):
                ids.update(int(v) for v in np.unique(tab[col]) if v >= 0)
        starts = a["core_rule_start"]
        ids.update(int(t) for t in a["rule_target"][starts[0]:starts[-1]])
        ids.update(int(a["rule_target"][g["rule"]]) for g in a["gx"])
        ids.add(int(a["hrg"]["root"][self.uz01z]))
        return {self.root_codes[i] for i in ids}

    # --- code look-ups ---------------------------------------------------------------
    def diagnosis_id(self, code: str) -> int:
        k = icd10_key(code)
        return int(self.arrays["dx_key_to_id"][k]) if k >= 0 else -1

    def procedure_id(self, code: str) -> int:
        k = opcs4_key(code)
        return int(self.arrays["px_key_to_id"][k]) if k >= 0 else -1

    def _root(self, idx: int) -> str | None:
        return self.root_codes[idx] if idx >= 0 else None

    def cc_weight(self, icd10_code: str, subchapter: str) -> int:
        """CC weight of a secondary diagnosis on a subchapter's CC list (0 if none)."""
        i = self.diagnosis_id(icd10_code)
        if i < 0:
            raise KeyError(f"{icd10_code!r} is not an ICD-10 code of design {self.name}")
        try:
            s = self.subchapter_codes.index(subchapter)
        except ValueError:
            raise KeyError(f"{subchapter!r} is not a subchapter of design {self.name}") from None
        return int(self.arrays["cc_weights"][self.arrays["dx"][i]["cc_profile"], s])

    def cc_breakdown(self, primary: str | None, secondaries: list[str],
                     subchapter: str) -> list[tuple[str, int, str]]:
        """Each secondary's contribution to the CC score on ``subchapter``:
        (code, weight counted, reason). Mirrors src/_engine/ccscore.pxd for explanations."""
        p = self.diagnosis_id(primary) if primary else -1
        dx = self.arrays["dx"]
        bits = self.arrays["excl_bits"]
        same_cat = bool(self.settings("APC").get("cc_exclude_same_category", True))
        seen: set[int] = set()
        out = []
        for code in secondaries:
            i = self.diagnosis_id(code)
            if i < 0:
                out.append((code, 0, "not a valid code"))
                continue
            w = self.cc_weight(code, subchapter)
            if i == p:
                reason, w = "same code as the primary diagnosis", 0
            elif w == 0:
                reason = f"not on the {subchapter} CC list"
            elif p >= 0 and same_cat and dx[i]["category"] == dx[p]["category"]:
                reason, w = "same 3-character category as the primary", 0
            elif p >= 0 and dx[p]["excl_class"] >= 0 and \
                    (int(bits[dx[p]["excl_class"], i >> 6]) >> (i & 63)) & 1:
                reason, w = "excluded by the primary diagnosis (cc_exclusions)", 0
            elif i in seen:
                reason, w = "repeats an earlier code", 0
            else:
                reason = f"weight {w} on the {subchapter} CC list"
                seen.add(i)
            out.append((self.arrays["dx_code"][i].decode(), w, reason))
        return out

    def diagnosis(self, code: str) -> dict[str, Any]:
        """What this design does with an ICD-10 code."""
        i = self.diagnosis_id(code)
        if i < 0:
            return {"code": icd10_canonical(code) if icd10_key(code) >= 0 else code,
                    "valid": False}
        rec = self.arrays["dx"][i]
        errors = {v: k for k, v in S.PRIMARY_ERROR.items()}
        burns = {v: k for k, v in S.BURN.items()}
        sites = self.meta.get("trauma_sites", [])
        weights = self.arrays["cc_weights"][rec["cc_profile"]]
        return {
            "code": self.arrays["dx_code"][i].decode(), "valid": True,
            "mapped_by": self.arrays["dx_map_prefix"][i].decode() or None,
            "root": self._root(int(rec["root"])),
            "paediatric_root": self._root(int(rec["paed_root"])),
            "primary_error": errors.get(int(rec["primary_error"])) or None,
            "age_range": [int(rec["age_min"]), int(rec["age_max"])],
            "trauma_site": sites[rec["trauma_site"] - 1] if rec["trauma_site"] > 0 else None,
            "burn": burns.get(int(rec["burn"])) or None,
            "spell_skip": bool(rec["flags"] & S.DX_SPELL_SKIP),
            "cc_weights": {s: int(w) for s, w in zip(self.subchapter_codes, weights, strict=True)
                           if w},
        }

    def procedure(self, code: str) -> dict[str, Any]:
        """What this design does with an OPCS-4 code."""
        i = self.procedure_id(code)
        if i < 0:
            return {"code": code.strip().upper().replace(".", ""), "valid": False}
        rec = self.arrays["px"][i]
        errors = {v: k for k, v in S.PROC_ERROR.items()}
        return {
            "code": self.arrays["px_code"][i].decode(), "valid": True,
            "mapped_by": self.arrays["px_map_prefix"][i].decode() or None,
            "hierarchy": int(rec["hierarchy"]), "root": self._root(int(rec["root"])),
            "paediatric_root": self._root(int(rec["paed_root"])),
            "unbundled_root": self._root(int(rec["unbundled"])),
            "intervention": bool(rec["flags"] & S.PX_INTERVENTION),
            "error": errors.get(int(rec["error"])) or None,
        }

    # --- enumerated field values -------------------------------------------------------
    def field_values(self, dataset: str, field: str) -> list[str]:
        key = f"fv.{dataset}.{field}.values"
        return _decode(self.arrays[key]) if key in self.arrays else []

    def field_keys(self, dataset: str, field: str) -> np.ndarray:
        return self.arrays.get(f"fv.{dataset}.{field}.keys", np.zeros(0, np.uint64))

    def field_flags(self, dataset: str, field: str) -> np.ndarray:
        return self.arrays.get(f"fv.{dataset}.{field}.flags", np.zeros(0, np.uint8))

    def unbundled_trigger(self, dataset: str, field: str) -> np.ndarray:
        n = len(self.field_keys(dataset, field))
        return self.arrays.get(f"ubt.{dataset}.{field}", np.full(n, -1, np.int32))


# --- finding designs ----------------------------------------------------------------------

def _bundled_paths() -> list[Path]:
    d = _bundled_dir()
    return sorted(d.glob("*" + SUFFIX)) if d.is_dir() else []


@functools.lru_cache(maxsize=32)
def _load_path(path: str, mtime_ns: int, size: int) -> Design:
    return Design(read_artifact(path))


def _load_file(path: Path) -> Design:
    st = path.stat()
    return _load_path(str(path.resolve()), st.st_mtime_ns, st.st_size)


def list_designs() -> list[DesignInfo]:
    """The designs bundled with this installation, oldest first."""
    out = [_load_file(p).info for p in _bundled_paths()]
    return sorted(out, key=lambda i: (i.valid_from, i.name))


def _cache_dir() -> Path:
    """Where compiled user designs are kept: $HRGFAST_CACHE, else the user cache dir."""
    if os.environ.get("HRGFAST_CACHE"):
        candidates = [Path(os.environ["HRGFAST_CACHE"])]
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        candidates = [(Path(xdg) if xdg else Path.home() / ".cache") / "hrgfast" / "designs"]
    candidates.append(Path(tempfile.gettempdir()) / "hrgfast-designs")
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    raise OSError("no writable cache directory for compiled designs; set HRGFAST_CACHE")


@functools.lru_cache(maxsize=1)
def _compiler_digest() -> str:
    """Hash of the compiler's own code: a cached artifact from another compiler is stale."""
    h = hashlib.sha256()
    for mod in ("compiler.py", "schema.py", "artifact.py"):
        h.update((Path(__file__).parent / mod).read_bytes())
    return h.hexdigest()


def compile_design(folder: str | os.PathLike[str],
                   out: str | os.PathLike[str] | None = None) -> Path:
    """Compile a design source folder; return the artifact path (cached by checksum)."""
    src = Path(folder)
    if out is not None:
        return compile_to_file(src, out)
    digest = hashlib.sha256((source_checksum(src) + _compiler_digest()).encode()).hexdigest()[:20]
    target = _cache_dir() / f"{src.resolve().name}-{digest}{SUFFIX}"
    if not target.exists():
        compile_to_file(src, target)
    return target


def _parse_date(value: str | _dt.date) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return _dt.datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or YYYYMMDD)")


def _financial_year(value: str | int) -> tuple[_dt.date, _dt.date]:
    s = str(value).strip()
    m = re.fullmatch(r"(?:FY)?\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})", s) or re.fullmatch(r"(\d{4})", s)
    if not m:
        raise ValueError(f"not a financial year: {value!r} (use e.g. 2024/25)")
    start = int(m.group(1))
    return _dt.date(start, 4, 1), _dt.date(start + 1, 3, 31)


def load_design(name: str | os.PathLike[str] | Design | None = None, *,
                year: str | int | None = None,
                date: str | _dt.date | None = None) -> Design:
    """Load a design.

    ``name`` is a bundled design name, a compiled ``.hrgd`` file, or a design source
    folder (compiled on the fly and cached). Instead of a name, give the financial
    ``year`` (``"2024/25"``) or an activity ``date``: the bundled design valid then is
    used. With nothing given, the default bundled design is loaded.
    """
    if isinstance(name, Design):
        return name
    if name is not None and (year is not None or date is not None):
        raise ValueError("give a design name, a year or a date, not several")
    if name is None and year is None and date is None:
        name = DEFAULT_DESIGN
    if name is not None:
        p = Path(name)
        if p.is_dir():
            try:
                return _load_file(compile_design(p))
            except DesignError:
                raise
        if p.suffix == SUFFIX or p.is_file():
            return _load_file(p)
        for path in _bundled_paths():
            if path.stem == str(name):
                return _load_file(path)
        known = ", ".join(p.stem for p in _bundled_paths()) or "none"
        raise LookupError(f"no design named {str(name)!r} (bundled: {known}); "
                          "give a bundled name, a .hrgd file or a design folder")
    if year is not None:
        lo, hi = _financial_year(year)
    else:
        lo = hi = _parse_date(date)  # type: ignore[arg-type]
    hits = [i for i in list_designs()
            if i.valid_from <= lo.isoformat() and hi.isoformat() <= i.valid_to]
    if not hits:
        when = f"financial year {year}" if year is not None else f"date {lo}"
        raise LookupError(f"no bundled design covers {when}")
    # prefer an official design if one is installed, then the latest version
    hits.sort(key=lambda i: (i.official, i.valid_from, i.version))
    return _load_file(hits[-1].path)
