"""Design compiler: a folder of human-readable tables -> one dense, integer-encoded artifact.

Run by CMake at build time for every folder in ``data/`` and by ``hrgfast design
compile`` / :func:`hrgfast.load_design` for a user's own folder. The output depends
only on the bytes of the source files, so compiling twice gives identical artifacts.

Every code prefix, root and condition is resolved here, once, so that the engine
only ever does array look-ups: longest-prefix rules become one struct per code,
CC lists become deduplicated weight profiles, exclusion lists become bitsets and
split conditions become (variable, low, high) triples.

Imports only the standard library and NumPy (see ``artifact.py``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import hashlib
import io
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

if __package__ in (None, ""):  # run as a script by CMake: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hrgfast.design import schema as S  # noqa: E402
from hrgfast.design.artifact import SUFFIX, write_artifact  # noqa: E402

COMPILER_ID = "hrgfast-design-compiler/1"
_HRG_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]$")
_ROOT_RE = re.compile(r"^[A-Z]{2}[0-9]{2}$")


class DesignError(ValueError):
    """The design source is malformed; the message names the file and line."""


@dataclass
class Row:
    file: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def fail(self, msg: str) -> DesignError:
        return DesignError(f"{self.where()}: {msg}")


# --- code keys: must match src/_engine/codes.pxd -----------------------------------

def icd10_key(code: str) -> int:
    """Dense key of an ICD-10 code (UK 4/5-character form), or -1 if malformed."""
    c = code.strip().upper().replace(".", "")
    if len(c) == 3:
        c += "X"
    if not 4 <= len(c) <= 5 or not ("A" <= c[0] <= "Z") or not c[1:3].isdigit():
        return -1
    c3 = c[3]
    if c3 in "X-":
        v3 = 1
    elif c3.isdigit():
        v3 = 2 + int(c3)
    else:
        return -1
    v4 = 0
    if len(c) == 5:
        c4 = c[4]
        if c4.isdigit():
            v4 = 1 + int(c4)
        elif c4 == "X":
            v4 = 11
        else:
            return -1
    return (((ord(c[0]) - 65) * 100 + int(c[1:3])) * 12 + v3) * 12 + v4


def icd10_canonical(code: str) -> str:
    c = code.strip().upper().replace(".", "")
    if len(c) == 3:
        c += "X"
    return c[:3] + ("X" if c[3] == "-" else c[3]) + c[4:]


def opcs4_key(code: str) -> int:
    """Dense key of a four-character OPCS-4 code, or -1 if malformed."""
    c = code.strip().upper().replace(".", "")
    if len(c) != 4 or not ("A" <= c[0] <= "Z") or not c[1:].isdigit():
        return -1
    return (ord(c[0]) - 65) * 1000 + int(c[1:])


def pack_value(value: str) -> int:
    """Pack a field value of up to 8 ASCII bytes into a uint64 (big-endian, zero padded)."""
    raw = value.encode("ascii")
    if not 0 < len(raw) <= 8:
        raise ValueError(f"field value {value!r} must be 1-8 ASCII characters")
    return int.from_bytes(raw.ljust(8, b"\0"), "big")


def _norm_value(dataset: str, field: str, value: str) -> str:
    """A field value as the engine compares it: leading zeros dropped (as the encoder
    drops them from input) unless they are significant for this field."""
    if (dataset, field) in S.ZEROS_SIGNIFICANT:
        return value
    while len(value) > 1 and value[0] == "0":
        value = value[1:]
    return value


# --- reading ----------------------------------------------------------------------

def _table_parts(src: Path, name: str) -> list[Path]:
    """A table is ``name.csv`` or a folder ``name/`` of ``*.csv`` parts (read in name order)."""
    single, folder = src / name, src / Path(name).stem
    if single.is_file() and folder.is_dir():
        raise DesignError(f"{name}: give the table as {name} or as {folder.name}/, not both")
    if single.is_file():
        return [single]
    if folder.is_dir():
        parts = sorted(folder.glob("*.csv"))
        if not parts:
            raise DesignError(f"{folder.name}/: folder holds no .csv parts")
        return parts
    return []


def _read_part(path: Path, label: str, required: tuple[str, ...],
               optional: tuple[str, ...]) -> list[Row]:
    text = path.read_bytes().decode("utf-8-sig")
    numbered = [(i + 1, ln) for i, ln in enumerate(text.splitlines())
                if ln.strip() and not ln.startswith("#")]
    if not numbered:
        raise DesignError(f"{label}: empty table (a header row is required)")
    rows = list(csv.reader(io.StringIO("\n".join(ln for _, ln in numbered))))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise DesignError(f"{label}:{numbered[0][0]}: missing column(s) {', '.join(missing)}")
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        raise DesignError(f"{label}:{numbered[0][0]}: unknown column(s) {', '.join(unknown)}")
    out = []
    for (lineno, _), cells in zip(numbered[1:], rows[1:], strict=True):
        if len(cells) > len(header):
            raise DesignError(f"{label}:{lineno}: {len(cells)} cells, header has {len(header)}")
        cells = cells + [""] * (len(header) - len(cells))
        out.append(Row(label, lineno, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return out


def _read_table(src: Path, name: str) -> list[Row]:
    required, optional = S.TABLES[name]
    parts = _table_parts(src, name)
    if not parts:
        if name in S.OPTIONAL_TABLES:
            return []
        raise DesignError(f"{name}: required table is missing from {src}")
    rows: list[Row] = []
    for part in parts:
        rows.extend(_read_part(part, part.relative_to(src).as_posix(), required, optional))
    return rows


def source_files(src: Path) -> list[Path]:
    """Every file the compiler reads, in a fixed order."""
    files = [src / "design.toml"] if (src / "design.toml").is_file() else []
    for name in sorted(S.TABLES):
        files.extend(_table_parts(src, name))
    return files


def source_checksum(src: Path) -> str:
    """SHA-256 over the relative names and bytes of every file the compiler reads."""
    h = hashlib.sha256()
    for p in source_files(src):
        data = p.read_bytes()
        h.update(p.relative_to(src).as_posix().encode() + b"\0"
                 + len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


# --- helpers ------------------------------------------------------------------------

def _int(row: Row, col: str, default: int, lo: int = S.INT_MIN, hi: int = S.INT_MAX) -> int:
    v = row[col]
    if v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise row.fail(f"{col} must be an integer, got {v!r}") from None
    if not lo <= n <= hi:
        raise row.fail(f"{col} must be in {lo}..{hi}, got {n}")
    return n


def _enum(row: Row, col: str, table: dict[str, int]) -> int:
    v = row[col]
    if v not in table:
        allowed = ", ".join(k or "(blank)" for k in table)
        raise row.fail(f"{col} {v!r} is not one of: {allowed}")
    return table[v]


def _flag(row: Row, col: str) -> bool:
    v = row[col].upper()
    if v not in ("", "Y", "N"):
        raise row.fail(f"{col} must be Y, N or blank, got {row[col]!r}")
    return v == "Y"


_TERM = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|=|>|<|in)\s*(-?\d+)(?:\s*\.\.\s*(-?\d+))?\s*$")


def parse_condition(text: str, row: Row | None = None,
                    variables: dict[str, int] | None = None) -> list[tuple[int, int, int]]:
    """Parse ``age>=19 & cc in 5..7`` into sorted (variable slot, low, high) triples;
    ``variables`` names the slots (default: the APC split variables)."""
    variables = S.VAR_INDEX if variables is None else variables
    def fail(msg: str) -> DesignError:
        return row.fail(msg) if row else DesignError(msg)

    if not text.strip():
        return []
    ranges: dict[int, tuple[int, int]] = {}
    for term in re.split(r"&|\band\b", text):
        m = _TERM.match(term)
        if not m:
            raise fail(f"cannot parse condition term {term.strip()!r} in {text!r}")
        var, op, a, b = m.groups()
        if var not in variables:
            raise fail(f"unknown variable {var!r}; use one of {', '.join(variables)}")
        n = int(a)
        if (op == "in") != (b is not None):
            raise fail(f"'in' needs a range lo..hi: {term.strip()!r}")
        lo, hi = {">=": (n, S.INT_MAX), ">": (n + 1, S.INT_MAX), "<=": (S.INT_MIN, n),
                  "<": (S.INT_MIN, n - 1), "=": (n, n), "==": (n, n),
                  "in": (n, int(b) if b else n)}[op]
        slot = variables[var]
        old_lo, old_hi = ranges.get(slot, (S.INT_MIN, S.INT_MAX))
        ranges[slot] = (max(lo, old_lo), min(hi, old_hi))
        if ranges[slot][0] > ranges[slot][1]:
            raise fail(f"condition {text!r} can never hold")
    return sorted((v, lo, hi) for v, (lo, hi) in ranges.items())


def _blob(strings: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    return offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()


def _longest_prefix(code: str, table: dict[str, Any]) -> str | None:
    """The longest key of ``table`` that is a prefix of ``code``."""
    for n in range(len(code), 0, -1):
        if code[:n] in table:
            return code[:n]
    return None


class _RulePool:
    """Condition rules shared by splits, core logic and global exceptions."""

    def __init__(self) -> None:
        self.target: list[int] = []
        self.cond_start: list[int] = [0]
        self.conds: list[tuple[int, int, int]] = []
        self.source: list[str] = []
        self.text: list[str] = []

    def add(self, target: int, conds: list[tuple[int, int, int]], source: str,
            text: str = "") -> int:
        self.target.append(target)
        self.conds.extend(conds)
        self.cond_start.append(len(self.conds))
        self.source.append(source)
        self.text.append(text.strip())
        return len(self.target) - 1


# --- the compiler -------------------------------------------------------------------

def _meta(src: Path) -> dict[str, Any]:
    path = src / "design.toml"
    if not path.exists():
        raise DesignError(f"design.toml is missing from {src}")
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DesignError(f"design.toml: {exc}") from exc
    d = doc.get("design", {})
    for key in ("name", "version", "title", "valid_from", "valid_to", "datasets"):
        if key not in d:
            raise DesignError(f"design.toml: [design] needs '{key}'")
    dates = {}
    for key in ("valid_from", "valid_to"):
        v = d[key]
        if isinstance(v, str):
            try:
                v = _dt.date.fromisoformat(v)
            except ValueError:
                raise DesignError(f"design.toml: {key} must be a date, got {v!r}") from None
        if not isinstance(v, _dt.date):
            raise DesignError(f"design.toml: {key} must be a date")
        dates[key] = v.isoformat()
    if dates["valid_from"] > dates["valid_to"]:
        raise DesignError("design.toml: valid_from is after valid_to")
    bad = [x for x in d["datasets"] if x not in S.DATASETS]
    if bad:
        raise DesignError(f"design.toml: unknown dataset(s) {bad}; use {list(S.DATASETS)}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", str(d["name"])):
        raise DesignError("design.toml: name may hold only letters, digits, '.', '_' and '-'")
    apc = doc.get("apc", {})
    nac = doc.get("nac", {})
    acc = doc.get("acc", {})
    organs = acc.get("organ_systems", [["ACSD", "BCSD"], ["ARSD", "BRSD"], ["RSD"], ["NSD"],
                                       ["DSD"], ["LSD"]])
    known = set(S.ACC_SUPPORT_FIELDS)
    flat = [f for system in organs for f in system]
    if (not all(isinstance(f, str) and f in known for f in flat) or len(flat) != len(set(flat))
            or not all(organs) or not isinstance(organs, list)):
        raise DesignError("design.toml: [acc] organ_systems must be non-empty lists of distinct "
                          f"support-day fields from {', '.join(S.ACC_SUPPORT_FIELDS)}")
    return {
        "name": str(d["name"]), "version": str(d["version"]), "title": str(d["title"]),
        "approximates": str(d.get("approximates", "")), "official": bool(d.get("official", False)),
        "description": str(d.get("description", "")).strip(), **dates,
        "datasets": list(d["datasets"]),
        "apc": {"paediatric_max_age": int(apc.get("paediatric_max_age", 18)),
                "cc_exclude_same_category": bool(apc.get("cc_exclude_same_category", True))},
        "nac": {"min_hierarchy": int(nac.get("min_hierarchy", 1))},
        "acc": {"organ_systems": [list(x) for x in organs]},
    }


def compile_design(src: str | Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Compile the design folder ``src``; return (header metadata, named arrays)."""
    src = Path(src)
    if not src.is_dir():
        raise DesignError(f"{src}: not a design folder")
    meta = _meta(src)
    t = {name: _read_table(src, name) for name in S.TABLES}
    arrays: dict[str, np.ndarray] = {}

    # chapters and subchapters
    chapters = {}
    for r in t["chapters.csv"]:
        if not re.fullmatch(r"[A-Z]", r["chapter"]):
            raise r.fail(f"chapter must be one letter, got {r['chapter']!r}")
        if r["chapter"] in chapters:
            raise r.fail(f"duplicate chapter {r['chapter']}")
        chapters[r["chapter"]] = r["name"]
    subch: dict[str, Row] = {}
    for r in t["subchapters.csv"]:
        s = r["subchapter"]
        if not re.fullmatch(r"[A-Z]{2}", s):
            raise r.fail(f"subchapter must be two letters, got {s!r}")
        if s in subch:
            raise r.fail(f"duplicate subchapter {s}")
        if s[0] not in chapters:
            raise r.fail(f"subchapter {s} has no chapter {s[0]} in chapters.csv")
        subch[s] = r
    subch_codes = sorted(subch)
    subch_index = {s: i for i, s in enumerate(subch_codes)}
    chapter_codes = sorted(chapters)

    # HRGs and roots
    hrg_rows: dict[str, Row] = {}
    for r in t["hrgs.csv"]:
        h = r["hrg"]
        if not _HRG_RE.match(h):
            raise r.fail(f"HRG code must look like AA22C, got {h!r}")
        if h in hrg_rows:
            raise r.fail(f"duplicate HRG {h}")
        if h[:2] not in subch:
            raise r.fail(f"HRG {h} is in subchapter {h[:2]}, which subchapters.csv lacks")
        hrg_rows[h] = r
    if "UZ01Z" not in hrg_rows or hrg_rows["UZ01Z"]["kind"] != "error":
        raise DesignError("hrgs.csv: UZ01Z must be present with kind 'error'")
    hrg_codes = sorted(hrg_rows)
    hrg_index = {h: i for i, h in enumerate(hrg_codes)}
    root_codes = sorted({h[:4] for h in hrg_codes})
    root_index = {r: i for i, r in enumerate(root_codes)}
    root_hrgs: dict[str, list[str]] = defaultdict(list)
    hrg_tab = np.zeros(len(hrg_codes), dtype=S.HRG_DTYPE)
    root_kind: dict[str, int] = {}
    for i, h in enumerate(hrg_codes):
        r = hrg_rows[h]
        kind = _enum(r, "kind", S.HRG_KIND)
        if root_kind.setdefault(h[:4], kind) != kind:
            raise r.fail(f"root {h[:4]} mixes HRG kinds")
        ds = [x.strip() for x in r["datasets"].split(";") if x.strip()]
        if not ds or any(x not in S.DATASET_BIT for x in ds):
            raise r.fail(f"datasets must be ';'-separated names from {', '.join(S.DATASETS)}")
        hrg_tab[i]["root"] = root_index[h[:4]]
        hrg_tab[i]["kind"] = kind
        hrg_tab[i]["days_field"] = _enum(r, "days_field", S.DAYS_FIELD)
        hrg_tab[i]["datasets"] = sum(S.DATASET_BIT[x] for x in set(ds))
        hrg_tab[i]["trimpoint"] = _int(r, "trimpoint", -1, 0, 99999)
        root_hrgs[h[:4]].append(h)
    for root, hs in root_hrgs.items():
        zs = [h for h in hs if h[4] == "Z"]
        if len(hs) > 1 and zs:
            raise hrg_rows[zs[0]].fail(f"root {root} mixes split Z with lettered splits")

    def root_ref(row: Row, col: str, kinds: tuple[int, ...], required: bool = False) -> int:
        v = row[col]
        if v == "":
            if required:
                raise row.fail(f"{col} is required")
            return -1
        if not _ROOT_RE.match(v):
            raise row.fail(f"{col} must be a four-character HRG root, got {v!r}")
        if v not in root_index:
            raise row.fail(f"{col} {v} has no HRG in hrgs.csv")
        if root_kind[v] not in kinds:
            want = "/".join(k for k, n in S.HRG_KIND.items() if n in kinds)
            raise row.fail(f"{col} {v} is not a {want} root")
        return root_index[v]

    pool = _RulePool()
    core = (S.HRG_KIND["core"],)
    unb = (S.HRG_KIND["unbundled"],)

    # splits: per root, ordered decision list ending in a catch-all
    split_rows: dict[str, list[Row]] = defaultdict(list)
    for r in t["splits.csv"]:
        h = r["hrg"]
        if h not in hrg_index:
            raise r.fail(f"split target {h!r} is not in hrgs.csv")
        split_rows[h[:4]].append(r)
    root_rule_start = np.zeros(len(root_codes) + 1, dtype=np.int32)
    root_subch = np.zeros(len(root_codes), dtype=np.int32)
    for i, root in enumerate(root_codes):
        root_subch[i] = subch_index[root[:2]]
        rows = split_rows.get(root, [])
        if rows:
            for r in rows:
                pool.add(hrg_index[r["hrg"]], parse_condition(r["when"], r), r.where(), r["when"])
            if rows[-1]["when"].strip():
                raise rows[-1].fail(f"the last split rule of {root} must have an empty "
                                    "'when' (the catch-all)")
            unreachable = set(root_hrgs[root]) - {r["hrg"] for r in rows}
            if unreachable:
                raise rows[0].fail(f"root {root}: no split rule reaches {sorted(unreachable)}")
        elif len(root_hrgs[root]) == 1:
            pool.add(hrg_index[root_hrgs[root][0]], [], "hrgs.csv (single split)")
        # roots with several HRGs and no rules are checked when referenced
        root_rule_start[i + 1] = len(pool.target)
    splittable = {root for root in root_codes if root in split_rows or len(root_hrgs[root]) == 1}

    def used_root(row: Row, col: str, kinds: tuple[int, ...], required: bool = False) -> int:
        idx = root_ref(row, col, kinds, required)
        if idx >= 0 and root_codes[idx] not in splittable:
            raise row.fail(f"root {root_codes[idx]} has several HRGs but no rules in splits.csv")
        return idx

    # ICD-10 universe and diagnosis attributes
    dx_codes: list[str] = []
    seen: dict[int, Row] = {}
    for r in t["icd10_codes.csv"]:
        k = icd10_key(r["code"])
        if k < 0:
            raise r.fail(f"malformed ICD-10 code {r['code']!r}")
        if k in seen:
            raise r.fail(f"duplicate ICD-10 code {r['code']} (first at {seen[k].where()})")
        seen[k] = r
        dx_codes.append(icd10_canonical(r["code"]))
    dx_codes.sort()
    dx_key_to_id = np.full(S.ICD10_KEYS, -1, dtype=np.int32)
    for i, c in enumerate(dx_codes):
        dx_key_to_id[icd10_key(c)] = i
    n_dx = len(dx_codes)

    def prefix_index(rows: list[Row], col: str, universe: list[str], what: str) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for r in rows:
            p = r[col].upper().replace(".", "")
            if not p:
                raise r.fail(f"{col} is blank")
            if p in out:
                raise r.fail(f"duplicate {col} {p} (first at {out[p].where()})")
            lo = _bisect(universe, p)
            if lo >= len(universe) or not universe[lo].startswith(p):
                raise r.fail(f"{col} {p} matches no code in {what}")
            out[p] = r
        return out

    sites: list[str] = sorted({r["trauma_site"] for r in t["diagnoses.csv"] if r["trauma_site"]})
    if len(sites) > 100:
        raise DesignError("diagnoses.csv: more than 100 distinct trauma_site values")
    site_index = {s: i + 1 for i, s in enumerate(sites)}
    dx_rules = prefix_index(t["diagnoses.csv"], "code", dx_codes, "icd10_codes.csv")
    dx_tab = np.zeros(n_dx, dtype=S.DX_DTYPE)
    dx_tab["root"] = -1
    dx_tab["paed_root"] = -1
    dx_tab["excl_class"] = -1
    dx_tab["age_min"] = 0
    dx_tab["age_max"] = 999
    dx_map_prefix = np.zeros(n_dx, dtype="S5")
    parsed_dx: dict[str, tuple] = {}
    for p, r in dx_rules.items():
        parsed_dx[p] = (
            used_root(r, "root", core), used_root(r, "paed_root", core),
            _enum(r, "primary_error", S.PRIMARY_ERROR),
            _int(r, "age_min", 0, 0, 999), _int(r, "age_max", 999, 0, 999),
            site_index.get(r["trauma_site"], 0), _enum(r, "burn", S.BURN),
            _flag(r, "spell_skip"),
        )
        if parsed_dx[p][0] < 0 and parsed_dx[p][2] == 0:
            raise r.fail("a diagnosis rule needs a root or a primary_error")
    categories = sorted({c[:3] for c in dx_codes})
    cat_index = {c: i for i, c in enumerate(categories)}
    for i, c in enumerate(dx_codes):
        dx_tab[i]["category"] = cat_index[c[:3]]
        hit = _longest_prefix(c, dx_rules)
        if hit is None:
            continue
        root, proot, perr, amin, amax, site, burn, skip = parsed_dx[hit]
        rec = dx_tab[i]
        rec["root"], rec["paed_root"], rec["primary_error"] = root, proot, perr
        rec["age_min"], rec["age_max"], rec["trauma_site"], rec["burn"] = amin, amax, site, burn
        rec["tbsa"] = int(c[3]) if burn == S.BURN["tbsa"] and c[3].isdigit() else -1
        checked = perr or amin > 0 or amax < 999 or burn in (S.BURN["tbsa"], S.BURN["unspecified"])
        rec["flags"] = (S.DX_MAPPED | (S.DX_SPELL_SKIP if skip else 0)
                        | (S.DX_BURN if burn else 0) | (S.DX_TRAUMA if site else 0)
                        | (S.DX_PRIMARY_CHECK if checked else 0))
        dx_map_prefix[i] = hit.encode()
    dx_tab["tbsa"][dx_tab["burn"] != S.BURN["tbsa"]] = -1

    # OPCS-4 universe and procedure attributes
    px_set: dict[str, Row] = {}
    for r in t["opcs4_codes.csv"]:
        c = r["code"].upper().replace(".", "")
        expanded = [c + str(d) for d in range(10)] if len(c) == 3 else [c]
        for e in expanded:
            if opcs4_key(e) < 0:
                raise r.fail(f"malformed OPCS-4 code or category {r['code']!r}")
            if e in px_set and len(c) == 4:
                raise r.fail(f"duplicate OPCS-4 code {e} (first at {px_set[e].where()})")
            px_set.setdefault(e, r)
    px_codes = sorted(px_set)
    px_key_to_id = np.full(S.OPCS4_KEYS, -1, dtype=np.int32)
    for i, c in enumerate(px_codes):
        px_key_to_id[opcs4_key(c)] = i
    px_rules = prefix_index(t["procedures.csv"], "code", px_codes, "opcs4_codes.csv")
    px_tab = np.zeros(len(px_codes), dtype=S.PX_DTYPE)
    px_tab["root"] = px_tab["paed_root"] = px_tab["unbundled"] = -1
    px_map_prefix = np.zeros(len(px_codes), dtype="S4")
    parsed_px: dict[str, tuple] = {}
    for p, r in px_rules.items():
        hier = _int(r, "hierarchy", 0, 0, 32767)
        root = used_root(r, "root", core, required=hier > 0)
        parsed_px[p] = (root, used_root(r, "paed_root", core), used_root(r, "unbundled", unb),
                        hier, _enum(r, "error", S.PROC_ERROR), _flag(r, "intervention"))
    for i, c in enumerate(px_codes):
        hit = _longest_prefix(c, px_rules)
        if hit is None:
            continue
        root, proot, ub, hier, err, interv = parsed_px[hit]
        rec = px_tab[i]
        rec["root"], rec["paed_root"], rec["unbundled"] = root, proot, ub
        rec["hierarchy"], rec["error"] = hier, err
        rec["flags"] = (S.PX_MAPPED | (S.PX_INTERVENTION if interv else 0)
                        | (S.PX_UNBUNDLED if ub >= 0 else 0)
                        | (S.PX_SIGNIFICANT if hier > 0 else 0))
        px_map_prefix[i] = hit.encode()

    # CC weights: per code a profile of weights, one per subchapter
    cc_rules: dict[str, list[tuple[str, int]]] = defaultdict(list)
    seen_cc: dict[tuple[str, str], Row] = {}
    for r in t["cc_weights.csv"]:
        s, p = r["subchapter"], r["code"].upper().replace(".", "")
        if s != "*" and s not in subch_index:
            raise r.fail(f"subchapter {s!r} is not in subchapters.csv")
        if (s, p) in seen_cc:
            raise r.fail(f"duplicate CC weight for {s} {p} (first at {seen_cc[s, p].where()})")
        lo = _bisect(dx_codes, p)
        if not p or lo >= n_dx or not dx_codes[lo].startswith(p):
            raise r.fail(f"code {p!r} matches no code in icd10_codes.csv")
        seen_cc[s, p] = r
        cc_rules[p].append((s, _int(r, "weight", 0, 0, 100)))
    profiles: dict[tuple[int, ...], int] = {(0,) * len(subch_codes): 0}
    for i, c in enumerate(dx_codes):
        best: dict[str, tuple[int, int]] = {}
        for n in range(1, len(c) + 1):
            for s, w in cc_rules.get(c[:n], ()):
                best[s] = (n, w)  # longer prefixes come later and win
        if not best:
            continue
        default = best.get("*", (0, 0))[1]
        vec = tuple(best[s][1] if s in best else default for s in subch_codes)
        dx_tab[i]["cc_profile"] = profiles.setdefault(vec, len(profiles))
    cc_weights = np.zeros((len(profiles), len(subch_codes)), dtype=np.uint8)
    for vec, pid in profiles.items():
        cc_weights[pid] = vec

    # CC exclusions: per primary code a class; per class a bitset of excluded secondaries
    excl_by_primary: dict[str, set[str]] = defaultdict(set)
    for r in t["cc_exclusions.csv"]:
        p, s = r["primary"].upper().replace(".", ""), r["secondary"].upper().replace(".", "")
        for v, col in ((p, "primary"), (s, "secondary")):
            lo = _bisect(dx_codes, v)
            if not v or lo >= n_dx or not dx_codes[lo].startswith(v):
                raise r.fail(f"{col} {v!r} matches no code in icd10_codes.csv")
        excl_by_primary[p].add(s)
    classes: dict[frozenset[str], int] = {}
    for i, c in enumerate(dx_codes):
        sec: set[str] = set()
        for n in range(1, len(c) + 1):
            sec |= excl_by_primary.get(c[:n], set())
        if sec:
            dx_tab[i]["excl_class"] = classes.setdefault(frozenset(sec), len(classes))
    nwords = (n_dx + 63) // 64
    excl_bits = np.zeros((len(classes), nwords), dtype=np.uint64)
    for prefixes, cid in classes.items():
        member = np.zeros(n_dx, dtype=bool)
        for p in prefixes:
            lo, hi = _bisect(dx_codes, p), _bisect(dx_codes, p + "\x7f")
            member[lo:hi] = True
        bits = np.packbits(np.pad(member, (0, nwords * 64 - n_dx)), bitorder="little")
        excl_bits[cid] = bits.view("<u8")

    # core logic (multiple trauma, burns): decision lists choosing a root
    core_rule_start = np.zeros(len(S.CORE_LOGIC) + 1, dtype=np.int32)
    core_rule_start[0] = len(pool.target)
    by_logic: dict[int, list[Row]] = defaultdict(list)
    for r in t["core_logic.csv"]:
        by_logic[_enum(r, "logic", S.CORE_LOGIC)].append(r)
    for lid in range(len(S.CORE_LOGIC)):
        for r in by_logic.get(lid, []):
            pool.add(used_root(r, "root", core, True), parse_condition(r["when"], r), r.where(),
                     r["when"])
        core_rule_start[lid + 1] = len(pool.target)

    # global exceptions: per code, the exception rules it can trigger
    gx = np.zeros(len(t["global_exceptions.csv"]), dtype=S.GX_DTYPE)
    dx_gx: list[list[int]] = [[] for _ in dx_codes]
    px_gx: list[list[int]] = [[] for _ in px_codes]
    gx_also: list[int] = []
    also_ids: dict[tuple[int, str], int] = {}
    dx_also_mask = np.zeros(n_dx, dtype=np.uint64)
    px_also_mask = np.zeros(len(px_codes), dtype=np.uint64)

    def code_range(universe: list[str], p: str, row: Row, col: str) -> tuple[int, int]:
        lo, hi = _bisect(universe, p), _bisect(universe, p + "\x7f")
        if not p or lo >= hi:
            raise row.fail(f"{col} {p!r} matches no code")
        return lo, hi

    for g, r in enumerate(t["global_exceptions.csv"]):
        trig = _enum(r, "trigger", S.GX_TRIGGER)
        gx[g]["trigger"] = trig
        gx[g]["rule"] = pool.add(used_root(r, "root", core, True),
                                 parse_condition(r["when"], r), r.where(), r["when"])
        p = r["code"].upper().replace(".", "")
        is_proc = trig == S.GX_TRIGGER["proc_any"]
        universe, lists = (px_codes, px_gx) if is_proc else (dx_codes, dx_gx)
        lo, hi = code_range(universe, p, r, "code")
        for i in range(lo, hi):
            lists[i].append(g)
        also = r["also"].upper().replace(".", "")
        if r["also_in"] and not also:
            raise r.fail("also_in needs an 'also' code")
        if also:
            kind = _enum(r, "also_in", S.ALSO_IN)
            alo, ahi = code_range(px_codes if kind == S.ALSO_IN["proc"] else dx_codes, also, r,
                                  "also")
            gx[g]["also_kind"] = kind
            gx[g]["also_start"] = len(gx_also)
            gx_also.extend(range(alo, ahi))
            gx[g]["also_stop"] = len(gx_also)
            # a 64-bit Bloom filter: a record whose codes lack this bit cannot hold `also`
            bit = also_ids.setdefault((kind, also), len(also_ids)) % 64
            gx[g]["also_bit"] = bit
            mask = px_also_mask if kind == S.ALSO_IN["proc"] else dx_also_mask
            mask[alo:ahi] |= np.uint64(1 << bit)
    arrays["gx_also"] = np.array(gx_also, dtype=np.int32)
    arrays["dx_also_mask"] = dx_also_mask
    arrays["px_also_mask"] = px_also_mask

    def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        start = np.zeros(len(lists) + 1, dtype=np.int32)
        start[1:] = np.cumsum([len(x) for x in lists])
        flat = np.array([v for x in lists for v in x], dtype=np.int32)
        return start, flat

    arrays["dx_gx_start"], arrays["dx_gx"] = csr(dx_gx)
    arrays["px_gx_start"], arrays["px_gx"] = csr(px_gx)
    dx_tab["flags"] |= np.where([bool(x) for x in dx_gx], S.DX_GX, 0).astype(np.uint8)
    px_tab["flags"] |= np.where([bool(x) for x in px_gx], S.PX_GX, 0).astype(np.uint8)

    # field values and unbundled triggers, per dataset
    fv: dict[tuple[str, str], dict[str, tuple[int, Row]]] = defaultdict(dict)
    for r in t["field_values.csv"]:
        ds, f, v = r["dataset"], r["field"], _norm_value(r["dataset"], r["field"], r["value"])
        if ds not in S.DATASETS:
            raise r.fail(f"unknown dataset {ds!r}")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", f):
            raise r.fail(f"field must be an upper-case field name, got {f!r}")
        try:
            pack_value(v)
        except ValueError as exc:
            raise r.fail(str(exc)) from None
        if v in fv[ds, f]:
            raise r.fail(f"duplicate value {v!r} for {ds} {f}")
        flags = 0
        for fl in filter(None, (x.strip() for x in r["flags"].split(";"))):
            if fl not in S.FIELD_FLAGS:
                raise r.fail(f"unknown flag {fl!r}; use {', '.join(S.FIELD_FLAGS)}")
            flags |= S.FIELD_FLAGS[fl]
        fv[ds, f][v] = (flags, _int(r, "class", 0, -1000, 1000), r)
    fields_meta: dict[str, list[str]] = defaultdict(list)
    for (ds, f), values in sorted(fv.items()):
        keys = sorted(values, key=pack_value)
        arrays[f"fv.{ds}.{f}.keys"] = np.array([pack_value(v) for v in keys], dtype=np.uint64)
        arrays[f"fv.{ds}.{f}.values"] = np.array([v.encode() for v in keys], dtype="S8")
        arrays[f"fv.{ds}.{f}.flags"] = np.array([values[v][0] for v in keys], dtype=np.uint8)
        arrays[f"fv.{ds}.{f}.class"] = np.array([values[v][1] for v in keys], dtype=np.int32)
        fields_meta[ds].append(f)
    ub_trig: dict[tuple[str, str], np.ndarray] = {}
    for r in t["unbundled_triggers.csv"]:
        ds, f, v = r["dataset"], r["field"], _norm_value(r["dataset"], r["field"], r["value"])
        if (ds, f) not in fv or v not in fv[ds, f]:
            raise r.fail(f"{ds} {f} value {v!r} is not in field_values.csv")
        arr = ub_trig.get((ds, f))
        if arr is None:
            arr = ub_trig[ds, f] = np.full(len(fv[ds, f]), -1, dtype=np.int32)
        pos = sorted(fv[ds, f], key=pack_value).index(v)
        if arr[pos] >= 0:
            raise r.fail(f"{ds} {f} value {v!r} already triggers an unbundled HRG")
        arr[pos] = used_root(r, "root", unb, True)
    for (ds, f), arr in ub_trig.items():
        arrays[f"ubt.{ds}.{f}"] = arr

    # record logics (NAC, EM, ACC, PCC, NCC, NRD): one ordered decision list per dataset;
    # a target is an HRG id, or n_hrg + root id for a root split by its splits.csv rules
    logic_rows: dict[str, list[Row]] = defaultdict(list)
    for r in t["logic_rules.csv"]:
        if r["dataset"] not in S.LOGIC_VARIABLES:
            raise r.fail(f"dataset must be one of {', '.join(S.LOGIC_DATASETS)}")
        logic_rows[r["dataset"]].append(r)
    logic_rule_start = np.zeros(len(S.LOGIC_DATASETS) + 1, dtype=np.int32)
    logic_rule_start[0] = len(pool.target)
    for k, ds in enumerate(S.LOGIC_DATASETS):
        names = {v: i for i, v in enumerate(S.LOGIC_VARIABLES[ds])}
        for r in logic_rows.get(ds, []):
            h = r["hrg"]
            if h in hrg_index:
                target = hrg_index[h]
                if not hrg_tab[target]["datasets"] & S.DATASET_BIT[ds]:
                    raise r.fail(f"HRG {h} is not marked for the {ds} dataset in hrgs.csv")
            elif _ROOT_RE.match(h) and h in root_index:
                target = len(hrg_codes) + used_root(r, "hrg", core + unb)
            else:
                raise r.fail(f"hrg {h!r} is neither an HRG nor a root in hrgs.csv")
            pool.add(target, parse_condition(r["when"], r, names), r.where(), r["when"])
        logic_rule_start[k + 1] = len(pool.target)
    arrays["logic_rule_start"] = logic_rule_start
    acc_organ = np.full(len(S.ACC_SUPPORT_FIELDS), -1, dtype=np.int32)
    for system, fields in enumerate(meta["acc"]["organ_systems"]):
        for f in fields:
            acc_organ[S.ACC_SUPPORT_FIELDS.index(f)] = system
    arrays["acc_organ"] = acc_organ

    # rule pool
    rules_target = np.array(pool.target, dtype=np.int32)
    conds = np.zeros(len(pool.conds), dtype=S.COND_DTYPE)
    for i, (v, lo, hi) in enumerate(pool.conds):
        conds[i] = (v, lo, hi)

    arrays.update({
        "chapter_code": np.array([c.encode() for c in chapter_codes], dtype="S1"),
        "subch_code": np.array([s.encode() for s in subch_codes], dtype="S2"),
        "subch_flags": np.array([S.SUBCH_CRITICAL_CARE if _flag(subch[s], "critical_care") else 0
                                 for s in subch_codes], dtype=np.uint8),
        "hrg_code": np.array([h.encode() for h in hrg_codes], dtype="S5"),
        "hrg": hrg_tab,
        "root_code": np.array([r.encode() for r in root_codes], dtype="S4"),
        "root_subch": root_subch,
        "root_rule_start": root_rule_start,
        "rule_target": rules_target,
        "rule_cond_start": np.array(pool.cond_start, dtype=np.int32),
        "cond": conds,
        "core_rule_start": core_rule_start,
        "gx": gx,
        "dx_code": np.array([c.encode() for c in dx_codes], dtype="S5"),
        "dx_key_to_id": dx_key_to_id,
        "dx": dx_tab,
        "dx_map_prefix": dx_map_prefix,
        "px_code": np.array([c.encode() for c in px_codes], dtype="S4"),
        "px_key_to_id": px_key_to_id,
        "px": px_tab,
        "px_map_prefix": px_map_prefix,
        "cc_weights": cc_weights,
        "excl_bits": excl_bits,
    })
    for name, strings in (("chapter_name", [chapters[c] for c in chapter_codes]),
                          ("subch_name", [subch[s]["name"] for s in subch_codes]),
                          ("hrg_label", [hrg_rows[h]["label"] for h in hrg_codes]),
                          ("rule_source", pool.source), ("rule_text", pool.text)):
        arrays[name + ".offsets"], arrays[name + ".blob"] = _blob(strings)

    meta.update({
        "source_sha256": source_checksum(src),
        "compiler": COMPILER_ID,
        "variables": list(S.VARIABLES),
        "trauma_sites": sites,
        "fields": {ds: sorted(fs) for ds, fs in fields_meta.items()},
        "counts": {"hrgs": len(hrg_codes), "roots": len(root_codes), "icd10": n_dx,
                   "opcs4": len(px_codes), "rules": len(pool.target),
                   "cc_profiles": len(profiles), "cc_exclusion_classes": len(classes)},
    })
    return {"design": meta}, arrays


def _bisect(sorted_list: list[str], value: str) -> int:
    lo, hi = 0, len(sorted_list)
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_list[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def compile_to_file(src: str | Path, out: str | Path) -> Path:
    """Compile ``src`` into the artifact file ``out`` (a directory gets ``<name>.hrgd``)."""
    header, arrays = compile_design(src)
    out = Path(out)
    if out.is_dir():
        out = out / (header["design"]["name"] + SUFFIX)
    write_artifact(out, header, arrays)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="hrgfast-design-compiler",
                                 description="Compile hrgfast design folders into artifacts.")
    ap.add_argument("sources", nargs="+", type=Path, help="design source folder(s)")
    ap.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    ap.add_argument("--index", type=Path, help="also write a JSON index of the artifacts")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    index = []
    for src in args.sources:
        try:
            path = compile_to_file(src, args.out)
        except DesignError as exc:
            print(f"design error in {src}: {exc}", file=sys.stderr)
            return 1
        index.append(path.name)
    if args.index:
        import json
        args.index.write_text(json.dumps(sorted(index)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
